//! The committed JSON Schemas match the spec types, and every spec file of the
//! repository points editors at them.

use crate::support::cli::{repository, run};

#[track_caller]
fn assert_fresh(relative: &str, args: &[&str]) {
    let root = repository();
    let generated = run(&root, args).success().stdout;
    let committed = std::fs::read_to_string(root.join(relative)).unwrap_or_default();
    if committed != generated {
        if std::env::var_os("PLATFORMGEN_UPDATE_SCHEMAS").is_some() {
            std::fs::write(root.join(relative), &generated).expect("write schema");
            return;
        }
        let diff = similar_lines(&committed, &generated);
        panic!(
            "{relative} is stale; regenerate it with `PLATFORMGEN_UPDATE_SCHEMAS=1 cargo test schema`:\n{diff}"
        );
    }
}

fn similar_lines(old: &str, new: &str) -> String {
    old.lines()
        .zip(new.lines())
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .take(10)
        .map(|(line, (a, b))| format!("line {}: -{a}\n          +{b}", line + 1))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn platform_schema_is_up_to_date() {
    assert_fresh("schemas/platform.schema.json", &["schema"]);
}

#[test]
fn environment_schema_is_up_to_date() {
    assert_fresh(
        "schemas/environment.schema.json",
        &["schema", "--environment"],
    );
}

#[test]
fn spec_files_declare_their_schema() {
    let root = repository();
    let mut files = vec![root.join("platform.yaml")];
    for entry in std::fs::read_dir(root.join("environments")).expect("environments/") {
        files.push(entry.expect("entry").path());
    }
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read spec");
        let first = text.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("# yaml-language-server: $schema=") && first.contains("schemas/"),
            "{} must start with a yaml-language-server schema line",
            file.display()
        );
    }
}

#[test]
fn schema_rejects_unknown_fields_and_documents_every_property() {
    let schema: serde_json::Value =
        serde_json::from_str(&run(&repository(), &["schema"]).success().stdout)
            .expect("schema is JSON");
    let definitions = schema["$defs"].as_object().expect("$defs");
    let root = std::iter::once(("PlatformSpec", &schema));
    let mut checked = 0;
    for (name, definition) in root.chain(definitions.iter().map(|(n, d)| (n.as_str(), d))) {
        let Some(properties) = definition["properties"].as_object() else {
            continue;
        };
        assert_eq!(
            definition["additionalProperties"], false,
            "{name} allows unknown fields"
        );
        for (property, body) in properties {
            assert!(
                body["description"].is_string(),
                "{name}.{property} has no description"
            );
            checked += 1;
        }
    }
    assert!(
        checked > 100,
        "only {checked} properties found: the schema's shape changed"
    );
}
