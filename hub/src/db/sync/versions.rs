//! Model versions sent by an agent, saved a batch at a time (see [`super::cards`]).

use std::collections::HashMap;

use agora_schemas::sync::SyncModelVersion;
use agora_schemas::{ModelVersionInput, Visibility};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use sqlx::{FromRow, PgConnection};

use super::cards::{Results, Sent, plan};
use crate::db::events::{self, NewEvent};
use crate::db::provenance::Stored;
use crate::db::{Outcome, parse_stored};
use crate::error::{Error, Result};

#[derive(FromRow)]
struct CardOfVersion {
    id: i64,
    name: String,
    visibility: String,
    title: Option<String>,
    workstreams: Vec<String>,
}

#[derive(FromRow)]
struct VersionRow {
    id: i64,
    model_card_id: i64,
    version: String,
    description: Option<String>,
    stage: Option<String>,
    aliases: Vec<String>,
    artifact_uri: Option<String>,
    registered_at: Option<DateTime<Utc>>,
    registered_by: Option<String>,
    parameters: Value,
    agent_id: Option<i64>,
    source: Option<String>,
    source_key: Option<String>,
    commit_id: Option<String>,
    withdrawn: bool,
}

/// Evaluation results as columns, for one `unnest` insert.
#[derive(Default)]
struct ResultColumns {
    version_id: Vec<i64>,
    position: Vec<i16>,
    metric: Vec<String>,
    value: Vec<f64>,
    dataset: Vec<String>,
    split: Vec<Option<String>>,
}

