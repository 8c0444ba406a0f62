//! Environments sharing a cluster (`cluster.namespaceTemplate`,
//! `cluster.ownsClusterObjects`, PG3104): two environments on one cluster
//! render disjoint namespaced objects, every in-cluster reference follows
//! the renamed namespaces (the reference checks of `check` pass), one
//! environment owns the cluster-scoped objects, and `check --all` reports
//! environments that would collide.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::cli::{MINIMAL_BASE, MINIMAL_PROD, Platform};
use crate::support::{python, rejection, snapshot_settings};

fn base() -> String {
    format!("{MINIMAL_BASE}gitops:\n  argocd: {{ repoURL: https://git.example.com/shop.git }}\n")
}

/// Staging on prod's cluster: same issuer and cloud, so the cluster-scoped
/// objects it leaves to prod are the ones prod renders.
fn staging(extra: &str) -> String {
    format!("tier: staging\n{MINIMAL_PROD}{extra}")
}

fn render(platform: &Platform, environment: &str) -> Vec<Value> {
    python::documents(&platform.run(&["render", environment]).success().stdout)
}

fn identities(objects: &[Value]) -> BTreeSet<String> {
    objects
        .iter()
        .filter(|o| o["metadata"]["namespace"].is_string() || o["kind"] == "Namespace")
        .map(|o| {
            format!(
                "{}/{}/{}",
                o["kind"].as_str().unwrap_or_default(),
                o["metadata"]["namespace"].as_str().unwrap_or_default(),
                o["metadata"]["name"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn two_environments_with_their_own_namespaces_share_a_cluster() {
    let platform = Platform::with(
        &base(),
        &[
            ("prod", MINIMAL_PROD),
            (
                "staging",
                &staging(
                    "cluster: { namespaceTemplate: \"{name}-${environment}\", ownsClusterObjects: false }\n",
                ),
            ),
        ],
    );
    let prod = render(&platform, "prod");
    let staging = render(&platform, "staging");
    let (prod_ids, staging_ids) = (identities(&prod), identities(&staging));
    assert!(
        staging_ids.contains("Namespace//shop-staging"),
        "{staging_ids:?}"
    );
    assert!(
        staging_ids.contains("Deployment/shop-staging/web"),
        "{staging_ids:?}"
    );
    let common: Vec<_> = prod_ids.intersection(&staging_ids).collect();
    assert!(common.is_empty(), "both render {common:?}");

    // Every namespaced object of staging is in its renamed namespace, and
    // its only cluster-scoped objects are its Namespaces: prod owns the rest.
    for object in &staging {
        match object["metadata"]["namespace"].as_str() {
            Some(namespace) => assert_eq!(namespace, "shop-staging", "{object}"),
            None => assert_eq!(object["kind"], "Namespace", "{object}"),
        }
    }
    assert!(
        prod.iter().any(|o| o["kind"] == "ClusterIssuer"),
        "prod owns the cluster's issuer"
    );
    // References follow: the web pods' network policy admits the database
    // by its renamed namespace, the RoleBindings and addresses likewise.
    let text = platform.run(&["render", "staging"]).success().stdout;
    assert!(
        !text.contains("namespace: shop\n")
            && !text.contains("metadata.name: shop\n")
            && !text.contains(".shop.svc"),
        "no reference to prod's namespace is left:\n{text}"
    );

    // The check of both: no collision, and every in-cluster reference of
    // each render resolves (PG5002, PG5003).
    let check = platform.run(&["check", "--all"]);
    assert_ne!(check.code, 2, "{}", check.stderr);
    for code in ["PG3104", "PG5002", "PG5003", "PG5001"] {
        assert!(!check.stderr.contains(code), "{code}:\n{}", check.stderr);
    }

    // The project of staging allows its own namespace only.
    let objects = python::documents(&platform.run(&["argocd", "staging"]).success().stdout);
    let project = objects
        .iter()
        .find(|o| o["kind"] == "AppProject" && o["metadata"]["name"] == "shop-staging")
        .expect("the staging project");
    let namespaces: Vec<&str> = project["spec"]["destinations"]
        .as_array()
        .expect("destinations")
        .iter()
        .filter_map(|d| d["namespace"].as_str())
        .collect();
    assert_eq!(namespaces, ["shop-staging"]);
    assert_eq!(
        project["spec"]["clusterResourceWhitelist"],
        serde_json::json!([{ "group": "", "kind": "Namespace" }])
    );
}

#[test]
fn environments_that_would_collide_are_reported() {
    let cases = [
        // The same namespaces, and both own the cluster-scoped objects.
        ("shared_cluster_same_namespaces", staging("")),
        // Its own namespaces, but staging's issuer is not prod's.
        (
            "shared_cluster_owner_lacks_an_object",
            "tier: staging\ndomain: example.com\ningress: { className: nginx, tls: { issuer: letsencryptStaging, email: ops@example.com } }\nworkloads:\n  web: { replicas: 3 }\ncluster: { namespaceTemplate: \"{name}-staging\", ownsClusterObjects: false }\n"
                .to_owned(),
        ),
    ];
    for (name, overlay) in cases {
        let platform = Platform::with(&base(), &[("prod", MINIMAL_PROD), ("staging", &overlay)]);
        let check = platform.run(&["check", "--all"]);
        assert_eq!(check.code, 2, "{}", check.stderr);
        assert!(check.stderr.contains("PG3104"), "{}", check.stderr);
        assert!(!check.stderr.contains("panicked"), "{}", check.stderr);
        // The collisions only: the policy findings of both environments are
        // another test's business.
        let report: Vec<&str> = check
            .stderr
            .split("\n\n")
            .filter(|block| block.starts_with("error[PG3104]"))
            .collect();
        let report = report.join("\n\n");
        snapshot_settings().bind(|| insta::assert_snapshot!(name, report));
    }
    // On clusters of their own, the same environments are fine.
    let apart = Platform::with(
        &base(),
        &[
            ("prod", MINIMAL_PROD),
            (
                "staging",
                &staging("gitops:\n  argocd:\n    destination: { name: staging }\n"),
            ),
        ],
    );
    let check = apart.run(&["check", "--all"]);
    assert!(!check.stderr.contains("PG3104"), "{}", check.stderr);
}

#[test]
fn a_template_without_the_name_is_reported() {
    let platform = Platform::with(
        &base(),
        &[(
            "prod",
            &format!("{MINIMAL_PROD}cluster: {{ namespaceTemplate: shop-prod }}\n"),
        )],
    );
    let report = rejection::rejected(&platform, "prod");
    snapshot_settings().bind(|| insta::assert_snapshot!("namespace_template_without_name", report));
}
