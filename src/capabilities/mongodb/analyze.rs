//! The MongoDB capability's analysis: checks each replica set of `mongodb`
//! and resolves it into a [`MongodbModel`], the data service workloads
//! connect to, and the pod group the network policies open.
//!
//! What the operator does, which this encodes, is from the MongoDB Community
//! Operator's source (github.com/mongodb/mongodb-kubernetes-operator):
//! `api/v1/mongodbcommunity_types.go` names the objects (the headless
//! Service `<name>-svc`, the automation config Secret `<name>-config`, each
//! user's connection Secret `<name>-<db>-<user>` with the keys
//! `connectionString.standard`, `connectionString.standardSrv`, `username`
//! and `password`), `controllers/construct/mongodbstatefulset.go` the pods
//! (label `app: <name>-svc`, the containers `mongod` and `mongodb-agent`,
//! the ServiceAccount `mongodb-database`), and `docs/architecture.md` the
//! agent's calls to the Kubernetes API (the version upgrade hook deletes its
//! pod; the readiness probe reads and annotates it).

use std::collections::BTreeMap;

use crate::analyze::{
    Context, ServiceIdentity, Voters, check_identity, check_odd_voters, label_problem, placement_of,
};
use crate::capabilities::storage_class::analyze::check_class;
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{AccessPoint, DataServiceModel, FieldValue, PlatformModel, PodGroupModel};
use crate::spec::{Protocol, Tier};

use super::model::{APP_LABEL, MongodbModel, MongodbUserModel};
use super::spec::MongodbSpec;

/// A current 7.0 release of `mongodb-community-server`, the operator's
/// default image (its Helm chart's `mongodb.name`).
const DEFAULT_VERSION: &str = "7.0.15";
/// The oldest series still supported by MongoDB (5.0 reached its end of
/// life in October 2024) and by the operator.
const OLDEST: (u32, u32) = (6, 0);
/// `mongod`: clients, and members among themselves (replication, heartbeats,
/// elections); the agent reaches its own `mongod` on it too.
pub(super) const MONGOD_PORT: u16 = 27017;
/// Longest replica set name: the StatefulSet is `<name>` and its pods carry
/// `controller-revision-hash: <name>-<10 characters>`, a label value of at
/// most 63 characters.
const MAX_NAME: usize = 52;
/// Longest user or database name: part of the connection Secret's name.
const MAX_USER: usize = 63;

/// The capability's analysis hook.
pub fn analyze(ctx: &mut Context<'_>, model: &mut PlatformModel) {
    let spec = ctx.spec;
    for (name, replica_set) in crate::capabilities::mongodb::spec::declared(spec) {
        if replica_set.enabled == Some(false) {
            continue;
        }
        let Some(resolved) = resolve(ctx, model, name, replica_set) else {
            continue;
        };
        model.data_services.push(data_service(&resolved));
        model.pod_groups.push(pod_group(&resolved));
        crate::capabilities::mongodb::model::MONGODB
            .get_or_default(&mut model.parts)
            .push(resolved);
    }
}

