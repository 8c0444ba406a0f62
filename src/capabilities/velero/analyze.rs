//! The Velero capability's analysis: checks each schedule of
//! `backups.velero` (its cron expression, retention, namespaces and label
//! selector) and resolves it into a [`ScheduleModel`].
//!
//! What Velero does with a Schedule, which this encodes, is from Velero's
//! documentation and source (vmware-tanzu/velero, v1.16): the schedule
//! controller creates `<schedule>-<timestamp>` Backups labelled
//! `velero.io/schedule-name: <schedule>` (so the name is a label value);
//! `labelSelector` filters every namespaced object, and a pod's backup adds
//! its PersistentVolumeClaims and their volumes (`pkg/backup/actions`), so a
//! selector that matches no pod backs up no volume.

use std::collections::BTreeMap;

use crate::analyze::{Context, duration_minutes, go_duration, label_problem, schedule_problem};
use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::model::{PlatformModel, labels};
use crate::spec::Tier;

use super::model::{ScheduleModel, VeleroModel};
use super::spec::{VeleroScheduleSpec, VeleroSpec, VolumeBackup};

/// Velero's install namespace (`velero install`, the Helm chart's docs).
const DEFAULT_NAMESPACE: &str = "velero";
/// Longest label value: the Backups' `velero.io/schedule-name`.
const MAX_LABEL_VALUE: usize = 63;

/// The capability's analysis hook.
pub fn analyze(ctx: &mut Context<'_>, model: &mut PlatformModel) {
    let spec = ctx.spec;
    let Some(velero) =
        crate::capabilities::velero::spec::backups(spec).and_then(|b| b.velero.as_ref())
    else {
        return;
    };
    if velero.enabled == Some(false) {
        return;
    }
    let namespace = velero
        .namespace
        .clone()
        .unwrap_or_else(|| DEFAULT_NAMESPACE.to_owned());
    if model.namespaces.iter().any(|n| n.name == namespace) {
        let span = ctx.value(&["backups", "velero", "namespace"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("Velero cannot run in the platform namespace `{namespace}`"),
            )
            .at(span, "a platform namespace")
            .with_note("every platform namespace denies all traffic by default, which would cut Velero off from the API server and its storage location")
            .with_help("name the namespace Velero is installed in, `velero` by default"),
        );
    }
    let mut schedules = Vec::new();
    for (name, schedule) in &velero.schedules {
        if schedule.enabled == Some(false) {
            continue;
        }
        if let Some(resolved) = resolve(ctx, model, velero, name, schedule) {
            schedules.push(resolved);
        }
    }
    super::model::VELERO.set(
        &mut model.parts,
        VeleroModel {
            namespace,
            schedules,
        },
    );
}

fn resolve(
    ctx: &mut Context<'_>,
    model: &PlatformModel,
    velero: &VeleroSpec,
    name: &str,
    spec: &VeleroScheduleSpec,
) -> Option<ScheduleModel> {
    let path = ["backups", "velero", "schedules", name];
    let field = |field: &'static str| -> Vec<&str> { [&path[..], &[field]].concat() };
    let errors_before = ctx.diagnostics.error_count();

    let object_name = format!("{}-{name}", model.name);
    let room = MAX_LABEL_VALUE.saturating_sub(model.name.len() + 1);
    if let Some(problem) = label_problem(name, room) {
        let span = ctx.key(&path);
        ctx.report(
            Diagnostic::error(Code::InvalidName, format!("invalid schedule name `{name}`"))
                .at(span, problem)
                .with_note(format!(
                    "the Schedule is `{object_name}`, and Velero labels each of its backups with that name: a label value of at most {MAX_LABEL_VALUE} characters"
                )),
        );
    }
    if let Some(problem) = schedule_problem(&spec.schedule) {
        let span = ctx.value(&field("schedule"));
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("invalid backup schedule `{}`", spec.schedule),
            )
            .at(span, problem)
            .with_help("a cron expression such as `0 2 * * *` (02:00 every day, UTC)"),
        );
    }
    let retention = spec.retention.as_deref().unwrap_or(match model.tier {
        Tier::Production => "30d",
        Tier::Staging => "7d",
        Tier::Development => "3d",
    });
    let ttl = duration_minutes(retention).map(go_duration);
    if ttl.is_none() {
        let span = ctx.value(&field("retention"));
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("invalid backup retention `{retention}`"),
            )
            .at(span, "expected a number and a unit: m, h, d or w")
            .with_help("for example `30d` keeps each backup for 30 days"),
        );
    }
    if spec.namespaces.is_empty() {
        let span = ctx.key(&field("namespaces"));
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("schedule `{name}` backs up no namespace"),
            )
            .at(span, "empty")
            .with_help("list the platform namespaces to back up"),
        );
    }
    for (index, namespace) in spec.namespaces.iter().enumerate() {
        if model.namespaces.iter().any(|n| &n.name == namespace) {
            continue;
        }
        let index = index.to_string();
        let span = ctx.value(&[&field("namespaces")[..], &[index.as_str()]].concat());
        ctx.report(
            Diagnostic::error(
                Code::UnknownNamespace,
                format!("`{namespace}` is not a namespace of the platform"),
            )
            .at(span, "not declared under `namespaces`")
            .with_help_opt(suggestion::did_you_mean(
                namespace,
                model.namespaces.iter().map(|n| n.name.as_str()),
            )),
        );
    }
    if !spec.match_labels.is_empty() && !selects_a_pod(model, &spec.namespaces, &spec.match_labels)
    {
        let span = ctx.key(&field("matchLabels"));
        let shown: Vec<String> = spec
            .match_labels
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        ctx.report(
            Diagnostic::error(
                Code::BackupSelectsNothing,
                format!(
                    "schedule `{name}` selects no pod: nothing carries {{ {} }}",
                    shown.join(", ")
                ),
            )
            .at(span, "matches no pod in the schedule's namespaces")
            .with_note("Velero backs up only the objects carrying these labels, and volumes through the pods that mount them: every backup would be empty")
            .with_help(format!(
                "select by the labels the platform renders, e.g. `{}: <workload>`, or remove `matchLabels` to back up the whole namespaces",
                labels::NAME
            )),
        );
    }
    let exclude_postgres = spec.include_postgres_volumes != Some(true)
        && crate::capabilities::postgres::model::rendered(model)
            .iter()
            .any(|cluster| spec.namespaces.contains(&cluster.namespace));
    let (snapshot_volumes, file_system_backup) =
        match spec.volumes.unwrap_or(VolumeBackup::Snapshot) {
            VolumeBackup::Snapshot => (true, false),
            VolumeBackup::FileSystem => (false, true),
            VolumeBackup::None => (false, false),
        };
    if ctx.diagnostics.error_count() > errors_before {
        return None;
    }
    Some(ScheduleModel {
        name: object_name,
        schedule: spec.schedule.clone(),
        ttl: ttl?,
        namespaces: spec.namespaces.clone(),
        snapshot_volumes,
        file_system_backup,
        match_labels: spec.match_labels.clone(),
        exclude_postgres,
        storage_location: spec
            .storage_location
            .clone()
            .or_else(|| velero.storage_location.clone()),
        origin: ctx.key(&path),
    })
}

