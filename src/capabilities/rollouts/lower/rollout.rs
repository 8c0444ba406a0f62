//! `Rollout` (`argoproj.io/v1alpha1`): the workload's Deployment, as Argo
//! Rollouts runs it. The pod template, selector, replicas and history are
//! the Deployment's own (`lower::deployment`), inline (docs/decisions.md:
//! why not a `workloadRef`); the strategy is the canary's steps and
//! traffic routing, or the blue/green Services.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::lower::deployment;
use crate::model::{PlatformModel, RolloutModel, WorkloadModel};
use crate::spec::ServiceType;

use super::super::model::{
    BlueGreenModel, CanaryModel, DeliveryModel, GATEWAY_PLUGIN, StepModel, StrategyModel,
    TrafficModel,
};
use super::analysis_template;

#[derive(Debug, Serialize)]
pub(super) struct Rollout {
    metadata: ObjectMeta,
    spec: Value,
}

crate::custom_resource!(
    Rollout,
    "argoproj.io",
    "v1alpha1",
    "Rollout",
    Namespaced,
    "rollouts"
);

/// The fields a Rollout shares with a Deployment, taken from the one the
/// core would render.
const DEPLOYMENT_FIELDS: [&str; 4] = ["replicas", "revisionHistoryLimit", "selector", "template"];

pub(super) fn rollout(
    platform: &PlatformModel,
    workload: &WorkloadModel,
    delivery: &DeliveryModel,
) -> Rollout {
    let deployment = deployment::deployment(platform, workload);
    let deployment_spec = serde_json::to_value(&deployment.spec).unwrap_or(Value::Null);
    let mut spec = Map::new();
    for field in DEPLOYMENT_FIELDS {
        if let Some(value) = deployment_spec.get(field) {
            spec.insert(field.to_owned(), value.clone());
        }
    }
    let has_service = workload.service_type != ServiceType::None && !workload.ports.is_empty();
    let strategy = match &delivery.strategy {
        StrategyModel::Canary(canary) => json!({
            "canary": canary_strategy(workload, delivery, canary, has_service),
        }),
        StrategyModel::BlueGreen(blue_green) => json!({
            "blueGreen": blue_green_strategy(workload, delivery, blue_green),
        }),
    };
    spec.insert("strategy".to_owned(), strategy);
    Rollout {
        metadata: deployment.metadata,
        spec: Value::Object(spec),
    }
}

fn canary_strategy(
    workload: &WorkloadModel,
    delivery: &DeliveryModel,
    canary: &CanaryModel,
    has_service: bool,
) -> Value {
    let mut strategy = Map::new();
    if has_service {
        strategy.insert(
            "canaryService".to_owned(),
            json!(delivery.second_service(&workload.name)),
        );
    }
    // With traffic routing, the Rollout points the workload's Service at the
    // stable pods and the ingress splits the traffic between it and the
    // canary Service. Without, the workload's Service keeps selecting both
    // versions, and the share of pods is the share of traffic.
    match &canary.traffic {
        TrafficModel::Replicas => {}
        TrafficModel::Nginx { stable_ingress } => {
            strategy.insert("stableService".to_owned(), json!(workload.name));
            strategy.insert(
                "trafficRouting".to_owned(),
                json!({ "nginx": { "stableIngress": stable_ingress } }),
            );
        }
        TrafficModel::Gateway { http_route } => {
            strategy.insert("stableService".to_owned(), json!(workload.name));
            strategy.insert(
                "trafficRouting".to_owned(),
                json!({ "plugins": { GATEWAY_PLUGIN: {
                    "httpRoute": http_route,
                    "namespace": workload.namespace,
                } } }),
            );
        }
    }
    if let RolloutModel::Surge {
        max_surge,
        max_unavailable,
    } = workload.rollout
    {
        if let Some(surge) = max_surge {
            strategy.insert("maxSurge".to_owned(), int_or_percent(surge));
        }
        if let Some(unavailable) = max_unavailable {
            strategy.insert("maxUnavailable".to_owned(), int_or_percent(unavailable));
        }
    }
    let template = || analysis_template::reference(workload);
    let steps: Vec<Value> = canary
        .steps
        .iter()
        .map(|step| match step {
            StepModel::SetWeight(weight) => json!({ "setWeight": weight }),
            StepModel::Pause(seconds) => json!({ "pause": { "duration": format!("{seconds}s") } }),
            StepModel::PauseUntilPromoted => json!({ "pause": {} }),
            StepModel::Analysis => json!({ "analysis": template() }),
        })
        .collect();
    // An analysis no step runs watches the whole canary from its first
    // step, in the background: a failure aborts wherever the canary is.
    if delivery.analysis.is_some() && !canary.steps.contains(&StepModel::Analysis) {
        let mut background = template();
        background["startingStep"] = json!(1);
        strategy.insert("analysis".to_owned(), background);
    }
    strategy.insert("steps".to_owned(), Value::Array(steps));
    Value::Object(strategy)
}

fn blue_green_strategy(
    workload: &WorkloadModel,
    delivery: &DeliveryModel,
    blue_green: &BlueGreenModel,
) -> Value {
    let mut strategy = json!({
        "activeService": workload.name,
        "previewService": delivery.second_service(&workload.name),
        "autoPromotionEnabled": blue_green.auto_promotion,
        "scaleDownDelaySeconds": blue_green.scale_down_delay_seconds,
    });
    // After the switch, on real traffic: a failure switches back to the old
    // version, still running for `scaleDownDelaySeconds`.
    if delivery.analysis.is_some() {
        strategy["postPromotionAnalysis"] = analysis_template::reference(workload);
    }
    strategy
}

fn int_or_percent(value: crate::spec::IntOrPercent) -> Value {
    match value {
        crate::spec::IntOrPercent::Count(count) => json!(count),
        crate::spec::IntOrPercent::Percent(_) => json!(value.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[test]
    fn the_rollout_carries_the_deployments_template_and_selector() {
        let platform = testing::platform(
            "workloads: { web: { replicas: 3, rollout: { maxSurge: 1 }, delivery: { canary: { steps: [{ setWeight: 25 }] } } } }\n",
        );
        let workload = &platform.workloads[0];
        let delivery = super::super::super::model::delivery(workload).expect("delivery");
        let rollout =
            serde_json::to_value(rollout(&platform, workload, delivery)).expect("serializes");
        let deployment =
            serde_json::to_value(deployment::deployment(&platform, workload)).expect("serializes");
        for field in DEPLOYMENT_FIELDS {
            assert_eq!(rollout["spec"][field], deployment["spec"][field], "{field}");
        }
        assert_eq!(rollout["metadata"], deployment["metadata"]);
        assert_eq!(rollout["spec"]["replicas"], 3);
        // The rolling update's bound carries over; the Deployment's own
        // strategy does not.
        assert_eq!(
            rollout["spec"]["strategy"],
            json!({ "canary": {
                "canaryService": "web-canary",
                "stableService": "web",
                "trafficRouting": { "nginx": { "stableIngress": "web" } },
                "maxSurge": 1,
                "steps": [{ "setWeight": 25 }],
            } })
        );
    }
}
