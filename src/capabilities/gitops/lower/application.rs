//! `Application` (`argoproj.io/v1alpha1`): what ArgoCD syncs, from where,
//! to where, and how: the environment's render, and each add-on's chart.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::super::model::addon_charts::AddonChart;
use super::super::model::{ArgocdModel, Destination, Retry};
use super::app_project::destination;

#[derive(Debug, Serialize)]
pub(super) struct Application {
    pub(super) metadata: ObjectMeta,
    pub(super) spec: Value,
}

crate::custom_resource!(
    Application,
    "argoproj.io",
    "v1alpha1",
    "Application",
    Namespaced,
    "applications"
);

/// Sync options of every Application rendered, and why:
/// - `ServerSideApply=true`: the API server merges what ArgoCD applies with
///   what controllers set (an autoscaler's replicas, an operator's status
///   fields), field by field; client-side apply keeps the whole object in
///   a `last-applied-configuration` annotation, which a large object (a
///   dashboard ConfigMap, the Prometheus Operator's CRDs) overflows at
///   256 KiB and the sync fails.
/// - `PruneLast=true`: objects the render dropped are deleted after every
///   wave is applied and healthy, so a renamed Service or Secret exists
///   under its new name before the old one goes.
const SYNC_OPTIONS: [&str; 2] = ["ServerSideApply=true", "PruneLast=true"];

fn retry(retry: &Retry) -> Value {
    json!({
        "limit": retry.limit,
        "backoff": {
            "duration": retry.duration,
            "factor": retry.factor,
            "maxDuration": retry.max_duration,
        },
    })
}

/// The sync policy of the environment's Application (and of each preview's).
pub(super) fn sync_policy(argocd: &ArgocdModel) -> Value {
    let mut sync_policy = Map::new();
    if let Some(automated) = argocd.automated {
        sync_policy.insert(
            "automated".to_owned(),
            json!({ "prune": automated.prune, "selfHeal": automated.self_heal }),
        );
    }
    // No `CreateNamespace`: the render holds its Namespaces, with their Pod
    // Security labels and protection annotations, in the first wave.
    sync_policy.insert("syncOptions".to_owned(), json!(SYNC_OPTIONS));
    sync_policy.insert("retry".to_owned(), retry(&argocd.retry));
    Value::Object(sync_policy)
}

/// The environment's Application: the directory `render --out` wrote for
/// it, in the environment's project. Its destination namespace is the
/// render's first namespace only because ArgoCD checks an Application's
/// destination against its project: every object of the render names its
/// own namespace, so nothing lands there by default.
pub(super) fn environment_application(
    metadata: ObjectMeta,
    project: &str,
    argocd: &ArgocdModel,
    default_namespace: &str,
) -> Application {
    Application {
        metadata,
        spec: json!({
            "project": project,
            "source": {
                "repoURL": argocd.repo_url,
                "targetRevision": argocd.target_revision,
                "path": argocd.path,
            },
            "destination": destination(&argocd.destination, default_namespace),
            "syncPolicy": sync_policy(argocd),
        }),
    }
}

/// An add-on's chart, resolved: the defaults with the spec's overrides.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedChart {
    pub name: &'static str,
    pub repo_url: String,
    pub chart: String,
    pub version: String,
    pub namespace: String,
    pub values: Value,
}

/// `defaults` with the fields `argocd` overrides; values merged key by key:
/// the defaults', then those `derived` from the platform, then the written.
pub fn resolve_chart(
    defaults: &AddonChart,
    argocd: Option<&ArgocdModel>,
    derived: &[(String, Value)],
) -> ResolvedChart {
    let mut values: Value = serde_json::from_str(defaults.values).unwrap_or(json!({}));
    for (key, value) in derived {
        merge(&mut values, key, value);
    }
    let written = argocd.and_then(|argocd| argocd.chart_overrides.get(defaults.name));
    if let Some(written) = written {
        for (key, value) in &written.values {
            merge(&mut values, key, value);
        }
    }
    let pick = |field: Option<&String>, default: &str| {
        field.cloned().unwrap_or_else(|| default.to_owned())
    };
    ResolvedChart {
        name: defaults.name,
        repo_url: pick(written.and_then(|w| w.repo_url.as_ref()), defaults.repo_url),
        chart: pick(written.and_then(|w| w.chart.as_ref()), defaults.chart),
        version: pick(written.and_then(|w| w.version.as_ref()), defaults.version),
        namespace: pick(
            written.and_then(|w| w.namespace.as_ref()),
            defaults.namespace,
        ),
        values,
    }
}

/// Sets `key` of the object `into` to `value`, merging two objects key by
/// key so a written value replaces only what it names.
fn merge(into: &mut Value, key: &str, value: &Value) {
    let Value::Object(map) = into else {
        return;
    };
    match (map.get_mut(key), value) {
        (Some(existing @ Value::Object(_)), Value::Object(written)) => {
            for (inner_key, inner_value) in written {
                merge(existing, inner_key, inner_value);
            }
        }
        _ => {
            map.insert(key.to_owned(), value.clone());
        }
    }
}

/// An add-on's Application. Its Helm release is named after the chart, so
/// selectors that name the release (`release: kube-prometheus-stack`) match.
/// Syncs are automated and self-healing but never prune: the version is
/// pinned, so only a commit changes what is installed, and pruning a CRD
/// would delete every object of its kind, databases included.
/// `CreateNamespace=true`: the add-on's namespace is not the platform's, and
/// its chart does not create it.
pub(super) fn addon_application(
    metadata: ObjectMeta,
    project: &str,
    chart: &ResolvedChart,
    cluster: &Destination,
) -> Application {
    let mut helm = Map::new();
    helm.insert("releaseName".to_owned(), json!(chart.chart));
    if chart
        .values
        .as_object()
        .is_some_and(|values| !values.is_empty())
    {
        helm.insert("valuesObject".to_owned(), chart.values.clone());
    }
    Application {
        metadata,
        spec: json!({
            "project": project,
            "source": {
                "repoURL": chart.repo_url,
                "chart": chart.chart,
                "targetRevision": chart.version,
                "helm": helm,
            },
            "destination": destination(cluster, &chart.namespace),
            "syncPolicy": {
                "automated": { "prune": false, "selfHeal": true },
                "syncOptions": ["CreateNamespace=true", "ServerSideApply=true"],
                // The defaults, not an environment's: every environment on
                // the cluster renders this same object.
                "retry": retry(&Retry::default()),
            },
        }),
    }
}