fn resolve(
    ctx: &mut Context<'_>,
    model: &PlatformModel,
    name: &str,
    spec: &MongodbSpec,
) -> Option<MongodbModel> {
    let span_of = |ctx: &Context<'_>, field: &str| ctx.value(&["mongodb", name, field]);
    let errors_before = ctx.diagnostics.error_count();
    check_identity(
        ctx,
        &ServiceIdentity {
            section: "mongodb",
            what: "MongoDB replica set",
            name,
            namespace: &spec.namespace,
            max_name: MAX_NAME,
        },
    );
    let version = spec.version.as_deref().unwrap_or(DEFAULT_VERSION);
    match parse_version(version) {
        None => {
            let span = span_of(ctx, "version");
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("invalid MongoDB version `{version}`"),
                )
                .at(span, "expected a full version such as `7.0.15`")
                .with_note("the agent installs exactly this version, the tag of `mongodb-community-server` before `-ubi8`"),
            );
        }
        Some(series) if series < OLDEST => {
            let span = span_of(ctx, "version");
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("MongoDB {version} is not supported"),
                )
                .at(span, "before 6.0")
                .with_note("MongoDB 5.0 and older are past their end of life")
                .with_help(format!("use {DEFAULT_VERSION}")),
            );
        }
        Some(_) => {}
    }
    let tier = model.tier;
    let members = spec
        .members
        .unwrap_or(if tier == Tier::Development { 1 } else { 3 });
    if members == 0 {
        let span = span_of(ctx, "members");
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                "a MongoDB replica set needs at least one member",
            )
            .at(span, "0 members")
            .with_help("to leave the replica set out of an environment, set `enabled: false`"),
        );
    } else if tier != Tier::Development {
        // MongoDB's manual ("Replica Set Deployment Architectures") asks for
        // an odd number of voting members.
        let span = span_of(ctx, "members");
        check_odd_voters(
            ctx,
            span,
            members,
            &Voters {
                group: "a MongoDB replica set",
                voter: "member",
                two_voters: "with 2 members, losing either leaves no primary: writes stop, less available than 1 member",
                help_suffix: "",
            },
        );
    }
    let users = users(ctx, name, spec);
    let app_user = app_user(ctx, name, spec);
    let placement = placement_of(ctx, &["mongodb", name], spec.scheduling.as_ref());
    if let Some(class) = &spec.storage.storage_class {
        check_class(ctx, class, &["mongodb", name, "storage", "storageClass"]);
    }
    if ctx.diagnostics.error_count() > errors_before {
        return None;
    }
    Some(MongodbModel {
        name: name.to_owned(),
        namespace: spec.namespace.clone(),
        description: spec.description.clone(),
        version: version.to_owned(),
        members,
        storage_size: spec.storage.size.clone(),
        storage_class: spec.storage.storage_class.clone(),
        resources: spec.resources.clone(),
        node_selector: placement.node_selector,
        tolerations: placement.tolerations,
        priority_class: placement.priority_class,
        users,
        app_user,
        origin: ctx.key(&["mongodb", name]),
    })
}

/// The users, each checked: a predictable Secret name, a password Secret,
/// at least one role, no user twice.
fn users(ctx: &mut Context<'_>, name: &str, spec: &MongodbSpec) -> Vec<MongodbUserModel> {
    if spec.users.is_empty() {
        let span = ctx.key(&["mongodb", name]);
        ctx.report(
            Diagnostic::error(
                Code::MissingField,
                format!("MongoDB replica set `{name}` has no users"),
            )
            .at(span, "no `users`")
            .with_note("SCRAM authentication is always on: workloads connect as one of the users")
            .with_help("add `users: [{ name: app, roles: [{ name: readWrite, db: app }], passwordSecret: <Secret with key password> }]`"),
        );
    }
    let mut resolved: Vec<MongodbUserModel> = Vec::new();
    for (index, user) in spec.users.iter().enumerate() {
        let at = index.to_string();
        let database = user.database.clone().unwrap_or_else(|| "admin".to_owned());
        for (field, value) in [("name", &user.name), ("database", &database)] {
            if let Some(problem) = label_problem(value, MAX_USER) {
                let span = if field == "database" && user.database.is_none() {
                    ctx.value(&["mongodb", name, "users", &at])
                } else {
                    ctx.value(&["mongodb", name, "users", &at, field])
                };
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidName,
                        format!("invalid MongoDB user {field} `{value}`"),
                    )
                    .at(span, problem)
                    .with_note(format!(
                        "the operator names the user's connection Secret `{name}-<database>-<user>`"
                    )),
                );
            }
        }
        let password_secret = match &user.password_secret {
            Some(secret) => secret.clone(),
            None => {
                let span = ctx.value(&["mongodb", name, "users", &at]);
                ctx.report(
                    Diagnostic::error(
                        Code::MissingField,
                        format!("MongoDB user `{}` has no `passwordSecret`", user.name),
                    )
                    .at(span, "no password")
                    .with_note("the platform never writes passwords: the operator reads the user's from an existing Secret")
                    .with_help(format!(
                        "create a Secret with the key `password` in namespace `{}` (External Secrets, Sealed Secrets) and name it in `passwordSecret`",
                        spec.namespace
                    )),
                );
                String::new()
            }
        };
        if user.roles.is_empty() {
            let span = ctx.value(&["mongodb", name, "users", &at]);
            ctx.report(
                Diagnostic::error(
                    Code::MissingField,
                    format!("MongoDB user `{}` has no roles", user.name),
                )
                .at(span, "no `roles`")
                .with_help("grant at least one, e.g. `roles: [{ name: readWrite, db: app }]`"),
            );
        }
        if resolved
            .iter()
            .any(|other| other.name == user.name && other.database == database)
        {
            let span = ctx.value(&["mongodb", name, "users", &at, "name"]);
            ctx.report(
                Diagnostic::error(
                    Code::DuplicateName,
                    format!(
                        "MongoDB user `{}` is declared twice in database `{database}`",
                        user.name
                    ),
                )
                .at(span, "declared again"),
            );
        }
        resolved.push(MongodbUserModel {
            name: user.name.clone(),
            database,
            roles: user
                .roles
                .iter()
                .map(|role| (role.name.clone(), role.db.clone()))
                .collect(),
            password_secret,
        });
    }
    resolved
}

