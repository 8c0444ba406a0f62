//! Which file of `src/` uses which: every path a file names (see
//! `rust_source`) resolved to the file that defines the item, through the
//! module tree and the `use` declarations (re-exports included), so that
//! `crate::model::WorkloadModel` leads to `model/workload_model.rs`, not to
//! the `model.rs` that re-exports it.

use std::collections::BTreeMap;
use std::path::Path;

use super::rust_source::{self, FilePaths};

/// One use of a file by another, with where it is written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Edge {
    /// The using file, relative to `src/`.
    pub(super) from: String,
    /// The file holding the item it names.
    pub(super) to: String,
    /// The path as written.
    pub(super) path: String,
    pub(super) line: usize,
}

impl std::fmt::Display for Edge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "src/{}:{} `{}` -> src/{}",
            self.from, self.line, self.path, self.to
        )
    }
}

struct SourceFile {
    module: Vec<String>,
    paths: FilePaths,
    /// What each name a `use` binds stands for, as written.
    imports: BTreeMap<String, Vec<String>>,
}

/// The library's files (`lib.rs` and its modules; not the binary's `main.rs`,
/// nor test-only `testing.rs` files), read from `src/`.
pub(super) struct SourceTree {
    files: BTreeMap<String, SourceFile>,
    modules: BTreeMap<Vec<String>, String>,
    /// Macros exported at the crate root, by name: the file defining each.
    root_macros: BTreeMap<String, String>,
}

impl SourceTree {
    pub(super) fn read(src: &Path) -> Self {
        let mut texts = BTreeMap::new();
        collect(src, src, &mut texts);
        Self::from_texts(texts)
    }

    /// The tree of `texts`, each a file's text by path relative to `src/`.
    pub(super) fn from_texts(texts: BTreeMap<String, String>) -> Self {
        let mut files = BTreeMap::new();
        let mut modules = BTreeMap::new();
        let mut root_macros = BTreeMap::new();
        for (relative, text) in texts {
            let Some(module) = module_of(&relative) else {
                continue;
            };
            let code = rust_source::production_code(&text);
            for name in exported_macros(&code) {
                root_macros.insert(name, relative.clone());
            }
            let paths = rust_source::paths(&code);
            let imports = paths
                .imports
                .iter()
                .filter_map(|import| Some((import.name.clone()?, import.path.segments.clone())))
                .collect();
            modules.insert(module.clone(), relative.clone());
            files.insert(
                relative,
                SourceFile {
                    module,
                    paths,
                    imports,
                },
            );
        }
        Self {
            files,
            modules,
            root_macros,
        }
    }

    pub(super) fn file_count(&self) -> usize {
        self.files.len()
    }

    /// Every use of one file by another (never of a file by itself). An
    /// import of a module is no use of its file: the paths through it are.
    pub(super) fn edges(&self) -> Vec<Edge> {
        let mut edges = Vec::new();
        for (relative, file) in &self.files {
            let imports = file.paths.imports.iter().map(|import| &import.path);
            for (written, is_import) in imports
                .map(|path| (path, true))
                .chain(file.paths.inline.iter().map(|path| (path, false)))
            {
                let Some((to, names_module)) = self.resolve(&file.module, &written.segments, 0)
                else {
                    continue;
                };
                if to == *relative || (is_import && names_module) {
                    continue;
                }
                edges.push(Edge {
                    from: relative.clone(),
                    to,
                    path: written.segments.join("::"),
                    line: written.line,
                });
            }
        }
        edges.sort();
        edges.dedup();
        edges
    }

    /// The file holding what `segments` names from inside `module`, and
    /// whether it names the module itself. `None` for a path that leaves the
    /// crate (`super` above the root) or loops.
    fn resolve(
        &self,
        module: &[String],
        segments: &[String],
        depth: usize,
    ) -> Option<(String, bool)> {
        if depth > 32 {
            return None;
        }
        let mut current = module.to_vec();
        for (index, segment) in segments.iter().enumerate() {
            match segment.as_str() {
                "crate" | "$crate" if index == 0 => {
                    current.clear();
                    continue;
                }
                "self" if index == 0 => continue,
                "super" => {
                    current.pop()?;
                    continue;
                }
                _ => {}
            }
            let mut child = current.clone();
            child.push(segment.clone());
            if self.modules.contains_key(&child) {
                current = child;
                continue;
            }
            let file = self.modules.get(&current)?;
            if let Some(target) = self.files[file].imports.get(segment) {
                let mut rest = target.clone();
                rest.extend(segments[index + 1..].iter().cloned());
                return self.resolve(&current, &rest, depth + 1);
            }
            if let Some(defining) = current
                .is_empty()
                .then(|| self.root_macros.get(segment))
                .flatten()
            {
                return Some((defining.clone(), false));
            }
            // An item of this module (or of another crate, or the prelude).
            return Some((file.clone(), false));
        }
        Some((self.modules.get(&current)?.clone(), true))
    }
}

