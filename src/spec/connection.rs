//! `ConnectionSpec`: how a workload connects to one of the platform's data
//! services: which access point, and which environment variables carry which
//! connection fields. Credentials come from the Secrets the operators
//! generate, so none is ever written in the spec or the render.

use indexmap::IndexMap;
use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ConnectionSpec {
    /// Which access point: PostgreSQL offers `readWrite` (the primary, the
    /// default), `readOnly` (the replicas) and `pooled` (PgBouncer, when the
    /// cluster has a `pooler`).
    #[serde(default)]
    pub access: Option<String>,
    /// Environment variables by name, each set to a connection field:
    /// `host`, `port`, `database`, `username`, `password` or `uri` for
    /// PostgreSQL.
    #[serde(default)]
    pub env: IndexMap<String, String>,
}
