//! The seed platforms written as examples (`examples/digital-prescription`,
//! seed 000; `examples/dr-assistant`, seed 004): every environment renders to
//! its reviewed snapshot and passes `check` without a warning, and the prod
//! renders hold what the seeds ask for (replica counts, sizes, GPUs,
//! strategies), read from the objects, not from the spec.

use serde_json::Value;

use crate::support::cli::run;
use crate::support::examples::example_dir;
use crate::support::python;

fn render(example: &str, environment: &str) -> Vec<Value> {
    python::documents(
        &run(&example_dir(example), &["render", environment])
            .success()
            .stdout,
    )
}

#[track_caller]
fn object<'a>(objects: &'a [Value], kind: &str, namespace: &str, name: &str) -> &'a Value {
    objects
        .iter()
        .find(|o| {
            o["kind"] == kind
                && o["metadata"]["name"] == name
                && o["metadata"]["namespace"].as_str().unwrap_or_default() == namespace
        })
        .unwrap_or_else(|| panic!("no {kind} {namespace}/{name}"))
}

fn container(workload: &Value) -> &Value {
    &workload["spec"]["template"]["spec"]["containers"][0]
}

#[track_caller]
fn assert_resources(workload: &Value, requests: (&str, &str), limits: (&str, &str)) {
    let resources = &container(workload)["resources"];
    let name = &workload["metadata"]["name"];
    assert_eq!(resources["requests"]["cpu"], requests.0, "{name}");
    assert_eq!(resources["requests"]["memory"], requests.1, "{name}");
    assert_eq!(resources["limits"]["cpu"], limits.0, "{name}");
    assert_eq!(resources["limits"]["memory"], limits.1, "{name}");
}

