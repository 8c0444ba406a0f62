//! The rollouts analysis: each workload's `delivery` checked against the
//! rest of the workload (its kind, replicas, autoscaling, exposure, metrics)
//! and resolved into its [`DeliveryModel`].
//!
//! Runs as a platform hook, after the ingress and monitoring capabilities:
//! how a canary's traffic is split depends on the workload's resolved
//! exposure and the platform's routing.

mod analysis;
mod duration;
mod steps;

use crate::analyze::Context;
use crate::capabilities::ingress::model::{self as ingress, EXPOSURES, RoutingModel};
use crate::capabilities::ingress::spec::IngressController;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{PlatformModel, WorkloadModel};
use crate::spec::{Rollout, ServiceType, Tier, Workload, WorkloadKind};

use super::model::{
    BlueGreenModel, CanaryModel, DELIVERY, DeliveryModel, POD_OWNER, StepModel, StrategyModel,
    TrafficModel,
};
use super::spec::{self, BlueGreenSpec, CanarySpec, DeliverySpec};

/// Seconds the old version of a blue/green workload keeps running after
/// the switch when the spec says nothing: Argo Rollouts' own default.
const DEFAULT_SCALE_DOWN_DELAY_SECONDS: u32 = 30;

/// The capability's analysis: checks every workload's `delivery`, and sets
/// `delivery` (and, under Gateway API, the canary backend of the exposure)
/// on its model.
pub fn analyze(ctx: &mut Context<'_>, model: &mut PlatformModel) {
    let spec = ctx.spec;
    for (name, workload) in &spec.workloads {
        if workload.enabled == Some(false) {
            continue;
        }
        let Some(delivery) = spec::delivery(workload) else {
            continue;
        };
        let resolved_workload = model.workload(name);
        let resolved = resolve(ctx, model, name, workload, resolved_workload, delivery);
        let Some(&index) = model.workload_index.get(name) else {
            continue;
        };
        let resolved_workload = &mut model.workloads[index];
        let Some(delivery) = resolved else {
            continue;
        };
        if let StrategyModel::Canary(canary) = &delivery.strategy
            && let TrafficModel::Gateway { .. } = canary.traffic
            && let Some([exposure]) = EXPOSURES
                .get_mut(&mut resolved_workload.parts)
                .map(Vec::as_mut_slice)
        {
            exposure.canary_service = Some(delivery.second_service(name));
        }
        resolved_workload.pod_owner = Some(POD_OWNER);
        DELIVERY.set(&mut resolved_workload.parts, delivery);
    }
}

