//! The PostgreSQL capability's analysis: checks each cluster of `postgres`
//! and resolves it into a [`PostgresModel`], the data service workloads
//! connect to, and the pod groups the network policies open.

use std::collections::BTreeMap;

use crate::analyze::{Context, ServiceIdentity, check_identity, internet_blocks, placement_of};
use crate::capabilities::storage_class::analyze::check_class;
use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::model::{
    AccessPoint, DataServiceModel, EgressDestination, EgressModel, FieldValue, MetricsEndpoint,
    PlatformModel, PodGroupModel, PortRange,
};
use crate::spec::{Protocol, Tier};

use super::model::{
    BackupModel, ObjectStoreModel, PoolerModel, PostgresModel, RecoveryModel, ReplicaModel,
};
use super::spec::{ClientTls, ObjectStore, PoolMode, PostgresSpec};

/// CloudNativePG's operand image; the tag is the PostgreSQL version.
const IMAGE: &str = "ghcr.io/cloudnative-pg/postgresql";
const DEFAULT_VERSION: &str = "16.6";
pub(super) const PORT: u16 = 5432;
/// The instance manager's status port, which the operator and the other
/// instances call.
pub(super) const STATUS_PORT: u16 = 8000;
/// The instance manager's metrics port.
pub(super) const METRICS_PORT: u16 = 9187;
/// Where the operator runs (its Helm chart's default namespace).
pub(super) const OPERATOR_NAMESPACE: &str = "cnpg-system";

/// The capability's analysis hook.
pub fn analyze(ctx: &mut Context<'_>, model: &mut PlatformModel) {
    let spec = ctx.spec;
    for (name, cluster) in crate::capabilities::postgres::spec::declared(spec) {
        if cluster.enabled == Some(false) {
            continue;
        }
        let Some(resolved) = resolve(ctx, model, name, cluster) else {
            continue;
        };
        model.data_services.push(data_service(&resolved));
        model.pod_groups.extend(pod_groups(&resolved));
        crate::capabilities::postgres::model::POSTGRES
            .get_or_default(&mut model.parts)
            .push(resolved);
    }
}

