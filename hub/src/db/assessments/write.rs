//! Writing assessments: creating one, adding a version (every edit), submitting it and
//! reviewing it. Each write records an event in the caller's transaction.

use agora_schemas::{
    Assessment, AssessmentInput, AssessmentState, Content, Decision, ReviewInput, Visibility,
};
use sqlx::PgConnection;

use super::{SubjectRow, content_of, get};
use crate::db::events::{self, NewEvent};
use crate::db::parse_stored;
use crate::db::provenance::{self, Stored, SyncProvenance, Table};
use crate::error::{Error, Result};
use crate::policy::Caller;

/// What a write changed, for the event it records.
pub(crate) struct Change<'a> {
    pub kind: &'static str,
    pub summary: String,
    pub payload: serde_json::Value,
    pub subject: &'a Locked,
}

/// An assessment row, locked for a write, with what its events need.
pub struct Locked {
    pub id: i64,
    pub state: AssessmentState,
    pub version: i32,
    pub content: Content,
    pub title: String,
    pub visibility: Visibility,
    pub owners: Vec<String>,
    pub workstreams: Vec<String>,
}

pub(crate) async fn record(conn: &mut PgConnection, actor: &str, c: Change<'_>) -> Result<()> {
    events::append(
        &mut *conn,
        &NewEvent {
            actor: actor.to_string(),
            kind: c.kind,
            subject_kind: "assessment",
            subject: c.subject.id.to_string(),
            summary: c.summary,
            workstreams: c.subject.workstreams.clone(),
            organisations: c.subject.owners.clone(),
            visibility: c.subject.visibility,
            payload: c.payload,
        },
    )
    .await?;
    Ok(())
}

fn label(content: &Content) -> &'static str {
    content.kind().label()
}

/// Locks assessment `id` for a write; `None` when it does not exist.
pub async fn lock(conn: &mut PgConnection, id: i64) -> Result<Option<Locked>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        state: String,
        version: i32,
        content: serde_json::Value,
        title: String,
        visibility: String,
        owners: Vec<String>,
        workstreams: Vec<String>,
    }
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT a.state, a.version, a.content, {} AS title, {} AS visibility, {} AS owners, \
         {} AS workstreams {} WHERE a.id = $1 FOR UPDATE OF a",
        super::TITLE,
        super::VISIBILITY,
        super::OWNERS,
        super::WORKSTREAMS,
        super::FROM
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(Locked {
            id,
            state: parse_stored("state", &r.state)?,
            version: r.version,
            content: content_of(r.content)?,
            title: r.title,
            visibility: parse_stored("visibility", &r.visibility)?,
            owners: r.owners,
            workstreams: r.workstreams,
        })
    })
    .transpose()
}

fn levels(content: &Content) -> Option<Vec<i16>> {
    match content {
        Content::Qf4sa(q) => Some(q.levels().iter().map(|l| i16::from(*l)).collect()),
        Content::Ethics(_) => None,
    }
}

fn to_json(content: &Content) -> Result<serde_json::Value> {
    serde_json::to_value(content).map_err(|e| Error::Internal(e.to_string()))
}

/// Creates an assessment (version 1, a draft) of a resolved subject. A subject that has
/// an assessment of this kind already is a 409 on `subject`.
pub async fn create(
    conn: &mut PgConnection,
    subject: &SubjectRow,
    input: &AssessmentInput,
    actor: &str,
    provenance: Option<&SyncProvenance>,
) -> Result<i64> {
    let kind = input.content.kind();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO assessments (kind, project_id, model_version_id, content, levels) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(kind.as_str())
    .bind(subject.project_id)
    .bind(subject.model_version_id)
    .bind(to_json(&input.content)?)
    .bind(levels(&input.content))
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| {
        Error::from(e).on_unique(
            "subject",
            format!(
                "“{}” has a {} already: add a version to it instead",
                subject.title,
                kind.label()
            ),
        )
    })?;
    add_version(conn, id, 1, &input.content, actor, input.note.as_deref()).await?;
    if let Some(p) = provenance {
        provenance::stamp(conn, Table::Assessments, id, &Stored::default(), p).await?;
    }
    let locked = Locked {
        id,
        state: AssessmentState::Draft,
        version: 1,
        content: input.content.clone(),
        title: subject.title.clone(),
        visibility: subject.visibility,
        owners: subject.owners.clone(),
        workstreams: subject.workstreams.clone(),
    };
    record(
        conn,
        actor,
        Change {
            kind: "assessment.created",
            summary: format!("New {} of “{}”", label(&input.content), subject.title),
            payload: serde_json::json!({
                "kind": kind, "subject": subject.subject, "version": 1, "state": "draft"
            }),
            subject: &locked,
        },
    )
    .await?;
    Ok(id)
}

