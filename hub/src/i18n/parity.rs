//! The catalogues agree: every language has every key, and every key the templates and
//! page code name exists.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use agora_schemas::{JourneyStage, MlTask};
use fluent_bundle::FluentResource;
use fluent_syntax::ast::Entry;

use super::Lang;
use super::catalogue::{AREAS, files, has};

fn keys(text: &str) -> BTreeSet<String> {
    let resource = match FluentResource::try_new(text.to_string()) {
        Ok(r) => r,
        Err((_, errors)) => panic!("a catalogue does not parse: {errors:?}"),
    };
    resource
        .entries()
        .filter_map(|e| match e {
            Entry::Message(m) => Some(m.id.name.to_string()),
            Entry::Term(t) => Some(format!("-{}", t.id.name)),
            _ => None,
        })
        .collect()
}

#[test]
fn every_language_has_the_same_keys_in_every_area() {
    let english = files(Lang::En);
    assert_eq!(english.len(), AREAS.len());
    for lang in [Lang::Fr, Lang::Es] {
        for ((area, en), (_, other)) in english.iter().zip(files(lang)) {
            let (en, other) = (keys(en), keys(other));
            let missing: Vec<_> = en.difference(&other).collect();
            let extra: Vec<_> = other.difference(&en).collect();
            assert!(
                missing.is_empty() && extra.is_empty(),
                "{lang}/{area}.ftl: missing {missing:?}, not in English {extra:?}"
            );
        }
    }
}

#[test]
fn no_key_is_defined_twice() {
    for lang in Lang::ALL {
        let mut seen = BTreeSet::new();
        for (area, text) in files(lang) {
            for key in keys(text) {
                assert!(
                    seen.insert(key.clone()),
                    "{lang}/{area}.ftl repeats `{key}`"
                );
            }
        }
    }
}

#[test]
fn labels_built_from_enums_exist() {
    for lang in Lang::ALL {
        for s in JourneyStage::ALL {
            assert!(has(lang, &format!("stage-{}", s.as_str())), "{lang}: {s:?}");
        }
        for t in MlTask::ALL {
            assert!(has(lang, &format!("task-{}", t.as_str())), "{lang}: {t:?}");
        }
    }
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sources(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "rs" || e == "html" || e == "txt")
        {
            out.push(path);
        }
    }
}

/// The literal keys given to `t("…")` and `msg("…")` in a source file.
fn keys_used(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for call in [".t(\"", ".msg(\""] {
        let mut rest = text;
        while let Some(i) = rest.find(call) {
            rest = &rest[i + call.len()..];
            if let Some(end) = rest.find('"') {
                let key = &rest[..end];
                if !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                {
                    found.push(key.to_string());
                }
            }
        }
    }
    found
}

#[test]
fn every_key_the_templates_and_pages_use_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("templates"), &mut files);
    sources(&root.join("src"), &mut files);
    let mut used = 0;
    for file in files {
        if file.ends_with("i18n/parity.rs") || file.ends_with("i18n/mod.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        for key in keys_used(&text) {
            used += 1;
            for lang in Lang::ALL {
                assert!(
                    has(lang, &key),
                    "{}: `{key}` is not in {lang}",
                    file.display()
                );
            }
        }
    }
    assert!(used > 100, "only {used} keys found: is the scanner broken?");
}

/// The text of a template that readers would see, with the template's own tags, the HTML
/// tags (but for the attributes people read: `aria-label`, `title`, `alt`,
/// `placeholder`), comments, entities, code, `<style>` and `<script>` left out.
fn visible_text(template: &str) -> String {
    let mut text = template.to_string();
    for (open, close) in [("{#", "#}"), ("{%", "%}"), ("{{", "}}")] {
        text = strip_between(&text, open, close, " ");
    }
    let skipped = [
        ("<style", "</style>"),
        ("<script", "</script>"),
        ("<!--", "-->"),
        ("<code", "</code>"),
        ("<pre", "</pre>"),
    ];
    for (open, close) in skipped {
        text = strip_between(&text, open, close, " ");
    }
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            break;
        };
        let tag = &rest[start..start + end];
        for attr in ["aria-label=\"", "title=\"", "alt=\"", "placeholder=\""] {
            if let Some(i) = tag.find(attr) {
                let value = &tag[i + attr.len()..];
                out.push(' ');
                out.push_str(value.split('"').next().unwrap_or_default());
                out.push(' ');
            }
        }
        out.push(' ');
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    strip_between(&out, "&", ";", " ")
}

fn strip_between(text: &str, open: &str, close: &str, with: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(open) {
        out.push_str(&rest[..start]);
        match rest[start + open.len()..].find(close) {
            Some(end) => {
                out.push_str(with);
                rest = &rest[start + open.len() + end + close.len()..];
            }
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Words that read the same in every language: names, acronyms and units.
const UNTRANSLATED: &[&str] = &[
    "A", "Agora", "QF4SA", "GSBPM", "API", "UTC", "ms", "CSV", "JSON", "SVG", "MLflow", "ID",
    "OpenID", "Connect", "PKCE", "DCAT", "AP", "JSON-LD", "TTL", "F1", "Slurm",
];

#[test]
fn templates_show_no_text_outside_the_catalogues() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut files = Vec::new();
    sources(&root, &mut files);
    let mut left = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for word in visible_text(&text).split(|c: char| !(c.is_alphanumeric() || c == '-')) {
            let has_letters = word.chars().any(char::is_alphabetic);
            if has_letters && !UNTRANSLATED.contains(&word) {
                let name = file
                    .strip_prefix(&root)
                    .unwrap_or(file)
                    .display()
                    .to_string();
                left.push(format!("{name}: {word}"));
            }
        }
    }
    assert!(files.len() > 40, "only {} templates found", files.len());
    assert!(
        left.is_empty(),
        "text outside the catalogues:\n{}",
        left.join("\n")
    );
}
