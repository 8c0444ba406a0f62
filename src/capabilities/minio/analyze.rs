//! The MinIO capability's analysis: checks each tenant of `minio` and
//! resolves it into a [`MinioModel`], the data service workloads (and the
//! PostgreSQL backups) connect to, and the pod group the network policies
//! open.
//!
//! What the MinIO Operator does with a `Tenant` comes from its source
//! (github.com/minio/operator, v7.1): `pkg/resources/services/service.go`
//! (the Services), `pkg/apis/minio.min.io/v2/{constants,labels,names}.go`
//! (labels, ports, names), `pkg/resources/statefulsets/minio-statefulset.go`
//! (the pods and their sidecar) and `helper.go` (`Pool.Validate`, the
//! operator's namespace).

use std::collections::BTreeMap;

use crate::analyze::{Context, ServiceIdentity, check_identity, label_problem, placement_of};
use crate::capabilities::storage_class::analyze::check_class;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::TolerationModel;
use crate::model::{AccessPoint, DataServiceModel, FieldValue, PlatformModel, PodGroupModel};
use crate::spec::{Protocol, Tier};

mod names;
mod replication;
mod tls_clients;

use crate::capabilities::internal_ca::model::InternalCa;

use super::model::{MinioModel, MinioPoolModel, SERVER_PORT};
use super::spec::MinioSpec;
use names::{bucket_problem, is_release};

/// MinIO's server image; the tag is the release.
const IMAGE: &str = "quay.io/minio/minio";
/// The release the operator's v7.1.1 tenant chart deploys.
const DEFAULT_VERSION: &str = "RELEASE.2025-04-08T15-41-24Z";
/// Volumes a pool needs for erasure coding to survive a lost drive or server
/// (the operator's documented minimum per pool).
const MIN_VOLUMES: u32 = 4;
/// StatefulSet names (`<tenant>-<pool>`) longer than this leave no room for
/// the `controller-revision-hash` label of their pods.
const MAX_STATEFUL_SET_NAME: usize = 52;

/// The capability's analysis hook.
pub fn analyze(ctx: &mut Context<'_>, model: &mut PlatformModel) {
    let spec = ctx.spec;
    // The namespace of each enabled tenant seen so far: the operator's S3
    // Service is `minio` in every tenant, so two in one namespace collide.
    let mut namespaces: BTreeMap<&str, &str> = BTreeMap::new();
    for (name, tenant) in crate::capabilities::minio::spec::declared(spec) {
        if tenant.enabled == Some(false) {
            continue;
        }
        if let Some(first) = namespaces.get(tenant.namespace.as_str()) {
            let span = ctx.value(&["minio", name, "namespace"]);
            let other = ctx.value(&["minio", first, "namespace"]);
            ctx.report(
                Diagnostic::error(
                    Code::DuplicateName,
                    format!(
                        "MinIO tenants `{first}` and `{name}` share namespace `{}`",
                        tenant.namespace
                    ),
                )
                .at(span, "the second tenant")
                .with_secondary(other, "the first")
                .with_note("the MinIO Operator names the S3 Service of every tenant `minio`")
                .with_help("give each tenant a namespace of its own"),
            );
            continue;
        }
        namespaces.insert(&tenant.namespace, name);
        let Some(resolved) = resolve(ctx, model, name, tenant) else {
            continue;
        };
        tls_clients::check(ctx, &resolved);
        model
            .data_services
            .push(data_service(&model.name, &resolved));
        model.pod_groups.push(pod_group(&resolved));
        if let Some(replication) = &resolved.replication {
            model
                .pod_groups
                .push(replication::pod_group(&resolved, replication));
        }
        crate::capabilities::minio::model::MINIO
            .get_or_default(&mut model.parts)
            .push(resolved);
    }
}

