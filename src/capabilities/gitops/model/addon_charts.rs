//! The Helm chart each add-on is installed from by default: the operators
//! and controllers whose kinds the render holds (the kind registry names
//! each custom kind's operator), the ingress controller its Ingresses name,
//! and the cluster-wide services a platform asks for (log aggregation).
//! Every version is pinned, so a render installs the same add-ons tomorrow;
//! `gitops.argocd.addons.charts` replaces any field per platform.

/// When an add-on is installed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Install {
    /// When the render needs it: a kind of the render names it as its
    /// operator, or the render's Ingresses are served by it.
    Needed,
    /// When `gitops.argocd.addons.charts` names it: nothing in the render
    /// depends on it (Loki reads every container's output, whatever runs).
    Requested,
    /// With the add-on named: the agent shipping the logs to Loki.
    With(&'static str),
}

/// One add-on's default chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddonChart {
    /// The add-on's name, as the kind registry's `operator` says it.
    pub name: &'static str,
    /// The Helm repository; an OCI registry is written without `oci://`, as
    /// ArgoCD wants it.
    pub repo_url: &'static str,
    pub chart: &'static str,
    pub version: &'static str,
    /// The namespace it is installed in (its documentation's choice).
    pub namespace: &'static str,
    /// Helm values the add-on needs to serve the render, as JSON.
    pub values: &'static str,
    pub install: Install,
}

