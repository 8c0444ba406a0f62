//! The coverage tables of `docs/examples/`: each seed's requirements traced
//! to the spec lines that express them and to the objects they render. The
//! tables are held true here: every spec reference names an existing file and
//! lines that are not blank, every object named is in the render of its
//! environment, and every row has a spec or a reason it is out of scope.
//!
//! The format (docs/examples/README.md): one table per file, under the header
//! `| # | Requirement (seed §) | Spec | Rendered |`. "Spec" is `—` or
//! comma-separated `` `path:LINE` `` / `` `path:LINE-LINE` `` (paths from the
//! repository root). "Rendered" is comma-separated `` `Kind/namespace/name` ``
//! (`` `Kind/name` `` for cluster-scoped kinds), each optionally prefixed by
//! its environment (`` `dev: Kind/namespace/name` ``; the default is the
//! example's production environment), found in the environment's render or
//! in its `platformgen argocd` objects (its Application, the add-ons'); or
//! `out of scope: <reason>`; or `gap: <what is missing>`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::support::cli::{repository, run};
use crate::support::{platforms, python};

/// The header line of every coverage table, exactly.
const HEADER: &str = "| # | Requirement (seed §) | Spec | Rendered |";

/// "Spec" of a row that no spec line expresses.
const NO_SPEC: &str = "—";

/// One row of a table, its cells as written.
#[derive(Debug)]
struct Row {
    /// 1-based line of the row in its Markdown file.
    line: usize,
    number: String,
    spec: String,
    rendered: String,
}

/// A `path:LINE` or `path:LINE-LINE` reference.
#[derive(Debug, PartialEq)]
struct SpecReference {
    path: String,
    first: usize,
    last: usize,
}

/// A `Kind/namespace/name` or `Kind/name`, in an environment or the default.
#[derive(Debug, PartialEq)]
struct ObjectReference {
    environment: Option<String>,
    kind: String,
    namespace: Option<String>,
    name: String,
}

#[derive(Debug, PartialEq)]
enum Rendered {
    Objects(Vec<ObjectReference>),
    OutOfScope,
    Gap,
}

/// The rows of the one table of `text`.
fn table_rows(text: &str) -> Result<Vec<Row>, String> {
    let lines: Vec<&str> = text.lines().collect();
    let headers: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].trim_end() == HEADER)
        .collect();
    let start = match headers.as_slice() {
        [start] => *start,
        [] => return Err(format!("no table with the header `{HEADER}`")),
        _ => return Err(format!("{} tables; a coverage page has one", headers.len())),
    };
    let separator = lines.get(start + 1).copied().unwrap_or_default();
    if split_cells(separator).len() != 4
        || !separator
            .chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' '))
    {
        return Err(format!(
            "line {}: the header is not followed by a `|---|---|---|---|` line",
            start + 2
        ));
    }
    let mut rows = Vec::new();
    for (index, line) in lines.iter().enumerate().skip(start + 2) {
        if !line.trim_start().starts_with('|') {
            break;
        }
        let cells = split_cells(line);
        let [number, _, spec, rendered] = cells.as_slice() else {
            return Err(format!(
                "line {}: {} cells, not 4 (a `|` inside a cell is written `\\|`)",
                index + 1,
                cells.len()
            ));
        };
        rows.push(Row {
            line: index + 1,
            number: number.clone(),
            spec: spec.clone(),
            rendered: rendered.clone(),
        });
    }
    if rows.is_empty() {
        return Err(format!("line {}: the table has no rows", start + 1));
    }
    Ok(rows)
}

/// The cells of a table line, trimmed: split on `|`, except an escaped `\|`
/// or one inside a code span.
fn split_cells(line: &str) -> Vec<String> {
    let line = line.trim();
    let line = line.strip_prefix('|').unwrap_or(line);
    let line = line.strip_suffix('|').unwrap_or(line);
    let mut cells = vec![String::new()];
    let mut in_code = false;
    let mut escaped = false;
    for c in line.chars() {
        let cell = cells.last_mut().expect("there is a cell");
        match c {
            '|' if !in_code && !escaped => cells.push(String::new()),
            _ => {
                if c == '`' && !escaped {
                    in_code = !in_code;
                }
                escaped = c == '\\' && !escaped;
                cell.push(c);
            }
        }
    }
    cells
        .into_iter()
        .map(|cell| cell.trim().to_owned())
        .collect()
}