/// One workload's delivery; `None` after an error. `resolved` is the
/// workload's model, absent when the core analysis dropped it (its
/// `delivery` is still checked against the spec).
fn resolve(
    ctx: &mut Context<'_>,
    platform: &PlatformModel,
    name: &str,
    workload: &Workload,
    resolved: Option<&WorkloadModel>,
    delivery: &DeliverySpec,
) -> Option<DeliveryModel> {
    let section = ["workloads", name, "delivery"];
    let kind = workload.kind.unwrap_or(WorkloadKind::Deployment);
    if kind != WorkloadKind::Deployment {
        ctx.report(
            Diagnostic::error(
                Code::DeliveryOnWrongKind,
                format!("`delivery` on {} `{name}`", kind.as_str()),
            )
            .at(ctx.key(&section), "only a Deployment can be rolled out progressively")
            .with_help(match kind {
                WorkloadKind::StatefulSet => "remove `delivery`; `rollout: { partition: N }` updates only the highest ordinals first",
                _ => "remove `delivery`: a Job's pods serve no traffic to shift",
            }),
        );
        return None;
    }
    if let Some(Rollout::Recreate(_)) = &workload.rollout {
        ctx.report(
            Diagnostic::error(Code::InvalidDelivery, "`rollout: recreate` with `delivery`")
                .at(
                    ctx.value(&["workloads", name, "rollout"]),
                    "stops every old pod first",
                )
                .with_help(
                    "a progressive rollout runs both versions side by side; remove `rollout`",
                ),
        );
        return None;
    }
    let strategy = match (&delivery.canary, &delivery.blue_green) {
        (Some(canary), None) => {
            StrategyModel::Canary(canary_model(ctx, platform, name, canary, resolved)?)
        }
        (None, Some(blue_green)) => {
            if let Some(Rollout::Rolling(rolling)) = &workload.rollout
                && (rolling.max_surge.is_some() || rolling.max_unavailable.is_some())
            {
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidDelivery,
                        "`maxSurge`/`maxUnavailable` with `blueGreen`",
                    )
                    .at(ctx.value(&["workloads", name, "rollout"]), "a rolling update's bounds")
                    .with_help("a blue/green rollout starts the whole new version at once; remove `rollout`"),
                );
                return None;
            }
            StrategyModel::BlueGreen(blue_green_model(ctx, platform, name, blue_green, resolved)?)
        }
        (canary, _) => {
            let message = if canary.is_some() {
                "`delivery` sets both `canary` and `blueGreen`"
            } else {
                "`delivery` sets neither `canary` nor `blueGreen`"
            };
            ctx.report(
                Diagnostic::error(Code::InvalidDelivery, message)
                    .at(ctx.key(&section), "expected exactly one strategy")
                    .with_help("keep `canary` to shift traffic in steps, or `blueGreen` to switch it at once"),
            );
            return None;
        }
    };
    let analysis = match &delivery.analysis {
        Some(spec) => Some(analysis::resolve(
            ctx,
            name,
            spec,
            platform.monitoring.as_ref(),
            workload.metrics.is_some(),
        )?),
        None => {
            if let StrategyModel::Canary(canary) = &strategy
                && let Some(index) = canary.steps.iter().position(|s| *s == StepModel::Analysis)
            {
                let position = index.to_string();
                ctx.report(
                    Diagnostic::error(
                        Code::AnalysisWithoutMetrics,
                        "an analysis step without `delivery.analysis`",
                    )
                    .at(
                        ctx.key(&[
                            "workloads",
                            name,
                            "delivery",
                            "canary",
                            "steps",
                            &position,
                            "analysis",
                        ]),
                        "runs an analysis that is not defined",
                    )
                    .with_help(
                        "add `delivery.analysis` (for example `analysis: { successRate: 99 }`)",
                    ),
                );
                return None;
            }
            None
        }
    };
    Some(DeliveryModel { strategy, analysis })
}

fn canary_model(
    ctx: &mut Context<'_>,
    platform: &PlatformModel,
    name: &str,
    canary: &CanarySpec,
    resolved: Option<&WorkloadModel>,
) -> Option<CanaryModel> {
    let steps = steps::resolve(ctx, name, &canary.steps)?;
    let routing = &ingress::routing(platform).routing;
    let routed = matches!(
        routing,
        RoutingModel::Ingress {
            controller: IngressController::Nginx,
            ..
        } | RoutingModel::Gateway(_)
    );
    // Argo Rollouts shifts the weights of one Ingress or HTTPRoute: the other
    // exposures would keep sending every request to the stable version.
    if routed && resolved.is_some_and(|w| ingress::exposures(w).len() > 1) {
        ctx.report(
            Diagnostic::error(
                Code::InvalidDelivery,
                format!("the canary of `{name}` cannot split the traffic of several exposures"),
            )
            .at(ctx.key(&["workloads", name, "delivery", "canary"]), "routed by the ingress")
            .with_secondary(ctx.key(&["workloads", name, "expose"]), "several exposures")
            .with_help("expose the workload once, or roll it out blue/green, which switches its Service for every exposure"),
        );
        return None;
    }
    let exposure = resolved.and_then(ingress::only_exposure);
    let traffic = match (routing, exposure) {
        (
            RoutingModel::Ingress {
                controller: IngressController::Nginx,
                ..
            },
            Some(exposure),
        ) => TrafficModel::Nginx {
            stable_ingress: exposure.object_name.clone(),
        },
        (RoutingModel::Gateway(_), Some(exposure)) => TrafficModel::Gateway {
            http_route: exposure.object_name.clone(),
        },
        _ => TrafficModel::Replicas,
    };
    if traffic == TrafficModel::Replicas
        && let Some(workload) = resolved
        && workload.min_replicas() < 2
        && steps
            .iter()
            .any(|step| matches!(step, StepModel::SetWeight(w) if (1..100).contains(w)))
    {
        ctx.report(
            Diagnostic::error(
                Code::CanaryWeightsUnroutable,
                format!(
                    "canary of `{name}` splits traffic by pods, but it runs {} replica",
                    workload.min_replicas()
                ),
            )
            .at(ctx.key(&["workloads", name, "delivery", "canary"]), "weights become shares of the pods")
            .with_help("run at least `replicas: 2`, or expose the workload through nginx or Gateway API so the ingress splits the traffic"),
        );
        return None;
    }
    Some(CanaryModel { steps, traffic })
}

