//! A folder of manifests: every `agora.yaml`, `MODEL_CARD.md` and `qf4sa.yaml` under a
//! directory, keyed by their paths relative to it.

use std::path::Path;

use agora_schemas::Visibility;

use super::manifest::{self, MODEL_CARD_FILE, PROJECT_FILE, QF4SA_FILE};
use super::{ListContext, Sink, slugify};
use crate::error::{Error, Result};

/// How deep the walk goes below the folder.
const MAX_DEPTH: usize = 8;
/// Manifests larger than this are not read.
const MAX_FILE_BYTES: u64 = 1024 * 1024;

pub async fn list(
    path: &Path,
    visibility: Option<Visibility>,
    ctx: &ListContext<'_>,
    sink: &mut impl Sink,
) -> Result<()> {
    let root = path.to_path_buf();
    let files = tokio::task::spawn_blocking(move || read_tree(&root))
        .await
        .map_err(|e| Error::Source(format!("the folder walk stopped: {e}")))??;
    let root_name = slugify(
        &path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default(),
    );
    let tree = manifest::Tree {
        key_prefix: "folder:",
        commit: None,
        organisation: ctx.organisation,
        root_name: &root_name,
        visibility,
    };
    for entry in manifest::entries(&tree, files) {
        sink.push(entry).await?;
    }
    Ok(())
}

pub fn check(path: &Path) -> Result<String> {
    let files = read_tree(path)?;
    Ok(format!(
        "{} manifest files under {}",
        files.len(),
        path.display()
    ))
}

/// Reads every manifest file under `root`, sorted by path. Any failure to read the folder
/// fails the listing (so nothing is withdrawn).
fn read_tree(root: &Path) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    walk(root, root, 0, &mut out)?;
    out.sort();
    Ok(out)
}

fn walk(root: &Path, dir: &Path, depth: usize, out: &mut Vec<(String, String)>) -> Result<()> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::Source(format!("cannot read {}: {e}", dir.display())))?;
    for entry in entries {
        let entry =
            entry.map_err(|e| Error::Source(format!("cannot read {}: {e}", dir.display())))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        let kind = entry
            .file_type()
            .map_err(|e| Error::Source(format!("cannot read {}: {e}", path.display())))?;
        if kind.is_dir() {
            if depth < MAX_DEPTH {
                walk(root, &path, depth + 1, out)?;
            }
        } else if kind.is_file()
            && [PROJECT_FILE, MODEL_CARD_FILE, QF4SA_FILE].contains(&name.as_str())
        {
            let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
            let rel = path
                .strip_prefix(root)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or(name.clone());
            let text = if size > MAX_FILE_BYTES {
                tracing::warn!(path = %path.display(), size, "manifest too large: skipped");
                continue;
            } else {
                std::fs::read(&path)
                    .map_err(|e| Error::Source(format!("cannot read {}: {e}", path.display())))?
            };
            out.push((rel, String::from_utf8_lossy(&text).to_string()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_walk_finds_manifests_below_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("models/naf-coder")).unwrap();
        std::fs::create_dir_all(dir.path().join(".git")).unwrap();
        std::fs::write(dir.path().join("agora.yaml"), "x").unwrap();
        std::fs::write(dir.path().join("models/naf-coder/MODEL_CARD.md"), "y").unwrap();
        std::fs::write(dir.path().join(".git/agora.yaml"), "z").unwrap();
        std::fs::write(dir.path().join("notes.md"), "n").unwrap();
        let files = read_tree(dir.path()).unwrap();
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["agora.yaml", "models/naf-coder/MODEL_CARD.md"]);
        assert!(read_tree(&dir.path().join("missing")).is_err());
    }
}