/// The contents of a comma-separated list of code spans: `` `a`, `b` ``.
fn code_spans(cell: &str) -> Result<Vec<String>, String> {
    let mut spans = Vec::new();
    let mut rest = cell.trim();
    loop {
        let Some(after) = rest.strip_prefix('`') else {
            return Err(format!(
                "expected `…` references separated by commas, found `{rest}`"
            ));
        };
        let Some((span, after)) = after.split_once('`') else {
            return Err(format!("unclosed code span in `{cell}`"));
        };
        spans.push(span.trim().to_owned());
        rest = after.trim_start();
        if rest.is_empty() {
            return Ok(spans);
        }
        let Some(after) = rest.strip_prefix(',') else {
            return Err(format!("expected a comma after `{span}`, found `{rest}`"));
        };
        rest = after.trim_start();
    }
}

/// The references of a "Spec" cell; none for `—`.
fn spec_references(cell: &str) -> Result<Vec<SpecReference>, String> {
    if cell == NO_SPEC {
        return Ok(Vec::new());
    }
    code_spans(cell)?
        .iter()
        .map(|span| {
            let (path, lines) = span
                .rsplit_once(':')
                .ok_or_else(|| format!("`{span}` is not `path:LINE` or `path:LINE-LINE`"))?;
            let number = |text: &str| {
                text.parse::<usize>()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| format!("`{span}`: `{text}` is not a line number (from 1)"))
            };
            let (first, last) = match lines.split_once('-') {
                Some((first, last)) => (number(first)?, number(last)?),
                None => (number(lines)?, number(lines)?),
            };
            if last < first {
                return Err(format!("`{span}`: the range ends before it starts"));
            }
            if path.is_empty()
                || path.starts_with('/')
                || path.split('/').any(|part| part == ".." || part.is_empty())
            {
                return Err(format!(
                    "`{span}`: the path must be relative to the repository root, inside it"
                ));
            }
            Ok(SpecReference {
                path: path.to_owned(),
                first,
                last,
            })
        })
        .collect()
}

