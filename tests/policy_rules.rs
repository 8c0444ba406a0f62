//! Each policy rule of `platformgen check`, through the real binary: a small
//! platform that passes it and one that fails it, asserting the exact rule,
//! severity and place (read from `--format json`).
//!
//! Rules that guard objects the spec cannot produce today (missing resources
//! or probes, an autoscaler or budget range the analyzer already rejects, a
//! dependency without ports) fail only in their unit tests, on edited objects
//! (src/policy/<rule>.rs); here their passing side is covered by the clean base.

use serde_json::Value;

use crate::support::cli::Platform;

/// Clean in every tier: images pinned by digest, two or more replicas, budgets, TLS,
/// default-deny network policies, restricted namespaces.
pub(crate) const BASE: &str = "\
platform:
  name: shop
  kubernetesVersion: \"1.33\"
ingress:
  controllerNamespace: ingress-nginx
  tls: { issuer: letsencryptProduction, email: ops@example.com }
namespaces:
  shop: {}
workloads:
  web:
    namespace: shop
    image: ghcr.io/acme/web:1.2.3@sha256:c92de34f87c86424f9adce64d50d88dd2bfc47bd463a17761839f32e9d02768e
    ports:
      http: { port: 8080 }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
    replicas: 2
    uses: [db]
    expose: { host: shop }
  db:
    kind: StatefulSet
    namespace: shop
    image: ghcr.io/acme/store:16.4@sha256:96d71e7844cd87255fe8cd99e2f2fa95579cde47435ef6d970b3339093b661b2
    ports:
      postgres: { port: 5432 }
    resources:
      requests: { cpu: 250m, memory: 256Mi }
      limits: { cpu: 500m, memory: 512Mi }
    replicas: 3
    storage: { size: 5Gi, mountPath: /var/lib/postgresql/data }
";

/// The web workload's image in BASE, pinned by digest.
pub(crate) const WEB_IMAGE: &str = "ghcr.io/acme/web:1.2.3@sha256:c92de34f87c86424f9adce64d50d88dd2bfc47bd463a17761839f32e9d02768e";

/// BASE with `from` replaced by `to` (which must occur).
#[track_caller]
pub(crate) fn base_with(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "fixture text `{from}` not found");
    BASE.replacen(from, to, 1)
}

/// The platform `base` with dev, staging and prod overlays, `overlay` added
/// to each.
pub(crate) fn platform(base: &str, overlay: &str) -> Platform {
    Platform::with(
        base,
        &[
            ("dev", &format!("domain: dev.example.com\n{overlay}")),
            (
                "staging",
                &format!("domain: staging.example.com\n{overlay}"),
            ),
            ("prod", &format!("domain: example.com\n{overlay}")),
        ],
    )
}

/// `CODE severity file:line:col` of everything `check ENV` reports, waived
/// findings excepted.
#[track_caller]
fn reported(platform: &Platform, environment: &str) -> Vec<String> {
    let run = platform.run(&["check", environment, "--format", "json"]);
    assert!(
        [0, 1].contains(&run.code),
        "the platform compiles:\n{}",
        run.report(platform.path())
    );
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON report");
    report["environments"][environment]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let place = &d["location"];
            format!(
                "{} {} {}:{}:{}",
                d["code"].as_str().unwrap_or_default(),
                d["severity"].as_str().unwrap_or_default(),
                place["file"].as_str().unwrap_or_default(),
                place["line"],
                place["column"]
            )
        })
        .collect()
}

/// Checks each of `(environment, expected)` of the platform.
#[track_caller]
fn case(base: &str, overlay: &str, expected: &[(&str, &[&str])]) {
    let platform = platform(base, overlay);
    for (environment, lines) in expected {
        assert_eq!(reported(&platform, environment), *lines, "in {environment}");
    }
}

#[test]
fn the_base_passes_every_rule_in_every_tier() {
    case(BASE, "", &[("dev", &[]), ("staging", &[]), ("prod", &[])]);
}

/// The database's image line in BASE.
const DB_IMAGE: &str = "image: ghcr.io/acme/store:16.4@sha256:96d71e7844cd87255fe8cd99e2f2fa95579cde47435ef6d970b3339093b661b2";

#[test]
fn unpinned_image() {
    case(
        &base_with(DB_IMAGE, "image: ghcr.io/acme/store"),
        "",
        &[
            ("dev", &["PG4001 warning platform.yaml:24:12"]),
            (
                "prod",
                &[
                    "PG4001 error platform.yaml:24:12",
                    "PG4014 error platform.yaml:24:12",
                ],
            ),
        ],
    );
    case(
        &base_with(DB_IMAGE, "image: ghcr.io/acme/store:latest"),
        "",
        &[(
            "staging",
            &[
                "PG4001 error platform.yaml:24:12",
                "PG4014 warning platform.yaml:24:12",
            ],
        )],
    );
}