/// Every add-on with a default chart, by name.
pub static ADDON_CHARTS: &[AddonChart] = &[
    AddonChart {
        // Grafana Alloy, the log agent Grafana maintains (Promtail, its
        // predecessor, is deprecated in its favour). Two replicas tailing
        // pods' logs through the API server, clustered so each pod's logs
        // are read by one of them; its configuration, which names Loki's
        // address, is added where the add-ons are resolved.
        name: "alloy",
        repo_url: "https://grafana.github.io/helm-charts",
        chart: "alloy",
        version: "0.10.0",
        namespace: "alloy",
        values: r#"{"controller":{"type":"deployment","replicas":2},"alloy":{"clustering":{"enabled":true}}}"#,
        install: Install::With("loki"),
    },
    AddonChart {
        name: "argo-rollouts",
        repo_url: "https://argoproj.github.io/argo-helm",
        chart: "argo-rollouts",
        version: "2.38.0",
        namespace: "argo-rollouts",
        values: "{}",
        install: Install::Needed,
    },
    AddonChart {
        name: "cert-manager",
        repo_url: "https://charts.jetstack.io",
        chart: "cert-manager",
        version: "v1.16.2",
        namespace: "cert-manager",
        // The chart installs no CRDs unless asked.
        values: r#"{"crds":{"enabled":true}}"#,
        install: Install::Needed,
    },
    AddonChart {
        name: "cloudnative-pg",
        repo_url: "https://cloudnative-pg.github.io/charts",
        chart: "cloudnative-pg",
        version: "0.22.1",
        namespace: "cnpg-system",
        values: "{}",
        install: Install::Needed,
    },
    AddonChart {
        name: "external-secrets",
        repo_url: "https://charts.external-secrets.io",
        chart: "external-secrets",
        // The first releases serving `external-secrets.io/v1`.
        version: "0.17.0",
        namespace: "external-secrets",
        values: "{}",
        install: Install::Needed,
    },
    AddonChart {
        // The controller of `ingress.className` when `ingress.controller`
        // is nginx; its IngressClass is named where the add-ons are resolved.
        name: "ingress-nginx",
        repo_url: "https://kubernetes.github.io/ingress-nginx",
        chart: "ingress-nginx",
        version: "4.11.3",
        namespace: "ingress-nginx",
        values: "{}",
        install: Install::Needed,
    },
    AddonChart {
        name: "keda",
        repo_url: "https://kedacore.github.io/charts",
        chart: "keda",
        version: "2.16.0",
        namespace: "keda",
        values: "{}",
        install: Install::Needed,
    },
    AddonChart {
        // Loki as one binary on a filesystem volume (the chart's
        // monolithic mode): single-tenant, so the log agent and Grafana
        // need no tenant header. Replicated or object-storage Loki is a
        // matter of `values` (the chart's simple-scalable mode).
        name: "loki",
        repo_url: "https://grafana.github.io/helm-charts",
        chart: "loki",
        version: "6.22.0",
        namespace: "loki",
        values: r#"{"deploymentMode":"SingleBinary","loki":{"auth_enabled":false,"commonConfig":{"replication_factor":1},"storage":{"type":"filesystem"},"schemaConfig":{"configs":[{"from":"2024-04-01","store":"tsdb","object_store":"filesystem","schema":"v13","index":{"prefix":"loki_index_","period":"24h"}}]}},"singleBinary":{"replicas":1},"backend":{"replicas":0},"read":{"replicas":0},"write":{"replicas":0},"chunksCache":{"enabled":false},"resultsCache":{"enabled":false},"lokiCanary":{"enabled":false},"test":{"enabled":false}}"#,
        install: Install::Requested,
    },
    AddonChart {
        name: "minio-operator",
        repo_url: "https://operator.min.io",
        chart: "operator",
        version: "6.0.4",
        namespace: "minio-operator",
        values: "{}",
        install: Install::Needed,
    },
    AddonChart {
        name: "mongodb-community-operator",
        repo_url: "https://mongodb.github.io/helm-charts",
        chart: "community-operator",
        version: "0.12.0",
        namespace: "mongodb",
        // Watch every namespace: the replica sets live in the platform's.
        values: r#"{"operator":{"watchNamespace":"*"}}"#,
        install: Install::Needed,
    },
    AddonChart {
        name: "prometheus-operator",
        repo_url: "https://prometheus-community.github.io/helm-charts",
        chart: "kube-prometheus-stack",
        version: "66.3.1",
        namespace: "monitoring",
        values: "{}",
        install: Install::Needed,
    },
    AddonChart {
        // The prober of uptime Probes, when `monitoring.blackboxExporter`
        // names this chart's Service (its release named after the chart);
        // `http_2xx` is in its default configuration.
        name: "prometheus-blackbox-exporter",
        repo_url: "https://prometheus-community.github.io/helm-charts",
        chart: "prometheus-blackbox-exporter",
        version: "9.1.0",
        namespace: "monitoring",
        values: "{}",
        install: Install::Needed,
    },
    AddonChart {
        name: "rabbitmq-cluster-operator",
        repo_url: "registry-1.docker.io/bitnamicharts",
        chart: "rabbitmq-cluster-operator",
        version: "4.4.3",
        namespace: "rabbitmq-system",
        values: "{}",
        install: Install::Needed,
    },
    AddonChart {
        name: "redis-operator",
        repo_url: "https://ot-container-kit.github.io/helm-charts",
        chart: "redis-operator",
        version: "0.22.1",
        // The operator's documented namespace, which the Redis servers'
        // network policies admit its controller from.
        namespace: "ot-operators",
        values: "{}",
        install: Install::Needed,
    },
    AddonChart {
        name: "sealed-secrets",
        repo_url: "https://bitnami-labs.github.io/sealed-secrets",
        chart: "sealed-secrets",
        version: "2.16.2",
        // `kubeseal` looks for `sealed-secrets-controller` in `kube-system`
        // unless told otherwise.
        namespace: "kube-system",
        values: r#"{"fullnameOverride":"sealed-secrets-controller"}"#,
        install: Install::Needed,
    },
    AddonChart {
        name: "traefik",
        repo_url: "https://traefik.github.io/charts",
        chart: "traefik",
        version: "33.0.0",
        namespace: "traefik",
        values: "{}",
        install: Install::Needed,
    },
    AddonChart {
        name: "velero",
        repo_url: "https://vmware-tanzu.github.io/helm-charts",
        chart: "velero",
        version: "8.1.0",
        namespace: "velero",
        // A storage location and a provider plugin are the cluster's own:
        // they come from `charts.velero.values`.
        values: "{}",
        install: Install::Needed,
    },
];

/// The default chart of the add-on `name`, if it has one. `gateway-api`
/// (CRDs shipped with each Gateway implementation) and `argo-cd` (which
/// renders this) have none.
pub fn addon_chart(name: &str) -> Option<&'static AddonChart> {
    ADDON_CHARTS.iter().find(|chart| chart.name == name)
}
