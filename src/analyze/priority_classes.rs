//! PriorityClasses the platform declares: valid names outside the reserved
//! `system-` prefix, values below the system range, at most one global
//! default. Resolves them into [`PriorityClassModel`]s.

use crate::diagnostic::{Code, Diagnostic};
use crate::model::PriorityClassModel;
use crate::spec::PreemptionPolicy;

use super::Context;
use super::object_names::subdomain_problem;

/// Kubernetes' own classes, which exist in every cluster.
pub(super) const SYSTEM_CLASSES: &[&str] = &["system-cluster-critical", "system-node-critical"];
/// Values above this are reserved for system classes.
const MAX_USER_VALUE: i32 = 1_000_000_000;

pub(super) fn resolve(ctx: &mut Context<'_>) -> Vec<PriorityClassModel> {
    let mut models = Vec::new();
    let mut first_default: Option<&str> = None;
    for (name, class) in &ctx.spec.priority_classes {
        let path = ["priorityClasses", name.as_str()];
        let problem = subdomain_problem(name).or_else(|| {
            name.starts_with("system-")
                .then(|| "the `system-` prefix is reserved for Kubernetes' own classes".to_owned())
        });
        if let Some(problem) = problem {
            let span = ctx.key(&path);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidName,
                    format!("invalid priority class name `{name}`"),
                )
                .at(span, problem),
            );
        }
        if class.value > MAX_USER_VALUE {
            let span = ctx.value(&["priorityClasses", name, "value"]);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!(
                        "priority {} is in the range reserved for system classes",
                        class.value
                    ),
                )
                .at(span, format!("must be at most {MAX_USER_VALUE}")),
            );
        }
        let global_default = class.global_default == Some(true);
        if global_default {
            if let Some(first) = first_default {
                let span = ctx.value(&["priorityClasses", name, "globalDefault"]);
                let first_span = ctx.value(&["priorityClasses", first, "globalDefault"]);
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!(
                            "priority classes `{first}` and `{name}` are both the global default"
                        ),
                    )
                    .at(span, "second default")
                    .with_secondary(first_span, "first default"),
                );
            } else {
                first_default = Some(name);
            }
        }
        models.push(PriorityClassModel {
            name: name.clone(),
            value: class.value,
            description: class.description.clone(),
            global_default,
            preemption_policy: class
                .preemption_policy
                .unwrap_or(PreemptionPolicy::PreemptLowerPriority),
            origin: ctx.key(&path),
        });
    }
    models
}
