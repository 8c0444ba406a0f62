//! Secrets of a workload: exactly one backend each, valid names and keys,
//! `env` naming keys the secret has, no variable or mount path set twice,
//! sealed values that are ciphertext, and no `plain` values outside the
//! development tier. Resolves each into a [`SecretModel`].
//!
//! The workload hook, [`analyze_workload`], runs within the core analysis of
//! each workload: its secrets are checked against the variables and paths
//! the workload already has, a workload with an invalid secret is not
//! modelled, and how its containers read them becomes core model
//! (`SecretEnvModel`, `SecretFilesModel`) the pod template renders. The
//! platform hook, [`analyze`], runs the checks across workloads.
//!
//! Messages here name secrets, keys and variables, never values: a `plain`
//! value, or an `encryptedData` value that is not ciphertext (it may be a
//! pasted password), is not quoted in any message or label.

use std::collections::BTreeMap;

mod formats;
mod pull_secrets;

use crate::analyze::{Context, is_env_name, label_problem, subdomain_problem};
use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::model::{PlatformModel, SecretEnvModel, SecretFilesModel, WorkloadModel};
use crate::source::Span;
use crate::spec::redaction::looks_sealed;
use crate::spec::{Tier, Workload};

use super::model::{RemoteRefModel, SecretModel, SecretSource};
use super::spec::{ExternalSecretSpec, SealingScope, SecretSpec, SecretStoreKind};
use formats::{is_go_duration, secret_key_problem};

/// Longest secret name: its volume is `secret-<name>`, a 63-character label.
const MAX_SECRET_NAME: usize = 56;
/// The External Secrets Operator's own default.
const DEFAULT_REFRESH_INTERVAL: &str = "1h";
const BACKENDS: &[&str] = &["external", "sealed", "existing", "plain"];

/// The capability's analysis: the checks that span workloads. Each
/// workload's own secrets are resolved with it (see [`analyze_workload`]).
pub fn analyze(ctx: &mut Context<'_>, model: &mut PlatformModel) {
    check_plaintext(ctx, model.tier);
    check_generated_names(ctx);
}

/// The workload hook: resolves the secrets of `workload` (its spec) into
/// `model`, with the variables and files its containers read them as.
pub fn analyze_workload(ctx: &mut Context<'_>, workload: &Workload, model: &mut WorkloadModel) {
    let secrets = resolve(ctx, &model.name, workload);
    model.secret_env = secrets
        .iter()
        .flat_map(|secret| {
            secret.env.iter().map(|(variable, key)| SecretEnvModel {
                variable: variable.clone(),
                secret: secret.object_name.clone(),
                key: key.clone(),
            })
        })
        .collect();
    model.secret_files = secrets
        .iter()
        .filter_map(|secret| {
            Some(SecretFilesModel {
                volume: format!("secret-{}", secret.name),
                secret: secret.object_name.clone(),
                keys: secret.keys.clone(),
                mount_path: secret.mount_path.clone()?,
            })
        })
        .collect();
    model.image_pull_secrets = workload
        .image_pull_secrets
        .iter()
        .filter_map(|pull| secrets.iter().find(|secret| &secret.name == pull))
        .map(|secret| secret.object_name.clone())
        .collect();
    super::model::SECRETS.set(&mut model.parts, secrets);
}

