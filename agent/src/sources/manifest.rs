//! Manifest files, as found in git repositories and folders: `agora.yaml` (a project),
//! `MODEL_CARD.md` (YAML front matter in the Hugging Face style, then the card's markdown)
//! and `qf4sa.yaml` (a QF4SA assessment of the project, or of a model version, it names).

use agora_schemas::decode::from_yaml;
use agora_schemas::sync::{ItemKind, ItemWarning};
use agora_schemas::{ProjectInput, Qf4saFile, Slug, SyncAssessment, Visibility};
use serde_norway::Value;

pub use super::card::{CardDefaults, model_card, split_front_matter};
pub use super::rejection::Rejection;
use super::rejection::reject;
use super::{Entry, Listed, slugify};

pub const PROJECT_FILE: &str = "agora.yaml";
pub const MODEL_CARD_FILE: &str = "MODEL_CARD.md";
pub const QF4SA_FILE: &str = "qf4sa.yaml";

/// Reads an `agora.yaml` project manifest; `visibility` is the tree's, for a manifest
/// that does not set its own.
pub fn project(text: &str, visibility: Option<Visibility>) -> Result<ProjectInput, Rejection> {
    let Some(visibility) = visibility else {
        return Ok(from_yaml(text)?);
    };
    let mut meta = match serde_norway::from_str::<Value>(text) {
        Ok(Value::Mapping(m)) => m,
        // Anything else gets the decoder's own message.
        _ => return Ok(from_yaml(text)?),
    };
    let key = Value::String("visibility".into());
    if !meta.contains_key(&key) {
        meta.insert(key, Value::String(visibility.as_str().into()));
    }
    let yaml = serde_norway::to_string(&Value::Mapping(meta))
        .map_err(|e| reject(None, format!("cannot read the manifest: {e}")))?;
    Ok(from_yaml(&yaml)?)
}

/// Reads a `qf4sa.yaml`: the subject (`project`, or `model` and `version` of the agent's
/// organisation) and the five QF4SA dimensions.
pub fn qf4sa(text: &str) -> Result<SyncAssessment, Rejection> {
    Ok(from_yaml::<Qf4saFile>(text)?.into_sync())
}

const NO_FRONT_MATTER: &str = "no metadata: the card has no YAML front matter (`---` lines), \
    so it is read as text only, under no task, language or licence";

/// Where a tree of manifests (a repository or a folder) comes from.
#[derive(Debug, Clone)]
pub struct Tree<'a> {
    /// Prepended to each file's path to make its key, such as `git:naf/`.
    pub key_prefix: &'a str,
    /// The git commit the files were read at.
    pub commit: Option<&'a str>,
    pub organisation: &'a Slug,
    /// Names a model card found at the root whose front matter does not.
    pub root_name: &'a str,
    /// Visibility of projects and cards that do not set their own.
    pub visibility: Option<Visibility>,
}

