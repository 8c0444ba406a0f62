//! Redaction: which values of a spec are secret, and hiding them wherever the
//! spec is shown back to a person: the source lines diagnostics quote, type
//! errors that echo a value (`spec::from_tree`), and `explain`. The rule lives
//! here once so every output agrees. This module decides nothing else about
//! secrets (analysis does) and never touches rendered objects: a development
//! render of a `plain` secret contains its value, base64-encoded, by design.
//!
//! The rule errs on the side of hiding: besides `plain` values, every value
//! under a key of a secret entry that is not a known non-secret field is
//! hidden, because a misspelt `plian:` or a value at the wrong level may well
//! be the secret itself.

use crate::source::Sources;
use crate::spec::NON_SECRET_FIELDS;
use crate::yaml::{Node, Value};

/// What is shown in place of a secret value.
pub const MASK: &str = "***";

/// Whether a scalar at `path` (key path from the root; list items by index)
/// may be a secret value and must not be shown.
pub fn is_secret_path<S: AsRef<str>>(path: &[S]) -> bool {
    let segments: Vec<&str> = path.iter().map(AsRef::as_ref).collect();
    match segments.as_slice() {
        // A scalar where the mapping of secrets, or a secret entry, belongs.
        ["workloads", _, "secrets"] | ["workloads", _, "secrets", _] => true,
        ["workloads", _, "secrets", _, field, ..] => !NON_SECRET_FIELDS.contains(field),
        _ => false,
    }
}

/// Shortest possible `kubeseal --raw` output, in base64 characters: a 2-byte
/// length, an RSA-2048 encrypted session key (256 bytes) and an AES-GCM tag
/// (16 bytes) make 274 bytes, 368 characters of base64.
const MIN_SEALED_LENGTH: usize = 368;

/// Whether `text` looks like Sealed Secrets ciphertext (`kubeseal --raw`
/// output): long enough, and nothing but standard base64. A value that does
/// not may be a clear-text secret pasted in the wrong place.
pub fn looks_sealed(text: &str) -> bool {
    let body = text.trim_end_matches('=');
    text.len() >= MIN_SEALED_LENGTH
        && text.len() % 4 == 0
        && text.len() - body.len() <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

/// Whether the scalar `text` at `path` must not be shown: [`is_secret_path`],
/// or a `sealed.encryptedData` value that is not ciphertext (see
/// [`looks_sealed`]).
pub fn is_secret_value<S: AsRef<str>>(path: &[S], text: &str) -> bool {
    if is_secret_path(path) {
        return true;
    }
    let segments: Vec<&str> = path.iter().map(AsRef::as_ref).collect();
    matches!(
        segments.as_slice(),
        ["workloads", _, "secrets", _, "sealed", "encryptedData", ..]
    ) && !looks_sealed(text)
}

/// Hides, in `sources`, the text of every secret value of `tree` (one parsed
/// file, before merging, so values an overlay replaces are hidden too).
pub fn redact_sources(tree: &Node, sources: &mut Sources) {
    let Some(workloads) = tree.get("workloads").and_then(Node::as_map) else {
        return;
    };
    for (name, entry) in &workloads.entries {
        if let Some(secrets) = entry.value.get("secrets") {
            let mut path = vec!["workloads".to_owned(), name.clone(), "secrets".to_owned()];
            redact_node(secrets, &mut path, sources);
        }
    }
}

fn redact_node(node: &Node, path: &mut Vec<String>, sources: &mut Sources) {
    match &node.value {
        Value::Null => {}
        Value::Scalar(scalar) => {
            if is_secret_value(path, &scalar.text) {
                sources.redact(node.span);
            }
        }
        Value::Seq(items) => {
            for (index, item) in items.iter().enumerate() {
                path.push(index.to_string());
                redact_node(item, path, sources);
                path.pop();
            }
        }
        Value::Map(map) => {
            for (key, entry) in &map.entries {
                path.push(key.clone());
                redact_node(&entry.value, path, sources);
                path.pop();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge::KeyPath;
    use crate::source::SourceFile;
    use crate::yaml::{Limits, parse};

    #[track_caller]
    fn case(path: &str, secret: bool) {
        let path = KeyPath::parse(path).expect("valid key path");
        assert_eq!(is_secret_path(path.segments()), secret, "{path}");
    }

    #[test]
    fn plain_values_and_unknown_fields_of_secrets_are_secret() {
        case("workloads.api.secrets.db.plain.password", true);
        case("workloads.api.secrets.db.plain", true);
        case("workloads.api.secrets.db.plian.password", true);
        case("workloads.api.secrets.db.plain.password.0", true);
        case(r#"workloads.api.secrets.db.plain."config.json""#, true);
        case(r#"workloads.api.secrets.db."env.PASSWORD""#, true);
        case("workloads.api.secrets.db", true);
        case("workloads.api.secrets", true);
        case("workloads.api.secrets.db.env.PASSWORD", false);
        case("workloads.api.secrets.db.external.storeRef.name", false);
        case(
            "workloads.api.secrets.db.sealed.encryptedData.password",
            false,
        );
        case("workloads.api.secrets.db.existing.name", false);
        case("workloads.api.secrets.db.mountPath", false);
        case("workloads.api.env.PASSWORD", false);
        case("workloads.api", false);
        case("secrets.db.plain.password", false);
    }

    #[test]
    fn sealed_values_are_hidden_unless_they_are_ciphertext() {
        let path = [
            "workloads",
            "api",
            "secrets",
            "s3",
            "sealed",
            "encryptedData",
            "KEY",
        ];
        let ciphertext = format!("AgB{}", "x".repeat(365));
        assert!(looks_sealed(&ciphertext));
        assert!(!is_secret_value(&path, &ciphertext));
        assert!(is_secret_value(&path, "hunter2"));
        assert!(!looks_sealed(&format!("AgB{}", "x".repeat(364))));
        assert!(!looks_sealed(&format!("AgB {}", "x".repeat(364))));
        assert!(looks_sealed(&format!("AgB{}==", "x".repeat(363))));
        assert!(!looks_sealed(&format!("AgB{}=x", "x".repeat(363))));
    }

    #[test]
    fn source_text_of_secret_values_is_hidden() {
        let text = "workloads:\n  api:\n    image: x\n    secrets:\n      db: { plain: { password: hunter2 }, env: { PW: password } }\n";
        let mut sources = Sources::default();
        let file = sources.add(SourceFile::new("platform.yaml", text));
        let tree = parse(file, text, &Limits::default()).expect("valid YAML");
        redact_sources(&tree, &mut sources);
        let redacted = &sources.get(file).text;
        assert!(!redacted.contains("hunter2"), "{redacted}");
        assert!(redacted.contains("{ password: ******* }, env: { PW: password }"));
        assert_eq!(redacted.len(), text.len());
    }
}
