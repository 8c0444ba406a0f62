//! `minio.<name>.replication`: server-side bucket replication to a MinIO
//! deployment outside the platform, checked for what would keep it from
//! working (an endpoint that is the tenant itself or any in-cluster Service,
//! plain HTTP outside development, a bucket the tenant does not have, two
//! buckets onto one remote bucket, the remote's key pair missing or without
//! its keys), and the pods of the Job that sets it up as a pod group, so the
//! network policies open exactly the tenant and the remote's port.

use std::collections::BTreeMap;

use crate::analyze::{Context, internet_blocks, subdomain_problem};
use crate::capabilities::secrets::analyze::{check_secret_keys, external_source};
use crate::capabilities::secrets::model::SecretSource;
use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::model::{EgressDestination, EgressModel, PodGroupModel, PortRange};
use crate::spec::{Protocol, Tier};

use super::super::model::{MinioModel, ReplicationModel, SERVER_PORT};
use super::super::spec::{MinioSpec, ReplicationSpec};
use super::names::{bucket_problem, is_release};

/// The MinIO Client image the Job runs; the tag is the release.
const CLIENT_IMAGE: &str = "quay.io/minio/mc";
/// The client release of the same month as the default server release.
const DEFAULT_CLIENT_VERSION: &str = "RELEASE.2025-04-16T18-13-26Z";

/// The replication of tenant `name`, resolved, or `None` when it has none or
/// it is wrong (reported).
pub(super) fn resolve(
    ctx: &mut Context<'_>,
    tier: Tier,
    name: &str,
    spec: &MinioSpec,
) -> Option<ReplicationModel> {
    let replication = spec.replication.as_ref()?;
    let errors_before = ctx.diagnostics.error_count();
    let port = endpoint_port(ctx, tier, name, spec, replication);
    let buckets = buckets(ctx, name, spec, replication);
    let (secret, source) = credentials(ctx, name, replication)?;
    let version = replication
        .client_version
        .as_deref()
        .unwrap_or(DEFAULT_CLIENT_VERSION);
    if !is_release(version) {
        let span = ctx.value(&["minio", name, "replication", "clientVersion"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("invalid MinIO Client release `{version}`"),
            )
            .at(
                span,
                "expected a release such as `RELEASE.2025-04-16T18-13-26Z`",
            )
            .with_note("it is the tag of quay.io/minio/mc"),
        );
    }
    if ctx.diagnostics.error_count() > errors_before {
        return None;
    }
    Some(ReplicationModel {
        endpoint: replication.endpoint.trim_end_matches('/').to_owned(),
        port: port?,
        buckets,
        secret,
        source,
        deletes: replication.deletes.unwrap_or(true),
        client_image: format!("{CLIENT_IMAGE}:{version}"),
    })
}

/// The endpoint's port, when the endpoint is one replication can use.
fn endpoint_port(
    ctx: &mut Context<'_>,
    tier: Tier,
    name: &str,
    spec: &MinioSpec,
    replication: &ReplicationSpec,
) -> Option<u16> {
    let endpoint = replication.endpoint.as_str();
    let span = ctx.value(&["minio", name, "replication", "endpoint"]);
    let report = |ctx: &mut Context<'_>, label: String, note: Option<&str>| {
        let mut diagnostic = Diagnostic::error(
            Code::InvalidReplication,
            format!("replication endpoint `{endpoint}` cannot be used"),
        )
        .at(span, label);
        if let Some(note) = note {
            diagnostic = diagnostic.with_note(note);
        }
        ctx.report(diagnostic);
    };
    let (https, rest) = if let Some(rest) = endpoint.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = endpoint.strip_prefix("http://") {
        (false, rest)
    } else {
        report(
            ctx,
            "expected `https://host[:port]`".to_owned(),
            Some("the remote MinIO deployment's S3 API"),
        );
        return None;
    };
    let authority = rest.trim_end_matches('/');
    if authority.is_empty() || authority.contains(['/', '?', '#', '@']) {
        report(
            ctx,
            "expected `https://host[:port]`, with no path or credentials".to_owned(),
            Some("buckets are named under `buckets`; the key pair comes from `credentials`"),
        );
        return None;
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => match port.parse::<u16>() {
            Ok(port) if port > 0 => (host, port),
            _ => {
                report(ctx, format!("`{port}` is not a port"), None);
                return None;
            }
        },
        None => (authority, if https { 443 } else { 80 }),
    };
    let host = host.to_ascii_lowercase();
    let in_cluster = host.ends_with(".svc")
        || host.ends_with(".svc.cluster.local")
        || host.ends_with(".cluster.local")
        || !host.contains('.');
    if in_cluster {
        let own = [
            format!("{}.{}.svc", MinioModel::SERVICE, spec.namespace),
            format!(
                "{}.{}.svc.cluster.local",
                MinioModel::SERVICE,
                spec.namespace
            ),
            format!("{}-hl.{}.svc", name, spec.namespace),
            format!("{}-hl.{}.svc.cluster.local", name, spec.namespace),
        ];
        let itself = own.contains(&host)
            || host.ends_with(&format!(".{}-hl.{}.svc", name, spec.namespace))
            || host.ends_with(&format!(
                ".{}-hl.{}.svc.cluster.local",
                name, spec.namespace
            ));
        let label = if itself {
            "this is the tenant itself".to_owned()
        } else {
            "an in-cluster address".to_owned()
        };
        report(
            ctx,
            label,
            Some(
                "replication keeps an off-site copy: the endpoint is a MinIO deployment outside the cluster, which the network policy opens as egress to addresses outside it",
            ),
        );
        return None;
    }
    if !https && tier != Tier::Development {
        report(
            ctx,
            "plain HTTP outside development".to_owned(),
            Some(
                "the remote's key pair and every replicated object would cross networks in clear text; serve the remote over HTTPS",
            ),
        );
        return None;
    }
    Some(port)
}

