//! The demo data: the YAML files under `hub/demo/`, read and checked like any input.

use std::collections::BTreeMap;

use agora_schemas::decode::from_yaml;
use agora_schemas::{
    BenchmarkInput, Email, ExecutorKind, FieldError, Hardware, MembershipInput, ModelCardInput,
    ModelRef, ModelVersionInput, OrganisationInput, ProjectInput, Slug, Validate, WorkstreamInput,
};
use serde::Deserialize;

use super::DemoAssessment;
use crate::error::{Error, Result};

const ORGANISATIONS: &str = include_str!("../../demo/organisations.yaml");

const USERS: &str = include_str!("../../demo/users.yaml");

const WORKSTREAMS: &str = include_str!("../../demo/workstreams.yaml");

const MEMBERSHIPS: &str = include_str!("../../demo/memberships.yaml");

const PROJECTS: &str = include_str!("../../demo/projects.yaml");

const MODELS: &str = include_str!("../../demo/models.yaml");

const BENCHMARKS: &str = include_str!("../../demo/benchmarks.yaml");

const ASSESSMENTS: &str = include_str!("../../demo/assessments.yaml");

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
