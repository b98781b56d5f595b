//! Model cards and versions sent by an agent, saved a batch at a time: the same rules and
//! events as [`crate::db::models::save_card`] and [`crate::db::models::save_version`] with
//! `SaveMode::Upsert` and a provenance, in a handful of statements per batch instead of a
//! dozen per item (a first sync brings thousands of versions).

use std::collections::HashMap;

use agora_schemas::ModelCardInput;
use serde_json::{Value, json};
use sqlx::{FromRow, PgConnection};

use crate::db::Outcome;
use crate::db::events::{self, NewEvent};
use crate::db::models::{CardRow, Columns, select_cards};
use crate::db::provenance::{Stored, SyncProvenance};
use crate::error::{Error, Result};
use crate::policy::Caller;

/// An item of the batch, with its provenance.
pub struct Sent<'a, T> {
    pub input: &'a T,
    pub provenance: SyncProvenance,
}

/// What became of each item, in the order given: an outcome, or a refusal (field, reason).
pub type Results = Vec<std::result::Result<Outcome, (String, String)>>;

#[derive(FromRow)]
struct StoredRow {
    name: String,
    agent_id: Option<i64>,
    source: Option<String>,
    source_key: Option<String>,
    commit_id: Option<String>,
    withdrawn: bool,
}

fn stored(r: &StoredRow) -> Stored {
    Stored {
        agent_id: r.agent_id,
        source: r.source.clone(),
        source_key: r.source_key.clone(),
        commit_id: r.commit_id.clone(),
        withdrawn: r.withdrawn,
    }
}

/// Decides what to do with an item given what is stored: `None` when nothing changes.
pub(super) fn plan(
    same_spec: Option<bool>,
    stored: Option<&Stored>,
    p: &SyncProvenance,
) -> Option<Outcome> {
    match (same_spec, stored) {
        (None, _) | (_, None) => Some(Outcome::Created),
        (Some(true), Some(s)) if s.matches(p) => None,
        // Same content, new provenance: restamped; listed again if it had been withdrawn.
        (Some(true), Some(s)) => Some(if s.withdrawn {
            Outcome::Updated
        } else {
            Outcome::Unchanged
        }),
        (Some(false), _) => Some(Outcome::Updated),
    }
}

/// Workstream slugs of each project the organisation's cards may link to, by project slug:
/// public projects and the organisation's own (those its agent may read and write). Any
/// other slug is refused as one that does not exist.
async fn projects(
    conn: &mut PgConnection,
    organisation: &str,
    slugs: &[String],
) -> Result<HashMap<String, (i64, Vec<String>)>> {
    let rows: Vec<(String, i64, Vec<String>)> = sqlx::query_as(
        "SELECT p.slug::text, p.id, ARRAY(SELECT w.slug::text FROM project_workstreams pw \
         JOIN workstreams w ON w.id = pw.workstream_id WHERE pw.project_id = p.id ORDER BY w.slug) \
         FROM projects p WHERE p.slug = ANY($1) AND (p.visibility = 'public' OR EXISTS ( \
           SELECT 1 FROM project_organisations po JOIN organisations o ON o.id = po.organisation_id \
           WHERE po.project_id = p.id AND o.slug = $2))",
    )
    .bind(slugs)
    .bind(organisation)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(s, id, ws)| (s, (id, ws))).collect())
}

