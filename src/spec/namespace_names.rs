//! Namespace names per environment: `cluster.namespaceTemplate` renames
//! every namespace of `namespaces` (`"{name}-staging"`), and every value that
//! names one, in the merged tree before it is typed. So analysis, lowering,
//! and everything they compute from a namespace's name (addresses, network
//! policy selectors, bindings, the namespaces a backup covers) use the
//! environment's names, while the spec keeps writing the spec's names, once.
//!
//! Which values name a platform namespace is a list of key paths (`*`
//! stands for any key or list item): the core's [`CORE_PATHS`] and each
//! capability's, handed in by the pipeline. A value is renamed only when it
//! is one of the declared namespaces, so a misspelt one is still reported,
//! by the check that reads it, as unknown.

use crate::diagnostic::{Code, Diagnostic};
use crate::yaml::{Node, Value};

/// The key paths of the core spec whose values name a platform namespace.
pub const CORE_PATHS: &[&str] = &[
    "workloads.*.namespace",
    "workloads.*.egress.*.to",
    "workloads.*.egress.*.namespace",
    "patches.*.target.namespace",
    "policy.waivers.*.namespace",
];

/// What `{name}` stands for in a template.
const NAME: &str = "{name}";

/// Applies the template of `tree` (its `cluster.namespaceTemplate`, if any)
/// to its namespaces and to the values at `paths`; the problem with the
/// template, if any.
pub fn apply(tree: &mut Node, paths: &[&str]) -> Option<Diagnostic> {
    let template_node = tree.get("cluster")?.get("namespaceTemplate")?;
    let span = template_node.span;
    let template = template_node.as_str()?.to_owned();
    if template.matches(NAME).count() != 1 {
        return Some(
            Diagnostic::error(
                Code::InvalidNamespaceTemplate,
                format!("namespace template `{template}` must hold `{NAME}` once"),
            )
            .at(
                span,
                "`{name}` stands for each namespace's name in the spec",
            )
            .with_help(
                "for example `\"{name}-staging\"`, or `\"{name}-${environment}\"` in the base",
            ),
        );
    }
    let rename = |name: &str| template.replace(NAME, name);
    let declared: Vec<String> = match tree.get("namespaces").map(|n| &n.value) {
        Some(Value::Map(map)) => map.entries.keys().cloned().collect(),
        _ => return None,
    };
    if let Some(Value::Map(map)) = tree
        .as_map_mut()
        .and_then(|root| root.entries.get_mut("namespaces"))
        .map(|entry| &mut entry.value.value)
    {
        map.entries = std::mem::take(&mut map.entries)
            .into_iter()
            .map(|(name, entry)| (rename(&name), entry))
            .collect();
    }
    for path in CORE_PATHS.iter().chain(paths) {
        let segments: Vec<&str> = path.split('.').collect();
        visit(tree, &segments, &mut |node| {
            if let Value::Scalar(scalar) = &mut node.value
                && declared.contains(&scalar.text)
            {
                scalar.text = rename(&scalar.text);
            }
        });
    }
    // A patch of a Namespace names it by its name.
    visit(tree, &["patches", "*", "target"], &mut |target| {
        if target.get("kind").and_then(Node::as_str) != Some("Namespace") {
            return;
        }
        if let Some(Value::Scalar(scalar)) = target
            .as_map_mut()
            .and_then(|map| map.entries.get_mut("name"))
            .map(|entry| &mut entry.value.value)
            && declared.contains(&scalar.text)
        {
            scalar.text = rename(&scalar.text);
        }
    });
    None
}

