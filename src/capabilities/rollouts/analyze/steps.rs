//! A canary's steps: each one thing (a weight, a pause, the analysis),
//! weights within 0–100 and rising.

use crate::analyze::Context;
use crate::diagnostic::{Code, Diagnostic};

use super::super::model::StepModel;
use super::super::spec::CanaryStep;

/// The steps of `workloads.<name>.delivery.canary`, checked; `None` after
/// an error.
pub(super) fn resolve(
    ctx: &mut Context<'_>,
    name: &str,
    steps: &[CanaryStep],
) -> Option<Vec<StepModel>> {
    let path = ["workloads", name, "delivery", "canary", "steps"];
    if steps.is_empty() {
        ctx.report(
            Diagnostic::error(Code::InvalidDelivery, "a canary without steps")
                .at(ctx.value(&path), "expected at least one step")
                .with_help("for example `steps: [{ setWeight: 20 }, { pause: 5m }, { setWeight: 50 }, { pause: 5m }]`"),
        );
        return None;
    }
    let mut resolved = Vec::with_capacity(steps.len());
    let mut ok = true;
    // The highest weight so far, and its index, for the error's second label.
    let mut highest: Option<(u32, usize)> = None;
    for (index, step) in steps.iter().enumerate() {
        let position = index.to_string();
        let at = |key: &'static str| {
            let mut full: Vec<&str> = path.to_vec();
            full.push(&position);
            if !key.is_empty() {
                full.push(key);
            }
            full
        };
        let written = usize::from(step.set_weight.is_some())
            + usize::from(step.pause.is_some())
            + usize::from(step.analysis.is_some());
        if written != 1 {
            ctx.report(
                Diagnostic::error(
                    Code::InvalidDelivery,
                    format!("canary step {} sets {written} actions", index + 1),
                )
                .at(
                    ctx.value(&at("")),
                    "expected exactly one of `setWeight`, `pause`, `analysis`",
                )
                .with_help("write each action as a step of its own"),
            );
            ok = false;
            continue;
        }
        if let Some(weight) = step.set_weight {
            if weight > 100 {
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidDelivery,
                        format!("weight {weight} is above 100"),
                    )
                    .at(
                        ctx.value(&at("setWeight")),
                        "expected a percentage from 0 to 100",
                    ),
                );
                ok = false;
                continue;
            }
            if let Some((previous, previous_index)) = highest
                && weight <= previous
            {
                let previous_position = previous_index.to_string();
                let mut previous_path: Vec<&str> = path.to_vec();
                previous_path.extend([previous_position.as_str(), "setWeight"]);
                ctx.report(
                    Diagnostic::error(
                        Code::CanaryWeightsNotRising,
                        format!(
                            "canary weight {weight} does not rise above the earlier {previous}"
                        ),
                    )
                    .at(ctx.value(&at("setWeight")), "this weight")
                    .with_secondary(ctx.value(&previous_path), "set earlier")
                    .with_help(
                        "order the steps by rising weight; an abort is what sends traffic back",
                    ),
                );
                ok = false;
            }
            highest = Some((weight, index));
            resolved.push(StepModel::SetWeight(weight));
        } else if let Some(pause) = &step.pause {
            if pause == "manual" {
                resolved.push(StepModel::PauseUntilPromoted);
            } else if let Some(seconds) = crate::analyze::duration_seconds(pause) {
                resolved.push(StepModel::Pause(seconds));
            } else {
                ctx.report(
                    Diagnostic::error(Code::InvalidDelivery, format!("invalid pause `{pause}`"))
                        .at(
                            ctx.value(&at("pause")),
                            "expected a duration such as `30s`, `10m`, `1h`, or `manual`",
                        ),
                );
                ok = false;
            }
        } else {
            resolved.push(StepModel::Analysis);
        }
    }
    ok.then_some(resolved)
}
