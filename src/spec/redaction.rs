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

use crate::source::{FileId, Sources, Span};
use crate::yaml::{Node, Value};

/// What is shown in place of a secret value.
pub const MASK: &str = "***";

/// The fields of a secret entry (`workloads.<name>.secrets.<secret>`, the
/// secrets capability's `SecretSpec`) that never hold a secret value.
/// Everything else under a secret (`plain`, and any misspelt key, which may
/// be a misplaced `plain`) is treated as secret.
pub const NON_SECRET_FIELDS: &[&str] = &["external", "sealed", "existing", "env", "mountPath"];

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
        && text.len().is_multiple_of(4)
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

/// Hides, in a file that did not parse, everything after the key on each
/// line inside a `secrets` block, and after `secrets:` itself. Without a tree
/// the key paths are not known, so this reads block structure from
/// indentation alone and errs on the side of hiding: a parse error near a
/// secret (a duplicate key, a tab, a bad alias) must not quote its value.
pub fn redact_unparsed(file: FileId, sources: &mut Sources) {
    let text = sources.get(file).text.clone();
    // Open keys by indentation: the ancestry of the current line.
    let mut open: Vec<(usize, bool)> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let body = content.trim_start_matches([' ', '\t']);
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let indent = content.len() - body.len();
        if content[..indent].contains('\t') {
            // Tabs have no indentation level YAML accepts: the line's place in
            // the structure is unknown, so inside a secrets block it is hidden.
            if open.iter().any(|(_, secret)| *secret) {
                sources.redact(Span::new(file, start + indent, start + content.len()));
            }
            continue;
        }
        while open
            .last()
            .is_some_and(|(open_indent, _)| *open_indent >= indent)
        {
            open.pop();
        }
        let inside = open.last().is_some_and(|(_, secret)| *secret);
        let entry = body.trim_start_matches(['-', ' ']);
        let key_end = entry
            .find(':')
            .filter(|_| !entry.starts_with(['"', '\'', '{', '[']));
        let key = key_end.map_or("", |end| entry[..end].trim());
        let hide_from = if inside {
            // The value of a key, or the whole line (a list item, a block
            // scalar's text, something unparsable).
            match key_end {
                Some(end) => start + indent + (body.len() - entry.len()) + end + 1,
                None => start + indent,
            }
        } else if key == "secrets" {
            start + indent + (body.len() - entry.len()) + key_end.unwrap_or(0) + 1
        } else {
            content.len() + start
        };
        sources.redact(Span::new(file, hide_from, start + content.len()));
        open.push((indent, inside || key == "secrets"));
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

    #[track_caller]
    fn unparsed(text: &str) -> String {
        let mut sources = Sources::default();
        let file = sources.add(SourceFile::new("environments/dev.yaml", text));
        redact_unparsed(file, &mut sources);
        let redacted = sources.get(file).text.clone();
        assert_eq!(redacted.len(), text.len());
        redacted
    }

    #[test]
    fn unparsable_files_hide_everything_in_secrets_blocks() {
        let hidden = " { plain: { password: SxO1, password: SxO2 } }";
        assert_eq!(
            unparsed(&format!(
                "workloads:\n  api:\n    secrets:\n      db:{hidden}\n    replicas: 2\n"
            )),
            format!(
                "workloads:\n  api:\n    secrets:\n      db:{}\n    replicas: 2\n",
                "*".repeat(hidden.len())
            )
        );
        let hidden = " { db: { plain: { pw: x } } }";
        assert_eq!(
            unparsed(&format!("w:\n  secrets:{hidden}\n  b: 1\n")),
            format!("w:\n  secrets:{}\n  b: 1\n", "*".repeat(hidden.len()))
        );
        // Block scalars and list items under a secret are hidden whole.
        let text = "secrets:\n  key: |\n    -----BEGIN KEY-----\n  - item\nnext: 1\n";
        let redacted = unparsed(text);
        assert!(!redacted.contains("BEGIN"), "{redacted}");
        assert!(!redacted.contains("item"), "{redacted}");
        assert!(redacted.ends_with("next: 1\n"), "{redacted}");
        // Nothing outside a secrets block changes.
        let plain = "workloads:\n  api: { image: x }\n";
        assert_eq!(unparsed(plain), plain);
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