/// The user `connections` connect as: the one marked `app: true`, or the
/// first.
fn app_user(ctx: &mut Context<'_>, name: &str, spec: &MongodbSpec) -> usize {
    let marked: Vec<usize> = spec
        .users
        .iter()
        .enumerate()
        .filter(|(_, user)| user.app == Some(true))
        .map(|(index, _)| index)
        .collect();
    if let [_, second, ..] = marked[..] {
        let span = ctx.value(&["mongodb", name, "users", &second.to_string(), "app"]);
        ctx.report(
            Diagnostic::error(
                Code::InvalidValue,
                format!("two users of `{name}` are marked `app: true`"),
            )
            .at(span, "a second application user")
            .with_note("`connections` connect as one user")
            .with_help("keep `app: true` on one user; the others' connection Secrets are still written by the operator"),
        );
    }
    marked.first().copied().unwrap_or(0)
}

/// `MAJOR.MINOR.PATCH` as (major, minor).
fn parse_version(version: &str) -> Option<(u32, u32)> {
    let parts: Vec<&str> = version.split('.').collect();
    let numeric = |part: &&str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if parts.len() != 3 || !parts.iter().all(numeric) {
        return None;
    }
    Some((parts[0].parse().ok()?, parts[1].parse().ok()?))
}

/// How workloads connect: as the application user, with the connection
/// string the operator writes into its Secret (every member's host, the
/// replica set name, the authentication database).
fn data_service(replica_set: &MongodbModel) -> DataServiceModel {
    let user = &replica_set.users[replica_set.app_user];
    let secret = |key: &str| FieldValue::Secret {
        name: replica_set.connection_secret(user),
        namespace: replica_set.namespace.clone(),
        key: key.to_owned(),
    };
    DataServiceModel {
        name: replica_set.name.clone(),
        namespace: replica_set.namespace.clone(),
        engine: "MongoDB",
        access: vec![AccessPoint {
            mode: "readWrite",
            group: replica_set.name.clone(),
            fields: vec![
                ("username", secret("username")),
                ("password", secret("password")),
                ("uri", secret("connectionString.standard")),
            ],
        }],
        storage_classes: replica_set.storage_class.iter().cloned().collect(),
        trust: None,
        origin: replica_set.origin,
    }
}

/// The members: clients and each other on `mongod`'s port; the agent and
/// its hooks call the Kubernetes API. The operator itself never connects to
/// the members: it writes the automation config Secret, which the agents
/// read from a mounted volume, and reads their progress from pod
/// annotations.
fn pod_group(replica_set: &MongodbModel) -> PodGroupModel {
    PodGroupModel {
        name: replica_set.name.clone(),
        namespace: replica_set.namespace.clone(),
        pod_labels: BTreeMap::from([(APP_LABEL.to_owned(), replica_set.app_label())]),
        ports: vec![(MONGOD_PORT, Protocol::Tcp)],
        peer_ports: if replica_set.members >= 2 {
            vec![MONGOD_PORT]
        } else {
            Vec::new()
        },
        // The readiness probe reads and annotates its pod
        // (`agent.mongodb.com/version`), and the version upgrade hook
        // deletes it (the operator's `mongodb-database` Role: pods get,
        // patch, delete; secrets get).
        api_server: true,
        operator: None,
        uses: Vec::new(),
        egress: Vec::new(),
        metrics_port: None,
        metrics_endpoint: None,
        origin: replica_set.origin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions() {
        assert_eq!(parse_version("7.0.15"), Some((7, 0)));
        assert_eq!(parse_version("8.0.4"), Some((8, 0)));
        for invalid in [
            "",
            "7.0",
            "7",
            "7.0.15.1",
            "v7.0.15",
            "7.0.x",
            "7.0.15-ubi8",
        ] {
            assert_eq!(parse_version(invalid), None, "{invalid}");
        }
    }
}
