//! `platformgen diff`: compiles the spec, gets the previous render (a tree
//! written by `render --out`, or the spec compiled at a git revision, `HEAD`
//! by default), diffs them per environment and prints the report.
//!
//! Exit codes, as `diff(1)` and ripgrep: 0 no change, 1 changes, 2 error;
//! with `--fail-on-destructive`, 3 when a change is one Kubernetes refuses or
//! one that destroys data.

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use anyhow::{Context as _, Result, bail};

use crate::cli::{ColorChoice, DiffArgs, DiffFormat};
use crate::diagnostic::render;
use crate::diff::{self, DiffOptions, EnvironmentDiff};
use crate::emit;
use crate::object::Manifest;
use crate::pipeline::{self, Compilation};
use crate::read::SpecSource;
use crate::read::{GitRevision, Loader, ParsedOnce};

use super::Printer;
use super::exit_code::{DESTRUCTIVE, INVALID, NO, SUCCESS};
use super::output::write_stdout;

/// The default of `--against-ref`: the last commit, so `diff` before a commit
/// or a pull request shows exactly what the work in progress changes.
const DEFAULT_REVISION: &str = "HEAD";

/// What the new render is compared with.
enum Against {
    Dir(PathBuf),
    Revision(GitRevision),
}

pub(super) fn diff_command(
    loader: &Loader,
    args: &DiffArgs,
    color: ColorChoice,
    printer: &Printer,
) -> Result<u8> {
    let options = DiffOptions {
        context: args.context,
        show_secrets: args.show_secrets,
    };
    // Reach the previous side first: a mistyped ref or directory fails
    // before anything is compiled.
    let (against, label) = match (&args.against, &args.against_ref) {
        (Some(dir), _) => {
            anyhow::ensure!(
                emit::is_directory(dir),
                "`{}` is not a directory",
                dir.display()
            );
            (Against::Dir(dir.clone()), dir.display().to_string())
        }
        (None, revision) => {
            let revision = revision.as_deref().unwrap_or(DEFAULT_REVISION);
            let opened = GitRevision::open(loader.root(), revision).with_context(|| {
                if args.against_ref.is_none() {
                    format!(
                        "cannot compare with `{DEFAULT_REVISION}` (the default); \
                         name a render with --against DIR or a revision with --against-ref"
                    )
                } else {
                    format!("cannot compare with `{revision}`")
                }
            })?;
            (Against::Revision(opened), revision.to_owned())
        }
    };

    let current_environments = loader.environments().with_context(|| {
        format!(
            "cannot list the environments of `{}`",
            loader.root().display()
        )
    })?;
    let names = match &args.selection.environment {
        Some(environment) => vec![environment.clone()],
        None => all_environments(&current_environments, &against)?,
    };

    // Both sides at once: the new render of each environment is compiled
    // on a second thread and handed over, while this one compiles the
    // revision's (a compilation leaves a core idle while it reads and
    // analyses its spec). Each environment is diffed as soon as both sides
    // are there, so only one previous render is held at a time.
    let is_current = |name: &String| !args.selection.all || current_environments.contains(name);
    // Each side parses its platform file once for all its environments.
    let current_source = ParsedOnce::new(loader, names.iter().filter(|n| is_current(n)).count());
    let (compiled, mut previous) = std::thread::scope(|scope| {
        let (names, current_source, is_current) = (&names, &current_source, &is_current);
        // Objects as text: compared by text, and only those that differ are
        // read back into trees (see `diff`).
        let compile_current = |name: &String| {
            is_current(name).then(|| pipeline::compile_to_text(current_source, name))
        };
        let (sender, receiver) = mpsc::channel();
        let helper = std::thread::Builder::new().spawn_scoped(scope, move || {
            for name in names {
                if sender.send(compile_current(name)).is_err() {
                    return;
                }
            }
        });
        // The revision's environments, listed once; an error listing them
        // is reported by `diff_environment`.
        let listed = match &against {
            Against::Revision(revision) => revision.environments().unwrap_or_default(),
            Against::Dir(_) => Vec::new(),
        };
        let revision_source = match &against {
            Against::Revision(revision) => Some(ParsedOnce::new(
                revision,
                names.iter().filter(|name| listed.contains(name)).count(),
            )),
            Against::Dir(_) => None,
        };
        let mut compiled = Vec::with_capacity(names.len());
        let mut previous = Vec::with_capacity(names.len());
        for name in names {
            let revision = compile_revision(revision_source.as_ref(), &listed, name);
            // When no thread could be started, the new render is compiled
            // here, after the revision's.
            let current = match &helper {
                Ok(_) => receiver
                    .recv()
                    .expect("the new render of every environment is handed over"),
                Err(_) => compile_current(name),
            };
            let manifests = current
                .as_ref()
                .and_then(|compilation| compilation.manifests.as_deref())
                .unwrap_or_default();
            // A new render with errors ends the command before any diff.
            let diffed = !current.as_ref().is_some_and(Compilation::has_errors);
            previous.push(
                revision
                    .filter(|_| diffed)
                    .map(|revision| compared(name, revision, manifests, options)),
            );
            compiled.push(current);
        }
        (compiled, previous)
    });

    // The new render of every environment; an environment that only the
    // previous side has renders to nothing (all of it removed).
    let mut failed = false;
    let mut current: Vec<Vec<Manifest>> = Vec::with_capacity(names.len());
    for compilation in compiled {
        let Some(mut compilation) = compilation else {
            current.push(Vec::new());
            continue;
        };
        failed |= printer.diagnostics(&compilation);
        current.push(compilation.manifests.take().unwrap_or_default());
        // Only the objects are needed from here on. The process exits soon:
        // freeing the trees, spec and model node by node would cost more
        // than the diff, and the system reclaims them at exit (as `render`
        // does).
        std::mem::forget(compilation);
    }
    if failed {
        return Ok(INVALID);
    }

    let mut diffs = Vec::with_capacity(names.len());
    for ((name, manifests), previous) in names.iter().zip(&current).zip(&mut previous) {
        let Some(diff) = diff_environment(
            name,
            manifests,
            &against,
            previous.take(),
            args.selection.all,
            options,
            printer,
        )?
        else {
            return Ok(INVALID);
        };
        diffs.push(diff);
    }

    match args.format {
        DiffFormat::Text => {
            let color = match color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
                }
            };
            write_stdout(&diff::text_report(&diffs, color))?;
            for diff in &diffs {
                printer.status(&diff.summary_line());
            }
        }
        DiffFormat::Markdown => write_stdout(&diff::markdown_report(&diffs, &label))?,
        DiffFormat::Json => {
            let mut text = serde_json::to_string_pretty(&diff::json_report(&diffs, &label))?;
            text.push('\n');
            write_stdout(&text)?;
        }
    }
    for line in diffs.iter().filter_map(EnvironmentDiff::hazard_line) {
        printer.status(&line);
    }
    let changed = diffs.iter().any(|diff| !diff.resources.is_empty());
    let destructive = diffs.iter().any(EnvironmentDiff::has_failing_hazards);
    Ok(if destructive && args.fail_on_destructive {
        DESTRUCTIVE
    } else if changed {
        NO
    } else {
        SUCCESS
    })
}

