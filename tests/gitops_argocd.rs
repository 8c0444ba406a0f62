//! ArgoCD's objects (`gitops.argocd`, `platformgen argocd`) and the cluster
//! add-ons (`platformgen addons`): the AppProject allows exactly what the
//! render holds, the Applications point at the render's directories with
//! the sync policy of their tier, every object is valid against its CRD, and
//! the mistakes are reported at their spec line.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::support::cli::{MINIMAL_BASE, MINIMAL_PROD, Platform, repository, run};
use crate::support::{external, python, rejection, snapshot_settings};

fn argocd(dir: &std::path::Path, args: &[&str]) -> Vec<Value> {
    let mut command = vec!["argocd"];
    command.extend_from_slice(args);
    python::documents(&run(dir, &command).success().stdout)
}

fn find<'a>(objects: &'a [Value], kind: &str, name: &str) -> &'a Value {
    objects
        .iter()
        .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name}"))
}

fn group_of(api_version: &str) -> String {
    api_version
        .rsplit_once('/')
        .map(|(group, _)| group.to_owned())
        .unwrap_or_default()
}

#[test]
fn the_projects_whitelists_are_exactly_what_the_render_holds() {
    for environment in ["dev", "staging", "prod"] {
        let render = python::documents(
            &run(&repository(), &["render", environment])
                .success()
                .stdout,
        );
        let mut namespaces = BTreeSet::new();
        let mut cluster_kinds = BTreeSet::new();
        let mut namespaced_kinds = BTreeSet::new();
        for object in &render {
            let pair = (
                group_of(object["apiVersion"].as_str().expect("apiVersion")),
                object["kind"].as_str().expect("kind").to_owned(),
            );
            match object["metadata"]["namespace"].as_str() {
                Some(namespace) => {
                    namespaces.insert(namespace.to_owned());
                    namespaced_kinds.insert(pair);
                }
                None => {
                    if object["kind"] == "Namespace" {
                        namespaces.insert(
                            object["metadata"]["name"]
                                .as_str()
                                .expect("name")
                                .to_owned(),
                        );
                    }
                    cluster_kinds.insert(pair);
                }
            }
        }
        let objects = argocd(&repository(), &[environment]);
        let project = find(
            &objects,
            "AppProject",
            &format!("health-platform-{environment}"),
        );
        let spec = &project["spec"];
        let allowed = |list: &Value| -> BTreeSet<(String, String)> {
            list.as_array()
                .expect("a whitelist")
                .iter()
                .map(|entry| {
                    (
                        entry["group"].as_str().expect("group").to_owned(),
                        entry["kind"].as_str().expect("kind").to_owned(),
                    )
                })
                .collect()
        };
        assert_eq!(
            allowed(&spec["clusterResourceWhitelist"]),
            cluster_kinds,
            "{environment}"
        );
        assert_eq!(
            allowed(&spec["namespaceResourceWhitelist"]),
            namespaced_kinds,
            "{environment}"
        );
        let destinations: BTreeSet<String> = spec["destinations"]
            .as_array()
            .expect("destinations")
            .iter()
            .map(|d| {
                assert_eq!(d["name"], environment, "the environment's cluster");
                d["namespace"].as_str().expect("a namespace").to_owned()
            })
            .collect();
        assert_eq!(destinations, namespaces, "{environment}");
        assert!(destinations.contains("health-platform-data"));
        assert!(!destinations.contains("argocd"));
        assert_eq!(
            spec["sourceRepos"],
            json!(["https://github.com/acme/health-platform.git"])
        );
    }
}

