//! Model versions and their evaluation results.

use std::collections::HashMap;

use agora_schemas::{EvaluationResult, ModelVersion, ModelVersionInput, Provenance, Visibility};
use chrono::{DateTime, SubsecRound, Utc};
use sqlx::{AssertSqlSafe, FromRow, PgConnection, Postgres, QueryBuilder};

use super::get;
use super::save::workstreams_of_project;
use crate::db::events::{self, NewEvent};
use crate::db::provenance::{self, Stored, SyncProvenance, Table, agent_label};
use crate::db::{Outcome, PageRequest, SaveMode, parse_stored};
use crate::error::{Error, Result};
use crate::policy::Caller;

#[derive(FromRow)]
struct VersionRow {
    id: i64,
    version: String,
    description: Option<String>,
    stage: Option<String>,
    aliases: Vec<String>,
    artifact_uri: Option<String>,
    registered_at: Option<DateTime<Utc>>,
    registered_by: Option<String>,
    parameters: serde_json::Value,
    origin: String,
    agent: Option<String>,
    source: Option<String>,
    commit_id: Option<String>,
    synced_at: Option<DateTime<Utc>>,
    withdrawn_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(FromRow)]
struct ResultRow {
    model_version_id: i64,
    metric: String,
    value: f64,
    dataset: String,
    split: Option<String>,
}

/// The evaluation results of these versions, by version id, each in its stored order.
pub(crate) async fn results_of(
    conn: &mut PgConnection,
    version_ids: &[i64],
) -> Result<HashMap<i64, Vec<EvaluationResult>>> {
    let rows: Vec<ResultRow> = sqlx::query_as(
        "SELECT model_version_id, metric, value, dataset, split FROM evaluation_results \
         WHERE model_version_id = ANY($1) ORDER BY model_version_id, position",
    )
    .bind(version_ids)
    .fetch_all(&mut *conn)
    .await?;
    let mut by_version: HashMap<i64, Vec<EvaluationResult>> = HashMap::new();
    for r in rows {
        by_version
            .entry(r.model_version_id)
            .or_default()
            .push(EvaluationResult {
                metric: r.metric,
                value: r.value,
                dataset: r.dataset,
                split: r.split,
            });
    }
    Ok(by_version)
}

/// One page of the versions of a card the caller may see, newest first, and how many
/// there are in all.
pub async fn versions_page(
    conn: &mut PgConnection,
    caller: &Caller,
    organisation: &str,
    name: &str,
    page: PageRequest,
) -> Result<Option<(Vec<ModelVersion>, i64)>> {
    let Some(items) = versions_within(conn, caller, organisation, name, None, Some(page)).await?
    else {
        return Ok(None);
    };
    let total: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM model_versions v \
         JOIN model_cards m ON m.id = v.model_card_id JOIN organisations o ON o.id = m.organisation_id \
         WHERE o.slug = $1 AND m.name = $2",
    )
    .bind(organisation)
    .bind(name)
    .fetch_one(&mut *conn)
    .await?;
    Ok(Some((items, total)))
}

/// Versions of a card the caller may see, newest first; `only` picks one version.
pub async fn versions(
    conn: &mut PgConnection,
    caller: &Caller,
    organisation: &str,
    name: &str,
    only: Option<&str>,
) -> Result<Option<Vec<ModelVersion>>> {
    versions_within(conn, caller, organisation, name, only, None).await
}

