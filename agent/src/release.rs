//! The release filter: which fields of an item may leave the office. Applied to every
//! payload before it is hashed, spooled, printed or sent, so the hub never receives a field
//! outside the allowlist.

use std::collections::BTreeSet;

use agora_schemas::ModelCardInput;
use agora_schemas::sync::ItemKind;
use serde_json::Value;

use crate::error::{Error, Result};

/// Fields of each kind: the keys that identify an item (always kept) and the others.
const PROJECT_KEYS: &[&str] = &["slug", "title", "summary", "organisations", "stage"];
const PROJECT_FIELDS: &[&str] = &[
    "workstreams",
    "gsbpm",
    "domain",
    "task",
    "data_sources",
    "languages",
    "text_language",
    "repositories",
    "contacts",
    "tags",
    "visibility",
];
const CARD_KEYS: &[&str] = ModelCardInput::KEYS;
const CARD_FIELDS: &[&str] = ModelCardInput::FIELDS;
/// Model versions: fields of the version (the payload's `version` object).
const VERSION_KEYS: &[&str] = &["version"];
const VERSION_FIELDS: &[&str] = &[
    "description",
    "stage",
    "aliases",
    "registered_at",
    "results",
    "artifact_uri",
    "parameters",
    "registered_by",
];
/// Left out unless allowlisted: where artefacts live, run parameters, user ids.
const VERSION_HELD_BACK: &[&str] = &["artifact_uri", "parameters", "registered_by"];

/// The allowlist of one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    project: BTreeSet<String>,
    model_card: BTreeSet<String>,
    /// `model_card.*` (and the default): every key of a card leaves, those the hub does not
    /// know included (a card copied from the Hugging Face Hub is published whole).
    model_card_whole: bool,
    model_version: BTreeSet<String>,
}

impl Default for Release {
    fn default() -> Self {
        let all = |f: &[&str]| f.iter().map(|s| s.to_string()).collect();
        Self {
            project: all(PROJECT_FIELDS),
            model_card: all(CARD_FIELDS),
            model_card_whole: true,
            model_version: VERSION_FIELDS
                .iter()
                .filter(|f| !VERSION_HELD_BACK.contains(f))
                .map(|s| s.to_string())
                .collect(),
        }
    }
}

impl Release {
    /// Reads `release = ["model_card.*", "model_version.artifact_uri", ...]`; `None` gives
    /// the default. `at` is the key's path, for errors.
    pub fn from_config(entries: Option<&[String]>, at: &str) -> Result<Self> {
        let Some(entries) = entries else {
            return Ok(Self::default());
        };
        let mut release = Self {
            project: BTreeSet::new(),
            model_card: BTreeSet::new(),
            model_card_whole: false,
            model_version: BTreeSet::new(),
        };
        for (i, entry) in entries.iter().enumerate() {
            let bad = |msg: String| Error::Config(format!("`{at}[{i}]`: {msg}"));
            let (kind, field) = entry
                .split_once('.')
                .ok_or_else(|| bad(format!("`{entry}`: write `kind.field` or `kind.*`")))?;
            let (set, keys, fields) = match kind {
                "project" => (&mut release.project, PROJECT_KEYS, PROJECT_FIELDS),
                "model_card" => (&mut release.model_card, CARD_KEYS, CARD_FIELDS),
                "model_version" => (&mut release.model_version, VERSION_KEYS, VERSION_FIELDS),
                other => {
                    return Err(bad(format!(
                        "unknown kind `{other}`: use project, model_card or model_version"
                    )));
                }
            };
            if field == "*" {
                set.extend(fields.iter().map(|s| s.to_string()));
                release.model_card_whole |= kind == "model_card";
            } else if fields.contains(&field) {
                set.insert(field.to_string());
            } else if !keys.contains(&field) {
                return Err(bad(format!(
                    "`{kind}` has no field `{field}`; its fields are {}",
                    fields.join(", ")
                )));
            }
        }
        Ok(release)
    }

