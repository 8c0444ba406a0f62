//! The edge: runs one command, prints its output and messages, and picks the
//! exit code. The only module that prints or uses `anyhow`.
//!
//! Exit codes: 0 success; 1 the answer is "no" (a stale `--check`); 2 the input
//! is invalid or the command could not run (clap uses 2 for bad flags too).

#![allow(clippy::print_stdout, reason = "the edge is where output is printed")]

/// Writes a line to standard error, like `eprintln!`, but never panics: when
/// stderr is closed or full there is nowhere left to report that, and the
/// exit status still tells the outcome.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::{CommandFactory, Parser};

use crate::capabilities;
use crate::check::{self, CheckReport, CheckStatus};
use crate::check::{report_json, sarif};
use crate::cli::{
    CheckArgs, Cli, CodesArgs, Command, EnvironmentSelection, ExplainArgs, InitArgs, OverrideArgs,
    RenderArgs, ReportFormat, StreamFormat,
};
use crate::diagnostic::Code;
use crate::diagnostic::render;
use crate::emit::{self, write};
use crate::merge::KeyPath;
use crate::pipeline;
use crate::policy;
use crate::read::{Loader, Override};
use crate::schema;

mod argocd_command;
mod compile_all;
mod diff_command;
mod exit_code;
mod kustomize_command;
mod output;
mod recovery_report;
mod stale_report;

use compile_all::compile_all;
use exit_code::{INVALID, NO, SUCCESS};
use output::{Printer, write_stdout};
use recovery_report::report_recovery;
use stale_report::report_check;

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let printer = Printer::new(&cli);
    match execute(&cli, &printer) {
        Ok(code) => ExitCode::from(code),
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            say!("error: {error:#}");
            ExitCode::from(INVALID)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|cause| cause.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}

fn execute(cli: &Cli, printer: &Printer) -> Result<u8> {
    let dir = match &cli.dir {
        Some(dir) => dir.clone(),
        // Like cargo and git, a command run inside the platform finds its root;
        // `init` creates one right here.
        None if matches!(cli.command, Command::Init(_)) => PathBuf::from("."),
        None => {
            Loader::discover(&std::env::current_dir().context("cannot read the current directory")?)
        }
    };
    let loader =
        |overrides: &OverrideArgs| Loader::new(&dir).with_overrides(command_line_values(overrides));
    match &cli.command {
        Command::Init(args) => init_command(&dir, args, printer),
        Command::Render(args) => render_command(&loader(&args.overrides), args, printer),
        Command::Check(args) => check_command(&loader(&args.overrides), args, printer),
        Command::Explain(args) => explain_command(&loader(&args.overrides), args, printer),
        Command::Schema(args) => {
            let schema = if args.environment {
                schema::environment_schema()
            } else {
                schema::platform_schema()
            };
            write_stdout(&schema::to_text(&schema))?;
            Ok(SUCCESS)
        }
        Command::Codes(args) => codes_command(args),
        Command::Completions(args) => {
            let mut script = Vec::new();
            clap_complete::generate(args.shell, &mut Cli::command(), "platformgen", &mut script);
            write_stdout(&String::from_utf8_lossy(&script))?;
            Ok(SUCCESS)
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut page)
                .context("cannot render the man page")?;
            write_stdout(&String::from_utf8_lossy(&page))?;
            Ok(SUCCESS)
        }
        Command::Graph(args) => graph_command(&loader(&args.overrides), args, printer),
        Command::Diff(args) => {
            diff_command::diff_command(&loader(&args.overrides), args, cli.color, printer)
        }
        Command::Kustomize(args) => {
            kustomize_command::kustomize_command(&loader(&args.overrides), args, printer)
        }
        Command::Argocd(args) => {
            let loader = loader(&args.overrides);
            let names = environments(&loader, &args.selection)?;
            argocd_command::argocd_command(&loader, &names, args, printer)
        }
        Command::Addons(args) => {
            let loader = loader(&args.overrides);
            let names = environments(&loader, &args.selection)?;
            argocd_command::addons_command(&loader, &names, printer)
        }
    }
}

/// The `--set` and `--image` values in the order they apply: every `--set`,
/// then every `--image`.
fn command_line_values(args: &OverrideArgs) -> Vec<Override> {
    let sets = args.set.iter().map(Override::set);
    let images = args.image.iter().map(Override::image);
    sets.chain(images).collect()
}

