//! The demo data set: a realistic picture of the UNECE Machine Learning group's work,
//! shipped as YAML in `hub/demo/` and loaded idempotently by `agora-hub seed-demo`.

mod assessments;

use std::fmt;

use agora_schemas::decode::from_yaml;
use agora_schemas::{
    Email, FieldError, MembershipInput, ModelCardInput, ModelVersionInput, OrganisationInput,
    ProjectInput, Slug, Validate, WorkstreamInput,
};
use serde::Deserialize;
use sqlx::PgPool;

use crate::db::{self, Outcome, SaveMode};
use crate::error::{Error, Result};

const ORGANISATIONS: &str = include_str!("../demo/organisations.yaml");
const USERS: &str = include_str!("../demo/users.yaml");
const WORKSTREAMS: &str = include_str!("../demo/workstreams.yaml");
const MEMBERSHIPS: &str = include_str!("../demo/memberships.yaml");
const PROJECTS: &str = include_str!("../demo/projects.yaml");
const MODELS: &str = include_str!("../demo/models.yaml");
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
}

impl Validate for DemoUser {
    fn validate(&self) -> Result<(), FieldError> {
        agora_schemas::validate::text("name", &self.name, 200)
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

/// The whole demo data set, parsed and validated.
pub struct DemoData {
    pub organisations: Vec<OrganisationInput>,
    pub users: Vec<DemoUser>,
    pub workstreams: Vec<WorkstreamInput>,
    pub memberships: Vec<MembershipInput>,
    pub projects: Vec<ProjectInput>,
    pub models: Vec<DemoModel>,
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

    let mut tally = Tally::default();
    for a in &data.assessments {
        assessments::seed_one(&mut tx, a, &mut tally).await?;
    }
    report.rows.push(("assessments", tally));

    tx.commit().await?;
    Ok(report)
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
        assert!(data.assessments.iter().any(|a| a.review.is_some()));
    }
}