/// Seed 000, "Architecture" and "Production Sizing": three replicas of each
/// service at 500m/512Mi requested and 1 CPU/1Gi limits; ACA-Py a
/// StatefulSet of three at 500m/1Gi and 1 CPU/2Gi; PostgreSQL two instances
/// at the same sizes, with PgBouncer, backups and point-in-time recovery.
#[test]
fn digital_prescription_prod_has_the_seeds_sizes_and_replicas() {
    let prod = render("digital-prescription", "prod");
    for service in [
        "auth-service",
        "prescription-service",
        "verification-service",
    ] {
        let deployment = object(&prod, "Deployment", "rx-services", service);
        assert_resources(deployment, ("500m", "512Mi"), ("1000m", "1Gi"));
        let hpa = object(&prod, "HorizontalPodAutoscaler", "rx-services", service);
        assert_eq!(hpa["spec"]["minReplicas"], 3, "{service}");
        object(&prod, "PodDisruptionBudget", "rx-services", service);
    }

    let acapy = object(&prod, "StatefulSet", "rx-agents", "acapy");
    assert_eq!(acapy["spec"]["replicas"], 3);
    assert_resources(acapy, ("500m", "1Gi"), ("1000m", "2Gi"));
    let args = container(acapy)["args"].as_array().expect("args");
    for flag in ["--multitenant", "--wallet-storage-type", "postgres_storage"] {
        assert!(args.iter().any(|a| a == flag), "ACA-Py runs with {flag}");
    }
    let env = container(acapy)["env"].as_array().expect("env");
    let value = |name: &str| {
        env.iter()
            .find(|v| v["name"] == name)
            .unwrap_or_else(|| panic!("ACA-Py has no {name}"))
            .clone()
    };
    assert_eq!(value("WALLET_DB_HOST")["value"], "wallet-db-rw.rx-data.svc");
    assert_eq!(
        value("ACAPY_WEBHOOK_URL")["value"],
        "http://prescription-service.rx-services.svc:8080/webhooks/acapy"
    );
    assert_eq!(
        value("ACAPY_WALLET_KEY")["valueFrom"]["secretKeyRef"]["name"],
        "acapy-acapy"
    );
    // The wallet database's variables come before the JSON that expands them.
    let position = |name: &str| env.iter().position(|v| v["name"] == name);
    assert!(position("WALLET_DB_PASSWORD") < position("ACAPY_WALLET_STORAGE_CREDS"));
    assert_eq!(
        acapy["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]["storage"],
        "5Gi"
    );

    for cluster in ["postgres", "wallet-db"] {
        let postgres = object(&prod, "Cluster", "rx-data", cluster);
        assert_eq!(postgres["spec"]["instances"], 2, "{cluster}");
        assert_eq!(postgres["spec"]["resources"]["limits"]["cpu"], "1000m");
        assert_eq!(postgres["spec"]["resources"]["limits"]["memory"], "2Gi");
        assert!(
            postgres["spec"]["backup"]["barmanObjectStore"]["wal"].is_object(),
            "{cluster}: WAL archiving, for point-in-time recovery"
        );
        object(&prod, "ScheduledBackup", "rx-data", cluster);
    }
    object(&prod, "Pooler", "rx-data", "postgres-pooler-rw");
    // "Redis (cluster)", `bitnami/redis-cluster`: sharded over three
    // primaries, each with a replica.
    let redis = &object(&prod, "RedisCluster", "rx-data", "redis")["spec"];
    assert_eq!(redis["clusterSize"], 3);
    assert_eq!(redis["redisFollower"]["replicas"], 3);
    assert_eq!(
        object(&prod, "Tenant", "rx-data", "minio")["spec"]["pools"][0]["servers"],
        4
    );
    // The Secrets the operators read exist.
    for secret in [
        "redis-auth",
        "minio-root",
        "minio-prescription-service",
        "postgres-backup-s3",
    ] {
        object(&prod, "ExternalSecret", "rx-data", secret);
    }
}

/// The ports the agent's NetworkPolicy opens to addresses outside the cluster.
fn agent_internet_ports(environment: &str) -> Vec<u64> {
    let objects = render("digital-prescription", environment);
    let policy = object(&objects, "NetworkPolicy", "rx-agents", "acapy");
    let mut ports: Vec<u64> = policy["spec"]["egress"]
        .as_array()
        .expect("egress")
        .iter()
        .filter(|rule| rule["to"][0]["ipBlock"].is_object())
        .flat_map(|rule| rule["ports"].as_array().cloned().unwrap_or_default())
        .filter_map(|port| {
            let first = port["port"].as_u64()?;
            Some(first..=port["endPort"].as_u64().unwrap_or(first))
        })
        .flatten()
        .collect();
    ports.sort_unstable();
    ports.dedup();
    ports
}

/// Seed 000, "Ledger connection (indy-node)": in production the agent
/// reaches a validator on any client port an Indy network assigns
/// (9700-9799) and the genesis file over HTTPS; before production, the test
/// ledger's validators and its genesis file over plain HTTP.
#[test]
fn digital_prescription_agent_reaches_its_ledger() {
    let mut production: Vec<u64> = vec![443];
    production.extend(9700..=9799);
    assert_eq!(agent_internet_ports("prod"), production);
    let mut test_ledger: Vec<u64> = vec![80, 443];
    test_ledger.extend(9701..=9708);
    for environment in ["dev", "staging"] {
        assert_eq!(
            agent_internet_ports(environment),
            test_ledger,
            "{environment}"
        );
    }
}

/// Seed 000, "Networking": TLS from Let's Encrypt, CORS, a rate limit and
/// WebSockets at the ingress.
#[test]
fn digital_prescription_ingress_has_tls_cors_rate_limits_and_websockets() {
    let prod = render("digital-prescription", "prod");
    let ingress = object(&prod, "Ingress", "rx-gateway", "api-gateway");
    let annotations = &ingress["metadata"]["annotations"];
    assert_eq!(
        annotations["cert-manager.io/cluster-issuer"],
        "digital-prescription-letsencrypt-prod"
    );
    assert_eq!(
        annotations["nginx.ingress.kubernetes.io/enable-cors"],
        "true"
    );
    assert_eq!(
        annotations["nginx.ingress.kubernetes.io/cors-allow-origin"],
        "https://app.digital-prescription.example.com"
    );
    assert_eq!(annotations["nginx.ingress.kubernetes.io/limit-rps"], "20");
    assert_eq!(
        annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"],
        "3600"
    );
    assert_eq!(
        ingress["spec"]["tls"][0]["hosts"][0],
        "api.digital-prescription.example.com"
    );
}

/// Seed 004, "Component Deployment": the AI services on GPUs (a GPU each,
/// on the GPU nodes, replaced without a surge pod), the API gateway at 1-2
/// cores and 1-2GB, the databases at 4-8GB with 100GB and more.
#[test]
fn dr_assistant_production_runs_the_ai_services_on_gpus() {
    let production = render("dr-assistant", "production");
    for service in ["voice-transcription", "model-server"] {
        let deployment = object(&production, "Deployment", "dr-ai", service);
        let resources = &container(deployment)["resources"];
        assert_eq!(resources["limits"]["nvidia.com/gpu"], "1", "{service}");
        assert_eq!(resources["limits"]["cpu"], "4000m", "{service}");
        let pod = &deployment["spec"]["template"]["spec"];
        assert_eq!(pod["nodeSelector"]["eks.amazonaws.com/nodegroup"], "gpu");
        assert!(
            pod["tolerations"]
                .as_array()
                .expect("tolerations")
                .iter()
                .any(|t| t["key"] == "nvidia.com/gpu"),
            "{service} tolerates the GPU taint"
        );
        assert_eq!(
            deployment["spec"]["strategy"]["rollingUpdate"]["maxSurge"],
            0
        );
    }
    assert_resources(
        object(&production, "Rollout", "dr-backend", "api-gateway"),
        ("1000m", "1Gi"),
        ("2000m", "2Gi"),
    );
    for service in [
        "patient-service",
        "encounter-service",
        "integration-service",
    ] {
        assert_resources(
            object(&production, "Deployment", "dr-backend", service),
            ("500m", "512Mi"),
            ("1000m", "1Gi"),
        );
        object(
            &production,
            "HorizontalPodAutoscaler",
            "dr-backend",
            service,
        );
    }

    let postgres = object(&production, "Cluster", "dr-data", "postgres");
    assert_eq!(postgres["spec"]["instances"], 3);
    assert_eq!(postgres["spec"]["storage"]["size"], "200Gi");
    assert_eq!(postgres["spec"]["resources"]["limits"]["memory"], "8Gi");
    let mongodb = object(&production, "MongoDBCommunity", "dr-data", "mongodb");
    assert_eq!(mongodb["spec"]["members"], 3);
    let redis = object(&production, "RedisReplication", "dr-data", "redis");
    assert_eq!(redis["spec"]["clusterSize"], 3);
}

/// Seed 004, "Database Migration" and "Backup and Restore": the migrations
/// run before the services roll, MongoDB is dumped every night.
#[test]
fn dr_assistant_migrates_before_rolling_and_backs_up_every_night() {
    let production = render("dr-assistant", "production");
    let jobs: Vec<&Value> = production.iter().filter(|o| o["kind"] == "Job").collect();
    for migration in ["db-migrate", "data-migration"] {
        let job = jobs
            .iter()
            .find(|j| {
                j["metadata"]["name"]
                    .as_str()
                    .is_some_and(|n| n.starts_with(&format!("{migration}-")))
            })
            .unwrap_or_else(|| panic!("no Job {migration}"));
        assert_eq!(
            job["metadata"]["annotations"]["argocd.argoproj.io/hook"], "Sync",
            "{migration} runs before the services roll"
        );
    }
    let backup = object(&production, "CronJob", "dr-data", "mongodb-backup");
    assert_eq!(backup["spec"]["schedule"], "0 3 * * *");
    assert_eq!(backup["spec"]["concurrencyPolicy"], "Forbid");
    object(&production, "ScheduledBackup", "dr-data", "postgres");
}

/// Seed 004, "Deployment Environments": development is not exposed at all;
/// integration admits the VPN only, staging the VPN and demo networks (its
/// blue/green preview the VPN only); production is public.
#[test]
fn dr_assistant_exposure_follows_each_environments_access() {
    let source_ranges = |environment: &str| -> Vec<(String, Option<String>)> {
        render("dr-assistant", environment)
            .into_iter()
            .filter(|o| o["kind"] == "Ingress")
            .map(|ingress| {
                let annotations = &ingress["metadata"]["annotations"];
                (
                    ingress["metadata"]["name"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned(),
                    annotations["nginx.ingress.kubernetes.io/whitelist-source-range"]
                        .as_str()
                        .map(str::to_owned),
                )
            })
            .collect()
    };
    let expect = |pairs: &[(&str, Option<&str>)]| -> Vec<(String, Option<String>)> {
        pairs
            .iter()
            .map(|(name, range)| ((*name).to_owned(), range.map(str::to_owned)))
            .collect()
    };
    assert!(source_ranges("development").is_empty());
    let vpn = Some("10.8.0.0/16");
    let demos = Some("10.8.0.0/16,203.0.113.0/24");
    let mut integration = source_ranges("integration");
    integration.sort();
    assert_eq!(
        integration,
        expect(&[("api-gateway", vpn), ("mobile-api", vpn), ("web-app", vpn)])
    );
    let mut staging = source_ranges("staging");
    staging.sort();
    assert_eq!(
        staging,
        expect(&[
            ("api-gateway", demos),
            ("api-gateway-preview", vpn),
            ("mobile-api", demos),
            ("web-app", demos),
        ])
    );
    let mut production = source_ranges("production");
    production.sort();
    assert_eq!(
        production,
        expect(&[
            ("api-gateway", None),
            ("mobile-api", None),
            ("web-app", None)
        ])
    );
}

/// Seed 000, "CI/CD Integration: Canary deployments, Rollback capability";
/// seed 004, "Deployment Strategies": the gateways roll out through Argo
/// Rollouts, the traffic split by the ingress controller and each step
/// analysed (a failed analysis aborts, back to the stable version); seed
/// 004's staging switches blue/green behind a preview host; development
/// replaces pods in place.
#[test]
fn the_gateways_roll_out_progressively_and_roll_back_on_failure() {
    // Dr. Assistant's quarter is its seed's "one canary replica" beside
    // three, and the first step of its gradual rollback (75-25).
    for (example, environment, namespace, first_weight) in [
        ("digital-prescription", "prod", "rx-gateway", 10),
        ("dr-assistant", "production", "dr-backend", 25),
    ] {
        let objects = render(example, environment);
        let rollout = object(&objects, "Rollout", namespace, "api-gateway");
        let canary = &rollout["spec"]["strategy"]["canary"];
        assert_eq!(
            canary["trafficRouting"]["nginx"]["stableIngress"],
            "api-gateway"
        );
        assert_eq!(canary["canaryService"], "api-gateway-canary");
        let steps = canary["steps"].as_array().expect("steps");
        let weights: Vec<u64> = steps
            .iter()
            .filter_map(|step| step["setWeight"].as_u64())
            .collect();
        assert_eq!(weights, [first_weight, 50], "{example}");
        // A revert after promotion goes through the steps again: no window
        // of revisions returned to without them.
        assert!(rollout["spec"]["rollbackWindow"].is_null(), "{example}");
        assert_eq!(
            steps
                .iter()
                .filter(|step| step["analysis"].is_object())
                .count(),
            2,
            "{example}: an analysis after each weight"
        );
        object(&objects, "AnalysisTemplate", namespace, "api-gateway");
        let hpa = object(
            &objects,
            "HorizontalPodAutoscaler",
            namespace,
            "api-gateway",
        );
        assert_eq!(hpa["spec"]["scaleTargetRef"]["kind"], "Rollout");
    }

    let staging = render("dr-assistant", "staging");
    let rollout = object(&staging, "Rollout", "dr-backend", "api-gateway");
    let blue_green = &rollout["spec"]["strategy"]["blueGreen"];
    assert_eq!(blue_green["activeService"], "api-gateway");
    assert_eq!(blue_green["previewService"], "api-gateway-preview");
    let preview = object(&staging, "Ingress", "dr-backend", "api-gateway-preview");
    assert_eq!(
        preview["metadata"]["annotations"]["nginx.ingress.kubernetes.io/whitelist-source-range"],
        "10.8.0.0/16",
        "the preview is for the team only"
    );

    for (example, environment, namespace) in [
        ("digital-prescription", "dev", "rx-gateway"),
        ("dr-assistant", "development", "dr-backend"),
    ] {
        let objects = render(example, environment);
        object(&objects, "Deployment", namespace, "api-gateway");
        assert!(
            !objects.iter().any(|o| o["kind"] == "Rollout"),
            "{example} {environment}"
        );
    }
}
