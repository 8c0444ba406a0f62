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
    BTreeMap::from([
        (MANAGED_BY.to_owned(), "platformgen".to_owned()),
        (PART_OF.to_owned(), platform.name.clone()),
    ])
}

/// Labels that select a workload's pods. Only identity goes here: a selector
/// cannot change once a Deployment exists.
pub fn selector_labels(
    platform: &PlatformModel,
    workload: &WorkloadModel,
) -> BTreeMap<String, String> {
    BTreeMap::from([
        (NAME.to_owned(), workload.name.clone()),
        (INSTANCE.to_owned(), platform.name.clone()),
    ])
}

/// The recommended labels of a workload's objects, but for the version: an
/// image tag bump must change only the objects that run the image (see
/// [`image_labels`]), not its ServiceAccount, policies or budgets.
pub fn workload_labels(
    platform: &PlatformModel,
    workload: &WorkloadModel,
) -> BTreeMap<String, String> {
    // One map built at once, not three merged: every object of every
    // workload carries these.
    let mut labels = BTreeMap::from([
        (MANAGED_BY.to_owned(), "platformgen".to_owned()),
        (PART_OF.to_owned(), platform.name.clone()),
        (NAME.to_owned(), workload.name.clone()),
        (INSTANCE.to_owned(), platform.name.clone()),
    ]);
    if let Some(component) = &workload.component {
        labels.insert(COMPONENT.to_owned(), component.clone());
    }
    labels
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    /// A workload's labels are the platform's and its selector's, and its
    /// component when it has one: written out at once, they must not drift
    /// from the two sets they are made of.
    #[test]
    fn workload_labels_are_the_platforms_and_the_selectors() {
        for (overlay, component) in [
            ("{}", None),
            (
                "workloads: { web: { component: frontend } }",
                Some("frontend"),
            ),
        ] {
            let platform = testing::platform(overlay);
            let workload = &platform.workloads[0];
            assert_eq!(workload.component.as_deref(), component);
            let mut expected = platform_labels(&platform);
            expected.extend(selector_labels(&platform, workload));
            if let Some(component) = component {
                expected.insert(COMPONENT.to_owned(), component.to_owned());
            }
            assert_eq!(workload_labels(&platform, workload), expected);
        }
    }
}
