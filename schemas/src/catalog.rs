//! The JSON Schema files published in `schemas/json/`, generated from the types.

use schemars::{JsonSchema, generate::SchemaSettings};

use crate::benchmark::{BenchmarkInput, CancelInput, RunInput};
use crate::job::{JobLease, JobReport, LeaseRequest, LogAppended, ReportAnswer};
use crate::sync::{EpochCompletion, SyncBatch, SyncModelVersion};
use crate::{
    DigestPreferencesInput, MembershipInput, ModelCardInput, ModelVersionInput, OrganisationInput,
    ProjectInput, WorkstreamInput,
};

/// One published schema: its file name and its pretty-printed text.
pub struct SchemaFile {
    pub file_name: String,
    pub text: String,
}

fn file<T: JsonSchema>(name: &str, title: &str) -> SchemaFile {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<T>();
    schema.insert("title".into(), title.into());
    schema.insert(
        "$id".into(),
        format!("https://agora.example.org/schemas/{name}.schema.json").into(),
    );
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    SchemaFile {
        file_name: format!("{name}.schema.json"),
        text,
    }
}

/// Every schema file, in a fixed order. `cargo run -p agora-schemas --bin agora-schemas-gen`
/// writes them; a test fails when the files in the repository differ.
pub fn schema_files() -> Vec<SchemaFile> {
    vec![
        file::<OrganisationInput>("organisation", "Organisation"),
        file::<WorkstreamInput>("workstream", "Workstream"),
        file::<MembershipInput>("membership", "Workstream membership"),
        file::<ProjectInput>("project", "Project (agora.yaml manifest)"),
        file::<ModelCardInput>("model-card", "Model card"),
        file::<ModelVersionInput>("model-version", "Model version"),
        file::<SyncModelVersion>("sync-model-version", "Model version sent by an agent"),
        file::<SyncBatch>("sync-batch", "Sync batch (agent to hub)"),
        file::<EpochCompletion>(
            "sync-epoch-completion",
            "Sync epoch completion (agent to hub)",
        ),
        file::<BenchmarkInput>("benchmark", "Benchmark"),
        file::<RunInput>("benchmark-run", "Benchmark run request"),
        file::<CancelInput>("cancel", "Cancellation of a run or job"),
        file::<LeaseRequest>("job-lease-request", "Job lease request (agent to hub)"),
        file::<JobLease>("job-lease", "Job lease (hub to agent)"),
        file::<JobReport>(
            "job-report",
            "Job state report and heartbeat (agent to hub)",
        ),
        file::<ReportAnswer>("job-report-answer", "Answer to a job report (hub to agent)"),
        file::<LogAppended>("job-log-appended", "Answer to a log upload (hub to agent)"),
        file::<DigestPreferencesInput>("digest-preferences", "E-mail digest preferences"),
    ]
}
