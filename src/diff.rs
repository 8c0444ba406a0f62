//! `diff`: what changes between a previous render and the new one, resource by
//! resource. Resources are matched by [`ResourceKey`] (API group, kind,
//! namespace, name); each is compared as a parsed object, so formatting and key
//! order never count as changes, and a changed one gets a unified diff of its
//! canonical YAML with secret values masked.
//!
//! Objects may be frozen (kept as their canonical YAML, see
//! [`Manifest::freeze`]): two frozen objects compare by text, which for
//! canonical YAML is the same as comparing values, and only the objects that
//! differ are read back into trees, for masking and YAML paths. That keeps a
//! diff of a large platform within the memory of a render.
//!
//! Owns matching, comparison and the report formats. Must not read files or
//! run git (the previous side arrives as manifests; see `previous_render` for
//! a tree on disk and `source::GitRevision` for a git revision), nor print.

mod environment_diff;
mod hazard;
mod json_report;
mod line_paths;
mod markdown_report;
mod previous_render;
mod secret_mask;
mod text_report;
mod unified;

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde_json::Value;

pub use environment_diff::{
    Change, EnvironmentDiff, Hunk, Line, LineTag, ResourceDiff, SecretKeyChange, Summary,
};
pub use hazard::{Hazard, Severity};
pub use json_report::json_report;
pub use line_paths::line_paths;
pub use markdown_report::markdown_report;
pub use previous_render::{PreviousRender, previous_render};
pub use secret_mask::{MASKED, MASKED_AFTER, MASKED_BEFORE};
pub use text_report::text_report;

use crate::object::ResourceKey;
use crate::object::{Manifest, sort_in_apply_order};

/// How to diff.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct DiffOptions {
    /// Unchanged lines shown around each change.
    pub context: usize,
    /// Show the values of Secrets and SealedSecrets instead of masking them.
    pub show_secrets: bool,
}

impl Default for DiffOptions {
    fn default() -> Self {
        Self {
            context: 3,
            show_secrets: false,
        }
    }
}

/// The changes from `previous` to `current` for `environment`, in apply
/// order. Each side must hold each [`ResourceKey`] at most once (a render
/// does; [`previous_render`] checks a tree read from disk).
pub fn diff(
    environment: &str,
    previous: &[Manifest],
    current: &[&Manifest],
    options: DiffOptions,
) -> EnvironmentDiff {
    let mut old: BTreeMap<ResourceKey, &Manifest> = previous
        .iter()
        .map(|manifest| (manifest.key.clone(), manifest))
        .collect();
    let mut found: Vec<(&Manifest, ResourceDiff)> = Vec::new();
    for &new in current {
        let before = old.remove(&new.key);
        if before.is_some_and(|before| before.same_object(new)) {
            continue;
        }
        if let Some(resource) = resource_diff(before, Some(new), options) {
            found.push((new, resource));
        }
    }
    for before in old.into_values() {
        if let Some(resource) = resource_diff(Some(before), None, options) {
            found.push((before, resource));
        }
    }
    // Current resources come in apply order already; removed ones slot in
    // where they would have been applied.
    sort_in_apply_order(&mut found, |(manifest, _)| manifest);
    EnvironmentDiff {
        environment: environment.to_owned(),
        resources: found.into_iter().map(|(_, resource)| resource).collect(),
    }
}

