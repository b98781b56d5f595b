//! The demo data set: a realistic picture of the UNECE Machine Learning group's work,
//! shipped as YAML in `hub/demo/` and loaded idempotently by `agora-hub seed-demo`.

mod assessments;
mod digests;

use std::collections::BTreeMap;
use std::fmt;

use agora_schemas::decode::from_yaml;
use agora_schemas::{
    BenchmarkInput, Email, ExecutorKind, FieldError, Hardware, JobState, MembershipInput,
    ModelCardInput, ModelRef, ModelVersionInput, OrganisationInput, ProjectInput, RunInput, Slug,
    Validate, WorkstreamInput,
};
use serde::Deserialize;
use sqlx::PgPool;

use crate::db::{self, Outcome, SaveMode};
use crate::error::{Error, Result};
use crate::policy::Caller;

const ORGANISATIONS: &str = include_str!("../demo/organisations.yaml");
const USERS: &str = include_str!("../demo/users.yaml");
const WORKSTREAMS: &str = include_str!("../demo/workstreams.yaml");
const MEMBERSHIPS: &str = include_str!("../demo/memberships.yaml");
const PROJECTS: &str = include_str!("../demo/projects.yaml");
const MODELS: &str = include_str!("../demo/models.yaml");
const BENCHMARKS: &str = include_str!("../demo/benchmarks.yaml");
const ASSESSMENTS: &str = include_str!("../demo/assessments.yaml");

pub use assessments::DemoAssessment;

/// Who changes things when the demo data is loaded.
const ACTOR: &str = "seed-demo";

/// A demo person.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoUser {
    pub email: Email,
    pub name: String,
    pub organisation: Slug,
    /// Where the person's digest weeks are cut (an IANA time zone).
    pub time_zone: String,
}

impl Validate for DemoUser {
    fn validate(&self) -> Result<(), FieldError> {
        agora_schemas::validate::text("name", &self.name, 200)?;
        crate::digest::period::parse_time_zone(&self.time_zone)
            .map(|_| ())
            .map_err(|e| FieldError::new("time_zone", e))
    }
}

/// A demo model card with its versions.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoModel {
    pub card: ModelCardInput,
    #[serde(default)]
    pub versions: Vec<ModelVersionInput>,
}

impl Validate for DemoModel {
    fn validate(&self) -> Result<(), FieldError> {
        let nested = |prefix: &str, e: FieldError| {
            FieldError::new(format!("{prefix}.{}", e.field), e.message)
        };
        self.card.validate().map_err(|e| nested("card", e))?;
        self.versions.validate().map_err(|e| nested("versions", e))
    }
}

/// A result recorded as demo data: on a real hub it comes from an agent's job.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoResult {
    pub model: ModelRef,
    pub organisation: Slug,
    pub metrics: BTreeMap<String, f64>,
    /// The agent shown as having produced it, `<organisation>/<name>`.
    pub agent: String,
    pub executor: ExecutorKind,
    #[serde(default)]
    pub hardware: Option<Hardware>,
}

/// A demo benchmark with its recorded results.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoBenchmark {
    pub benchmark: BenchmarkInput,
    #[serde(default)]
    pub results: Vec<DemoResult>,
}

impl Validate for DemoBenchmark {
    fn validate(&self) -> Result<(), FieldError> {
        self.benchmark
            .validate()
            .map_err(|e| FieldError::new(format!("benchmark.{}", e.field), e.message))?;
        for (i, r) in self.results.iter().enumerate() {
            let field = |f: &str| format!("results[{i}].{f}");
            if !self
                .benchmark
                .participants
                .iter()
                .any(|p| p.organisation == r.organisation)
            {
                return Err(FieldError::new(field("organisation"), "does not take part"));
            }
            if !r.metrics.contains_key(&self.benchmark.primary_metric) {
                return Err(FieldError::new(
                    field("metrics"),
                    "lacks the primary metric",
                ));
            }
            if let Some(name) = r
                .metrics
                .keys()
                .find(|k| !self.benchmark.metrics.iter().any(|m| &m.name == *k))
            {
                return Err(FieldError::new(
                    field(&format!("metrics.{name}")),
                    "is not a metric of the benchmark",
                ));
            }
        }
        Ok(())
    }
}

/// The whole demo data set, parsed and validated.
pub struct DemoData {
    pub organisations: Vec<OrganisationInput>,
    pub users: Vec<DemoUser>,
    pub workstreams: Vec<WorkstreamInput>,
    pub memberships: Vec<MembershipInput>,
    pub projects: Vec<ProjectInput>,
    pub models: Vec<DemoModel>,
    pub benchmarks: Vec<DemoBenchmark>,
    pub assessments: Vec<DemoAssessment>,
}

