//! The demo data set: a realistic picture of the UNECE Machine Learning group's work,
//! shipped as YAML in `hub/demo/` and loaded idempotently by `agora-hub seed-demo`.

mod assessments;
mod data;
mod digests;

use std::collections::BTreeMap;
use std::fmt;

use agora_schemas::{JobState, RunInput};
use sqlx::PgPool;

use crate::db::{self, Outcome, SaveMode};
use crate::error::{Error, Result};
use crate::policy::Caller;

pub use assessments::DemoAssessment;
pub use data::{DemoBenchmark, DemoData, DemoModel, DemoResult, DemoUser};

/// Who changes things when the demo data is loaded.
const ACTOR: &str = "seed-demo";

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