/// `--all`: the environments of the spec and those of the previous side, so
/// an environment added or deleted since shows as wholly added or removed.
fn all_environments(current: &[String], against: &Against) -> Result<Vec<String>> {
    let mut names: BTreeSet<String> = current.iter().cloned().collect();
    match against {
        Against::Revision(revision) => {
            let previous = revision.environments().map_err(|diagnostic| {
                anyhow::anyhow!(
                    "cannot list the environments at `{}`: {}",
                    revision.revision(),
                    diagnostic.message
                )
            })?;
            names.extend(previous);
        }
        Against::Dir(dir) => {
            let rendered = emit::rendered_subdirectories(dir)
                .with_context(|| format!("cannot read `{}`", dir.display()))?;
            let found = !rendered.is_empty();
            names.extend(rendered);
            if !found {
                bail!(
                    "`{}` holds no render of any environment: with --all it must be the \
                     directory given to `render --all --out`, holding <env>/.platformgen-index",
                    dir.display()
                );
            }
        }
    }
    anyhow::ensure!(
        !names.is_empty(),
        "no environments: neither the spec nor the previous render has any"
    );
    Ok(names.into_iter().collect())
}

/// The revision's compilation of `name`: `None` when the previous side is
/// a directory (no `revision`), or `name` is not among the revision's
/// environments, `listed`.
fn compile_revision(
    revision: Option<&ParsedOnce<'_, GitRevision>>,
    listed: &[String],
    name: &str,
) -> Option<Compilation> {
    let revision = revision?;
    listed
        .iter()
        .any(|listed| listed == name)
        .then(|| pipeline::compile_to_text(revision, name))
}

