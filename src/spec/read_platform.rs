//! Merged tree → [`PlatformSpec`]: the core fields through serde, then every
//! registered capability section where the tree writes it, all errors of
//! both reported in one run.

use std::collections::BTreeMap;

use indexmap::IndexMap;

use crate::diagnostic::Diagnostic;
use crate::merge::Provenance;
use crate::yaml::{Node, Value};

use super::PlatformSpec;
use super::section_keys::SectionKeys;
use super::sections::{Scope, SectionType, Sections};

/// The platform's workloads: read apart from the core.
const WORKLOADS: &str = "workloads";

/// Reads the spec of `tree`, with the sections of `section_types`.
pub fn read_platform(
    tree: &Node,
    provenance: &Provenance,
    section_types: &[SectionType],
) -> Result<PlatformSpec, Vec<Diagnostic>> {
    let keys = section_keys(section_types);
    let core = super::from_tree::read_core::<PlatformSpec>(tree, provenance, &keys);
    let workloads = super::from_tree::read_entries(tree, WORKLOADS, provenance, &keys);
    let mut errors = Vec::new();
    let mut platform = Sections::default();
    let mut scoped: BTreeMap<(Scope, &str), Sections> = BTreeMap::new();
    let Value::Map(root) = &tree.value else {
        return core;
    };
    for section in section_types {
        let mut read = |sections: &mut Sections, node: &Node, path: &[&str], key_span| {
            // `key:` with nothing after it is the key left out.
            if node.value == Value::Null {
                return;
            }
            if let Err(problems) =
                section.read_into(sections, (node, tree, path, key_span), provenance)
            {
                errors.extend(problems);
            }
        };
        match section.scope {
            Scope::Platform => {
                if let Some(entry) = root.entries.get(section.key) {
                    read(&mut platform, &entry.value, &[section.key], entry.key_span);
                }
            }
            Scope::Workload | Scope::Namespace => {
                let owners = if section.scope == Scope::Workload {
                    "workloads"
                } else {
                    "namespaces"
                };
                let Some(Value::Map(owners_map)) =
                    root.entries.get(owners).map(|entry| &entry.value.value)
                else {
                    continue;
                };
                for (name, owner) in &owners_map.entries {
                    let Value::Map(fields) = &owner.value.value else {
                        continue;
                    };
                    if let Some(entry) = fields.entries.get(section.key) {
                        let sections = scoped.entry((section.scope, name.as_str())).or_default();
                        read(
                            sections,
                            &entry.value,
                            &[owners, name, section.key],
                            entry.key_span,
                        );
                    }
                }
            }
        }
    }
    let workloads = workloads.unwrap_or_else(|problems| {
        errors.extend(problems);
        IndexMap::new()
    });
    let mut spec = match core {
        Err(mut core_errors) => {
            core_errors.extend(errors);
            return Err(core_errors);
        }
        Ok(_) if !errors.is_empty() => return Err(errors),
        Ok(spec) => spec,
    };
    spec.workloads = workloads;
    spec.data_services = section_types
        .iter()
        .filter_map(|section| {
            let entries = section.catalogue(platform.value(section.key)?)?;
            Some(
                entries
                    .into_iter()
                    .map(|(name, enabled)| super::DeclaredDataService {
                        section: section.key,
                        name,
                        enabled,
                    }),
            )
        })
        .flatten()
        .collect();
    spec.sections = platform;
    for ((scope, name), sections) in scoped {
        match scope {
            Scope::Workload => {
                if let Some(workload) = spec.workloads.get_mut(name) {
                    workload.sections = sections;
                }
            }
            Scope::Namespace => {
                if let Some(namespace) = spec.namespaces.get_mut(name) {
                    namespace.sections = sections;
                }
            }
            Scope::Platform => {}
        }
    }
    Ok(spec)
}

