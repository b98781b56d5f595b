//! Loading a Helm chart folder and rendering it as `helm template` would: values merged
//! over the chart's defaults, subcharts from `dependencies` (with `alias` and `condition`),
//! every template outside `_*.tpl` rendered and split into YAML documents.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::gotmpl::Templates;

/// One rendered manifest.
#[derive(Debug, Clone)]
pub struct Doc {
    /// `<chart>/templates/<file>`.
    pub source: String,
    pub value: Value,
}

impl Doc {
    pub fn kind(&self) -> &str {
        self.value["kind"].as_str().unwrap_or_default()
    }
    pub fn name(&self) -> &str {
        self.value["metadata"]["name"].as_str().unwrap_or_default()
    }
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.value["metadata"]["annotations"][key].as_str()
    }
}

pub struct Rendered {
    pub docs: Vec<Doc>,
    pub notes: String,
}

impl Rendered {
    pub fn of_kind(&self, kind: &str) -> Vec<&Doc> {
        self.docs.iter().filter(|d| d.kind() == kind).collect()
    }
    pub fn find(&self, kind: &str, name: &str) -> Option<&Doc> {
        self.docs
            .iter()
            .find(|d| d.kind() == kind && d.name() == name)
    }
}

pub fn deploy_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy")
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn yaml(text: &str, what: &str) -> Value {
    serde_norway::from_str(text).unwrap_or_else(|e| panic!("{what} is not YAML: {e}"))
}

/// `over` merged into `base`: maps key by key, anything else replaced.
pub fn merge(base: &mut Value, over: &Value) {
    match (base, over) {
        (Value::Object(b), Value::Object(o)) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(slot) if slot.is_object() && v.is_object() => merge(slot, v),
                    _ => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

struct Chart {
    dir: PathBuf,
    meta: Value,
    defaults: Value,
}

fn load(dir: &Path) -> Chart {
    Chart {
        dir: dir.to_path_buf(),
        meta: yaml(&read(&dir.join("Chart.yaml")), "Chart.yaml"),
        defaults: yaml(&read(&dir.join("values.yaml")), "values.yaml"),
    }
}

/// The chart's values with `overrides` merged in (as `-f` or `--set` would).
pub fn values(dir: &Path, overrides: &Value) -> Value {
    let mut v = load(dir).defaults;
    merge(&mut v, overrides);
    v
}

fn template_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("templates"))
        .expect("a templates folder")
        .map(|e| e.expect("a readable entry").path())
        .collect();
    files.sort();
    files
}

/// Renders the chart in `dir` with `overrides` merged over its defaults.
pub fn render(dir: &Path, overrides: &Value, release: &str, namespace: &str) -> Rendered {
    try_render(dir, overrides, release, namespace).unwrap_or_else(|e| panic!("{e}"))
}

pub fn try_render(
    dir: &Path,
    overrides: &Value,
    release: &str,
    namespace: &str,
) -> Result<Rendered, String> {
    let chart = load(dir);
    let mut values = chart.defaults.clone();
    merge(&mut values, overrides);
    // The parent and the subcharts that are on, each with its own values and metadata.
    let mut charts = vec![(chart, values.clone())];
    for dep in charts[0].0.meta["dependencies"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        let repo = dep["repository"].as_str().unwrap_or_default();
        let sub_dir = dir.join(
            repo.strip_prefix("file://")
                .ok_or_else(|| format!("dependency repository {repo}: only file:// here"))?,
        );
        let alias = dep["alias"]
            .as_str()
            .or(dep["name"].as_str())
            .unwrap_or_default()
            .to_string();
        let on = match dep["condition"].as_str() {
            Some(path) => path
                .split('.')
                .try_fold(&values, |v, k| v.get(k))
                .is_some_and(crate::gotmpl::truthy),
            None => true,
        };
        if !on {
            continue;
        }
        let mut sub = load(&sub_dir);
        if sub.meta["version"] != dep["version"] {
            return Err(format!(
                "dependency {alias}: Chart.yaml asks for version {} but the chart is {}",
                dep["version"], sub.meta["version"]
            ));
        }
        let mut sub_values = sub.defaults.clone();
        merge(&mut sub_values, &values[alias.as_str()]);
        sub.meta["name"] = Value::String(alias);
        charts.push((sub, sub_values));
    }
    let mut templates = Templates::default();
    let mut bodies = Vec::new();
    for (chart, values) in &charts {
        let name = chart.meta["name"].as_str().unwrap_or_default().to_string();
        for file in template_files(&chart.dir) {
            let file_name = file
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            let body = templates.add(&format!("{name}/templates/{file_name}"), &read(&file))?;
            if file_name.starts_with('_') {
                continue;
            }
            let root = json!({
                "Values": values,
                "Chart": {
                    "Name": chart.meta["name"],
                    "Version": chart.meta["version"],
                    "AppVersion": chart.meta["appVersion"],
                },
                "Release": {
                    "Name": release,
                    "Namespace": namespace,
                    "Service": "Helm",
                    "IsInstall": true,
                    "IsUpgrade": false,
                    "Revision": 1,
                },
            });
            bodies.push((format!("{name}/templates/{file_name}"), body, root));
        }
    }
    let mut docs = Vec::new();
    let mut notes = String::new();
    for (source, body, root) in bodies {
        let text = templates
            .render(&body, &root)
            .map_err(|e| format!("{source}: {e}"))?;
        if source.ends_with("NOTES.txt") {
            if source.starts_with(&format!(
                "{}/",
                charts[0].0.meta["name"].as_str().unwrap_or_default()
            )) {
                notes = text;
            }
            continue;
        }
        for (i, part) in text.split("\n---").enumerate() {
            let meaningful = part
                .lines()
                .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
            if !meaningful {
                continue;
            }
            let value: Value = serde_norway::from_str(part)
                .map_err(|e| format!("{source} (document {i}) is not YAML: {e}\n{part}"))?;
            docs.push(Doc {
                source: source.clone(),
                value,
            });
        }
    }
    Ok(Rendered { docs, notes })
}

/// An empty override.
pub fn none() -> Value {
    Value::Object(Map::new())
}
