//! Helm values an add-on takes from the platform rather than from its
//! defaults: the IngressClass the Ingresses name, and the configuration of
//! the log agent, which names where Loki runs.

use crate::model::PlatformModel;

use super::super::model::ArgocdModel;
use super::super::model::addon_charts::addon_chart;
use super::application::resolve_chart;

/// Helm values an add-on takes from the platform, over its defaults and
/// under what `charts` writes: the IngressClass the Ingresses name, and the
/// address of Loki the log agent ships to.
pub(super) fn derived_values(
    platform: &PlatformModel,
    argocd: Option<&ArgocdModel>,
    addon: &str,
) -> Vec<(String, serde_json::Value)> {
    match addon {
        "ingress-nginx" => platform
            .ingress_class
            .iter()
            .map(|class| {
                (
                    "controller".to_owned(),
                    serde_json::json!({ "ingressClassResource": { "name": class } }),
                )
            })
            .collect(),
        "alloy" => {
            let loki_namespace = addon_chart("loki")
                .map(|loki| resolve_chart(loki, argocd, &[]).namespace)
                .unwrap_or_default();
            vec![(
                "alloy".to_owned(),
                serde_json::json!({ "configMap": { "content": log_agent_config(&loki_namespace) } }),
            )]
        }
        _ => Vec::new(),
    }
}

/// Alloy's configuration: every pod's containers, found through the API
/// server and tailed by one replica of the cluster each, labelled with
/// their namespace, pod, container and `app.kubernetes.io/name`, pushed to
/// Loki's gateway (the chart's `loki-gateway` Service, port 80).
fn log_agent_config(loki_namespace: &str) -> String {
    format!(
        r#"discovery.kubernetes "pods" {{
  role = "pod"
}}

discovery.relabel "pods" {{
  targets = discovery.kubernetes.pods.targets
  rule {{
    source_labels = ["__meta_kubernetes_namespace"]
    target_label  = "namespace"
  }}
  rule {{
    source_labels = ["__meta_kubernetes_pod_name"]
    target_label  = "pod"
  }}
  rule {{
    source_labels = ["__meta_kubernetes_pod_container_name"]
    target_label  = "container"
  }}
  rule {{
    source_labels = ["__meta_kubernetes_pod_label_app_kubernetes_io_name"]
    target_label  = "app"
  }}
}}

loki.source.kubernetes "pods" {{
  targets    = discovery.relabel.pods.output
  forward_to = [loki.write.default.receiver]
  clustering {{
    enabled = true
  }}
}}

loki.write "default" {{
  endpoint {{
    url = "http://loki-gateway.{loki_namespace}.svc.cluster.local/loki/api/v1/push"
  }}
}}
"#
    )
}
