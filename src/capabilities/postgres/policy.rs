//! PG4016 `database-without-backup`: outside development, every PostgreSQL
//! cluster archives its WAL and takes base backups (`postgres.<name>.backup`).

use crate::diagnostic::Code;
use crate::policy::{Context, Finding, Rule, RuleScope, TierLevels};
use crate::spec::RuleLevel::{Error, Off, Warning};

pub static RULE: Rule = Rule {
    code: Code::DatabaseWithoutBackup,
    summary: "Every PostgreSQL cluster outside development has `backup`: scheduled base \
        backups and continuous WAL archiving to an object store.",
    levels: TierLevels::new(Off, Warning, Error),
    rationale: "Replicas protect against losing a node, not against losing data: a dropped \
        table, a bad migration or a corrupted volume replicates to every instance at once. \
        Only backups with archived WAL can bring the data back, to the second before the \
        mistake (point-in-time recovery). Staging warns, so the backup path is exercised \
        before production depends on it.",
    fix: "Add `backup: { schedule, destination, credentials }` to the cluster (see \
        docs/data-services/postgres.md), or waive the rule with the reason the data can be rebuilt \
        from elsewhere.",
    scope: RuleScope::Platform,
    check,
};

fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for cluster in crate::capabilities::postgres::model::rendered(ctx.model) {
        if cluster.backup.is_some() {
            continue;
        }
        findings.push(
            Finding::new(
                RULE.code,
                format!("postgres/{}/backup", cluster.name),
                format!(
                    "PostgreSQL `{}` has no backups: its data cannot be restored",
                    cluster.name
                ),
                cluster.origin,
                "no `backup`".to_owned(),
            )
            .workload(Some(&cluster.name))
            .namespace(Some(&cluster.namespace))
            .help("add a `backup` section (schedule, destination, credentials)"),
        );
    }
}
