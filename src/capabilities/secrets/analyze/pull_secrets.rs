//! `imagePullSecrets`: each name is one of the workload's `secrets` with a
//! `.dockerconfigjson` key, the only credentials the kubelet reads (from a
//! Secret of type `kubernetes.io/dockerconfigjson`, which the secrets this
//! capability renders for them become).

use crate::analyze::Context;
use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::spec::Workload;

use super::super::model::{DOCKER_CONFIG_KEY, SecretModel, SecretSource};

/// Reports every name of `imagePullSecrets` that is no secret of the
/// workload, given twice, or names a secret without the key (once `secrets`
/// resolved: `resolved` holds their keys).
pub(super) fn check(
    ctx: &mut Context<'_>,
    name: &str,
    workload: &Workload,
    resolved: &[SecretModel],
) {
    for (index, secret_name) in workload.image_pull_secrets.iter().enumerate() {
        let index_text = index.to_string();
        let span = ctx.value(&["workloads", name, "imagePullSecrets", &index_text]);
        if workload.image_pull_secrets[..index].contains(secret_name) {
            ctx.report(
                Diagnostic::error(
                    Code::DuplicateName,
                    format!("`{secret_name}` is listed twice in `imagePullSecrets`"),
                )
                .at(span, "listed again here"),
            );
            continue;
        }
        if !crate::capabilities::secrets::spec::secrets(workload).contains_key(secret_name) {
            ctx.report(
                Diagnostic::error(
                    Code::InvalidPullSecret,
                    format!("`{name}` has no secret `{secret_name}` to pull images with"),
                )
                .at(span, "not one of the workload's `secrets`")
                .with_help_opt(suggestion::did_you_mean(
                    secret_name,
                    crate::capabilities::secrets::spec::secrets(workload).keys().map(String::as_str),
                ))
                .with_note(format!(
                    "declare it under `secrets`, e.g. `{secret_name}: {{ existing: {{ name: {secret_name}, keys: [{DOCKER_CONFIG_KEY}] }} }}`"
                )),
            );
            continue;
        }
        // An invalid secret is reported where it is declared.
        let Some(secret) = resolved.iter().find(|s| &s.name == secret_name) else {
            continue;
        };
        // The API server rejects a registry Secret whose config is not JSON;
        // only clear-text values can be read here (the message never quotes
        // the value).
        if let SecretSource::Plain { data } = &secret.source
            && let Some(config) = data.get(DOCKER_CONFIG_KEY)
            && serde_json::from_str::<serde_json::Value>(config.expose())
                .map_or(true, |value| !value.is_object())
        {
            let value_span = ctx.value(&[
                "workloads",
                name,
                "secrets",
                secret_name,
                "plain",
                DOCKER_CONFIG_KEY,
            ]);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidPullSecret,
                    format!("`{DOCKER_CONFIG_KEY}` of secret `{secret_name}` is not a JSON object"),
                )
                .at(value_span, "not a Docker config.json")
                .with_secondary(span, "used to pull images here")
                .with_help("write the content of a Docker `config.json`: `{\"auths\": {\"registry.example.com\": {\"auth\": \"<base64 of user:password>\"}}}`"),
            );
        }
        if !secret.keys.iter().any(|key| key == DOCKER_CONFIG_KEY) {
            let secret_span = ctx.key(&["workloads", name, "secrets", secret_name]);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidPullSecret,
                    format!("secret `{secret_name}` of `{name}` holds no registry credentials"),
                )
                .at(span, format!("has no `{DOCKER_CONFIG_KEY}` key"))
                .with_secondary(secret_span, "declared here")
                .with_help(format!(
                    "registry credentials are a `{DOCKER_CONFIG_KEY}` key (a Docker config.json, as `kubectl create secret docker-registry` writes)"
                )),
            );
        }
    }
}
