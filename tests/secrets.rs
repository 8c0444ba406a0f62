//! Secrets through the real binary: what each backend renders and how pods
//! read it, the built-in example's secrets per environment, and the error
//! reports for secrets (one snapshot per kind of mistake).

use serde_json::Value;

use crate::support::cli::{MINIMAL_BASE, MINIMAL_PROD, Platform, repository, run};
use crate::support::python::documents;
use crate::support::snapshot_settings;

/// A ciphertext-shaped value (the length of real `kubeseal --raw` output).
fn ciphertext(seed: char) -> String {
    format!("AgB{}", seed.to_string().repeat(757))
}

/// MINIMAL_BASE with `lines` added to the `web` workload.
fn web_with(lines: &str) -> String {
    assert!(MINIMAL_BASE.contains("    uses: [db]\n"));
    MINIMAL_BASE.replacen("    uses: [db]\n", &format!("    uses: [db]\n{lines}"), 1)
}

fn find<'a>(docs: &'a [Value], kind: &str, name: &str) -> &'a Value {
    docs.iter()
        .find(|d| d["kind"] == kind && d["metadata"]["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name}"))
}

/// Renders `prod` of a platform and returns its documents.
#[track_caller]
fn render(base: &str, prod: &str) -> Vec<Value> {
    let platform = Platform::with(base, &[("prod", prod)]);
    documents(&platform.run(&["render", "prod"]).success().stdout)
}

#[test]
fn backends_render_their_objects_and_pods_read_them_by_key() {
    let docs = render(
        &web_with(&format!(
            "    secrets:
      db:
        external:
          storeRef: {{ name: vault-backend, kind: ClusterSecretStore }}
          data: {{ password: {{ key: shop/db, property: password }} }}
        env: {{ DB_PASSWORD: password }}
      s3:
        sealed: {{ encryptedData: {{ access-key: {} }} }}
        mountPath: /etc/s3
      tls:
        existing: {{ name: shop-tls, keys: [tls.crt] }}
        env: {{ TLS_CERT: tls.crt }}
    env:
      DATABASE_URL: postgres://web:$(DB_PASSWORD)@db/web
",
            ciphertext('s')
        )),
        MINIMAL_PROD,
    );
    let external = find(&docs, "ExternalSecret", "web-db");
    assert_eq!(external["spec"]["target"]["name"], "web-db");
    assert_eq!(external["spec"]["secretStoreRef"]["name"], "vault-backend");
    let sealed = find(&docs, "SealedSecret", "web-s3");
    assert_eq!(
        sealed["spec"]["encryptedData"]["access-key"],
        ciphertext('s')
    );
    assert!(
        !docs.iter().any(|d| d["kind"] == "Secret"),
        "no Secret outside development"
    );

    let pod = &find(&docs, "Deployment", "web")["spec"]["template"]["spec"];
    let env = pod["containers"][0]["env"].as_array().expect("env");
    let names: Vec<&str> = env.iter().filter_map(|e| e["name"].as_str()).collect();
    // Secret variables come first, so plain ones can refer to them.
    assert_eq!(names, ["DB_PASSWORD", "TLS_CERT", "DATABASE_URL"]);
    assert_eq!(
        env[1]["valueFrom"]["secretKeyRef"],
        serde_json::json!({ "name": "shop-tls", "key": "tls.crt", "optional": false })
    );
    let volume = pod["volumes"]
        .as_array()
        .expect("volumes")
        .iter()
        .find(|v| v["name"] == "secret-s3")
        .expect("secret volume");
    assert_eq!(volume["secret"]["secretName"], "web-s3");
    assert_eq!(volume["secret"]["defaultMode"], 0o440);
}

