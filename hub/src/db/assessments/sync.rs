//! Assessments sent by agents (item kind `assessment`, read from `qf4sa.yaml`): saved as
//! a new version of the subject's assessment, stamped with the agent's provenance, and
//! withdrawn like any synced item when the source no longer lists them.

use agora_schemas::{AssessmentInput, SyncAssessment};
use sqlx::{Connection, PgConnection};

use super::{SubjectRow, resolve, write};
use crate::db::Outcome;
use crate::db::provenance::SyncProvenance;
use crate::db::provenance::{self, Stored, Table};
use crate::error::{Error, Result};

/// Saves one assessment of the agent's organisation `org` in its own savepoint. `Err`
/// carries the field and the reason of a refusal.
pub async fn save(
    conn: &mut PgConnection,
    org: &str,
    actor: &str,
    input: &SyncAssessment,
    provenance: &SyncProvenance,
) -> Result<std::result::Result<Outcome, (String, String)>> {
    let mut sp = conn.begin().await?;
    let attempt = async {
        if let Some(other) = input
            .subject
            .organisation
            .as_ref()
            .filter(|o| o.as_str() != org)
        {
            return Err(Error::invalid(
                "subject.organisation",
                format!("`{other}`: not your organisation (this agent belongs to `{org}`)"),
            ));
        }
        let subject = resolve(&mut sp, &input.subject, Some(org)).await?;
        if !subject.owners.iter().any(|o| o == org) {
            let field = if input.subject.project.is_some() {
                "subject.project"
            } else {
                "subject.organisation"
            };
            // Neither who owns it nor, when the agent may not read it, that it exists.
            let agent = crate::policy::Caller::member(actor, &[org]);
            if !agent.can_read(subject.visibility, &subject.owners) {
                return Err(Error::invalid(
                    field,
                    match &input.subject.project {
                        Some(p) => format!("no project `{p}`"),
                        None => "no such subject".to_string(),
                    },
                ));
            }
            return Err(Error::invalid(
                field,
                format!(
                    "“{}”: not your organisation's (this agent belongs to `{org}`)",
                    subject.title
                ),
            ));
        }
        let full = AssessmentInput {
            subject: subject.subject.clone(),
            content: input.content.clone(),
            note: provenance
                .commit
                .as_ref()
                .map(|c| format!("read from {} at commit {c}", provenance.source)),
        };
        upsert(&mut sp, &subject, &full, actor, Some(provenance)).await
    }
    .await;
    match attempt {
        Ok((_, outcome)) => {
            sp.commit().await?;
            Ok(Ok(outcome))
        }
        Err(Error::Invalid(f) | Error::Conflict(f)) => {
            sp.rollback().await?;
            Ok(Err((f.field, f.message)))
        }
        Err(e) => Err(e),
    }
}

/// Creates the assessment of a subject, or adds a version to the one it has: the save
/// used by agents and the demo data. Returns the id and whether anything changed.
pub async fn upsert(
    conn: &mut PgConnection,
    subject: &SubjectRow,
    input: &AssessmentInput,
    actor: &str,
    provenance: Option<&SyncProvenance>,
) -> Result<(i64, crate::db::Outcome)> {
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM assessments WHERE kind = $1 \
         AND (project_id = $2 OR model_version_id = $3)",
    )
    .bind(input.content.kind().as_str())
    .bind(subject.project_id)
    .bind(subject.model_version_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(id) = existing else {
        let id = write::create(conn, subject, input, actor, provenance).await?;
        return Ok((id, Outcome::Created));
    };
    let locked = write::lock(conn, id)
        .await?
        .ok_or_else(|| Error::Internal("assessment vanished while locked".into()))?;
    let changed = write::edit(conn, &locked, &input.content, input.note.as_deref(), actor).await?;
    let Some(p) = provenance else {
        return Ok((
            id,
            if changed {
                Outcome::Updated
            } else {
                Outcome::Unchanged
            },
        ));
    };
    let stored = Stored::read(conn, Table::Assessments, id).await?;
    if stored.matches(p) {
        return Ok((
            id,
            if changed {
                Outcome::Updated
            } else {
                Outcome::Unchanged
            },
        ));
    }
    provenance::stamp(conn, Table::Assessments, id, &stored, p).await?;
    if stored.withdrawn && !changed {
        write::record(
            conn,
            actor,
            write::Change {
                kind: "assessment.updated",
                summary: format!(
                    "{} of “{}” is listed again by its source",
                    locked.content.kind().label(),
                    locked.title
                ),
                payload: serde_json::json!({ "restored": true, "version": locked.version }),
                subject: &locked,
            },
        )
        .await?;
        return Ok((id, Outcome::Updated));
    }
    Ok((
        id,
        if changed {
            Outcome::Updated
        } else {
            Outcome::Unchanged
        },
    ))
}

/// The event statement of withdrawn assessments: one event per assessment.
pub const WITHDRAWN_EVENTS: &str = "INSERT INTO events (actor, kind, subject_kind, subject, summary, \
         workstreams, organisations, visibility, payload) \
         SELECT $1, 'assessment.withdrawn', 'assessment', a.id::text, \
           CASE a.kind WHEN 'qf4sa' THEN 'QF4SA assessment' ELSE 'Ethics self-assessment' END \
             || ' of “' || coalesce(p.title, coalesce(m.title, mo.slug::text || '/' || m.name::text) \
             || ' · version ' || v.version) || '” was withdrawn: its source no longer lists it', \
           ARRAY(SELECT w.slug::text FROM project_workstreams pw JOIN workstreams w ON w.id = pw.workstream_id \
                 WHERE pw.project_id = coalesce(a.project_id, m.project_id) ORDER BY w.slug), \
           (CASE WHEN a.project_id IS NOT NULL THEN ARRAY(SELECT o.slug::text \
              FROM project_organisations po JOIN organisations o ON o.id = po.organisation_id \
              WHERE po.project_id = a.project_id ORDER BY po.position) ELSE ARRAY[mo.slug::text] END), \
           coalesce(p.visibility, m.visibility), '{}'::jsonb \
         FROM assessments a LEFT JOIN projects p ON p.id = a.project_id \
         LEFT JOIN model_versions v ON v.id = a.model_version_id \
         LEFT JOIN model_cards m ON m.id = v.model_card_id \
         LEFT JOIN organisations mo ON mo.id = m.organisation_id WHERE a.id = ANY($2) ORDER BY a.id";
