//! A workload field naming one of the workload's ports (a probe's, the
//! metrics', an exposure's): the name must be declared under `ports`.

use crate::diagnostic::{Code, Diagnostic, suggestion};

use super::Context;

/// Reports `port` (at `workloads.<name>.<path>`) unless it is one of the
/// `declared` port names of workload `name`.
pub(crate) fn check_port_reference(
    ctx: &mut Context<'_>,
    name: &str,
    path: &[&str],
    port: &str,
    declared: &[&str],
) {
    if declared.contains(&port) {
        return;
    }
    let mut full = vec!["workloads", name];
    full.extend_from_slice(path);
    let span = ctx.value(&full);
    let note = if declared.is_empty() {
        format!("workload `{name}` declares no ports")
    } else {
        format!(
            "declared ports: {}",
            declared
                .iter()
                .map(|p| format!("`{p}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    ctx.report(
        Diagnostic::error(
            Code::UndeclaredPort,
            format!("port `{port}` is not declared by workload `{name}`"),
        )
        .at(span, "no such port")
        .with_help_opt(suggestion::did_you_mean(port, declared.iter().copied()))
        .with_note(note),
    );
}