#[test]
fn each_environment_syncs_its_render_with_its_tiers_policy() {
    let objects = argocd(&repository(), &["--all"]);
    for (environment, automated) in [
        ("dev", Some(json!({ "prune": true, "selfHeal": true }))),
        ("staging", Some(json!({ "prune": true, "selfHeal": true }))),
        ("prod", None),
    ] {
        let name = format!("health-platform-{environment}");
        let application = find(&objects, "Application", &name);
        assert_eq!(application["metadata"]["namespace"], "argocd");
        assert_eq!(
            application["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"],
            "1"
        );
        let spec = &application["spec"];
        assert_eq!(spec["project"], name.as_str());
        assert_eq!(
            spec["source"],
            json!({
                "repoURL": "https://github.com/acme/health-platform.git",
                "targetRevision": "main",
                "path": format!("deploy/{environment}"),
            })
        );
        assert_eq!(spec["destination"]["name"], environment);
        assert_eq!(
            spec["syncPolicy"].get("automated").cloned(),
            automated,
            "{environment}"
        );
        assert_eq!(
            spec["syncPolicy"]["syncOptions"],
            json!(["ServerSideApply=true", "PruneLast=true"])
        );
        assert_eq!(spec["syncPolicy"]["retry"]["limit"], 5);
    }
}

#[test]
fn production_prunes_only_when_asked() {
    let platform = Platform::with(
        &format!(
            "{MINIMAL_BASE}gitops:\n  argocd: {{ repoURL: \"git@github.com:acme/shop.git\" }}\n"
        ),
        &[(
            "prod",
            &format!("{MINIMAL_PROD}gitops:\n  argocd:\n    sync: {{ automated: true }}\n"),
        )],
    );
    let objects = python::documents(&platform.run(&["argocd", "prod"]).success().stdout);
    let application = find(&objects, "Application", "shop-prod");
    assert_eq!(
        application["spec"]["syncPolicy"]["automated"],
        json!({ "prune": false, "selfHeal": true })
    );
    assert_eq!(
        application["spec"]["destination"],
        json!({ "server": "https://kubernetes.default.svc", "namespace": "shop" })
    );
}

#[test]
fn the_add_ons_are_those_the_render_needs() {
    let listing = run(&repository(), &["addons", "prod"]).success().stdout;
    let names: Vec<&str> = listing
        .lines()
        .skip(1)
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert_eq!(
        names,
        [
            // Loki's log agent, installed with it.
            "alloy",
            // The health API's canary in prod: a Rollout and its analysis.
            "argo-rollouts",
            "cert-manager",
            "cloudnative-pg",
            "external-secrets",
            // The controller of the Ingresses (`ingress.controller: nginx`).
            "ingress-nginx",
            "keda",
            // Asked for in `charts`: nothing in the render needs it.
            "loki",
            "minio-operator",
            // The prober of the uptime Probes, which name its Service.
            "prometheus-blackbox-exporter",
            "prometheus-operator",
            "rabbitmq-cluster-operator",
            "redis-operator",
            "sealed-secrets",
            "velero",
        ]
    );
    assert!(
        listing.contains("https://charts.jetstack.io cert-manager"),
        "{listing}"
    );
    // Development runs without Velero (its render holds no Schedule) and
    // rolls the health API out without a canary.
    let dev = run(&repository(), &["addons", "dev"]).success().stdout;
    assert!(!dev.contains("velero"), "{dev}");
    assert!(!dev.contains("argo-rollouts"), "{dev}");

    let objects = argocd(&repository(), &["prod"]);
    let cert_manager = find(&objects, "Application", "cert-manager-prod");
    assert_eq!(
        cert_manager["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"], "0",
        "before the platform's Application"
    );
    assert_eq!(
        cert_manager["spec"]["source"],
        json!({
            "repoURL": "https://charts.jetstack.io",
            "chart": "cert-manager",
            "targetRevision": "v1.16.2",
            "helm": { "releaseName": "cert-manager", "valuesObject": { "crds": { "enabled": true } } },
        })
    );
    assert_eq!(cert_manager["spec"]["project"], "addons-prod");
    assert_eq!(
        cert_manager["spec"]["syncPolicy"]["automated"],
        json!({ "prune": false, "selfHeal": true }),
        "an add-on is never pruned: its CRDs hold the platform's objects"
    );
    let applications: Vec<&str> = objects
        .iter()
        .filter(|o| o["kind"] == "Application")
        .map(|o| o["metadata"]["name"].as_str().expect("a name"))
        .collect();
    assert!(
        applications.contains(&"argo-rollouts-prod"),
        "{applications:?}"
    );
    assert!(
        !applications.contains(&"mongodb-community-operator-prod"),
        "{applications:?}"
    );
}