fn resolve(
    ctx: &mut Context<'_>,
    model: &PlatformModel,
    name: &str,
    spec: &MinioSpec,
) -> Option<MinioModel> {
    let span_of = |ctx: &Context<'_>, rest: &[&str]| {
        let path: Vec<&str> = ["minio", name].iter().chain(rest).copied().collect();
        ctx.value(&path)
    };
    let errors_before = ctx.diagnostics.error_count();
    check_identity(
        ctx,
        &ServiceIdentity {
            section: "minio",
            what: "MinIO tenant",
            name,
            namespace: &spec.namespace,
            max_name: 40,
        },
    );
    if let Some(workload) = ctx.spec.workloads.get(MinioModel::SERVICE)
        && workload.namespace == spec.namespace
        && name != MinioModel::SERVICE
    {
        let span = span_of(ctx, &["namespace"]);
        let other = ctx.key(&["workloads", MinioModel::SERVICE]);
        ctx.report(
            Diagnostic::error(
                Code::DuplicateName,
                format!(
                    "the MinIO Operator's Service `minio` would collide with workload `minio` in namespace `{}`",
                    spec.namespace
                ),
            )
            .at(span, "the tenant's S3 Service is `minio` here")
            .with_secondary(other, "this workload's Service is `minio` too")
            .with_help("move the tenant or the workload to another namespace, or rename the workload"),
        );
    }
    let version = spec.version.as_deref().unwrap_or(DEFAULT_VERSION);
    if !is_release(version) {
        let span = span_of(ctx, &["version"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("invalid MinIO release `{version}`"),
            )
            .at(
                span,
                "expected a release such as `RELEASE.2025-04-08T15-41-24Z`",
            )
            .with_note("it is the tag of quay.io/minio/minio"),
        );
    }
    let pools = pools(ctx, model.tier, name, spec);
    let (node_selector, tolerations) = node_pool(ctx, name, spec);
    let priority_class = spec
        .scheduling
        .as_ref()
        .and_then(|s| s.priority_class.clone());
    for (index, bucket) in spec.buckets.iter().enumerate() {
        let position = index.to_string();
        if let Some(problem) = bucket_problem(bucket) {
            let span = span_of(ctx, &["buckets", &position]);
            ctx.report(
                Diagnostic::error(Code::InvalidName, format!("invalid bucket name `{bucket}`"))
                    .at(span, problem)
                    .with_note("S3 bucket names are 3 to 63 lowercase letters, digits, `-` and `.`, starting and ending with a letter or digit"),
            );
        }
        if spec.buckets[..index].contains(bucket) {
            let span = span_of(ctx, &["buckets", &position]);
            ctx.report(
                Diagnostic::error(
                    Code::DuplicateName,
                    format!("bucket `{bucket}` is listed twice"),
                )
                .at(span, "listed again here"),
            );
        }
    }
    for (index, user) in spec.users.iter().enumerate() {
        let position = index.to_string();
        if spec.users[..index].contains(user) {
            let span = span_of(ctx, &["users", &position]);
            ctx.report(
                Diagnostic::error(
                    Code::DuplicateName,
                    format!("user `{user}` is listed twice"),
                )
                .at(span, "listed again here"),
            );
        }
        if *user == spec.root_credentials.secret {
            let span = span_of(ctx, &["users", &position]);
            let root = span_of(ctx, &["rootCredentials", "secret"]);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("user Secret `{user}` is the root credentials' Secret"),
                )
                .at(span, "a user")
                .with_secondary(root, "the root credentials")
                .with_help("give each consumer a user of its own, in a Secret with `CONSOLE_ACCESS_KEY` and `CONSOLE_SECRET_KEY`; the root credentials stay with the operator"),
            );
        }
    }
    if spec.tls == Some(true) && spec.request_auto_cert == Some(true) {
        let span = span_of(ctx, &["tls"]);
        let other = span_of(ctx, &["requestAutoCert"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                "`tls` and `requestAutoCert` both give the tenant a certificate",
            )
            .at(span, "a certificate of the platform's CA, which clients trust")
            .with_secondary(other, "a certificate of the cluster's CA")
            .with_help("keep `tls: true`: the operator's certificate comes from the cluster's CA, which platformgen cannot hand to clients"),
        );
    }
    let replication = replication::resolve(ctx, model.tier, name, spec);
    if spec.replication.is_some()
        && let Some(workload) = ctx.spec.workloads.get(&format!("{name}-replication"))
        && workload.namespace == spec.namespace
    {
        let span = span_of(ctx, &["replication"]);
        let other = ctx.key(&["workloads", &format!("{name}-replication")]);
        ctx.report(
            Diagnostic::error(
                Code::DuplicateName,
                format!(
                    "the replication Job's pods and network policy `{name}-replication` would collide with workload `{name}-replication`"
                ),
            )
            .at(span, "names its Job and network policy `<tenant>-replication`")
            .with_secondary(other, "this workload has the name")
            .with_help("rename the workload, or move it to another namespace"),
        );
    }
    if ctx.diagnostics.error_count() > errors_before {
        return None;
    }
    Some(MinioModel {
        name: name.to_owned(),
        namespace: spec.namespace.clone(),
        description: spec.description.clone(),
        image: format!("{IMAGE}:{version}"),
        pools,
        resources: spec.resources.clone(),
        node_selector,
        tolerations,
        priority_class,
        buckets: spec.buckets.clone(),
        root_secret: spec.root_credentials.secret.clone(),
        users: spec.users.clone(),
        tls: spec.request_auto_cert.unwrap_or(false) || spec.tls.unwrap_or(false),
        cert_manager: spec.tls.unwrap_or(false),
        replication,
        origin: ctx.key(&["minio", name]),
    })
}

