//! Micro benchmark of `platformgen diff` and `platformgen kustomize`, in
//! process, so that compiling the two specs does not hide what the diff costs.
//!
//! ```text
//! cargo run --release --example diff_bench -- BEFORE AFTER [ENVIRONMENT] [--tree DIR] [--runs N]
//! ```
//!
//! `BEFORE` and `AFTER` are platform directories (the spec before and after a
//! change); `ENVIRONMENT` defaults to `prod`. Both are compiled once, untimed.
//! Then, each the best of `--runs` (default 5):
//!
//! - `diff`: matching, comparing and diffing the two renders' objects, and the
//!   text report (what `diff --against-ref` does after compiling);
//! - `tree`: with `--tree DIR` (a `render --out` of `BEFORE`), reading that
//!   tree back and diffing against it (what `diff --against DIR` does after
//!   compiling `AFTER`);
//! - `kustomize`: the base and overlays of every environment of `AFTER`
//!   (what `platformgen kustomize` does after compiling, before writing).
//!
//! `bench/diff.sh` reads the lines starting with those words: keep their format.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark prints its figures"
)]

mod bench_support;

use bench_support::{best_of, millis};
use std::hint::black_box;
use std::path::PathBuf;
use std::process::ExitCode;

use platformgen::diagnostic::render::{self, RenderOptions};
use platformgen::diff::{self, DiffOptions};
use platformgen::emit;
use platformgen::object::Manifest;
use platformgen::pipeline::{self, Compilation};
use platformgen::read::Loader;

const USAGE: &str = "usage: diff_bench BEFORE AFTER [ENVIRONMENT] [--tree DIR] [--runs N]";

struct Args {
    before: String,
    after: String,
    environment: String,
    tree: Option<PathBuf>,
    runs: u32,
}

fn parse_args() -> Result<Args, String> {
    let mut positional = Vec::new();
    let mut runs = 5;
    let mut tree = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => {
                let value = args.next().ok_or("--runs needs a number")?;
                runs = value
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| format!("--runs: `{value}` is not a positive number"))?;
            }
            "--tree" => {
                tree = Some(PathBuf::from(
                    args.next().ok_or("--tree needs a directory")?,
                ))
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            _ if arg.starts_with('-') => return Err(format!("unknown option `{arg}`\n{USAGE}")),
            _ => positional.push(arg),
        }
    }
    let mut positional = positional.into_iter();
    let before = positional.next().ok_or(USAGE)?;
    let after = positional.next().ok_or(USAGE)?;
    let environment = positional.next().unwrap_or_else(|| "prod".to_owned());
    if positional.next().is_some() {
        return Err(USAGE.to_owned());
    }
    Ok(Args {
        before,
        after,
        environment,
        tree,
        runs,
    })
}

fn compile(dir: &str, environment: &str) -> Result<Compilation, String> {
    // As the commands do: objects kept as canonical text (see `diff`).
    let compilation = pipeline::compile_to_text(&Loader::new(dir), environment);
    if compilation.has_errors() || compilation.manifests.is_none() {
        let diagnostics = compilation.diagnostics.clone().into_sorted();
        eprintln!(
            "{}",
            render::render_all(&diagnostics, &compilation.sources, RenderOptions::default())
        );
        return Err(format!("`{dir}` does not compile for `{environment}`"));
    }
    Ok(compilation)
}

fn run(args: &Args) -> Result<(), String> {
    let before = compile(&args.before, &args.environment)?;
    let after = compile(&args.after, &args.environment)?;
    let (old, new) = (
        before.manifests.as_deref().unwrap_or_default(),
        after.manifests.as_deref().unwrap_or_default(),
    );
    let new_refs: Vec<&Manifest> = new.iter().collect();
    let options = DiffOptions::default();
    let result = diff::diff(&args.environment, old, &new_refs, options);
    println!(
        "renders: {} objects before, {} after; {}",
        old.len(),
        new.len(),
        result.summary_line()
    );

    let engine = best_of(args.runs, || {
        let result = diff::diff(&args.environment, old, &new_refs, options);
        diff::text_report(std::slice::from_ref(&result), false)
    });
    println!(
        "diff      best {:10.3} ms of {} (match, compare, hunks, text report)",
        millis(engine),
        args.runs
    );

    if let Some(tree) = &args.tree {
        let label = tree.display().to_string();
        let through_tree = best_of(args.runs, || -> Result<String, String> {
            let files = emit::read_render_dir(tree).map_err(|e| e.to_string())?;
            let previous = diff::previous_render(&label, files, new);
            if !previous.diagnostics.is_empty() {
                return Err(format!(
                    "`{label}` has {} problems",
                    previous.diagnostics.len()
                ));
            }
            let remaining = previous.remaining(new);
            let result = diff::diff(&args.environment, &previous.manifests, &remaining, options);
            Ok(diff::text_report(std::slice::from_ref(&result), false))
        });
        // One checked run for the error, outside the timing.
        let files = emit::read_render_dir(tree).map_err(|e| e.to_string())?;
        let previous = diff::previous_render(&label, files, new);
        if !previous.diagnostics.is_empty() {
            return Err(format!("`{label}` is not a render of `{}`", args.before));
        }
        println!(
            "tree      best {:10.3} ms of {} (read {label}, skip identical files, parse the rest, diff)",
            millis(through_tree),
            args.runs
        );
    }

    let loader = Loader::new(&args.after);
    let names = loader.environments().map_err(|e| e.to_string())?;
    let compilations = names
        .iter()
        .map(|name| compile(&args.after, name))
        .collect::<Result<Vec<_>, _>>()?;
    let environments: Vec<(String, &[Manifest])> = compilations
        .iter()
        .map(|c| {
            (
                c.environment.clone(),
                c.manifests.as_deref().unwrap_or_default(),
            )
        })
        .collect();
    let tree = emit::kustomize(&environments).map_err(|e| e.to_string())?;
    let kustomize = best_of(args.runs, || emit::kustomize(black_box(&environments)));
    println!(
        "kustomize best {:10.3} ms of {} ({} environments, {} files, {} bytes)",
        millis(kustomize),
        args.runs,
        environments.len(),
        tree.len(),
        tree.iter().map(|(_, text)| text.len()).sum::<usize>()
    );
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("diff_bench: {message}");
            ExitCode::from(2)
        }
    }
}
