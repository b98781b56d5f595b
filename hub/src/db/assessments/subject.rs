//! Finding what an assessment is of: a project, or a version of a model.

use agora_schemas::{AssessmentInput, Slug, Subject, Visibility};
use sqlx::{FromRow, PgConnection};

use crate::db::parse_stored;
use crate::error::{Error, Result};
use crate::policy::Caller;

/// A subject found in the database, with what the read policy and events need.
#[derive(Debug, Clone)]
pub struct SubjectRow {
    pub project_id: Option<i64>,
    pub model_version_id: Option<i64>,
    /// The subject as stored, with the model's organisation filled in.
    pub subject: Subject,
    pub title: String,
    pub visibility: Visibility,
    pub owners: Vec<String>,
    pub workstreams: Vec<String>,
}

#[derive(FromRow)]
struct Found {
    id: i64,
    title: String,
    visibility: String,
    owners: Vec<String>,
    workstreams: Vec<String>,
}

/// Finds the subject; an unknown one is a 422 on `subject.<field>`. A model's
/// organisation defaults to `default_organisation` (an agent's own).
pub async fn resolve(
    conn: &mut PgConnection,
    subject: &Subject,
    default_organisation: Option<&str>,
) -> Result<SubjectRow> {
    if let Some(project) = &subject.project {
        let found: Option<Found> = sqlx::query_as(
            "SELECT p.id, p.title, p.visibility::text AS visibility, \
             ARRAY(SELECT o.slug::text FROM project_organisations po JOIN organisations o \
                   ON o.id = po.organisation_id WHERE po.project_id = p.id ORDER BY po.position) AS owners, \
             ARRAY(SELECT w.slug::text FROM project_workstreams pw JOIN workstreams w \
                   ON w.id = pw.workstream_id WHERE pw.project_id = p.id ORDER BY w.slug) AS workstreams \
             FROM projects p WHERE p.slug = $1",
        )
        .bind(project.as_str())
        .fetch_optional(&mut *conn)
        .await?;
        let f = found
            .ok_or_else(|| Error::invalid("subject.project", format!("no project `{project}`")))?;
        return Ok(SubjectRow {
            project_id: Some(f.id),
            model_version_id: None,
            subject: Subject::project(project.clone()),
            title: f.title,
            visibility: parse_stored("visibility", &f.visibility)?,
            owners: f.owners,
            workstreams: f.workstreams,
        });
    }
    let (Some(model), Some(version)) = (&subject.model, &subject.version) else {
        return Err(Error::invalid(
            "subject.project",
            "name the project, or the model and its version, that is assessed",
        ));
    };
    let organisation = match (&subject.organisation, default_organisation) {
        (Some(o), _) => o.clone(),
        (None, Some(d)) => Slug::parse(d).map_err(|e| Error::Internal(e.to_string()))?,
        (None, None) => {
            return Err(Error::invalid(
                "subject.organisation",
                "is required with `model`: the model's organisation",
            ));
        }
    };
    let found: Option<Found> = sqlx::query_as(
        "SELECT v.id, coalesce(m.title, o.slug::text || '/' || m.name::text) || ' · version ' || v.version AS title, \
         m.visibility::text AS visibility, ARRAY[o.slug::text] AS owners, \
         ARRAY(SELECT w.slug::text FROM project_workstreams pw JOIN workstreams w \
               ON w.id = pw.workstream_id WHERE pw.project_id = m.project_id ORDER BY w.slug) AS workstreams \
         FROM model_cards m JOIN organisations o ON o.id = m.organisation_id \
         JOIN model_versions v ON v.model_card_id = m.id AND v.version = $3 \
         WHERE o.slug = $1 AND m.name = $2",
    )
    .bind(organisation.as_str())
    .bind(model.as_str())
    .bind(version)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(f) = found else {
        // Tell an unknown model from an unknown version.
        let card: Option<i64> = sqlx::query_scalar(
            "SELECT m.id FROM model_cards m JOIN organisations o ON o.id = m.organisation_id \
             WHERE o.slug = $1 AND m.name = $2",
        )
        .bind(organisation.as_str())
        .bind(model.as_str())
        .fetch_optional(&mut *conn)
        .await?;
        return Err(match card {
            None => Error::invalid(
                "subject.model",
                format!("no model `{organisation}/{model}`"),
            ),
            Some(_) => Error::invalid(
                "subject.version",
                format!("model `{organisation}/{model}` has no version `{version}`"),
            ),
        });
    };
    Ok(SubjectRow {
        project_id: None,
        model_version_id: Some(f.id),
        subject: Subject::model_version(organisation, model.clone(), version.clone()),
        title: f.title,
        visibility: parse_stored("visibility", &f.visibility)?,
        owners: f.owners,
        workstreams: f.workstreams,
    })
}

/// Resolves the subject of `input` for a caller who may see it: an unknown or invisible
/// subject is the same 422.
pub async fn resolve_visible(
    conn: &mut PgConnection,
    caller: &Caller,
    input: &AssessmentInput,
) -> Result<SubjectRow> {
    let subject = resolve(conn, &input.subject, None).await?;
    if caller.can_read(subject.visibility, &subject.owners) {
        return Ok(subject);
    }
    Err(match input.subject.project {
        Some(ref p) => Error::invalid("subject.project", format!("no project `{p}`")),
        None => Error::invalid(
            "subject.model",
            format!(
                "no model `{}/{}`",
                input
                    .subject
                    .organisation
                    .as_ref()
                    .map(|o| o.as_str())
                    .unwrap_or(""),
                input
                    .subject
                    .model
                    .as_ref()
                    .map(|m| m.as_str())
                    .unwrap_or("")
            ),
        ),
    })
}
