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
/// never held in memory at once.
pub fn write_stream(manifests: &[Manifest], out: &mut impl std::io::Write) -> std::io::Result<()> {
    let mut document = String::with_capacity(16 * 1_024);
    for manifest in manifests {
        document.clear();
        document.push_str("---\n");
        manifest.write_yaml(&mut document);
        out.write_all(document.as_bytes())?;
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
