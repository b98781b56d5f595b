//! The JSON Schema files published in `schemas/json/`, generated from the types.

use schemars::{JsonSchema, generate::SchemaSettings};

use crate::benchmark::{BenchmarkInput, CancelInput, RunInput};
use crate::job::{JobLease, JobReport, LeaseRequest, LogAppended, ReportAnswer};
use crate::sync::{EpochCompletion, SyncBatch, SyncModelVersion};
use crate::{
    AssessmentEdit, AssessmentInput, DigestPreferencesInput, MembershipInput, ModelCardInput,
    ModelVersionInput, OrganisationInput, ProjectInput, Qf4saFile, ReviewInput, SubmitInput,
    SyncAssessment, WorkstreamInput,
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
        file::<AssessmentInput>("assessment", "Assessment (QF4SA or ethics)"),
        file::<AssessmentEdit>("assessment-edit", "New version of an assessment"),
        file::<SubmitInput>(
            "assessment-submit",
            "Submission of an assessment for review",
        ),
        file::<ReviewInput>("assessment-review", "Review of an assessment"),
        file::<Qf4saFile>("qf4sa", "QF4SA assessment file (qf4sa.yaml)"),
        file::<SyncAssessment>("sync-assessment", "Assessment sent by an agent"),
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use crate::model::ModelCardInput;

    #[test]
    fn the_list_of_fields_is_the_schemas_properties() {
        let file = super::schema_files()
            .into_iter()
            .find(|f| f.file_name == "model-card.schema.json")
            .expect("the model card's schema file");
        let schema: serde_json::Value = serde_json::from_str(&file.text).expect("JSON");
        let properties: BTreeSet<&str> = schema["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .map(String::as_str)
            .collect();
        let listed: BTreeSet<&str> = ModelCardInput::KEYS
            .iter()
            .chain(ModelCardInput::FIELDS)
            .copied()
            .collect();
        assert_eq!(listed, properties);
    }
}
