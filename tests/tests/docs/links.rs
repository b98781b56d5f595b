//! Every relative link in `README.md` and `docs/**/*.md` names a file or folder of the
//! repository, and every `#anchor` a heading of the Markdown file it points into, by
//! GitHub's rule for heading anchors. Links in code blocks and code spans are not links.

use std::collections::{BTreeMap, HashSet};
use std::path::{Component, Path, PathBuf};

/// The repository's root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .expect("the repository's root")
}

/// `README.md` and every Markdown file under `docs/`, relative to `root`.
fn documents(root: &Path) -> Vec<PathBuf> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            return;
        };
        for entry in entries.flatten() {
            let path = dir.join(entry.file_name());
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                walk(root, &path, out);
            } else if path.extension().is_some_and(|e| e == "md") {
                out.push(path);
            }
        }
    }
    let mut out = vec![PathBuf::from("README.md")];
    walk(root, Path::new("docs"), &mut out);
    out.sort();
    out
}

/// The lines of `text` outside fenced code blocks, with their line numbers (from 1).
fn prose(text: &str) -> Vec<(usize, String)> {
    let mut fence: Option<String> = None;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        let marker: String = trimmed
            .chars()
            .take_while(|&c| c == '`' || c == '~')
            .collect();
        match &fence {
            Some(open) => {
                if marker.len() >= open.len() && marker.starts_with(&open[..1]) {
                    fence = None;
                }
            }
            None if marker.len() >= 3
                && marker.chars().all(|c| c == marker.as_bytes()[0] as char) =>
            {
                fence = Some(marker);
            }
            None => out.push((i + 1, line.to_string())),
        }
    }
    out
}

