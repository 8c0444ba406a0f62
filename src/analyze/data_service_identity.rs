//! The checks every data service's identity goes through, whatever its
//! engine: its name is a label short enough for every name its operator
//! derives from it, names no workload and no other data service (`uses` and
//! `connections` name either by name alone), and its namespace is declared.

use crate::diagnostic::{Code, Diagnostic, suggestion};

use super::Context;
use super::names::label_problem;

/// One data service, as written at `<section>.<name>`.
pub(crate) struct ServiceIdentity<'a> {
    /// The spec section: `postgres`, `redis`, …
    pub section: &'a str,
    /// What it is, for messages: `PostgreSQL cluster`, `Redis`, …
    pub what: &'a str,
    pub name: &'a str,
    pub namespace: &'a str,
    /// The longest name that keeps every derived name a label.
    pub max_name: usize,
}

/// Reports every problem of `service`'s identity.
pub(crate) fn check_identity(ctx: &mut Context<'_>, service: &ServiceIdentity<'_>) {
    let ServiceIdentity {
        section,
        what,
        name,
        namespace,
        max_name,
    } = *service;
    if let Some(problem) = label_problem(name, max_name) {
        let span = ctx.key(&[section, name]);
        ctx.report(
            Diagnostic::error(Code::InvalidName, format!("invalid {what} name `{name}`"))
                .at(span, problem),
        );
    }
    if ctx.spec.workloads.contains_key(name) {
        let span = ctx.key(&[section, name]);
        let other = ctx.key(&["workloads", name]);
        ctx.report(
            Diagnostic::error(
                Code::DuplicateName,
                format!("`{name}` names both a workload and a {what}"),
            )
            .at(span, format!("the {what}"))
            .with_secondary(other, "the workload")
            .with_help("`uses` and `connections` name either; rename one"),
        );
    }
    if ctx.spec.data_services().filter(|(n, _)| *n == name).count() > 1 {
        let span = ctx.key(&[section, name]);
        ctx.report(
            Diagnostic::error(
                Code::DuplicateName,
                format!("`{name}` names a {what} and another data service"),
            )
            .at(span, format!("the {what}"))
            .with_help(
                "`uses` and `connections` name a data service by its name alone; rename one",
            ),
        );
    }
    if !ctx.spec.namespaces.contains_key(namespace) {
        let span = ctx.value(&[section, name, "namespace"]);
        ctx.report(
            Diagnostic::error(
                Code::UnknownNamespace,
                format!("unknown namespace `{namespace}`"),
            )
            .at(span, "not declared under `namespaces`")
            .with_help_opt(suggestion::did_you_mean(
                namespace,
                ctx.spec.namespaces.keys().map(String::as_str),
            )),
        );
    }
}