fn parse<T: serde::de::DeserializeOwned + Validate>(file: &str, text: &str) -> Result<T> {
    from_yaml(text).map_err(|e| Error::Demo(format!("hub/demo/{file}: {e}")))
}

impl DemoData {
    /// Parses the shipped files; every element is checked against the schemas.
    pub fn load() -> Result<Self> {
        Ok(Self {
            organisations: parse("organisations.yaml", ORGANISATIONS)?,
            users: parse("users.yaml", USERS)?,
            workstreams: parse("workstreams.yaml", WORKSTREAMS)?,
            memberships: parse("memberships.yaml", MEMBERSHIPS)?,
            projects: parse("projects.yaml", PROJECTS)?,
            models: parse("models.yaml", MODELS)?,
            benchmarks: parse("benchmarks.yaml", BENCHMARKS)?,
            assessments: parse("assessments.yaml", ASSESSMENTS)?,
        })
    }
}

/// Counts of what one kind of record did during seeding.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl Tally {
    fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Created => self.created += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
        }
    }
}

/// What seeding did, per kind of record.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SeedReport {
    pub rows: Vec<(&'static str, Tally)>,
}

impl SeedReport {
    /// Records written (created or updated) across all kinds.
    pub fn changed(&self) -> usize {
        self.rows.iter().map(|(_, t)| t.created + t.updated).sum()
    }
}

impl fmt::Display for SeedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<16} {:>8} {:>8} {:>10}",
            "", "created", "updated", "unchanged"
        )?;
        for (kind, t) in &self.rows {
            writeln!(
                f,
                "{kind:<16} {:>8} {:>8} {:>10}",
                t.created, t.updated, t.unchanged
            )?;
        }
        Ok(())
    }
}

/// Loads the demo data in one transaction: all of it, or nothing.
pub async fn seed(db: &PgPool) -> Result<SeedReport> {
    let data = DemoData::load()?;
    let mut tx = db.begin().await?;
    let mut report = SeedReport::default();

    let mut tally = Tally::default();
    for org in &data.organisations {
        tally.add(
            db::organisations::save(&mut tx, org, ACTOR, SaveMode::Upsert)
                .await?
                .1,
        );
    }
    report.rows.push(("organisations", tally));

    let mut tally = Tally::default();
    for user in &data.users {
        tally.add(
            db::users::upsert(&mut tx, &user.email, &user.name, Some(&user.organisation)).await?,
        );
    }
    report.rows.push(("people", tally));

    let mut tally = Tally::default();
    for ws in &data.workstreams {
        tally.add(
            db::workstreams::save(&mut tx, ws, ACTOR, SaveMode::Upsert)
                .await?
                .1,
        );
    }
    report.rows.push(("workstreams", tally));

    let mut tally = Tally::default();
    for m in &data.memberships {
        tally.add(db::memberships::save(&mut tx, m, ACTOR).await?.1);
    }
    report.rows.push(("memberships", tally));

    let mut tally = Tally::default();
    for p in &data.projects {
        tally.add(
            db::projects::save(&mut tx, p, ACTOR, SaveMode::Upsert, None)
                .await?
                .1,
        );
    }
    report.rows.push(("projects", tally));

    let mut cards = Tally::default();
    let mut versions = Tally::default();
    for m in &data.models {
        cards.add(
            db::models::save_card(&mut tx, &m.card, ACTOR, SaveMode::Upsert, None)
                .await?
                .1,
        );
        for v in &m.versions {
            let (_, outcome) = db::models::save_version(
                &mut tx,
                &m.card.organisation,
                &m.card.name,
                v,
                ACTOR,
                SaveMode::Upsert,
                None,
            )
            .await?;
            versions.add(outcome);
        }
    }
    report.rows.push(("model cards", cards));
    report.rows.push(("model versions", versions));

    let (benchmarks, results) = seed_benchmarks(&mut tx, &data.benchmarks).await?;
    report.rows.push(("benchmarks", benchmarks));
    // Each demo result comes with its run (one event each).
    report.rows.push(("benchmark runs", results));
    report.rows.push(("benchmark results", results));
    let mut tally = Tally::default();
    for a in &data.assessments {
        assessments::seed_one(&mut tx, a, &mut tally).await?;
    }
    report.rows.push(("assessments", tally));

    let mut tally = Tally::default();
    digests::seed(&mut tx, &data.users, &data.memberships, &mut tally).await?;
    report.rows.push(("digest readers", tally));

    tx.commit().await?;
    Ok(report)
}

