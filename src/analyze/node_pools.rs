//! Node pools the platform declares: valid names, selector labels and taints.
//! The pools render nothing themselves; `placement` applies them to workloads.

use crate::diagnostic::{Code, Diagnostic};

use super::Context;
use super::names::label_problem;
use super::object_names::{label_value_problem, qualified_key_problem};

pub(super) fn check(ctx: &mut Context<'_>) {
    for (name, pool) in &ctx.spec.node_pools {
        if let Some(problem) = label_problem(name, 63) {
            let span = ctx.key(&["nodePools", name]);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidName,
                    format!("invalid node pool name `{name}`"),
                )
                .at(span, problem),
            );
        }
        for (key, value) in &pool.node_selector {
            let path = ["nodePools", name.as_str(), "nodeSelector", key.as_str()];
            if let Some(problem) = qualified_key_problem(key) {
                let span = ctx.key(&path);
                ctx.report(
                    Diagnostic::error(Code::InvalidName, format!("invalid label key `{key}`"))
                        .at(span, problem),
                );
            }
            if let Some(problem) = label_value_problem(value) {
                let span = ctx.value(&path);
                ctx.report(
                    Diagnostic::error(Code::InvalidValue, format!("invalid label value `{value}`"))
                        .at(span, problem),
                );
            }
        }
        for (index, taint) in pool.taints.iter().enumerate() {
            let index = index.to_string();
            let path = ["nodePools", name.as_str(), "taints", index.as_str()];
            if let Some(problem) = qualified_key_problem(&taint.key) {
                let mut key_path = path.to_vec();
                key_path.push("key");
                let span = ctx.value(&key_path);
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidName,
                        format!("invalid taint key `{}`", taint.key),
                    )
                    .at(span, problem),
                );
            }
            if let Some(value) = &taint.value
                && let Some(problem) = label_value_problem(value)
            {
                let mut value_path = path.to_vec();
                value_path.push("value");
                let span = ctx.value(&value_path);
                ctx.report(
                    Diagnostic::error(Code::InvalidValue, format!("invalid taint value `{value}`"))
                        .at(span, problem),
                );
            }
        }
    }
}
