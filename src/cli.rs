//! Command-line types (clap). Flags only, no logic.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "platformgen",
    version,
    about = "Compile a typed platform spec into validated, deterministic Kubernetes manifests",
    propagate_version = true
)]
pub struct Cli {
    /// Directory holding platform.yaml and environments/.
    #[arg(long, global = true, default_value = ".", value_name = "PATH")]
    pub dir: PathBuf,
    /// When to color messages.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print only errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render an environment as a YAML stream (stdout) or a file tree (--out).
    Render(RenderArgs),
    /// Validate the spec of one or every environment and report every problem.
    Check(CheckArgs),
    /// Show the merged spec of an environment, each value with the file:line that set it.
    Explain(ExplainArgs),
    /// Print the JSON Schema of the spec.
    Schema(SchemaArgs),
    /// Describe a diagnostic code, or list all codes.
    Codes(CodesArgs),
}

#[derive(Debug, Args)]
pub struct EnvironmentSelection {
    /// The environment (the name of a file in environments/).
    #[arg(
        value_name = "ENV",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    pub environment: Option<String>,
    /// Every environment.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub selection: EnvironmentSelection,
    /// Write one file per object under DIR (DIR/<env> with --all) instead of a stream on stdout.
    #[arg(long, value_name = "DIR", required_if_eq("all", "true"))]
    pub out: Option<PathBuf>,
    /// Write nothing; exit 1 if the tree under --out differs from what would be written.
    #[arg(long, requires = "out")]
    pub check: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub selection: EnvironmentSelection,
    /// Output format of the report.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The environment.
    pub environment: String,
    /// A dotted key path such as `workloads.health-api.replicas`; the whole spec when absent.
    pub path: Option<String>,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Print the schema of environment overlays (nothing required) instead of the base spec's.
    #[arg(long)]
    pub environment: bool,
}

#[derive(Debug, Args)]
pub struct CodesArgs {
    /// A code (`PG3001`) or its name (`unknown-dependency`).
    pub code: Option<String>,
}
