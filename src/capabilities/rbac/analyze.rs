//! RBAC: checks and resolves a workload's Kubernetes API access
//! (`serviceAccount.rules` and `clusterRules`) into its [`RbacModel`].

use crate::analyze::Context;
use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::model::PlatformModel;
use crate::spec::Workload;

use super::model::{RbacModel, RbacRuleModel};
use crate::spec::RbacRule;

/// Verbs the Kubernetes authorizer knows. A misspelt verb (`read`) would
/// grant nothing and fail only at run time, so it is an error here.
const VERBS: &[&str] = &[
    "get",
    "list",
    "watch",
    "create",
    "update",
    "patch",
    "delete",
    "deletecollection",
    "use",
    "bind",
    "escalate",
    "impersonate",
    "approve",
    "sign",
    "proxy",
    "*",
];

/// The capability's analysis: checks the rules of every enabled workload,
/// including those the core analysis left out of the model for errors of
/// their own (so one run reports every problem), and sets the access of each
/// workload in the model.
pub fn analyze(ctx: &mut Context<'_>, model: &mut PlatformModel) {
    let spec = ctx.spec;
    for (name, workload) in &spec.workloads {
        if workload.enabled == Some(false) {
            continue;
        }
        let rbac = resolve(ctx, name, workload);
        if let Some(&index) = model.workload_index.get(name) {
            super::model::ACCESS.set(&mut model.workloads[index].parts, rbac);
        }
    }
}

fn resolve(ctx: &mut Context<'_>, name: &str, workload: &Workload) -> RbacModel {
    let Some(account) = &workload.service_account else {
        return RbacModel::default();
    };
    RbacModel {
        rules: resolve_rules(ctx, name, "rules", &account.rules),
        cluster_rules: resolve_rules(ctx, name, "clusterRules", &account.cluster_rules),
    }
}

fn resolve_rules(
    ctx: &mut Context<'_>,
    name: &str,
    field: &str,
    rules: &[RbacRule],
) -> Vec<RbacRuleModel> {
    for (index, rule) in rules.iter().enumerate() {
        let index = index.to_string();
        for (list, values) in [("resources", &rule.resources), ("verbs", &rule.verbs)] {
            if values.is_empty() {
                let span = ctx.value(&["workloads", name, "serviceAccount", field, &index, list]);
                ctx.report(
                    Diagnostic::error(Code::InvalidValue, format!("`{list}` is empty"))
                        .at(span, "this rule would grant nothing")
                        .with_help("list what the workload needs, or remove the rule"),
                );
            }
        }
        for (position, verb) in rule.verbs.iter().enumerate() {
            if VERBS.contains(&verb.as_str()) {
                continue;
            }
            let position = position.to_string();
            let span = ctx.value(&[
                "workloads",
                name,
                "serviceAccount",
                field,
                &index,
                "verbs",
                &position,
            ]);
            ctx.report(
                Diagnostic::error(Code::InvalidValue, format!("unknown verb `{verb}`"))
                    .at(span, "not a Kubernetes API verb")
                    .with_help_opt(suggestion::did_you_mean(verb, VERBS.iter().copied()))
                    .with_note(format!("verbs: {}", VERBS.join(", "))),
            );
        }
    }
    rules
        .iter()
        .map(|rule| RbacRuleModel {
            api_groups: rule
                .api_groups
                .clone()
                .unwrap_or_else(|| vec![String::new()]),
            resources: rule.resources.clone(),
            resource_names: rule.resource_names.clone(),
            verbs: rule.verbs.clone(),
        })
        .collect()
}
