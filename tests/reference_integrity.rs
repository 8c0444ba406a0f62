//! `check` resolves the selectors, route backends, scale targets and class
//! and issuer names of the render, each problem a diagnostic at the spec
//! entry of the object that holds it (docs/validation.md): a Service that
//! selects no pod or names a target port its pods lack (PG5004), a route
//! backend that is no Service port (PG5005), an autoscaler whose target is
//! not rendered (PG5006), a disruption budget or monitor that selects no pod
//! (PG5007), a network policy that isolates no pod (PG5008, a warning), and
//! a priority class, storage class or ClusterIssuer nothing provides
//! (PG5002). The spec's own sections write only references that resolve, so
//! each failing case breaks one with a patch, the way a user's change to a
//! rendered object gets one wrong; the passing cases are the same platform
//! unpatched or with the name declared.

use crate::support::cli::{MINIMAL_BASE, MINIMAL_PROD, Platform};
use crate::support::rejection::minimal_base_with;
use crate::support::snapshot_settings;

/// MINIMAL_BASE with `web` autoscaled (so the render has an autoscaler), and
/// `patches` in the prod overlay.
fn patched(patches: &str) -> Platform {
    let autoscaled = MINIMAL_PROD.replace(
        "web: { replicas: 3 }",
        "web: { autoscaling: { min: 3, max: 5, cpu: 70 } }",
    );
    let prod = if patches.is_empty() {
        autoscaled
    } else {
        format!("{autoscaled}patches:\n{patches}")
    };
    Platform::with(MINIMAL_BASE, &[("prod", &prod)])
}

/// One patch of `kind` `shop/name` with one JSON-patch operation.
fn patch(kind: &str, name: &str, operation: &str) -> String {
    format!(
        "  broken-{}:
    target: {{ kind: {kind}, namespace: shop, name: {name} }}
    reason: testing
    json:
      - {operation}
",
        kind.to_ascii_lowercase()
    )
}

