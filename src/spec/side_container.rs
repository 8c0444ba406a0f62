//! `SideContainer`: a container next to the workload's own, in its pod: an
//! init container (`initContainers`, runs to completion before the others
//! start: waits, schema copies, permission fixes) or a sidecar (`sidecars`,
//! runs beside the main container for the pod's life: proxies, log
//! shippers, exporters). Both get the main container's restricted security
//! context and need resources like it.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{Image, Protocol, Resources, WritablePath};

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SideContainer {
    /// Name of the container, unique in the pod (a DNS label of at most 50
    /// characters, not the workload's name, which its main container has).
    pub name: String,
    /// Container image, `registry/repository:tag` or `...@sha256:digest`.
    pub image: Image,
    /// Overrides the image's entrypoint.
    #[serde(default)]
    pub command: Option<Vec<String>>,
    /// Arguments to the entrypoint.
    #[serde(default)]
    pub args: Option<Vec<String>>,
    /// Plain environment variables. Values are text; never put secrets here.
    #[serde(default)]
    pub env: IndexMap<String, String>,
    /// CPU and memory requests and limits of the container.
    pub resources: Resources,
    /// Sidecars only: ports the container listens on, by name (unique in the
    /// pod, like the port numbers). Other pods reach only the main
    /// container's ports; these serve the pod itself.
    #[serde(default)]
    pub ports: IndexMap<String, SidePort>,
    /// Directories the container may write to, each an `emptyDir` of its own.
    /// Default `["/tmp"]`.
    #[serde(default)]
    pub writable_paths: Option<Vec<WritablePath>>,
}

/// A port of a sidecar.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct SidePort {
    /// Port the container listens on, 1 to 65535.
    pub port: u16,
    /// `TCP` (default) or `UDP`.
    #[serde(default)]
    pub protocol: Option<Protocol>,
}
