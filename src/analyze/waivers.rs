//! The policy waivers that cover one workload, for the model: a waiver names
//! a rule and, optionally, a workload and a namespace; without either it
//! covers the rule platform-wide. The same matching as the policy engine
//! applies to findings (a finding about a workload carries its namespace),
//! so the scanner skip annotations lowering writes agree with what `check`
//! waives. A waiver naming no rule is reported by `policy::check_settings`
//! and left out here.

use crate::diagnostic::Code;
use crate::model::WaiverModel;
use crate::spec::PolicySpec;

pub(super) fn of_workload(
    policy: &PolicySpec,
    workload: &str,
    namespace: &str,
) -> Vec<WaiverModel> {
    policy
        .waivers
        .iter()
        .filter(|waiver| waiver.workload.as_deref().is_none_or(|w| w == workload))
        .filter(|waiver| waiver.namespace.as_deref().is_none_or(|n| n == namespace))
        .filter_map(|waiver| {
            let code = Code::from_id(&waiver.rule).filter(|code| code.id().starts_with("PG4"))?;
            Some(WaiverModel {
                code,
                reason: waiver
                    .reason
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" "),
            })
        })
        .collect()
}
