//! Asking for a benchmark run: the model version it evaluates, its jobs (one per
//! organisation taking part) and its event.

use agora_schemas::{Benchmark, ModelRef, RunInput, Visibility};
use sqlx::{PgConnection, QueryBuilder};

use crate::db::events::{self, NewEvent};
use crate::db::parse_stored;
use crate::error::{Error, Result};
use crate::policy::Caller;
use crate::policy::read::narrowest;

/// A model version a caller may see, with what events about it need.
pub struct VersionFound {
    pub id: i64,
    pub visibility: Visibility,
}

/// The model version named by `model`, if it exists and the caller may see it.
pub async fn find_version(
    conn: &mut PgConnection,
    caller: &Caller,
    model: &ModelRef,
) -> Result<Option<VersionFound>> {
    let mut qb = QueryBuilder::new(
        "SELECT mv.id, mc.visibility::text FROM model_versions mv \
         JOIN model_cards mc ON mc.id = mv.model_card_id \
         JOIN organisations mo ON mo.id = mc.organisation_id WHERE ",
    );
    caller.push_can_read(&mut qb, "mc.visibility", "ARRAY[mo.slug::text]");
    qb.push(" AND mo.slug = ")
        .push_bind(model.organisation.to_string())
        .push(" AND mc.name = ")
        .push_bind(model.name.to_string())
        .push(" AND mv.version = ")
        .push_bind(model.version.clone());
    let row: Option<(i64, String)> = qb.build_query_as().fetch_optional(&mut *conn).await?;
    row.map(|(id, v)| {
        Ok(VersionFound {
            id,
            visibility: parse_stored("visibility", &v)?,
        })
    })
    .transpose()
}

/// Who an event about a run of `benchmark` for a model of `visibility` reaches.
pub fn run_event(
    kind: &'static str,
    benchmark: &Benchmark,
    model: &ModelRef,
    model_visibility: Visibility,
    actor: &str,
    summary: String,
    payload: serde_json::Value,
) -> NewEvent {
    let participants: Vec<String> = benchmark
        .spec
        .participants
        .iter()
        .map(|p| p.organisation.to_string())
        .collect();
    let model_owner = vec![model.organisation.to_string()];
    let (visibility, organisations) = narrowest(
        (benchmark.spec.visibility, &participants),
        (model_visibility, &model_owner),
    );
    let subject_kind = if kind.starts_with("benchmark_result") {
        "benchmark_result"
    } else {
        "benchmark_run"
    };
    NewEvent {
        actor: actor.to_string(),
        kind,
        subject_kind,
        subject: payload["subject"].as_str().unwrap_or_default().to_string(),
        summary,
        workstreams: benchmark
            .spec
            .workstreams
            .iter()
            .map(|w| w.to_string())
            .collect(),
        organisations,
        visibility,
        payload,
    }
}

/// Creates a run and its jobs (one per organisation, queued), announces them to waiting
/// agents and records an event. `organisations` are checked to take part.
#[allow(clippy::too_many_arguments)]
pub async fn create(
    conn: &mut PgConnection,
    caller: &Caller,
    benchmark_id: i64,
    benchmark: &Benchmark,
    input: &RunInput,
    max_attempts: u32,
    demo: bool,
) -> Result<i64> {
    let version = find_version(conn, caller, &input.model)
        .await?
        .ok_or_else(|| {
            Error::invalid(
                "model.version",
                format!(
                    "no version `{}` of model `{}/{}` that you may see",
                    input.model.version, input.model.organisation, input.model.name
                ),
            )
        })?;
    let participants = &benchmark.spec.participants;
    let chosen: Vec<&agora_schemas::Participant> = if input.organisations.is_empty() {
        participants.iter().collect()
    } else {
        input
            .organisations
            .iter()
            .enumerate()
            .map(|(i, o)| {
                participants
                    .iter()
                    .find(|p| &p.organisation == o)
                    .ok_or_else(|| {
                        Error::invalid(
                            format!("organisations[{i}]"),
                            format!(
                                "`{o}` does not take part in benchmark `{}`",
                                benchmark.spec.slug
                            ),
                        )
                    })
            })
            .collect::<Result<_>>()?
    };
    let parameters = serde_json::to_value(&input.parameters)
        .map_err(|e| Error::Internal(format!("parameters: {e}")))?;
    let run_id: i64 = sqlx::query_scalar(
        "INSERT INTO benchmark_runs (benchmark_id, model_version_id, parameters, created_by, demo) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(benchmark_id)
    .bind(version.id)
    .bind(parameters)
    .bind(&caller.actor)
    .bind(demo)
    .fetch_one(&mut *conn)
    .await?;
    let orgs: Vec<&str> = chosen.iter().map(|p| p.organisation.as_str()).collect();
    let datasets: Vec<&str> = chosen.iter().map(|p| p.dataset.as_str()).collect();
    let m = &input.model;
    let payload = serde_json::json!({
        "subject": run_id.to_string(), "run": run_id, "benchmark": benchmark.spec.slug,
        "model": format!("{}/{}", m.organisation, m.name), "version": m.version,
        "organisations": orgs,
    });
    let summary = format!(
        "{} started a run of {} on {}/{} version {} at {}",
        caller.actor,
        benchmark.spec.title,
        m.organisation,
        m.name,
        m.version,
        orgs.join(", ")
    );
    events::append(
        &mut *conn,
        &run_event(
            "benchmark_run.created",
            benchmark,
            m,
            version.visibility,
            &caller.actor,
            summary,
            payload,
        ),
    )
    .await?;
    // The jobs last, so the time they are queued at is close to the commit.
    let r = &benchmark.spec.resources;
    let needs_images = benchmark.spec.command.is_none();
    sqlx::query(
        "INSERT INTO benchmark_jobs (run_id, organisation_id, dataset, needs_gpus, needs_gpu_type, \
                                     needs_images, max_attempts, state, queued_at) \
         SELECT $1, o.id, t.ds, $4, $5, $6, $7, CASE WHEN $8 THEN 'succeeded' ELSE 'queued' END, \
                clock_timestamp() \
         FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(org, ds, n) \
         JOIN organisations o ON o.slug = t.org ORDER BY t.n",
    )
    .bind(run_id)
    .bind(&orgs)
    .bind(&datasets)
    .bind(i32::try_from(r.gpus).unwrap_or(i32::MAX))
    .bind(&r.gpu_type)
    .bind(needs_images)
    .bind(i32::try_from(max_attempts).unwrap_or(i32::MAX))
    .bind(demo)
    .execute(&mut *conn)
    .await?;
    if !demo {
        let orgs: Vec<String> = orgs.iter().map(|o| o.to_string()).collect();
        crate::db::jobs::notify(&mut *conn, &orgs).await?;
    }
    Ok(run_id)
}
