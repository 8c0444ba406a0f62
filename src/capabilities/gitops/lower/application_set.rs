//! `ApplicationSet` (`argoproj.io/v1alpha1`) of a preview environment: its
//! pull-request generator asks GitHub for the open pull requests, and its
//! template makes an Application per pull request rendering the
//! environment with that pull request's parameters, into namespaces of its
//! own. When the pull request closes (or loses its label) the generator
//! stops producing it, the ApplicationSet deletes its Application, and the
//! Application's finalizer deletes every object it synced: the Namespaces,
//! and with them the preview's workloads, databases and volumes.

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::super::model::{ArgocdModel, Previews};
use super::app_project::destination;
use super::application::sync_policy;
use super::plugin_config::{ENVIRONMENT_VARIABLE, PARAMETER_VARIABLE_PREFIX, PLUGIN};

#[derive(Debug, Serialize)]
pub(super) struct ApplicationSet {
    pub(super) metadata: ObjectMeta,
    pub(super) spec: Value,
}

crate::custom_resource!(
    ApplicationSet,
    "argoproj.io",
    "v1alpha1",
    "ApplicationSet",
    Namespaced,
    "applicationsets"
);

/// The finalizer making ArgoCD delete an Application's objects with it
/// (without it, deleting the Application leaves them running).
const CASCADE: &str = "resources-finalizer.argocd.argoproj.io";

/// `{{.field}}` of the generator, in Go template syntax.
pub(super) fn field(name: &str) -> String {
    format!("{{{{.{name}}}}}")
}

/// The ApplicationSet `name` of a preview environment, whose Applications
/// are in the environment's project (also `name`) and labelled `labels`;
/// `default_namespace` is the name of the render's first namespace.
pub(super) fn preview_application_set(
    metadata: ObjectMeta,
    name: &str,
    environment: &str,
    argocd: &ArgocdModel,
    previews: &Previews,
    labels: BTreeMap<String, String>,
    default_namespace: &str,
) -> ApplicationSet {
    let mut github = Map::new();
    github.insert("owner".to_owned(), json!(previews.owner));
    github.insert("repo".to_owned(), json!(previews.repo));
    if let Some(api) = &previews.api {
        github.insert("api".to_owned(), json!(api));
    }
    if let Some((secret_name, key)) = &previews.token {
        github.insert(
            "tokenRef".to_owned(),
            json!({ "secretName": secret_name, "key": key }),
        );
    }
    if !previews.labels.is_empty() {
        github.insert("labels".to_owned(), json!(previews.labels));
    }
    let mut env = vec![json!({ "name": ENVIRONMENT_VARIABLE, "value": environment })];
    env.extend(previews.parameters.iter().map(|(parameter, from)| {
        json!({
            "name": format!("{PARAMETER_VARIABLE_PREFIX}{parameter}"),
            "value": field(from),
        })
    }));
    let target_revision = if previews.spec_from_pull_request {
        field("head_sha")
    } else {
        argocd.target_revision.clone()
    };
    let number = field("number");
    ApplicationSet {
        metadata,
        spec: json!({
            "goTemplate": true,
            // An unknown field is an error, not an empty text in a name.
            "goTemplateOptions": ["missingkey=error"],
            "generators": [{
                "pullRequest": {
                    "github": github,
                    "requeueAfterSeconds": previews.requeue_after_seconds,
                },
            }],
            "syncPolicy": { "preserveResourcesOnDeletion": false },
            "template": {
                "metadata": {
                    "name": format!("{name}-{number}"),
                    "labels": labels,
                    "finalizers": [CASCADE],
                },
                "spec": {
                    "project": name,
                    "source": {
                        "repoURL": argocd.repo_url,
                        "targetRevision": target_revision,
                        "path": previews.spec_path,
                        "plugin": { "name": PLUGIN, "env": env },
                    },
                    "destination": destination(
                        &argocd.destination,
                        &previews.varying(default_namespace, &number),
                    ),
                    "syncPolicy": sync_policy(argocd),
                },
            },
        }),
    }
}