fn environments(loader: &Loader, selection: &EnvironmentSelection) -> Result<Vec<String>> {
    if let Some(environment) = &selection.environment {
        return Ok(vec![environment.clone()]);
    }
    let all = loader.environments().with_context(|| {
        format!(
            "cannot list the environments of `{}`",
            loader.root().display()
        )
    })?;
    anyhow::ensure!(
        !all.is_empty(),
        "no environments: `{}` has no environments/<name>.yaml files",
        loader.root().display()
    );
    Ok(all)
}

fn render_command(loader: &Loader, args: &RenderArgs, printer: &Printer) -> Result<u8> {
    if let Some(out) = &args.out {
        write::check_out_dir(out, loader.root())?;
    }
    let names = environments(loader, &args.selection)?;
    if args.output == StreamFormat::Json {
        let Some(compilations) = compile_all(loader, &names, printer, pipeline::compile) else {
            return Ok(INVALID);
        };
        for compilation in &compilations {
            let manifests = compilation
                .manifests
                .as_deref()
                .expect("compiled without errors");
            write_stdout(&emit::json_list(manifests))?;
        }
        return Ok(SUCCESS);
    }
    let Some(compilations) = compile_all(loader, &names, printer, pipeline::compile_to_text) else {
        return Ok(INVALID);
    };
    let Some(out) = &args.out else {
        // No buffer of our own: the stream goes out in vectored writes of
        // many documents each (`emit::write_stream`).
        let mut stdout = std::io::stdout().lock();
        for compilation in &compilations {
            let manifests = compilation
                .manifests
                .as_deref()
                .expect("compiled without errors");
            emit::write_stream(manifests, &mut stdout)
                .context("cannot write to standard output")?;
        }
        stdout.flush().context("cannot write to standard output")?;
        // The process exits right after this: freeing every manifest, tree and
        // string one by one would cost about a tenth of a large render, and the
        // operating system reclaims the memory at exit anyway.
        std::mem::forget(compilations);
        return Ok(SUCCESS);
    };
    let mut stale = false;
    for compilation in &compilations {
        let manifests = compilation
            .manifests
            .as_deref()
            .expect("compiled without errors");
        let tree = emit::tree(manifests)?;
        let dir = if args.selection.all {
            out.join(&compilation.environment)
        } else {
            out.clone()
        };
        if args.check {
            stale |= report_check(&dir, &write::check_tree(&dir, &tree)?, printer);
        } else {
            let report = write::write_tree(&dir, &tree)
                .with_context(|| format!("cannot write `{}`", dir.display()))?;
            report_recovery(&dir, &report, printer);
            printer.status(&format!(
                "{}: {} written, {} unchanged, {} removed in {}",
                compilation.environment,
                report.written.len(),
                report.unchanged.len(),
                report.removed.len(),
                dir.display()
            ));
        }
    }
    Ok(if stale { NO } else { SUCCESS })
}

/// `check`: compile, then run the policy rules. Exit 0 clean (warnings and
/// waived findings allowed), 1 policy errors, 2 invalid input.
fn check_command(loader: &Loader, args: &CheckArgs, printer: &Printer) -> Result<u8> {
    let names = environments(loader, &args.selection)?;
    let report = check::check_before_exit(loader, &names);
    match args.format {
        ReportFormat::Json => write_json(&report_json::to_json(&report))?,
        ReportFormat::Sarif => write_json(&sarif::to_sarif(&report))?,
        ReportFormat::Text => {
            // A problem every environment shares (in the base file) is printed
            // once, with the environments it occurs in.
            let entries = report.entries();
            for entry in entries.iter().filter(|e| !e.is_suppressed()) {
                if entry.diagnostic.is_error() || !printer.quiet {
                    let diagnostic = entry.annotated(names.len());
                    say!(
                        "{}\n",
                        render::render(&diagnostic, entry.sources, printer.options)
                    );
                }
            }
            let counts = CheckReport::counts(&entries);
            let waived = if counts.suppressed == 0 {
                String::new()
            } else {
                format!(", {} waived", counts.suppressed)
            };
            match report.status() {
                CheckStatus::Clean => printer.status(&format!(
                    "ok: {} checked, {} warning(s){waived}",
                    names.join(", "),
                    counts.warnings
                )),
                CheckStatus::PolicyErrors | CheckStatus::Invalid => say!(
                    "error: {} error(s), {} warning(s){waived} in {}",
                    counts.errors,
                    counts.warnings,
                    names.join(", ")
                ),
            }
        }
    }
    Ok(match report.status() {
        CheckStatus::Clean => SUCCESS,
        CheckStatus::PolicyErrors => NO,
        CheckStatus::Invalid => INVALID,
    })
}

