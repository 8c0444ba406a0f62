//! Whether a workload's pods mount their ServiceAccount token, which both
//! the workload's model and the API-server egress check need.

use crate::spec::Workload;

/// Whether the workload's pods mount their ServiceAccount token: as the spec
/// says, else exactly when it declares API access (the rbac capability renders
/// that access; the ServiceAccount is every workload's).
pub(super) fn automount_token(workload: &Workload) -> bool {
    workload.service_account.as_ref().is_some_and(|account| {
        account
            .automount_token
            .unwrap_or(!account.rules.is_empty() || !account.cluster_rules.is_empty())
    })
}
