//! PG4001 `unpinned-image`: every container image is pinned to a version tag or
//! a digest, and never to `latest`.

use serde_json::Value;

use crate::diagnostic::Code;
use crate::spec::RuleLevel::{Error, Warning};

use super::{Context, Finding, Rule, RuleScope, TierLevels};

pub(super) static RULE: Rule = Rule {
    code: Code::UnpinnedImage,
    summary: "Every container image is pinned to a version tag or a digest, never `latest`.",
    levels: TierLevels::new(Warning, Error, Error),
    rationale: "An image without a tag means `latest`, and `latest` moves. The rendered \
        manifests then no longer say what runs: two nodes that pull at different times run \
        different code, a rollback redeploys whatever the tag points at today, and an upgrade \
        never shows up in a review of the spec. A version tag makes every upgrade a visible \
        line in the spec; a digest also guards against a tag being pushed again.",
    fix: "Set `image` to a released version (`ghcr.io/org/app:1.4.2`) or, better, a digest \
        (`ghcr.io/org/app@sha256:...`).",
    scope: RuleScope::Objects,
    check,
};

fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for pod in ctx.pods() {
        for container in pod.containers() {
            let Some(image) = container.value.get("image").and_then(Value::as_str) else {
                continue;
            };
            let Some(label) = problem(image) else {
                continue;
            };
            let span = ctx.container_field(&pod, &container, &["image"]);
            findings.push(
                Finding::new(
                    RULE.code,
                    format!("{}/{}/image", pod.manifest.identity(), container.name),
                    format!(
                        "image `{image}` of container `{}` in `{}` is not pinned",
                        container.name,
                        pod.manifest.identity()
                    ),
                    span,
                    label,
                )
                .workload(ctx.owner(pod.manifest))
                .namespace(pod.manifest.key.namespace.as_deref())
                .help("pin a released version (`app:1.4.2`) or a digest (`app@sha256:...`)"),
            );
        }
    }
}

/// What is wrong with `image`, or `None` when it is pinned.
fn problem(image: &str) -> Option<&'static str> {
    if image.contains('@') {
        return None;
    }
    // The tag follows the last `:` of the last path segment; a `:` before a `/`
    // belongs to a registry port (`localhost:5000/app`).
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        Some((_, "latest")) => Some("`latest` moves: this is not a version"),
        Some((_, tag)) if !tag.is_empty() => None,
        _ => Some("no tag: this pulls whatever `latest` is"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::testing::{BASE, Fixture};
    use serde_json::json;

    #[track_caller]
    fn case(image: &str, pinned: bool) {
        assert_eq!(problem(image).is_none(), pinned, "{image}");
    }

    #[test]
    fn tags_and_digests_pin_latest_does_not() {
        case("postgres:16.4", true);
        case(
            "ghcr.io/org/app@sha256:0123456789abcdef0123456789abcdef",
            true,
        );
        case(
            "ghcr.io/org/app:1.0@sha256:0123456789abcdef0123456789abcdef",
            true,
        );
        case("localhost:5000/app:1.0", true);
        case("postgres", false);
        case("postgres:latest", false);
        case("localhost:5000/app", false);
        case("ghcr.io/org/app:", false);
    }

    #[test]
    fn reports_the_image_line_of_an_unpinned_workload() {
        assert_eq!(Fixture::new(BASE).check(&RULE), Vec::<String>::new());
        let base = BASE.replace(
            "image: ghcr.io/acme/db:16.4",
            "image: ghcr.io/acme/db:latest",
        );
        assert_eq!(
            Fixture::new(&base).check(&RULE),
            [
                "platform.yaml:20:12 image `ghcr.io/acme/db:latest` of container `db` in `StatefulSet/shop/db` is not pinned"
            ]
        );
    }

    #[test]
    fn other_containers_are_reported_at_the_object_origin() {
        let mut fixture = Fixture::new(BASE);
        fixture.set(
            "Deployment/shop/web",
            "/spec/template/spec/initContainers",
            json!([{ "name": "wait", "image": "busybox" }]),
        );
        assert_eq!(
            fixture.check(&RULE),
            [
                "platform.yaml:7:3 image `busybox` of container `wait` in `Deployment/shop/web` is not pinned"
            ]
        );
    }
}