/// Saves the cards of one organisation.
pub async fn save_cards(
    conn: &mut PgConnection,
    organisation: &str,
    actor: &str,
    cards: &[Sent<'_, ModelCardInput>],
) -> Result<Results> {
    if cards.is_empty() {
        return Ok(vec![]);
    }
    let org_id: i64 = sqlx::query_scalar("SELECT id FROM organisations WHERE slug = $1")
        .bind(organisation)
        .fetch_one(&mut *conn)
        .await?;
    let names: Vec<String> = cards.iter().map(|c| c.input.name.to_string()).collect();
    let mut qb = select_cards(&Caller::system());
    qb.push("o.slug = ")
        .push_bind(organisation.to_string())
        .push(" AND m.name = ANY(")
        .push_bind(names.clone())
        .push(")");
    let current: HashMap<String, ModelCardInput> = qb
        .build_query_as::<CardRow>()
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| r.into_card().map(|c| (c.spec.name.to_string(), c.spec)))
        .collect::<Result<_>>()?;
    let provenance: HashMap<String, StoredRow> = sqlx::query_as::<_, StoredRow>(
        "SELECT name::text, agent_id, source, source_key, commit_id, \
         withdrawn_at IS NOT NULL AS withdrawn FROM model_cards WHERE organisation_id = $1 AND name = ANY($2)",
    )
    .bind(org_id)
    .bind(&names)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.name.clone(), r))
    .collect();
    let project_slugs: Vec<String> = cards
        .iter()
        .filter_map(|c| c.input.project.as_ref().map(|p| p.to_string()))
        .collect();
    let projects = projects(conn, organisation, &project_slugs).await?;

    let mut results = Vec::with_capacity(cards.len());
    let mut rows = Vec::new();
    let mut new_events = Vec::new();
    for c in cards {
        let input = c.input;
        let key = format!("{organisation}/{}", input.name);
        let project = match &input.project {
            Some(slug) => match projects.get(slug.as_str()) {
                Some(p) => Some(p),
                None => {
                    results.push(Err(("project".to_string(), format!("no project `{slug}`"))));
                    continue;
                }
            },
            None => None,
        };
        let before = provenance.get(input.name.as_str()).map(stored);
        let same = current.get(input.name.as_str()).map(|c| c == input);
        let Some(outcome) = plan(same, before.as_ref(), &c.provenance) else {
            results.push(Ok(Outcome::Unchanged));
            continue;
        };
        results.push(Ok(outcome));
        let p = &c.provenance;
        let mut row = serde_json::to_value(input).map_err(|e| Error::Internal(e.to_string()))?;
        let columns = Columns::of(input)?;
        row["project_id"] = json!(project.map(|p| p.0));
        row["model_index"] = json!(input.model_index);
        row["task"] = json!(columns.task);
        row["language"] = json!(columns.language);
        row["tags"] = json!(columns.tags);
        row["datasets"] = json!(columns.datasets);
        row["metrics"] = json!(columns.metrics);
        row["base_model"] = json!(columns.base_model);
        row["metadata"] = columns.metadata;
        row["warnings"] = columns.warnings;
        row["visibility"] = json!(input.visibility.as_str());
        row["source_key"] = json!(p.key);
        row["commit_id"] = json!(p.commit);
        rows.push(row);
        let label = input.title.clone().unwrap_or_else(|| key.clone());
        let restored = same == Some(true);
        if outcome == Outcome::Unchanged {
            continue;
        }
        new_events.push(NewEvent {
            actor: actor.to_string(),
            kind: if outcome == Outcome::Created {
                "model.created"
            } else {
                "model.updated"
            },
            subject_kind: "model",
            subject: key,
            summary: match (outcome, restored) {
                (Outcome::Created, _) => format!("New model card “{label}”"),
                (_, true) => format!("Model card “{label}” is listed again by its source"),
                _ => format!("Model card “{label}” was updated"),
            },
            workstreams: project.map(|p| p.1.clone()).unwrap_or_default(),
            organisations: vec![organisation.to_string()],
            visibility: input.visibility,
            payload: if restored {
                json!({"restored": true})
            } else {
                json!({})
            },
        });
    }
    let (agent_id, source) = (cards[0].provenance.agent_id, &cards[0].provenance.source);
    if !rows.is_empty() {
        sqlx::query(
            "INSERT INTO model_cards (organisation_id, name, title, summary, project_id, task, pipeline_tag, \
             library_name, license, language, tags, datasets, metrics, base_model, model_index, intended_use, \
             training_data, limitations, ethical_considerations, body, text_language, visibility, metadata, warnings, \
             origin, agent_id, source, source_key, commit_id, synced_at, withdrawn_at) \
             SELECT $1, r.name, r.title, r.summary, r.project_id, r.task, r.pipeline_tag, r.library_name, r.license, \
               ARRAY(SELECT jsonb_array_elements_text(coalesce(r.language, '[]'))), \
               ARRAY(SELECT jsonb_array_elements_text(coalesce(r.tags, '[]'))), \
               ARRAY(SELECT jsonb_array_elements_text(coalesce(r.datasets, '[]'))), \
               ARRAY(SELECT jsonb_array_elements_text(coalesce(r.metrics, '[]'))), \
               r.base_model, coalesce(r.model_index, '[]'), r.intended_use, r.training_data, r.limitations, \
               r.ethical_considerations, r.body, r.text_language, r.visibility, r.metadata, coalesce(r.warnings, '[]'), \
               'agent', $2, $3, r.source_key, r.commit_id, now(), NULL \
             FROM jsonb_to_recordset($4) AS r(name text, title text, summary text, project_id bigint, task text, \
               pipeline_tag text, library_name text, license text, language jsonb, tags jsonb, datasets jsonb, \
               metrics jsonb, base_model text, model_index jsonb, intended_use text, training_data text, \
               limitations text, ethical_considerations text, body text, text_language text, visibility text, \
               metadata jsonb, warnings jsonb, source_key text, commit_id text) \
             ON CONFLICT (organisation_id, name) DO UPDATE SET title = EXCLUDED.title, summary = EXCLUDED.summary, \
               project_id = EXCLUDED.project_id, task = EXCLUDED.task, pipeline_tag = EXCLUDED.pipeline_tag, \
               library_name = EXCLUDED.library_name, license = EXCLUDED.license, language = EXCLUDED.language, \
               tags = EXCLUDED.tags, datasets = EXCLUDED.datasets, metrics = EXCLUDED.metrics, \
               base_model = EXCLUDED.base_model, model_index = EXCLUDED.model_index, \
               intended_use = EXCLUDED.intended_use, training_data = EXCLUDED.training_data, \
               limitations = EXCLUDED.limitations, ethical_considerations = EXCLUDED.ethical_considerations, \
               body = EXCLUDED.body, text_language = EXCLUDED.text_language, visibility = EXCLUDED.visibility, \
               metadata = EXCLUDED.metadata, warnings = EXCLUDED.warnings, origin = 'agent', \
               agent_id = EXCLUDED.agent_id, source = EXCLUDED.source, source_key = EXCLUDED.source_key, \
               commit_id = EXCLUDED.commit_id, synced_at = now(), withdrawn_at = NULL",
        )
        .bind(org_id)
        .bind(agent_id)
        .bind(source)
        .bind(Value::Array(rows))
        .execute(&mut *conn)
        .await?;
    }
    events::append_many(&mut *conn, &new_events).await?;
    Ok(results)
}