async fn versions_within(
    conn: &mut PgConnection,
    caller: &Caller,
    organisation: &str,
    name: &str,
    only: Option<&str>,
    page: Option<PageRequest>,
) -> Result<Option<Vec<ModelVersion>>> {
    let Some(card) = get(conn, caller, organisation, name).await? else {
        return Ok(None);
    };
    let rows: Vec<VersionRow> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT v.id, v.version, v.description, v.stage, v.aliases, v.artifact_uri, v.registered_at, \
         v.registered_by, v.parameters, v.origin::text, {} AS agent, v.source, v.commit_id, v.synced_at, \
         v.withdrawn_at, v.created_at, v.updated_at FROM model_versions v \
         JOIN model_cards m ON m.id = v.model_card_id JOIN organisations o ON o.id = m.organisation_id \
         WHERE o.slug = $1 AND m.name = $2 AND ($3::text IS NULL OR v.version = $3) \
         ORDER BY v.registered_at DESC NULLS LAST, v.id DESC LIMIT $4 OFFSET $5",
        agent_label("v")
    )))
    .bind(organisation)
    .bind(name)
    .bind(only)
    .bind(page.map(|p| p.limit()))
    .bind(page.map_or(0, |p| p.offset()))
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut results = results_of(conn, &ids).await?;
    rows.into_iter()
        .map(|r| {
            Ok(ModelVersion {
                organisation: card.spec.organisation.clone(),
                model: card.spec.name.clone(),
                spec: ModelVersionInput {
                    version: r.version,
                    description: r.description,
                    stage: r.stage.map(|s| parse_stored("stage", &s)).transpose()?,
                    aliases: r.aliases,
                    artifact_uri: r.artifact_uri,
                    registered_at: r.registered_at,
                    registered_by: r.registered_by,
                    parameters: serde_json::from_value(r.parameters).map_err(|e| {
                        Error::Internal(format!("stored parameters are unreadable: {e}"))
                    })?,
                    results: results.remove(&r.id).unwrap_or_default(),
                },
                provenance: Provenance {
                    origin: parse_stored("origin", &r.origin)?,
                    agent: r.agent,
                    source: r.source,
                    commit: r.commit_id,
                    synced_at: r.synced_at,
                    withdrawn: r.withdrawn_at.is_some(),
                },
                created_at: r.created_at,
                updated_at: r.updated_at,
            })
        })
        .collect::<Result<Vec<_>>>()
        .map(Some)
}

/// `input` as PostgreSQL keeps it: timestamps to the microsecond. Saving a finer
/// `registered_at` than is stored is not a change.
fn as_stored(input: &ModelVersionInput) -> ModelVersionInput {
    let mut stored = input.clone();
    stored.registered_at = stored.registered_at.map(|at| at.trunc_subsecs(6));
    stored
}