async fn add_version(
    conn: &mut PgConnection,
    id: i64,
    version: i32,
    content: &Content,
    actor: &str,
    note: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO assessment_versions (assessment_id, version, content, actor, note) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(version)
    .bind(to_json(content)?)
    .bind(actor)
    .bind(note)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Adds a version with new content; the assessment returns to `draft`. The same content
/// again changes nothing (`false`). A different kind is a 422 on `content`.
pub async fn edit(
    conn: &mut PgConnection,
    locked: &Locked,
    content: &Content,
    note: Option<&str>,
    actor: &str,
) -> Result<bool> {
    if content.kind() != locked.content.kind() {
        return Err(Error::invalid(
            "content",
            format!(
                "this is a {}: its kind cannot change",
                locked.content.kind().label()
            ),
        ));
    }
    if *content == locked.content {
        return Ok(false);
    }
    let version = locked.version + 1;
    sqlx::query(
        "UPDATE assessments SET content = $2, levels = $3, version = $4, state = 'draft' WHERE id = $1",
    )
    .bind(locked.id)
    .bind(to_json(content)?)
    .bind(levels(content))
    .bind(version)
    .execute(&mut *conn)
    .await?;
    add_version(conn, locked.id, version, content, actor, note).await?;
    record(
        conn,
        actor,
        Change {
            kind: "assessment.updated",
            summary: format!(
                "{} of “{}” changed (version {version})",
                label(content),
                locked.title
            ),
            payload: serde_json::json!({
                "version": version, "previous_state": locked.state, "state": "draft"
            }),
            subject: locked,
        },
    )
    .await?;
    Ok(true)
}

/// Submits a draft for review; any other state is a 409 on `state`, and a `version` other
/// than the current one a 409 on `version`.
pub async fn submit(
    conn: &mut PgConnection,
    locked: &Locked,
    version: Option<i32>,
    actor: &str,
) -> Result<()> {
    if let Some(v) = version
        && v != locked.version
    {
        return Err(Error::conflict(
            "version",
            format!(
                "version {v} was submitted, but the assessment is at version {} now",
                locked.version
            ),
        ));
    }
    if locked.state != AssessmentState::Draft {
        return Err(Error::conflict(
            "state",
            format!(
                "only a draft can be submitted; this assessment is {}",
                locked.state.as_str()
            ),
        ));
    }
    sqlx::query("UPDATE assessments SET state = 'submitted' WHERE id = $1")
        .bind(locked.id)
        .execute(&mut *conn)
        .await?;
    record(
        conn,
        actor,
        Change {
            kind: "assessment.submitted",
            summary: format!(
                "{} of “{}” was submitted for review (version {})",
                label(&locked.content),
                locked.title,
                locked.version
            ),
            payload: serde_json::json!({ "version": locked.version, "state": "submitted" }),
            subject: locked,
        },
    )
    .await
}

/// Records a review of the submitted version by `reviewer`, whose right to review
/// (`standing`) the policy has established. Accepted: `reviewed`; changes requested:
/// back to `draft`.
pub async fn review(
    conn: &mut PgConnection,
    locked: &Locked,
    input: &ReviewInput,
    reviewer: &Caller,
    standing: &str,
) -> Result<()> {
    if locked.state != AssessmentState::Submitted {
        return Err(Error::conflict(
            "state",
            format!(
                "only a submitted assessment can be reviewed; this one is {}",
                locked.state.as_str()
            ),
        ));
    }
    if let Some(v) = input.version
        && v != locked.version
    {
        return Err(Error::conflict(
            "version",
            format!(
                "version {v} was reviewed, but the assessment is at version {} now",
                locked.version
            ),
        ));
    }
    let state = match input.decision {
        Decision::Accepted => AssessmentState::Reviewed,
        Decision::ChangesRequested => AssessmentState::Draft,
    };
    sqlx::query(
        "INSERT INTO assessment_reviews (assessment_id, version, decision, comments, reviewer, \
         reviewer_user_id, reviewer_organisation, standing) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(locked.id)
    .bind(locked.version)
    .bind(input.decision.as_str())
    .bind(&input.comments)
    .bind(&reviewer.actor)
    .bind(reviewer.user_id)
    .bind(reviewer.organisations.first())
    .bind(standing)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE assessments SET state = $2 WHERE id = $1")
        .bind(locked.id)
        .bind(state.as_str())
        .execute(&mut *conn)
        .await?;
    let verb = match input.decision {
        Decision::Accepted => "was reviewed and accepted",
        Decision::ChangesRequested => "was reviewed: changes requested",
    };
    record(
        conn,
        &reviewer.actor,
        Change {
            kind: "assessment.reviewed",
            summary: format!(
                "{} of “{}” {verb} (version {})",
                label(&locked.content),
                locked.title,
                locked.version
            ),
            payload: serde_json::json!({
                "version": locked.version, "decision": input.decision, "state": state,
                "standing": standing
            }),
            subject: locked,
        },
    )
    .await
}

/// Reads an assessment back after a write (as the hub sees it).
pub async fn reread(conn: &mut PgConnection, id: i64) -> Result<Assessment> {
    get(conn, &Caller::system(), id)
        .await?
        .ok_or_else(|| Error::Internal("assessment vanished after save".into()))
}
