//! `EgressRule`: traffic a workload sends to pods or addresses that are not
//! its dependencies. Nothing leaves the workload's pods unless a rule (or a
//! `uses`) says where to and on which ports: addresses outside the cluster
//! (`to: internet`, `cidr`), or the pods of a named namespace (`to:
//! monitoring`, `namespace:`), optionally narrowed by their labels.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;

use super::{EgressPort, Protocol};

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct EgressRule {
    /// A named destination: `internet` (every public IPv4 and IPv6 address,
    /// without the private, shared, loopback and link-local ranges, so
    /// neither the cluster's own pods and nodes nor the cloud metadata
    /// endpoint), or the name of a namespace (`monitoring`, `kube-system`, or
    /// one of the platform's), whose pods are opened. A name that could mean
    /// something else (a workload of the platform, a namespace called
    /// `internet`) is an error: write `namespace:` then.
    #[serde(default)]
    pub to: Option<String>,
    /// A namespace by name, said explicitly (the unambiguous form of `to:
    /// <namespace>`).
    #[serde(default)]
    pub namespace: Option<String>,
    /// With a namespace outside the platform: only its pods carrying these
    /// labels. Default: every pod of the namespace.
    #[serde(default)]
    pub pod_labels: BTreeMap<String, String>,
    /// Destination addresses as a CIDR block, e.g. `203.0.113.0/24` or
    /// `2001:db8::/32`. Set exactly one of `to`, `namespace` and `cidr`.
    #[serde(default)]
    pub cidr: Option<String>,
    /// CIDR blocks inside `cidr` that stay closed.
    #[serde(default)]
    pub except: Vec<String>,
    /// Destination ports, at least one: a number (`443`) or a range
    /// (`"8000-8100"`, both ends included).
    pub ports: Vec<EgressPort>,
    /// `TCP` (default) or `UDP`.
    #[serde(default)]
    pub protocol: Option<Protocol>,
}

/// The word of `to` for every public address.
pub const INTERNET: &str = "internet";