/// Saves the demo benchmarks, and records each demo result once: through a run of one
/// job, marked as demo data, and the same recording path agents' results take. A demo
/// result already recorded (same benchmark, model version and organisation) is left alone,
/// even if its metrics changed in the file.
async fn seed_benchmarks(
    conn: &mut sqlx::PgConnection,
    benchmarks: &[DemoBenchmark],
) -> Result<(Tally, Tally)> {
    let caller = Caller {
        actor: ACTOR.into(),
        ..Caller::system()
    };
    let (mut saved, mut recorded) = (Tally::default(), Tally::default());
    for demo in benchmarks {
        let (benchmark, outcome) =
            db::benchmarks::save(conn, &demo.benchmark, ACTOR, SaveMode::Upsert).await?;
        saved.add(outcome);
        let (id, _) = db::benchmarks::find(conn, &caller, &benchmark.spec.slug)
            .await?
            .ok_or_else(|| Error::Demo("a saved benchmark reads back".into()))?;
        for r in &demo.results {
            let existing: Option<i64> = sqlx::query_scalar(
                "SELECT j.id FROM benchmark_runs r JOIN benchmark_jobs j ON j.run_id = r.id                  JOIN organisations o ON o.id = j.organisation_id                  JOIN model_versions mv ON mv.id = r.model_version_id                  JOIN model_cards mc ON mc.id = mv.model_card_id                  JOIN organisations mo ON mo.id = mc.organisation_id                  WHERE r.demo AND r.benchmark_id = $1 AND o.slug = $2 AND mo.slug = $3                    AND mc.name = $4 AND mv.version = $5",
            )
            .bind(id)
            .bind(r.organisation.as_str())
            .bind(r.model.organisation.as_str())
            .bind(r.model.name.as_str())
            .bind(&r.model.version)
            .fetch_optional(&mut *conn)
            .await?;
            if existing.is_some() {
                recorded.add(Outcome::Unchanged);
                continue;
            }
            let input = RunInput {
                model: r.model.clone(),
                organisations: vec![r.organisation.clone()],
                parameters: BTreeMap::new(),
            };
            let run_id = db::runs::create(conn, &caller, id, &benchmark, &input, 1, true).await?;
            let job_id: i64 = sqlx::query_scalar("SELECT id FROM benchmark_jobs WHERE run_id = $1")
                .bind(run_id)
                .fetch_one(&mut *conn)
                .await?;
            let hardware = r
                .hardware
                .as_ref()
                .map(serde_json::to_value)
                .transpose()
                .map_err(|e| Error::Demo(e.to_string()))?;
            let metrics =
                serde_json::to_value(&r.metrics).map_err(|e| Error::Demo(e.to_string()))?;
            let placement = db::jobs::Placement {
                executor: r.executor,
                external_id: None,
                hardware,
            };
            db::jobs::finish(
                conn,
                job_id,
                JobState::Succeeded,
                &placement,
                Some(metrics),
                None,
            )
            .await?;
            let producer = db::results::Producer {
                actor: ACTOR,
                agent: &r.agent,
                agent_id: None,
                executor: r.executor,
                hardware: r.hardware.as_ref(),
                demo: true,
            };
            db::results::record(conn, job_id, &r.metrics, &producer).await?;
            recorded.add(Outcome::Created);
        }
    }
    Ok((saved, recorded))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_demo_data_is_valid() {
        let data = DemoData::load().unwrap();
        assert!(data.projects.len() >= 8);
        assert!(
            data.projects
                .iter()
                .any(|p| p.slug.as_str() == "imf-ts-coding")
        );
        let with_models: std::collections::HashSet<_> = data
            .models
            .iter()
            .filter_map(|m| m.card.project.as_ref())
            .collect();
        assert!(with_models.len() >= 3);
        assert!(data.models.iter().all(|m| !m.versions.is_empty()));
        assert!(data.benchmarks.len() >= 2);
        for b in &data.benchmarks {
            for r in &b.results {
                let known = data.models.iter().any(|m| {
                    m.card.organisation == r.model.organisation
                        && m.card.name == r.model.name
                        && m.versions.iter().any(|v| v.version == r.model.version)
                });
                assert!(
                    known,
                    "{}: {:?} is not a demo model version",
                    b.benchmark.slug, r.model
                );
            }
        }
        assert!(data.assessments.iter().any(|a| a.review.is_some()));
    }
}