/// The folder of a path relative to the tree (`""` at the root).
fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// Turns the manifest files of one tree into entries. `files` holds (path relative to the
/// tree, text). A model card belongs to the project of the nearest `agora.yaml` at or above
/// its folder unless its front matter names another.
pub fn entries(tree: &Tree<'_>, files: Vec<(String, String)>) -> Vec<Entry> {
    let projects: std::collections::HashMap<String, Result<ProjectInput, Rejection>> = files
        .iter()
        .filter(|(path, _)| path.rsplit('/').next() == Some(PROJECT_FILE))
        .map(|(path, text)| (folder_of(path).to_string(), project(text, tree.visibility)))
        .collect();
    let project_above = |path: &str| -> Option<Slug> {
        let mut dir = folder_of(path);
        loop {
            if let Some(found) = projects.get(dir) {
                return found.as_ref().ok().map(|p| p.slug.clone());
            }
            if dir.is_empty() {
                return None;
            }
            dir = folder_of(dir);
        }
    };
    let mut out = Vec::new();
    for (path, text) in files {
        let key = format!("{}{path}", tree.key_prefix);
        let file = path.rsplit('/').next().unwrap_or(&path);
        let mut warnings = Vec::new();
        let parsed = match file {
            PROJECT_FILE => projects
                .get(folder_of(&path))
                .cloned()
                .unwrap_or_else(|| project(&text, tree.visibility))
                .and_then(|p| to_item(ItemKind::Project, &p)),
            MODEL_CARD_FILE => {
                let folder = folder_of(&path);
                let defaults = CardDefaults {
                    organisation: tree.organisation,
                    name: if folder.is_empty() {
                        tree.root_name.to_string()
                    } else {
                        slugify(folder.rsplit('/').next().unwrap_or(folder))
                    },
                    project: project_above(&path),
                    visibility: tree.visibility,
                };
                if split_front_matter(&text).is_none() {
                    warnings.push(ItemWarning {
                        field: "metadata".into(),
                        reason: NO_FRONT_MATTER.into(),
                    });
                }
                model_card(&text, &defaults).and_then(|c| to_item(ItemKind::ModelCard, &c))
            }
            QF4SA_FILE => qf4sa(&text).and_then(|a| to_item(ItemKind::Assessment, &a)),
            _ => continue,
        };
        out.push(match parsed {
            Ok((kind, payload)) => Entry::Item(Listed {
                key,
                kind,
                payload,
                commit: tree.commit.map(str::to_string),
                stamp: None,
                needs: None,
                warnings,
            }),
            Err(r) => {
                tracing::warn!(%key, field = r.field.as_deref().unwrap_or("-"), reason = %r.reason,
                    "malformed manifest: not sent");
                Entry::Rejected {
                    key,
                    field: r.field,
                    reason: r.reason,
                }
            }
        });
    }
    out
}

