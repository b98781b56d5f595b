//! The charts' values.schema.json, which `helm install` checks and Onyxia renders as its
//! launch form: valid JSON Schema draft 7 (checked by Python's `jsonschema`, installed on
//! first use in ~/.cache/agora/venvs), the charts' values pass it, every value has a title,
//! a description and its default, and the Onyxia extensions name real context values and
//! real fields.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use crate::chart::{self, read, yaml};
use crate::helm::{agent_chart, hub_chart, hub_values};
use crate::loaders;

const JSONSCHEMA: &str = "jsonschema==4.26.0";

/// The top-level names of Onyxia's launcher context (XOnyxiaContext, onyxia-web).
const CONTEXT: &[&str] = &[
    "user",
    "service",
    "project",
    "git",
    "vault",
    "s3",
    "region",
    "k8s",
    "proxyInjection",
    "packageRepositoryInjection",
    "certificateAuthorityInjection",
];

const CHECK: &str = r#"
import json, sys
from jsonschema import Draft7Validator
schema = json.load(open(sys.argv[1]))
Draft7Validator.check_schema(schema)
validator = Draft7Validator(schema)
out = []
for path in sys.argv[2:]:
    instance = json.load(open(path))
    out.append(sorted("/".join(str(p) for p in e.absolute_path) + ": " + e.message
                      for e in validator.iter_errors(instance)))
print(json.dumps(out))
"#;

/// The errors of each instance against the chart's schema (an invalid schema panics).
fn validate(chart: &Path, instances: &[Value]) -> Vec<Vec<String>> {
    // The venv's set-up spawns processes, which need the environment other tests replace.
    let _guard = loaders::env_lock();
    let bin = agora_e2e::python_venv("jsonschema", &[JSONSCHEMA]);
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let script = tmp.path().join("check.py");
    std::fs::write(&script, CHECK).unwrap();
    let mut cmd = Command::new(bin.join("python"));
    cmd.arg(&script).arg(chart.join("values.schema.json"));
    for (i, v) in instances.iter().enumerate() {
        let p = tmp.path().join(format!("values-{i}.json"));
        std::fs::write(&p, v.to_string()).unwrap();
        cmd.arg(p);
    }
    let out = cmd.output().expect("python runs");
    assert!(
        out.status.success(),
        "{}: not a valid draft-7 schema: {}",
        chart.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the checker's JSON")
}

fn defaults(chart: &Path) -> Value {
    yaml(&read(&chart.join("values.yaml")), "values.yaml")
}

fn with(chart: &Path, overrides: &Value) -> Value {
    chart::values(chart, overrides)
}

#[test]
fn the_schemas_are_draft_7_and_the_charts_values_pass_them() {
    let agent = agent_chart();
    let onyxia_like = json!({
        "organisation": "insee",
        "token": "agt_x",
        "mlflow": {"enabled": true, "url": "https://mlflow.example.org"},
        "git": {"enabled": true, "repositories": [{"url": "https://gitlab.example.org/a/b.git", "branch": "main"}]},
        "jobs": {"enabled": true, "executor": "argo", "argo": {"serverUrl": "https://argo:2746"},
                 "allowedCommands": [["python3", "eval.py"]], "datasets": {"census": "/data/census"}},
        "nodeSelector": {"gpu": "a100"}
    });
    let bad = [
        json!({"batchSize": 0}),
        json!({"hubUrl": "ftp://agora.example.org"}),
        json!({"organisation": "INSEE"}),
        json!({"jobs": {"executor": "slurm"}}),
        json!({"jobs": {"datasets": {"census": "relative/path"}}}),
        json!({"git": {"repositories": [{"branch": "main"}]}}),
    ];
    let mut instances = vec![defaults(&agent), with(&agent, &onyxia_like)];
    instances.extend(bad.iter().map(|b| with(&agent, b)));
    let errors = validate(&agent, &instances);
    assert!(
        errors[0].is_empty(),
        "the agent chart's defaults: {:?}",
        errors[0]
    );
    assert!(
        errors[1].is_empty(),
        "values an Onyxia user gives: {:?}",
        errors[1]
    );
    for (b, e) in bad.iter().zip(&errors[2..]) {
        assert!(!e.is_empty(), "the schema lets {b} through");
    }

    let hub = hub_chart();
    let bad = [
        json!({"hub": {"replicas": 0}}),
        json!({"hub": {"config": {"log_format": "xml"}}}),
        json!({"hub": {"config": {"oidc": {"providers": [{"name": "Key Cloak", "issuer": "https://x", "client_id": "a"}]}}}}),
        json!({"secrets": {"digestSecret": "short"}}),
    ];
    let mut instances = vec![defaults(&hub), with(&hub, &hub_values())];
    instances.extend(bad.iter().map(|b| with(&hub, b)));
    let errors = validate(&hub, &instances);
    assert!(
        errors[0].is_empty(),
        "the hub chart's defaults: {:?}",
        errors[0]
    );
    assert!(
        errors[1].is_empty(),
        "the hub chart's other values: {:?}",
        errors[1]
    );
    for (b, e) in bad.iter().zip(&errors[2..]) {
        assert!(!e.is_empty(), "the schema lets {b} through");
    }
    // Helm checks a subchart's values with the subchart's schema: the hub chart's `agent:`.
    let errors = validate(&agent, &[with(&agent, &hub_values()["agent"])]);
    assert!(
        errors[0].is_empty(),
        "the hub chart's agent values: {:?}",
        errors[0]
    );
}

/// Walks the schema's `properties`, calling `f(path, property)`.
fn walk(schema: &Value, path: &str, f: &mut dyn FnMut(&str, &Value)) {
    if let Some(props) = schema["properties"].as_object() {
        for (k, v) in props {
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}/{k}")
            };
            f(&p, v);
            walk(v, &p, f);
        }
    }
}

