//! User templates (`templates/*.yaml`): objects the spec has no words for,
//! rendered per environment with the merged spec as context and added to the
//! render like every other object; every mistake an error in the template.

use crate::support::cli::{MINIMAL_BASE, MINIMAL_PROD, Platform};
use crate::support::external;
use crate::support::snapshot_settings;

const DASHBOARDS: &str = "\
# Grafana's sidecar picks up ConfigMaps labelled grafana_dashboard.
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ platform }}-images
  namespace: shop
  labels:
    grafana_dashboard: \"1\"
data:
  environment: {{ environment }}
  tier: {{ tier }}
{% for name, workload in spec.workloads | items %}
  {{ name }}: \"{{ workload.image }}\"
{% endfor %}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: shop-db-maintenance
  namespace: shop
spec:
  maxUnavailable: {{ 0 if tier == 'production' else 1 }}
  selector:
    matchLabels:
      app.kubernetes.io/name: db
";

fn platform(template: &str) -> Platform {
    let platform = Platform::with(
        MINIMAL_BASE,
        &[("prod", MINIMAL_PROD), ("staging", MINIMAL_PROD)],
    );
    platform.write("templates/extra.yaml", template);
    platform
}

#[test]
fn templates_render_per_environment_into_the_render() {
    let platform = platform(DASHBOARDS);
    let prod = platform.run(&["render", "prod"]).success().stdout;
    for expected in [
        "  name: shop-images\n",
        "  environment: prod\n",
        "  tier: production\n",
        "  web: ghcr.io/acme/web:1.2.3\n",
        "  db: postgres:16.4\n",
        "  maxUnavailable: 0\n",
    ] {
        assert!(
            prod.contains(expected),
            "prod renders {expected:?}:\n{prod}"
        );
    }
    let staging = platform.run(&["render", "staging"]).success().stdout;
    assert!(
        staging.contains("  tier: staging\n  web: ghcr.io/acme/web:1.2.3\n"),
        "{staging}"
    );
    assert!(staging.contains("  maxUnavailable: 1\n"), "{staging}");

    let out = tempfile::tempdir().expect("temporary directory");
    let out_dir = out.path().to_str().expect("UTF-8 path");
    platform
        .run(&["render", "prod", "--out", out_dir])
        .success();
    let report = external::validate_manifests(&[out.path()]);
    assert!(report.contains(", 0 failed"), "{report}");
    assert!(out.path().join("shop/configmap-shop-images.yaml").is_file());
}

#[test]
fn a_patch_applies_to_a_templated_object() {
    let platform = platform(DASHBOARDS);
    platform.write(
        "environments/prod.yaml",
        &format!(
            "{MINIMAL_PROD}patches:\n  folder:\n    target: {{ kind: ConfigMap, namespace: shop, name: shop-images }}\n    reason: r\n    merge: {{ metadata: {{ annotations: {{ grafana_folder: Shop }} }} }}\n"
        ),
    );
    let prod = platform.run(&["render", "prod"]).success().stdout;
    assert!(prod.contains("grafana_folder: Shop\n"), "{prod}");
}

/// Templated objects are ordered and kept like generated ones of their kind
/// (docs/gitops.md): a Secret source in the configuration wave, before the
/// workloads that read it; a volume claim kept from pruning outside
/// development; a wave the template wrote itself stays.
const SYNCED: &str = "\
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: db-password
  namespace: shop
spec:
  secretStoreRef: { name: vault, kind: ClusterSecretStore }
  target: { name: db-password }
  data:
    - { secretKey: password, remoteRef: { key: shop/db, property: password } }
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: uploads
  namespace: shop
spec:
  accessModes: [ReadWriteOnce]
  resources: { requests: { storage: 1Gi } }
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: late
  namespace: shop
  annotations:
    argocd.argoproj.io/sync-wave: \"5\"
data: { key: value }
";

#[test]
fn templated_objects_get_the_waves_and_options_of_their_kind() {
    let platform = platform(SYNCED);
    platform.write("environments/dev.yaml", "domain: dev.shop.example.com\n");
    let annotations = |environment: &str, kind: &str, name: &str| {
        let stream = platform.run(&["render", environment]).success().stdout;
        crate::support::python::documents(&stream)
            .into_iter()
            .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
            .unwrap_or_else(|| panic!("{environment}: no {kind} {name}"))["metadata"]["annotations"]
            .clone()
    };
    let wave = "argocd.argoproj.io/sync-wave";
    let options = "argocd.argoproj.io/sync-options";
    let secret = annotations("prod", "ExternalSecret", "db-password");
    assert_eq!(secret[wave], "1", "{secret}");
    let web = annotations("prod", "Deployment", "web");
    assert_eq!(web[wave], "3", "{web}");
    let claim = annotations("prod", "PersistentVolumeClaim", "uploads");
    assert_eq!(claim[wave], "3", "{claim}");
    assert_eq!(claim[options], "Prune=false,Delete=false", "{claim}");
    assert!(
        annotations("dev", "PersistentVolumeClaim", "uploads")[options].is_null(),
        "development prunes what it no longer renders"
    );
    assert_eq!(annotations("prod", "ConfigMap", "late")[wave], "5");
}

#[test]
fn every_mistake_is_an_error_in_the_template() {
    let cases: &[(&str, &str)] = &[
        (
            "syntax_error",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {% if %}\n",
        ),
        (
            "undefined_variable",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ platfrom }}-x\n  namespace: shop\n",
        ),
        (
            "not_yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {{ '{' }}\n",
        ),
        (
            "not_an_object",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: shop\n",
        ),
        (
            "same_object_as_the_spec",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  ports: [{ port: 80 }]\n",
        ),
    ];
    for (name, template) in cases {
        let platform = platform(template);
        let run = platform.run(&["render", "prod"]);
        assert_eq!(run.code, 2, "{name}: {}", run.stderr);
        snapshot_settings().bind(|| {
            insta::assert_snapshot!(format!("template_{name}"), run.report(platform.path()));
        });
    }
}

/// An object that two items generate would be overwritten by one of them on
/// apply: `render` and `check` both report it, once for each copy after the
/// first (a template's objects come before the workloads').
#[test]
fn an_object_generated_twice_is_an_error_at_each_copy() {
    let service = "\
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  ports: [{ port: 80 }]
";
    let platform = platform(&format!("{service}---\n{service}"));
    for command in ["render", "check"] {
        let run = platform.run(&[command, "prod"]);
        assert_ne!(run.code, 0, "{command}: {}", run.stderr);
        let reported = run
            .stderr
            .matches("two items generate the same object `Service/shop/web`")
            .count();
        assert_eq!(reported, 2, "{command}:\n{}", run.stderr);
        assert!(
            run.stderr.contains("templates/extra.yaml"),
            "{command}:\n{}",
            run.stderr
        );
    }
}
