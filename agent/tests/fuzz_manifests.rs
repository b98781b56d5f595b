//! Fuzzing the manifest parsers the agent runs on files it finds in repositories and
//! folders: the model card's front matter (`MODEL_CARD.md`), `agora.yaml` and
//! `qf4sa.yaml`. Inputs are random text, valid files mutated byte by byte, and valid
//! documents mutated as data (keys removed or added, values of other types, hostile text)
//! then written as YAML. Properties: parsing never panics; a rejection names the field at
//! fault or says what is malformed; what is accepted writes back to YAML and reads back to
//! the same value; front matter splits back into what was joined. A bounded run in
//! `cargo test`; `PROPTEST_CASES=100000` for a longer one.

#[path = "../../schemas/tests/fuzz_support/mod.rs"]
mod fuzz_support;

use agora_agent::sources::manifest::{
    CardDefaults, Rejection, model_card, project, qf4sa, split_front_matter,
};
use agora_schemas::decode::from_yaml;
use agora_schemas::{ModelCardInput, ProjectInput, Qf4saFile, Slug};
use fuzz_support::{hostile_text, mutated, mutated_text};
use proptest::prelude::*;
use serde_json::{Value, json};

const PROJECT: &str = "slug: naf-coding\ntitle: NAF coding\nsummary: Codes business descriptions.\n\
organisations: [insee]\nstage: pilot\nvisibility: public\nlanguages: [fr]\n\
contacts:\n  - {name: A. Martin, email: a.martin@insee.test}\nrepositories: [https://git.example.org/naf]\n";

const QF4SA: &str = "model: naf-coder\nversion: '3'\n\
explainability: {level: 3, evidence: SHAP values per code}\n\
accuracy: {level: 4, evidence: F1 0.93 on the 2023 sample}\n\
reproducibility: {level: 4, evidence: pinned environment}\n\
timeliness: {level: 5, evidence: coded daily}\n\
cost_effectiveness: {level: 3, evidence: half the manual coding}\n";

const CARD: &str = "---\nlicense: apache-2.0\nlanguage: fr\ntags: [nace, coding]\n\
library_name: fasttext\ntask: coding\nvisibility: public\n---\n\n# NACE coder\n\nCodes activities.\n";

fn insee() -> Slug {
    Slug::parse("insee").unwrap()
}

fn as_json(yaml: &str) -> Value {
    serde_norway::from_str(yaml).expect("the example is YAML")
}

/// A rejection must name the field at fault, or say what is malformed.
fn explained(r: &Rejection) -> Result<(), TestCaseError> {
    match &r.field {
        Some(f) => prop_assert!(!f.is_empty(), "an empty field for: {}", r.reason),
        None => prop_assert!(
            r.reason.contains("YAML") || r.reason.contains("front matter"),
            "neither a field nor what is malformed: {}",
            r.reason
        ),
    }
    prop_assert!(!r.reason.is_empty());
    Ok(())
}

/// `value` written as YAML reads back as itself.
fn round_trip<T>(value: &T) -> Result<(), TestCaseError>
where
    T: serde::Serialize
        + serde::de::DeserializeOwned
        + agora_schemas::Validate
        + std::fmt::Debug
        + PartialEq,
{
    let yaml = serde_norway::to_string(value).unwrap();
    match from_yaml::<T>(&yaml) {
        Ok(back) => prop_assert_eq!(&back, value, "through {}", yaml),
        Err(e) => prop_assert!(false, "accepted, but its YAML is refused: {e}\n{yaml}"),
    }
    Ok(())
}

fn check_project(text: &str) -> Result<(), TestCaseError> {
    match project(text, None) {
        Ok(p) => round_trip::<ProjectInput>(&p),
        Err(r) => explained(&r),
    }
}

fn check_qf4sa(text: &str) -> Result<(), TestCaseError> {
    match qf4sa(text) {
        Ok(_) => round_trip::<Qf4saFile>(&from_yaml::<Qf4saFile>(text).unwrap()),
        Err(r) => explained(&r),
    }
}

fn defaults(org: &Slug) -> CardDefaults<'_> {
    CardDefaults {
        organisation: org,
        name: "naf-coder".into(),
        project: None,
        visibility: None,
    }
}

fn check_card(text: &str) -> Result<(), TestCaseError> {
    match model_card(text, &defaults(&insee())) {
        Ok(c) => round_trip::<ModelCardInput>(&c),
        Err(r) => explained(&r),
    }
}

#[test]
fn the_examples_are_accepted() {
    project(PROJECT, None).unwrap();
    qf4sa(QF4SA).unwrap();
    model_card(CARD, &defaults(&insee())).unwrap();
}

proptest! {
    #[test]
    fn random_text_never_panics(text in "\\PC{0,200}|[-:#&*!|>'\"%@`{}\\[\\],?~ \t\n]{0,80}") {
        check_project(&text)?;
        check_qf4sa(&text)?;
        check_card(&text)?;
        check_card(&format!("---\n{text}\n---\nbody"))?;
    }

    #[test]
    fn mutated_agora_yaml_is_read_or_refused_with_the_field(text in mutated_text(PROJECT)) {
        check_project(&text)?;
    }

    #[test]
    fn mutated_agora_yaml_documents_are_read_or_refused_with_the_field(doc in mutated(as_json(PROJECT))) {
        check_project(&serde_norway::to_string(&doc).unwrap())?;
    }

    #[test]
    fn mutated_qf4sa_yaml_is_read_or_refused_with_the_field(text in mutated_text(QF4SA)) {
        check_qf4sa(&text)?;
    }

    #[test]
    fn mutated_qf4sa_documents_are_read_or_refused_with_the_field(doc in mutated(as_json(QF4SA))) {
        check_qf4sa(&serde_norway::to_string(&doc).unwrap())?;
    }

    #[test]
    fn mutated_model_cards_are_read_or_refused_with_the_field(text in mutated_text(CARD)) {
        check_card(&text)?;
    }

    #[test]
    fn mutated_front_matter_documents_are_read_or_refused_with_the_field(
        doc in mutated(json!({"license": "apache-2.0", "language": "fr", "tags": ["nace"],
                              "task": "coding", "visibility": "public",
                              "model-index": [{"name": "naf", "results": []}]})),
        body in hostile_text(),
    ) {
        let front = serde_norway::to_string(&doc).unwrap();
        check_card(&format!("---\n{front}---\n{body}"))?;
    }

    #[test]
    fn front_matter_splits_into_what_was_joined(
        front in proptest::collection::vec("[^\n]{0,30}", 0..6),
        body in "\\PC{0,60}",
    ) {
        let lines: Vec<String> = front
            .into_iter()
            .filter(|l| {
                let bare = l.trim_end_matches('\r');
                bare != "---" && bare != "..."
            })
            .collect();
        let front: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let text = format!("---\n{front}---\n{body}");
        prop_assert_eq!(split_front_matter(&text), Some((front.as_str(), body.as_str())));
    }
}
