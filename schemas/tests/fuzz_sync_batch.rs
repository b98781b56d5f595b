//! Fuzzing sync batch decoding, as the hub does it: the batch (`from_json::<SyncBatch>`),
//! then each item's payload as the input type of its kind. Random bytes, valid batches
//! mutated (keys removed or added, values of other types, hostile text) and payloads of
//! every kind. Properties: decoding never panics; a refusal names the field at fault (a
//! path such as `items[0].hash`) with a reason; what decodes re-encodes to the same value.
//! A bounded run in `cargo test`; `PROPTEST_CASES=100000` for a longer one.

mod fuzz_support;

use agora_schemas::decode::{DecodeError, from_json};
use agora_schemas::sync::{ItemKind, SyncBatch, SyncModelVersion};
use agora_schemas::{ModelCardInput, ProjectInput, Qf4saFile, SyncAssessment, Validate};
use fuzz_support::{mutated, mutated_text};
use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const QF4SA: &str = "model: naf-coder\nversion: '3'\n\
    explainability: {level: 3, evidence: SHAP values per code}\n\
    accuracy: {level: 4, evidence: F1 0.93 on the 2023 sample}\n\
    reproducibility: {level: 4, evidence: pinned environment}\n\
    timeliness: {level: 5, evidence: coded daily}\n\
    cost_effectiveness: {level: 3, evidence: half the manual coding}\n";

fn item(key: &str, kind: &str, payload: Value) -> Value {
    json!({"key": key, "hash": "ab".repeat(32), "kind": kind, "payload": payload,
           "commit": "0123abcd"})
}

/// A batch every part of which is valid: one item of each kind.
fn valid_batch() -> Value {
    let assessment = agora_schemas::decode::from_yaml::<Qf4saFile>(QF4SA)
        .expect("the example assessment")
        .into_sync();
    json!({
        "batch_id": "3f2c9a1e-batch", "source": "git-manifests", "epoch": "epoch-7",
        "items": [
            item("agora.yaml", "project", json!({
                "slug": "naf-coding", "title": "NAF coding", "summary": "A pilot.",
                "organisations": ["insee"], "stage": "pilot", "visibility": "public",
                "languages": ["fr"], "contacts": [{"name": "A. Martin", "email": "a.martin@insee.test"}]})),
            item("models/naf/MODEL_CARD.md", "model_card", json!({
                "organisation": "insee", "name": "naf-coder", "title": "NAF coder",
                "body": "# NAF\nCodes activities.", "visibility": "public", "task": "coding",
                "license": "apache-2.0", "language": ["fr"], "tags": ["nace"]})),
            item("models/naf/versions/3", "model_version", json!({
                "model": "naf-coder", "version": {"version": "3", "stage": "production",
                "results": [{"metric": "accuracy", "value": 0.9, "dataset": "sirene"}]}})),
            item("models/naf/qf4sa.yaml", "assessment", serde_json::to_value(assessment).unwrap()),
        ]
    })
}

/// Numbers compared to 12 significant digits: the JSON and YAML writers and readers may
/// move a float by one unit in the last place.
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => x == y || ((x - y) / x.abs().max(y.abs())).abs() < 1e-12,
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// A refusal must say which field and why.
fn named(e: &DecodeError) -> Result<(), TestCaseError> {
    match e {
        DecodeError::Invalid(f) => {
            prop_assert!(!f.field.is_empty(), "no field named: {e}");
            prop_assert!(!f.message.is_empty(), "no reason given for {}", f.field);
        }
        DecodeError::Syntax { message, .. } => prop_assert!(!message.is_empty()),
    }
    Ok(())
}

/// Decodes `payload` as `T`; when it decodes, its encoding decodes to the same value.
fn payload<T: DeserializeOwned + Validate + Serialize>(
    payload: &Value,
) -> Result<(), TestCaseError> {
    let bytes = serde_json::to_vec(payload).unwrap();
    match from_json::<T>(&bytes) {
        Ok(v) => {
            let again = serde_json::to_vec(&v).unwrap();
            let back: T = from_json(&again).map_err(|e| {
                TestCaseError::fail(format!("a decoded payload does not decode again: {e}"))
            })?;
            let (a, b) = (
                serde_json::to_value(&v).unwrap(),
                serde_json::to_value(&back).unwrap(),
            );
            prop_assert!(same(&a, &b), "round trip changed {a} into {b}");
        }
        Err(e) => named(&e)?,
    }
    Ok(())
}

/// The whole decoding of a batch body.
fn decode_body(bytes: &[u8]) -> Result<(), TestCaseError> {
    match from_json::<SyncBatch>(bytes) {
        Ok(batch) => {
            let again = serde_json::to_vec(&batch).unwrap();
            let back: SyncBatch = from_json(&again)
                .map_err(|e| TestCaseError::fail(format!("does not decode again: {e}")))?;
            prop_assert!(
                same(
                    &serde_json::to_value(&batch).unwrap(),
                    &serde_json::to_value(&back).unwrap()
                ),
                "the batch changed in a round trip"
            );
            for item in &batch.items {
                match item.kind {
                    ItemKind::Project => payload::<ProjectInput>(&item.payload)?,
                    ItemKind::ModelCard => payload::<ModelCardInput>(&item.payload)?,
                    ItemKind::ModelVersion => payload::<SyncModelVersion>(&item.payload)?,
                    ItemKind::Assessment => payload::<SyncAssessment>(&item.payload)?,
                }
            }
        }
        Err(e) => named(&e)?,
    }
    Ok(())
}

#[test]
fn the_example_batch_decodes_with_all_its_payloads() {
    let body = serde_json::to_vec(&valid_batch()).unwrap();
    let batch: SyncBatch = from_json(&body).unwrap();
    assert_eq!(batch.items.len(), 4);
    for item in &batch.items {
        let bytes = serde_json::to_vec(&item.payload).unwrap();
        let ok = match item.kind {
            ItemKind::Project => from_json::<ProjectInput>(&bytes).is_ok(),
            ItemKind::ModelCard => from_json::<ModelCardInput>(&bytes).is_ok(),
            ItemKind::ModelVersion => from_json::<SyncModelVersion>(&bytes).is_ok(),
            ItemKind::Assessment => from_json::<SyncAssessment>(&bytes).is_ok(),
        };
        assert!(ok, "{:?} does not decode", item.kind);
    }
}

proptest! {
    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        decode_body(&bytes)?;
    }

    #[test]
    fn mutated_batches_are_decoded_or_refused_with_the_field(doc in mutated(valid_batch())) {
        decode_body(&serde_json::to_vec(&doc).unwrap())?;
    }

    #[test]
    fn mutated_batch_text_is_decoded_or_refused(
        text in mutated_text(r#"{"batch_id":"b-1","source":"mlflow","epoch":"e-1","items":[{"key":"k","hash":"abababababababababababababababababababababababababababababababab","kind":"model_version","payload":{"model":"m","version":{"version":"1"}}}]}"#)
    ) {
        decode_body(text.as_bytes())?;
    }
}