fn to_item<T: serde::Serialize>(
    kind: ItemKind,
    value: &T,
) -> Result<(ItemKind, serde_json::Value), Rejection> {
    serde_json::to_value(value)
        .map(|v| (kind, v))
        .map_err(|e| reject(None, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn insee() -> Slug {
        Slug::parse("insee").unwrap()
    }

    #[test]
    fn a_card_without_front_matter_is_sent_with_a_warning() {
        let org = insee();
        let tree = Tree {
            key_prefix: "folder:",
            commit: None,
            organisation: &org,
            root_name: "shared",
            visibility: Some(Visibility::Public),
        };
        let files = vec![
            (
                "bcl-fr/MODEL_CARD.md".to_string(),
                "# opus-2020-01-08.zip\n\n* dataset: opus\n".to_string(),
            ),
            (
                "with-meta/MODEL_CARD.md".to_string(),
                "\r\n---\r\nlicense: mit\r\n---\r\n".to_string(),
            ),
        ];
        let listed: Vec<Listed> = entries(&tree, files)
            .into_iter()
            .map(|e| match e {
                Entry::Item(l) => l,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(listed[0].payload["name"], "bcl-fr");
        assert_eq!(listed[0].payload["visibility"], "public");
        assert_eq!(
            listed[0].payload["body"],
            "# opus-2020-01-08.zip\n\n* dataset: opus"
        );
        let fields: Vec<&str> = listed[0]
            .warnings
            .iter()
            .map(|w| w.field.as_str())
            .collect();
        assert_eq!(fields, ["metadata"]);
        assert!(listed[0].warnings[0].reason.contains("front matter"));
        assert_eq!(listed[1].payload["license"], "mit");
        assert!(listed[1].warnings.is_empty(), "{:?}", listed[1].warnings);
    }

    #[test]
    fn manifests_become_entries_and_bad_ones_are_reported_with_their_path() {
        let files = vec![
            (
                "agora.yaml".to_string(),
                "slug: naf\ntitle: NAF\nsummary: s\norganisations: [insee]\nstage: pilot\n"
                    .to_string(),
            ),
            (
                "models/x/MODEL_CARD.md".to_string(),
                "---\nname: Not A Slug\n---\n".to_string(),
            ),
            ("qf4sa.yaml".to_string(), "anything: 1\n".to_string()),
            ("models/x/qf4sa.yaml".to_string(), QF4SA.to_string()),
            ("README.md".to_string(), "# hi".to_string()),
        ];
        let org = insee();
        let tree = Tree {
            key_prefix: "git:naf/",
            commit: Some("abc"),
            organisation: &org,
            root_name: "naf",
            visibility: None,
        };
        let out = entries(&tree, files);
        assert_eq!(out.len(), 4);
        match &out[0] {
            Entry::Item(l) => {
                assert_eq!(l.key, "git:naf/agora.yaml");
                assert_eq!(l.commit.as_deref(), Some("abc"));
            }
            other => panic!("{other:?}"),
        }
        match &out[1] {
            Entry::Rejected { key, field, .. } => {
                assert_eq!(key, "git:naf/models/x/MODEL_CARD.md");
                assert_eq!(field.as_deref(), Some("name"));
            }
            other => panic!("{other:?}"),
        }
        match &out[2] {
            Entry::Rejected { key, field, .. } => {
                assert_eq!(key, "git:naf/qf4sa.yaml");
                assert_eq!(field.as_deref(), Some("explainability"));
            }
            other => panic!("{other:?}"),
        }
        match &out[3] {
            Entry::Item(l) => {
                assert_eq!(l.kind, ItemKind::Assessment);
                assert_eq!(l.payload["subject"]["model"], "naf-coder");
                assert_eq!(l.payload["content"]["qf4sa"]["accuracy"]["level"], 4);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_card_belongs_to_the_nearest_project_and_takes_the_tree_s_visibility() {
        let files = vec![
            (
                "agora.yaml".to_string(),
                "slug: naf\ntitle: NAF\nsummary: s\norganisations: [insee]\nstage: pilot\n"
                    .to_string(),
            ),
            (
                "MODEL_CARD.md".to_string(),
                "---\nlicense: mit\n---\nAt the root.\n".to_string(),
            ),
            (
                "models/alpha/MODEL_CARD.md".to_string(),
                "---\nagora: {visibility: members, name: naf-a}\n---\n".to_string(),
            ),
            (
                "models/beta/MODEL_CARD.md".to_string(),
                "---\nproject: other\nvisibility: organisation\n---\n".to_string(),
            ),
            (
                "census/agora.yaml".to_string(),
                "slug: census\ntitle: C\nsummary: s\norganisations: [insee]\nstage: idea\n\
                 visibility: members\n"
                    .to_string(),
            ),
            (
                "census/models/gamma/MODEL_CARD.md".to_string(),
                "---\n---\n".to_string(),
            ),
        ];
        let org = insee();
        let tree = Tree {
            key_prefix: "folder:",
            commit: None,
            organisation: &org,
            root_name: "shared",
            visibility: Some(Visibility::Public),
        };
        let payloads: Vec<serde_json::Value> = entries(&tree, files)
            .into_iter()
            .map(|e| match e {
                Entry::Item(l) => l.payload,
                other => panic!("{other:?}"),
            })
            .collect();
        let [root, card_root, a, b, census, c] = payloads.as_slice() else {
            panic!("{payloads:?}");
        };
        assert_eq!(root["visibility"], "public");
        assert_eq!(card_root["name"], "shared");
        assert_eq!(card_root["project"], "naf");
        assert_eq!(card_root["visibility"], "public");
        assert_eq!(a["name"], "naf-a");
        assert_eq!(a["project"], "naf");
        assert_eq!(a["visibility"], "members");
        assert!(
            a.get("agora").is_none(),
            "the agent's block is not sent: {a}"
        );
        assert_eq!(b["name"], "beta");
        assert_eq!(b["project"], "other");
        assert_eq!(b["visibility"], "organisation");
        assert_eq!(census["visibility"], "members");
        assert_eq!(c["project"], "census");
        assert_eq!(c["name"], "gamma");
    }

    const QF4SA: &str = "model: naf-coder\nversion: '3'\n\
        explainability: {level: 3, evidence: SHAP values per code}\n\
        accuracy: {level: 4, evidence: F1 0.93 on the 2023 sample}\n\
        reproducibility: {level: 4, evidence: pinned environment}\n\
        timeliness: {level: 5, evidence: coded daily}\n\
        cost_effectiveness: {level: 3, evidence: half the manual coding}\n";

    #[test]
    fn a_qf4sa_file_names_its_subject_and_levels() {
        let a = qf4sa(QF4SA).unwrap();
        assert_eq!(a.subject.version.as_deref(), Some("3"));
        let r = qf4sa(&QF4SA.replace("level: 5", "level: 0")).unwrap_err();
        assert_eq!(r.field.as_deref(), Some("timeliness.level"));
        let r = qf4sa("project: p1\n").unwrap_err();
        assert_eq!(r.field.as_deref(), Some("explainability"));
    }
}