/// The pools, with their defaults, checked against the operator's rules
/// (`Pool.Validate`) and, outside development, erasure coding's minimum.
fn pools(ctx: &mut Context<'_>, tier: Tier, name: &str, spec: &MinioSpec) -> Vec<MinioPoolModel> {
    if spec.pools.is_empty() {
        let span = ctx.value(&["minio", name, "pools"]);
        ctx.report(
            Diagnostic::error(Code::InvalidValue, "a tenant needs at least one pool")
                .at(span, "no pool")
                .with_help("for example `pools: { pool-0: { storage: { size: 100Gi } } }`"),
        );
    }
    let mut out = Vec::new();
    for (pool_name, pool) in &spec.pools {
        let limit = MAX_STATEFUL_SET_NAME.saturating_sub(name.len() + 1);
        if let Some(problem) = label_problem(pool_name, limit) {
            let span = ctx.key(&["minio", name, "pools", pool_name]);
            ctx.report(
                Diagnostic::error(Code::InvalidName, format!("invalid pool name `{pool_name}`"))
                    .at(span, problem)
                    .with_note(format!(
                        "the pool's StatefulSet is `{name}-{pool_name}`, at most {MAX_STATEFUL_SET_NAME} characters"
                    )),
            );
        }
        let servers = pool
            .servers
            .unwrap_or(if tier == Tier::Development { 1 } else { 4 });
        let volumes = pool.volumes_per_server.unwrap_or(1);
        let path = ["minio", name, "pools", pool_name];
        let at = |ctx: &Context<'_>, field: &str| {
            if (field == "servers" && pool.servers.is_some())
                || (field == "volumesPerServer" && pool.volumes_per_server.is_some())
            {
                ctx.value(&[&path[..], &[field]].concat())
            } else {
                ctx.key(&path)
            }
        };
        if let Some(class) = &pool.storage.storage_class {
            check_class(
                ctx,
                class,
                &[&path[..], &["storage", "storageClass"]].concat(),
            );
        }
        let total = servers * volumes;
        let shape = format!(
            "{servers} server{} × {volumes} volume{}",
            if servers == 1 { "" } else { "s" },
            if volumes == 1 { "" } else { "s" }
        );
        if servers == 0 || volumes == 0 {
            let field = if servers == 0 {
                "servers"
            } else {
                "volumesPerServer"
            };
            let span = at(ctx, field);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!(
                        "pool `{pool_name}` needs at least one server and one volume per server"
                    ),
                )
                .at(span, format!("`{field}` is 0")),
            );
        } else if (servers == 2 && total < 4) || (servers == 3 && total < 6) {
            // The operator refuses these: with 2 or 3 servers, erasure sets
            // need 4 or 6 drives.
            let span = at(ctx, "volumesPerServer");
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("pool `{pool_name}` with {servers} servers needs at least 2 volumes per server"),
                )
                .at(span, shape.clone())
                .with_note("the MinIO Operator rejects a pool of 2 servers with fewer than 4 volumes, or of 3 with fewer than 6"),
            );
        } else if tier != Tier::Development && total < MIN_VOLUMES {
            let span = at(ctx, "servers");
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("pool `{pool_name}` has {total} volume{} outside development", if total == 1 { "" } else { "s" }),
                )
                .at(span, shape.clone())
                .with_note("erasure coding needs at least 4 volumes in a pool to survive the loss of a drive or a server; with fewer, one failure loses data")
                .with_help("use 4 servers with one volume each (the default outside development), or set `tier: development` for a single-volume store"),
            );
        }
        out.push(MinioPoolModel {
            name: pool_name.clone(),
            servers,
            volumes_per_server: volumes,
            storage_size: pool.storage.size.clone(),
            storage_class: pool.storage.storage_class.clone(),
        });
    }
    out
}