fn section_keys(types: &[SectionType]) -> SectionKeys {
    let mut keys = SectionKeys {
        // Thousands of them, each on its own: `from_tree::read_entries`.
        read_apart: vec![WORKLOADS],
        ..SectionKeys::default()
    };
    for section in types {
        match section.scope {
            Scope::Platform => keys.platform.push(section.key),
            Scope::Workload => keys.workload.push(section.key),
            Scope::Namespace => keys.namespace.push(section.key),
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;
    use crate::yaml::{self, Limits};

    /// A platform of `count` workloads; `workload(index)` writes the fields
    /// of each after its namespace.
    fn platform(count: usize, workload: impl Fn(usize) -> String) -> Node {
        let mut text = String::from(
            "platform: { name: shop, kubernetesVersion: \"1.33\" }\nnamespaces: { shop: {} }\nworkloads:\n",
        );
        for index in 0..count {
            text.push_str(&format!(
                "  w{index}:\n    namespace: shop\n    image: ghcr.io/acme/w:1.0.{index}\n    resources: {{ requests: {{ cpu: 10m, memory: 16Mi }}, limits: {{ cpu: 10m, memory: 16Mi }} }}\n{}",
                workload(index)
            ));
        }
        yaml::parse(FileId(0), &text, &Limits::default()).expect("valid YAML")
    }

    /// The spec read with the workloads in the core, one after the other,
    /// as `read_platform` read them before they were read apart.
    fn read_in_place(tree: &Node) -> Result<PlatformSpec, Vec<Diagnostic>> {
        let mut keys = section_keys(&crate::capabilities::sections());
        keys.read_apart.clear();
        super::super::from_tree::read_core::<PlatformSpec>(tree, &Provenance::default(), &keys)
    }

    fn read(tree: &Node) -> Result<PlatformSpec, Vec<Diagnostic>> {
        read_platform(
            tree,
            &Provenance::default(),
            &crate::capabilities::sections(),
        )
    }

    fn messages(result: Result<PlatformSpec, Vec<Diagnostic>>) -> Vec<String> {
        let mut messages: Vec<String> = result
            .expect_err("the spec has errors")
            .iter()
            .map(|d| format!("{:?} {}", d.primary.as_ref().map(|l| l.span), d.message))
            .collect();
        messages.sort();
        messages
    }

    /// Enough workloads that both threads read some.
    const MANY: usize = 300;

    #[test]
    fn workloads_read_apart_are_those_read_in_place() {
        let tree = platform(MANY, |index| {
            format!(
                "    replicas: {}\n    env: {{ INDEX: \"{index}\" }}\n",
                index % 5 + 1
            )
        });
        let apart = read(&tree).expect("valid");
        let in_place = read_in_place(&tree).expect("valid");
        assert_eq!(apart.workloads.len(), MANY);
        assert_eq!(
            apart.workloads.keys().collect::<Vec<_>>(),
            in_place.workloads.keys().collect::<Vec<_>>()
        );
        assert_eq!(
            format!("{:?}", apart.workloads),
            format!("{:?}", in_place.workloads)
        );
    }

    #[test]
    fn unknown_fields_of_every_workload_are_reported_as_in_place() {
        let tree = platform(MANY, |index| {
            if index % 97 == 3 {
                "    replcias: 2\n".to_owned()
            } else {
                String::new()
            }
        });
        let apart = messages(read(&tree));
        assert_eq!(apart.len(), 4, "{apart:#?}");
        assert!(apart.iter().all(|m| m.contains("replcias")), "{apart:#?}");
        assert_eq!(apart, messages(read_in_place(&tree)));
    }

    #[test]
    fn a_type_error_in_one_workload_no_longer_hides_the_others() {
        let tree = platform(MANY, |index| match index {
            10 | 250 => "    replicas: many\n".to_owned(),
            _ => String::new(),
        });
        let apart = messages(read(&tree));
        assert_eq!(apart.len(), 2, "{apart:#?}");
        assert!(apart[0].contains("workloads.w10.replicas"), "{apart:#?}");
        assert!(apart[1].contains("workloads.w250.replicas"), "{apart:#?}");
        // Read in place, serde stops at the first.
        assert_eq!(messages(read_in_place(&tree)), apart[..1]);
    }

    #[test]
    fn the_workloads_mapping_is_checked_as_in_place() {
        for workloads in [
            "workloads: 5\n",
            "workloads: [a, b]\n",
            "workloads: { \"a\\tb\": { namespace: shop, image: x } }\n",
        ] {
            let text = format!(
                "platform: {{ name: shop, kubernetesVersion: \"1.33\" }}\nnamespaces: {{ shop: {{}} }}\n{workloads}"
            );
            let tree = yaml::parse(FileId(0), &text, &Limits::default()).expect("valid YAML");
            let apart = messages(read(&tree));
            assert!(!apart.is_empty(), "{workloads}");
            assert_eq!(apart, messages(read_in_place(&tree)), "{workloads}");
        }
        for workloads in ["workloads:\n", ""] {
            let text = format!(
                "platform: {{ name: shop, kubernetesVersion: \"1.33\" }}\nnamespaces: {{ shop: {{}} }}\n{workloads}"
            );
            let tree = yaml::parse(FileId(0), &text, &Limits::default()).expect("valid YAML");
            assert!(
                read(&tree).expect("valid").workloads.is_empty(),
                "{workloads:?}"
            );
        }
    }
}