fn resolve(
    ctx: &mut Context<'_>,
    model: &PlatformModel,
    name: &str,
    spec: &PostgresSpec,
) -> Option<PostgresModel> {
    let path = |rest: &[&str]| -> Vec<String> {
        ["postgres", name]
            .iter()
            .chain(rest)
            .map(|s| (*s).to_owned())
            .collect()
    };
    let span_of = |ctx: &Context<'_>, rest: &[&str]| {
        let owned = path(rest);
        let segments: Vec<&str> = owned.iter().map(String::as_str).collect();
        ctx.value(&segments)
    };
    let errors_before = ctx.diagnostics.error_count();
    check_identity(
        ctx,
        &ServiceIdentity {
            section: "postgres",
            what: "PostgreSQL cluster",
            name,
            namespace: &spec.namespace,
            max_name: 50,
        },
    );
    let version = spec.version.as_deref().unwrap_or(DEFAULT_VERSION);
    let version_valid = version.split('.').count() <= 3
        && version
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    if !version_valid {
        let span = span_of(ctx, &["version"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("invalid PostgreSQL version `{version}`"),
            )
            .at(span, "expected a version such as `16.6` or `17`")
            .with_note("it is the tag of ghcr.io/cloudnative-pg/postgresql"),
        );
    }
    let tier = model.tier;
    let instances = spec
        .instances
        .unwrap_or(if tier == Tier::Development { 1 } else { 3 });
    if instances == 0 {
        let span = span_of(ctx, &["instances"]);
        ctx.report(
            Diagnostic::error(Code::InvalidValue, "a cluster needs at least one instance")
                .at(span, "0 instances"),
        );
    }
    let placement = placement_of(ctx, &["postgres", name], spec.scheduling.as_ref());
    let pooler = spec.pooler.as_ref().map(|pooler| PoolerModel {
        instances: pooler.instances.unwrap_or(2),
        mode: match pooler.mode.unwrap_or(PoolMode::Transaction) {
            PoolMode::Session => "session",
            PoolMode::Transaction => "transaction",
        },
    });
    let backup = spec.backup.as_ref().and_then(|backup| {
        let schedule = cron_with_seconds(&backup.schedule);
        if schedule.is_none() {
            let span = span_of(ctx, &["backup", "schedule"]);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("invalid backup schedule `{}`", backup.schedule),
                )
                .at(span, "expected five cron fields")
                .with_help("minute hour day-of-month month day-of-week, in UTC: `0 2 * * *` is daily at 02:00"),
            );
        }
        let retention = backup.retention.clone().unwrap_or_else(|| "30d".to_owned());
        if !is_retention(&retention) {
            let span = span_of(ctx, &["backup", "retention"]);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("invalid backup retention `{retention}`"),
                )
                .at(span, "expected a number of days, weeks or months")
                .with_help("for example `30d`, `4w` or `6m`"),
            );
        }
        let store = object_store(ctx, model, name, "backup", backup.store());
        Some(BackupModel {
            schedule: schedule?,
            retention,
            store: store?,
        })
    });
    let recovery = spec.recovery.as_ref().and_then(|recovery| {
        if let Some(time) = &recovery.target_time
            && !is_rfc3339(time)
        {
            let span = span_of(ctx, &["recovery", "targetTime"]);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("invalid recovery target time `{time}`"),
                )
                .at(span, "expected an RFC 3339 instant")
                .with_help("for example `2026-12-01T09:30:00Z`"),
            );
        }
        let store = object_store(ctx, model, name, "recovery", recovery.store())?;
        Some(RecoveryModel {
            store,
            target_time: recovery.target_time.clone(),
        })
    });
    if let (Some(backup), Some(recovery)) = (&backup, &recovery)
        && backup.store.destination == recovery.store.destination
        && backup.store.endpoint_url == recovery.store.endpoint_url
        && backup.store.server_name == recovery.store.server_name
    {
        // CloudNativePG refuses to archive WAL into a non-empty archive: the
        // restored cluster would fail its first WAL archive and never become
        // ready, and writing there would mix two timelines.
        let span = span_of(ctx, &["backup", "destination"]);
        let recovery_span = span_of(ctx, &["recovery", "destination"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!(
                    "`{name}` would archive its WAL into the archive it recovers from (`{}`, server `{}`)",
                    backup.store.destination, backup.store.server_name
                ),
            )
            .at(span, "the backups go here")
            .with_secondary(recovery_span, "the recovery reads from the same place")
            .with_help(format!(
                "give the backups a new `serverName` (for example `{name}-2`): the recovered cluster starts a new archive"
            )),
        );
    }
    let replica_of = spec.replica_of.as_ref().and_then(|replica| {
        let store = object_store(ctx, model, name, "replicaOf", replica.store())?;
        Some(ReplicaModel {
            store,
            promoted: replica.promote == Some(true),
            origin: span_of(ctx, &["replicaOf", "destination"]),
        })
    });
    if spec.replica_of.is_some() && spec.recovery.is_some() {
        let span = ctx.key(&["postgres", name, "replicaOf"]);
        let recovery_span = ctx.key(&["postgres", name, "recovery"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidPostgresReplica,
                format!("`{name}` is both a replica and a recovery"),
            )
            .at(span, "keeps recovering from its primary's archive")
            .with_secondary(recovery_span, "recovers once, up to a point")
            .with_help(
                "keep `replicaOf` for a cluster following its primary, `recovery` for a restore",
            ),
        );
    }
    if let (Some(backup), Some(replica)) = (&backup, &replica_of)
        && backup.store.destination == replica.store.destination
        && backup.store.endpoint_url == replica.store.endpoint_url
        && backup.store.server_name == replica.store.server_name
    {
        // Once promoted (or as a designated primary archiving its own WAL)
        // the replica would write into its primary's archive.
        let span = span_of(ctx, &["backup", "destination"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidPostgresReplica,
                format!(
                    "`{name}` would archive its WAL into its primary's archive (`{}`, server `{}`)",
                    backup.store.destination, backup.store.server_name
                ),
            )
            .at(span, "the replica's backups go here")
            .with_secondary(replica.origin, "the primary's archive it reads")
            .with_help(format!(
                "give the replica's backups a store of their own, in its region (or another `serverName`, such as `{name}-replica`)"
            )),
        );
    }
    if let Some(class) = &spec.storage.storage_class {
        check_class(ctx, class, &["postgres", name, "storage", "storageClass"]);
    }
    if ctx.diagnostics.error_count() > errors_before {
        return None;
    }
    Some(PostgresModel {
        name: name.to_owned(),
        namespace: spec.namespace.clone(),
        description: spec.description.clone(),
        image: format!("{IMAGE}:{version}"),
        instances,
        storage_size: spec.storage.size.clone(),
        storage_class: spec.storage.storage_class.clone(),
        resources: spec.resources.clone(),
        node_selector: placement.node_selector,
        tolerations: placement.tolerations,
        priority_class: placement.priority_class,
        database: spec.database.clone().unwrap_or_else(|| "app".to_owned()),
        owner: spec.owner.clone().unwrap_or_else(|| "app".to_owned()),
        parameters: spec
            .parameters
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        pooler,
        backup,
        recovery,
        replica_of,
        tls_required: spec
            .tls
            .as_ref()
            .and_then(|tls| tls.clients)
            .is_some_and(|clients| clients == ClientTls::Required),
        origin: ctx.key(&["postgres", name]),
    })
}

