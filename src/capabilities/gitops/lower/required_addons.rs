//! The add-ons a render needs: the operator or controller of each custom
//! kind it holds, as the kind registry names them.

use std::collections::BTreeMap;

use crate::object::Manifest;

/// ArgoCD's own kinds name ArgoCD, which renders them rather than needing
/// an install from them.
const ARGO_CD: &str = "argo-cd";

/// Each add-on the objects need, by name, with the kinds that need it (in
/// registry order, each once).
pub fn required_addons(objects: &[Manifest]) -> BTreeMap<&'static str, Vec<&'static str>> {
    let mut addons: BTreeMap<&'static str, Vec<&'static str>> = BTreeMap::new();
    let mut kinds: Vec<_> = objects.iter().filter_map(Manifest::kind_info).collect();
    kinds.sort_by_key(|kind| crate::object::kinds::rank(kind.group, kind.kind));
    kinds.dedup();
    for kind in kinds {
        if kind.operator.is_empty() || kind.operator == ARGO_CD {
            continue;
        }
        addons.entry(kind.operator).or_default().push(kind.kind);
    }
    addons
}