fn at<'a>(v: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('/').try_fold(v, |v, k| v.get(k))
}

/// Every key of values.yaml, as `a/b/c` (maps the schema describes as a whole stop there).
fn leaves(v: &Value, path: &str, schema: &Value, out: &mut Vec<String>) {
    let described_whole = !path.is_empty()
        && at(schema, &schema_path(path)).is_some_and(|s| s.get("properties").is_none());
    match v {
        Value::Object(m) if !m.is_empty() && !described_whole => {
            for (k, x) in m {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}/{k}")
                };
                leaves(x, &p, schema, out);
            }
        }
        _ => out.push(path.to_string()),
    }
}

/// `a/b` as the schema's `properties/a/properties/b`.
fn schema_path(path: &str) -> String {
    path.split('/')
        .map(|k| format!("properties/{k}"))
        .collect::<Vec<_>>()
        .join("/")
}

fn check_form(chart: &Path) {
    let schema: Value =
        serde_json::from_str(&read(&chart.join("values.schema.json"))).expect("JSON");
    let values = defaults(chart);
    let name = chart.display().to_string();
    let mut fields = Vec::new();
    walk(&schema, "", &mut |path, prop| {
        fields.push(path.to_string());
        for key in ["title", "description"] {
            assert!(
                prop[key].as_str().is_some_and(|s| !s.is_empty()),
                "{name}: {path} has no {key}"
            );
        }
        // A field's default is the chart's value, so the form starts from what helm would.
        if prop.get("properties").is_none() {
            let value = at(&values, path);
            if !(path == "agent/enabled" || prop.get("default").is_some()) {
                panic!("{name}: {path} has no default");
            }
            if let Some(v) = value {
                assert_eq!(
                    &prop["default"], v,
                    "{name}: {path}: schema default and values.yaml differ"
                );
            }
        }
        // `hidden` names a field of this form; its value is one that field can take.
        if let Some(h) = prop.get("hidden") {
            let target = h["path"]
                .as_str()
                .unwrap_or_else(|| panic!("{name}: {path}: hidden.path"));
            let field = at(&schema, &schema_path(target)).unwrap_or_else(|| {
                panic!("{name}: {path} is hidden by {target}, which is not a field")
            });
            let kind = field["type"].as_str().unwrap_or_default();
            let ok = match &h["value"] {
                Value::Bool(_) => kind == "boolean",
                Value::String(s) => {
                    kind == "string"
                        && (s.is_empty()
                            || field["enum"]
                                .as_array()
                                .is_none_or(|e| e.contains(&json!(s))))
                }
                _ => false,
            };
            assert!(
                ok,
                "{name}: {path}: hidden value {} does not fit {target}",
                h["value"]
            );
        }
        // overwriteDefaultWith names Onyxia context values.
        if let Some(x) = prop["x-onyxia"].get("overwriteDefaultWith") {
            let text = x.to_string();
            let refs: Vec<String> = if text.contains("{{") {
                text.split("{{")
                    .skip(1)
                    .filter_map(|s| s.split("}}").next())
                    .map(str::to_string)
                    .collect()
            } else {
                vec![
                    x.as_str()
                        .unwrap_or_else(|| panic!("{name}: {path}: {x}"))
                        .to_string(),
                ]
            };
            for r in refs {
                let root = r.split('.').next().unwrap_or_default();
                assert!(
                    CONTEXT.contains(&root),
                    "{name}: {path}: `{r}` is not in Onyxia's context"
                );
            }
        }
    });
    // Every value of values.yaml is on the form.
    let mut keys = Vec::new();
    leaves(&values, "", &schema, &mut keys);
    for k in keys {
        assert!(
            fields.contains(&k),
            "{name}: values.yaml's {k} is not described in values.schema.json"
        );
    }
}

#[test]
fn every_value_is_on_the_onyxia_form_with_its_default() {
    check_form(&agent_chart());
    check_form(&hub_chart());
}