#[test]
fn the_example_reads_secrets_from_vault_and_sealed_secrets_outside_dev() {
    for environment in ["staging", "prod"] {
        let docs = documents(
            &run(&repository(), &["render", environment])
                .success()
                .stdout,
        );
        let external = find(&docs, "ExternalSecret", "health-api-s3");
        assert_eq!(
            external["spec"]["secretStoreRef"],
            serde_json::json!({ "name": "vault-backend", "kind": "ClusterSecretStore" })
        );
        assert_eq!(
            external["spec"]["data"][0]["remoteRef"],
            serde_json::json!({ "key": "health-platform/minio/health-api", "property": "access-key" })
        );
        let sealed = find(&docs, "SealedSecret", "etl-engine-s3");
        assert_eq!(sealed["metadata"]["namespace"], "health-platform-api");
        assert!(!docs.iter().any(|d| d["kind"] == "Secret"), "{environment}");
    }
    let dev = documents(&run(&repository(), &["render", "dev"]).success().stdout);
    let secret = find(&dev, "Secret", "health-api-s3");
    assert!(secret["data"]["access-key"].is_string());
    // Development's own secrets are plain values; the only ExternalSecrets
    // copy operator-generated credentials between namespaces (connections).
    assert!(
        !dev.iter().any(|d| d["kind"] == "SealedSecret"
            || (d["kind"] == "ExternalSecret"
                && d["spec"]["secretStoreRef"]["kind"] != "SecretStore")),
        "development uses plain values only"
    );
}

/// Renders `prod`, expects exit code 2 and no output, and snapshots the report.
#[track_caller]
fn error_case(name: &str, base: &str, prod: &str) {
    let platform = Platform::with(base, &[("prod", prod)]);
    let run = platform.run(&["render", "prod"]);
    assert_eq!(run.code, 2, "{}", run.report(platform.path()));
    assert_eq!(run.stdout, "");
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    snapshot_settings().bind(|| insta::assert_snapshot!(name, run.report(platform.path())));
}

#[test]
fn plaintext_secret_in_production() {
    error_case(
        "plaintext_secret_in_production",
        &web_with(
            "    secrets:\n      db: { plain: { password: not-shown }, env: { DB_PASSWORD: password } }\n",
        ),
        MINIMAL_PROD,
    );
}

#[test]
fn env_names_a_key_the_secret_lacks() {
    error_case(
        "secret_env_unknown_key",
        &web_with(
            "    secrets:\n      db:\n        existing: { name: shop-db, keys: [password, user] }\n        env: { DB_PASSWORD: pasword }\n",
        ),
        MINIMAL_PROD,
    );
}

#[test]
fn secret_with_two_backends_or_none() {
    error_case(
        "secret_backends",
        &web_with(
            "    secrets:\n      db:\n        existing: { name: shop-db, keys: [password] }\n        external:\n          storeRef: { name: vault }\n          data: { password: { key: shop/db } }\n      api-key:\n        env: { API_KEY: key }\n",
        ),
        MINIMAL_PROD,
    );
}

#[test]
fn sealed_value_that_is_not_ciphertext() {
    error_case(
        "sealed_value_not_ciphertext",
        &web_with(
            "    secrets:\n      s3:\n        sealed:\n          encryptedData: { secret-key: not-shown }\n",
        ),
        MINIMAL_PROD,
    );
}

#[test]
fn external_secret_mistakes() {
    error_case(
        "external_secret_mistakes",
        &web_with(
            "    secrets:\n      db:\n        external:\n          storeRef: { name: Vault_Backend }\n          refreshInterval: 1day\n          data: { pass/word: { key: shop/db } }\n        env: { DB_PASSWORD: password }\n        mountPath: etc/db\n",
        ),
        MINIMAL_PROD,
    );
}

#[test]
fn misplaced_secret_values_are_not_echoed() {
    error_case(
        "plain_secret_wrong_type",
        &web_with("    secrets:\n      db: { plain: not-shown }\n"),
        MINIMAL_PROD,
    );
}

#[test]
fn variables_mounts_and_secret_names_used_twice() {
    let base = web_with(
        "    env: { DB_PASSWORD: from-env }\n    secrets:\n      db-url:\n        existing: { name: shop-db, keys: [password] }\n        env: { DB_PASSWORD: password }\n        mountPath: /tmp/\n",
    )
    .replacen(
        "  db:\n    kind: StatefulSet\n",
        "  web-db:\n    namespace: shop\n    image: ghcr.io/acme/worker:1.0.0\n    resources:\n      requests: { cpu: 100m, memory: 128Mi }\n      limits: { cpu: 100m, memory: 128Mi }\n    secrets:\n      url: { external: { storeRef: { name: vault }, data: { url: { key: shop/url } } } }\n  db:\n    kind: StatefulSet\n",
        1,
    )
    .replacen(
        "        existing: { name: shop-db, keys: [password] }\n",
        "        external: { storeRef: { name: vault }, data: { password: { key: shop/db } } }\n",
        1,
    );
    error_case("secret_collisions", &base, MINIMAL_PROD);
}
