//! No two modules of a crate depend on each other.
//!
//! Each crate's module tree is read from its sources with `syn`. A module counts together
//! with everything inside it: when any file under `a` names something under `b`, `a`
//! depends on `b`, for every pair of sibling modules `a` and `b` (a module using its own
//! parent or children is not a dependency between siblings). Paths are followed through
//! the `use` items that re-export them, so `crate::Thing` counts as a use of the module
//! that defines `Thing`. Every cycle between siblings is reported with one reference for
//! each of its edges.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

const CRATES: &[&str] = &["schemas/src", "hub/src", "hub/search/src", "agent/src"];

#[test]
fn no_crate_has_an_import_cycle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut report = Vec::new();
    for dir in CRATES {
        for entry in ["lib.rs", "main.rs"] {
            let file = root.join(dir).join(entry);
            if !file.exists() {
                continue;
            }
            let tree = Tree::read(&file);
            for cycle in tree.cycles() {
                report.push(format!("{dir}/{entry}: {cycle}"));
            }
        }
    }
    assert!(
        report.is_empty(),
        "modules that depend on each other:\n{}",
        report.join("\n")
    );
}

/// Page handlers share what they show through `view`, never through each other, so a
/// page can change without breaking its neighbours.
#[test]
fn pages_use_view_and_never_each_other() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../hub/src/lib.rs");
    let tree = Tree::read(&root);
    let parent = ["http".to_string(), "pages".to_string()];
    let crossing: Vec<String> = tree
        .sibling_edges()
        .into_iter()
        .filter(|((at, _, to), _)| at.as_slice() == parent && to != "view")
        .map(|(_, evidence)| evidence)
        .collect();
    assert!(
        crossing.is_empty(),
        "pages that use other pages:\n{}",
        crossing.join("\n")
    );
}

#[test]
fn the_checker_finds_a_cycle_through_a_re_export() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("folder");
        std::fs::write(path, text).expect("source file");
    };
    write(
        "lib.rs",
        "pub mod a;\npub mod b;\npub mod c;\npub use a::Thing;\n",
    );
    write("a/mod.rs", "pub mod inner;\npub use inner::Thing;\n");
    write("a/inner.rs", "pub struct Thing(pub crate::b::Other);\n");
    write(
        "b.rs",
        "pub struct Other;\npub fn make() -> crate::Thing { crate::Thing(Other) }\n",
    );
    write("c.rs", "use super::b::Other;\n");
    let cycles = Tree::read(&dir.path().join("lib.rs")).cycles();
    assert_eq!(cycles.len(), 1, "{cycles:?}");
    assert_eq!(cycles[0].members, ["a", "b"], "{cycles:?}");
    assert!(cycles[0].parent.is_empty(), "{cycles:?}");

    write("b.rs", "pub struct Other;\n");
    assert!(Tree::read(&dir.path().join("lib.rs")).cycles().is_empty());
}

/// One module: where it is, what it holds and what it names.
struct Module {
    path: Vec<String>,
    file: PathBuf,
    children: BTreeMap<String, usize>,
    /// Names brought in by `use`, as paths from the crate root.
    imports: HashMap<String, Vec<String>>,
    /// Paths named anywhere in the module, from the crate root, with their text.
    references: Vec<Vec<String>>,
}

/// Sibling modules that depend on each other, with one reference for each edge.
#[derive(Debug)]
struct Cycle {
    parent: Vec<String>,
    members: Vec<String>,
    evidence: Vec<String>,
}

impl std::fmt::Display for Cycle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "in crate::{}: {}",
            self.parent.join("::"),
            self.members.join(" ↔ ")
        )?;
        for line in &self.evidence {
            write!(f, "\n    {line}")?;
        }
        Ok(())
    }
}

struct Tree {
    modules: Vec<Module>,
}

impl Tree {
    fn read(root_file: &Path) -> Tree {
        let mut tree = Tree {
            modules: Vec::new(),
        };
        let dir = root_file.parent().expect("crate folder").to_path_buf();
        let items = parse(root_file);
        tree.add(Vec::new(), root_file.to_path_buf(), dir, &items);
        tree
    }

    /// Adds a module and, recursively, the modules it declares; `dir` is where its
    /// children's files are.
    fn add(
        &mut self,
        path: Vec<String>,
        file: PathBuf,
        dir: PathBuf,
        items: &[syn::Item],
    ) -> usize {
        let index = self.modules.len();
        self.modules.push(Module {
            path: path.clone(),
            file: file.clone(),
            children: BTreeMap::new(),
            imports: HashMap::new(),
            references: Vec::new(),
        });
        let mut collector = Collector {
            module: &path,
            imports: HashMap::new(),
            references: Vec::new(),
        };
        for item in items {
            collector.visit_item(item);
        }
        let Collector {
            imports,
            references,
            ..
        } = collector;
        self.modules[index].imports = imports;
        self.modules[index].references = references;

        for item in items {
            let syn::Item::Mod(module) = item else {
                continue;
            };
            let name = module.ident.to_string();
            let mut child_path = path.clone();
            child_path.push(name.clone());
            let child = match &module.content {
                Some((_, inner)) => self.add(child_path, file.clone(), dir.join(&name), inner),
                None => {
                    let (child_file, child_dir) = locate(&dir, &name);
                    let inner = parse(&child_file);
                    self.add(child_path, child_file, child_dir, &inner)
                }
            };
            self.modules[index].children.insert(name, child);
        }
        index
    }

