//! `LabelSelector`: which pods (or Services) a selector picks, read from a
//! rendered object. Kubernetes has two forms: the plain map of a Service's
//! `spec.selector`, and the `matchLabels` / `matchExpressions` of
//! `metav1.LabelSelector` (PodDisruptionBudgets, NetworkPolicies, the
//! Prometheus Operator's monitors). Both are read into one type so every
//! integrity rule matches labels the way the API server does.

use std::collections::BTreeMap;

use serde_json::Value;

/// One requirement of `matchExpressions`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Requirement {
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

/// A selector: every label of `labels` and every requirement must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct LabelSelector {
    labels: BTreeMap<String, String>,
    requirements: Vec<Requirement>,
}

impl LabelSelector {
    /// A plain map of labels (a Service's `spec.selector`).
    pub(super) fn from_map(value: &Value) -> Self {
        Self {
            labels: labels(value),
            requirements: Vec::new(),
        }
    }

    /// A `metav1.LabelSelector`. An operator the API server does not know
    /// makes a requirement nothing satisfies, as the API server would reject
    /// the object (schema validation reports it).
    pub(super) fn from_label_selector(value: &Value) -> Self {
        let requirements = value["matchExpressions"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|expression| {
                let key = expression["key"].as_str().unwrap_or_default().to_owned();
                let values: Vec<String> = expression["values"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect();
                match expression["operator"].as_str().unwrap_or_default() {
                    "In" => Requirement::In(key, values),
                    "NotIn" => Requirement::NotIn(key, values),
                    "Exists" => Requirement::Exists(key),
                    "DoesNotExist" => Requirement::DoesNotExist(key),
                    _ => Requirement::In(key, Vec::new()),
                }
            })
            .collect();
        Self {
            labels: labels(&value["matchLabels"]),
            requirements,
        }
    }

    /// Whether the selector is empty: it then selects everything (or, for a
    /// Service, nothing is managed by a selector at all).
    pub(super) fn is_empty(&self) -> bool {
        self.labels.is_empty() && self.requirements.is_empty()
    }

    /// The labels the selected objects must carry.
    pub(super) fn labels(&self) -> impl Iterator<Item = (&str, &str)> {
        self.labels
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_str()))
    }

    pub(super) fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.labels
            .iter()
            .all(|(key, value)| labels.get(key) == Some(value))
            && self
                .requirements
                .iter()
                .all(|requirement| match requirement {
                    Requirement::In(key, values) => {
                        labels.get(key).is_some_and(|v| values.contains(v))
                    }
                    Requirement::NotIn(key, values) => {
                        labels.get(key).is_none_or(|v| !values.contains(v))
                    }
                    Requirement::Exists(key) => labels.contains_key(key),
                    Requirement::DoesNotExist(key) => !labels.contains_key(key),
                })
    }
}

impl std::fmt::Display for LabelSelector {
    /// `app=web, tier in (a, b)`: the selector as `kubectl get -l` takes it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts: Vec<String> = self
            .labels
            .iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect();
        parts.extend(
            self.requirements
                .iter()
                .map(|requirement| match requirement {
                    Requirement::In(key, values) => format!("{key} in ({})", values.join(", ")),
                    Requirement::NotIn(key, values) => {
                        format!("{key} notin ({})", values.join(", "))
                    }
                    Requirement::Exists(key) => key.clone(),
                    Requirement::DoesNotExist(key) => format!("!{key}"),
                }),
        );
        f.write_str(&parts.join(","))
    }
}

/// A map of labels; values that are not strings are left out (schema
/// validation reports them).
pub(super) fn labels(value: &Value) -> BTreeMap<String, String> {
    value
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(key, value)| Some((key.clone(), value.as_str()?.to_owned())))
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[track_caller]
    fn case(selector: Value, pod: Value, selected: bool) {
        let selector = LabelSelector::from_label_selector(&selector);
        assert_eq!(selector.matches(&labels(&pod)), selected, "{selector}");
    }

    #[test]
    fn labels_and_expressions_select_as_the_api_server_does() {
        case(
            json!({"matchLabels": {"app": "web"}}),
            json!({"app": "web", "x": "y"}),
            true,
        );
        case(
            json!({"matchLabels": {"app": "web"}}),
            json!({"app": "api"}),
            false,
        );
        let expression = |operator: &str, values: Value| json!({"matchExpressions": [{"key": "tier", "operator": operator, "values": values}]});
        case(
            expression("In", json!(["a", "b"])),
            json!({"tier": "b"}),
            true,
        );
        case(expression("In", json!(["a"])), json!({}), false);
        case(expression("NotIn", json!(["a"])), json!({}), true);
        case(
            expression("NotIn", json!(["a"])),
            json!({"tier": "a"}),
            false,
        );
        case(
            expression("Exists", json!(null)),
            json!({"tier": "a"}),
            true,
        );
        case(
            expression("DoesNotExist", json!(null)),
            json!({"tier": "a"}),
            false,
        );
        case(
            expression("Sometimes", json!(["a"])),
            json!({"tier": "a"}),
            false,
        );
        assert!(LabelSelector::from_label_selector(&json!({})).is_empty());
        assert_eq!(
            LabelSelector::from_label_selector(&json!({"matchLabels": {"app": "web"}})).to_string(),
            "app=web"
        );
    }
}
