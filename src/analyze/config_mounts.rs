//! `config.mounts`: more directories of config files. Each path is absolute
//! and mounted once (not also `mountPath`), and each file name is a key of
//! the workload's one ConfigMap, used once across `env`, `files` and
//! `mounts` and valid as a key.

use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::spec::Workload;

use super::Context;

pub(super) fn check(ctx: &mut Context<'_>, name: &str, workload: &Workload) {
    let Some(config) = &workload.config else {
        return;
    };
    if config.mounts.is_empty() {
        return;
    }
    let base = ["workloads", name, "config"];
    let mut keys: Vec<(&str, Span)> = Vec::new();
    for key in config.env.keys() {
        keys.push((key, ctx.key(&[base[0], base[1], base[2], "env", key])));
    }
    for key in config.files.keys() {
        keys.push((key, ctx.key(&[base[0], base[1], base[2], "files", key])));
    }
    let mut paths: Vec<(String, Span)> = Vec::new();
    if !config.files.is_empty() {
        let main = config
            .mount_path
            .clone()
            .unwrap_or_else(|| format!("/etc/{name}"));
        let span = ctx.key(&[base[0], base[1], base[2], "files"]);
        paths.push((normalize(&main), span));
    }
    for (path, files) in &config.mounts {
        let key_span = ctx.key(&[base[0], base[1], base[2], "mounts", path]);
        if !path.starts_with('/') {
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("config mount path `{path}` is not absolute"),
                )
                .at(key_span, "must start with `/`"),
            );
        }
        if let Some((_, first)) = paths.iter().find(|(taken, _)| *taken == normalize(path)) {
            let first = *first;
            ctx.report(
                Diagnostic::error(
                    Code::DuplicateName,
                    format!("config files are mounted at `{path}` twice"),
                )
                .at(key_span, "mounted again here")
                .with_secondary(first, "first mounted here"),
            );
        } else {
            paths.push((normalize(path), key_span));
        }
        for file in files.keys() {
            let span = ctx.key(&[base[0], base[1], base[2], "mounts", path, file]);
            if let Some(problem) = super::names::config_key_problem(file) {
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidName,
                        format!("invalid config key `{}`", file.escape_debug()),
                    )
                    .at(span, problem),
                );
            }
            if let Some((_, first)) = keys.iter().find(|(taken, _)| taken == file) {
                let first = *first;
                ctx.report(
                    Diagnostic::error(
                        Code::DuplicateName,
                        format!("config key `{file}` is used twice"),
                    )
                    .at(span, "used again here")
                    .with_secondary(first, "first used here")
                    .with_note(
                        "every variable and file is a key of the workload's one ConfigMap, so their names must differ",
                    ),
                );
            } else {
                keys.push((file, span));
            }
        }
    }
}

fn normalize(path: &str) -> String {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() { "/" } else { trimmed }.to_owned()
}
