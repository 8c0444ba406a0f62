//! The Elasticsearch capability's analysis: checks each store of
//! `elasticsearch` and resolves it into an [`ElasticsearchModel`], the data
//! service workloads connect to, and the pod group the network policies
//! open.
//!
//! What the image needs, which this encodes, is from Elastic's documentation
//! of the Docker image and of the settings rendered (docs/data-services/
//! elasticsearch.md): the image runs as uid 1000, sizes its heap to half the
//! container's memory limit, and with `discovery.type: single-node` skips the
//! bootstrap checks (such as `vm.max_map_count`) that a node bound to a
//! non-loopback address must otherwise pass.

use crate::analyze::{Context, ServiceIdentity, check_identity, placement_of, subdomain_problem};
use crate::capabilities::internal_ca::model::InternalCa;
use crate::capabilities::storage_class::analyze::check_class;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{AccessPoint, DataServiceModel, FieldValue, PlatformModel, PodGroupModel};
use crate::spec::Protocol;

use super::model::{ElasticsearchModel, ElasticsearchUserModel, HTTP_PORT};
use super::spec::ElasticsearchSpec;

/// Elastic's image; the tag is the version.
const IMAGE: &str = "docker.elastic.co/elasticsearch/elasticsearch";
/// The newest 8.x release when this default was set.
const DEFAULT_VERSION: &str = "8.19.0";
/// Longest store name: its StatefulSet's pods carry
/// `controller-revision-hash: <name>-<10 characters>`, a label value of at
/// most 63 characters.
const MAX_NAME: usize = 52;
/// Below this memory limit the heap (half the limit) is under 512 MiB, where
/// indexing load exhausts it.
const MIN_MEMORY_BYTES: u128 = 1 << 30;
/// The users of the native realm Elasticsearch reserves: a file-realm user
/// of the same name would be shadowed by the built-in one.
const RESERVED_USERS: &[&str] = &[
    "elastic",
    "kibana",
    "kibana_system",
    "logstash_system",
    "beats_system",
    "apm_system",
    "remote_monitoring_user",
];
/// The longest user name platformgen accepts (Elasticsearch allows 507
/// characters; a short name keeps the role derived from it readable).
const MAX_USER: usize = 64;

/// The capability's analysis hook.
pub fn analyze(ctx: &mut Context<'_>, model: &mut PlatformModel) {
    let spec = ctx.spec;
    for (name, store) in crate::capabilities::elasticsearch::spec::declared(spec) {
        if store.enabled == Some(false) {
            continue;
        }
        let Some(resolved) = resolve(ctx, name, store) else {
            continue;
        };
        model
            .data_services
            .push(data_service(&model.name, &resolved));
        model.pod_groups.push(pod_group(&resolved));
        crate::capabilities::elasticsearch::model::ELASTICSEARCH
            .get_or_default(&mut model.parts)
            .push(resolved);
    }
}

fn resolve(
    ctx: &mut Context<'_>,
    name: &str,
    spec: &ElasticsearchSpec,
) -> Option<ElasticsearchModel> {
    let errors_before = ctx.diagnostics.error_count();
    check_identity(
        ctx,
        &ServiceIdentity {
            section: "elasticsearch",
            what: "Elasticsearch store",
            name,
            namespace: &spec.namespace,
            max_name: MAX_NAME,
        },
    );
    let version = spec.version.as_deref().unwrap_or(DEFAULT_VERSION);
    check_version(ctx, name, version);
    check_memory(ctx, name, spec);
    let users = resolve_users(ctx, name, spec);
    let placement = placement_of(ctx, &["elasticsearch", name], spec.scheduling.as_ref());
    if let Some(class) = &spec.storage.storage_class {
        check_class(
            ctx,
            class,
            &["elasticsearch", name, "storage", "storageClass"],
        );
    }
    if ctx.diagnostics.error_count() > errors_before {
        return None;
    }
    Some(ElasticsearchModel {
        name: name.to_owned(),
        namespace: spec.namespace.clone(),
        description: spec.description.clone(),
        image: format!("{IMAGE}:{version}"),
        storage_size: spec.storage.size.clone(),
        storage_class: spec.storage.storage_class.clone(),
        resources: spec.resources.clone(),
        node_selector: placement.node_selector,
        tolerations: placement.tolerations,
        priority_class: placement.priority_class,
        users,
        origin: ctx.key(&["elasticsearch", name]),
    })
}