/// The module path of a library file: `model/workload_model.rs` is
/// `["model", "workload_model"]`, `lib.rs` the root; `None` for the binary's
/// `main.rs` and test-only `testing.rs` files.
fn module_of(relative: &str) -> Option<Vec<String>> {
    let mut segments: Vec<String> = relative
        .trim_end_matches(".rs")
        .split('/')
        .map(str::to_owned)
        .collect();
    if segments.iter().any(|s| s == "testing") || segments == ["main"] {
        return None;
    }
    if segments.last().is_some_and(|last| last == "mod") || segments == ["lib"] {
        segments.pop();
    }
    Some(segments)
}

/// The names of `#[macro_export]` macros defined in `code`.
fn exported_macros(code: &str) -> Vec<String> {
    code.split("#[macro_export]")
        .skip(1)
        .filter_map(|after| {
            let rest = after
                .trim_start()
                .strip_prefix("macro_rules!")?
                .trim_start();
            let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
            Some(rest[..end].to_owned())
        })
        .collect()
}

/// Every `.rs` file under `dir`, as (path relative to `root`, text).
fn collect(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("src/ is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            let relative = path
                .strip_prefix(root)
                .expect("under src/")
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&path).expect("source is UTF-8");
            out.insert(relative, text);
        }
    }
}

/// The strongly connected components of more than one node (the cycles) of
/// the graph `edges` make, each sorted, in order of their first node.
pub(super) fn cycles<'a>(edges: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<Vec<&'a str>> {
    let mut successors: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (from, to) in edges {
        successors.entry(from).or_default().push(to);
        successors.entry(to).or_default();
    }
    let mut tarjan = Tarjan {
        successors: &successors,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeMap::new(),
        next: 0,
        components: Vec::new(),
    };
    for node in successors.keys() {
        if !tarjan.index.contains_key(node) {
            tarjan.visit(node);
        }
    }
    let mut components: Vec<Vec<&str>> = tarjan
        .components
        .into_iter()
        .filter(|component| component.len() > 1)
        .map(|mut component| {
            component.sort_unstable();
            component
        })
        .collect();
    components.sort();
    components
}

struct Tarjan<'g, 'a> {
    successors: &'g BTreeMap<&'a str, Vec<&'a str>>,
    index: BTreeMap<&'a str, usize>,
    low: BTreeMap<&'a str, usize>,
    stack: Vec<&'a str>,
    on_stack: BTreeMap<&'a str, bool>,
    next: usize,
    components: Vec<Vec<&'a str>>,
}

impl<'a> Tarjan<'_, 'a> {
    fn visit(&mut self, node: &'a str) {
        self.index.insert(node, self.next);
        self.low.insert(node, self.next);
        self.next += 1;
        self.stack.push(node);
        self.on_stack.insert(node, true);
        for &next in &self.successors[node] {
            if !self.index.contains_key(next) {
                self.visit(next);
                let low = self.low[node].min(self.low[next]);
                self.low.insert(node, low);
            } else if self.on_stack.get(next).copied().unwrap_or(false) {
                let low = self.low[node].min(self.index[next]);
                self.low.insert(node, low);
            }
        }
        if self.low[node] == self.index[node] {
            let mut component = Vec::new();
            while let Some(member) = self.stack.pop() {
                self.on_stack.insert(member, false);
                component.push(member);
                if member == node {
                    break;
                }
            }
            self.components.push(component);
        }
    }
}

#[test]
fn paths_resolve_through_re_exports_to_the_defining_file() {
    let texts: BTreeMap<String, String> = [
        ("lib.rs", "pub mod model;\npub mod lower;\n#[macro_export]\nmacro_rules! kind { () => {} }"),
        ("model.rs", "mod workload_model;\npub use workload_model::WorkloadModel;"),
        ("model/workload_model.rs", "pub struct WorkloadModel;"),
        ("lower.rs", "mod pod;\nuse crate::model;\npub fn lower(_: &model::WorkloadModel) { pod::run() }"),
        ("lower/pod.rs", "use super::super::model::WorkloadModel as W;\npub fn run() { crate::kind!(); let _: Option<W> = None; }"),
    ]
    .into_iter()
    .map(|(path, text)| (path.to_owned(), text.to_owned()))
    .collect();
    let tree = SourceTree::from_texts(texts);
    let edges: Vec<(String, String)> = tree
        .edges()
        .into_iter()
        .map(|edge| (edge.from, edge.to))
        .collect();
    let expected = [
        ("lower.rs", "lower/pod.rs"),
        ("lower.rs", "model/workload_model.rs"),
        ("lower/pod.rs", "lib.rs"),
        ("lower/pod.rs", "model/workload_model.rs"),
        ("model.rs", "model/workload_model.rs"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(from, to)| ((*from).to_owned(), (*to).to_owned()))
        .collect();
    assert_eq!(edges, expected);
}

#[test]
fn cycles_are_the_components_of_more_than_one_node() {
    let edges = [
        ("a", "b"),
        ("b", "c"),
        ("c", "a"),
        ("c", "d"),
        ("d", "e"),
        ("e", "d"),
        ("f", "f"),
    ];
    assert_eq!(cycles(edges), [vec!["a", "b", "c"], vec!["d", "e"]]);
}
