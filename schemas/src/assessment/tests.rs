//! Decoding and validation of every assessment field.

use super::*;
use crate::decode::{DecodeError, from_json, from_yaml};

fn dim(level: i64) -> serde_json::Value {
    serde_json::json!({"level": level, "evidence": "measured on 2023 census", "links": []})
}

fn qf4sa() -> serde_json::Value {
    serde_json::json!({"explainability": dim(3), "accuracy": dim(4), "reproducibility": dim(2),
        "timeliness": dim(5), "cost_effectiveness": dim(1)})
}

fn field_of(json: serde_json::Value) -> String {
    match from_json::<AssessmentInput>(json.to_string().as_bytes()) {
        Err(DecodeError::Invalid(e)) => e.field,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_qf4sa_assessment_decodes() {
    let json =
        serde_json::json!({"subject": {"project": "inegi-qf4sa"}, "content": {"qf4sa": qf4sa()}});
    let a: AssessmentInput = from_json(json.to_string().as_bytes()).unwrap();
    let Content::Qf4sa(q) = &a.content else {
        panic!()
    };
    assert_eq!(q.levels(), [3, 4, 2, 5, 1]);
    assert_eq!(q.accuracy.level.name(), "Good");
}

#[test]
fn every_qf4sa_field_is_checked() {
    let subject = serde_json::json!({"project": "inegi-qf4sa"});
    for (name, _) in QF4SA_DIMENSIONS {
        for (bad, field) in [
            (serde_json::json!({"level": 0, "evidence": "e"}), "level"),
            (serde_json::json!({"level": 6, "evidence": "e"}), "level"),
            (serde_json::json!({"level": 2.5, "evidence": "e"}), "level"),
            (serde_json::json!({"level": 2, "evidence": " "}), "evidence"),
            (serde_json::json!({"level": 2}), "evidence"),
            (
                serde_json::json!({"level": 2, "evidence": "x".repeat(MAX_TEXT + 1)}),
                "evidence",
            ),
            (
                serde_json::json!({"level": 2, "evidence": "e", "links": ["ftp://x.org/a"]}),
                "links[0]",
            ),
            (
                serde_json::json!({"level": 2, "evidence": "e", "links": ["https://x.org", "https://x.org"]}),
                "links[1]",
            ),
            (
                serde_json::json!({"level": 2, "evidence": "e", "colour": "red"}),
                "colour",
            ),
        ] {
            let mut q = qf4sa();
            q[name] = bad;
            let got = field_of(serde_json::json!({"subject": subject, "content": {"qf4sa": q}}));
            assert_eq!(got, format!("content.qf4sa.{name}.{field}"), "{name}");
        }
        let mut q = qf4sa();
        q.as_object_mut().unwrap().remove(name);
        let got = field_of(serde_json::json!({"subject": subject, "content": {"qf4sa": q}}));
        assert!(got.starts_with("content.qf4sa"), "{got}");
    }
    let mut q = qf4sa();
    q["summary"] = "x".repeat(MAX_TEXT + 1).into();
    let got = field_of(serde_json::json!({"subject": subject, "content": {"qf4sa": q}}));
    assert_eq!(got, "content.qf4sa.summary");
}

fn principle(risk: &str, mitigation: Option<&str>) -> serde_json::Value {
    let mut p = serde_json::json!({"answer": "yes, documented", "risk": risk});
    if let Some(m) = mitigation {
        p["mitigation"] = m.into();
    }
    p
}

#[test]
fn every_ethics_field_is_checked() {
    let good = || {
        let mut e = serde_json::Map::new();
        for (name, _) in ETHICS_PRINCIPLES {
            e.insert(name.into(), principle("low", None));
        }
        serde_json::Value::Object(e)
    };
    let subject = serde_json::json!({"organisation": "insee", "model": "naf", "version": "3"});
    let ok = serde_json::json!({"subject": subject, "content": {"ethics": good()}});
    assert!(from_json::<AssessmentInput>(ok.to_string().as_bytes()).is_ok());
    for (name, _) in ETHICS_PRINCIPLES {
        for (bad, field) in [
            (principle("high", None), "mitigation"),
            (principle("medium", Some(" ")), "mitigation"),
            (principle("severe", Some("m")), "risk"),
            (serde_json::json!({"answer": "", "risk": "low"}), "answer"),
            (serde_json::json!({"risk": "low"}), "answer"),
        ] {
            let mut e = good();
            e[name] = bad;
            let got = field_of(serde_json::json!({"subject": subject, "content": {"ethics": e}}));
            assert_eq!(got, format!("content.ethics.{name}.{field}"));
        }
    }
}

#[test]
fn the_subject_names_a_project_or_a_model_version() {
    let content = serde_json::json!({"qf4sa": qf4sa()});
    for (subject, field) in [
        (serde_json::json!({}), "subject.project"),
        (serde_json::json!({"model": "naf"}), "subject.version"),
        (
            serde_json::json!({"project": "p1", "model": "naf", "version": "1"}),
            "subject.project",
        ),
        (
            serde_json::json!({"model": "naf", "version": "a b"}),
            "subject.version",
        ),
        (
            serde_json::json!({"project": "Not A Slug"}),
            "subject.project",
        ),
    ] {
        assert_eq!(
            field_of(serde_json::json!({"subject": subject, "content": content})),
            field
        );
    }
    let both = serde_json::json!({"subject": {"project": "p1"}, "content": {"qf4sa": qf4sa(), "ethics": {}}});
    assert!(from_json::<AssessmentInput>(both.to_string().as_bytes()).is_err());
}

#[test]
fn a_qf4sa_file_reads_as_yaml() {
    let yaml = "model: naf-coder\nversion: '3'\n\
        explainability: {level: 3, evidence: SHAP values}\n\
        accuracy: {level: 4, evidence: F1 0.93, links: ['https://x.org/report']}\n\
        reproducibility: {level: 4, evidence: pinned}\n\
        timeliness: {level: 5, evidence: daily}\n\
        cost_effectiveness: {level: 3, evidence: cheaper}\n";
    let file: Qf4saFile = from_yaml(yaml).unwrap();
    let sync = file.into_sync();
    assert_eq!(sync.subject.model.as_deref(), Some("naf-coder"));
    let bad = yaml.replace("level: 5", "level: 9");
    match from_yaml::<Qf4saFile>(&bad) {
        Err(DecodeError::Invalid(e)) => assert_eq!(e.field, "timeliness.level"),
        other => panic!("{other:?}"),
    }
}
