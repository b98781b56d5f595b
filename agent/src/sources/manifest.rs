//! Manifest files, as found in git repositories and folders: `agora.yaml` (a project),
//! `MODEL_CARD.md` (YAML front matter in the Hugging Face style, then the card's markdown)
//! and `qf4sa.yaml` (a QF4SA assessment of the project, or of a model version, it names).

use agora_schemas::decode::{DecodeError, from_yaml};
use agora_schemas::sync::{ItemKind, ItemWarning};
use agora_schemas::{ModelCardInput, ProjectInput, Qf4saFile, Slug, SyncAssessment, Visibility};
use serde_norway::{Mapping, Value};

use super::{Entry, Listed, slugify};

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

/// Splits a card into its YAML front matter and its body, by the rule of the Hugging Face
/// Hub and `huggingface_hub` (`REGEX_YAML_BLOCK` in its `repocard.py`): blank lines (any
/// white space) may come first, then a `---` line, the YAML, and the first line that is
/// `---` (spaces or tabs may follow it), lines ending in `\n`, `\r\n` or `\r`. YAML's own end
/// of document (`...`) also closes it, and `---` right after the opening line is an empty
/// block. `None` when the text has no front matter: the Hub then reads empty metadata.
pub fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = line_break(text.trim_start().strip_prefix("---")?)?;
    if let Some(n) = closing_line(rest) {
        return Some(("", &rest[n..]));
    }
    for (i, c) in rest.char_indices() {
        if c != '\n' && c != '\r' {
            continue;
        }
        let after = line_break(&rest[i..]).unwrap_or_default();
        let front = rest.len() - after.len();
        if let Some(n) = closing_line(after) {
            return Some((&rest[..front], &after[n..]));
        }
    }
    None
}

/// `text` after the line break it starts with, if it starts with one.
fn line_break(text: &str) -> Option<&str> {
    text.strip_prefix("\r\n")
        .or_else(|| text.strip_prefix('\n'))
        .or_else(|| text.strip_prefix('\r'))
}

/// The length of the closing line `text` starts with (`---` or `...`, then spaces or tabs,
/// then a line break or the end of the text), if it starts with one.
fn closing_line(text: &str) -> Option<usize> {
    let after = text
        .strip_prefix("---")
        .or_else(|| text.strip_prefix("..."))?;
    let after = after.trim_start_matches([' ', '\t']);
    let rest = if after.is_empty() {
        after
    } else {
        after
            .strip_prefix("\r\n")
            .or_else(|| after.strip_prefix('\n'))?
    };
    Some(text.len() - rest.len())
}

const NO_FRONT_MATTER: &str = "no metadata: the card has no YAML front matter (`---` lines), \
    so it is read as text only, under no task, language or licence";

/// What a model card takes from where it is found, when its front matter does not say.
#[derive(Debug, Clone)]
pub struct CardDefaults<'a> {
    /// The agent's organisation.
    pub organisation: &'a Slug,
    /// From the file's folder, or the repository's (or folder source's) name at the root.
    pub name: String,
    /// The project of the nearest `agora.yaml` at or above the file's folder.
    pub project: Option<Slug>,
    /// The repository's or the folder source's.
    pub visibility: Option<Visibility>,
}

/// The keys of the front matter's `agora:` block, which is the agent's and is not sent.
const AGENT_KEYS: [&str; 3] = ["visibility", "project", "name"];