/// 8.x and 9.x: the settings rendered (`xpack.security.enrollment.enabled`,
/// the HTTP and transport TLS settings) are those of 8.0 and later.
fn check_version(ctx: &mut Context<'_>, name: &str, version: &str) {
    let major = parse_major(version);
    let problem = match major {
        None => Some(("expected a version such as `8.19.0`", None)),
        Some(major) if major < 8 => Some((
            "before 8.0",
            Some(
                "the security settings platformgen renders are those of Elasticsearch 8, and 7.x is out of support",
            ),
        )),
        Some(major) if major > 9 => Some(("a major version platformgen does not know", None)),
        Some(_) => None,
    };
    if let Some((label, note)) = problem {
        let span = ctx.value(&["elasticsearch", name, "version"]);
        let mut diagnostic = Diagnostic::error(
            Code::InvalidValue,
            format!("Elasticsearch version `{version}` is not supported"),
        )
        .at(span, label)
        .with_help(format!("use {DEFAULT_VERSION}, or a 9.x release"));
        if let Some(note) = note {
            diagnostic = diagnostic.with_note(note);
        }
        ctx.report(diagnostic);
    }
}

/// `MAJOR.MINOR.PATCH` (the image has no shorter tags) as its major.
fn parse_major(version: &str) -> Option<u32> {
    let parts: Vec<&str> = version.split('.').collect();
    let numeric = |part: &&str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if parts.len() != 3 || !parts.iter().all(numeric) {
        return None;
    }
    parts[0].parse().ok()
}

fn check_memory(ctx: &mut Context<'_>, name: &str, spec: &ElasticsearchSpec) {
    let limit = &spec.resources.limits.memory;
    if limit.milli() / 1000 < MIN_MEMORY_BYTES {
        let span = ctx.value(&["elasticsearch", name, "resources", "limits", "memory"]);
        ctx.report(
            Diagnostic::warning(
                Code::InvalidValue,
                format!("Elasticsearch `{name}` gets a heap of less than 512 MiB"),
            )
            .at(span, format!("a limit of {}", limit.as_str()))
            .with_note("Elasticsearch sizes its heap to half the container's memory limit; under indexing load a smaller heap fails requests with circuit-breaker errors or runs out of memory")
            .with_help("give the node a memory limit of at least 1Gi"),
        );
    }
}

fn resolve_users(
    ctx: &mut Context<'_>,
    name: &str,
    spec: &ElasticsearchSpec,
) -> Vec<ElasticsearchUserModel> {
    if spec.users.is_empty() {
        let span = ctx.value(&["elasticsearch", name, "users"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("Elasticsearch `{name}` has no user"),
            )
            .at(span, "no user can connect")
            .with_note("the store answers authenticated requests only, and platformgen sets no password for the built-in `elastic` user")
            .with_help("add a user per client: `users: { jaeger: { secret: jaeger-es, indices: [jaeger-*] } }`"),
        );
    }
    let mut users = Vec::new();
    for (user, user_spec) in &spec.users {
        if let Some(problem) = user_name_problem(user) {
            let span = ctx.key(&["elasticsearch", name, "users", user]);
            let help = if RESERVED_USERS.contains(&user.as_str()) {
                "name the user after its client, e.g. `jaeger`"
            } else {
                "use lowercase letters, digits, `-` and `_`, starting with a letter"
            };
            ctx.report(
                Diagnostic::error(
                    Code::InvalidName,
                    format!("invalid Elasticsearch user name `{user}`"),
                )
                .at(span, problem)
                .with_help(help),
            );
        }
        if let Some(problem) = subdomain_problem(&user_spec.secret) {
            let span = ctx.value(&["elasticsearch", name, "users", user, "secret"]);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidName,
                    format!("invalid Secret name `{}`", user_spec.secret),
                )
                .at(span, problem),
            );
        }
        if user_spec.indices.is_empty() {
            let span = ctx.value(&["elasticsearch", name, "users", user, "indices"]);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("Elasticsearch user `{user}` may use no index"),
                )
                .at(span, "no index pattern")
                .with_help("name the indices the client writes and reads, e.g. `[jaeger-*]`"),
            );
        }
        for (index, pattern) in user_spec.indices.iter().enumerate() {
            if pattern.is_empty() || pattern.contains([',', ' ', '"', '\\']) {
                let span = ctx.value(&[
                    "elasticsearch",
                    name,
                    "users",
                    user,
                    "indices",
                    &index.to_string(),
                ]);
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("invalid index pattern `{pattern}`"),
                    )
                    .at(
                        span,
                        "one pattern per entry, without spaces, commas, quotes or backslashes",
                    )
                    .with_help("an index name with `*` wildcards, e.g. `jaeger-*`"),
                );
            }
        }
        users.push(ElasticsearchUserModel {
            name: user.clone(),
            secret: user_spec.secret.clone(),
            key: user_spec
                .key
                .clone()
                .unwrap_or_else(|| "password".to_owned()),
            indices: user_spec.indices.clone(),
        });
    }
    users
}

