//! Parameters: `${name}` in a spec value is replaced by a value every
//! environment may set differently, so a per-environment URL, Vault path or
//! image tag is written once in the base and varied by one line per overlay.
//!
//! Names: the built-ins `environment` (the environment's name), `platform`
//! (`platform.name`) and `domain` (the merged `domain`), and the user's, from
//! the `parameters` section (merged like everything else: the base gives
//! defaults, an overlay changes them). `domain` may use `environment` and
//! `platform`; a parameter may use the built-ins; any other value may use
//! all of them. An unknown name is an error at the value, with a suggestion;
//! `$${` writes a literal `${`.
//!
//! Runs on the merged tree, before it is typed: a value is text until the
//! spec reads it, so `replicas: ${replicas}` is checked as a count, at the
//! line that wrote `${replicas}`. Scripts and files are left as written,
//! since shells and templating tools use `${…}` themselves: `command`,
//! `args` (also of sidecars and init containers), `config.files` and
//! `config.mounts`, and free text (`description`, `policy`).

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::source::Span;
use crate::yaml::{Node, Value};

/// The names every platform has.
pub const BUILT_IN: [&str; 3] = ["environment", "platform", "domain"];

/// Replaces every `${name}` in `tree`, the merged spec of `environment`;
/// returns the problems, each at the value that holds it.
pub fn interpolate(tree: &mut Node, environment: &str) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut known: BTreeMap<String, String> = BTreeMap::new();
    known.insert("environment".to_owned(), environment.to_owned());
    if let Some(name) = scalar(tree, &["platform", "name"]) {
        known.insert("platform".to_owned(), name);
    }
    if let Some(domain) = node_mut(tree, &["domain"]) {
        substitute(domain, &known, &mut errors);
        if let Value::Scalar(scalar) = &domain.value {
            known.insert("domain".to_owned(), scalar.text.clone());
        }
    }
    let built_in = known.clone();
    if let Some(Value::Map(parameters)) = node_mut(tree, &["parameters"]).map(|n| &mut n.value) {
        for (name, entry) in &mut parameters.entries {
            if BUILT_IN.contains(&name.as_str()) {
                errors.push(
                    Diagnostic::error(
                        Code::InvalidParameter,
                        format!("`{name}` is a built-in parameter"),
                    )
                    .at(entry.key_span, "already defined by platformgen")
                    .with_help("choose another name; `${environment}`, `${platform}` and `${domain}` are always defined"),
                );
                continue;
            }
            if !is_parameter_name(name) {
                errors.push(
                    Diagnostic::error(
                        Code::InvalidParameter,
                        format!("`{name}` cannot name a parameter"),
                    )
                    .at(entry.key_span, "not a parameter name")
                    .with_help("use letters, digits and `_`, starting with a letter (`vaultPrefix`, `api_url`)"),
                );
                continue;
            }
            substitute(&mut entry.value, &built_in, &mut errors);
            if let Value::Scalar(scalar) = &entry.value.value {
                known.insert(name.clone(), scalar.text.clone());
            }
        }
    }
    walk(tree, None, &known, &mut errors);
    errors
}

/// Whether values at `path` are left as written.
fn left_as_written(path: &[&str]) -> bool {
    matches!(
        path,
        ["parameters" | "domain" | "policy", ..]
            | ["workloads", _, "command" | "args", ..]
            | ["workloads", _, "config", "files" | "mounts", ..]
            | [
                "workloads",
                _,
                "sidecars" | "initContainers",
                _,
                "command" | "args",
                ..
            ]
            | [.., "description"]
    )
}

/// Where a node sits: its parent's path and its key or index. Kept on the
/// stack and turned into segments only for a scalar holding a reference
/// (rare), instead of a path of owned strings built for every node.
struct Path<'p> {
    parent: Option<&'p Path<'p>>,
    segment: Segment<'p>,
}

#[derive(Clone, Copy)]
enum Segment<'p> {
    Key(&'p str),
    Index(usize),
}