/// Saves versions of the organisation's models; a version whose model does not exist is
/// refused.
pub async fn save_versions(
    conn: &mut PgConnection,
    organisation: &str,
    actor: &str,
    versions: &[Sent<'_, SyncModelVersion>],
) -> Result<Results> {
    if versions.is_empty() {
        return Ok(vec![]);
    }
    let mut names: Vec<String> = versions.iter().map(|v| v.input.model.to_string()).collect();
    names.sort();
    names.dedup();
    let cards: HashMap<String, CardOfVersion> = sqlx::query_as::<_, CardOfVersion>(
        "SELECT m.id, m.name::text, m.visibility::text, m.title, \
         ARRAY(SELECT w.slug::text FROM project_workstreams pw JOIN workstreams w ON w.id = pw.workstream_id \
               WHERE pw.project_id = m.project_id ORDER BY w.slug) AS workstreams \
         FROM model_cards m JOIN organisations o ON o.id = m.organisation_id \
         WHERE o.slug = $1 AND m.name = ANY($2) ORDER BY m.id FOR UPDATE OF m",
    )
    .bind(organisation)
    .bind(&names)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|c| (c.name.clone(), c))
    .collect();
    let pairs: Vec<(i64, String)> = versions
        .iter()
        .filter_map(|v| {
            cards
                .get(v.input.model.as_str())
                .map(|c| (c.id, v.input.version.version.clone()))
        })
        .collect();
    let (card_ids, labels): (Vec<i64>, Vec<String>) = pairs.into_iter().unzip();
    let rows: Vec<VersionRow> = sqlx::query_as(
        "SELECT v.id, v.model_card_id, v.version, v.description, v.stage, v.aliases, v.artifact_uri, \
         v.registered_at, v.registered_by, v.parameters, v.agent_id, v.source, v.source_key, v.commit_id, \
         v.withdrawn_at IS NOT NULL AS withdrawn FROM model_versions v \
         JOIN unnest($1::bigint[], $2::text[]) AS w(card, version) \
           ON v.model_card_id = w.card AND v.version = w.version",
    )
    .bind(&card_ids)
    .bind(&labels)
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut stored_results = crate::db::models::results_of(conn, &ids).await?;
    let mut current: HashMap<(i64, String), (ModelVersionInput, Stored)> = HashMap::new();
    for r in rows {
        let results = stored_results.remove(&r.id).unwrap_or_default();
        let spec = ModelVersionInput {
            version: r.version.clone(),
            description: r.description,
            stage: r.stage.map(|s| parse_stored("stage", &s)).transpose()?,
            aliases: r.aliases,
            artifact_uri: r.artifact_uri,
            registered_at: r.registered_at,
            results,
            registered_by: r.registered_by,
            parameters: serde_json::from_value(r.parameters)
                .map_err(|e| Error::Internal(format!("stored parameters are unreadable: {e}")))?,
        };
        let stored = Stored {
            agent_id: r.agent_id,
            source: r.source,
            source_key: r.source_key,
            commit_id: r.commit_id,
            withdrawn: r.withdrawn,
        };
        current.insert((r.model_card_id, r.version), (spec, stored));
    }

    let mut results = Vec::with_capacity(versions.len());
    let mut rows = Vec::new();
    let mut written_inputs: Vec<(i64, &ModelVersionInput)> = Vec::new();
    // Whether a written version was stored before (and may have results to replace).
    let mut replaced_any = false;
    let mut new_events = Vec::new();
    for (n, v) in versions.iter().enumerate() {
        let input = &v.input.version;
        let Some(card) = cards.get(v.input.model.as_str()) else {
            results.push(Err((
                "model".to_string(),
                format!(
                    "no model `{organisation}/{}`: send its model card first",
                    v.input.model
                ),
            )));
            continue;
        };
        let before = current.get(&(card.id, input.version.clone()));
        let same = before.map(|(spec, _)| spec == input);
        let Some(outcome) = plan(same, before.map(|(_, s)| s), &v.provenance) else {
            results.push(Ok(Outcome::Unchanged));
            continue;
        };
        results.push(Ok(outcome));
        let p = &v.provenance;
        replaced_any |= before.is_some();
        written_inputs.push((card.id, input));
        rows.push(json!({
            "n": n, "card": card.id, "version": input.version, "description": input.description,
            "stage": input.stage.map(|s| s.as_str()), "aliases": input.aliases,
            "artifact_uri": input.artifact_uri, "registered_at": input.registered_at,
            "registered_by": input.registered_by, "parameters": input.parameters,
            "source_key": p.key, "commit_id": p.commit,
        }));
        if outcome == Outcome::Unchanged {
            continue;
        }
        let key = format!("{organisation}/{}", card.name);
        let label = card.title.clone().unwrap_or_else(|| key.clone());
        let restored = same == Some(true);
        new_events.push(NewEvent {
            actor: actor.to_string(),
            kind: if outcome == Outcome::Created {
                "model_version.created"
            } else {
                "model_version.updated"
            },
            subject_kind: "model_version",
            subject: format!("{key}/{}", input.version),
            summary: match (outcome, restored) {
                (Outcome::Created, _) => format!("“{label}” version {} registered", input.version),
                (_, true) => format!(
                    "“{label}” version {} is listed again by its source",
                    input.version
                ),
                _ => format!("“{label}” version {} was updated", input.version),
            },
            workstreams: card.workstreams.clone(),
            organisations: vec![organisation.to_string()],
            visibility: parse_stored::<Visibility>("visibility", &card.visibility)?,
            payload: if restored {
                json!({"version": input.version, "restored": true})
            } else {
                json!({"version": input.version})
            },
        });
    }
    let (agent_id, source) = (
        versions[0].provenance.agent_id,
        &versions[0].provenance.source,
    );
    if !rows.is_empty() {
        let rows = Value::Array(rows);
        let written: Vec<(i64, i64, String)> = sqlx::query_as(
            "INSERT INTO model_versions (model_card_id, version, description, stage, aliases, artifact_uri, \
             registered_at, registered_by, parameters, origin, agent_id, source, source_key, commit_id, \
             synced_at, withdrawn_at) \
             SELECT r.card, r.version, r.description, r.stage, \
               CASE WHEN r.aliases IS NULL OR r.aliases = '[]' THEN '{}'::text[] \
                 ELSE ARRAY(SELECT jsonb_array_elements_text(r.aliases)) END, r.artifact_uri, \
               r.registered_at, r.registered_by, coalesce(r.parameters, '{}'), 'agent', $1, $2, r.source_key, \
               r.commit_id, now(), NULL \
             FROM jsonb_to_recordset($3) AS r(n bigint, card bigint, version text, description text, stage text, \
               aliases jsonb, artifact_uri text, registered_at timestamptz, registered_by text, parameters jsonb, \
               source_key text, commit_id text) ORDER BY r.n \
             ON CONFLICT (model_card_id, version) DO UPDATE SET description = EXCLUDED.description, \
               stage = EXCLUDED.stage, aliases = EXCLUDED.aliases, artifact_uri = EXCLUDED.artifact_uri, \
               registered_at = EXCLUDED.registered_at, registered_by = EXCLUDED.registered_by, \
               parameters = EXCLUDED.parameters, origin = 'agent', agent_id = EXCLUDED.agent_id, \
               source = EXCLUDED.source, source_key = EXCLUDED.source_key, commit_id = EXCLUDED.commit_id, \
               synced_at = now(), withdrawn_at = NULL \
             RETURNING id, model_card_id, version",
        )
        .bind(agent_id)
        .bind(source)
        .bind(&rows)
        .fetch_all(&mut *conn)
        .await?;
        let ids: HashMap<(i64, &str), i64> = written
            .iter()
            .map(|(id, card, version)| ((*card, version.as_str()), *id))
            .collect();
        if replaced_any {
            let all_ids: Vec<i64> = ids.values().copied().collect();
            sqlx::query("DELETE FROM evaluation_results WHERE model_version_id = ANY($1)")
                .bind(&all_ids)
                .execute(&mut *conn)
                .await?;
        }
        let mut r = ResultColumns::default();
        for (card, input) in &written_inputs {
            let Some(id) = ids.get(&(*card, input.version.as_str())) else {
                continue;
            };
            for (position, e) in input.results.iter().enumerate() {
                r.version_id.push(*id);
                r.position.push(i16::try_from(position).unwrap_or(i16::MAX));
                r.metric.push(e.metric.clone());
                r.value.push(e.value);
                r.dataset.push(e.dataset.clone());
                r.split.push(e.split.clone());
            }
        }
        if !r.version_id.is_empty() {
            sqlx::query(
                "INSERT INTO evaluation_results (model_version_id, position, metric, value, dataset, split) \
                 SELECT * FROM unnest($1::bigint[], $2::smallint[], $3::text[], $4::float8[], $5::text[], $6::text[])",
            )
            .bind(&r.version_id)
            .bind(&r.position)
            .bind(&r.metric)
            .bind(&r.value)
            .bind(&r.dataset)
            .bind(&r.split)
            .execute(&mut *conn)
            .await?;
        }
    }
    events::append_many(&mut *conn, &new_events).await?;
    Ok(results)
}