/// The secrets of workload `name`, or none of them when one is invalid (the
/// problems are reported).
fn resolve(ctx: &mut Context<'_>, name: &str, workload: &Workload) -> Vec<SecretModel> {
    let errors_before = ctx.diagnostics.error_count();
    let declared = crate::capabilities::secrets::spec::secrets(workload);
    // What the workload already sets and mounts, with where, for its secrets
    // to be checked against: looking the places up walks the spec's tree, so
    // a workload without secrets (most of a large spec) skips it.
    let (mut variables, mut mount_paths) = if declared.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        (
            taken_variables(ctx, name, workload),
            taken_mount_paths(ctx, name, workload),
        )
    };
    let mut secrets = Vec::new();
    for (secret_name, secret) in declared {
        let path = ["workloads", name, "secrets", secret_name.as_str()];
        if let Some(problem) = label_problem(secret_name, MAX_SECRET_NAME) {
            let span = ctx.key(&path);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidName,
                    format!("invalid secret name `{secret_name}`"),
                )
                .at(span, problem)
                .with_note(format!(
                    "the secret becomes the Secret `{name}-{secret_name}` and the volume `secret-{secret_name}`"
                )),
            );
        }
        // Without a usable backend the keys are unknown, but the variable
        // names and the mount path are still checked.
        let resolved = source(ctx, name, &workload.namespace, secret_name, secret);
        let keys = resolved.as_ref().map(|(_, keys)| keys.as_slice());
        let object_name = match &secret.existing {
            Some(existing) => existing.name.clone(),
            None => format!("{name}-{secret_name}"),
        };
        let mut env = Vec::new();
        for (variable, key) in &secret.env {
            let mut key_path = path.to_vec();
            key_path.extend(["env", variable.as_str()]);
            let variable_span = ctx.key(&key_path);
            if !is_env_name(variable) {
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidName,
                        format!("invalid environment variable name `{variable}`"),
                    )
                    .at(
                        variable_span,
                        "must be non-empty, without `=` or control characters",
                    ),
                );
            }
            if let Some((_, first)) = variables.iter().find(|(taken, _)| taken == variable) {
                let first = *first;
                ctx.report(
                    Diagnostic::error(
                        Code::DuplicateName,
                        format!("environment variable `{variable}` is set twice"),
                    )
                    .at(variable_span, "set from a secret here")
                    .with_secondary(first, "and here"),
                );
            } else {
                variables.push((variable.clone(), variable_span));
            }
            if let Some(keys) = keys
                && !keys.contains(key)
            {
                let span = ctx.value(&key_path);
                ctx.report(
                    unknown_key(name, secret_name, key, keys).at(span, "not a key of this secret"),
                );
            }
            env.push((variable.clone(), key.clone()));
        }
        if let Some(mount_path) = &secret.mount_path {
            let mut mount_key = path.to_vec();
            mount_key.push("mountPath");
            let span = ctx.value(&mount_key);
            if !mount_path.starts_with('/') {
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("mount path `{mount_path}` is not absolute"),
                    )
                    .at(span, "must start with `/`"),
                );
            }
            let normalized = normalize(mount_path);
            if let Some((_, first, label)) = mount_paths
                .iter()
                .find(|(taken, _, _)| *taken == normalized)
            {
                let (first, label) = (*first, *label);
                ctx.report(
                    Diagnostic::error(
                        Code::DuplicateName,
                        format!("`{mount_path}` is mounted twice in `{name}`"),
                    )
                    .at(span, "secret mounted here")
                    .with_secondary(first, label),
                );
            } else {
                mount_paths.push((normalized, span, "already mounted here"));
            }
        }
        let Some((source, keys)) = resolved else {
            continue;
        };
        secrets.push(SecretModel {
            name: secret_name.clone(),
            object_name,
            source,
            keys,
            env,
            mount_path: secret.mount_path.clone(),
            image_pull: workload.image_pull_secrets.contains(secret_name),
        });
    }
    pull_secrets::check(ctx, name, workload, &secrets);
    if ctx.diagnostics.error_count() > errors_before {
        return Vec::new();
    }
    secrets
}

/// `plain` values outside the development tier: clear text in git, which the
/// platform promises never to render for staging or production. (A missing
/// tier, an error of its own, is taken as development here.)
fn check_plaintext(ctx: &mut Context<'_>, tier: Tier) {
    if tier == Tier::Development {
        return;
    }
    let environment = ctx.environment;
    for (name, workload) in &ctx.spec.workloads {
        if workload.enabled == Some(false) {
            continue;
        }
        for (secret_name, secret) in crate::capabilities::secrets::spec::secrets(workload) {
            if secret.plain.is_none() {
                continue;
            }
            let span = ctx.key(&["workloads", name, "secrets", secret_name, "plain"]);
            ctx.report(
                Diagnostic::error(
                    Code::PlaintextSecretOutsideDevelopment,
                    format!(
                        "secret `{secret_name}` of `{name}` has plain values in the {} environment `{environment}`",
                        tier.as_str()
                    ),
                )
                .at(span, "clear-text values are allowed only in the development tier")
                .with_help(
                    "use `external` (External Secrets Operator), `sealed` (kubeseal ciphertext) or `existing` here, and keep `plain` in the development overlay",
                ),
            );
        }
    }
}

