//! Saving a project: checks against what is stored and the links it makes, the write,
//! and its event.

use agora_schemas::{MlTask, Project, ProjectInput};
use sqlx::{AssertSqlSafe, PgConnection};

use super::{OWNERS, get};
use crate::db::events::{self, NewEvent};
use crate::db::provenance::{self, Stored, SyncProvenance, Table};
use crate::db::{Outcome, SaveMode, parse_stored, resolve_slugs};
use crate::error::{Error, Result};
use crate::policy::Caller;

/// Whether saving `input` would store what is stored already. Workstreams are a set, read
/// back by code: the order a client lists them in does not count as a change.
fn unchanged(stored: &ProjectInput, input: &ProjectInput) -> bool {
    let (mut stored, mut input) = (stored.clone(), input.clone());
    stored.workstreams.sort();
    input.workstreams.sort();
    stored == input
}

/// Creates or replaces a project with its organisations and workstreams, and records an
/// event; saving what is already stored writes nothing. With `provenance`, the project is
/// stamped as sent by that agent's source (and listed again if it had been withdrawn).
pub async fn save(
    conn: &mut PgConnection,
    input: &ProjectInput,
    actor: &str,
    mode: SaveMode,
    provenance: Option<&SyncProvenance>,
) -> Result<(Project, Outcome)> {
    let organisation_ids =
        resolve_slugs(conn, "organisations", "organisations", &input.organisations).await?;
    let workstream_ids =
        resolve_slugs(conn, "workstreams", "workstreams", &input.workstreams).await?;
    let existing: Option<i64> =
        sqlx::query_scalar("SELECT id FROM projects WHERE slug = $1 FOR UPDATE")
            .bind(input.slug.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    let current = match existing {
        Some(_) => get(conn, &Caller::system(), &input.slug).await?,
        None => None,
    };
    if let (Some(id), Some(c), Some(p)) = (existing, &current, provenance)
        && c.spec == *input
    {
        let stored = Stored::read(conn, Table::Projects, id).await?;
        if stored.matches(p) {
            return Ok((c.clone(), Outcome::Unchanged));
        }
        provenance::stamp(conn, Table::Projects, id, &stored, p).await?;
        let outcome = if stored.withdrawn {
            events::append(
                &mut *conn,
                &NewEvent {
                    actor: actor.to_string(),
                    kind: "project.updated",
                    subject_kind: "project",
                    subject: input.slug.to_string(),
                    summary: format!("“{}” is listed again by its source", input.title),
                    workstreams: input.workstreams.iter().map(|w| w.to_string()).collect(),
                    organisations: input.organisations.iter().map(|o| o.to_string()).collect(),
                    visibility: input.visibility,
                    payload: serde_json::json!({ "restored": true }),
                },
            )
            .await?;
            Outcome::Updated
        } else {
            Outcome::Unchanged
        };
        let saved = get(conn, &Caller::system(), &input.slug)
            .await?
            .ok_or_else(|| Error::Internal("project vanished after save".into()))?;
        return Ok((saved, outcome));
    }
    let what = format!("project `{}`", input.slug);
    let unchanged_here = |c: &Project| unchanged(&c.spec, input);
    let Some(outcome) = mode.outcome(current.as_ref(), unchanged_here, "slug", &what)? else {
        return current
            .map(|c| (c, Outcome::Unchanged))
            .ok_or_else(|| Error::Internal(what));
    };
    let previous_stage = current.as_ref().map(|c| c.spec.stage);
    let contacts =
        serde_json::to_value(&input.contacts).map_err(|e| Error::Internal(e.to_string()))?;
    let sql = if outcome == Outcome::Created {
        "INSERT INTO projects (slug, title, summary, stage, gsbpm, domain, task, data_sources, languages, \
         repositories, contacts, tags, visibility, text_language) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id"
    } else {
        "UPDATE projects SET title = $2, summary = $3, stage = $4, gsbpm = $5, domain = $6, task = $7, \
         data_sources = $8, languages = $9, repositories = $10, contacts = $11, tags = $12, visibility = $13, \
         text_language = $14 WHERE slug = $1 RETURNING id"
    };
    let id: i64 = sqlx::query_scalar(sql)
        .bind(input.slug.as_str())
        .bind(&input.title)
        .bind(&input.summary)
        .bind(input.stage.as_str())
        .bind(input.gsbpm.as_deref())
        .bind(&input.domain)
        .bind(input.task.map(MlTask::as_str))
        .bind(&input.data_sources)
        .bind(
            input
                .languages
                .iter()
                .map(|l| l.to_string())
                .collect::<Vec<_>>(),
        )
        .bind(
            input
                .repositories
                .iter()
                .map(|r| r.to_string())
                .collect::<Vec<_>>(),
        )
        .bind(contacts)
        .bind(&input.tags)
        .bind(input.visibility.as_str())
        .bind(input.text_language.as_deref())
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| {
            Error::from(e).on_unique("slug", format!("project `{}` exists already", input.slug))
        })?;
    sqlx::query("DELETE FROM project_organisations WHERE project_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO project_organisations (project_id, organisation_id, position) \
         SELECT $1, org, pos - 1 FROM unnest($2::bigint[]) WITH ORDINALITY AS t(org, pos)",
    )
    .bind(id)
    .bind(&organisation_ids)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM project_workstreams WHERE project_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO project_workstreams (project_id, workstream_id) SELECT $1, unnest($2::bigint[])")
        .bind(id)
        .bind(&workstream_ids)
        .execute(&mut *conn)
        .await?;

    let (kind, summary, payload) = match previous_stage {
        None => (
            "project.created",
            format!("New project “{}” ({})", input.title, input.stage.as_str()),
            serde_json::json!({ "stage": input.stage }),
        ),
        Some(from) if from != input.stage => (
            "project.stage_changed",
            format!(
                "“{}” moved from {} to {}",
                input.title,
                from.as_str(),
                input.stage.as_str()
            ),
            serde_json::json!({ "from": from, "to": input.stage }),
        ),
        Some(_) => (
            "project.updated",
            format!("“{}” was updated", input.title),
            serde_json::json!({}),
        ),
    };
    events::append(
        &mut *conn,
        &NewEvent {
            actor: actor.to_string(),
            kind,
            subject_kind: "project",
            subject: input.slug.to_string(),
            summary,
            workstreams: input.workstreams.iter().map(|w| w.to_string()).collect(),
            organisations: input.organisations.iter().map(|o| o.to_string()).collect(),
            visibility: input.visibility,
            payload,
        },
    )
    .await?;
    if let Some(p) = provenance {
        let stored = match existing {
            Some(_) => Stored::read(conn, Table::Projects, id).await?,
            None => Stored::default(),
        };
        provenance::stamp(conn, Table::Projects, id, &stored, p).await?;
    }
    let saved = get(conn, &Caller::system(), &input.slug)
        .await?
        .ok_or_else(|| Error::Internal("project vanished after save".into()))?;
    Ok((saved, outcome))
}

/// Checks that an item written by `caller` may link to project `slug`: a public project,
/// or one the caller may read and write. Anything else, whether it exists or not, is
/// refused with the same answer, so a link never tells that a hidden project exists.
pub async fn check_link(
    conn: &mut PgConnection,
    caller: &Caller,
    field: &str,
    slug: &str,
) -> Result<()> {
    let row: Option<(String, Vec<String>)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT p.visibility::text, {OWNERS} FROM projects p WHERE p.slug = $1"
    )))
    .bind(slug)
    .fetch_optional(&mut *conn)
    .await?;
    let allowed = row.is_some_and(|(visibility, owners)| {
        let visibility = parse_stored::<agora_schemas::Visibility>("visibility", &visibility);
        visibility.is_ok_and(|v| {
            v == agora_schemas::Visibility::Public
                || (caller.can_read(v, &owners)
                    && crate::policy::write::can_write_project(caller, Some(&owners), &owners))
        })
    });
    if allowed {
        Ok(())
    } else {
        Err(Error::invalid(field, format!("no project `{slug}`")))
    }
}