    /// The module a path from the crate root lands in, following re-exports.
    fn resolve(&self, path: &[String], depth: usize) -> Option<usize> {
        let mut current = 0;
        for (i, segment) in path.iter().enumerate() {
            let module = &self.modules[current];
            if let Some(&child) = module.children.get(segment) {
                current = child;
                continue;
            }
            if depth < 8
                && let Some(target) = module.imports.get(segment)
            {
                let mut followed = target.clone();
                followed.extend_from_slice(&path[i + 1..]);
                return self.resolve(&followed, depth + 1).or(Some(current));
            }
            return Some(current);
        }
        Some(current)
    }

    /// Every dependency between sibling modules: (parent, from, to) → one reference
    /// that makes it.
    fn sibling_edges(&self) -> BTreeMap<(Vec<String>, String, String), String> {
        let mut edges: BTreeMap<(Vec<String>, String, String), String> = BTreeMap::new();
        for module in &self.modules {
            for reference in &module.references {
                let Some(target) = self.resolve(reference, 0) else {
                    continue;
                };
                let to = &self.modules[target].path;
                let from = &module.path;
                let shared = from.iter().zip(to).take_while(|(a, b)| a == b).count();
                if shared == from.len() || shared == to.len() {
                    continue;
                }
                let evidence = format!(
                    "{} names crate::{}",
                    module.file.display(),
                    reference.join("::")
                );
                edges
                    .entry((
                        from[..shared].to_vec(),
                        from[shared].clone(),
                        to[shared].clone(),
                    ))
                    .or_insert(evidence);
            }
        }
        edges
    }

    /// Cycles between sibling modules.
    fn cycles(&self) -> Vec<Cycle> {
        let edges = self.sibling_edges();
        let mut by_parent: BTreeMap<Vec<String>, Vec<(String, String)>> = BTreeMap::new();
        for (parent, from, to) in edges.keys() {
            by_parent
                .entry(parent.clone())
                .or_default()
                .push((from.clone(), to.clone()));
        }
        let mut found = Vec::new();
        for (parent, pairs) in by_parent {
            for component in strongly_connected(&pairs) {
                let members: BTreeSet<&String> = component.iter().collect();
                let evidence = pairs
                    .iter()
                    .filter(|(a, b)| members.contains(a) && members.contains(b))
                    .map(|(a, b)| edges[&(parent.clone(), a.clone(), b.clone())].clone())
                    .collect();
                found.push(Cycle {
                    parent: parent.clone(),
                    members: component,
                    evidence,
                });
            }
        }
        found
    }
}

/// Components of more than one node, by Tarjan's algorithm.
fn strongly_connected(edges: &[(String, String)]) -> Vec<Vec<String>> {
    let mut nodes: BTreeSet<&String> = BTreeSet::new();
    let mut next: BTreeMap<&String, Vec<&String>> = BTreeMap::new();
    for (a, b) in edges {
        nodes.insert(a);
        nodes.insert(b);
        next.entry(a).or_default().push(b);
    }
    struct State<'a> {
        index: HashMap<&'a String, usize>,
        low: HashMap<&'a String, usize>,
        stack: Vec<&'a String>,
        on_stack: BTreeSet<&'a String>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(
        node: &'a String,
        next: &BTreeMap<&'a String, Vec<&'a String>>,
        s: &mut State<'a>,
    ) {
        let i = s.index.len();
        s.index.insert(node, i);
        s.low.insert(node, i);
        s.stack.push(node);
        s.on_stack.insert(node);
        for &to in next.get(node).map(Vec::as_slice).unwrap_or_default() {
            if !s.index.contains_key(to) {
                visit(to, next, s);
                let low = s.low[node].min(s.low[to]);
                s.low.insert(node, low);
            } else if s.on_stack.contains(to) {
                let low = s.low[node].min(s.index[to]);
                s.low.insert(node, low);
            }
        }
        if s.low[node] == s.index[node] {
            let mut component = Vec::new();
            while let Some(top) = s.stack.pop() {
                s.on_stack.remove(top);
                component.push(top.clone());
                if top == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.found.push(component);
            }
        }
    }
    let mut state = State {
        index: HashMap::new(),
        low: HashMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for node in nodes {
        if !state.index.contains_key(node) {
            visit(node, &next, &mut state);
        }
    }
    state.found
}

