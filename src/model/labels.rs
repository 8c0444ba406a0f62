//! Labels: the `app.kubernetes.io/*` recommended labels on every object, and the
//! stable subset used in selectors (which must never change after creation).

use std::collections::BTreeMap;

use crate::model::{PlatformModel, WorkloadModel};

pub const NAME: &str = "app.kubernetes.io/name";
pub const INSTANCE: &str = "app.kubernetes.io/instance";
pub const COMPONENT: &str = "app.kubernetes.io/component";
pub const PART_OF: &str = "app.kubernetes.io/part-of";
pub const MANAGED_BY: &str = "app.kubernetes.io/managed-by";
pub const VERSION: &str = "app.kubernetes.io/version";

/// Labels of objects that belong to the platform but to no workload.
pub fn platform_labels(platform: &PlatformModel) -> BTreeMap<String, String> {
    BTreeMap::from(platform_pairs(platform))
}

/// Labels that select a workload's pods. Only identity goes here: a selector
/// cannot change once a Deployment exists.
pub fn selector_labels(
    platform: &PlatformModel,
    workload: &WorkloadModel,
) -> BTreeMap<String, String> {
    BTreeMap::from(selector_pairs(platform, workload))
}

/// The recommended labels of a workload's objects, but for the version: an
/// image tag bump must change only the objects that run the image (see
/// [`image_labels`]), not its ServiceAccount, policies or budgets.
pub fn workload_labels(
    platform: &PlatformModel,
    workload: &WorkloadModel,
) -> BTreeMap<String, String> {
    // One map built from both sets at once, not two maps merged into a
    // third: every object of every workload carries these.
    let [managed_by, part_of] = platform_pairs(platform);
    let [name, instance] = selector_pairs(platform, workload);
    let mut labels = BTreeMap::from([managed_by, part_of, name, instance]);
    if let Some(component) = &workload.component {
        labels.insert(COMPONENT.to_owned(), component.clone());
    }
    labels
}

fn platform_pairs(platform: &PlatformModel) -> [(String, String); 2] {
    [
        (MANAGED_BY.to_owned(), "platformgen".to_owned()),
        (PART_OF.to_owned(), platform.name.clone()),
    ]
}

fn selector_pairs(platform: &PlatformModel, workload: &WorkloadModel) -> [(String, String); 2] {
    [
        (NAME.to_owned(), workload.name.clone()),
        (INSTANCE.to_owned(), platform.name.clone()),
    ]
}

/// All recommended labels of the objects that run a workload's image (the
/// workload and its pod template), with `app.kubernetes.io/version` from the
/// image tag when the tag is a valid label value.
pub fn image_labels(
    platform: &PlatformModel,
    workload: &WorkloadModel,
) -> BTreeMap<String, String> {
    let mut labels = workload_labels(platform, workload);
    if let Some(tag) = workload.image.tag().filter(|tag| is_label_value(tag)) {
        labels.insert(VERSION.to_owned(), tag.to_owned());
    }
    labels
}

/// Whether `value` is a valid label value (at most 63 characters of
/// alphanumerics, `-`, `_`, `.`, beginning and ending alphanumeric).
pub fn is_label_value(value: &str) -> bool {
    value.len() <= 63
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && value.starts_with(|c: char| c.is_ascii_alphanumeric())
        && value.ends_with(|c: char| c.is_ascii_alphanumeric())
}