/// Two workloads of one namespace whose secrets generate the same Secret name
/// (`api` + `db-url` and `api-db` + `url`): one would overwrite the other's
/// values, whatever the backends.
fn check_generated_names(ctx: &mut Context<'_>) {
    let mut seen: BTreeMap<(String, String), Span> = BTreeMap::new();
    let mut reports = Vec::new();
    for (name, workload) in &ctx.spec.workloads {
        if workload.enabled == Some(false) {
            continue;
        }
        for (secret_name, secret) in crate::capabilities::secrets::spec::secrets(workload) {
            if secret.existing.is_some() {
                continue;
            }
            let object = format!("{name}-{secret_name}");
            let span = ctx.key(&["workloads", name, "secrets", secret_name]);
            match seen.get(&(workload.namespace.clone(), object.clone())) {
                Some(first) => reports.push(
                    Diagnostic::error(
                        Code::DuplicateName,
                        format!(
                            "two secrets generate the Secret `{object}` in namespace `{}`",
                            workload.namespace
                        ),
                    )
                    .at(span, "generates it here")
                    .with_secondary(*first, "and here"),
                ),
                None => {
                    seen.insert((workload.namespace.clone(), object), span);
                }
            }
        }
    }
    for report in reports {
        ctx.report(report);
    }
}

/// The secret's backend and its keys, or `None` when the backend is unusable.
fn source(
    ctx: &mut Context<'_>,
    name: &str,
    namespace: &str,
    secret_name: &str,
    secret: &SecretSpec,
) -> Option<(SecretSource, Vec<String>)> {
    let path = ["workloads", name, "secrets", secret_name];
    let set: Vec<&str> = BACKENDS
        .iter()
        .zip([
            secret.external.is_some(),
            secret.sealed.is_some(),
            secret.existing.is_some(),
            secret.plain.is_some(),
        ])
        .filter_map(|(backend, set)| set.then_some(*backend))
        .collect();
    if set.len() != 1 {
        let span = ctx.key(&path);
        let (message, label) = if set.is_empty() {
            (
                format!("secret `{secret_name}` of `{name}` has no backend"),
                "set one of `external`, `sealed`, `existing` and `plain`".to_owned(),
            )
        } else {
            (
                format!("secret `{secret_name}` of `{name}` sets more than one backend"),
                format!("sets {}", quoted(&set)),
            )
        };
        let mut diagnostic = Diagnostic::error(Code::InvalidValue, message).at(span, label);
        if set.len() > 1 {
            diagnostic = diagnostic.with_help(format!(
                "keep one; to change the backend in an environment overlay, unset the base's: `{}: null`",
                set[0]
            ));
        }
        ctx.report(diagnostic);
        return None;
    }
    let errors_before = ctx.diagnostics.error_count();
    let result = if let Some(external) = &secret.external {
        (
            external_source(ctx, &path, external),
            external.data.keys().cloned().collect(),
        )
    } else if let Some(sealed) = &secret.sealed {
        check_keys(
            ctx,
            &join(&path, &["sealed", "encryptedData"]),
            sealed.encrypted_data.keys(),
        );
        let scope = sealed.scope.unwrap_or(SealingScope::Strict);
        for (key, value) in &sealed.encrypted_data {
            if !looks_sealed(value) {
                let span = ctx.value(&join(&path, &["sealed", "encryptedData", key]));
                let command = match scope {
                    SealingScope::Strict => format!(
                        "kubeseal --raw --namespace {namespace} --name {name}-{secret_name} --from-file=/dev/stdin"
                    ),
                    SealingScope::NamespaceWide => format!(
                        "kubeseal --raw --scope namespace-wide --namespace {namespace} --from-file=/dev/stdin"
                    ),
                    SealingScope::ClusterWide => {
                        "kubeseal --raw --scope cluster-wide --from-file=/dev/stdin".to_owned()
                    }
                };
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("`{key}` of secret `{secret_name}` is not Sealed Secrets ciphertext"),
                    )
                    .at(span, "expected the base64 output of `kubeseal --raw` (not shown: it may be a clear-text secret)")
                    .with_help(format!("seal the value with `{command}`")),
                );
            }
        }
        (
            SecretSource::Sealed {
                encrypted_data: sealed
                    .encrypted_data
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                scope,
            },
            sealed.encrypted_data.keys().cloned().collect(),
        )
    } else if let Some(existing) = &secret.existing {
        if let Some(problem) = subdomain_problem(&existing.name) {
            let span = ctx.value(&join(&path, &["existing", "name"]));
            ctx.report(
                Diagnostic::error(
                    Code::InvalidName,
                    format!("invalid Secret name `{}`", existing.name),
                )
                .at(span, problem),
            );
        }
        check_key_list(ctx, &join(&path, &["existing", "keys"]), &existing.keys);
        (SecretSource::Existing, existing.keys.clone())
    } else {
        let plain = secret.plain.as_ref().expect("exactly one backend is set");
        check_keys(ctx, &join(&path, &["plain"]), plain.keys());
        (
            SecretSource::Plain {
                data: plain.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            },
            plain.keys().cloned().collect(),
        )
    };
    (ctx.diagnostics.error_count() == errors_before).then_some(result)
}

