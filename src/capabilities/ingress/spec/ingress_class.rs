//! `IngressClass`: an IngressClass beside the platform's default one (an
//! internal controller next to the public one), served by a controller of the
//! same kind (`ingress.controller`), and where that controller runs, so the
//! network policies admit it to the exposures it serves.

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct IngressClass {
    /// Namespace this class's controller runs in. Network policies admit
    /// traffic from it to the exposures with this `className`.
    pub controller_namespace: String,
}