/// Why `user` cannot name a file-realm user (and the role derived from it).
fn user_name_problem(user: &str) -> Option<String> {
    if RESERVED_USERS.contains(&user) {
        return Some("a built-in user of Elasticsearch".to_owned());
    }
    if user.is_empty() || user.len() > MAX_USER {
        return Some(format!("between 1 and {MAX_USER} characters"));
    }
    let mut bytes = user.bytes();
    let first_ok = bytes.next().is_some_and(|b| b.is_ascii_lowercase());
    let rest_ok =
        bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    (!first_ok || !rest_ok)
        .then(|| "only lowercase letters, digits, `-` and `_`, starting with a letter".to_owned())
}

/// How workloads connect: HTTPS to the store's Service, verifying its
/// certificate with the platform's CA. Credentials are not fields: a Secret
/// can only be read from its own namespace, so each client takes its user's
/// password from its own `secrets`.
fn data_service(platform: &str, store: &ElasticsearchModel) -> DataServiceModel {
    let trust = InternalCa::trust(platform);
    DataServiceModel {
        name: store.name.clone(),
        namespace: store.namespace.clone(),
        engine: "Elasticsearch",
        access: vec![AccessPoint {
            mode: "https",
            group: store.name.clone(),
            fields: vec![
                ("url", FieldValue::Text(store.url())),
                ("host", FieldValue::Text(store.host())),
                ("port", FieldValue::Text(HTTP_PORT.to_string())),
                ("caFile", FieldValue::Text(trust.file())),
            ],
        }],
        storage_classes: store.storage_class.iter().cloned().collect(),
        trust: Some(trust),
        origin: store.origin,
    }
}

/// The node: clients on HTTPS, nothing else (a single node has no peers, its
/// transport port listens on the loopback interface only, and it calls no
/// API).
fn pod_group(store: &ElasticsearchModel) -> PodGroupModel {
    PodGroupModel {
        name: store.name.clone(),
        namespace: store.namespace.clone(),
        pod_labels: store.pod_labels(),
        ports: vec![(HTTP_PORT, Protocol::Tcp)],
        peer_ports: Vec::new(),
        api_server: false,
        operator: None,
        uses: Vec::new(),
        egress: Vec::new(),
        metrics_port: None,
        metrics_endpoint: None,
        origin: store.origin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(parse_major("8.19.0"), Some(8));
        assert_eq!(parse_major("9.1.3"), Some(9));
        for invalid in [
            "",
            "8",
            "8.19",
            "8.19.0.1",
            "v8.19.0",
            "8.x.0",
            "8.19.0-amd64",
        ] {
            assert_eq!(parse_major(invalid), None, "{invalid}");
        }
    }

    #[test]
    fn user_names() {
        assert_eq!(user_name_problem("jaeger"), None);
        assert_eq!(user_name_problem("index-cleaner_2"), None);
        for invalid in [
            "",
            "elastic",
            "kibana_system",
            "Jaeger",
            "2jaeger",
            "jae ger",
            "jaeger.x",
        ] {
            assert!(user_name_problem(invalid).is_some(), "{invalid}");
        }
        assert!(user_name_problem(&"a".repeat(65)).is_some());
    }
}