/// An `external` backend under `path` (the key holding `external`), checked:
/// the store's name, the refresh interval, the keys and their remote keys.
/// Other capabilities whose Secrets come from the External Secrets Operator
/// resolve theirs with it.
pub fn external_source(
    ctx: &mut Context<'_>,
    path: &[&str],
    external: &ExternalSecretSpec,
) -> SecretSource {
    let store_name = &external.store_ref.name;
    if let Some(problem) = subdomain_problem(store_name) {
        let span = ctx.value(&join(path, &["external", "storeRef", "name"]));
        ctx.report(
            Diagnostic::error(
                Code::InvalidName,
                format!("invalid secret store name `{store_name}`"),
            )
            .at(span, problem),
        );
    }
    let refresh_interval = external
        .refresh_interval
        .clone()
        .unwrap_or_else(|| DEFAULT_REFRESH_INTERVAL.to_owned());
    if !is_go_duration(&refresh_interval) {
        let span = ctx.value(&join(path, &["external", "refreshInterval"]));
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("invalid refresh interval `{refresh_interval}`"),
            )
            .at(
                span,
                "expected a Go duration such as `1h`, `30m` or `1h30m`",
            ),
        );
    }
    check_keys(
        ctx,
        &join(path, &["external", "data"]),
        external.data.keys(),
    );
    for (key, remote) in &external.data {
        if remote.key.is_empty() {
            let span = ctx.value(&join(path, &["external", "data", key, "key"]));
            ctx.report(
                Diagnostic::error(Code::InvalidValue, "the remote key is empty").at(
                    span,
                    "name the secret in the store, e.g. `health-platform/postgres`",
                ),
            );
        }
    }
    let data = external
        .data
        .iter()
        .map(|(key, remote)| {
            (
                key.clone(),
                RemoteRefModel {
                    key: remote.key.clone(),
                    property: remote.property.clone(),
                    version: remote.version.clone(),
                },
            )
        })
        .collect();
    SecretSource::External {
        store_name: store_name.clone(),
        store_kind: external
            .store_ref
            .kind
            .unwrap_or(SecretStoreKind::SecretStore),
        refresh_interval,
        data,
    }
}

/// The keys of a Secret named in the spec under `path`, checked: at least
/// one, each a valid Secret key.
pub fn check_secret_keys<'k>(
    ctx: &mut Context<'_>,
    path: &[&str],
    keys: impl Iterator<Item = &'k String>,
) {
    check_keys(ctx, path, keys);
}

/// The keys of a mapping of secret values: at least one, each a valid key.
fn check_keys<'k>(ctx: &mut Context<'_>, path: &[&str], keys: impl Iterator<Item = &'k String>) {
    let mut any = false;
    for key in keys {
        any = true;
        if let Some(problem) = secret_key_problem(key) {
            let mut full = path.to_vec();
            full.push(key);
            let span = ctx.key(&full);
            ctx.report(
                Diagnostic::error(Code::InvalidName, format!("invalid secret key `{key}`"))
                    .at(span, problem),
            );
        }
    }
    if !any {
        let span = ctx.key(path);
        ctx.report(
            Diagnostic::error(Code::InvalidValue, "the secret has no keys").at(span, "empty"),
        );
    }
}