/// The revision's side of one environment, once compiled.
enum Previous {
    /// The diff of the new render against it.
    Diffed(EnvironmentDiff),
    /// It does not compile: its diagnostics are printed in their turn.
    Failed(Box<Compilation>),
}

/// Diffs `current`, the new render of `name`, against the revision's
/// compilation, unless that has errors.
fn compared(
    name: &str,
    mut revision: Compilation,
    current: &[Manifest],
    options: DiffOptions,
) -> Previous {
    // Warnings about the old spec are not news; errors stop the diff.
    if revision.has_errors() {
        return Previous::Failed(Box::new(revision));
    }
    let previous = revision.manifests.take().unwrap_or_default();
    // See `diff_command`: not worth freeing before exit.
    std::mem::forget(revision);
    let current: Vec<&Manifest> = current.iter().collect();
    Previous::Diffed(diff::diff(name, &previous, &current, options))
}

/// Diffs one environment against the previous side, given the revision's
/// side of it when the revision lists it; `None` when the previous side
/// has problems (already printed).
fn diff_environment(
    name: &str,
    current: &[Manifest],
    against: &Against,
    previous: Option<Previous>,
    all: bool,
    options: DiffOptions,
    printer: &Printer,
) -> Result<Option<EnvironmentDiff>> {
    match against {
        Against::Revision(revision) => {
            // Listed again for its error: nothing was compiled when the
            // listing failed.
            revision
                .environments()
                .map_err(|diagnostic| anyhow::anyhow!("{}", diagnostic.message))?;
            match previous {
                // New since the revision: everything is added.
                None => {
                    let current: Vec<&Manifest> = current.iter().collect();
                    Ok(Some(diff::diff(name, &[], &current, options)))
                }
                Some(Previous::Diffed(diff)) => Ok(Some(diff)),
                Some(Previous::Failed(compilation)) => {
                    printer.diagnostics(&compilation);
                    say!(
                        "error: the spec at `{}` (commit {}) does not compile for `{name}`; \
                         compare with another revision (--against-ref) or a render (--against)",
                        revision.revision(),
                        revision.commit().get(..12).unwrap_or(revision.commit())
                    );
                    Ok(None)
                }
            }
        }
        Against::Dir(dir) => {
            // `--against deploy` for one environment of a `render --all
            // --out deploy` tree means `deploy/<env>`.
            let per_environment =
                all || (!emit::is_render_dir(dir) && emit::is_render_dir(&dir.join(name)));
            let dir = if per_environment {
                dir.join(name)
            } else {
                dir.clone()
            };
            if all && !emit::is_render_dir(&dir) {
                let current: Vec<&Manifest> = current.iter().collect();
                return Ok(Some(diff::diff(name, &[], &current, options)));
            }
            let files = emit::read_render_dir(&dir)?;
            let previous = diff::previous_render(&label_of(&dir), files, current);
            if !previous.diagnostics.is_empty() {
                say!(
                    "{}",
                    render::render_all(&previous.diagnostics, &previous.sources, printer.options)
                );
                return Ok(None);
            }
            let remaining = previous.remaining(current);
            Ok(Some(diff::diff(
                name,
                &previous.manifests,
                &remaining,
                options,
            )))
        }
    }
}

/// The directory as the user wrote it, `/`-separated, for file names in
/// messages.
fn label_of(dir: &Path) -> String {
    dir.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
        .replace("//", "/")
}
