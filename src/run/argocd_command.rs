//! `platformgen argocd` and `platformgen addons`: the ArgoCD objects that
//! sync the selected environments, and the add-ons their renders need.
//! Both compile each environment in full, since what they say follows from
//! the objects rendered.

use std::collections::BTreeMap;

use anyhow::{Context as _, Result};

use crate::capabilities::gitops::lower::{addons, argocd_objects};
use crate::cli::ArgocdArgs;
use crate::emit::{self, write};
use crate::object::{Manifest, sort_in_apply_order};
use crate::pipeline;
use crate::read::Loader;

use super::compile_all::compile_all;
use super::exit_code::{INVALID, NO, SUCCESS};
use super::output::{Printer, write_stdout};
use super::recovery_report::report_recovery;
use super::stale_report::report_check;

pub(super) fn argocd_command(
    loader: &Loader,
    names: &[String],
    args: &ArgocdArgs,
    printer: &Printer,
) -> Result<u8> {
    if let Some(out) = &args.out {
        write::check_out_dir(out, loader.root())?;
    }
    let Some(compilations) = compile_all(loader, names, printer, pipeline::compile) else {
        return Ok(INVALID);
    };
    // Every environment's objects in one set: the add-ons of a cluster that
    // several environments share are one object, which must come out the
    // same from each.
    let mut objects: BTreeMap<String, (String, Manifest)> = BTreeMap::new();
    for compilation in &compilations {
        let environment = &compilation.environment;
        let model = compilation.model.as_ref().expect("compiled without errors");
        if crate::capabilities::gitops::model::argocd(model).is_none() {
            say!(
                "error: environment `{environment}` has no `gitops.argocd` section (or it is disabled): nothing tells ArgoCD where its render is"
            );
            say!(
                "help: add `gitops: {{ argocd: {{ repoURL: <the repository holding the render> }} }}` to platform.yaml (docs/gitops.md)"
            );
            return Ok(INVALID);
        }
        let manifests = compilation
            .manifests
            .as_deref()
            .expect("compiled without errors");
        for manifest in argocd_objects(model, manifests) {
            let identity = manifest.identity();
            match objects.get(&identity) {
                Some((first, existing)) if existing.yaml() != manifest.yaml() => {
                    say!(
                        "error: environments `{first}` and `{environment}` render `{identity}` differently"
                    );
                    say!(
                        "help: environments on one cluster share its add-ons: give them the same `gitops.argocd.addons.charts`"
                    );
                    return Ok(INVALID);
                }
                Some(_) => {}
                None => {
                    objects.insert(identity, (environment.clone(), manifest));
                }
            }
        }
    }
    let mut manifests: Vec<Manifest> = objects.into_values().map(|(_, m)| m).collect();
    sort_in_apply_order(&mut manifests, |manifest| manifest);
    let Some(out) = &args.out else {
        write_stdout(&emit::stream(&manifests))?;
        return Ok(SUCCESS);
    };
    let tree = emit::tree(&manifests)?;
    if args.check {
        let stale = report_check(out, &write::check_tree(out, &tree)?, printer);
        return Ok(if stale { NO } else { SUCCESS });
    }
    let report = write::write_tree(out, &tree)
        .with_context(|| format!("cannot write `{}`", out.display()))?;
    report_recovery(out, &report, printer);
    printer.status(&format!(
        "argocd: {} written, {} unchanged, {} removed in {}",
        report.written.len(),
        report.unchanged.len(),
        report.removed.len(),
        out.display()
    ));
    Ok(SUCCESS)
}

/// One line per add-on: its name, chart, version, namespace and the kinds
/// needing it; per environment when several are selected.
pub(super) fn addons_command(loader: &Loader, names: &[String], printer: &Printer) -> Result<u8> {
    let Some(compilations) = compile_all(loader, names, printer, pipeline::compile) else {
        return Ok(INVALID);
    };
    let mut text = String::new();
    for compilation in &compilations {
        let model = compilation.model.as_ref().expect("compiled without errors");
        let manifests = compilation
            .manifests
            .as_deref()
            .expect("compiled without errors");
        let rows: Vec<[String; 5]> = addons(model, manifests)
            .into_iter()
            .map(|(name, chart, kinds)| match chart {
                Some(chart) => [
                    name.to_owned(),
                    format!("{} {}", chart.repo_url, chart.chart),
                    chart.version,
                    chart.namespace,
                    kinds.join(", "),
                ],
                None => [
                    name.to_owned(),
                    "(no chart: install it with your Gateway implementation)".to_owned(),
                    "-".to_owned(),
                    "-".to_owned(),
                    kinds.join(", "),
                ],
            })
            .collect();
        if names.len() > 1 {
            text.push_str(&format!("{}:\n", compilation.environment));
        }
        if rows.is_empty() {
            text.push_str("no add-ons: the render holds no custom resource\n");
            continue;
        }
        let header = [
            "ADD-ON".to_owned(),
            "CHART".to_owned(),
            "VERSION".to_owned(),
            "NAMESPACE".to_owned(),
            "NEEDED BY".to_owned(),
        ];
        let mut widths = [0usize; 5];
        for row in std::iter::once(&header).chain(&rows) {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        for row in std::iter::once(&header).chain(&rows) {
            let mut line = String::new();
            for (index, cell) in row.iter().enumerate() {
                if index + 1 == row.len() {
                    line.push_str(cell);
                } else {
                    line.push_str(&format!("{cell:<width$}  ", width = widths[index]));
                }
            }
            text.push_str(line.trim_end());
            text.push('\n');
        }
    }
    write_stdout(&text)?;
    Ok(SUCCESS)
}