impl Path<'_> {
    /// The segments from the root, indexes written as numbers.
    fn segments(&self) -> Vec<String> {
        let mut segments = Vec::new();
        let mut at = Some(self);
        while let Some(path) = at {
            segments.push(match path.segment {
                Segment::Key(key) => key.to_owned(),
                Segment::Index(index) => index.to_string(),
            });
            at = path.parent;
        }
        segments.reverse();
        segments
    }
}

fn walk(
    node: &mut Node,
    path: Option<&Path<'_>>,
    known: &BTreeMap<String, String>,
    errors: &mut Vec<Diagnostic>,
) {
    match &mut node.value {
        Value::Scalar(scalar) => {
            if !mentions_parameter(&scalar.text) {
                return;
            }
            // Left as written when the path or any path above it is.
            let segments = path.map(Path::segments).unwrap_or_default();
            let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
            if (0..=segments.len()).any(|end| left_as_written(&segments[..end])) {
                return;
            }
            substitute(node, known, errors);
        }
        Value::Seq(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                let inner = Path {
                    parent: path,
                    segment: Segment::Index(index),
                };
                walk(item, Some(&inner), known, errors);
            }
        }
        Value::Map(map) => {
            for (key, entry) in &mut map.entries {
                let inner = Path {
                    parent: path,
                    segment: Segment::Key(key),
                };
                walk(&mut entry.value, Some(&inner), known, errors);
            }
        }
        Value::Null => {}
    }
}

/// Whether `text` holds a `${`. Most scalars hold no `$` at all, and looking
/// for one byte costs a fraction of what setting up a substring search does
/// (about 165 instructions a scalar, 0.5 % of a large render).
fn mentions_parameter(text: &str) -> bool {
    memchr::memchr(b'$', text.as_bytes()).is_some() && text.contains("${")
}

/// Replaces the references in one scalar.
fn substitute(node: &mut Node, known: &BTreeMap<String, String>, errors: &mut Vec<Diagnostic>) {
    let span = node.span;
    let Value::Scalar(scalar) = &mut node.value else {
        return;
    };
    if !mentions_parameter(&scalar.text) {
        return;
    }
    let mut out = String::with_capacity(scalar.text.len());
    let mut rest = scalar.text.as_str();
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        if let Some(tail) = after.strip_prefix("$${") {
            out.push_str("${");
            rest = tail;
        } else if let Some(tail) = after.strip_prefix("${") {
            let Some(end) = tail.find('}') else {
                errors.push(
                    Diagnostic::error(Code::InvalidParameter, "`${` without a closing `}`")
                        .at(span, "unclosed reference")
                        .with_help("write `${name}`, or `$${` for a literal `${`"),
                );
                return;
            };
            let name = tail[..end].trim();
            match known.get(name) {
                Some(value) => out.push_str(value),
                None => {
                    errors.push(unknown(name, span, known));
                    return;
                }
            }
            rest = &tail[end + 1..];
        } else {
            out.push('$');
            rest = &after[1..];
        }
    }
    out.push_str(rest);
    scalar.text = out;
}

