//! One multi-document YAML stream of every object, in apply order.

use crate::object::Manifest;

pub fn stream(manifests: &[Manifest]) -> String {
    // Objects average a little over 1 KiB of YAML; reserving generously costs
    // only address space, while growing the buffer copies everything written.
    let mut out = String::with_capacity(manifests.len() * 2_048);
    for manifest in manifests {
        out.push_str("---\n");
        manifest.write_yaml(&mut out);
    }
    out
}

/// Writes the stream to `out` one document at a time, so the whole text is
/// never held in memory at once. A frozen object's text is written as it is
/// held, without a copy: a large render's text passes through here once.
pub fn write_stream(manifests: &[Manifest], out: &mut impl std::io::Write) -> std::io::Result<()> {
    for manifest in manifests {
        out.write_all(b"---\n")?;
        out.write_all(manifest.yaml().as_bytes())?;
    }
    Ok(())
}

/// The objects as one JSON `List` (`apiVersion: v1`, `kind: List`), in apply
/// order, pretty-printed with a final newline: what `kubectl get -o json`
/// prints for several objects, for tools that read JSON.
pub fn json_list(manifests: &[Manifest]) -> String {
    let items: Vec<serde_json::Value> = manifests
        .iter()
        .map(|manifest| manifest.tree().into_owned())
        .collect();
    let list = serde_json::json!({
        "apiVersion": "v1",
        "kind": "List",
        "items": items,
    });
    let mut text = serde_json::to_string_pretty(&list).expect("objects serialize");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;
    use serde_json::json;

    fn config_map(name: &str, frozen: bool) -> Manifest {
        let value = json!({
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": "shop"},
            "data": {"greeting": "hello: world", "lines": "one\ntwo\n"},
        });
        let mut manifest = Manifest::from_value(value, Span::default()).expect("identified");
        if frozen {
            manifest.freeze();
        }
        manifest
    }

    #[test]
    fn the_written_stream_is_the_stream_for_frozen_objects_and_trees() {
        let manifests = [
            config_map("a", true),
            config_map("b", false),
            config_map("c", true),
        ];
        let mut written = Vec::new();
        write_stream(&manifests, &mut written).expect("written to memory");
        let written = String::from_utf8(written).expect("UTF-8");
        assert_eq!(written, stream(&manifests));
        assert_eq!(written.matches("---\n").count(), 3);
        assert!(written.starts_with("---\napiVersion: v1\n"), "{written}");
    }
}
