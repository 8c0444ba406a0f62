//! StorageClasses: the ones `cloud` generates, adjusted or extended by
//! `storageClasses`, plus the names of classes the cluster already has; and
//! a warning for a workload volume naming a class that is none of these
//! (its claim would stay Pending). Resolves the classes to render into
//! [`StorageClassModel`]s.

use std::collections::BTreeMap;

mod presets;

use crate::analyze::{Context, subdomain_problem};
use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::model::PlatformModel;
use crate::spec::Tier;

use super::model::StorageClassModel;
use super::spec::{ReclaimPolicy, StorageClassSpec, VolumeBindingMode};
use presets::{Preset, presets};

/// The capability's analysis: the classes to render, and a warning for each
/// workload volume naming a class that is not known.
pub fn analyze(ctx: &mut Context<'_>, model: &mut PlatformModel) {
    // Outside development a volume outlives its claim: deleting a
    // PersistentVolumeClaim (or a namespace, or pruning one from GitOps)
    // must not destroy the data with it.
    let reclaim = if model.tier == Tier::Development {
        ReclaimPolicy::Delete
    } else {
        ReclaimPolicy::Retain
    };
    super::model::STORAGE_CLASSES.set(&mut model.parts, resolve(ctx, reclaim));
    check_references(ctx);
}

fn resolve(ctx: &mut Context<'_>, reclaim: ReclaimPolicy) -> Vec<StorageClassModel> {
    let generated = ctx.spec.cloud.map(presets);
    let mut models = Vec::new();
    let none = StorageClassSpec::default();
    for preset in generated.iter().flatten() {
        let declared =
            crate::capabilities::storage_class::spec::storage_classes(ctx.spec).get(preset.name);
        let key = ctx.key(&["storageClasses", preset.name]);
        match declared {
            // The cluster has its own class of that name.
            Some(declared) if declared.existing == Some(true) => {}
            // A provisioner of its own replaces the preset.
            Some(declared) if declared.provisioner.is_some() => {
                models.push(model(preset.name, None, declared, key, reclaim));
            }
            Some(declared) => models.push(model(preset.name, Some(preset), declared, key, reclaim)),
            None => {
                let origin = ctx.value(&["cloud"]);
                models.push(model(preset.name, Some(preset), &none, origin, reclaim));
            }
        }
    }
    let generated_names: Vec<&str> = generated.iter().flatten().map(|p| p.name).collect();
    for (name, declared) in crate::capabilities::storage_class::spec::storage_classes(ctx.spec) {
        let path = ["storageClasses", name.as_str()];
        if let Some(problem) = subdomain_problem(name) {
            let span = ctx.key(&path);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidName,
                    format!("invalid storage class name `{name}`"),
                )
                .at(span, problem),
            );
        }
        if declared.existing == Some(true) {
            let others_set = declared.provisioner.is_some()
                || !declared.parameters.is_empty()
                || declared.reclaim_policy.is_some()
                || declared.volume_binding_mode.is_some()
                || declared.allow_volume_expansion.is_some()
                || declared.default.is_some();
            if others_set {
                let span = ctx.key(&path);
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!(
                            "storage class `{name}` is `existing` but also sets how to create it"
                        ),
                    )
                    .at(span, "the cluster's own class is used as it is")
                    .with_help(
                        "remove `existing: true` to render the class, or remove the other fields",
                    ),
                );
            }
            continue;
        }
        if generated_names.contains(&name.as_str()) {
            continue;
        }
        if declared.provisioner.is_none() {
            let span = ctx.key(&path);
            let help = if ctx.spec.cloud.is_none() && [FAST, STD].contains(&name.as_str()) {
                format!(
                    "set `cloud` to generate `{name}`, set `provisioner`, or write `existing: true` if the cluster already has it"
                )
            } else {
                "set `provisioner` (the CSI driver), or write `existing: true` if the cluster already has it".to_owned()
            };
            ctx.report(
                Diagnostic::error(
                    Code::MissingField,
                    format!("storage class `{name}` has no `provisioner`"),
                )
                .at(span, "needs a provisioner to be rendered")
                .with_help(help),
            );
            continue;
        }
        let origin = ctx.key(&path);
        models.push(model(name, None, declared, origin, reclaim));
    }
    let defaults: Vec<&StorageClassModel> = models.iter().filter(|m| m.default).collect();
    if let [first, second, ..] = defaults.as_slice() {
        let (first, second) = (first.name.clone(), second.name.clone());
        let span = ctx.value(&["storageClasses", &second, "default"]);
        let first_span = ctx.value(&["storageClasses", &first, "default"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("storage classes `{first}` and `{second}` are both the default"),
            )
            .at(span, "second default")
            .with_secondary(first_span, "first default"),
        );
    }
    models
}

