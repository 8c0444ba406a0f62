//! `fieldEnv`: variables from the Downward API. Each names a field Kubernetes
//! can give a container (a pod field, or a request or limit of the container
//! itself), and no variable is also set by `env`.

use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::model::PodField;
use crate::spec::Workload;

use super::Context;

/// Pod fields a variable may read (`fieldRef.fieldPath`), besides
/// `metadata.labels['<key>']` and `metadata.annotations['<key>']`.
const POD_FIELDS: &[&str] = &[
    "metadata.name",
    "metadata.namespace",
    "metadata.uid",
    "spec.nodeName",
    "spec.serviceAccountName",
    "status.hostIP",
    "status.hostIPs",
    "status.podIP",
    "status.podIPs",
];

/// The container's resources a variable may read (`resourceFieldRef`).
const RESOURCE_FIELDS: &[&str] = &[
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
];

pub(super) fn resolve(
    ctx: &mut Context<'_>,
    name: &str,
    workload: &Workload,
) -> Vec<(String, PodField)> {
    let mut resolved = Vec::new();
    for (variable, field) in &workload.field_env {
        let key_span = ctx.key(&["workloads", name, "fieldEnv", variable]);
        if !super::is_env_name(variable) {
            ctx.report(
                Diagnostic::error(
                    Code::InvalidName,
                    format!("invalid environment variable name `{variable}`"),
                )
                .at(
                    key_span,
                    "must be non-empty, without `=` or control characters",
                ),
            );
        }
        if workload.env.contains_key(variable) {
            let first = ctx.key(&["workloads", name, "env", variable]);
            ctx.report(
                Diagnostic::error(
                    Code::DuplicateName,
                    format!("environment variable `{variable}` is set twice"),
                )
                .at(key_span, "in `fieldEnv`")
                .with_secondary(first, "in `env`"),
            );
        }
        match pod_field(field) {
            Some(model) => resolved.push((variable.clone(), model)),
            None => {
                let span = ctx.value(&["workloads", name, "fieldEnv", variable]);
                let known = POD_FIELDS.iter().chain(RESOURCE_FIELDS).copied();
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("`{field}` is not a field the Downward API gives a container"),
                    )
                    .at(span, "unknown field")
                    .with_help_opt(suggestion::did_you_mean(field, known))
                    .with_note(format!(
                        "fields: {}, `metadata.labels['<key>']`, `metadata.annotations['<key>']`, and the container's {}",
                        quoted(POD_FIELDS),
                        quoted(RESOURCE_FIELDS)
                    )),
                );
            }
        }
    }
    resolved
}

fn pod_field(field: &str) -> Option<PodField> {
    if POD_FIELDS.contains(&field) {
        return Some(PodField::Pod(field.to_owned()));
    }
    if RESOURCE_FIELDS.contains(&field) {
        return Some(PodField::Resource(field.to_owned()));
    }
    let keyed = ["metadata.labels['", "metadata.annotations['"]
        .iter()
        .find_map(|prefix| field.strip_prefix(prefix))?;
    let key = keyed.strip_suffix("']")?;
    super::annotations::qualified_name_problem(key)
        .is_none()
        .then(|| PodField::Pod(field.to_owned()))
}

fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_the_api_server_accepts() {
        assert_eq!(
            pod_field("metadata.name"),
            Some(PodField::Pod("metadata.name".into()))
        );
        assert_eq!(
            pod_field("limits.memory"),
            Some(PodField::Resource("limits.memory".into()))
        );
        assert_eq!(
            pod_field("metadata.labels['app.kubernetes.io/name']"),
            Some(PodField::Pod(
                "metadata.labels['app.kubernetes.io/name']".into()
            ))
        );
        for invalid in [
            "metadata.labels",
            "metadata.labels['']",
            "metadata.labels[app]",
            "spec.containers",
            "name",
            "limits.gpu",
        ] {
            assert_eq!(pod_field(invalid), None, "{invalid}");
        }
    }
}