fn blue_green_model(
    ctx: &mut Context<'_>,
    platform: &PlatformModel,
    name: &str,
    blue_green: &BlueGreenSpec,
    resolved: Option<&WorkloadModel>,
) -> Option<BlueGreenModel> {
    let auto_promotion = blue_green
        .auto_promotion
        .unwrap_or(platform.tier != Tier::Production);
    let path = |key: &'static str| ["workloads", name, "delivery", "blueGreen", key];
    let mut ok = true;
    if let Some(workload) = resolved
        && (workload.service_type == ServiceType::None || workload.ports.is_empty())
    {
        ctx.report(
            Diagnostic::error(
                Code::InvalidDelivery,
                format!("blue/green `{name}` has no Service to switch"),
            )
            .at(ctx.key(&["workloads", name, "delivery", "blueGreen"]), "switches the workload's Service between versions")
            .with_help("declare the ports the workload serves on (`ports`), or use a canary, which needs no Service"),
        );
        ok = false;
    }
    if let Some(host) = &blue_green.preview_host {
        let exposures = resolved.map_or(&[][..], ingress::exposures);
        let problem = if !is_host(host) {
            Some((
                "expected a DNS name such as `preview.shop.example.com`",
                None,
            ))
        } else if matches!(ingress::routing(platform).routing, RoutingModel::Gateway(_)) {
            Some((
                "not available with Gateway API routing",
                Some(
                    "the Gateway has a listener per exposed host only; test the preview through `kubectl port-forward svc/<name>-preview`",
                ),
            ))
        } else if let [exposure] = exposures {
            (exposure.host == *host).then_some((
                "the workload's own host",
                Some(
                    "the preview needs a host of its own, such as `preview.` before the workload's",
                ),
            ))
        } else if exposures.len() > 1 {
            Some((
                "the workload has several exposures",
                Some(
                    "the preview copies the path and port of the workload's only exposure: expose it once",
                ),
            ))
        } else {
            Some((
                "the workload has no `expose`",
                Some(
                    "expose the workload (`expose: { host: ... }`); the preview shares its path and port",
                ),
            ))
        };
        if let Some((label, help)) = problem {
            ctx.report(
                Diagnostic::error(
                    Code::InvalidDelivery,
                    format!("invalid preview host `{host}`"),
                )
                .at(ctx.value(&path("previewHost")), label)
                .with_help_opt(help.map(str::to_owned)),
            );
            ok = false;
        }
    }
    if !auto_promotion
        && let Some(autoscaling) = resolved.and_then(|w| w.autoscaling.as_ref())
        && !autoscaling.on_events
    {
        ctx.report(
            Diagnostic::error(
                Code::BlueGreenAutoscalingConflict,
                format!("blue/green `{name}` waits for promotion while autoscaled on CPU or memory"),
            )
            .at(ctx.key(&["workloads", name, "delivery", "blueGreen"]), "the idle preview pods count in the autoscaler's average")
            .with_secondary(ctx.key(&["workloads", name, "autoscaling"]), "autoscaled here")
            .with_help("set `blueGreen.autoPromotion: true`, scale on events (`autoscaling.events`), or use a canary"),
        );
        ok = false;
    }
    ok.then(|| BlueGreenModel {
        auto_promotion,
        scale_down_delay_seconds: blue_green
            .scale_down_delay_seconds
            .unwrap_or(DEFAULT_SCALE_DOWN_DELAY_SECONDS),
        preview_host: blue_green.preview_host.clone(),
    })
}