/// Creates or replaces a version of an existing card, with its evaluation results. With
/// `provenance`, the version is stamped as sent by that agent's source.
pub async fn save_version(
    conn: &mut PgConnection,
    organisation: &str,
    name: &str,
    input: &ModelVersionInput,
    actor: &str,
    mode: SaveMode,
    provenance: Option<&SyncProvenance>,
) -> Result<(ModelVersion, Outcome)> {
    let key = format!("{organisation}/{name}");
    let card: Option<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT m.id, m.visibility::text, m.title, p.slug::text FROM model_cards m \
         JOIN organisations o ON o.id = m.organisation_id LEFT JOIN projects p ON p.id = m.project_id \
         WHERE o.slug = $1 AND m.name = $2 FOR UPDATE OF m",
    )
    .bind(organisation)
    .bind(name)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((card_id, visibility, title, project)) = card else {
        return Err(Error::NotFound(format!("model `{key}`")));
    };
    let current = versions(
        conn,
        &Caller::system(),
        organisation,
        name,
        Some(&input.version),
    )
    .await?
    .and_then(|mut v| v.pop());
    let visibility = parse_stored::<Visibility>("visibility", &visibility)?;
    let label = title.unwrap_or_else(|| key.clone());
    if let (Some(c), Some(p)) = (&current, provenance)
        && c.spec == *input
    {
        let id: i64 = sqlx::query_scalar(
            "SELECT id FROM model_versions WHERE model_card_id = $1 AND version = $2",
        )
        .bind(card_id)
        .bind(&input.version)
        .fetch_one(&mut *conn)
        .await?;
        let stored = Stored::read(conn, Table::ModelVersions, id).await?;
        if stored.matches(p) {
            return Ok((c.clone(), Outcome::Unchanged));
        }
        provenance::stamp(conn, Table::ModelVersions, id, &stored, p).await?;
        let outcome = if stored.withdrawn {
            let workstreams = workstreams_of_project(conn, project.as_deref()).await?;
            events::append(
                &mut *conn,
                &NewEvent {
                    actor: actor.to_string(),
                    kind: "model_version.updated",
                    subject_kind: "model_version",
                    subject: format!("{key}/{}", input.version),
                    summary: format!(
                        "“{label}” version {} is listed again by its source",
                        input.version
                    ),
                    workstreams,
                    organisations: vec![organisation.to_string()],
                    visibility,
                    payload: serde_json::json!({ "version": input.version, "restored": true }),
                },
            )
            .await?;
            Outcome::Updated
        } else {
            Outcome::Unchanged
        };
        let saved = versions(
            conn,
            &Caller::system(),
            organisation,
            name,
            Some(&input.version),
        )
        .await?
        .and_then(|mut v| v.pop())
        .ok_or_else(|| Error::Internal("model version vanished after save".into()))?;
        return Ok((saved, outcome));
    }
    let what = format!("version {} of model `{key}`", input.version);
    let stored = as_stored(input);
    let Some(outcome) = mode.outcome(current.as_ref(), |c| c.spec == stored, "version", &what)?
    else {
        return current
            .map(|c| (c, Outcome::Unchanged))
            .ok_or_else(|| Error::Internal(what));
    };
    let parameters =
        serde_json::to_value(&input.parameters).map_err(|e| Error::Internal(e.to_string()))?;
    let version_id: i64 = sqlx::query_scalar(
        "INSERT INTO model_versions (model_card_id, version, description, stage, aliases, artifact_uri, \
         registered_at, registered_by, parameters) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (model_card_id, version) DO UPDATE SET description = EXCLUDED.description, \
         stage = EXCLUDED.stage, aliases = EXCLUDED.aliases, artifact_uri = EXCLUDED.artifact_uri, \
         registered_at = EXCLUDED.registered_at, registered_by = EXCLUDED.registered_by, \
         parameters = EXCLUDED.parameters RETURNING id",
    )
    .bind(card_id)
    .bind(&input.version)
    .bind(&input.description)
    .bind(input.stage.map(|s| s.as_str()))
    .bind(&input.aliases)
    .bind(&input.artifact_uri)
    .bind(input.registered_at)
    .bind(&input.registered_by)
    .bind(parameters)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM evaluation_results WHERE model_version_id = $1")
        .bind(version_id)
        .execute(&mut *conn)
        .await?;
    if !input.results.is_empty() {
        let mut qb: QueryBuilder<Postgres> = QueryBuilder::new(
            "INSERT INTO evaluation_results (model_version_id, position, metric, value, dataset, split) ",
        );
        qb.push_values(input.results.iter().enumerate(), |mut row, (i, r)| {
            row.push_bind(version_id)
                .push_bind(i as i16)
                .push_bind(r.metric.clone())
                .push_bind(r.value)
                .push_bind(r.dataset.clone())
                .push_bind(r.split.clone());
        });
        qb.build().execute(&mut *conn).await?;
    }
    let workstreams = workstreams_of_project(conn, project.as_deref()).await?;
    events::append(
        &mut *conn,
        &NewEvent {
            actor: actor.to_string(),
            kind: if outcome == Outcome::Created {
                "model_version.created"
            } else {
                "model_version.updated"
            },
            subject_kind: "model_version",
            subject: format!("{key}/{}", input.version),
            summary: if outcome == Outcome::Created {
                format!("“{label}” version {} registered", input.version)
            } else {
                format!("“{label}” version {} was updated", input.version)
            },
            workstreams,
            organisations: vec![organisation.to_string()],
            visibility,
            payload: serde_json::json!({ "version": input.version }),
        },
    )
    .await?;
    if let Some(p) = provenance {
        let stored = match current {
            Some(_) => Stored::read(conn, Table::ModelVersions, version_id).await?,
            None => Stored::default(),
        };
        provenance::stamp(conn, Table::ModelVersions, version_id, &stored, p).await?;
    }
    let saved = versions(
        conn,
        &Caller::system(),
        organisation,
        name,
        Some(&input.version),
    )
    .await?
    .and_then(|mut v| v.pop())
    .ok_or_else(|| Error::Internal("model version vanished after save".into()))?;
    Ok((saved, outcome))
}
