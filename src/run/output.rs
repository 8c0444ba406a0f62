//! Where a command's output and messages go: data to standard output,
//! messages for people (diagnostics, statuses) to standard error through
//! [`Printer`].

use std::io::{IsTerminal, Write};

use anyhow::{Context as _, Result};

use crate::cli::{Cli, ColorChoice};
use crate::diagnostic::render::{self, RenderOptions};
use crate::pipeline::Compilation;

/// Writes `text` to standard output. A reader that closed the pipe early
/// (`| head`) wanted no more: that is not a failure, and the command still
/// exits with the status its answer calls for (`diff` with 1 for changes).
pub(super) fn write_stdout(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    match written {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("cannot write to standard output"),
    }
}

/// Where messages for people go (stderr), and how they look.
pub(super) struct Printer {
    pub(super) options: RenderOptions,
    pub(super) quiet: bool,
}

impl Printer {
    pub(super) fn new(cli: &Cli) -> Self {
        let color = match cli.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            }
        };
        Self {
            options: RenderOptions { color },
            quiet: cli.quiet,
        }
    }

    /// Prints a compilation's diagnostics; true when they include errors.
    pub(super) fn diagnostics(&self, compilation: &Compilation) -> bool {
        let diagnostics = compilation.diagnostics.clone().into_sorted();
        let has_errors = diagnostics.iter().any(|d| d.is_error());
        if !diagnostics.is_empty() && (has_errors || !self.quiet) {
            say!(
                "{}",
                render::render_all(&diagnostics, &compilation.sources, self.options)
            );
        }
        has_errors
    }

    pub(super) fn status(&self, message: &str) {
        if !self.quiet {
            say!("{message}");
        }
    }
}
