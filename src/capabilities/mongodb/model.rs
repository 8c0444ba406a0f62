//! `MongodbModel`: one MongoDB Community Operator replica set to render,
//! every default applied.

use std::collections::BTreeMap;

use crate::model::TolerationModel;
use crate::source::Span;
use crate::spec::{Quantity, Resources};

/// The pod label the operator sets, to the Service's name `<name>-svc`; its
/// StatefulSet and Service select by it (`controllers/construct/
/// mongodbstatefulset.go`: `labels := {"app": mdb.ServiceName()}`).
pub const APP_LABEL: &str = "app";

#[derive(Debug, Clone)]
pub struct MongodbModel {
    pub name: String,
    pub namespace: String,
    pub description: Option<String>,
    /// `MAJOR.MINOR.PATCH`.
    pub version: String,
    pub members: u32,
    pub storage_size: Quantity,
    pub storage_class: Option<String>,
    pub resources: Resources,
    pub node_selector: BTreeMap<String, String>,
    pub tolerations: Vec<TolerationModel>,
    pub priority_class: Option<String>,
    pub users: Vec<MongodbUserModel>,
    /// Index in `users` of the user `connections` connect as.
    pub app_user: usize,
    pub origin: Span,
}

#[derive(Debug, Clone)]
pub struct MongodbUserModel {
    pub name: String,
    pub database: String,
    /// `(role, database)` pairs.
    pub roles: Vec<(String, String)>,
    pub password_secret: String,
}

impl MongodbModel {
    /// The headless Service the operator creates for the StatefulSet
    /// (`MongoDBCommunity.ServiceName()`: `<name>-svc`).
    pub fn service_name(&self) -> String {
        format!("{}-svc", self.name)
    }

    /// The value of the pods' `app` label.
    pub fn app_label(&self) -> String {
        self.service_name()
    }

    /// The Secret the operator writes with `user`'s connection strings and
    /// credentials (keys `connectionString.standard`,
    /// `connectionString.standardSrv`, `username`, `password`). The
    /// operator's default is the same name, normalized
    /// (`MongoDBUser.GetConnectionStringSecretName`); the lowering sets it
    /// explicitly so no normalization can change it.
    pub fn connection_secret(&self, user: &MongodbUserModel) -> String {
        format!("{}-{}-{}", self.name, user.database, user.name)
    }

    /// The prefix of the Secret the operator stores `user`'s SCRAM
    /// credentials in (`<prefix>-scram-credentials`); distinct per user.
    pub fn scram_secret(&self, user: &MongodbUserModel) -> String {
        format!("{}-{}-{}", self.name, user.database, user.name)
    }
}

/// The platform's mongodb services to render (`PlatformModel::parts`), in
/// spec order.
pub const MONGODB: crate::model::Part<Vec<MongodbModel>> = crate::model::Part::new("mongodb");

/// The platform's mongodb services to render, in spec order.
pub fn rendered(platform: &crate::model::PlatformModel) -> &[MongodbModel] {
    MONGODB.get(&platform.parts).map_or(&[], Vec::as_slice)
}
