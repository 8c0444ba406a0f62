//! `${name}` in spec values: built-ins and the `parameters` section, merged
//! like the rest, so a value that differs per environment is written once.

use crate::support::cli::Platform;
use crate::support::snapshot_settings;

const BASE: &str = "\
platform:
  name: shop
  kubernetesVersion: \"1.33\"
domain: ${environment}.shop.example.com
parameters:
  tag: 1.2.3
  vault: secret/data/${environment}
  replicas: \"1\"
namespaces:
  shop: {}
workloads:
  web:
    namespace: shop
    image: ghcr.io/acme/web:${tag}
    replicas: ${replicas}
    ports:
      http: { port: 8080 }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
    env:
      VAULT_PATH: ${vault}/web
      PUBLIC_URL: https://www.${domain}
      SHELL_STYLE: $${HOME}/cache
    command: [sh, -c, 'exec web --home ${HOME}']
";

fn platform() -> Platform {
    Platform::with(
        BASE,
        &[
            ("dev", "{}\n"),
            (
                "prod",
                "domain: shop.example.com\nparameters: { tag: 1.3.0, replicas: \"3\" }\n",
            ),
        ],
    )
}

#[test]
fn each_environment_gets_its_values() {
    let platform = platform();
    let dev = platform.run(&["render", "dev"]).success().stdout;
    for expected in [
        "image: ghcr.io/acme/web:1.2.3\n",
        "value: secret/data/dev/web\n",
        "value: https://www.dev.shop.example.com\n",
        "value: \"${HOME}/cache\"\n",
        "- \"exec web --home ${HOME}\"\n",
        "replicas: 1\n",
    ] {
        assert!(dev.contains(expected), "dev renders {expected:?}:\n{dev}");
    }
    let prod = platform.run(&["render", "prod"]).success().stdout;
    for expected in [
        "image: ghcr.io/acme/web:1.3.0\n",
        "value: secret/data/prod/web\n",
        "value: https://www.shop.example.com\n",
        "replicas: 3\n",
    ] {
        assert!(
            prod.contains(expected),
            "prod renders {expected:?}:\n{prod}"
        );
    }
    // From the command line too.
    let set = platform
        .run(&["render", "prod", "--set", "parameters.tag=1.3.1"])
        .success()
        .stdout;
    assert!(set.contains("image: ghcr.io/acme/web:1.3.1\n"));
}

#[test]
fn explain_shows_the_value_at_the_line_that_wrote_the_reference() {
    let run = platform()
        .run(&["explain", "prod", "workloads.web.image"])
        .success();
    assert_eq!(
        run.stdout,
        "workloads.web.image: ghcr.io/acme/web:1.3.0  # platform.yaml:14:12\n"
    );
}

#[test]
fn mistakes_are_reported_at_the_value() {
    let platform = Platform::with(
        &BASE
            .replace("VAULT_PATH: ${vault}/web", "VAULT_PATH: ${vualt}/web")
            .replace("  replicas: \"1\"\n", "  replicas: one\n"),
        &[("dev", "parameters: { domain: x }\n")],
    );
    let run = platform.run(&["check", "dev"]);
    assert_eq!(run.code, 2);
    snapshot_settings().bind(|| {
        insta::assert_snapshot!("parameter_mistakes", run.report(platform.path()));
    });
    // Fixing those leaves the value of the wrong type, at its reference.
    let typed = Platform::with(
        &BASE.replace("  replicas: \"1\"\n", "  replicas: one\n"),
        &[("dev", "{}\n")],
    );
    let run = typed.run(&["check", "dev"]);
    assert_eq!(run.code, 2);
    snapshot_settings().bind(|| {
        insta::assert_snapshot!("parameter_of_the_wrong_type", run.report(typed.path()));
    });
}
