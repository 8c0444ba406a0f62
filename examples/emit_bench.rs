//! Micro benchmark: where the time of one render goes, compilation versus YAML
//! emission, measured in process so neither start-up nor writing to stdout counts.
//!
//! ```text
//! cargo run --release --example emit_bench -- DIR [ENVIRONMENT] [--runs N]
//! ```
//!
//! Times, for the platform in `DIR` (environment `prod` unless given):
//! - compile: `pipeline::compile` — load, parse, merge, spec, analyze, lower;
//! - emit: `emit::stream` — the manifests to one multi-document YAML string;
//!
//! each the best of `--runs` (default 5) runs, after one untimed run that also
//! checks the platform compiles. `bench/run.sh` reads the `compile` and `emit`
//! lines: keep their format.

#![allow(
    clippy::print_stdout,
    clippy::print_stderr,
    reason = "a benchmark prints its figures"
)]

mod bench_support;

use bench_support::{best_of, millis};
use std::hint::black_box;
use std::process::ExitCode;

use platformgen::diagnostic::render::{self, RenderOptions};
use platformgen::{emit, pipeline, read::Loader};

const USAGE: &str = "usage: emit_bench DIR [ENVIRONMENT] [--runs N]";

struct Args {
    dir: String,
    environment: String,
    runs: u32,
}

fn parse_args() -> Result<Args, String> {
    let mut positional = Vec::new();
    let mut runs = 5;
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
            "-h" | "--help" => return Err(USAGE.to_owned()),
            _ if arg.starts_with('-') => return Err(format!("unknown option `{arg}`\n{USAGE}")),
            _ => positional.push(arg),
        }
    }
    let mut positional = positional.into_iter();
    let dir = positional.next().ok_or(USAGE)?;
    let environment = positional.next().unwrap_or_else(|| "prod".to_owned());
    if positional.next().is_some() {
        return Err(USAGE.to_owned());
    }
    Ok(Args {
        dir,
        environment,
        runs,
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let loader = Loader::new(&args.dir);

    // Untimed run: checks the platform compiles and gives the manifests that the
    // emission timing works on.
    let compilation = pipeline::compile(&loader, &args.environment);
    let Some(manifests) = compilation
        .manifests
        .as_ref()
        .filter(|_| !compilation.has_errors())
    else {
        let diagnostics = compilation.diagnostics.clone().into_sorted();
        eprintln!(
            "{}",
            render::render_all(&diagnostics, &compilation.sources, RenderOptions::default())
        );
        eprintln!(
            "emit_bench: `{}` does not compile for environment `{}`",
            args.dir, args.environment
        );
        return ExitCode::from(2);
    };
    let output = emit::stream(manifests);

    let compile = best_of(args.runs, || {
        pipeline::compile(&loader, black_box(&args.environment))
    });
    let emission = best_of(args.runs, || emit::stream(black_box(manifests)));

    println!(
        "platform {} ({}): {} resources, {} bytes of YAML",
        args.dir,
        args.environment,
        manifests.len(),
        output.len()
    );
    println!(
        "compile  best {:10.3} ms of {} (load, parse, merge, analyze, lower)",
        millis(compile),
        args.runs
    );
    println!(
        "emit     best {:10.3} ms of {} (manifests to YAML text)",
        millis(emission),
        args.runs
    );
    ExitCode::SUCCESS
}
