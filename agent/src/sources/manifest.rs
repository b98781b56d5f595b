//! Manifest files, as found in git repositories and folders: `agora.yaml` (a project),
//! `MODEL_CARD.md` (YAML front matter in the Hugging Face style, then the card's markdown)
//! and `qf4sa.yaml` (a QF4SA assessment of the project, or of a model version, it names).

use agora_schemas::decode::{DecodeError, from_yaml};
use agora_schemas::sync::ItemKind;
use agora_schemas::{ModelCardInput, ProjectInput, Qf4saFile, Slug, SyncAssessment};
use serde_norway::{Mapping, Value};

use super::{Entry, Listed};

pub const PROJECT_FILE: &str = "agora.yaml";
pub const MODEL_CARD_FILE: &str = "MODEL_CARD.md";
pub const QF4SA_FILE: &str = "qf4sa.yaml";

/// Why a manifest was not accepted: the field at fault (a path) and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub field: Option<String>,
    pub reason: String,
}

impl From<DecodeError> for Rejection {
    fn from(e: DecodeError) -> Self {
        match e {
            DecodeError::Invalid(f) => Self {
                field: Some(f.field),
                reason: f.message,
            },
            DecodeError::Syntax { .. } => Self {
                field: None,
                reason: e.to_string(),
            },
        }
    }
}

fn reject(field: Option<&str>, reason: impl Into<String>) -> Rejection {
    Rejection {
        field: field.map(str::to_string),
        reason: reason.into(),
    }
}

/// Reads an `agora.yaml` project manifest.
pub fn project(text: &str) -> Result<ProjectInput, Rejection> {
    Ok(from_yaml(text)?)
}

/// Reads a `qf4sa.yaml`: the subject (`project`, or `model` and `version` of the agent's
/// organisation) and the five QF4SA dimensions.
pub fn qf4sa(text: &str) -> Result<SyncAssessment, Rejection> {
    Ok(from_yaml::<Qf4saFile>(text)?.into_sync())
}

/// Splits `---\nfront matter\n---\nbody` into its two parts.
pub fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if bare == "---" || bare == "..." {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

/// Reads a `MODEL_CARD.md`. The front matter may leave out `organisation` (the agent's) and
/// `name` (`default_name`), and may give `language` as one string, as Hugging Face cards
/// do; the markdown after it becomes the card's body.
pub fn model_card(
    text: &str,
    organisation: &Slug,
    default_name: &str,
) -> Result<ModelCardInput, Rejection> {
    let (front, body) = split_front_matter(text).ok_or_else(|| {
        reject(
            None,
            "no front matter: the file must start with `---`, YAML metadata, then `---`",
        )
    })?;
    let mut meta: Mapping = if front.trim().is_empty() {
        Mapping::new()
    } else {
        match serde_norway::from_str::<Value>(front) {
            Ok(Value::Mapping(m)) => m,
            Ok(Value::Null) => Mapping::new(),
            Ok(_) => return Err(reject(None, "the front matter must be a YAML mapping")),
            Err(e) => return Err(reject(None, format!("malformed YAML: {e}"))),
        }
    };
    let key = |k: &str| Value::String(k.to_string());
    if !meta.contains_key(key("organisation")) {
        meta.insert(key("organisation"), key(organisation.as_str()));
    }
    if !meta.contains_key(key("name")) {
        meta.insert(key("name"), key(default_name));
    }
    if let Some(Value::String(one)) = meta.get(key("language")).cloned() {
        meta.insert(key("language"), Value::Sequence(vec![Value::String(one)]));
    }
    let body = body.trim();
    if !body.is_empty() && !meta.contains_key(key("body")) {
        meta.insert(key("body"), key(body));
    }
    let yaml = serde_norway::to_string(&Value::Mapping(meta))
        .map_err(|e| reject(None, format!("cannot read the front matter: {e}")))?;
    Ok(from_yaml(&yaml)?)
}

/// Turns the manifest files of one tree (a repository or a folder) into entries.
/// `files` holds (path relative to the tree, text); `key_prefix` is prepended to the path
/// to make the key; `default_name` names a model card whose front matter does not.
pub fn entries(
    key_prefix: &str,
    files: Vec<(String, String)>,
    commit: Option<&str>,
    organisation: &Slug,
    default_name: &dyn Fn(&str) -> String,
) -> Vec<Entry> {
    let mut out = Vec::new();
    for (path, text) in files {
        let key = format!("{key_prefix}{path}");
        let file = path.rsplit('/').next().unwrap_or(&path);
        let parsed = match file {
            PROJECT_FILE => project(&text).and_then(|p| to_item(ItemKind::Project, &p)),
            MODEL_CARD_FILE => model_card(&text, organisation, &default_name(&path))
                .and_then(|c| to_item(ItemKind::ModelCard, &c)),
            QF4SA_FILE => qf4sa(&text).and_then(|a| to_item(ItemKind::Assessment, &a)),
            _ => continue,
        };
        out.push(match parsed {
            Ok((kind, payload)) => Entry::Item(Listed {
                key,
                kind,
                payload,
                commit: commit.map(str::to_string),
                stamp: None,
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

    const CARD: &str = "---\nlicense: apache-2.0\nlanguage: fr\ntags: [nace, coding]\n\
        library_name: fasttext\ntask: coding\nvisibility: public\n---\n\n# NACE coder\n\nCodes activities.\n";

    #[test]
    fn a_hugging_face_style_card_reads_with_defaults() {
        let card = model_card(CARD, &insee(), "naf-coder").unwrap();
        assert_eq!(card.organisation.as_str(), "insee");
        assert_eq!(card.name.as_str(), "naf-coder");
        assert_eq!(card.language.as_slice()[0].as_str(), "fr");
        assert_eq!(card.license.as_deref(), Some("apache-2.0"));
        assert_eq!(
            card.body.as_deref(),
            Some("# NACE coder\n\nCodes activities.")
        );
    }

    #[test]
    fn a_malformed_card_names_its_field() {
        // A value the hub cannot use is kept with a warning, no longer refused.
        let odd = CARD.replace("language: fr", "language: [fr, french]");
        let card = model_card(&odd, &insee(), "x1").unwrap();
        let warned: Vec<String> = card.warnings().into_iter().map(|w| w.field).collect();
        assert_eq!(warned, ["language[1]"]);
        let r = model_card("# no front matter\n", &insee(), "x1").unwrap_err();
        assert!(r.reason.contains("front matter"), "{}", r.reason);
        let r = model_card("---\nlicense: [unclosed\n---\n", &insee(), "x1").unwrap_err();
        assert!(r.reason.contains("YAML"), "{}", r.reason);
        // Keys the hub does not know are kept as written.
        let card = model_card("---\ncolour: red\n---\n", &insee(), "x1").unwrap();
        assert_eq!(card.extra["colour"], "red");
        let r = model_card("---\nname: Not A Slug\n---\n", &insee(), "x1").unwrap_err();
        assert_eq!(r.field.as_deref(), Some("name"));
    }

    #[test]
    fn front_matter_splits_on_its_closing_line() {
        assert_eq!(
            split_front_matter("---\na: 1\n---\nbody"),
            Some(("a: 1\n", "body"))
        );
        assert_eq!(
            split_front_matter("---\r\na: 1\r\n...\r\nb"),
            Some(("a: 1\r\n", "b"))
        );
        assert_eq!(split_front_matter("a: 1\n"), None);
        assert_eq!(split_front_matter("---\na: 1\n"), None);
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
        let out = entries("git:naf/", files, Some("abc"), &insee(), &|_| "naf".into());
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