/// Each replicated bucket and its remote bucket, checked.
fn buckets(
    ctx: &mut Context<'_>,
    name: &str,
    spec: &MinioSpec,
    replication: &ReplicationSpec,
) -> Vec<(String, String)> {
    if replication.buckets.is_empty() {
        let span = ctx.value(&["minio", name, "replication", "buckets"]);
        ctx.report(
            Diagnostic::error(Code::InvalidReplication, "no bucket is replicated")
                .at(span, "empty")
                .with_help(
                    "map each bucket to its remote bucket, e.g. `{ data-lake: data-lake-replica }`",
                ),
        );
    }
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (bucket, target) in &replication.buckets {
        if !spec.buckets.contains(bucket) {
            let span = ctx.key(&["minio", name, "replication", "buckets", bucket]);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidReplication,
                    format!("bucket `{bucket}` is not one of the tenant's buckets"),
                )
                .at(span, "not under `buckets`")
                .with_note("the operator creates the tenant's `buckets`; replication rules are set on buckets that exist")
                .with_help_opt(suggestion::did_you_mean(
                    bucket,
                    spec.buckets.iter().map(String::as_str),
                )),
            );
        }
        if let Some(problem) = bucket_problem(target) {
            let span = ctx.value(&["minio", name, "replication", "buckets", bucket]);
            ctx.report(
                Diagnostic::error(Code::InvalidName, format!("invalid bucket name `{target}`"))
                    .at(span, problem)
                    .with_note("S3 bucket names are 3 to 63 lowercase letters, digits, `-` and `.`, starting and ending with a letter or digit"),
            );
        }
        if let Some(first) = seen.insert(target, bucket) {
            let span = ctx.value(&["minio", name, "replication", "buckets", bucket]);
            let other = ctx.value(&["minio", name, "replication", "buckets", first]);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidReplication,
                    format!("buckets `{first}` and `{bucket}` both replicate to `{target}`"),
                )
                .at(span, "the second")
                .with_secondary(other, "the first")
                .with_note(
                    "their objects would overwrite each other's versions in one remote bucket",
                ),
            );
        }
    }
    replication
        .buckets
        .iter()
        .map(|(bucket, target)| (bucket.clone(), target.clone()))
        .collect()
}

/// The Secret with the remote's key pair and where it comes from: exactly
/// one backend, with both keys.
fn credentials(
    ctx: &mut Context<'_>,
    name: &str,
    replication: &ReplicationSpec,
) -> Option<(String, SecretSource)> {
    let path = ["minio", name, "replication", "credentials"];
    let credentials = &replication.credentials;
    let (secret, source, keys, keys_path) = match (&credentials.external, &credentials.existing) {
        (Some(external), None) => (
            format!("{name}-replication-target"),
            external_source(ctx, &path, external),
            external.data.keys().cloned().collect::<Vec<_>>(),
            [&path[..], &["external", "data"]].concat(),
        ),
        (None, Some(existing)) => {
            if let Some(problem) = subdomain_problem(&existing.name) {
                let span = ctx.value(&[&path[..], &["existing", "name"]].concat());
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidName,
                        format!("invalid Secret name `{}`", existing.name),
                    )
                    .at(span, problem),
                );
            }
            let keys_path = [&path[..], &["existing", "keys"]].concat();
            check_secret_keys(ctx, &keys_path, existing.keys.iter());
            (
                existing.name.clone(),
                SecretSource::Existing,
                existing.keys.clone(),
                keys_path,
            )
        }
        (external, _) => {
            let span = ctx.key(&path);
            let label = if external.is_some() {
                "both set"
            } else {
                "neither set"
            };
            ctx.report(
                Diagnostic::error(
                    Code::InvalidReplication,
                    "the replication credentials need exactly one of `external` and `existing`",
                )
                .at(span, label),
            );
            return None;
        }
    };
    for key in [ReplicationModel::ACCESS_KEY, ReplicationModel::SECRET_KEY] {
        if !keys.iter().any(|k| k == key) {
            let span = ctx.key(&keys_path);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidReplication,
                    format!("the replication credentials have no key `{key}`"),
                )
                .at(span, format!("add `{key}`"))
                .with_note("the Job reads the remote's key pair from the keys `access-key` and `secret-key`"),
            );
        }
    }
    Some((secret, source))
}

/// The Job's pods: they reach the tenant's servers and the remote's port,
/// and nothing reaches them.
pub(super) fn pod_group(tenant: &MinioModel, replication: &ReplicationModel) -> PodGroupModel {
    PodGroupModel {
        name: tenant.replication_name(),
        namespace: tenant.namespace.clone(),
        pod_labels: tenant.replication_pod_labels(),
        ports: Vec::new(),
        peer_ports: Vec::new(),
        api_server: false,
        operator: None,
        uses: vec![(tenant.name.clone(), vec![SERVER_PORT])],
        egress: vec![EgressModel {
            name: "internet".to_owned(),
            destination: EgressDestination::Addresses(internet_blocks()),
            ports: vec![PortRange::single(replication.port)],
            protocol: Protocol::Tcp,
        }],
        metrics_port: None,
        metrics_endpoint: None,
        origin: tenant.origin,
    }
}