/// The node pool's labels and taints (and the priority class checked), as
/// for workloads.
fn node_pool(
    ctx: &mut Context<'_>,
    name: &str,
    spec: &MinioSpec,
) -> (BTreeMap<String, String>, Vec<TolerationModel>) {
    let placement = placement_of(ctx, &["minio", name], spec.scheduling.as_ref());
    (placement.node_selector, placement.tolerations)
}

/// How workloads connect: the S3 API through the operator's `minio` Service.
/// Credentials are not fields: a Secret can only be read from its own
/// namespace, so consumers take their key pair from their own `secrets`.
fn data_service(platform: &str, tenant: &MinioModel) -> DataServiceModel {
    let trust = tenant.cert_manager.then(|| InternalCa::trust(platform));
    let mut fields = vec![
        ("endpoint", FieldValue::Text(tenant.endpoint())),
        ("host", FieldValue::Text(tenant.host())),
        ("port", FieldValue::Text(tenant.service_port().to_string())),
    ];
    if let Some(trust) = &trust {
        fields.push(("caFile", FieldValue::Text(trust.file())));
    }
    DataServiceModel {
        name: tenant.name.clone(),
        namespace: tenant.namespace.clone(),
        engine: "MinIO",
        access: vec![AccessPoint {
            mode: "s3",
            group: tenant.name.clone(),
            fields,
        }],
        storage_classes: tenant
            .pools
            .iter()
            .filter_map(|pool| pool.storage_class.clone())
            .collect(),
        trust,
        origin: tenant.origin,
    }
}

/// The MinIO servers of every pool: the pods the operator labels
/// `v1.min.io/tenant: <name>` (`MinIOPodLabels`). They serve S3 on 9000 (the
/// Services' 80 or 443 forward there), talk to each other on 9000, serve
/// metrics on 9000 (`/minio/v2/metrics/cluster`, with a bearer token), are
/// called by the operator on 9000, and their sidecar watches the tenant and
/// its configuration Secret through the Kubernetes API.
fn pod_group(tenant: &MinioModel) -> PodGroupModel {
    PodGroupModel {
        name: tenant.name.clone(),
        namespace: tenant.namespace.clone(),
        pod_labels: BTreeMap::from([("v1.min.io/tenant".to_owned(), tenant.name.clone())]),
        ports: vec![(SERVER_PORT, Protocol::Tcp)],
        peer_ports: if tenant.servers() > 1 {
            vec![SERVER_PORT]
        } else {
            Vec::new()
        },
        api_server: true,
        operator: Some((MinioModel::OPERATOR_NAMESPACE.to_owned(), vec![SERVER_PORT])),
        uses: Vec::new(),
        egress: Vec::new(),
        metrics_port: Some(SERVER_PORT),
        metrics_endpoint: None,
        origin: tenant.origin,
    }
}