/// Checks an object store location and resolves its endpoint.
fn object_store(
    ctx: &mut Context<'_>,
    model: &PlatformModel,
    name: &str,
    section: &str,
    store: ObjectStore<'_>,
) -> Option<ObjectStoreModel> {
    let mut valid = true;
    if !store.destination.starts_with("s3://") || store.destination.len() <= "s3://".len() {
        let span = ctx.value(&["postgres", name, section, "destination"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("invalid object store destination `{}`", store.destination),
            )
            .at(span, "expected `s3://<bucket>/<path>`"),
        );
        valid = false;
    }
    let endpoint_url = match store.endpoint {
        None => None,
        Some(endpoint) => match (&endpoint.service, &endpoint.url) {
            (Some(service), None) => match service_url(ctx, model, service) {
                Some(url) => Some(url),
                None => {
                    let span = ctx.value(&["postgres", name, section, "endpoint", "service"]);
                    ctx.report(
                        Diagnostic::error(
                            Code::UnknownDependency,
                            format!("unknown object store service `{service}`"),
                        )
                        .at(span, "no workload or data service serves it")
                        .with_help_opt(suggestion::did_you_mean(
                            service,
                            ctx.spec.workloads.keys().map(String::as_str),
                        )),
                    );
                    valid = false;
                    None
                }
            },
            (None, Some(url)) if url.starts_with("https://") || url.starts_with("http://") => {
                if let Some(service) = tls_service_at(model, url) {
                    let span = ctx.value(&["postgres", name, section, "endpoint", "url"]);
                    let label = if url.starts_with("http://") {
                        "plain HTTP to a service that answers HTTPS only"
                    } else {
                        "no CA to verify the service's certificate"
                    };
                    ctx.report(
                        Diagnostic::error(
                            Code::TlsEndpointMismatch,
                            format!("the endpoint is data service `{service}`, which serves HTTPS with a certificate of the platform's CA"),
                        )
                        .at(span, label)
                        .with_help(format!("write `endpoint: {{ service: {service} }}`: the cluster gets the `https://` endpoint and the CA (`endpointCA`)")),
                    );
                    valid = false;
                }
                Some(url.clone())
            }
            _ => {
                let span = ctx.value(&["postgres", name, section, "endpoint"]);
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidValue,
                        "an endpoint is either `service` or an `http(s)://` `url`",
                    )
                    .at(span, "one of the two"),
                );
                valid = false;
                None
            }
        },
    };
    valid.then(|| ObjectStoreModel {
        destination: store.destination.to_owned(),
        endpoint_url,
        service: store.endpoint.and_then(|e| e.service.clone()),
        endpoint_ca: store
            .endpoint
            .and_then(|e| e.service.as_deref())
            .and_then(|service| model.data_services.iter().find(|d| d.name == service))
            .and_then(|service| service.trust.as_ref())
            .map(|trust| (trust.secret.clone(), trust.key.clone())),
        secret: store.credentials.secret.clone(),
        access_key_id: store
            .credentials
            .access_key_id
            .clone()
            .unwrap_or_else(|| "ACCESS_KEY_ID".to_owned()),
        secret_access_key: store
            .credentials
            .secret_access_key
            .clone()
            .unwrap_or_else(|| "ACCESS_SECRET_KEY".to_owned()),
        server_name: store.server_name.unwrap_or(name).to_owned(),
    })
}

