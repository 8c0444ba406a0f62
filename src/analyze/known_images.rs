//! What well-known images need to run, checked against the workloads that
//! use them: a database or broker image in a plain StatefulSet of several
//! replicas is several unrelated servers (each with its own data, nobody
//! replicating), and some images exit at start without a credential.
//!
//! The knowledge, and where it comes from (each image's documentation on
//! Docker Hub):
//!
//! | image | replicas > 1 in a StatefulSet | needs one of |
//! |---|---|---|
//! | `postgres`, `bitnami/postgresql` | N independent databases | `POSTGRES_PASSWORD`, `POSTGRES_PASSWORD_FILE`, `POSTGRES_HOST_AUTH_METHOD` (the entrypoint refuses to initialise an empty volume without one) |
//! | `mysql` | N independent databases | `MYSQL_ROOT_PASSWORD`, `MYSQL_ROOT_PASSWORD_FILE`, `MYSQL_ALLOW_EMPTY_PASSWORD`, `MYSQL_RANDOM_ROOT_PASSWORD` |
//! | `mariadb` | N independent databases | the `MARIADB_*` or `MYSQL_*` equivalents of mysql's |
//! | `mongo` | N independent databases (a replica set needs `--replSet` and initiation) | — |
//! | `redis`, `valkey/valkey` | N unrelated caches (replication needs `--replicaof` per replica) | — |
//! | `rabbitmq` | N separate brokers (clustering needs peer discovery and a shared Erlang cookie) | — |
//! | `minio/minio` | N separate stores, unless started in distributed mode (`server http://…{0...N}…`) | — |
//!
//! And in any kind of workload: Jaeger with its traces in memory (the 1.x
//! `jaegertracing/all-in-one`, or 2.x `jaegertracing/jaeger` without a
//! `--config` of its own) in two or more replicas splits each trace between
//! them (a warning).

use crate::diagnostic::{Code, Diagnostic};
use crate::spec::{Image, Workload, WorkloadKind};

use super::Context;

/// One well-known image.
struct KnownImage {
    /// Repository names, without registry or `library/`.
    repositories: &'static [&'static str],
    /// What it is, for messages.
    what: &'static str,
    /// What several replicas of a plain StatefulSet are.
    replicated: &'static str,
    /// The spec section that runs it replicated, if platformgen has one.
    form: Option<&'static str>,
    /// Environment variables of which at least one must be set.
    needs_one_of: &'static [&'static str],
}

const KNOWN: &[KnownImage] = &[
    KnownImage {
        repositories: &["postgres", "bitnami/postgresql"],
        what: "PostgreSQL",
        replicated: "independent databases",
        form: Some("postgres"),
        needs_one_of: &[
            "POSTGRES_PASSWORD",
            "POSTGRES_PASSWORD_FILE",
            "POSTGRES_HOST_AUTH_METHOD",
        ],
    },
    KnownImage {
        repositories: &["mysql"],
        what: "MySQL",
        replicated: "independent databases",
        form: None,
        needs_one_of: &[
            "MYSQL_ROOT_PASSWORD",
            "MYSQL_ROOT_PASSWORD_FILE",
            "MYSQL_ALLOW_EMPTY_PASSWORD",
            "MYSQL_RANDOM_ROOT_PASSWORD",
        ],
    },
    KnownImage {
        repositories: &["mariadb"],
        what: "MariaDB",
        replicated: "independent databases",
        form: None,
        needs_one_of: &[
            "MARIADB_ROOT_PASSWORD",
            "MARIADB_ROOT_PASSWORD_FILE",
            "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD",
            "MARIADB_RANDOM_ROOT_PASSWORD",
            "MYSQL_ROOT_PASSWORD",
            "MYSQL_ALLOW_EMPTY_PASSWORD",
            "MYSQL_RANDOM_ROOT_PASSWORD",
        ],
    },
    KnownImage {
        repositories: &["mongo"],
        what: "MongoDB",
        replicated: "independent databases",
        form: Some("mongodb"),
        needs_one_of: &[],
    },
    KnownImage {
        repositories: &["redis", "valkey/valkey", "bitnami/redis"],
        what: "Redis",
        replicated: "unrelated caches",
        form: Some("redis"),
        needs_one_of: &[],
    },
    KnownImage {
        repositories: &["rabbitmq", "bitnami/rabbitmq"],
        what: "RabbitMQ",
        replicated: "separate brokers",
        form: Some("rabbitmq"),
        needs_one_of: &[],
    },
    KnownImage {
        repositories: &["minio/minio", "quay.io/minio/minio"],
        what: "MinIO",
        replicated: "separate object stores",
        form: Some("minio"),
        needs_one_of: &[],
    },
];