/// The diff of one resource, or `None` if both sides read the same.
fn resource_diff(
    old: Option<&Manifest>,
    new: Option<&Manifest>,
    options: DiffOptions,
) -> Option<ResourceDiff> {
    let identity = new.or(old)?;
    let group = crate::object::group(&identity.api_version);
    let mut old_value = old.map(Manifest::tree);
    let mut new_value = new.map(Manifest::tree);
    // Judged before masking: a changed value of an immutable Secret counts.
    let hazards = hazard::hazards(
        group,
        &identity.key.kind,
        old_value.as_deref(),
        new_value.as_deref(),
    );
    let secret_keys =
        if !options.show_secrets && secret_mask::has_secrets(group, &identity.key.kind) {
            secret_mask::mask(
                group,
                &identity.key.kind,
                old_value.as_mut().map(Cow::to_mut),
                new_value.as_mut().map(Cow::to_mut),
            )
        } else {
            Vec::new()
        };
    let text = |value: &Option<Cow<'_, Value>>| value.as_deref().map(crate::yaml::write::to_yaml);
    let (old_text, new_text) = (text(&old_value), text(&new_value));
    let change = match (&old_text, &new_text) {
        (Some(before), Some(after)) if before == after => return None,
        (Some(_), Some(_)) => Change::Changed,
        (None, _) => Change::Added,
        (Some(_), None) => Change::Removed,
    };
    let paths = |value: &Option<Cow<'_, Value>>| value.as_deref().and_then(line_paths);
    let (old_paths, new_paths) = (paths(&old_value), paths(&new_value));
    let hunks = unified::hunks(
        old_text.as_deref().unwrap_or_default(),
        new_text.as_deref().unwrap_or_default(),
        options.context,
        old_paths.as_deref(),
        new_paths.as_deref(),
    );
    Some(ResourceDiff {
        api_version: identity.api_version.to_string(),
        kind: identity.key.kind.to_string(),
        namespace: identity.key.namespace.clone(),
        name: identity.key.name.clone(),
        change,
        file_path: identity.file_path(),
        // A whole object added or removed needs no path: it is all of it.
        hunks: if change == Change::Changed {
            hunks
        } else {
            hunks
                .into_iter()
                .map(|hunk| Hunk { path: None, ..hunk })
                .collect()
        },
        secret_keys,
        hazards,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::source::Span;

    fn manifest(kind: &str, name: &str, spec: Value) -> Manifest {
        let api_version = match kind {
            "Deployment" => "apps/v1",
            _ => "v1",
        };
        Manifest::from_value(
            json!({
                "apiVersion": api_version,
                "kind": kind,
                "metadata": {"name": name, "namespace": "shop"},
                "spec": spec,
            }),
            Span::default(),
        )
        .expect("an object with an identity")
    }

    fn summary(diff: &EnvironmentDiff) -> Vec<String> {
        diff.resources
            .iter()
            .map(|r| format!("{} {}", r.change.as_str(), r.title()))
            .collect()
    }

    #[test]
    fn lists_added_removed_and_changed_resources_in_apply_order() {
        let previous = [
            manifest("Deployment", "web", json!({"replicas": 2})),
            manifest("Service", "old", json!({})),
            manifest("ConfigMap", "same", json!({"a": 1})),
        ];
        let current = [
            manifest("ConfigMap", "same", json!({"a": 1})),
            manifest("Service", "new", json!({})),
            manifest("Deployment", "web", json!({"replicas": 3})),
        ];
        let current: Vec<&Manifest> = current.iter().collect();
        let diff = diff("prod", &previous, &current, DiffOptions::default());
        assert_eq!(
            summary(&diff),
            [
                "added Service shop/new",
                "removed Service shop/old",
                "changed Deployment shop/web",
            ]
        );
        let web = &diff.resources[2];
        assert_eq!(web.hunks.len(), 1);
        assert_eq!(web.hunks[0].path.as_deref(), Some("spec.replicas"));
        assert!(web.diff_text().contains("-  replicas: 2\n+  replicas: 3\n"));
        assert_eq!(diff.summary_line(), "prod: 1 changed, 1 added, 1 removed");
    }

    #[test]
    fn no_changes_and_an_api_version_bump_is_a_change_not_a_swap() {
        let old = manifest("Deployment", "web", json!({}));
        let mut new = old.clone();
        assert!(
            diff(
                "dev",
                std::slice::from_ref(&old),
                &[&new],
                DiffOptions::default()
            )
            .resources
            .is_empty()
        );
        new.value["apiVersion"] = json!("apps/v2");
        new.api_version = "apps/v2".into();
        let diff = diff("dev", &[old], &[&new], DiffOptions::default());
        assert_eq!(summary(&diff), ["changed Deployment shop/web"]);
        assert_eq!(diff.resources[0].api_version, "apps/v2");
    }

    #[test]
    fn secret_values_are_masked_unless_asked() {
        let secret = |password: &str| {
            Manifest::from_value(
                json!({
                    "apiVersion": "v1",
                    "kind": "Secret",
                    "metadata": {"name": "db", "namespace": "shop"},
                    "data": {"password": password, "user": "YWRtaW4="},
                }),
                Span::default(),
            )
            .expect("an object with an identity")
        };
        let (old, new) = (secret("c2VjcmV0MQ=="), secret("c2VjcmV0Mg=="));
        let masked = diff(
            "prod",
            std::slice::from_ref(&old),
            &[&new],
            DiffOptions::default(),
        );
        let text = masked.resources[0].diff_text();
        assert!(!text.contains("c2VjcmV0"), "{text}");
        assert!(
            text.contains(&format!("-  password: \"{MASKED_BEFORE}\"")),
            "{text}"
        );
        assert!(
            text.contains(&format!("+  password: \"{MASKED_AFTER}\"")),
            "{text}"
        );
        assert_eq!(masked.resources[0].secret_keys.len(), 1);
        assert_eq!(masked.resources[0].secret_keys[0].path, "data.password");

        let shown = diff(
            "prod",
            &[old],
            &[&new],
            DiffOptions {
                show_secrets: true,
                ..DiffOptions::default()
            },
        );
        assert!(
            shown.resources[0]
                .diff_text()
                .contains("+  password: c2VjcmV0Mg==")
        );
        assert!(shown.resources[0].secret_keys.is_empty());
    }

    #[test]
    fn frozen_objects_compare_by_text_and_diff_like_trees() {
        let old = manifest("Deployment", "web", json!({"replicas": 2, "paused": false}));
        let new = manifest("Deployment", "web", json!({"replicas": 3, "paused": false}));
        let tree_diff = diff(
            "prod",
            std::slice::from_ref(&old),
            &[&new],
            DiffOptions::default(),
        );
        let (mut frozen_old, mut frozen_new) = (old.clone(), new.clone());
        frozen_old.freeze();
        frozen_new.freeze();
        let frozen_diff = diff(
            "prod",
            &[frozen_old.clone()],
            &[&frozen_new],
            DiffOptions::default(),
        );
        assert_eq!(frozen_diff, tree_diff);
        // Mixed: one frozen, one a tree.
        assert_eq!(
            diff(
                "prod",
                &[frozen_old.clone()],
                &[&new],
                DiffOptions::default()
            ),
            tree_diff
        );
        assert!(
            diff("prod", &[frozen_old], &[&old], DiffOptions::default())
                .resources
                .is_empty()
        );
    }

    #[test]
    fn added_resources_are_whole_and_without_a_path() {
        let new = manifest("Service", "web", json!({"ports": []}));
        let diff = diff("prod", &[], &[&new], DiffOptions::default());
        let hunk = &diff.resources[0].hunks[0];
        assert_eq!(hunk.path, None);
        assert_eq!((hunk.old_start, hunk.old_lines, hunk.new_start), (0, 0, 1));
        assert!(hunk.lines.iter().all(|line| line.tag == LineTag::Added));
    }
}