/// The data service with a certificate of the platform's CA whose in-cluster
/// host `url` names, if any.
fn tls_service_at<'m>(model: &'m PlatformModel, url: &str) -> Option<&'m str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.split('/').next().unwrap_or_default();
    let host = authority
        .rsplit_once(':')
        .map_or(authority, |(host, _)| host);
    let host = host.strip_suffix(".cluster.local").unwrap_or(host);
    model
        .data_services
        .iter()
        .filter(|service| service.trust.is_some())
        .find(|service| {
            service.access.iter().any(|point| {
                point.fields.iter().any(|(field, value)| {
                    *field == "host" && *value == FieldValue::Text(host.to_owned())
                })
            })
        })
        .map(|service| service.name.as_str())
}

/// The in-cluster URL of a workload's first port (or of a data service's
/// default access point: its `endpoint`, or `http://host:port`).
fn service_url(ctx: &Context<'_>, model: &PlatformModel, service: &str) -> Option<String> {
    if let Some(data) = model.data_services.iter().find(|d| d.name == service) {
        let point = data.access.first()?;
        let text = |field: &str| {
            point.fields.iter().find_map(|(name, value)| match value {
                FieldValue::Text(text) if *name == field => Some(text.clone()),
                _ => None,
            })
        };
        if let Some(endpoint) = text("endpoint") {
            return Some(endpoint);
        }
        return Some(format!("http://{}:{}", text("host")?, text("port")?));
    }
    let workload = ctx.spec.workloads.get(service)?;
    let port = workload.ports.values().next()?;
    Some(format!(
        "http://{service}.{}.svc:{}",
        workload.namespace,
        port.service_port.unwrap_or(port.port)
    ))
}

/// A five-field cron expression with a seconds field put first, as
/// CloudNativePG's schedules have six.
fn cron_with_seconds(schedule: &str) -> Option<String> {
    let fields: Vec<&str> = schedule.split_whitespace().collect();
    let field_valid = |field: &&str| {
        field
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'*' | b'/' | b',' | b'-'))
    };
    (fields.len() == 5 && fields.iter().all(field_valid)).then(|| format!("0 {}", fields.join(" ")))
}

/// CloudNativePG's retention policy: a positive number of days, weeks or
/// months.
fn is_retention(text: &str) -> bool {
    let Some(number) = text.strip_suffix(['d', 'w', 'm']) else {
        return false;
    };
    !number.is_empty() && !number.starts_with('0') && number.bytes().all(|b| b.is_ascii_digit())
}

