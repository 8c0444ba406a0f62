//! What well-known images need to run (`src/analyze/known_images.rs`): a
//! StatefulSet of a database, cache or broker image with several replicas is
//! several unrelated servers, and postgres without a password never starts.

use crate::support::cli::{MINIMAL_BASE, MINIMAL_PROD, Platform};
use crate::support::{rejection, snapshot_settings};

#[track_caller]
fn rejected(name: &str, base: &str) {
    let report = rejection::rejected(&Platform::with(base, &[("prod", MINIMAL_PROD)]), "prod");
    snapshot_settings().bind(|| insta::assert_snapshot!(name, report));
}

/// MINIMAL_BASE's `db` (postgres:16.4, a StatefulSet) with `extra` lines
/// instead of its password setting.
fn db_with(extra: &str) -> String {
    let anchor = "    env: { POSTGRES_PASSWORD_FILE: /run/secrets/postgres/password }\n";
    assert!(MINIMAL_BASE.contains(anchor));
    MINIMAL_BASE.replacen(anchor, extra, 1)
}

#[test]
fn three_postgres_replicas_are_three_databases() {
    rejected(
        "replicated_postgres",
        &db_with("    replicas: 3\n    env: { POSTGRES_PASSWORD_FILE: /run/secrets/pw }\n"),
    );
}

#[test]
fn postgres_without_a_password_never_starts() {
    rejected("postgres_without_password", &db_with(""));
}

#[test]
fn a_password_from_a_secret_or_a_single_replica_passes() {
    let base = db_with(
        "    secrets:\n      pw:\n        existing: { name: db-password, keys: [password] }\n        env: { POSTGRES_PASSWORD: password }\n",
    );
    let platform = Platform::with(&base, &[("prod", MINIMAL_PROD)]);
    platform.run(&["render", "prod"]).success();
}

#[test]
fn distributed_minio_is_one_store() {
    let base = MINIMAL_BASE.replacen(
        "    image: postgres:16.4\n",
        "    image: minio/minio:RELEASE.2024-10-13T13-34-11Z\n    args: [server, \"http://db-{0...3}.db-headless.shop.svc/data\"]\n    replicas: 4\n",
        1,
    );
    let platform = Platform::with(&base, &[("prod", MINIMAL_PROD)]);
    platform.run(&["render", "prod"]).success();
    let single = base.replacen(
        "    args: [server, \"http://db-{0...3}.db-headless.shop.svc/data\"]\n",
        "    args: [server, /data]\n",
        1,
    );
    rejected("replicated_minio", &single);
}

/// Jaeger with its traces in memory, in two replicas: each trace split
/// between them. A warning; one replica, or a configuration of its own (a
/// shared store), passes.
#[test]
fn jaeger_replicas_with_traces_in_memory_split_every_trace() {
    let jaeger = |image: &str, extra: &str| {
        format!(
            "{MINIMAL_BASE}  jaeger:\n    namespace: shop\n    image: {image}\n    ports:\n      otlp-grpc: {{ port: 4317 }}\n    resources:\n      requests: {{ cpu: 100m, memory: 128Mi }}\n      limits: {{ cpu: 500m, memory: 256Mi }}\n{extra}"
        )
        .replacen("ingress: { controllerNamespace: ingress-nginx }\n", "", 1)
            + "ingress: { controllerNamespace: ingress-nginx }\n"
    };
    // `render` reports the analysis' warnings, without the policy rules'
    // findings about the rest of the platform.
    let check = |base: &str| {
        let platform = Platform::with(base, &[("prod", MINIMAL_PROD)]);
        let run = platform.run(&["render", "prod"]);
        assert_eq!(run.code, 0, "{}", run.report(platform.path()));
        (run.code, run.stderr)
    };
    let (_, report) = check(&jaeger(
        "jaegertracing/all-in-one:1.62.0",
        "    replicas: 2\n",
    ));
    snapshot_settings().bind(|| insta::assert_snapshot!("replicated_jaeger_in_memory", report));
    assert!(report.contains("warning[PG3040]"), "{report}");
    // The 2.x image with its built-in configuration keeps traces in memory
    // too; with a configuration of its own it is not flagged.
    let (_, report) = check(&jaeger("jaegertracing/jaeger:2.20.0", "    replicas: 2\n"));
    assert!(report.contains("warning[PG3040]"), "{report}");
    for (image, extra) in [
        ("jaegertracing/all-in-one:1.62.0", "    replicas: 1\n"),
        (
            "jaegertracing/jaeger:2.20.0",
            "    replicas: 2\n    args: [--config, /etc/jaeger/config.yaml]\n",
        ),
    ] {
        let (_, report) = check(&jaeger(image, extra));
        assert!(!report.contains("PG3040"), "{image}: {report}");
    }
}
