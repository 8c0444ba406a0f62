//! `EgressRule`: traffic a workload sends outside the cluster. Nothing leaves
//! the cluster unless a rule says where to and on which ports.

use schemars::JsonSchema;
use serde::Deserialize;

use super::Protocol;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EgressRule {
    /// A well-known destination instead of `cidr`. `internet`: every public
    /// IPv4 and IPv6 address, without the private, shared, loopback and
    /// link-local ranges (so it opens neither the cluster's own pods and nodes
    /// nor the cloud metadata endpoint).
    #[serde(default)]
    pub to: Option<EgressTarget>,
    /// Destination addresses as a CIDR block, e.g. `203.0.113.0/24` or
    /// `2001:db8::/32`. Set exactly one of `to` and `cidr`.
    #[serde(default)]
    pub cidr: Option<String>,
    /// CIDR blocks inside `cidr` that stay closed.
    #[serde(default)]
    pub except: Vec<String>,
    /// Destination ports, at least one.
    pub ports: Vec<u16>,
    /// `TCP` (default) or `UDP`.
    #[serde(default)]
    pub protocol: Option<Protocol>,
}

/// A named set of destinations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum EgressTarget {
    /// Every public address.
    Internet,
}
