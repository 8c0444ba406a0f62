//! `MongodbSpec`: a MongoDB replica set run by the MongoDB Community Operator:
//! one member, or an odd number of members electing a primary by majority,
//! with SCRAM users whose passwords the platform never sees.

use schemars::JsonSchema;
use serde::Deserialize;

use crate::spec::{DataVolume, Resources, Scheduling};

/// The key paths of this section whose values name a platform namespace,
/// renamed with the others by `cluster.namespaceTemplate`
/// (`spec::namespace_names`).
pub const NAMESPACE_PATHS: &[&str] = &["mongodb.*.namespace"];

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MongodbSpec {
    /// `false` leaves the replica set out of this environment.
    #[serde(default)]
    pub enabled: Option<bool>,
    /// Namespace of the replica set, declared under `namespaces`.
    pub namespace: String,
    /// What the replica set holds, for readers of the render.
    #[serde(default)]
    pub description: Option<String>,
    /// MongoDB version, `MAJOR.MINOR.PATCH` (the agent installs exactly this
    /// version; the image is `mongodb-community-server:<version>-ubi8`).
    /// 6.0 or later. Default `7.0.15`.
    #[serde(default)]
    pub version: Option<String>,
    /// Replica set members. An odd number outside development: a primary is
    /// elected by a majority of members, so an even count tolerates no more
    /// failures than one member fewer. Default 1 in development, 3 otherwise.
    #[serde(default)]
    pub members: Option<u32>,
    /// Each member's data volume.
    pub storage: DataVolume,
    /// Requests and limits of each member's `mongod`.
    pub resources: Resources,
    /// Node pool, node selector and priority class of the members; members
    /// are always spread across nodes.
    #[serde(default)]
    pub scheduling: Option<Scheduling>,
    /// SCRAM users, at least one. The operator writes each user's connection
    /// Secret `<name>-<database>-<user>`; `connections` use the user marked
    /// `app: true`, or the first one.
    #[serde(default)]
    pub users: Vec<MongodbUser>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MongodbUser {
    /// User name: lowercase letters, digits and `-`, so the operator's Secret
    /// name is predictable.
    pub name: String,
    /// The database the user authenticates against. Default `admin`.
    #[serde(default)]
    pub database: Option<String>,
    /// Roles granted to the user, e.g. `{ name: readWrite, db: orders }`.
    #[serde(default)]
    pub roles: Vec<MongodbRole>,
    /// An existing Secret in the replica set's namespace holding the user's
    /// password under the key `password` (created by External Secrets,
    /// Sealed Secrets or by hand): never written in the spec.
    #[serde(default)]
    pub password_secret: Option<String>,
    /// Whether workloads' `connections` connect as this user. At most one;
    /// without any, the first user.
    #[serde(default)]
    pub app: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MongodbRole {
    /// A built-in or custom role, e.g. `readWrite`.
    pub name: String,
    /// The database the role applies to.
    pub db: String,
}

/// `mongodb`: the platform's mongodb services by name.
pub const MONGODB: crate::spec::Section<indexmap::IndexMap<String, MongodbSpec>> =
    crate::spec::Section::new(crate::spec::Scope::Platform, "mongodb");

pub const SECTIONS: &[crate::spec::SectionType] = &[crate::spec::SectionType::data_services(
    MONGODB,
    "MongoDB replica sets by name, run by the MongoDB Community Operator. Workloads name one in `uses` and `connections`.",
)];

impl crate::spec::DataServiceSpec for MongodbSpec {
    fn enabled(&self) -> bool {
        self.enabled != Some(false)
    }
}

/// The platform's `mongodb` section: its services by name.
pub fn declared(spec: &crate::spec::PlatformSpec) -> &indexmap::IndexMap<String, MongodbSpec> {
    static NONE: std::sync::LazyLock<indexmap::IndexMap<String, MongodbSpec>> =
        std::sync::LazyLock::new(indexmap::IndexMap::new);
    MONGODB.get(&spec.sections).unwrap_or(&NONE)
}
