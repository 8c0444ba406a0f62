//! `Manifest`: one rendered Kubernetes object with its identity, the place in the
//! spec it came from, and its position in the apply order.

use serde_json::Value;

use crate::source::Span;
use crate::yaml::write as yaml;

#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    pub api_version: String,
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
    /// The object, keys sorted (serde_json's map is a BTreeMap), so its YAML is
    /// canonical.
    pub value: Value,
    /// The spec key the object was derived from.
    pub origin: Span,
    /// The object's canonical YAML, once frozen (see [`Manifest::freeze`]);
    /// `value` is then `Null`.
    text: Option<String>,
}

/// Apply order of kinds: what others depend on first. Namespaces and
/// cluster-scoped objects, then policy and identity, then config, then
/// services, then workloads, then what routes to or scales them; custom
/// resources last, as they need their controllers' definitions installed first.
const KIND_ORDER: &[&str] = &[
    "Namespace",
    "CustomResourceDefinition",
    "PriorityClass",
    "StorageClass",
    "ClusterRole",
    "ClusterRoleBinding",
    "ResourceQuota",
    "LimitRange",
    "NetworkPolicy",
    "ServiceAccount",
    "Role",
    "RoleBinding",
    "Secret",
    "ConfigMap",
    "PersistentVolumeClaim",
    "Service",
    "Deployment",
    "StatefulSet",
    "Job",
    "CronJob",
    "HorizontalPodAutoscaler",
    "PodDisruptionBudget",
    "IngressClass",
    "Ingress",
];

impl Manifest {
    pub fn new(value: Value, origin: Span) -> Self {
        let text = |field: &str| value.get(field).and_then(Value::as_str).map(str::to_owned);
        let metadata = |field: &str| {
            value
                .get("metadata")
                .and_then(|m| m.get(field))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        Self {
            api_version: text("apiVersion").expect("lowered objects have an apiVersion"),
            kind: text("kind").expect("lowered objects have a kind"),
            namespace: metadata("namespace"),
            name: metadata("name").expect("lowered objects have a name"),
            value,
            origin,
            text: None,
        }
    }

    /// Replaces the object by its canonical YAML text. Rendering keeps only the
    /// text of objects already lowered, so a large platform never holds every
    /// object as a JSON tree at once (a tree costs many times its text).
    pub fn freeze(&mut self) {
        if self.text.is_none() {
            self.text = Some(yaml::to_yaml(&self.value));
            self.value = Value::Null;
        }
    }

    /// Appends the object's canonical YAML to `out`.
    pub fn write_yaml(&self, out: &mut String) {
        match &self.text {
            Some(text) => out.push_str(text),
            None => yaml::write_yaml(out, &self.value),
        }
    }

    /// The canonical YAML of a frozen object; `None` while it is a tree.
    pub fn frozen_text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// True when `other` is the same object, field for field: compared by
    /// text when both are frozen (canonical YAML is equal exactly when the
    /// values are), else as trees.
    pub fn same_object(&self, other: &Manifest) -> bool {
        match (&self.text, &other.text) {
            (Some(a), Some(b)) => a == b,
            _ => *self.tree() == *other.tree(),
        }
    }

    /// The object as a tree: `value`, or the frozen text read back (the
    /// emitter's canonical YAML reads back as exactly the value it was
    /// written from; see `yaml::to_json`).
    pub fn tree(&self) -> std::borrow::Cow<'_, Value> {
        let Some(text) = &self.text else {
            return std::borrow::Cow::Borrowed(&self.value);
        };
        // Our own output: no aliases, and no input limits on size or depth.
        let limits = crate::yaml::Limits {
            max_file_bytes: usize::MAX,
            max_depth: usize::MAX,
            max_alias_nodes: 0,
        };
        let node = crate::yaml::parse(crate::source::FileId::default(), text, &limits)
            .expect("canonical YAML written by emit::yaml parses back");
        std::borrow::Cow::Owned(crate::yaml::to_json(&node))
    }

    /// The object's canonical YAML.
    pub fn yaml(&self) -> String {
        match &self.text {
            Some(text) => text.clone(),
            None => yaml::to_yaml(&self.value),
        }
    }

    /// Where the kind sits in the apply order; kinds not listed (custom
    /// resources) come after all listed ones.
    pub fn kind_rank(&self) -> usize {
        KIND_ORDER
            .iter()
            .position(|kind| *kind == self.kind)
            .unwrap_or(KIND_ORDER.len())
    }

    /// Total apply order: kind rank, then kind (for custom resources), then
    /// namespace, then name.
    pub fn sort_key(&self) -> (usize, &str, &str, &str, &str) {
        (
            self.kind_rank(),
            &self.kind,
            self.namespace.as_deref().unwrap_or(""),
            &self.name,
            &self.api_version,
        )
    }

    /// `Kind/namespace/name`, for messages and diff headers.
    pub fn identity(&self) -> String {
        match &self.namespace {
            Some(namespace) => format!("{}/{namespace}/{}", self.kind, self.name),
            None => format!("{}/{}", self.kind, self.name),
        }
    }

    /// The file name of the object in an `--out` tree: `<kind>-<name>.yaml`,
    /// under a directory per namespace (`_cluster` for cluster-scoped objects).
    pub fn file_path(&self) -> String {
        let directory = self.namespace.as_deref().unwrap_or("_cluster");
        format!(
            "{directory}/{}-{}.yaml",
            self.kind.to_ascii_lowercase(),
            self.name
        )
    }
}
