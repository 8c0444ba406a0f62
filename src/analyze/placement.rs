//! Where a workload's pods run: its node pool (labels into the `nodeSelector`,
//! taints into tolerations), its own `nodeSelector`, and its PriorityClass,
//! each reference checked against what the platform declares.

use std::collections::BTreeMap;

use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::model::TolerationModel;
use crate::spec::{Scheduling, Workload};

use super::Context;
use super::priority_classes::SYSTEM_CLASSES;

/// A workload's (or a data service's) resolved placement.
pub(crate) struct Placement {
    pub node_selector: BTreeMap<String, String>,
    pub tolerations: Vec<TolerationModel>,
    pub priority_class: Option<String>,
}

pub(super) fn resolve(ctx: &mut Context<'_>, name: &str, workload: &Workload) -> Placement {
    resolve_scheduling(ctx, &["workloads", name], &workload.scheduling)
}

/// The placement of an item with optional `scheduling` (a data service's):
/// none when absent, else [`resolve_scheduling`]'s.
pub(crate) fn placement_of(
    ctx: &mut Context<'_>,
    owner: &[&str],
    scheduling: Option<&Scheduling>,
) -> Placement {
    match scheduling {
        Some(scheduling) => resolve_scheduling(ctx, owner, scheduling),
        None => Placement {
            node_selector: BTreeMap::new(),
            tolerations: Vec::new(),
            priority_class: None,
        },
    }
}

/// The placement `scheduling` asks for, the spec item it belongs to being at
/// `owner` (`["workloads", "api"]`, `["postgres", "db"]`): every reference
/// checked, and reported at `<owner>.scheduling.<field>`.
fn resolve_scheduling(ctx: &mut Context<'_>, owner: &[&str], scheduling: &Scheduling) -> Placement {
    let at = |field: &[&str]| -> Vec<String> {
        owner
            .iter()
            .chain(&["scheduling"])
            .chain(field)
            .map(|s| (*s).to_owned())
            .collect()
    };
    let name = owner.last().copied().unwrap_or_default();
    let mut node_selector = scheduling.node_selector.clone();
    let mut tolerations = Vec::new();
    if let Some(pool_name) = &scheduling.node_pool {
        match ctx.spec.node_pools.get(pool_name) {
            Some(pool) => {
                for (key, value) in &pool.node_selector {
                    match node_selector.get(key) {
                        Some(own) if own != value => {
                            let path = at(&["nodeSelector", key]);
                            let span = ctx.value(&segments(&path));
                            let pool_span =
                                ctx.value(&["nodePools", pool_name, "nodeSelector", key]);
                            ctx.report(
                                Diagnostic::error(
                                    Code::NodeSelectorConflict,
                                    format!(
                                        "`{name}` selects `{key}: {own}` but its node pool `{pool_name}` selects `{key}: {value}`"
                                    ),
                                )
                                .at(span, "the workload's label")
                                .with_secondary(pool_span, "the pool's label")
                                .with_help(format!("remove `{key}` from the workload's `nodeSelector`, or choose another pool")),
                            );
                        }
                        _ => {
                            node_selector.insert(key.clone(), value.clone());
                        }
                    }
                }
                tolerations.extend(pool.taints.iter().map(|taint| TolerationModel {
                    key: taint.key.clone(),
                    value: taint.value.clone(),
                    effect: taint.effect,
                }));
            }
            None => {
                let path = at(&["nodePool"]);
                let span = ctx.value(&segments(&path));
                let declared: Vec<&str> = ctx.spec.node_pools.keys().map(String::as_str).collect();
                let note = if declared.is_empty() {
                    "no node pools are declared: add them under `nodePools`".to_owned()
                } else {
                    format!("declared node pools: {}", quoted(&declared))
                };
                ctx.report(
                    Diagnostic::error(
                        Code::UnknownNodePool,
                        format!("unknown node pool `{pool_name}`"),
                    )
                    .at(span, "not declared under `nodePools`")
                    .with_help_opt(suggestion::did_you_mean(
                        pool_name,
                        declared.iter().copied(),
                    ))
                    .with_note(note),
                );
            }
        }
    }
    if let Some(class) = &scheduling.priority_class
        && !ctx.spec.priority_classes.contains_key(class)
        && !SYSTEM_CLASSES.contains(&class.as_str())
    {
        let path = at(&["priorityClass"]);
        let span = ctx.value(&segments(&path));
        let declared: Vec<&str> = ctx
            .spec
            .priority_classes
            .keys()
            .map(String::as_str)
            .chain(SYSTEM_CLASSES.iter().copied())
            .collect();
        ctx.report(
            Diagnostic::error(
                Code::UnknownPriorityClass,
                format!("unknown priority class `{class}`"),
            )
            .at(span, "not declared under `priorityClasses`")
            .with_help_opt(suggestion::did_you_mean(class, declared.iter().copied()))
            .with_note(format!("known priority classes: {}", quoted(&declared))),
        );
    }
    Placement {
        node_selector,
        tolerations,
        priority_class: scheduling.priority_class.clone(),
    }
}

fn segments(path: &[String]) -> Vec<&str> {
    path.iter().map(String::as_str).collect()
}

fn quoted(words: &[&str]) -> String {
    words
        .iter()
        .map(|word| format!("`{word}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