/// `YYYY-MM-DDTHH:MM:SS` with an optional fraction and a `Z` or `±HH:MM`
/// offset: the form PostgreSQL's `recovery_target_time` reads unambiguously.
fn is_rfc3339(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        bytes
            .get(range)
            .is_some_and(|part| part.iter().all(u8::is_ascii_digit))
    };
    if bytes.len() < 20
        || !digits(0..4)
        || bytes[4] != b'-'
        || !digits(5..7)
        || bytes[7] != b'-'
        || !digits(8..10)
        || bytes[10] != b'T'
        || !digits(11..13)
        || bytes[13] != b':'
        || !digits(14..16)
        || bytes[16] != b':'
        || !digits(17..19)
    {
        return false;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let end = fraction
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(fraction.len());
        if end == 0 {
            return false;
        }
        rest = &fraction[end..];
    }
    rest == "Z"
        || (rest.len() == 6
            && matches!(rest.as_bytes()[0], b'+' | b'-')
            && rest.as_bytes()[3] == b':'
            && rest[1..3].bytes().all(|b| b.is_ascii_digit())
            && rest[4..6].bytes().all(|b| b.is_ascii_digit()))
}

/// How workloads connect: to the primary, to the replicas, or through
/// PgBouncer; credentials always from the Secret CloudNativePG generates.
fn data_service(cluster: &PostgresModel) -> DataServiceModel {
    let point = |mode: &'static str, group: String, host: String| {
        let host = format!("{host}.{}.svc", cluster.namespace);
        AccessPoint {
            mode,
            group,
            fields: vec![
                ("host", FieldValue::Text(host.clone())),
                ("port", FieldValue::Text(PORT.to_string())),
                ("database", FieldValue::Text(cluster.database.clone())),
                (
                    "username",
                    FieldValue::Secret {
                        name: cluster.app_secret(),
                        namespace: cluster.namespace.clone(),
                        key: "username".to_owned(),
                    },
                ),
                (
                    "password",
                    FieldValue::Secret {
                        name: cluster.app_secret(),
                        namespace: cluster.namespace.clone(),
                        key: "password".to_owned(),
                    },
                ),
                ("sslmode", FieldValue::Text(cluster.sslmode().to_owned())),
                (
                    "uri",
                    FieldValue::Template(format!(
                        "postgresql://$(username):$(password)@{host}:{PORT}/{}{}",
                        cluster.database,
                        if cluster.tls_required {
                            "?sslmode=require"
                        } else {
                            ""
                        }
                    )),
                ),
            ],
        }
    };
    let mut access = vec![
        point("readWrite", cluster.name.clone(), cluster.rw_service()),
        point("readOnly", cluster.name.clone(), cluster.ro_service()),
    ];
    if cluster.pooler.is_some() {
        access.push(point(
            "pooled",
            cluster.pooler_name(),
            cluster.pooler_name(),
        ));
    }
    DataServiceModel {
        name: cluster.name.clone(),
        namespace: cluster.namespace.clone(),
        engine: "PostgreSQL",
        access,
        storage_classes: cluster.storage_class.iter().cloned().collect(),
        trust: None,
        origin: cluster.origin,
    }
}

/// The instance manager's exporter on the instances (not the poolers, which
/// carry the cluster label too): the PodMonitor CloudNativePG documents in
/// place of its deprecated `enablePodMonitor`, on the container port it
/// names `metrics`.
fn metrics_endpoint(cluster: &PostgresModel) -> MetricsEndpoint {
    MetricsEndpoint {
        selector: BTreeMap::from([
            ("cnpg.io/cluster".to_owned(), cluster.name.clone()),
            ("cnpg.io/podRole".to_owned(), "instance".to_owned()),
        ]),
        port: "metrics".to_owned(),
        path: "/metrics".to_owned(),
    }
}

