//! The wire contract of Agora: the records that cross borders between statistical
//! offices, their agents and the hub, with their validation rules and JSON Schemas.
//!
//! Every input type decodes strictly ([`decode::from_json`], [`decode::from_yaml`]):
//! unknown fields are refused and each error names its field. Model cards are the
//! exception: they keep unknown keys as written (see [`model::ModelCardInput`]).

pub mod assessment;
pub mod benchmark;
mod card_warnings;
pub mod codes;
pub mod common;
pub mod decode;
pub mod digest;
pub mod event;
pub mod execution;
pub mod front_matter;
pub mod job;
pub mod label;
pub mod language;
pub mod model;
pub mod one_or_many;
pub mod organisation;
pub mod project;
pub mod sync;
pub mod task;
pub mod validate;
mod warning;
pub mod whole;
pub mod workstream;

#[cfg(feature = "openapi")]
pub mod openapi;

mod catalog;

pub use assessment::{
    Assessment, AssessmentEdit, AssessmentInput, AssessmentKind, AssessmentState,
    AssessmentVersion, Content, Decision, Dimension, Ethics, Level, Principle, Qf4sa, Qf4saFile,
    Review, ReviewInput, Risk, Subject, SubmitInput, SyncAssessment,
};
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
pub use label::Label;
pub use language::LanguageTag;
pub use model::{
    Evaluation, EvaluationResult, EvaluationSource, IndexDataset, IndexMetric, IndexSource,
    IndexTask, ModelCard, ModelCardInput, ModelIndexEntry, ModelIndexResult, ModelVersion,
    ModelVersionInput, RegistryStage,
};
pub use one_or_many::OneOrMany;
pub use organisation::{Organisation, OrganisationInput, OrganisationKind};
pub use project::{Contact, JourneyStage, MlTask, Origin, Project, ProjectInput, Provenance};
pub use task::TaskName;
pub use validate::{FieldError, Validate};
pub use workstream::{
    Membership, MembershipInput, MembershipRole, Workstream, WorkstreamInput, WorkstreamStatus,
};