/// Reads a `MODEL_CARD.md`, as copied from the Hugging Face Hub or written for Agora. The
/// front matter may leave out `organisation` (the agent's), `name`, `project` and
/// `visibility` (from `defaults`), and may give `language` as one string, as Hugging Face
/// cards do; an `agora:` block (`agora: {visibility: public}`) sets `visibility`, `project`
/// or `name` for Agora only. The markdown after it becomes the card's body; a card without
/// front matter is read as all body, with empty metadata, as the Hub reads it.
pub fn model_card(text: &str, defaults: &CardDefaults<'_>) -> Result<ModelCardInput, Rejection> {
    // Without front matter, the whole text is the body and the metadata is empty, as the
    // Hub reads it; `entries` warns about it.
    let (front, body) = split_front_matter(text).unwrap_or(("", text));
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
    let mut agent = agent_block(meta.remove(key("agora")))?;
    if let Some(visibility) = defaults.visibility {
        agent
            .entry("visibility")
            .or_insert_with(|| key(visibility.as_str()));
    }
    if let Some(project) = &defaults.project {
        agent
            .entry("project")
            .or_insert_with(|| key(project.as_str()));
    }
    agent.entry("name").or_insert_with(|| key(&defaults.name));
    for (k, v) in agent {
        if !meta.contains_key(key(k)) {
            meta.insert(key(k), v);
        }
    }
    if !meta.contains_key(key("organisation")) {
        meta.insert(key("organisation"), key(defaults.organisation.as_str()));
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

/// The front matter's `agora:` block: a mapping of [`AGENT_KEYS`], each checked here so that
/// a mistake names `agora.…`.
fn agent_block(
    block: Option<Value>,
) -> Result<std::collections::BTreeMap<&'static str, Value>, Rejection> {
    let mut out = std::collections::BTreeMap::new();
    let map = match block {
        None | Some(Value::Null) => return Ok(out),
        Some(Value::Mapping(m)) => m,
        Some(_) => {
            return Err(reject(
                Some("agora"),
                "must be a mapping, such as `agora: {visibility: public}`",
            ));
        }
    };
    for (k, v) in map {
        let name = k.as_str().unwrap_or_default();
        let Some(known) = AGENT_KEYS.iter().find(|a| **a == name) else {
            return Err(reject(
                Some(&format!("agora.{}", name)),
                format!(
                    "unknown key: the agent reads {} here",
                    AGENT_KEYS.map(|a| format!("`{a}`")).join(", ")
                ),
            ));
        };
        let checked = match *known {
            "visibility" => serde_norway::from_value::<Visibility>(v.clone())
                .map(|_| ())
                .map_err(|_| "use public, members or organisation".to_string()),
            _ => v
                .as_str()
                .map(|s| Slug::parse(s).map(|_| ()).map_err(|e| e.to_string()))
                .unwrap_or_else(|| Err("must be a slug, such as `naf-coder`".into())),
        };
        if let Err(why) = checked {
            return Err(reject(Some(&format!("agora.{known}")), why));
        }
        out.insert(*known, v);
    }
    Ok(out)
}

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

    fn defaults<'a>(org: &'a Slug, name: &str) -> CardDefaults<'a> {
        CardDefaults {
            organisation: org,
            name: name.into(),
            project: None,
            visibility: None,
        }
    }

    const CARD: &str = "---\nlicense: apache-2.0\nlanguage: fr\ntags: [nace, coding]\n\
        library_name: fasttext\ntask: coding\nvisibility: public\n---\n\n# NACE coder\n\nCodes activities.\n";

    #[test]
    fn a_hugging_face_style_card_reads_with_defaults() {
        let card = model_card(CARD, &defaults(&insee(), "naf-coder")).unwrap();
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
        let card = model_card(&odd, &defaults(&insee(), "x1")).unwrap();
        let warned: Vec<String> = card.warnings().into_iter().map(|w| w.field).collect();
        assert_eq!(warned, ["language[1]"]);
        let r =
            model_card("---\nlicense: [unclosed\n---\n", &defaults(&insee(), "x1")).unwrap_err();
        assert!(r.reason.contains("YAML"), "{}", r.reason);
        // Keys the hub does not know are kept as written.
        let card = model_card("---\ncolour: red\n---\n", &defaults(&insee(), "x1")).unwrap();
        assert_eq!(card.extra["colour"], "red");
        let r = model_card("---\nname: Not A Slug\n---\n", &defaults(&insee(), "x1")).unwrap_err();
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
    fn front_matter_is_found_where_the_hub_finds_it() {
        // Blank lines before the opening line, as in cards copied from the Hub.
        assert_eq!(
            split_front_matter("\n---\nlanguage: ru\n---\n# T\n"),
            Some(("language: ru\n", "# T\n"))
        );
        assert_eq!(
            split_front_matter("\r\n \r\n---\r\n\r\nlibrary_name: x\r\n---\r\nbody"),
            Some(("\r\nlibrary_name: x\r\n", "body"))
        );
        // Old Mac line ends inside, spaces after the closing line, closing at the very end.
        assert_eq!(
            split_front_matter("---\ra: 1\r---  \nb"),
            Some(("a: 1\r", "b"))
        );
        assert_eq!(split_front_matter("---\na: 1\n---"), Some(("a: 1\n", "")));
        // A horizontal rule later in the text is not front matter; nor is `----`.
        assert_eq!(split_front_matter("# T\n\n---\na: 1\n---\n"), None);
        assert_eq!(split_front_matter("----\na: 1\n----\n"), None);
        assert_eq!(split_front_matter("---\na: 1\n--- x\n"), None);
    }

    #[test]
    fn a_card_without_front_matter_is_all_body_with_empty_metadata() {
        let text = "# Hate speech detector\n\nThis model detects **hate speech**.\n";
        let card = model_card(text, &defaults(&insee(), "dehate-ar")).unwrap();
        assert_eq!(card.name.as_str(), "dehate-ar");
        assert_eq!(card.organisation.as_str(), "insee");
        assert_eq!(
            card.body.as_deref(),
            Some("# Hate speech detector\n\nThis model detects **hate speech**.")
        );
        assert!(card.language.is_empty() && card.license.is_none());
        assert!(card.extra.is_empty(), "{:?}", card.extra);
        // A blank line before the front matter: read, not refused.
        let card = model_card(
            "\n\n---\nlanguage:\n- en\n- ru\nlicense: apache-2.0\n---\n# WMT19\n",
            &defaults(&insee(), "wmt19-en-ru"),
        )
        .unwrap();
        assert_eq!(card.language.len(), 2);
        assert_eq!(card.license.as_deref(), Some("apache-2.0"));
        assert_eq!(card.body.as_deref(), Some("# WMT19"));
    }

    #[test]
    fn list_entries_written_as_mappings_are_kept() {
        let text = "---\nlanguage:\n- tr\ndatasets:\n- opus\n- OSCAR: https://example.org/oscar\n\
            tags:\n- 2023\n---\nA Turkish model.\n";
        let card = model_card(text, &defaults(&insee(), "tr-model")).unwrap();
        let warned: Vec<String> = card.warnings().into_iter().map(|w| w.field).collect();
        assert_eq!(warned, ["tags[0]", "datasets[1]"]);
        let payload = serde_json::to_value(&card).unwrap();
        assert_eq!(payload["datasets"][1]["OSCAR"], "https://example.org/oscar");
        assert_eq!(payload["tags"][0], 2023);
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

    #[test]
    fn the_agent_block_is_checked_with_its_path() {
        let org = insee();
        for (front, field) in [
            ("agora: {visibility: everyone}", "agora.visibility"),
            ("agora: {colour: red}", "agora.colour"),
            ("agora: {project: Not A Slug}", "agora.project"),
            ("agora: public", "agora"),
        ] {
            let r = model_card(&format!("---\n{front}\n---\n"), &defaults(&org, "x1")).unwrap_err();
            assert_eq!(r.field.as_deref(), Some(field), "{front}: {r:?}");
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