/// Whether some pod the platform runs in `namespaces` (a workload's, or one
/// an operator runs for a data service) carries every label of `wanted`.
fn selects_a_pod(
    model: &PlatformModel,
    namespaces: &[String],
    wanted: &BTreeMap<String, String>,
) -> bool {
    let carries = |labels: &BTreeMap<String, String>| {
        wanted
            .iter()
            .all(|(key, value)| labels.get(key) == Some(value))
    };
    model
        .workloads
        .iter()
        .filter(|w| namespaces.contains(&w.namespace))
        .any(|w| carries(&labels::workload_labels(model, w)))
        || model
            .pod_groups
            .iter()
            .filter(|g| namespaces.contains(&g.namespace))
            .any(|g| carries(&g.pod_labels))
}

#[cfg(test)]
mod tests {
    use crate::testing;

    const OVERLAY: &str = "\
backups:
  velero:
    schedules:
      nightly: { schedule: \"0 2 * * *\", namespaces: [shop] }
      weekly: { schedule: \"0 3 * * 0\", namespaces: [shop], retention: 8w, volumes: none, enabled: true }
      off: { schedule: \"0 4 * * *\", namespaces: [shop], enabled: false }
";

    #[test]
    fn schedules_resolve_with_the_tier_retention_and_platform_prefix() {
        let model = testing::platform(OVERLAY);
        let velero = super::super::model::velero(&model).expect("velero");
        assert_eq!(velero.namespace, "velero");
        let names: Vec<&str> = velero.schedules.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["shop-nightly", "shop-weekly"]);
        assert_eq!(velero.schedules[0].ttl, "720h0m0s");
        assert!(velero.schedules[0].snapshot_volumes);
        assert_eq!(velero.schedules[1].ttl, "1344h0m0s");
        assert!(!velero.schedules[1].snapshot_volumes);
        assert!(!velero.schedules[1].file_system_backup);
        // No PostgreSQL cluster in `shop`.
        assert!(!velero.schedules[0].exclude_postgres);
    }

    #[test]
    fn a_selector_must_match_a_pod_of_the_platform() {
        let matching = "backups:\n  velero:\n    schedules:\n      web: { schedule: \"0 2 * * *\", namespaces: [shop], matchLabels: { app.kubernetes.io/name: web } }\n";
        assert!(super::super::model::velero(&testing::platform(matching)).is_some());
        let compilation = testing::compile(
            testing::BASE,
            "prod",
            "backups:\n  velero:\n    schedules:\n      web: { schedule: \"0 2 * * *\", namespaces: [shop], matchLabels: { app: web } }\n",
        );
        let codes: Vec<_> = compilation.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, [crate::diagnostic::Code::BackupSelectsNothing]);
    }
}