/// Calls `action` on every node at `path` under `node`.
fn visit(node: &mut Node, path: &[&str], action: &mut dyn FnMut(&mut Node)) {
    let Some((first, rest)) = path.split_first() else {
        action(node);
        return;
    };
    match &mut node.value {
        Value::Map(map) if *first == "*" => {
            for entry in map.entries.values_mut() {
                visit(&mut entry.value, rest, action);
            }
        }
        Value::Map(map) => {
            if let Some(entry) = map.entries.get_mut(*first) {
                visit(&mut entry.value, rest, action);
            }
        }
        Value::Seq(items) if *first == "*" => {
            for item in items {
                visit(item, rest, action);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::yaml::{self, Limits};

    fn parse(text: &str) -> Node {
        yaml::parse(FileId::default(), text, &Limits::default()).expect("valid YAML")
    }

    fn text(node: &Node, path: &[&str]) -> String {
        let mut node = node;
        for key in path {
            node = node.get(key).expect("present");
        }
        node.as_str().expect("a scalar").to_owned()
    }

    #[test]
    fn namespaces_and_their_references_are_renamed() {
        let mut tree = parse(
            "cluster: { namespaceTemplate: \"{name}-staging\" }\nnamespaces: { shop: {}, data: {} }\nworkloads:\n  web: { namespace: shop }\n  db: { namespace: dta }\npostgres:\n  pg: { namespace: data }\nbackups: { velero: { schedules: { nightly: { namespaces: [data, shop] } } } }\n",
        );
        let problem = apply(
            &mut tree,
            &[
                "postgres.*.namespace",
                "backups.velero.schedules.*.namespaces.*",
            ],
        );
        assert!(problem.is_none());
        let keys: Vec<&String> = tree
            .get("namespaces")
            .and_then(Node::as_map)
            .expect("namespaces")
            .entries
            .keys()
            .collect();
        assert_eq!(keys, ["shop-staging", "data-staging"], "in file order");
        assert_eq!(
            text(&tree, &["workloads", "web", "namespace"]),
            "shop-staging"
        );
        // Not a declared namespace: left for the check that reports it.
        assert_eq!(text(&tree, &["workloads", "db", "namespace"]), "dta");
        assert_eq!(
            text(&tree, &["postgres", "pg", "namespace"]),
            "data-staging"
        );
        let Some(Value::Seq(items)) = tree
            .get("backups")
            .and_then(|n| n.get("velero"))
            .and_then(|n| n.get("schedules"))
            .and_then(|n| n.get("nightly"))
            .and_then(|n| n.get("namespaces"))
            .map(|n| &n.value)
        else {
            panic!("a list");
        };
        let names: Vec<&str> = items.iter().filter_map(Node::as_str).collect();
        assert_eq!(names, ["data-staging", "shop-staging"]);
    }

    #[test]
    fn egress_to_a_platform_namespace_follows_it() {
        let mut tree = parse(
            "cluster: { namespaceTemplate: \"{name}-dev\" }\nnamespaces: { shop: {}, data: {} }\nworkloads:\n  web:\n    namespace: shop\n    egress:\n      - { to: data, ports: [5432] }\n      - { namespace: shop, ports: [80] }\n      - { to: internet, ports: [443] }\n      - { to: monitoring, ports: [9091] }\n",
        );
        assert!(apply(&mut tree, &[]).is_none());
        let Some(Value::Seq(rules)) = tree
            .get("workloads")
            .and_then(|n| n.get("web"))
            .and_then(|n| n.get("egress"))
            .map(|n| &n.value)
        else {
            panic!("a list");
        };
        let targets: Vec<&str> = rules
            .iter()
            .filter_map(|rule| rule.get("to").or_else(|| rule.get("namespace")))
            .filter_map(Node::as_str)
            .collect();
        // `internet` and a namespace outside the platform keep their names.
        assert_eq!(targets, ["data-dev", "shop-dev", "internet", "monitoring"]);
    }

    #[test]
    fn a_template_without_its_name_is_reported() {
        let mut tree = parse("cluster: { namespaceTemplate: staging }\nnamespaces: { shop: {} }\n");
        let problem = apply(&mut tree, &[]).expect("a problem");
        assert_eq!(problem.code, Code::InvalidNamespaceTemplate);
        assert!(tree.get("namespaces").and_then(|n| n.get("shop")).is_some());
    }

    #[test]
    fn without_a_template_nothing_changes() {
        let mut tree = parse("namespaces: { shop: {} }\nworkloads: { web: { namespace: shop } }\n");
        assert!(apply(&mut tree, &[]).is_none());
        assert_eq!(text(&tree, &["workloads", "web", "namespace"]), "shop");
    }
}
