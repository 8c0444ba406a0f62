//! One multi-document YAML stream of every object, in apply order.

use super::yaml;
use crate::manifest::Manifest;

pub fn stream(manifests: &[Manifest]) -> String {
    let mut out = String::with_capacity(manifests.len() * 1_024);
    for manifest in manifests {
        out.push_str("---\n");
        yaml::write_yaml(&mut out, &manifest.value);
    }
    out
}