/// `existing.keys`: at least one, each valid, none twice.
fn check_key_list(ctx: &mut Context<'_>, path: &[&str], keys: &[String]) {
    if keys.is_empty() {
        let span = ctx.key(path);
        ctx.report(
            Diagnostic::error(Code::InvalidValue, "the secret has no keys")
                .at(span, "list the keys the workload uses"),
        );
    }
    for (index, key) in keys.iter().enumerate() {
        let index_text = index.to_string();
        let mut full = path.to_vec();
        full.push(&index_text);
        if let Some(problem) = secret_key_problem(key) {
            let span = ctx.value(&full);
            ctx.report(
                Diagnostic::error(Code::InvalidName, format!("invalid secret key `{key}`"))
                    .at(span, problem),
            );
        } else if keys[..index].contains(key) {
            let span = ctx.value(&full);
            ctx.report(
                Diagnostic::error(Code::DuplicateName, format!("key `{key}` is listed twice"))
                    .at(span, "listed again here"),
            );
        }
    }
}

fn unknown_key(name: &str, secret_name: &str, key: &str, keys: &[String]) -> Diagnostic {
    Diagnostic::error(
        Code::UnknownSecretKey,
        format!("secret `{secret_name}` of `{name}` has no key `{key}`"),
    )
    .with_help_opt(suggestion::did_you_mean(
        key,
        keys.iter().map(String::as_str),
    ))
    .with_note(format!("its keys: {}", quoted(keys)))
}

/// Variables the workload already sets, with where: `env`, `fieldEnv` and
/// `config.env`.
fn taken_variables(ctx: &Context<'_>, name: &str, workload: &Workload) -> Vec<(String, Span)> {
    let mut taken: Vec<(String, Span)> = workload
        .env
        .keys()
        .map(|key| (key.clone(), ctx.key(&["workloads", name, "env", key])))
        .collect();
    taken.extend(
        workload
            .field_env
            .keys()
            .map(|key| (key.clone(), ctx.key(&["workloads", name, "fieldEnv", key]))),
    );
    if let Some(config) = &workload.config {
        taken.extend(config.env.keys().map(|key| {
            (
                key.clone(),
                ctx.key(&["workloads", name, "config", "env", key]),
            )
        }));
    }
    taken
}

/// Paths the container already mounts, with where and what: writable paths,
/// config files and the data volume.
fn taken_mount_paths(
    ctx: &Context<'_>,
    name: &str,
    workload: &Workload,
) -> Vec<(String, Span, &'static str)> {
    const MOUNTED: &str = "already mounted here";
    let mut taken = Vec::new();
    for (index, path) in workload.writable_paths.iter().flatten().enumerate() {
        let index = index.to_string();
        taken.push((
            normalize(path.path()),
            ctx.value(&["workloads", name, "writablePaths", &index]),
            MOUNTED,
        ));
    }
    if workload.writable_paths.is_none() {
        // The default writable path: reported at the workload.
        taken.push((
            "/tmp".to_owned(),
            ctx.key(&["workloads", name]),
            "already mounted here: `/tmp` is the default of `writablePaths`",
        ));
    }
    if let Some(config) = workload.config.as_ref().filter(|c| !c.files.is_empty()) {
        let path = config
            .mount_path
            .clone()
            .unwrap_or_else(|| format!("/etc/{name}"));
        taken.push((
            normalize(&path),
            ctx.key(&["workloads", name, "config"]),
            "config files are already mounted there",
        ));
    }
    for path in workload.config.iter().flat_map(|c| c.mounts.keys()) {
        taken.push((
            normalize(path),
            ctx.key(&["workloads", name, "config", "mounts", path]),
            "config files are already mounted there",
        ));
    }
    if let Some(storage) = &workload.storage {
        taken.push((
            normalize(&storage.mount_path),
            ctx.value(&["workloads", name, "storage", "mountPath"]),
            MOUNTED,
        ));
    }
    taken
}

/// `path` followed by `field`.
fn join<'a>(path: &[&'a str], field: &[&'a str]) -> Vec<&'a str> {
    let mut full = path.to_vec();
    full.extend_from_slice(field);
    full
}

fn normalize(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() { "/" } else { trimmed }.to_owned()
}

fn quoted(words: &[impl AsRef<str>]) -> String {
    words
        .iter()
        .map(|word| format!("`{}`", word.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Whether the workload's `secrets` set the variable `variable`.
pub fn provides_env(workload: &Workload, variable: &str) -> bool {
    super::spec::SECRETS
        .get(&workload.sections)
        .is_some_and(|secrets| secrets.values().any(|s| s.env.contains_key(variable)))
}
