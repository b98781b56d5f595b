//! Saving a model card: checks against what is stored, the write, and its event.

use agora_schemas::{ModelCard, ModelCardInput};
use sqlx::PgConnection;

use super::{Columns, get};
use crate::db::events::{self, NewEvent};
use crate::db::provenance::{self, Stored, SyncProvenance, Table};
use crate::db::{Outcome, SaveMode};
use crate::error::{Error, Result};
use crate::policy::Caller;

/// The workstreams of the card's project: events about the model reach those workstreams.
pub(super) async fn workstreams_of_project(
    conn: &mut PgConnection,
    project: Option<&str>,
) -> Result<Vec<String>> {
    let Some(project) = project else {
        return Ok(vec![]);
    };
    Ok(sqlx::query_scalar(
        "SELECT w.slug::text FROM project_workstreams pw JOIN workstreams w ON w.id = pw.workstream_id \
         JOIN projects p ON p.id = pw.project_id WHERE p.slug = $1 ORDER BY w.slug",
    )
    .bind(project)
    .fetch_all(&mut *conn)
    .await?)
}

/// Creates or replaces a model card and records an event; saving what is stored already
/// writes nothing. With `provenance`, the card is stamped as sent by that agent's source.
pub async fn save_card(
    conn: &mut PgConnection,
    input: &ModelCardInput,
    actor: &str,
    mode: SaveMode,
    provenance: Option<&SyncProvenance>,
) -> Result<(ModelCard, Outcome)> {
    let columns = Columns::of(input)?;
    if let Some(field) = agora_schemas::validate::nul_path(&columns.metadata) {
        return Err(Error::invalid(field, crate::db::NUL_REASON));
    }
    let organisation_id: i64 = sqlx::query_scalar("SELECT id FROM organisations WHERE slug = $1")
        .bind(input.organisation.as_str())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| {
            Error::invalid(
                "organisation",
                format!("no organisation `{}`", input.organisation),
            )
        })?;
    let project_id: Option<i64> = match &input.project {
        Some(slug) => Some(
            sqlx::query_scalar("SELECT id FROM projects WHERE slug = $1")
                .bind(slug.as_str())
                .fetch_optional(&mut *conn)
                .await?
                .ok_or_else(|| Error::invalid("project", format!("no project `{slug}`")))?,
        ),
        None => None,
    };
    let key = format!("{}/{}", input.organisation, input.name);
    let locked: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM model_cards WHERE organisation_id = $1 AND name = $2 FOR UPDATE",
    )
    .bind(organisation_id)
    .bind(input.name.as_str())
    .fetch_optional(&mut *conn)
    .await?;
    let current = match locked {
        Some(_) => get(conn, &Caller::system(), &input.organisation, &input.name).await?,
        None => None,
    };
    if let (Some(id), Some(c), Some(p)) = (locked, &current, provenance)
        && c.spec == *input
    {
        let stored = Stored::read(conn, Table::ModelCards, id).await?;
        if stored.matches(p) {
            return Ok((c.clone(), Outcome::Unchanged));
        }
        provenance::stamp(conn, Table::ModelCards, id, &stored, p).await?;
        let outcome = if stored.withdrawn {
            let label = input.title.clone().unwrap_or_else(|| key.clone());
            let workstreams = workstreams_of_project(conn, input.project.as_deref()).await?;
            events::append(
                &mut *conn,
                &NewEvent {
                    actor: actor.to_string(),
                    kind: "model.updated",
                    subject_kind: "model",
                    subject: key.clone(),
                    summary: format!("Model card “{label}” is listed again by its source"),
                    workstreams,
                    organisations: vec![input.organisation.to_string()],
                    visibility: input.visibility,
                    payload: serde_json::json!({ "restored": true }),
                },
            )
            .await?;
            Outcome::Updated
        } else {
            Outcome::Unchanged
        };
        let saved = get(conn, &Caller::system(), &input.organisation, &input.name)
            .await?
            .ok_or_else(|| Error::Internal("model card vanished after save".into()))?;
        return Ok((saved, outcome));
    }
    let what = format!("model `{key}`");
    let Some(outcome) = mode.outcome(current.as_ref(), |c| c.spec == *input, "name", &what)? else {
        return current
            .map(|c| (c, Outcome::Unchanged))
            .ok_or_else(|| Error::Internal(what));
    };
    let model_index =
        serde_json::to_value(&input.model_index).map_err(|e| Error::Internal(e.to_string()))?;
    let sql = if outcome == Outcome::Created {
        "INSERT INTO model_cards (organisation_id, name, title, summary, project_id, task, pipeline_tag, \
         library_name, license, language, tags, datasets, metrics, base_model, model_index, intended_use, \
         training_data, limitations, ethical_considerations, body, visibility, text_language, metadata, warnings) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24) \
         RETURNING id"
    } else {
        "UPDATE model_cards SET title = $3, summary = $4, project_id = $5, task = $6, pipeline_tag = $7, \
         library_name = $8, license = $9, language = $10, tags = $11, datasets = $12, metrics = $13, \
         base_model = $14, model_index = $15, intended_use = $16, training_data = $17, limitations = $18, \
         ethical_considerations = $19, body = $20, visibility = $21, text_language = $22, metadata = $23, \
         warnings = $24 WHERE organisation_id = $1 AND name = $2 RETURNING id"
    };
    let card_id: i64 = sqlx::query_scalar(sql)
        .bind(organisation_id)
        .bind(input.name.as_str())
        .bind(&input.title)
        .bind(&input.summary)
        .bind(project_id)
        .bind(columns.task)
        .bind(&input.pipeline_tag)
        .bind(&input.library_name)
        .bind(input.license.as_deref())
        .bind(&columns.language)
        .bind(&columns.tags)
        .bind(&columns.datasets)
        .bind(&columns.metrics)
        .bind(&columns.base_model)
        .bind(model_index)
        .bind(&input.intended_use)
        .bind(&input.training_data)
        .bind(&input.limitations)
        .bind(&input.ethical_considerations)
        .bind(&input.body)
        .bind(input.visibility.as_str())
        .bind(input.text_language.as_deref())
        .bind(&columns.metadata)
        .bind(&columns.warnings)
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| Error::from(e).on_unique("name", format!("model `{key}` exists already")))?;
    let label = input.title.clone().unwrap_or_else(|| key.clone());
    let workstreams = workstreams_of_project(conn, input.project.as_deref()).await?;
    events::append(
        &mut *conn,
        &NewEvent {
            actor: actor.to_string(),
            kind: if outcome == Outcome::Created {
                "model.created"
            } else {
                "model.updated"
            },
            subject_kind: "model",
            subject: key.clone(),
            summary: if outcome == Outcome::Created {
                format!("New model card “{label}”")
            } else {
                format!("Model card “{label}” was updated")
            },
            workstreams,
            organisations: vec![input.organisation.to_string()],
            visibility: input.visibility,
            payload: serde_json::json!({}),
        },
    )
    .await?;
    if let Some(p) = provenance {
        let stored = match locked {
            Some(_) => Stored::read(conn, Table::ModelCards, card_id).await?,
            None => Stored::default(),
        };
        provenance::stamp(conn, Table::ModelCards, card_id, &stored, p).await?;
    }
    let saved = get(conn, &Caller::system(), &input.organisation, &input.name)
        .await?
        .ok_or_else(|| Error::Internal("model card vanished after save".into()))?;
    Ok((saved, outcome))
}
