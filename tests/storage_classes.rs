//! StorageClasses and LoadBalancer annotations per cloud, through the real
//! binary: every cloud's render passes strict validation, classes the spec
//! declares join or replace the generated ones, and a volume naming an
//! unknown class is a warning.

use serde_json::Value;

use crate::support::cli::{MINIMAL_BASE, MINIMAL_PROD, Platform, repository, run};
use crate::support::external;
use crate::support::python::documents;
use crate::support::snapshot_settings;

const CLOUDS: [(&str, &str); 6] = [
    ("aws", "ebs.csi.aws.com"),
    ("gcp", "pd.csi.storage.gke.io"),
    ("azure", "disk.csi.azure.com"),
    ("digitalocean", "dobs.csi.digitalocean.com"),
    ("linode", "linodebs.csi.linode.com"),
    ("k3s", "rancher.io/local-path"),
];

/// MINIMAL_BASE on `cloud`, its database on `fast-ssd`, its web workload
/// behind a LoadBalancer Service.
fn base_on(cloud: &str) -> String {
    let base = MINIMAL_BASE
        .replacen(
            "    storage: { size: 5Gi, mountPath: /var/lib/postgresql/data }",
            "    storage: { size: 5Gi, mountPath: /var/lib/postgresql/data, storageClass: fast-ssd }",
            1,
        )
        .replacen("    uses: [db]\n", "    uses: [db]\n    serviceType: LoadBalancer\n", 1);
    format!("{base}cloud: {cloud}\n")
}

#[test]
fn every_cloud_renders_valid_storage_classes_and_load_balancers() {
    let out = tempfile::tempdir().expect("temporary directory");
    for (cloud, provisioner) in CLOUDS {
        let platform = Platform::with(&base_on(cloud), &[("prod", MINIMAL_PROD)]);
        let run = platform.run(&["render", "prod"]).success();
        assert!(!run.stderr.contains("warning"), "{cloud}: {}", run.stderr);
        let docs = documents(&run.stdout);
        let classes: Vec<&Value> = docs
            .iter()
            .filter(|d| d["kind"] == "StorageClass")
            .collect();
        let names: Vec<&str> = classes
            .iter()
            .filter_map(|c| c["metadata"]["name"].as_str())
            .collect();
        assert_eq!(names, ["fast-ssd", "standard"], "{cloud}");
        for class in classes {
            assert_eq!(class["provisioner"], provisioner, "{cloud}");
            assert_eq!(
                class["volumeBindingMode"], "WaitForFirstConsumer",
                "{cloud}"
            );
            assert_eq!(class["allowVolumeExpansion"], cloud != "k3s", "{cloud}");
        }
        let service = docs
            .iter()
            .find(|d| d["kind"] == "Service" && d["metadata"]["name"] == "web")
            .expect("web Service");
        assert_eq!(service["spec"]["type"], "LoadBalancer");
        let annotations = &service["metadata"]["annotations"];
        match cloud {
            "aws" => assert_eq!(
                annotations["service.beta.kubernetes.io/aws-load-balancer-type"],
                "external"
            ),
            "digitalocean" => assert_eq!(
                annotations["service.beta.kubernetes.io/do-loadbalancer-name"],
                "shop-prod-web"
            ),
            _ => assert!(
                annotations
                    .as_object()
                    .is_none_or(|a| a.keys().all(|k| k.starts_with("argocd.argoproj.io/"))),
                "{cloud}: {annotations}"
            ),
        }
        std::fs::write(out.path().join(format!("{cloud}.yaml")), &run.stdout).expect("write");
    }
    let report = external::validate_manifests(&[out.path()]);
    assert!(report.contains(", 0 failed"), "{report}");
}

#[test]
fn the_example_runs_on_digitalocean_and_k3s_in_development() {
    let provisioners = |environment: &str| -> Vec<String> {
        documents(
            &run(&repository(), &["render", environment])
                .success()
                .stdout,
        )
        .iter()
        .filter(|d| d["kind"] == "StorageClass")
        .map(|d| {
            format!(
                "{} {} {}",
                d["metadata"]["name"].as_str().unwrap_or(""),
                d["provisioner"].as_str().unwrap_or(""),
                d["reclaimPolicy"].as_str().unwrap_or("")
            )
        })
        .collect()
    };
    // Data outlives its claims outside development.
    for environment in ["staging", "prod"] {
        assert_eq!(
            provisioners(environment),
            [
                "fast-ssd dobs.csi.digitalocean.com Retain",
                "standard dobs.csi.digitalocean.com Retain"
            ]
        );
    }
    assert_eq!(
        provisioners("dev"),
        [
            "fast-ssd rancher.io/local-path Delete",
            "standard rancher.io/local-path Delete"
        ]
    );
}

#[test]
fn a_volume_on_an_unknown_class_is_a_warning() {
    let base = MINIMAL_BASE.replacen(
        "    storage: { size: 5Gi, mountPath: /var/lib/postgresql/data }",
        "    storage: { size: 5Gi, mountPath: /var/lib/postgresql/data, storageClass: fast-sdd }",
        1,
    );
    let platform = Platform::with(
        &format!("{base}cloud: gcp\nstorageClasses:\n  premium-rwo: {{ existing: true }}\n"),
        &[("prod", MINIMAL_PROD)],
    );
    let run = platform.run(&["render", "prod"]).success();
    snapshot_settings().bind(|| {
        insta::assert_snapshot!("unknown_storage_class", run.stderr);
    });
}

#[test]
fn storage_class_mistakes() {
    let platform = Platform::with(
        &format!(
            "{MINIMAL_BASE}storageClasses:\n  fast-ssd: {{ parameters: {{ type: pd-ssd }} }}\n  nfs: {{ existing: true, provisioner: nfs.csi.k8s.io }}\n  a: {{ provisioner: x, default: true }}\n  b: {{ provisioner: y, default: true }}\n"
        ),
        &[("prod", MINIMAL_PROD)],
    );
    let run = platform.run(&["render", "prod"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    snapshot_settings().bind(|| {
        insta::assert_snapshot!("storage_class_mistakes", run.report(platform.path()));
    });
}