fn unknown(name: &str, span: Span, known: &BTreeMap<String, String>) -> Diagnostic {
    Diagnostic::error(
        Code::UnknownParameter,
        format!("unknown parameter `{name}`"),
    )
    .at(span, format!("`${{{name}}}` is not defined here"))
    .with_help_opt(suggestion::did_you_mean(
        name,
        known.keys().map(String::as_str),
    ))
    .with_note(format!(
        "defined: {}; declare others under `parameters` (`$${{` writes a literal `${{`)",
        known
            .keys()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

fn is_parameter_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn scalar(tree: &Node, path: &[&str]) -> Option<String> {
    let mut node = tree;
    for key in path {
        node = node.get(key)?;
    }
    node.as_str().map(str::to_owned)
}

fn node_mut<'t>(tree: &'t mut Node, path: &[&str]) -> Option<&'t mut Node> {
    let mut node = tree;
    for key in path {
        let Value::Map(map) = &mut node.value else {
            return None;
        };
        node = &mut map.entries.get_mut(*key)?.value;
    }
    Some(node)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::yaml::{self, Limits};

    fn run(text: &str) -> (Node, Vec<Diagnostic>) {
        let mut tree = yaml::parse(FileId(0), text, &Limits::default()).expect("parses");
        let errors = interpolate(&mut tree, "staging");
        (tree, errors)
    }

    fn at(tree: &Node, path: &[&str]) -> String {
        scalar(tree, path).expect("a scalar")
    }

    #[test]
    fn references_are_replaced_in_values_but_not_in_scripts() {
        let (tree, errors) = run(concat!(
            "platform: { name: shop }\n",
            "domain: ${environment}.${platform}.example.com\n",
            "parameters:\n  vault: secret/${environment}\n  tag: '1.4'\n",
            "workloads:\n",
            "  web:\n",
            "    image: ghcr.io/acme/web:${tag}\n",
            "    env: { VAULT: '${vault}/web', SITE: 'https://${domain}', LITERAL: '$${HOME} costs $5' }\n",
            "    args: [sh, -c, 'echo ${HOME}']\n",
            "    description: uses ${whatever}\n",
        ));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(at(&tree, &["domain"]), "staging.shop.example.com");
        assert_eq!(
            at(&tree, &["workloads", "web", "image"]),
            "ghcr.io/acme/web:1.4"
        );
        let env = |key| at(&tree, &["workloads", "web", "env", key]);
        assert_eq!(env("VAULT"), "secret/staging/web");
        assert_eq!(env("SITE"), "https://staging.shop.example.com");
        assert_eq!(env("LITERAL"), "${HOME} costs $5");
        let args = tree
            .get("workloads")
            .and_then(|w| w.get("web"))
            .and_then(|w| w.get("args"));
        let Some(Value::Seq(args)) = args.map(|a| &a.value) else {
            panic!("args")
        };
        assert_eq!(args[2].as_str(), Some("echo ${HOME}"));
    }

    #[test]
    fn scripts_of_side_containers_and_config_mounts_are_left_as_written() {
        let (tree, errors) = run(concat!(
            "parameters: { tag: '2.0' }\n",
            "workloads:\n",
            "  web:\n",
            "    sidecars: [{ name: proxy, image: 'proxy:${tag}', command: ['${SHELL}'], args: ['${HOME}'], env: { T: '${tag}' } }]\n",
            "    initContainers: [{ name: init, command: ['${SHELL}'] }]\n",
            "    config: { mounts: { /etc/web: { run.sh: 'echo ${HOME}' } } }\n",
        ));
        assert!(errors.is_empty(), "{errors:?}");
        let first = |path: &[&str]| -> String {
            let mut node = &tree;
            for key in path {
                node = match (&node.value, key.parse::<usize>()) {
                    (Value::Seq(items), Ok(index)) => &items[index],
                    _ => node.get(key).expect(key),
                };
            }
            node.as_str().expect("a scalar").to_owned()
        };
        let proxy = ["workloads", "web", "sidecars", "0"];
        let at_proxy = |field: &[&str]| first(&[&proxy[..], field].concat());
        assert_eq!(at_proxy(&["image"]), "proxy:2.0");
        assert_eq!(at_proxy(&["env", "T"]), "2.0");
        assert_eq!(at_proxy(&["command", "0"]), "${SHELL}");
        assert_eq!(at_proxy(&["args", "0"]), "${HOME}");
        assert_eq!(
            first(&["workloads", "web", "initContainers", "0", "command", "0"]),
            "${SHELL}"
        );
        assert_eq!(
            first(&["workloads", "web", "config", "mounts", "/etc/web", "run.sh"]),
            "echo ${HOME}"
        );
    }

    #[test]
    fn mistakes_are_errors_at_the_value() {
        let (_, errors) = run(concat!(
            "parameters: { vault: x, environment: y, 2fa: z }\n",
            "workloads: { web: { env: { A: '${vualt}', B: '${vault' } } }\n",
        ));
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`environment` is a built-in parameter",
                "`2fa` cannot name a parameter",
                "unknown parameter `vualt`",
                "`${` without a closing `}`",
            ]
        );
        assert_eq!(errors[2].help.as_deref(), Some("did you mean `vault`?"));
    }
}
