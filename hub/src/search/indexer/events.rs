//! Reading the event log: the events after the index's cursor, and the items each one
//! touched.

use std::collections::BTreeSet;

use sqlx::PgConnection;

use crate::error::{Error, Result};

#[derive(sqlx::FromRow)]
pub(super) struct EventRow {
    pub(super) tx: String,
    pub(super) id: i64,
    pub(super) subject_kind: String,
    pub(super) subject: String,
    pub(super) workstreams: Vec<String>,
}

/// The subjects touched by a batch of events, by kind.
#[derive(Default)]
pub(super) struct Touched {
    pub(super) projects: BTreeSet<String>,
    pub(super) models: BTreeSet<String>,
    pub(super) workstreams: BTreeSet<String>,
    /// Workstreams changed themselves (their visibility decides which documents name them).
    pub(super) changed_workstreams: BTreeSet<String>,
    pub(super) organisations: BTreeSet<String>,
    pub(super) assessments: BTreeSet<String>,
}

impl Touched {
    pub(super) fn add(&mut self, e: &EventRow) {
        match e.subject_kind.as_str() {
            "project" => {
                self.projects.insert(e.subject.clone());
            }
            "model" => {
                self.models.insert(e.subject.clone());
            }
            // `<organisation>/<name>/<version>`: the card shows its versions.
            "model_version" => {
                if let Some((card, _)) = e.subject.rsplit_once('/') {
                    self.models.insert(card.to_string());
                }
            }
            "workstream" => {
                self.workstreams.insert(e.subject.clone());
                self.changed_workstreams.insert(e.subject.clone());
            }
            // A workstream document lists its member organisations.
            "membership" => self.workstreams.extend(e.workstreams.iter().cloned()),
            "organisation" => {
                self.organisations.insert(e.subject.clone());
            }
            // Its subject's document carries the assessment's state and levels.
            "assessment" => {
                self.assessments.insert(e.subject.clone());
            }
            _ => {}
        }
    }
}

pub(super) async fn xmin(conn: &mut PgConnection) -> Result<u64> {
    let xmin: String = sqlx::query_scalar("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")
        .fetch_one(&mut *conn)
        .await?;
    xmin.parse()
        .map_err(|e| Error::Internal(format!("unreadable xmin `{xmin}`: {e}")))
}

/// The projects, models and assessments to reindex for a batch: those touched, the
/// subjects of touched assessments (their documents carry its state and levels), and the
/// assessments of touched projects and models (they share their subject's audience, and
/// a new model version makes older versions' assessments stale).
pub(super) async fn related(
    conn: &mut PgConnection,
    t: &Touched,
) -> Result<(Vec<String>, Vec<String>, Vec<String>)> {
    let mut projects = t.projects.clone();
    let mut models = t.models.clone();
    let mut assessments = t.assessments.clone();
    // Documents name a workstream only when all their readers may read it: a workstream
    // whose visibility changed is written again into the projects (and through them the
    // cards and assessments) that serve it.
    if !t.changed_workstreams.is_empty() {
        let serving: Vec<String> = sqlx::query_scalar(
            "SELECT p.slug::text FROM project_workstreams pw JOIN projects p ON p.id = pw.project_id \
             JOIN workstreams w ON w.id = pw.workstream_id WHERE w.slug = ANY($1)",
        )
        .bind(t.changed_workstreams.iter().cloned().collect::<Vec<_>>())
        .fetch_all(&mut *conn)
        .await?;
        projects.extend(serving);
    }
    if !assessments.is_empty() {
        let ids: Vec<String> = assessments.iter().cloned().collect();
        let rows: Vec<(Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT p.slug::text, mo.slug::text || '/' || m.name::text FROM assessments a \
             LEFT JOIN projects p ON p.id = a.project_id \
             LEFT JOIN model_versions v ON v.id = a.model_version_id \
             LEFT JOIN model_cards m ON m.id = v.model_card_id \
             LEFT JOIN organisations mo ON mo.id = m.organisation_id WHERE a.id::text = ANY($1)",
        )
        .bind(&ids)
        .fetch_all(&mut *conn)
        .await?;
        for (project, model) in rows {
            projects.extend(project);
            models.extend(model);
        }
    }
    if !projects.is_empty() || !t.models.is_empty() {
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT a.id::text FROM assessments a \
             LEFT JOIN projects p ON p.id = a.project_id \
             LEFT JOIN model_versions v ON v.id = a.model_version_id \
             LEFT JOIN model_cards m ON m.id = v.model_card_id \
             LEFT JOIN organisations mo ON mo.id = m.organisation_id \
             WHERE p.slug = ANY($1) OR mo.slug::text || '/' || m.name::text = ANY($2)",
        )
        .bind(projects.iter().cloned().collect::<Vec<_>>())
        .bind(t.models.iter().cloned().collect::<Vec<_>>())
        .fetch_all(&mut *conn)
        .await?;
        assessments.extend(ids);
    }
    let list = |s: BTreeSet<String>| s.into_iter().collect::<Vec<_>>();
    Ok((list(projects), list(models), list(assessments)))
}