/// The instances (replicating to each other, managed by the operator,
/// archiving to the object store) and the poolers.
fn pod_groups(cluster: &PostgresModel) -> Vec<PodGroupModel> {
    let mut uses: Vec<(String, Vec<u16>)> = Vec::new();
    let mut egress: Vec<EgressModel> = Vec::new();
    let stores = [
        cluster.backup.as_ref().map(|b| &b.store),
        cluster.recovery.as_ref().map(|r| &r.store),
        cluster.replica_of.as_ref().map(|r| &r.store),
    ];
    for store in stores.into_iter().flatten() {
        match &store.service {
            Some(service) => {
                if !uses.iter().any(|(name, _)| name == service) {
                    uses.push((service.clone(), Vec::new()));
                }
            }
            None => {
                let port = store.endpoint_url.as_deref().map_or(443, url_port);
                if !egress.iter().any(|e| e.ports == [PortRange::single(port)]) {
                    egress.push(EgressModel {
                        name: "internet".to_owned(),
                        destination: EgressDestination::Addresses(internet_blocks()),
                        ports: vec![PortRange::single(port)],
                        protocol: Protocol::Tcp,
                    });
                }
            }
        }
    }
    let mut groups = vec![PodGroupModel {
        name: cluster.name.clone(),
        namespace: cluster.namespace.clone(),
        pod_labels: BTreeMap::from([("cnpg.io/cluster".to_owned(), cluster.name.clone())]),
        ports: vec![(PORT, Protocol::Tcp)],
        peer_ports: vec![PORT, STATUS_PORT],
        api_server: true,
        operator: Some((OPERATOR_NAMESPACE.to_owned(), vec![STATUS_PORT, PORT])),
        uses,
        egress,
        metrics_port: Some(METRICS_PORT),
        metrics_endpoint: Some(metrics_endpoint(cluster)),
        origin: cluster.origin,
    }];
    if cluster.pooler.is_some() {
        groups.push(PodGroupModel {
            name: cluster.pooler_name(),
            namespace: cluster.namespace.clone(),
            pod_labels: BTreeMap::from([("cnpg.io/poolerName".to_owned(), cluster.pooler_name())]),
            ports: vec![(PORT, Protocol::Tcp)],
            peer_ports: Vec::new(),
            api_server: true,
            operator: None,
            uses: vec![(cluster.name.clone(), vec![PORT])],
            egress: Vec::new(),
            metrics_port: None,
            metrics_endpoint: None,
            origin: cluster.origin,
        });
    }
    groups
}

/// The port of an `http(s)://host[:port]/…` URL.
fn url_port(url: &str) -> u16 {
    let (default, rest) = match url.strip_prefix("https://") {
        Some(rest) => (443, rest),
        None => (80, url.trim_start_matches("http://")),
    };
    let authority = rest.split('/').next().unwrap_or_default();
    authority
        .rsplit_once(':')
        .and_then(|(_, port)| port.parse().ok())
        .unwrap_or(default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_gain_a_seconds_field() {
        assert_eq!(
            cron_with_seconds("0 2 * * *").as_deref(),
            Some("0 0 2 * * *")
        );
        assert_eq!(
            cron_with_seconds("*/15 1-5 * * 1,3").as_deref(),
            Some("0 */15 1-5 * * 1,3")
        );
        assert_eq!(cron_with_seconds("0 0 2 * * *"), None);
        assert_eq!(cron_with_seconds("@daily"), None);
    }

    #[test]
    fn retention_and_instants() {
        for valid in ["30d", "4w", "6m", "365d"] {
            assert!(is_retention(valid), "{valid}");
        }
        for invalid in ["30", "0d", "30y", "d", "-1d", "030d"] {
            assert!(!is_retention(invalid), "{invalid}");
        }
        for valid in [
            "2026-12-01T09:30:00Z",
            "2026-12-01T09:30:00.123Z",
            "2026-12-01T09:30:00+01:00",
        ] {
            assert!(is_rfc3339(valid), "{valid}");
        }
        for invalid in [
            "2026-12-01",
            "2026-12-01 09:30:00Z",
            "2026-12-01T09:30:00",
            "yesterday",
        ] {
            assert!(!is_rfc3339(invalid), "{invalid}");
        }
    }

    #[test]
    fn url_ports() {
        assert_eq!(url_port("https://s3.amazonaws.com"), 443);
        assert_eq!(url_port("http://minio.data.svc:9000/"), 9000);
        assert_eq!(url_port("http://minio"), 80);
    }
}
