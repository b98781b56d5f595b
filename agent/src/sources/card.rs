//! `MODEL_CARD.md`: YAML front matter in the Hugging Face Hub's style, then the card's
//! markdown. A card copied verbatim from the Hub reads as is; what it leaves out comes from
//! where it is found (the agent's organisation, its folder's name, the nearest project, the
//! repository's visibility), and an `agora:` block sets what is for Agora only.

use agora_schemas::decode::from_yaml;
use agora_schemas::{ModelCardInput, Slug, Visibility};
use serde_norway::{Mapping, Value};

use super::rejection::{Rejection, reject};

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
/// `visibility` (from `defaults`); every other key is kept in the shape it was written in
/// (`language: fr` stays one string, as the Hub gives it back). An `agora:` block
/// (`agora: {visibility: public}`) sets `visibility`, `project` or `name` for Agora only.
/// The markdown after it becomes the card's body; a card without front matter is read as
/// all body, with empty metadata, as the Hub reads it.
pub fn model_card(text: &str, defaults: &CardDefaults<'_>) -> Result<ModelCardInput, Rejection> {
    // Without front matter, the whole text is the body and the metadata is empty, as the
    // Hub reads it; `manifest::entries` warns about it.
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
}
