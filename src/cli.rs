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
    /// Directory holding platform.yaml and environments/ [default: the nearest directory
    /// upwards from here that holds a platform.yaml, else `.`].
    #[arg(long, global = true, value_name = "PATH")]
    pub dir: Option<PathBuf>,
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
    /// Create a new platform in --dir: platform.yaml, environments, editor schemas, CI workflow.
    Init(InitArgs),
    /// Render an environment as a YAML stream (stdout) or a file tree (--out).
    Render(RenderArgs),
    /// Validate the spec, render and policies of one or every environment; report every problem.
    Check(CheckArgs),
    /// Show the merged spec of an environment, each value with the file:line that set it.
    Explain(ExplainArgs),
    /// Print the JSON Schema of the spec.
    Schema(SchemaArgs),
    /// Describe a diagnostic code or policy rule, or list all codes.
    Codes(CodesArgs),
    /// Print the service dependency / network-policy graph of an environment.
    Graph(GraphArgs),
    /// Show what the spec changes in the rendered manifests, resource by resource.
    Diff(DiffArgs),
    /// Write a Kustomize base and one overlay per environment.
    Kustomize(KustomizeArgs),
    /// Render the ArgoCD objects that sync an environment: its AppProject and Application, and the add-ons' Applications.
    Argocd(ArgocdArgs),
    /// List the operators and controllers an environment's render needs installed first, with their Helm charts.
    Addons(AddonsArgs),
    /// Print a shell completion script: `platformgen completions bash > /etc/bash_completion.d/platformgen`.
    Completions(CompletionsArgs),
    /// Print the man page (roff): `platformgen man > /usr/local/share/man/man1/platformgen.1`.
    Man,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
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

/// Values that override the spec for this run, over every environment's
/// overlay (docs/spec.md, "Values from the command line").
#[derive(Debug, Args, Default)]
pub struct OverrideArgs {
    /// Set a spec key: `--set workloads.health-api.replicas=3`; the value is YAML
    /// (`[a, b]`, `{cpu: 1}`, `null` removes the key). Repeatable, applied in order.
    #[arg(long = "set", value_name = "PATH=VALUE")]
    pub set: Vec<String>,
    /// Set a workload's image: `--image health-api=ghcr.io/acme/health-api:1.4.3`.
    /// Repeatable; applied after every --set.
    #[arg(long = "image", value_name = "WORKLOAD=IMAGE")]
    pub image: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    #[command(flatten)]
    pub selection: EnvironmentSelection,
    #[command(flatten)]
    pub overrides: OverrideArgs,
    /// Write one file per object under DIR (DIR/<env> with --all) instead of a stream on stdout.
    #[arg(long, value_name = "DIR", required_if_eq("all", "true"))]
    pub out: Option<PathBuf>,
    /// Write nothing; exit 1 if the tree under --out differs from what would be written.
    #[arg(long, requires = "out")]
    pub check: bool,
    /// Format of the stream on stdout: YAML documents, or one JSON `List` (as `kubectl -o json`).
    #[arg(
        long,
        short,
        value_enum,
        default_value_t = StreamFormat::Yaml,
        conflicts_with_all = ["out", "all"]
    )]
    pub output: StreamFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StreamFormat {
    Yaml,
    Json,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The platform's name (its namespace and labels) [default: from the directory's name].
    #[arg(long)]
    pub name: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub selection: EnvironmentSelection,
    #[command(flatten)]
    pub overrides: OverrideArgs,
    /// Output format of the report.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The environment.
    pub environment: String,
    /// A dotted key path such as `workloads.health-api.replicas` (a key with dots in quotes:
    /// `nodeSelector."doks.digitalocean.com/node-pool"`); the whole spec when absent.
    pub path: Option<String>,
    #[command(flatten)]
    pub overrides: OverrideArgs,
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
    /// Print the documentation of every policy rule as Markdown (docs/policies.md).
    #[arg(long, conflicts_with = "code")]
    pub markdown: bool,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub selection: EnvironmentSelection,
    /// Applied to the working tree's spec only, not to what it is compared with.
    #[command(flatten)]
    pub overrides: OverrideArgs,
    /// Compare with a tree written by `render --out` (DIR/<env> for a `render --all` tree).
    #[arg(long, value_name = "DIR", conflicts_with = "against_ref")]
    pub against: Option<PathBuf>,
    /// Compare with the spec at a git revision [default: HEAD].
    #[arg(long, value_name = "GITREF")]
    pub against_ref: Option<String>,
    /// Output format of the report.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Show the values of Secrets and SealedSecrets instead of masking them.
    #[arg(long)]
    pub show_secrets: bool,
    /// Unchanged lines shown around each change.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub context: usize,
    /// Exit 3 if a change is one Kubernetes will refuse to apply in place or
    /// one that destroys data (both are reported either way).
    #[arg(long)]
    pub fail_on_destructive: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct KustomizeArgs {
    /// Write DIR/base and DIR/overlays/<env> for every environment.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub overrides: OverrideArgs,
    /// Write nothing; exit 1 if DIR differs from what would be written.
    #[arg(long)]
    pub check: bool,
}

#[derive(Debug, Args)]
pub struct ArgocdArgs {
    #[command(flatten)]
    pub selection: EnvironmentSelection,
    #[command(flatten)]
    pub overrides: OverrideArgs,
    /// Write one file per object under DIR (every environment's objects in one tree) instead of a stream.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write nothing; exit 1 if the tree under --out differs from what would be written.
    #[arg(long, requires = "out")]
    pub check: bool,
}

#[derive(Debug, Args)]
pub struct AddonsArgs {
    #[command(flatten)]
    pub selection: EnvironmentSelection,
    #[command(flatten)]
    pub overrides: OverrideArgs,
}

#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The environment.
    pub environment: String,
    #[command(flatten)]
    pub overrides: OverrideArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT (`dot -Tsvg`).
    Dot,
    /// A Mermaid flowchart (renders in GitHub and GitLab markdown).
    Mermaid,
}