#[test]
fn image_without_digest() {
    case(
        &base_with(DB_IMAGE, "image: ghcr.io/acme/store:16.4"),
        "",
        &[
            ("dev", &[]),
            ("staging", &["PG4014 warning platform.yaml:24:12"]),
            ("prod", &["PG4014 error platform.yaml:24:12"]),
        ],
    );
}

#[test]
fn weak_security_context() {
    case(
        &base_with(
            "    replicas: 3\n",
            "    replicas: 3\n    security: { readOnlyRootFilesystem: false }\n",
        ),
        "",
        &[
            ("dev", &["PG4004 warning platform.yaml:31:41"]),
            ("prod", &["PG4004 error platform.yaml:31:41"]),
        ],
    );
}

#[test]
fn single_replica() {
    case(
        &base_with("    replicas: 3\n", "    replicas: 1\n"),
        "",
        &[
            ("dev", &[]),
            ("staging", &["PG4005 warning platform.yaml:30:15"]),
            ("prod", &["PG4005 error platform.yaml:30:15"]),
        ],
    );
}

#[test]
fn missing_disruption_budget() {
    case(
        &base_with(
            "    replicas: 2\n",
            "    replicas: 2\n    disruptionBudget: { enabled: false }\n",
        ),
        "",
        &[
            ("dev", &[]),
            ("staging", &["PG4006 warning platform.yaml:19:34"]),
            ("prod", &["PG4006 error platform.yaml:19:34"]),
        ],
    );
}

#[test]
fn public_host_without_tls() {
    case(
        &base_with(
            "  tls: { issuer: letsencryptProduction, email: ops@example.com }\n",
            "",
        ),
        "",
        &[
            ("dev", &["PG4007 warning platform.yaml:19:21"]),
            ("prod", &["PG4007 error platform.yaml:19:21"]),
        ],
    );
}

#[test]
fn plaintext_secret() {
    // Plain secrets are for development only (the analyzer rejects them
    // elsewhere, PG3015), where the rule is off unless turned on.
    let base = base_with(
        "    replicas: 2\n",
        "    replicas: 2\n    secrets:\n      api-key: { plain: { key: not-a-real-secret }, env: { API_KEY: key } }\n",
    );
    let platform = platform(&base, "");
    assert_eq!(reported(&platform, "dev"), Vec::<String>::new());
    platform.write(
        "environments/dev.yaml",
        "domain: dev.example.com\npolicy:\n  rules:\n    plaintext-secret: error\n",
    );
    assert_eq!(
        reported(&platform, "dev"),
        ["PG4008 error platform.yaml:10:3"]
    );
}

#[test]
fn missing_default_deny() {
    case(
        BASE,
        "network: { policies: false }\n",
        &[
            ("dev", &["PG4009 warning platform.yaml:8:3"]),
            ("prod", &["PG4009 error platform.yaml:8:3"]),
        ],
    );
}

#[test]
fn namespace_not_restricted() {
    case(
        &base_with("  shop: {}", "  shop: { podSecurity: baseline }"),
        "",
        &[
            ("dev", &[]),
            ("staging", &["PG4013 warning platform.yaml:8:24"]),
            ("prod", &["PG4013 warning platform.yaml:8:24"]),
        ],
    );
}

#[test]
fn gateway_routes_behind_https_listeners_pass_public_host_without_tls() {
    // The Gateway API fixture: HTTPS listeners per host, and an HTTP listener
    // that only redirects.
    let fixture = crate::support::cli::repository().join("tests/fixtures/ingress");
    let run = crate::support::cli::run(&fixture, &["check", "gateway", "--format", "json"]);
    let report: Value = serde_json::from_str(&run.stdout).expect("JSON report");
    let codes: Vec<&str> = report["environments"]["gateway"]["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(!codes.contains(&"PG4007"), "{codes:?}");
    let stream = crate::support::cli::run(&fixture, &["render", "gateway"]).stdout;
    assert!(stream.contains("kind: HTTPRoute") && stream.contains("protocol: HTTP\n"));
}

#[test]
fn mounted_service_account_token() {
    let base = format!(
        "{}network: {{ apiServer: {{ cidrs: [10.0.0.0/28] }} }}\n",
        base_with(
            "    uses: [db]\n",
            "    uses: [db]\n    serviceAccount:\n      rules:\n        - { apiGroups: [\"\"], resources: [pods], verbs: [get] }\n",
        )
    );
    case(
        &base,
        "",
        &[
            ("dev", &[]),
            ("staging", &["PG4015 warning platform.yaml:20:5"]),
            ("prod", &["PG4015 warning platform.yaml:20:5"]),
        ],
    );
    let waived = format!(
        "{base}policy:\n  waivers:\n    - rule: mounted-service-account-token\n      workload: web\n      reason: lists its own pods\n"
    );
    case(&waived, "", &[("staging", &[]), ("prod", &[])]);
}