fn write_json(value: &serde_json::Value) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    write_stdout(&text)
}

fn explain_command(loader: &Loader, args: &ExplainArgs, printer: &Printer) -> Result<u8> {
    let compilation = pipeline::compile(loader, &args.environment);
    let Some(tree) = &compilation.tree else {
        printer.diagnostics(&compilation);
        return Ok(INVALID);
    };
    let typed = args.path.as_deref().unwrap_or_default();
    // Read against the tree, so that a key with dots can be typed unquoted.
    let path = match KeyPath::parse_in(typed, tree) {
        Ok(path) => path,
        Err(error) => {
            say!("error: `{typed}` is not a key path: {error}");
            return Ok(INVALID);
        }
    };
    let Some(text) =
        crate::explain::explain(tree, &path, &compilation.sources, &compilation.provenance)
    else {
        say!(
            "error: `{typed}` is not set in environment `{}`",
            args.environment
        );
        return Ok(INVALID);
    };
    write_stdout(&text)?;
    // The tree explains even a spec with errors; still say so, and fail.
    Ok(if printer.diagnostics(&compilation) {
        INVALID
    } else {
        SUCCESS
    })
}

fn init_command(dir: &Path, args: &InitArgs, printer: &Printer) -> Result<u8> {
    let name = match &args.name {
        Some(name) => name.clone(),
        None => {
            let absolute = std::path::absolute(dir)
                .with_context(|| format!("cannot resolve `{}`", dir.display()))?;
            let proposed = absolute
                .file_name()
                .and_then(|name| crate::init::name_for_directory(&name.to_string_lossy()));
            let Some(name) = proposed else {
                say!(
                    "error: cannot name a platform after `{}`: give one with `--name`",
                    dir.display()
                );
                return Ok(INVALID);
            };
            name
        }
    };
    let files = match crate::init::scaffold(&name) {
        Ok(files) => files,
        Err(error) => {
            say!("error: {error}");
            return Ok(INVALID);
        }
    };
    let created = emit::create_new_files(
        dir,
        files.iter().map(|file| (file.path, file.text.as_str())),
    );
    if let Err(error) = created {
        say!("error: {error}; nothing was written");
        if matches!(error, emit::NewFilesError::Exists(_)) {
            say!("help: `init` creates a new platform; run it in an empty directory");
        }
        return Ok(INVALID);
    }
    let mut message = format!("created platform `{name}` in {}:\n", dir.display());
    for file in &files {
        message.push_str(&format!("  {}\n", file.path));
    }
    let cd = if dir == Path::new(".") {
        String::new()
    } else {
        format!("  cd {}\n", dir.display())
    };
    message.push_str(&format!(
        "next:\n{cd}  platformgen check --all          # every environment, every policy\n  \
         platformgen render prod          # the prod objects\n  \
         platformgen render --all --out deploy   # the render to commit (CI checks it is current)"
    ));
    printer.status(&message);
    Ok(SUCCESS)
}

fn codes_command(args: &CodesArgs) -> Result<u8> {
    if args.markdown {
        write_stdout(&policy::markdown(&capabilities::rules()))?;
        return Ok(SUCCESS);
    }
    let Some(wanted) = &args.code else {
        let mut text = String::new();
        for code in Code::ALL {
            text.push_str(&format!("{}  {}\n", code.id(), code.name()));
        }
        write_stdout(&text)?;
        return Ok(SUCCESS);
    };
    let Some(code) = Code::from_id(wanted) else {
        say!("error: unknown code `{wanted}`; `platformgen codes` lists them");
        return Ok(INVALID);
    };
    if let Some(rule) = capabilities::rule(code) {
        write_stdout(&policy::rule_text(rule))?;
        return Ok(SUCCESS);
    }
    write_stdout(&format!(
        "{} ({})\n\n{}\n",
        code.id(),
        code.name(),
        code.explanation()
    ))?;
    Ok(SUCCESS)
}

fn graph_command(loader: &Loader, args: &crate::cli::GraphArgs, printer: &Printer) -> Result<u8> {
    let compilation = pipeline::compile(loader, &args.environment);
    if printer.diagnostics(&compilation) {
        return Ok(INVALID);
    }
    let model = compilation.model.as_ref().expect("compiled without errors");
    let graph = crate::graph::FlowGraph::build(model);
    write_stdout(&match args.format {
        crate::cli::GraphFormat::Dot => crate::graph::dot(&graph, model),
        crate::cli::GraphFormat::Mermaid => crate::graph::mermaid(&graph, model),
    })?;
    Ok(SUCCESS)
}