/// What a "Rendered" cell says.
fn rendered(cell: &str) -> Result<Rendered, String> {
    for (prefix, what) in [
        ("out of scope:", Rendered::OutOfScope),
        ("gap:", Rendered::Gap),
    ] {
        if let Some(reason) = cell.strip_prefix(prefix) {
            if reason.trim().is_empty() {
                return Err(format!("`{prefix}` without a reason"));
            }
            return Ok(what);
        }
    }
    let objects = code_spans(cell)
        .map_err(|e| format!("{e} (or `out of scope: <reason>`, `gap: <what is missing>`)"))?
        .iter()
        .map(|span| {
            let (environment, object) = match span.split_once(':') {
                Some((environment, object)) => (Some(environment.trim()), object.trim()),
                None => (None, span.as_str()),
            };
            if environment.is_some_and(str::is_empty) {
                return Err(format!("`{span}`: an empty environment before `:`"));
            }
            let parts: Vec<&str> = object.split('/').collect();
            if parts.iter().any(|part| part.is_empty()) {
                return Err(format!("`{span}`: an empty part"));
            }
            let (kind, namespace, name) = match parts.as_slice() {
                [kind, name] => (*kind, None, *name),
                [kind, namespace, name] => (*kind, Some((*namespace).to_owned()), *name),
                _ => {
                    return Err(format!(
                        "`{span}` is not `Kind/namespace/name` or `Kind/name`"
                    ));
                }
            };
            Ok(ObjectReference {
                environment: environment.map(str::to_owned),
                kind: kind.to_owned(),
                namespace,
                name: name.to_owned(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Rendered::Objects(objects))
}

/// `(kind, namespace, name)` of every object of a render.
type Rendering = BTreeSet<(String, Option<String>, String)>;

/// Renders of the examples, each environment once.
#[derive(Default)]
struct Renders {
    cache: BTreeMap<(PathBuf, String), Result<Rendering, String>>,
}

impl Renders {
    fn of(&mut self, dir: &Path, environment: &str) -> &Result<Rendering, String> {
        self.cache
            .entry((dir.to_path_buf(), environment.to_owned()))
            .or_insert_with(|| {
                let render = run(dir, &["render", environment, "-o", "json"]);
                if render.code != 0 {
                    return Err(format!("does not render (exit {})", render.code));
                }
                let list: Value = serde_json::from_str(&render.stdout).expect("render prints JSON");
                let mut objects: Vec<Value> =
                    list["items"].as_array().expect("a List has items").clone();
                // The ArgoCD objects that sync the environment and install
                // its add-ons, when the platform has a `gitops.argocd`
                // section (exit 2 without one: nothing to add).
                let argocd = run(dir, &["argocd", environment]);
                if argocd.code == 0 {
                    objects.extend(python::documents(&argocd.stdout));
                }
                Ok(objects
                    .iter()
                    .map(|object| {
                        let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
                        let metadata = &object["metadata"];
                        (
                            text(&object["kind"]),
                            metadata["namespace"].as_str().map(str::to_owned),
                            text(&metadata["name"]),
                        )
                    })
                    .collect())
            })
    }
}

/// The platform a page documents: `health-data` is the built-in example at
/// the repository root, any other `<name>` is `examples/<name>/`.
fn example_dir(root: &Path, page: &str) -> PathBuf {
    if page == "health-data" {
        root.to_path_buf()
    } else {
        root.join("examples").join(page)
    }
}

/// What one coverage page says, checked.
#[derive(Debug, Default)]
struct Coverage {
    rows: usize,
    gaps: usize,
    out_of_scope: usize,
    problems: Vec<String>,
}

/// Checks the page `docs/examples/<page>.md` of text `text` against the
/// repository at `root`.
fn check_page(root: &Path, page: &str, text: &str, renders: &mut Renders) -> Coverage {
    let mut coverage = Coverage::default();
    let file = format!("docs/examples/{page}.md");
    let dir = example_dir(root, page);
    if !dir.join("platform.yaml").is_file() {
        coverage.problems.push(format!(
            "{file}: no platform at {} (a page is named after its example: `health-data` for the root, else examples/<name>/)",
            platforms::display(&dir)
        ));
        return coverage;
    }
    let environments = platforms::environments(&dir);
    let default_environment = platforms::production_environment(&dir);
    let rows = match table_rows(text) {
        Ok(rows) => rows,
        Err(problem) => {
            coverage.problems.push(format!("{file}: {problem}"));
            return coverage;
        }
    };
    coverage.rows = rows.len();
    let mut numbers = BTreeSet::new();
    let mut files: BTreeMap<String, Option<Vec<String>>> = BTreeMap::new();
    for row in rows {
        let place = format!("{file}:{} (row #{})", row.line, row.number);
        let mut problem = |text: String| coverage.problems.push(format!("{place}: {text}"));
        if row.number.is_empty() {
            problem("the `#` cell is empty".to_owned());
        } else if !numbers.insert(row.number.clone()) {
            problem(format!("row number {} is used twice", row.number));
        }
        let references = spec_references(&row.spec).unwrap_or_else(|e| {
            problem(format!("Spec: {e}"));
            Vec::new()
        });
        for reference in &references {
            let lines = files.entry(reference.path.clone()).or_insert_with(|| {
                std::fs::read_to_string(root.join(&reference.path))
                    .ok()
                    .map(|text| text.lines().map(str::to_owned).collect())
            });
            let Some(lines) = lines else {
                problem(format!("Spec: `{}` is not a file", reference.path));
                continue;
            };
            if reference.last > lines.len() {
                problem(format!(
                    "Spec: `{}:{}` is past the end of the file ({} lines)",
                    reference.path,
                    reference.last,
                    lines.len()
                ));
                continue;
            }
            for number in reference.first..=reference.last {
                if lines[number - 1].trim().is_empty() {
                    problem(format!(
                        "Spec: line {number} of `{}` is blank",
                        reference.path
                    ));
                }
            }
        }
        let rendered = match rendered(&row.rendered) {
            Ok(rendered) => rendered,
            Err(e) => {
                problem(format!("Rendered: {e}"));
                continue;
            }
        };
        match &rendered {
            Rendered::Gap => coverage.gaps += 1,
            Rendered::OutOfScope => coverage.out_of_scope += 1,
            Rendered::Objects(_) => {}
        }
        if row.spec == NO_SPEC && matches!(rendered, Rendered::Objects(_)) {
            problem(
                "objects without a spec: name the spec lines that render them, or say `out of scope: <reason>`"
                    .to_owned(),
            );
        }
        let Rendered::Objects(objects) = rendered else {
            continue;
        };
        for object in objects {
            let Some(environment) = object
                .environment
                .clone()
                .or_else(|| default_environment.clone())
            else {
                problem(format!(
                    "Rendered: `{}` names no environment, and {} has no production environment",
                    object.name,
                    platforms::display(&dir)
                ));
                continue;
            };
            if !environments.contains(&environment) {
                problem(format!(
                    "Rendered: no environment `{environment}` in {} (it has {})",
                    platforms::display(&dir),
                    environments.join(", ")
                ));
                continue;
            }
            let written = match &object.namespace {
                Some(namespace) => format!("{}/{namespace}/{}", object.kind, object.name),
                None => format!("{}/{}", object.kind, object.name),
            };
            match renders.of(&dir, &environment) {
                Err(e) => problem(format!("Rendered: {environment} {e}")),
                Ok(objects) => {
                    let key = (
                        object.kind.clone(),
                        object.namespace.clone(),
                        object.name.clone(),
                    );
                    if !objects.contains(&key) {
                        problem(format!(
                            "Rendered: `{written}` is not in the render of {environment}, nor in its `platformgen argocd` objects"
                        ));
                    }
                }
            }
        }
    }
    coverage
}

/// The pages of `docs/examples/` (their names without `.md`), in name order.
fn pages(root: &Path) -> Vec<String> {
    let mut pages: Vec<String> = std::fs::read_dir(root.join("docs/examples"))
        .expect("docs/examples/ is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .filter_map(|path| Some(path.file_stem()?.to_string_lossy().into_owned()))
        .filter(|name| name != "README")
        .collect();
    pages.sort();
    pages
}

#[test]
#[allow(
    clippy::print_stderr,
    reason = "the count of gaps is reported on every run, not only on failure"
)]
fn every_coverage_table_points_at_existing_spec_lines_and_rendered_objects() {
    let root = repository();
    let pages = pages(&root);
    assert!(
        pages.iter().any(|page| page == "health-data"),
        "docs/examples/health-data.md covers the built-in example: {pages:?}"
    );
    let mut renders = Renders::default();
    let mut problems = Vec::new();
    for page in &pages {
        let path = root.join(format!("docs/examples/{page}.md"));
        let text = std::fs::read_to_string(&path).expect("the page is readable");
        let coverage = check_page(&root, page, &text, &mut renders);
        eprintln!(
            "docs/examples/{page}.md: {} requirements, {} out of scope, {} gaps",
            coverage.rows, coverage.out_of_scope, coverage.gaps
        );
        problems.extend(coverage.problems);
    }
    assert!(
        problems.is_empty(),
        "the coverage tables disagree with the repository:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_example_has_a_coverage_page() {
    let root = repository();
    let pages = pages(&root);
    for dir in platforms::seed_examples() {
        let name = dir
            .file_name()
            .expect("an example has a name")
            .to_string_lossy()
            .into_owned();
        assert!(
            pages.contains(&name),
            "examples/{name} has no docs/examples/{name}.md"
        );
    }
}

#[track_caller]
fn problems(page: &str, table: &str) -> Vec<String> {
    let text = format!("Intro.\n\n{HEADER}\n|---|---|---|---|\n{table}");
    check_page(&repository(), page, &text, &mut Renders::default()).problems
}

#[track_caller]
fn case(table: &str, expected: &str) {
    let found = problems("health-data", table);
    assert!(
        found.iter().any(|problem| problem.contains(expected)),
        "expected a problem containing {expected:?}, got {found:#?}"
    );
}

/// The checks fail when a table is wrong, and say which row and why.
#[test]
fn a_wrong_row_is_reported_with_its_line_and_reason() {
    // The root example's platform.yaml: line 7 is blank, line 8 `platform:`.
    case(
        "| 1 | r | `platform.yaml:7` | out of scope: x |\n",
        "docs/examples/health-data.md:5 (row #1): Spec: line 7 of `platform.yaml` is blank",
    );
    case(
        "| 1 | r | `platform.yaml:8-99999` | out of scope: x |\n",
        "is past the end of the file",
    );
    case(
        "| 1 | r | `platform.yaml:9-8` | out of scope: x |\n",
        "the range ends before it starts",
    );
    case(
        "| 1 | r | `platform.yaml:0` | out of scope: x |\n",
        "is not a line number",
    );
    case(
        "| 1 | r | `no-such-file.yaml:1` | out of scope: x |\n",
        "`no-such-file.yaml` is not a file",
    );
    case(
        "| 1 | r | `../platform.yaml:1` | out of scope: x |\n",
        "relative to the repository root, inside it",
    );
    case(
        "| 1 | r | platform.yaml:8 | out of scope: x |\n",
        "expected `…` references",
    );
    case(
        "| 1 | r | `platform.yaml:8` | `Deployment/health-platform-api/nope` |\n",
        "`Deployment/health-platform-api/nope` is not in the render of prod",
    );
    case(
        "| 1 | r | `platform.yaml:8` | `Application/argocd/flux-prod` |\n",
        "`Application/argocd/flux-prod` is not in the render of prod, nor in its `platformgen argocd` objects",
    );
    case(
        "| 1 | r | `platform.yaml:8` | `qa: Deployment/health-platform-api/health-api` |\n",
        "no environment `qa`",
    );
    case(
        "| 1 | r | `platform.yaml:8` | `Deployment` |\n",
        "is not `Kind/namespace/name` or `Kind/name`",
    );
    case(
        "| 1 | r | — | `Deployment/health-platform-api/health-api` |\n",
        "objects without a spec",
    );
    case("| 1 | r | — | out of scope: |\n", "without a reason");
    case(
        "| 1 | r | — | maybe |\n",
        "Rendered: expected `…` references",
    );
    case(
        "| 1 | r | — | out of scope: a |\n| 1 | s | — | out of scope: b |\n",
        "row number 1 is used twice",
    );
    case("| 1 | r | — |\n", "3 cells, not 4");
    assert!(
        problems("no-such-example", "| 1 | r | — | gap: x |\n")[0].contains("no platform at"),
        "a page names its example"
    );
}

#[test]
fn a_right_row_passes() {
    assert_eq!(
        problems(
            "health-data",
            "| 1 | a \\| b | `platform.yaml:8-10`, `environments/dev.yaml:6` | \
             `Deployment/health-platform-auth/webauthn-server`, `dev: Namespace/health-platform-api`, \
             `prod: StorageClass/fast-ssd` |\n\
             | 2 | r | — | out of scope: building images |\n\
             | 3 | r | — | gap: a feature |\n\
             | 4 | r | `platform.yaml:599-603` | `Application/argocd/health-platform-prod`, \
             `dev: Application/argocd/cert-manager-dev` |\n"
        ),
        Vec::<String>::new()
    );
}
