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
