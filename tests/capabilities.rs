//! The capability registry (`platformgen::capabilities::CAPABILITIES`) held
//! against the source tree and the docs: every capability is one folder with
//! its registration beside it, every folder is registered, and each
//! capability's docs page documents every spec key it owns.

use std::collections::BTreeSet;

use platformgen::capabilities::CAPABILITIES;

use crate::support::cli::repository;

#[test]
fn every_capability_folder_is_registered_once() {
    let root = repository().join("src/capabilities");
    let folders: BTreeSet<String> = std::fs::read_dir(&root)
        .expect("src/capabilities/")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.is_dir())
        .map(|path| {
            path.file_name()
                .expect("a name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let registered: Vec<&str> = CAPABILITIES.iter().map(|c| c.name).collect();
    let unique: BTreeSet<&str> = registered.iter().copied().collect();
    assert_eq!(
        unique.len(),
        registered.len(),
        "registered twice: {registered:?}"
    );
    assert_eq!(
        folders,
        unique.iter().map(|name| (*name).to_owned()).collect(),
        "src/capabilities/ folders and CAPABILITIES differ"
    );
    for name in &registered {
        assert!(
            root.join(format!("{name}.rs")).is_file(),
            "src/capabilities/{name}.rs registers the capability"
        );
    }
}

#[test]
fn every_capability_documents_its_spec_keys() {
    for capability in CAPABILITIES {
        let page = std::fs::read_to_string(repository().join(capability.docs))
            .unwrap_or_else(|_| panic!("{}: no docs page {}", capability.name, capability.docs));
        for path in capability.spec_keys {
            let key = path.rsplit('.').next().unwrap_or(path);
            assert!(
                page.contains(&format!("`{key}`")),
                "{} does not document `{key}` of capability {}",
                capability.docs,
                capability.name
            );
        }
    }
}

#[test]
fn capabilities_have_at_least_one_hook() {
    for capability in CAPABILITIES {
        assert!(
            capability.analyze.is_some()
                || capability.lower.is_some()
                || capability.lower_workload.is_some(),
            "{} plugs into nothing",
            capability.name
        );
    }
}