/// `line` with each code span replaced by `x`: a span's text is never a link.
fn without_code_spans(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find('`') {
        out.push_str(&rest[..start]);
        let ticks = rest[start..].chars().take_while(|&c| c == '`').count();
        let after = &rest[start + ticks..];
        let closing = "`".repeat(ticks);
        match after.find(&closing) {
            Some(end) => {
                out.push('x');
                rest = &after[end + ticks..];
            }
            None => {
                out.push_str(&rest[start..start + ticks]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// GitHub's anchor for a heading: markup dropped, lower case, spaces to `-`, every other
/// character that is not a letter, a digit, `-` or `_` dropped.
pub fn slug(heading: &str) -> String {
    // A link in a heading keeps its text only.
    let mut text = String::new();
    let mut rest = heading;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("](").map(|i| open + i) else {
            break;
        };
        let Some(end) = rest[close..].find(')').map(|i| close + i) else {
            break;
        };
        text.push_str(&rest[..open]);
        text.push_str(&rest[open + 1..close]);
        rest = &rest[end + 1..];
    }
    text.push_str(rest);
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of a Markdown text: its headings' slugs (a repeated one takes `-1`, `-2`...)
/// and the `id`s of HTML anchors.
fn anchors(text: &str) -> HashSet<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut out = HashSet::new();
    for (_, line) in prose(text) {
        let hashes = line.chars().take_while(|&c| c == '#').count();
        if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
            let heading = line[hashes..].trim().trim_end_matches('#').trim();
            let base = slug(heading);
            let n = seen.entry(base.clone()).or_insert(0);
            out.insert(if *n == 0 {
                base.clone()
            } else {
                format!("{base}-{n}")
            });
            *n += 1;
        }
        for marker in ["<a id=\"", "<a name=\""] {
            for (i, _) in line.match_indices(marker) {
                let rest = &line[i + marker.len()..];
                if let Some(end) = rest.find('"') {
                    out.insert(rest[..end].to_string());
                }
            }
        }
    }
    out
}

/// The targets of the links of one line: `[text](target)`, `![alt](target)` and reference
/// definitions `[label]: target`.
fn targets(line: &str) -> Vec<String> {
    let line = without_code_spans(line);
    let mut out = Vec::new();
    for (i, _) in line.match_indices("](") {
        let rest = &line[i + 2..];
        let rest = rest.strip_prefix('<').unwrap_or(rest);
        let end = rest.find([')', ' ', '>']).unwrap_or(rest.len());
        out.push(rest[..end].to_string());
    }
    let trimmed = line.trim_start();
    if trimmed.starts_with('[')
        && let Some(i) = trimmed.find("]: ")
    {
        let target = trimmed[i + 3..].split_whitespace().next().unwrap_or("");
        out.push(target.to_string());
    }
    out
}

/// `path` with `.` and `..` worked out, without touching the file system.
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// What is wrong with the links of the documents under `root`, one line each.
pub fn broken_links(root: &Path, documents: &[PathBuf]) -> Vec<String> {
    let mut problems = Vec::new();
    for doc in documents {
        let text = std::fs::read_to_string(root.join(doc))
            .unwrap_or_else(|e| panic!("{}: {e}", doc.display()));
        let dir = doc.parent().unwrap_or(Path::new(""));
        for (number, line) in prose(&text) {
            for target in targets(&line) {
                let place = format!("{}:{number}: `{target}`", doc.display());
                let scheme = target.split_once(':').is_some_and(|(s, _)| {
                    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphabetic())
                });
                if target.is_empty() || scheme {
                    continue;
                }
                let (path, anchor) = match target.split_once('#') {
                    Some((path, anchor)) => (path, Some(anchor)),
                    None => (target.as_str(), None),
                };
                let file = if path.is_empty() {
                    doc.clone()
                } else if path.starts_with('/') {
                    problems.push(format!(
                        "{place}: a link from the site's root, not relative"
                    ));
                    continue;
                } else {
                    normalise(&dir.join(path))
                };
                let on_disk = root.join(&file);
                if file.starts_with("..") || !on_disk.exists() {
                    problems.push(format!("{place}: no such file or folder"));
                    continue;
                }
                let Some(anchor) = anchor else { continue };
                if file.extension().is_none_or(|e| e != "md") {
                    problems.push(format!(
                        "{place}: an anchor into a file that is not Markdown"
                    ));
                    continue;
                }
                let target_text = std::fs::read_to_string(&on_disk).unwrap_or_default();
                if !anchors(&target_text).contains(anchor) {
                    problems.push(format!(
                        "{place}: no heading of {} has the anchor `#{anchor}`",
                        file.display()
                    ));
                }
            }
        }
    }
    problems
}

#[test]
fn every_link_and_anchor_of_the_documentation_resolves() {
    let root = root();
    let documents = documents(&root);
    assert!(
        documents.len() > 10,
        "the documentation was found: {documents:?}"
    );
    let problems = broken_links(&root, &documents);
    assert!(
        problems.is_empty(),
        "broken links in the documentation:\n{}",
        problems.join("\n")
    );
}

#[test]
fn headings_get_githubs_anchors() {
    assert_eq!(
        slug("Agent identities (on the hub)"),
        "agent-identities-on-the-hub"
    );
    assert_eq!(
        slug("What is checked here, and what is not"),
        "what-is-checked-here-and-what-is-not"
    );
    assert_eq!(slug("E-mail digests"), "e-mail-digests");
    assert_eq!(slug("`[jobs]` and `jobs.local`"), "jobs-and-jobslocal");
    assert_eq!(slug("The hub's commands"), "the-hubs-commands");
    assert_eq!(slug("See [Search](search.md) again"), "see-search-again");
    assert_eq!(slug("Étapes du déploiement"), "étapes-du-déploiement");
    let text = "# A\n\n## Twice\n\n```\n# not a heading\n```\n\n## Twice\n";
    let found = anchors(text);
    assert!(found.contains("a") && found.contains("twice") && found.contains("twice-1"));
    assert!(!found.contains("not-a-heading"));
}

#[test]
fn a_broken_link_or_anchor_is_found() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
        std::fs::write(path, text).expect("a file");
    };
    write(
        "README.md",
        "# Top\n\n[ok](docs/a.md#part-one) [missing](docs/b.md) [bad anchor](docs/a.md#part-two)\n\
         [here](#top) [nowhere](#bottom) `[code](docs/none.md)` [web](https://example.org/x)\n\n\
         ```\n[in a block](docs/none.md)\n```\n",
    );
    write(
        "docs/a.md",
        "# A\n\n## Part one\n\n[up](../README.md#top) [folder](../docs) [out](../../x.md)\n",
    );
    let documents = [PathBuf::from("README.md"), PathBuf::from("docs/a.md")];
    let problems = broken_links(dir.path(), &documents);
    let expected = [
        "README.md:3: `docs/b.md`: no such file or folder",
        "README.md:3: `docs/a.md#part-two`: no heading of docs/a.md has the anchor `#part-two`",
        "README.md:4: `#bottom`: no heading of README.md has the anchor `#bottom`",
        "docs/a.md:5: `../../x.md`: no such file or folder",
    ];
    assert_eq!(problems, expected, "{problems:#?}");
}
