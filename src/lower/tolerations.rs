//! A pod's tolerations: those its node pool's taints need (in the pool's
//! order), then the NVIDIA GPU taint's for workloads that request GPUs, unless
//! the pool already tolerates it.

use k8s_openapi::api::core::v1::Toleration;

use super::gpu::GPU_RESOURCE;
use super::operator_resource;
use crate::model::WorkloadModel;

pub(super) fn tolerations(workload: &WorkloadModel, gpu: bool) -> Vec<Toleration> {
    let mut tolerations: Vec<Toleration> = workload
        .tolerations
        .iter()
        .map(operator_resource::toleration)
        .collect();
    // GPU nodes are tainted `nvidia.com/gpu:NoSchedule` by convention (the GPU
    // operator and the managed clouds do it) so other pods stay off them.
    let gpu_toleration = Toleration {
        key: Some(GPU_RESOURCE.to_owned()),
        operator: Some("Exists".to_owned()),
        effect: Some("NoSchedule".to_owned()),
        ..Toleration::default()
    };
    let covered = tolerations.iter().any(|t| {
        t.key == gpu_toleration.key
            && t.effect == gpu_toleration.effect
            && t.operator.as_deref() == Some("Exists")
    });
    if gpu && !covered {
        tolerations.push(gpu_toleration);
    }
    tolerations
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;
    use crate::testing;

    #[track_caller]
    fn case(overlay: &str, expected: Value) {
        let platform = testing::platform(overlay);
        let workload = &platform.workloads[0];
        let gpu = workload.resources.gpu.is_some_and(|count| count > 0);
        let found = serde_json::to_value(tolerations(workload, gpu)).expect("JSON");
        assert_eq!(found, expected, "{overlay}");
    }

    #[test]
    fn pools_and_gpus_add_tolerations() {
        let pools = "\
nodePools:
  spot:
    nodeSelector: { eks.amazonaws.com/capacityType: SPOT }
    taints: [{ key: spot, value: \"true\", effect: NoSchedule }, { key: preemptible, effect: NoExecute }]
  gpu:
    nodeSelector: { nvidia.com/gpu.present: \"true\" }
    taints: [{ key: nvidia.com/gpu, effect: NoSchedule }]
";
        case("{}", json!([]));
        case(
            &format!("{pools}workloads: {{ web: {{ scheduling: {{ nodePool: spot }} }} }}"),
            json!([
                { "key": "spot", "operator": "Equal", "value": "true", "effect": "NoSchedule" },
                { "key": "preemptible", "operator": "Exists", "effect": "NoExecute" },
            ]),
        );
        case(
            "workloads: { web: { resources: { limits: { gpu: 1 } } } }",
            json!([{ "key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule" }]),
        );
        // The GPU pool already tolerates the GPU taint: not twice.
        case(
            &format!(
                "{pools}workloads: {{ web: {{ scheduling: {{ nodePool: gpu }}, resources: {{ limits: {{ gpu: 1 }} }} }} }}"
            ),
            json!([{ "key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule" }]),
        );
    }
}