fn parse(file: &Path) -> Vec<syn::Item> {
    let text =
        std::fs::read_to_string(file).unwrap_or_else(|e| panic!("reading {}: {e}", file.display()));
    syn::parse_file(&text)
        .unwrap_or_else(|e| panic!("parsing {}: {e}", file.display()))
        .items
}

/// The file of `mod name;` declared in a module whose children live in `dir`.
fn locate(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    let flat = dir.join(format!("{name}.rs"));
    if flat.exists() {
        return (flat, dir.join(name));
    }
    let nested = dir.join(name).join("mod.rs");
    assert!(
        nested.exists(),
        "no file for module {name} in {}",
        dir.display()
    );
    (nested, dir.join(name))
}

/// Gathers a module's imports and the crate paths it names, leaving nested modules to
/// their own pass.
struct Collector<'a> {
    module: &'a [String],
    imports: HashMap<String, Vec<String>>,
    references: Vec<Vec<String>>,
}

impl Collector<'_> {
    /// A path as written, from the crate root, or `None` when it leaves the crate.
    fn absolute(&self, segments: &[String]) -> Option<Vec<String>> {
        let first = segments.first()?;
        match first.as_str() {
            "crate" => Some(segments[1..].to_vec()),
            "self" => {
                let mut path = self.module.to_vec();
                path.extend_from_slice(&segments[1..]);
                Some(path)
            }
            "super" => {
                let mut path = self.module.to_vec();
                let mut rest = segments;
                while rest.first().map(String::as_str) == Some("super") {
                    path.pop();
                    rest = &rest[1..];
                }
                path.extend_from_slice(rest);
                Some(path)
            }
            _ => self.imports.get(first).map(|target| {
                let mut path = target.clone();
                path.extend_from_slice(&segments[1..]);
                path
            }),
        }
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(path) => {
                prefix.push(path.ident.to_string());
                self.use_tree(prefix, &path.tree);
                prefix.pop();
            }
            syn::UseTree::Name(name) => {
                let ident = name.ident.to_string();
                self.import(prefix, &ident, &ident);
            }
            syn::UseTree::Rename(rename) => {
                self.import(
                    prefix,
                    &rename.ident.to_string(),
                    &rename.rename.to_string(),
                );
            }
            syn::UseTree::Glob(_) => {
                if let Some(path) = self.absolute_or_local(prefix) {
                    self.references.push(path);
                }
            }
            syn::UseTree::Group(group) => {
                for tree in &group.items {
                    self.use_tree(prefix, tree);
                }
            }
        }
    }

    /// A `use` path, which may also start at one of the module's own children.
    fn absolute_or_local(&self, segments: &[String]) -> Option<Vec<String>> {
        match segments.first().map(String::as_str) {
            Some("crate" | "self" | "super") => self.absolute(segments),
            Some(_) => {
                let mut path = self.module.to_vec();
                path.extend_from_slice(segments);
                Some(path)
            }
            None => None,
        }
    }

    fn import(&mut self, prefix: &[String], ident: &str, alias: &str) {
        let mut segments = prefix.to_vec();
        if ident != "self" {
            segments.push(ident.to_string());
        }
        // `use name;` names an external crate.
        if prefix.is_empty() {
            return;
        }
        let Some(path) = self.absolute_or_local(&segments) else {
            return;
        };
        let alias = if ident == "self" {
            prefix.last().cloned().unwrap_or_default()
        } else {
            alias.to_string()
        };
        if alias != "_" {
            self.imports.insert(alias, path.clone());
        }
        self.references.push(path);
    }
}

impl<'ast> Visit<'ast> for Collector<'_> {
    fn visit_item_mod(&mut self, _: &'ast syn::ItemMod) {}

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &item.tree);
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if let Some(absolute) = self.absolute(&segments) {
            self.references.push(absolute);
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // Macro arguments are tokens to syn; crate paths in them still count.
        let text = mac.tokens.to_string();
        let words: Vec<&str> = text.split_whitespace().collect();
        let mut i = 0;
        while i < words.len() {
            if matches!(words[i], "crate" | "super") && words.get(i + 1) == Some(&"::") {
                let mut segments = vec![words[i].to_string()];
                let mut j = i + 1;
                while words.get(j) == Some(&"::")
                    && let Some(next) = words.get(j + 1)
                    && next.chars().all(|c| c.is_alphanumeric() || c == '_')
                {
                    segments.push(next.to_string());
                    j += 2;
                }
                if let Some(absolute) = self.absolute(&segments) {
                    self.references.push(absolute);
                }
                i = j;
            } else {
                i += 1;
            }
        }
        syn::visit::visit_macro(self, mac);
    }
}
