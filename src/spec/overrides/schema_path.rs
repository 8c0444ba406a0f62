//! Whether a key path leads somewhere the spec has, read off the spec's JSON
//! Schema (generated from the spec types, so it cannot drift from them) and
//! the merged tree (which names the entries of named collections).

use serde_json::{Map, Value};

use crate::merge::KeyPath;
use crate::spec::PlatformSpec;
use crate::yaml::Node;

/// The spec's schema, to walk paths through.
pub(super) struct SpecShape {
    schema: Value,
}

/// Why a path does not lead anywhere; `at` is the index of the segment.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum PathProblem {
    /// No field of that name where the path is (`known`: the fields there).
    UnknownField { at: usize, known: Vec<String> },
    /// An entry of a named collection that the spec does not hold, with
    /// keys below it (`existing`: the entries it holds).
    UnknownEntry { at: usize, existing: Vec<String> },
    /// A segment below a list: lists are replaced whole.
    InsideList { at: usize },
    /// A segment below a value that holds no keys.
    BelowValue { at: usize },
}

impl SpecShape {
    pub(super) fn new() -> Self {
        let schema = serde_json::to_value(schemars::schema_for!(PlatformSpec))
            .expect("the spec's schema serializes");
        Self { schema }
    }

    /// Checks that `path` names a key the spec has, given the merged tree.
    pub(super) fn check(&self, path: &KeyPath, merged: &Node) -> Result<(), PathProblem> {
        let mut schemas = vec![&self.schema];
        let mut tree = Some(merged);
        let last = path.segments().len().saturating_sub(1);
        for (at, segment) in path.segments().iter().enumerate() {
            let objects: Vec<&Map<String, Value>> = schemas
                .iter()
                .flat_map(|schema| self.alternatives(schema))
                .collect();
            let fields: Vec<&Value> = objects
                .iter()
                .filter_map(|object| object.get("properties")?.get(segment.as_str()))
                .collect();
            let child = tree.and_then(|node| node.get(segment));
            if !fields.is_empty() {
                schemas = fields;
            } else if let Some(entries) = objects
                .iter()
                .find_map(|object| object.get("additionalProperties").filter(|v| v.is_object()))
            {
                if child.is_none() && at < last {
                    let existing = tree
                        .and_then(Node::as_map)
                        .map(|map| map.entries.keys().cloned().collect())
                        .unwrap_or_default();
                    return Err(PathProblem::UnknownEntry { at, existing });
                }
                schemas = vec![entries];
            } else if objects.iter().any(|object| is_type(object, "array")) {
                return Err(PathProblem::InsideList { at });
            } else if objects
                .iter()
                .any(|object| object.contains_key("properties"))
            {
                let mut known: Vec<String> = objects
                    .iter()
                    .filter_map(|object| object.get("properties")?.as_object())
                    .flat_map(|fields| fields.keys().cloned())
                    .collect();
                known.sort();
                known.dedup();
                return Err(PathProblem::UnknownField { at, known });
            } else {
                return Err(PathProblem::BelowValue { at });
            }
            tree = child;
        }
        Ok(())
    }

    /// The object schemas `schema` may be: through `$ref`, and every branch
    /// of `anyOf`, `oneOf` and `allOf` (an optional field is `anyOf` its type
    /// and null; a choice of backends is `oneOf`).
    fn alternatives<'a>(&'a self, schema: &'a Value) -> Vec<&'a Map<String, Value>> {
        let mut found = Vec::new();
        self.collect(schema, &mut found, 0);
        found
    }

    fn collect<'a>(
        &'a self,
        schema: &'a Value,
        found: &mut Vec<&'a Map<String, Value>>,
        depth: u8,
    ) {
        // The spec's schema nests a handful of levels; the bound only guards
        // against a reference cycle.
        let Some(object) = schema.as_object().filter(|_| depth < 32) else {
            return;
        };
        if let Some(target) = object.get("$ref").and_then(Value::as_str)
            && let Some(resolved) = self.resolve(target)
        {
            self.collect(resolved, found, depth + 1);
        }
        for combinator in ["anyOf", "oneOf", "allOf"] {
            for branch in object
                .get(combinator)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                self.collect(branch, found, depth + 1);
            }
        }
        found.push(object);
    }

    fn resolve(&self, reference: &str) -> Option<&Value> {
        let name = reference.strip_prefix("#/$defs/")?;
        self.schema.get("$defs")?.get(name)
    }
}

fn is_type(object: &Map<String, Value>, wanted: &str) -> bool {
    match object.get("type") {
        Some(Value::String(name)) => name == wanted,
        Some(Value::Array(names)) => names.iter().any(|name| name == wanted),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::yaml::{self, Limits};

    fn merged() -> Node {
        yaml::parse(
            FileId(0),
            "workloads:\n  health-api:\n    image: a:1\n    env: { A: b }\n    args: [x]\n",
            &Limits::default(),
        )
        .expect("parses")
    }

    fn check(path: &str) -> Result<(), PathProblem> {
        let tree = merged();
        let path = KeyPath::parse_in(path, &tree).expect("a path");
        SpecShape::new().check(&path, &tree)
    }

    #[test]
    fn fields_and_existing_entries_are_found() {
        assert_eq!(check("workloads.health-api.image"), Ok(()));
        assert_eq!(check("workloads.health-api.replicas"), Ok(()));
        assert_eq!(check("workloads.health-api.autoscaling.max"), Ok(()));
        assert_eq!(check("workloads.health-api.env.NEW"), Ok(()));
        assert_eq!(check("platform.name"), Ok(()));
        // A new entry is the key set, with its whole value.
        assert_eq!(check("workloads.web"), Ok(()));
    }

    #[test]
    fn wrong_paths_say_where_and_why() {
        assert!(matches!(
            check("workloads.health-api.replicaCount"),
            Err(PathProblem::UnknownField { at: 2, ref known }) if known.iter().any(|k| k == "replicas")
        ));
        assert_eq!(
            check("workloads.helth-api.image"),
            Err(PathProblem::UnknownEntry {
                at: 1,
                existing: vec!["health-api".to_owned()]
            })
        );
        assert_eq!(
            check("workloads.health-api.args.0"),
            Err(PathProblem::InsideList { at: 3 })
        );
        assert_eq!(
            check("workloads.health-api.image.tag"),
            Err(PathProblem::BelowValue { at: 3 })
        );
        assert!(matches!(
            check("workload.x"),
            Err(PathProblem::UnknownField { at: 0, .. })
        ));
    }
}
