//! `platformgen kustomize --out DIR [--check]`: compiles every environment and
//! writes (or checks) the Kustomize base and overlays as one owned tree, with
//! the same guarantees as `render --out`: nothing is written unless every
//! environment compiles, only files platformgen wrote are replaced or pruned,
//! and `--check` exits 1 when the tree on disk is stale.

use anyhow::{Context as _, Result};

use crate::cli::KustomizeArgs;
use crate::emit::{self, write};
use crate::object::Manifest;
use crate::read::Loader;

use super::Printer;
use super::compile_all::compile_all;
use super::exit_code::{INVALID, NO, SUCCESS};
use super::recovery_report::report_recovery;

pub(super) fn kustomize_command(
    loader: &Loader,
    args: &KustomizeArgs,
    printer: &Printer,
) -> Result<u8> {
    write::check_out_dir(&args.out, loader.root())?;
    let names = loader.environments().with_context(|| {
        format!(
            "cannot list the environments of `{}`",
            loader.root().display()
        )
    })?;
    anyhow::ensure!(
        !names.is_empty(),
        "no environments: `{}` has no environments/<name>.yaml files",
        loader.root().display()
    );
    // Objects as text: the shared ones are compared by text, and only those
    // that differ between environments are read back into trees to patch.
    let Some(compilations) = compile_all(loader, &names, printer, crate::pipeline::compile_to_text)
    else {
        return Ok(INVALID);
    };
    // The process exits soon: freeing the compilations node by node costs
    // more than writing the tree, and the system reclaims them at exit (as
    // `render` does). The tree borrows their objects' text until then.
    let compilations = std::mem::ManuallyDrop::new(compilations);
    let environments: Vec<(String, &[Manifest])> = compilations
        .iter()
        .map(|compilation| {
            let manifests = compilation
                .manifests
                .as_deref()
                .expect("compiled without errors");
            (compilation.environment.clone(), manifests)
        })
        .collect();
    let tree = emit::kustomize(&environments)?;
    drop(environments);
    let out = &args.out;
    if args.check {
        let report = write::check_tree(out, &tree)
            .with_context(|| format!("cannot check `{}`", out.display()))?;
        if report.is_fresh() {
            printer.status(&format!("{} is up to date", out.display()));
            return Ok(SUCCESS);
        }
        say!("{} is stale:", out.display());
        for (label, paths) in [
            ("missing", &report.missing),
            ("changed", &report.changed),
            ("no longer generated", &report.extra),
        ] {
            for path in paths {
                say!("  {label}: {path}");
            }
        }
        say!("run `platformgen kustomize` with the same --out to update it");
        return Ok(NO);
    }
    let report = write::write_tree(out, &tree)
        .with_context(|| format!("cannot write `{}`", out.display()))?;
    report_recovery(out, &report, printer);
    printer.status(&format!(
        "{} environments: {} written, {} unchanged, {} removed in {}",
        names.len(),
        report.written.len(),
        report.unchanged.len(),
        report.removed.len(),
        out.display()
    ));
    Ok(SUCCESS)
}