const FAST: &str = presets::FAST_SSD;
const STD: &str = presets::STANDARD;

/// A class from an optional preset and what the spec declares over it.
fn model(
    name: &str,
    preset: Option<&Preset>,
    declared: &StorageClassSpec,
    origin: crate::source::Span,
    reclaim: ReclaimPolicy,
) -> StorageClassModel {
    let mut parameters: BTreeMap<String, String> = preset
        .map(|p| {
            p.parameters
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        })
        .unwrap_or_default();
    parameters.extend(declared.parameters.clone());
    StorageClassModel {
        name: name.to_owned(),
        provisioner: declared
            .provisioner
            .clone()
            .or_else(|| preset.map(|p| p.provisioner.to_owned()))
            .unwrap_or_default(),
        parameters,
        reclaim_policy: declared.reclaim_policy.unwrap_or(reclaim),
        volume_binding_mode: declared
            .volume_binding_mode
            .unwrap_or(VolumeBindingMode::WaitForFirstConsumer),
        allow_volume_expansion: declared
            .allow_volume_expansion
            .unwrap_or(preset.is_none_or(|p| p.allow_volume_expansion)),
        default: declared.default == Some(true),
        origin,
    }
}

/// Workload volumes naming a class nobody generates or declares.
fn check_references(ctx: &mut Context<'_>) {
    for (name, workload) in &ctx.spec.workloads {
        if workload.enabled == Some(false) {
            continue;
        }
        if let Some(class) = workload
            .storage
            .as_ref()
            .and_then(|s| s.storage_class.as_deref())
        {
            check_class(ctx, class, &["workloads", name, "storage", "storageClass"]);
        }
    }
}

/// A warning (PG3019) at `path` when `class`, the class of a volume the
/// spec declares (a workload's, or a data service's, whose operator creates
/// the claims), is neither generated nor declared.
pub fn check_class(ctx: &mut Context<'_>, class: &str, path: &[&str]) {
    let mut known: Vec<&str> = ctx
        .spec
        .cloud
        .map(presets)
        .iter()
        .flatten()
        .map(|p| p.name)
        .collect();
    known.extend(
        crate::capabilities::storage_class::spec::storage_classes(ctx.spec)
            .keys()
            .map(String::as_str),
    );
    if known.contains(&class) {
        return;
    }
    let span = ctx.value(path);
    let help = suggestion::did_you_mean(class, known.iter().copied()).unwrap_or_else(|| {
        if ctx.spec.cloud.is_none() && [FAST, STD].contains(&class) {
            format!("set `cloud` to generate `{class}`, or declare it under `storageClasses` (`existing: true` if the cluster has it)")
        } else {
            format!("declare it under `storageClasses` (`{class}: {{ existing: true }}` if the cluster has it)")
        }
    });
    ctx.report(
        Diagnostic::warning(
            Code::UnknownStorageClass,
            format!("storage class `{class}` is neither generated nor declared"),
        )
        .at(
            span,
            "the volume stays Pending if the cluster has no such class",
        )
        .with_help(help),
    );
}