#[test]
fn a_chart_can_be_overridden_and_add_ons_turned_off() {
    let base = format!(
        "{MINIMAL_BASE}gitops:\n  argocd:\n    repoURL: https://git.example.com/shop.git\n    addons:\n      charts:\n        cert-manager:\n          version: v1.17.1\n          values: {{ crds: {{ keep: true }}, replicaCount: 2 }}\n"
    );
    let platform = Platform::with(&base, &[("prod", MINIMAL_PROD)]);
    let objects = python::documents(&platform.run(&["argocd", "prod"]).success().stdout);
    let cert_manager = find(&objects, "Application", "cert-manager-in-cluster");
    assert_eq!(cert_manager["spec"]["source"]["targetRevision"], "v1.17.1");
    assert_eq!(
        cert_manager["spec"]["source"]["helm"]["valuesObject"],
        json!({ "crds": { "enabled": true, "keep": true }, "replicaCount": 2 })
    );

    let off = Platform::with(
        &format!(
            "{MINIMAL_BASE}gitops:\n  argocd: {{ repoURL: https://git.example.com/shop.git, addons: {{ enabled: false }} }}\n"
        ),
        &[("prod", MINIMAL_PROD)],
    );
    let objects = python::documents(&off.run(&["argocd", "prod"]).success().stdout);
    let kinds: Vec<&str> = objects
        .iter()
        .map(|o| o["metadata"]["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(
        kinds,
        ["shop-prod", "shop-prod"],
        "the project and the application only"
    );
}

#[test]
fn an_add_on_is_installed_where_the_spec_says_it_runs() {
    let base = format!(
        "{MINIMAL_BASE}gitops:\n  argocd: {{ repoURL: https://git.example.com/shop.git }}\nbackups:\n  velero:\n    namespace: backups\n    schedules:\n      nightly: {{ schedule: \"0 2 * * *\", namespaces: [shop] }}\n"
    );
    let platform = Platform::with(&base, &[("prod", MINIMAL_PROD)]);
    let objects = python::documents(&platform.run(&["argocd", "prod"]).success().stdout);
    let velero = find(&objects, "Application", "velero-in-cluster");
    assert_eq!(velero["spec"]["destination"]["namespace"], "backups");
    let listing = platform.run(&["addons", "prod"]).success().stdout;
    let line = listing
        .lines()
        .find(|line| line.starts_with("velero "))
        .expect("velero is listed");
    assert!(line.contains(" backups "), "{line}");
}

/// The shop platform with Loki asked for, its namespace moved, and the
/// Ingresses served through ingress-nginx in `edge` under the class `public`.
fn with_loki() -> Platform {
    let base = MINIMAL_BASE.replace(
        "ingress: { controllerNamespace: ingress-nginx }",
        "ingress: { controller: nginx, className: public, controllerNamespace: edge }",
    );
    let base = format!(
        "{base}gitops:\n  argocd:\n    repoURL: https://git.example.com/shop.git\n    addons:\n      charts:\n        loki: {{ namespace: logs }}\n"
    );
    let prod = MINIMAL_PROD.replace("className: nginx, ", "");
    Platform::with(&base, &[("prod", &prod)])
}

/// Loki is installed when `charts` names it, nothing in the render needing
/// it, and Alloy with it, shipping to wherever Loki runs; the ingress
/// controller is installed where the policies admit it from, serving the
/// class the Ingresses name.
#[test]
fn loki_and_its_log_agent_are_installed_on_request() {
    let platform = with_loki();
    let listing = platform.run(&["addons", "prod"]).success().stdout;
    snapshot_settings().bind(|| insta::assert_snapshot!("addons_with_loki", listing));

    let objects = python::documents(&platform.run(&["argocd", "prod"]).success().stdout);
    let loki = find(&objects, "Application", "loki-in-cluster");
    assert_eq!(loki["spec"]["destination"]["namespace"], "logs");
    let source = &loki["spec"]["source"];
    assert_eq!(
        (
            &source["repoURL"],
            &source["chart"],
            &source["targetRevision"]
        ),
        (
            &json!("https://grafana.github.io/helm-charts"),
            &json!("loki"),
            &json!("6.22.0")
        )
    );
    let values = &source["helm"]["valuesObject"];
    assert_eq!(values["deploymentMode"], "SingleBinary");
    assert_eq!(values["loki"]["commonConfig"]["replication_factor"], 1);
    assert_eq!(values["loki"]["auth_enabled"], false);

    let alloy = find(&objects, "Application", "alloy-in-cluster");
    assert_eq!(alloy["spec"]["source"]["chart"], "alloy");
    let config = alloy["spec"]["source"]["helm"]["valuesObject"]["alloy"]["configMap"]["content"]
        .as_str()
        .expect("a configuration");
    assert!(
        config.contains("url = \"http://loki-gateway.logs.svc.cluster.local/loki/api/v1/push\""),
        "Alloy ships to Loki's namespace:\n{config}"
    );
    assert!(config.contains("loki.source.kubernetes"), "{config}");

    let nginx = find(&objects, "Application", "ingress-nginx-in-cluster");
    assert_eq!(nginx["spec"]["destination"]["namespace"], "edge");
    assert_eq!(
        nginx["spec"]["source"]["helm"]["valuesObject"],
        json!({ "controller": { "ingressClassResource": { "name": "public" } } })
    );
    let project = find(&objects, "AppProject", "addons-in-cluster");
    let repositories = project["spec"]["sourceRepos"].as_array().expect("a list");
    assert!(
        repositories.contains(&json!("https://grafana.github.io/helm-charts")),
        "{repositories:?}"
    );

    // Without the request, neither is installed; naming Alloy alone
    // installs nothing either: it ships to the Loki it comes with.
    let base = format!(
        "{MINIMAL_BASE}gitops:\n  argocd:\n    repoURL: https://git.example.com/shop.git\n    addons:\n      charts:\n        alloy: {{ version: 0.10.1 }}\n"
    );
    let plain = Platform::with(&base, &[("prod", MINIMAL_PROD)]);
    let listing = plain.run(&["addons", "prod"]).success().stdout;
    assert!(!listing.contains("loki"), "{listing}");
    assert!(!listing.contains("alloy"), "{listing}");
}

/// Each data service's operator is installed in the namespace its network
/// policies admit the operator from: an operator elsewhere could not reach
/// the servers it manages.
#[test]
fn the_operators_run_where_the_network_policies_admit_them() {
    let listing = run(&repository(), &["addons", "prod"]).success().stdout;
    let namespace_of = |addon: &str| {
        listing
            .lines()
            .find(|line| line.split_whitespace().next() == Some(addon))
            .and_then(|line| line.split_whitespace().nth(4))
            .unwrap_or_else(|| panic!("{addon} is listed:\n{listing}"))
            .to_owned()
    };
    let render = run(&repository(), &["render", "prod", "-o", "json"])
        .success()
        .stdout;
    let render: Value = serde_json::from_str(&render).expect("JSON");
    let mut admitted = BTreeSet::new();
    for policy in render["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|o| o["kind"] == "NetworkPolicy")
    {
        for rule in policy["spec"]["ingress"].as_array().into_iter().flatten() {
            for peer in rule["from"].as_array().into_iter().flatten() {
                if let Some(name) =
                    peer["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"].as_str()
                {
                    admitted.insert(name.to_owned());
                }
            }
        }
    }
    for addon in [
        "cloudnative-pg",
        "redis-operator",
        "minio-operator",
        "rabbitmq-cluster-operator",
    ] {
        let namespace = namespace_of(addon);
        assert!(
            admitted.contains(&namespace),
            "{addon} runs in {namespace}, which no NetworkPolicy admits: {admitted:?}"
        );
    }
}

/// The blackbox exporter is installed where the Probes' address says, when
/// that address is the chart's Service; another prober is left alone.
#[test]
fn the_blackbox_exporter_is_installed_where_the_probes_look_for_it() {
    let listing = |url: &str| {
        let base = format!(
            "{MINIMAL_BASE}monitoring:\n  namespace: observability\n  blackboxExporter: {{ url: \"{url}\", module: http_2xx }}\n"
        );
        Platform::with(&base, &[("prod", MINIMAL_PROD)])
            .run(&["addons", "prod"])
            .success()
            .stdout
    };
    let chart = listing("http://prometheus-blackbox-exporter.probes.svc:9115");
    let line = chart
        .lines()
        .find(|line| line.starts_with("prometheus-blackbox-exporter "))
        .unwrap_or_else(|| panic!("the exporter is installed:\n{chart}"));
    assert!(line.contains(" probes "), "{line}");
    assert!(line.ends_with(" Probe"), "{line}");
    let other = listing("http://uptime.probes.svc:9115");
    assert!(!other.contains("blackbox"), "{other}");
}

/// An add-on the registry does not know is still refused, the log agents
/// Alloy replaced included.
#[test]
fn an_unknown_log_agent_is_refused() {
    let base = format!(
        "{MINIMAL_BASE}gitops:\n  argocd: {{ repoURL: https://git.example.com/shop.git }}\n"
    );
    let overlay = format!(
        "{MINIMAL_PROD}gitops:\n  argocd:\n    addons:\n      charts:\n        promtail: {{}}\n"
    );
    let report = rejection::rejected(&Platform::with(&base, &[("prod", &overlay)]), "prod");
    assert!(report.contains("PG3103"), "{report}");
    assert!(report.contains("unknown add-on `promtail`"), "{report}");
}

#[test]
fn every_argocd_object_is_strictly_valid() {
    let out = tempfile::tempdir().expect("tempdir");
    run(
        &repository(),
        &[
            "argocd",
            "--all",
            "--out",
            out.path().to_str().expect("a UTF-8 path"),
        ],
    )
    .success();
    external::validate_manifests(&[out.path()]);
    let problems = external::built_in_validation(&[out.path()]);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_argocd_objects_of_the_example() {
    let stream = run(&repository(), &["argocd", "--all"]).success().stdout;
    snapshot_settings().bind(|| insta::assert_snapshot!("argocd_all", stream));
}

#[test]
fn without_a_gitops_section_there_is_nothing_to_render() {
    let platform = Platform::with(MINIMAL_BASE, &[("prod", MINIMAL_PROD)]);
    let run = platform.run(&["argocd", "prod"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("has no `gitops.argocd` section"),
        "{}",
        run.stderr
    );
    // The add-ons are listed all the same.
    let listing = platform.run(&["addons", "prod"]).success().stdout;
    assert!(listing.starts_with("ADD-ON"), "{listing}");
    assert!(listing.contains("cert-manager"), "{listing}");
}

#[test]
fn mistakes_are_reported_where_they_were_made() {
    let base = format!(
        "{MINIMAL_BASE}gitops:\n  argocd: {{ repoURL: https://git.example.com/shop.git }}\n"
    );
    let cases = [
        (
            "argocd_no_repository",
            "gitops:\n  argocd: { repoURL: null }\n",
        ),
        (
            "argocd_bad_repository",
            "gitops:\n  argocd: { repoURL: github.com/acme/shop }\n",
        ),
        (
            "argocd_bad_path",
            "gitops:\n  argocd: { path: ../deploy }\n",
        ),
        (
            "argocd_two_destinations",
            "gitops:\n  argocd:\n    destination: { name: prod, server: https://10.0.0.1:6443 }\n",
        ),
        (
            "argocd_in_a_platform_namespace",
            "gitops:\n  argocd: { namespace: shop }\n",
        ),
        (
            "argocd_prune_without_automation",
            "gitops:\n  argocd:\n    sync: { prune: true }\n",
        ),
        (
            "argocd_bad_retry",
            "gitops:\n  argocd:\n    retry: { duration: 10 seconds, maxDuration: 5s, factor: 0 }\n",
        ),
        (
            "argocd_unknown_addon",
            "gitops:\n  argocd:\n    addons:\n      charts:\n        cert-manger: { version: v1.17.1 }\n",
        ),
        (
            "argocd_unpinned_chart",
            "gitops:\n  argocd:\n    addons:\n      charts:\n        cert-manager: { version: \"^1.16\" }\n",
        ),
    ];
    for (name, overlay) in cases {
        let report = rejection::rejected(
            &Platform::with(&base, &[("prod", &format!("{MINIMAL_PROD}{overlay}"))]),
            "prod",
        );
        snapshot_settings().bind(|| insta::assert_snapshot!(name, report));
    }
}
