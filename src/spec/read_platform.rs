//! Merged tree → [`PlatformSpec`]: the core fields through serde, then every
//! registered capability section where the tree writes it, all errors of
//! both reported in one run.

use std::collections::BTreeMap;

use crate::diagnostic::Diagnostic;
use crate::merge::Provenance;
use crate::yaml::{Node, Value};

use super::PlatformSpec;
use super::section_keys::SectionKeys;
use super::sections::{Scope, SectionType, Sections};

/// Reads the spec of `tree`, with the sections of `section_types`.
pub fn read_platform(
    tree: &Node,
    provenance: &Provenance,
    section_types: &[SectionType],
) -> Result<PlatformSpec, Vec<Diagnostic>> {
    let core =
        super::from_tree::read_core::<PlatformSpec>(tree, provenance, &section_keys(section_types));
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
    let mut spec = match core {
        Err(mut core_errors) => {
            core_errors.extend(errors);
            return Err(core_errors);
        }
        Ok(_) if !errors.is_empty() => return Err(errors),
        Ok(spec) => spec,
    };
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
    let mut keys = SectionKeys::default();
    for section in types {
        match section.scope {
            Scope::Platform => keys.platform.push(section.key),
            Scope::Workload => keys.workload.push(section.key),
            Scope::Namespace => keys.namespace.push(section.key),
        }
    }
    keys
}