/// A host name as an Ingress rule takes it: lowercase labels of letters,
/// digits and `-`, separated by dots.
fn is_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    fn delivery(overlay: &str) -> DeliveryModel {
        let platform = testing::platform(overlay);
        super::super::model::delivery(&platform.workloads[0])
            .cloned()
            .expect("web has a delivery")
    }

    #[track_caller]
    fn traffic(overlay: &str, expected: TrafficModel) {
        match delivery(overlay).strategy {
            StrategyModel::Canary(canary) => assert_eq!(canary.traffic, expected, "{overlay}"),
            StrategyModel::BlueGreen(_) => panic!("a canary"),
        }
    }

    const CANARY: &str = "workloads: { web: { replicas: 2, delivery: { canary: { steps: [{ setWeight: 50 }, { pause: 30s }, { pause: manual }] } } } }\n";

    #[test]
    fn the_routing_and_the_exposure_decide_how_traffic_is_split() {
        traffic(
            CANARY,
            TrafficModel::Nginx {
                stable_ingress: "web".to_owned(),
            },
        );
        traffic(
            &format!("ingress: {{ controller: traefik, controllerNamespace: traefik }}\n{CANARY}"),
            TrafficModel::Replicas,
        );
        traffic(
            "workloads: { web: { replicas: 2, expose: null, delivery: { canary: { steps: [{ setWeight: 50 }] } } } }\n",
            TrafficModel::Replicas,
        );
        let gateway = format!(
            "ingress: {{ mode: gateway, gateway: {{ className: eg, namespace: edge }} }}\n{CANARY}"
        );
        traffic(
            &gateway,
            TrafficModel::Gateway {
                http_route: "web".to_owned(),
            },
        );
        // Under Gateway API, the exposure gets the canary backend.
        let platform = testing::platform(&gateway);
        let exposure = ingress::only_exposure(&platform.workloads[0]).expect("exposed");
        assert_eq!(exposure.canary_service.as_deref(), Some("web-canary"));
    }

    #[test]
    fn steps_are_resolved_in_order() {
        match delivery(CANARY).strategy {
            StrategyModel::Canary(canary) => assert_eq!(
                canary.steps,
                [
                    StepModel::SetWeight(50),
                    StepModel::Pause(30),
                    StepModel::PauseUntilPromoted
                ]
            ),
            StrategyModel::BlueGreen(_) => panic!("a canary"),
        }
    }

    #[test]
    fn blue_green_promotes_by_hand_in_production_only() {
        let blue_green = |overlay: &str| match testing::compile(testing::BASE, "prod", overlay)
            .model
            .and_then(|m| super::super::model::delivery(&m.workloads[0]).cloned())
            .map(|d| d.strategy)
        {
            Some(StrategyModel::BlueGreen(model)) => model,
            other => panic!("{overlay}: {other:?}"),
        };
        let prod = blue_green("workloads: { web: { delivery: { blueGreen: {} } } }\n");
        assert!(!prod.auto_promotion);
        assert_eq!(prod.scale_down_delay_seconds, 30);
        let staging =
            blue_green("tier: staging\nworkloads: { web: { delivery: { blueGreen: {} } } }\n");
        assert!(staging.auto_promotion);
        let explicit = blue_green(
            "workloads: { web: { delivery: { blueGreen: { autoPromotion: true, scaleDownDelaySeconds: 300 } } } }\n",
        );
        assert!(explicit.auto_promotion);
        assert_eq!(explicit.scale_down_delay_seconds, 300);
    }

    #[test]
    fn hosts() {
        assert!(is_host("preview.shop.example.com"));
        assert!(is_host("a-1.example"));
        for invalid in [
            "",
            "Preview.example.com",
            "-a.example",
            "a..b",
            "a_b.example",
            "a.example.",
        ] {
            assert!(!is_host(invalid), "{invalid}");
        }
    }
}