fn known(image: &Image) -> Option<&'static KnownImage> {
    let repository = image.repository();
    KNOWN
        .iter()
        .find(|known| known.repositories.contains(&repository))
}

/// Whether MinIO's arguments start it in distributed mode, where replicas
/// are one erasure-coded store.
fn minio_distributed(workload: &Workload) -> bool {
    workload
        .args
        .iter()
        .flatten()
        .any(|arg| arg.contains("{0...") || arg.contains("{1..."))
}

/// Whether the workload runs Jaeger with its traces in memory: the 1.x
/// all-in-one image, or the 2.x image without a configuration file of its
/// own (its built-in configuration is the all-in-one's, `memory` backend).
fn jaeger_in_memory(image: &Image, workload: &Workload) -> bool {
    let mentions_config =
        |args: &Option<Vec<String>>| args.iter().flatten().any(|arg| arg.starts_with("--config"));
    match image.repository() {
        "jaegertracing/all-in-one" => true,
        "jaegertracing/jaeger" => {
            !mentions_config(&workload.args) && !mentions_config(&workload.command)
        }
        _ => false,
    }
}

pub(super) fn check(ctx: &mut Context<'_>, env_hooks: &[super::EnvHook]) {
    let spec = ctx.spec;
    for (name, workload) in &spec.workloads {
        if workload.enabled == Some(false) {
            continue;
        }
        // A workload with `imageOf` runs another's image for a task of its
        // own (a migration): the checks are the image owner's.
        let Some(image) = &workload.image else {
            continue;
        };
        let replicas = workload
            .autoscaling
            .as_ref()
            .map_or(workload.replicas.unwrap_or(1), |a| a.max);
        if replicas >= 2 && jaeger_in_memory(image, workload) {
            let span = ctx.value(&["workloads", name, "replicas"]);
            ctx.report(
                Diagnostic::warning(
                    Code::ReplicatedStandaloneImage,
                    format!("`{name}` runs {replicas} Jaegers that each keep their own traces in memory"),
                )
                .at(span, format!("{replicas} replicas, each with its own traces"))
                .with_note("a trace whose spans reach different replicas is split between them, and each replica's UI shows only its part; a restart loses its traces")
                .with_help("run one replica, or give Jaeger v2 a store its replicas share: a single-node `elasticsearch` store (docs/data-services/elasticsearch.md)"),
            );
        }
        let Some(known) = known(image) else {
            continue;
        };
        let stateful = workload.kind == Some(WorkloadKind::StatefulSet);
        let distributed = known.what == "MinIO" && minio_distributed(workload);
        if stateful && replicas >= 2 && !distributed {
            let span = ctx.value(&["workloads", name, "replicas"]);
            let help = match known.form {
                Some(form) => format!(
                    "declare it under `{form}` instead: an operator runs the replicas as one {} with replication and failover (docs/data-services.md)",
                    known.what
                ),
                None => format!(
                    "run one replica, or run {} through its operator's resources (docs/data-services.md)",
                    known.what
                ),
            };
            ctx.report(
                Diagnostic::error(
                    Code::ReplicatedStandaloneImage,
                    format!(
                        "`{name}` runs {replicas} {}: a StatefulSet of `{}` does not replicate",
                        known.replicated,
                        image.as_str()
                    ),
                )
                .at(span, format!("{replicas} replicas, each with its own data"))
                .with_help(help),
            );
        }
        if !known.needs_one_of.is_empty() {
            let has = |variable: &str| {
                workload.env.contains_key(variable)
                    || workload
                        .config
                        .as_ref()
                        .is_some_and(|c| c.env.contains_key(variable))
                    || env_hooks.iter().any(|sets| sets(workload, variable))
                    || workload
                        .connections
                        .values()
                        .any(|c| c.env.contains_key(variable))
            };
            if !known.needs_one_of.iter().any(|v| has(v)) {
                let span = ctx.value(&["workloads", name, "image"]);
                ctx.report(
                    Diagnostic::error(
                        Code::ImageWithoutRequiredEnv,
                        format!(
                            "`{name}` starts {} without `{}`: the container exits at its first start",
                            known.what, known.needs_one_of[0]
                        ),
                    )
                    .at(span, format!("{} image", known.what))
                    .with_help(format!(
                        "set one of {} (from a secret: `secrets.<name>.env`), or declare it under `{}`",
                        known
                            .needs_one_of
                            .iter()
                            .map(|v| format!("`{v}`"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        known.form.unwrap_or("a data-service section")
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_known_by_repository() {
        let known = |text: &str| known(&Image::parse(text).expect("valid image")).map(|k| k.what);
        assert_eq!(known("ghcr.io/acme/postgres-exporter:1"), None);
        assert_eq!(
            known("docker.io/library/rabbitmq:3.13-management"),
            Some("RabbitMQ")
        );
    }
}