/// The integrity diagnostics of `check prod`'s text report (the policy
/// findings of the minimal platform left out), asserted to exit with `code`.
#[track_caller]
fn check(platform: &Platform, code: i32) -> String {
    let run = platform.run(&["check", "prod", "--color", "never"]);
    assert_eq!(run.code, code, "{}", run.report(platform.path()));
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run.stderr
        .split("\n\n")
        .filter(|block| block.contains("[PG50"))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The findings of codes PG5002 and PG5004-PG5008 in `check prod --format
/// json`.
#[track_caller]
fn integrity_findings(platform: &Platform) -> Vec<String> {
    findings(
        platform,
        &["PG5002", "PG5004", "PG5005", "PG5006", "PG5007", "PG5008"],
    )
}

/// The findings of `codes` in `check prod --format json`, as `code message`.
#[track_caller]
fn findings(platform: &Platform, codes: &[&str]) -> Vec<String> {
    let run = platform.run(&["check", "prod", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|_| panic!("JSON report: {}", run.report(platform.path())));
    json["environments"]["prod"]["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|d| codes.contains(&d["code"].as_str().unwrap_or_default()))
        .map(|d| {
            format!(
                "{} {}",
                d["code"].as_str().unwrap_or_default(),
                d["message"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn the_unpatched_platform_resolves_every_reference() {
    let platform = patched("");
    assert_eq!(integrity_findings(&platform), Vec::<String>::new());
    // The minimal platform breaks policy rules (exit 1), not the render's
    // integrity (exit 2).
    assert_eq!(check(&platform, 1), "");
}

#[test]
fn a_service_that_selects_no_pod_is_an_error_at_its_workload() {
    let platform = patched(&patch(
        "Service",
        "web",
        "{ op: replace, path: /spec/selector/app.kubernetes.io~1name, value: wbe }",
    ));
    let report = check(&platform, 2);
    assert!(
        report.contains(
            "error[PG5004]: Service `shop/web` selects no pod of namespace `shop` (selector `app.kubernetes.io/instance=shop,app.kubernetes.io/name=wbe`)"
        ),
        "{report}"
    );
    assert!(report.contains("--> platform.yaml:7:3"), "{report}");
    assert!(report.contains("patches `broken-service`"), "{report}");
    snapshot_settings().bind(|| insta::assert_snapshot!("service_selects_no_pod", report));
}

#[test]
fn a_named_target_port_the_pods_lack_is_an_error() {
    let platform = patched(&patch(
        "Service",
        "db",
        "{ op: replace, path: /spec/ports/0/targetPort, value: postgress }",
    ));
    let report = check(&platform, 2);
    assert!(
        report.contains(
            "error[PG5004]: Service `shop/db` sends `spec.ports[0]` to target port `postgress`, which the pods of StatefulSet `shop/db` do not declare"
        ),
        "{report}"
    );
    snapshot_settings().bind(|| insta::assert_snapshot!("service_target_port_missing", report));
    // A numeric target port is the container's business: it is not checked.
    let platform = patched(&patch(
        "Service",
        "db",
        "{ op: replace, path: /spec/ports/0/targetPort, value: 5432 }",
    ));
    assert_eq!(integrity_findings(&platform), Vec::<String>::new());
}

#[test]
fn an_ingress_backend_that_is_no_service_port_is_an_error() {
    let platform = patched(&patch(
        "Ingress",
        "web",
        "{ op: replace, path: /spec/rules/0/http/paths/0/backend/service/port, value: { number: 8081 } }",
    ));
    let report = check(&platform, 2);
    assert!(
        report.contains(
            "error[PG5005]: Ingress `shop/web` sends `spec.rules[0].http.paths[0].backend` to port 8081 of Service `shop/web`, which exposes 8080 (http)"
        ),
        "{report}"
    );
    snapshot_settings().bind(|| insta::assert_snapshot!("ingress_backend_wrong_port", report));
    let platform = patched(&patch(
        "Ingress",
        "web",
        "{ op: replace, path: /spec/rules/0/http/paths/0/backend/service/name, value: api }",
    ));
    let findings = integrity_findings(&platform);
    assert_eq!(
        findings,
        [
            "PG5005 Ingress `shop/web` sends `spec.rules[0].http.paths[0].backend` to Service `shop/api`, which is not rendered"
        ]
    );
    // By name, a port the Service has.
    let platform = patched(&patch(
        "Ingress",
        "web",
        "{ op: replace, path: /spec/rules/0/http/paths/0/backend/service/port, value: { name: http } }",
    ));
    assert_eq!(integrity_findings(&platform), Vec::<String>::new());
}

#[test]
fn an_http_route_backend_that_is_no_service_port_is_an_error() {
    let gateway = |patches: &str| {
        Platform::with(
            MINIMAL_BASE,
            &[(
                "prod",
                &format!(
                    "domain: example.com
ingress:
  mode: gateway
  controllerNamespace: envoy-gateway-system
  gateway: {{ className: eg, namespace: shop }}
  tls: {{ issuer: selfSigned }}
workloads:
  web: {{ replicas: 3 }}
{patches}"
                ),
            )],
        )
    };
    assert_eq!(integrity_findings(&gateway("")), Vec::<String>::new());
    let platform = gateway(&format!(
        "patches:\n{}",
        patch(
            "HTTPRoute",
            "web",
            "{ op: replace, path: /spec/rules/0/backendRefs/0/port, value: 9090 }"
        )
    ));
    let report = check(&platform, 2);
    assert!(
        report.contains("error[PG5005]: HTTPRoute `shop/web` sends `spec.rules[0].backendRefs[0]` to port 9090 of Service `shop/web`, which exposes 8080 (http)"),
        "{report}"
    );
}

#[test]
fn an_autoscaler_of_an_object_not_rendered_is_an_error() {
    let platform = patched(&patch(
        "HorizontalPodAutoscaler",
        "web",
        "{ op: replace, path: /spec/scaleTargetRef/name, value: webb }",
    ));
    let report = check(&platform, 2);
    assert!(
        report.contains(
            "error[PG5006]: HorizontalPodAutoscaler `shop/web` scales Deployment `shop/webb`, which is not rendered"
        ),
        "{report}"
    );
    snapshot_settings().bind(|| insta::assert_snapshot!("autoscaler_target_missing", report));
    // A kind without replicas.
    let platform = patched(&patch(
        "HorizontalPodAutoscaler",
        "web",
        "{ op: replace, path: /spec/scaleTargetRef, value: { apiVersion: v1, kind: Service, name: web } }",
    ));
    assert_eq!(
        integrity_findings(&platform),
        [
            "PG5006 HorizontalPodAutoscaler `shop/web` scales Service `shop/web`, but `Service` is not a kind with replicas to scale"
        ]
    );
}

#[test]
fn a_disruption_budget_that_selects_no_pod_is_an_error() {
    let platform = patched(&patch(
        "PodDisruptionBudget",
        "web",
        "{ op: replace, path: /spec/selector/matchLabels/app.kubernetes.io~1name, value: wbe }",
    ));
    let report = check(&platform, 2);
    assert!(
        report.contains(
            "error[PG5007]: PodDisruptionBudget `shop/web` selects no pod of namespace `shop` at `spec.selector`"
        ),
        "{report}"
    );
    snapshot_settings()
        .bind(|| insta::assert_snapshot!("disruption_budget_selects_no_pod", report));
    // An expression that the pods satisfy.
    let platform = patched(&patch(
        "PodDisruptionBudget",
        "web",
        "{ op: add, path: /spec/selector/matchExpressions, value: [{ key: app.kubernetes.io/name, operator: In, values: [web, api] }] }",
    ));
    assert_eq!(integrity_findings(&platform), Vec::<String>::new());
}

#[test]
fn a_network_policy_that_selects_no_pod_is_a_warning() {
    let platform = patched(&patch(
        "NetworkPolicy",
        "web",
        "{ op: replace, path: /spec/podSelector/matchLabels/app.kubernetes.io~1name, value: wbe }",
    ));
    let report = check(&platform, 1);
    assert!(
        report.contains(
            "warning[PG5008]: NetworkPolicy `shop/web` selects no pod of namespace `shop` at `spec.podSelector`"
        ),
        "{report}"
    );
    snapshot_settings().bind(|| insta::assert_snapshot!("network_policy_selects_no_pod", report));
}

#[test]
fn classes_and_issuers_nothing_provides_are_dangling_references() {
    let platform = patched(&format!(
        "{}{}{}",
        patch(
            "Deployment",
            "web",
            "{ op: add, path: /spec/template/spec/priorityClassName, value: critical }"
        ),
        patch(
            "StatefulSet",
            "db",
            "{ op: add, path: /spec/volumeClaimTemplates/0/spec/storageClassName, value: fast }"
        ),
        patch(
            "Ingress",
            "web",
            "{ op: replace, path: /metadata/annotations/cert-manager.io~1cluster-issuer, value: corp-ca }"
        ),
    ));
    let report = check(&platform, 2);
    for expected in [
        "error[PG5002]: Deployment `shop/web` refers to PriorityClass `critical` at `spec.template.spec.priorityClassName`, which nothing creates",
        "error[PG5002]: StatefulSet `shop/db` refers to StorageClass `fast` at `spec.volumeClaimTemplates[0].spec.storageClassName`, which nothing creates",
        "error[PG5002]: Ingress `shop/web` refers to ClusterIssuer `corp-ca` at `metadata.annotations.cert-manager.io/cluster-issuer`, which nothing creates",
    ] {
        assert!(report.contains(expected), "{expected}\n{report}");
    }
    snapshot_settings().bind(|| insta::assert_snapshot!("classes_and_issuer_not_provided", report));
}

#[test]
fn classes_and_issuers_the_spec_declares_resolve() {
    // Declared: an existing storage class, a priority class, an existing
    // issuer; and the system priority classes always exist.
    let platform = Platform::with(
        &(minimal_base_with(
            "    storage: { size: 5Gi, mountPath: /var/lib/postgresql/data }\n",
            "    storage: { size: 5Gi, mountPath: /var/lib/postgresql/data, storageClass: fast }\n    scheduling: { priorityClass: system-cluster-critical }\n",
        ) + "storageClasses:\n  fast: { existing: true }\n"),
        &[(
            "prod",
            &MINIMAL_PROD.replace(
                "issuer: letsencryptProduction, email: ops@example.com",
                "issuer: { existing: corp-ca }",
            ),
        )],
    );
    let render = platform.run(&["render", "prod"]).success().stdout;
    assert!(render.contains("storageClassName: fast\n"), "{render}");
    assert!(
        render.contains("cert-manager.io/cluster-issuer: corp-ca\n"),
        "{render}"
    );
    assert!(
        render.contains("priorityClassName: system-cluster-critical\n"),
        "{render}"
    );
    assert_eq!(integrity_findings(&platform), Vec::<String>::new());
}

/// Every engine's data service in namespace `data`, each volume of class
/// `fast` (declared as the cluster's), and `patches` in the prod overlay.
fn data_services(base_class: &str, patches: &str) -> Platform {
    let base = format!(
        "platform: {{ name: shop, kubernetesVersion: \"1.33\" }}
namespaces: {{ data: {{}} }}
storageClasses:
  fast: {{ existing: true }}
postgres:
  db:
    namespace: data
    storage: {{ size: 10Gi, storageClass: {base_class} }}
    resources:
      requests: {{ cpu: 500m, memory: 512Mi }}
      limits: {{ cpu: \"1\", memory: 1Gi }}
    database: shop
    owner: shop
redis:
  cache:
    namespace: data
    storage: {{ size: 1Gi, storageClass: fast }}
    resources:
      requests: {{ cpu: 100m, memory: 128Mi }}
      limits: {{ cpu: 250m, memory: 256Mi }}
    password: {{ secret: cache-auth }}
rabbitmq:
  events:
    namespace: data
    storage: {{ size: 20Gi, storageClass: fast }}
    resources:
      requests: {{ cpu: 500m, memory: 1Gi }}
      limits: {{ cpu: \"1\", memory: 1Gi }}
mongodb:
  catalog:
    namespace: data
    storage: {{ size: 10Gi, storageClass: fast }}
    resources:
      requests: {{ cpu: 500m, memory: 1Gi }}
      limits: {{ cpu: \"1\", memory: 1Gi }}
    users:
      - {{ name: app, roles: [{{ name: readWrite, db: app }}], passwordSecret: catalog-app }}
minio:
  objects:
    namespace: data
    pools:
      pool-0: {{ storage: {{ size: 100Gi, storageClass: fast }} }}
    resources:
      requests: {{ cpu: 500m, memory: 1Gi }}
      limits: {{ cpu: \"1\", memory: 2Gi }}
    rootCredentials: {{ secret: objects-root }}
"
    );
    let prod = if patches.is_empty() {
        "{}\n".to_owned()
    } else {
        format!("patches:\n{patches}")
    };
    Platform::with(&base, &[("prod", &prod)])
}

/// One patch of `kind` `data/name` with one JSON-patch operation.
fn data_patch(kind: &str, name: &str, operation: &str) -> String {
    patch(kind, name, operation).replace("namespace: shop", "namespace: data")
}

#[test]
fn data_service_volume_classes_nothing_provides_are_dangling_references() {
    let clean = data_services("fast", "");
    assert_eq!(integrity_findings(&clean), Vec::<String>::new());
    let render = clean.run(&["render", "prod"]).success().stdout;
    assert_eq!(
        render.matches("storageClass: fast\n").count(),
        1,
        "{render}"
    );
    assert_eq!(
        render.matches("storageClassName: fast\n").count(),
        4,
        "{render}"
    );
    // Each class field the kind registry lists for a data-service kind,
    // broken by a patch, is reported at the spec entry of its service.
    let platform = data_services(
        "fast",
        &[
            data_patch(
                "Cluster",
                "db",
                "{ op: add, path: /spec/walStorage, value: { size: 5Gi, storageClass: slow } }",
            ),
            data_patch(
                "RedisReplication",
                "cache",
                "{ op: replace, path: /spec/storage/volumeClaimTemplate/spec/storageClassName, value: slow }",
            ),
            data_patch(
                "RabbitmqCluster",
                "events",
                "{ op: replace, path: /spec/persistence/storageClassName, value: slow }",
            ),
            data_patch(
                "MongoDBCommunity",
                "catalog",
                "{ op: replace, path: /spec/statefulSet/spec/volumeClaimTemplates/0/spec/storageClassName, value: slow }",
            ),
            data_patch(
                "Tenant",
                "objects",
                "{ op: replace, path: /spec/pools/0/volumeClaimTemplate/spec/storageClassName, value: slow }",
            ),
        ]
        .concat(),
    );
    assert_eq!(
        integrity_findings(&platform),
        [
            "PG5002 Cluster `data/db` refers to StorageClass `slow` at `spec.walStorage.storageClass`, which nothing creates",
            "PG5002 RedisReplication `data/cache` refers to StorageClass `slow` at `spec.storage.volumeClaimTemplate.spec.storageClassName`, which nothing creates",
            "PG5002 RabbitmqCluster `data/events` refers to StorageClass `slow` at `spec.persistence.storageClassName`, which nothing creates",
            "PG5002 MongoDBCommunity `data/catalog` refers to StorageClass `slow` at `spec.statefulSet.spec.volumeClaimTemplates[0].spec.storageClassName`, which nothing creates",
            "PG5002 Tenant `data/objects` refers to StorageClass `slow` at `spec.pools[0].volumeClaimTemplate.spec.storageClassName`, which nothing creates",
        ]
    );
    let report = check(&platform, 2);
    snapshot_settings().bind(|| insta::assert_snapshot!("data_service_class_not_provided", report));
}

#[test]
fn a_data_service_class_the_spec_names_but_nobody_declares_is_a_warning_at_its_line() {
    // As for a workload's volume: the cluster may have the class, so
    // analysis warns at the line (PG3019) and the render-level rule does
    // not report it again.
    let platform = data_services("fsat", "");
    let run = platform.run(&["check", "prod", "--color", "never"]);
    assert!(
        run.stderr
            .contains("warning[PG3019]: storage class `fsat` is neither generated nor declared"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> platform.yaml:8:42"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `fast`?"),
        "{}",
        run.stderr
    );
    assert_eq!(integrity_findings(&platform), Vec::<String>::new());
}

/// Objects that reach the data services' operator pods by port name: a
/// Service, PodMonitors, a ServiceMonitor and NetworkPolicies, with the
/// names `names` gives (in order: the Service's target port, the
/// CloudNativePG PodMonitor's port, the Redis PodMonitor's port, the
/// ServiceMonitor's port, the RabbitMQ and MinIO policies' ports).
fn port_template(names: [&str; 6]) -> String {
    let [target, pg_metrics, redis_metrics, service_port, amqp, minio] = names;
    format!(
        "apiVersion: v1
kind: Service
metadata: {{ name: db-metrics, namespace: data, labels: {{ app: db-metrics }} }}
spec:
  selector: {{ cnpg.io/cluster: db, cnpg.io/podRole: instance }}
  ports: [{{ name: metrics, port: 9187, targetPort: {target} }}]
---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {{ name: db, namespace: data }}
spec:
  selector: {{ matchLabels: {{ cnpg.io/cluster: db }} }}
  podMetricsEndpoints: [{{ port: {pg_metrics} }}]
---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata: {{ name: cache, namespace: data }}
spec:
  selector: {{ matchLabels: {{ app: cache }} }}
  podMetricsEndpoints: [{{ port: {redis_metrics} }}]
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {{ name: db-metrics, namespace: data }}
spec:
  selector: {{ matchLabels: {{ app: db-metrics }} }}
  endpoints: [{{ port: {service_port} }}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{ name: events-amqp, namespace: data }}
spec:
  podSelector: {{ matchLabels: {{ app.kubernetes.io/name: events }} }}
  policyTypes: [Ingress]
  ingress: [{{ ports: [{{ port: {amqp} }}] }}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{ name: objects-s3, namespace: data }}
spec:
  podSelector: {{ matchLabels: {{ v1.min.io/tenant: objects }} }}
  policyTypes: [Ingress]
  ingress: [{{ ports: [{{ port: {minio} }}] }}]
"
    )
}

#[test]
fn ports_named_on_operator_pods_must_be_ports_the_operator_declares() {
    // The names the operators give their pods' ports: CloudNativePG's
    // `metrics` (and `postgresql`, `status`), RabbitMQ's `amqp`; by number
    // where the operator names none (MinIO) or the port is off (the Redis
    // exporter).
    let platform = data_services("fast", "");
    platform.write(
        "templates/ports.yaml",
        &port_template(["metrics", "metrics", "9121", "metrics", "amqp", "9000"]),
    );
    assert_eq!(
        findings(&platform, &["PG5004", "PG5009"]),
        Vec::<String>::new()
    );
    let platform = data_services("fast", "");
    platform.write(
        "templates/ports.yaml",
        &port_template([
            "postgres",
            "metric",
            "redis-exporter",
            "http",
            "amqp",
            "http-minio",
        ]),
    );
    assert_eq!(
        findings(&platform, &["PG5004", "PG5009"]),
        [
            "PG5004 Service `data/db-metrics` sends `spec.ports[0]` to target port `postgres`, which the pods of Cluster `data/db` do not declare",
            "PG5009 PodMonitor `data/db` names port `metric` at `spec.podMetricsEndpoints[0].port`, which the pods of Cluster `data/db` do not declare (named ports: `metrics`, `postgresql`, `status`)",
            "PG5009 PodMonitor `data/cache` names port `redis-exporter` at `spec.podMetricsEndpoints[0].port`, which the pods of RedisReplication `data/cache` do not declare (named ports: none)",
            "PG5009 ServiceMonitor `data/db-metrics` names port `http` at `spec.endpoints[0].port`, which Service `data/db-metrics` does not declare (named ports: `metrics`)",
            "PG5009 NetworkPolicy `data/objects-s3` names port `http-minio` at `spec.ingress[0].ports[0].port`, which the pods of Tenant `data/objects` do not declare (named ports: none)",
        ]
    );
    let run = platform.run(&["check", "prod", "--color", "never"]);
    let report = run
        .stderr
        .split("\n\n")
        .filter(|block| block.contains("[PG5009]"))
        .collect::<Vec<_>>()
        .join("\n\n");
    snapshot_settings().bind(|| insta::assert_snapshot!("operator_pod_port_names", report));
}

/// A render of hundreds of network policies matches them against the pods
/// on a second thread (`validate::references`): what it finds is the same.
#[test]
fn a_large_render_finds_a_selection_of_no_pod_as_a_small_one_does() {
    let extra: String = (0..300)
        .map(|index| {
            format!(
                "  extra-{index}:
    namespace: shop
    image: ghcr.io/acme/extra:1.0.0
    ports: {{ http: {{ port: 8080 }} }}
    resources: {{ requests: {{ cpu: 10m, memory: 16Mi }}, limits: {{ cpu: 10m, memory: 16Mi }} }}
"
            )
        })
        .collect();
    let base = MINIMAL_BASE.replacen("workloads:\n", &format!("workloads:\n{extra}"), 1);
    let prod = format!(
        "{MINIMAL_PROD}patches:\n{}",
        patch(
            "NetworkPolicy",
            "web",
            "{ op: replace, path: /spec/podSelector/matchLabels/app.kubernetes.io~1name, value: wbe }",
        )
    );
    let platform = Platform::with(&base, &[("prod", &prod)]);
    assert_eq!(
        integrity_findings(&platform),
        vec![
            "PG5008 NetworkPolicy `shop/web` selects no pod of namespace `shop` at `spec.podSelector` (selector `app.kubernetes.io/instance=shop,app.kubernetes.io/name=wbe`)"
        ]
    );
}
