//! The wire contract of Agora: the records that cross borders between statistical
//! offices, their agents and the hub, with their validation rules and JSON Schemas.
//!
//! Every input type decodes strictly ([`decode::from_json`], [`decode::from_yaml`]):
//! unknown fields are refused and each error names its field.

pub mod benchmark;
pub mod codes;
pub mod common;
pub mod decode;
pub mod digest;
pub mod event;
pub mod job;
pub mod model;
pub mod organisation;
pub mod project;
pub mod sync;
pub mod validate;
pub mod workstream;

#[cfg(feature = "openapi")]
pub mod openapi;

mod catalog;

pub use benchmark::{
    Benchmark, BenchmarkInput, BenchmarkMetric, Leaderboard, LeaderboardEntry, MetricDirection,
    ModelRef, Participant, ResourceRequest, Run, RunInput, RunState,
};
pub use catalog::{SchemaFile, schema_files};
pub use common::{CountryCode, Email, GsbpmCode, LanguageCode, License, Slug, Visibility, WebUrl};
pub use decode::DecodeError;
pub use digest::{
    DigestFrequency, DigestPreferences, DigestPreferencesInput, DigestSubscription,
    DigestSubscriptionInput,
};
pub use event::Event;
pub use job::{
    Capabilities, ExecutorKind, Hardware, JobLease, JobReport, JobState, LeaseRequest,
    ReportAnswer, ReportState,
};
pub use model::{
    EvaluationResult, ModelCard, ModelCardInput, ModelIndexEntry, ModelVersion, ModelVersionInput,
    RegistryStage,
};
pub use organisation::{Organisation, OrganisationInput, OrganisationKind};
pub use project::{Contact, JourneyStage, MlTask, Origin, Project, ProjectInput, Provenance};
pub use validate::{FieldError, Validate};
pub use workstream::{
    Membership, MembershipInput, MembershipRole, Workstream, WorkstreamInput, WorkstreamStatus,
};