    /// Keeps only the allowed fields (and the item's keys) of a payload.
    pub fn apply(&self, kind: ItemKind, payload: &mut Value) {
        let keep = |object: &mut Value, keys: &[&str], allowed: &BTreeSet<String>| {
            if let Value::Object(map) = object {
                map.retain(|k, _| keys.contains(&k.as_str()) || allowed.contains(k));
            }
        };
        match kind {
            ItemKind::Project => keep(payload, PROJECT_KEYS, &self.project),
            ItemKind::ModelCard if self.model_card_whole => {}
            ItemKind::ModelCard => keep(payload, CARD_KEYS, &self.model_card),
            ItemKind::ModelVersion => {
                if let Value::Object(map) = payload {
                    map.retain(|k, _| k == "model" || k == "version");
                    if let Some(version) = map.get_mut("version") {
                        keep(version, VERSION_KEYS, &self.model_version);
                    }
                }
            }
            // An assessment is written to be shared: a `qf4sa.yaml` leaves whole.
            ItemKind::Assessment => {}
        }
    }

    /// Whether a field may leave, such as `("model_version", "artifact_uri")`.
    pub fn allows(&self, kind: ItemKind, field: &str) -> bool {
        match kind {
            ItemKind::Project => PROJECT_KEYS.contains(&field) || self.project.contains(field),
            ItemKind::ModelCard => {
                self.model_card_whole
                    || CARD_KEYS.contains(&field)
                    || self.model_card.contains(field)
            }
            ItemKind::ModelVersion => {
                VERSION_KEYS.contains(&field) || self.model_version.contains(field)
            }
            ItemKind::Assessment => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn version() -> Value {
        json!({"model": "naf", "version": {"version": "3", "description": "d",
            "artifact_uri": "s3://bucket/insee/naf/3", "parameters": {"lr": "0.1"},
            "registered_by": "jdupont", "results": []}})
    }

    #[test]
    fn by_default_artifact_uris_parameters_and_user_ids_stay_home() {
        let mut v = version();
        Release::default().apply(ItemKind::ModelVersion, &mut v);
        assert_eq!(
            v,
            json!({"model": "naf", "version": {"version": "3", "description": "d", "results": []}})
        );
    }

    #[test]
    fn by_default_a_card_leaves_whole_with_keys_the_hub_does_not_know() {
        let mut card = json!({"organisation": "insee", "name": "naf", "license": "other",
            "license_name": "etalab-2.0", "widget": [{"text": "boulanger"}], "colour": "red"});
        let before = card.clone();
        Release::default().apply(ItemKind::ModelCard, &mut card);
        assert_eq!(card, before);
    }

    #[test]
    fn an_allowlist_replaces_the_default_and_keys_always_stay() {
        let entries = vec!["model_version.artifact_uri".to_string()];
        let r = Release::from_config(Some(&entries), "sources[0].release").unwrap();
        let mut v = version();
        r.apply(ItemKind::ModelVersion, &mut v);
        assert_eq!(
            v,
            json!({"model": "naf", "version": {"version": "3", "artifact_uri": "s3://bucket/insee/naf/3"}})
        );
        let mut card = json!({"organisation": "insee", "name": "naf", "body": "secret notes"});
        r.apply(ItemKind::ModelCard, &mut card);
        assert_eq!(card, json!({"organisation": "insee", "name": "naf"}));
        assert!(r.allows(ItemKind::ModelVersion, "artifact_uri"));
        assert!(!r.allows(ItemKind::ModelCard, "body"));
    }

    #[test]
    fn wildcards_and_mistakes() {
        let entries = vec!["model_card.*".to_string(), "project.*".to_string()];
        let r = Release::from_config(Some(&entries), "r").unwrap();
        let mut card =
            json!({"organisation": "insee", "name": "naf", "body": "b", "colour": "red"});
        r.apply(ItemKind::ModelCard, &mut card);
        assert_eq!(card["body"], "b");
        assert_eq!(
            card["colour"], "red",
            "keys the hub does not know leave too"
        );
        let bad = vec!["model_card.*".to_string(), "model_card.colour".to_string()];
        let err = Release::from_config(Some(&bad), "sources[2].release")
            .unwrap_err()
            .to_string();
        assert!(err.contains("`sources[2].release[1]`"), "{err}");
        let bad = vec!["runs.*".to_string()];
        assert!(Release::from_config(Some(&bad), "r").is_err());
    }
}
