//! PG4014 `image-without-digest`: every container image is pinned to a
//! digest (`@sha256:…`), the one reference a registry cannot move. Stricter
//! than PG4001 (a tag is enough there), so it is off in development, where
//! images change many times a day, a warning in staging and an error in
//! production, as supply-chain policies such as Kyverno's
//! `require-image-digest` and Checkov's CKV_K8S_43 ask (kube-linter has no
//! digest check by default; its `latest-tag` is PG4001's equivalent).

use serde_json::Value;

use crate::diagnostic::Code;
use crate::spec::RuleLevel::{Error, Off, Warning};

use super::{Context, Finding, Rule, RuleScope, TierLevels};

pub(super) static RULE: Rule = Rule {
    code: Code::ImageWithoutDigest,
    summary: "Every container image is pinned to a digest (`@sha256:...`).",
    levels: TierLevels::new(Off, Warning, Error),
    rationale: "A tag is a name a registry lets anyone with push access move: \
        `app:1.4.2` pushed again, by a release job run twice or by an attacker with a \
        stolen token, changes what production runs without a line of the spec changing, \
        and nodes that pulled before and after run different code. A digest names the \
        image's content, so the rendered manifests say exactly what runs, a rollback \
        brings back the same bits, and what was tested in staging is what production \
        pulls. Off in development, where images are rebuilt all day; a warning in \
        staging, so the digests are in place before a promotion; an error in \
        production, as supply-chain policies (Kyverno's `require-image-digest`, \
        SLSA-style admission checks) require.",
    fix: "Pin the image to its digest, keeping the tag for people: \
        `ghcr.io/org/app:1.4.2@sha256:<digest>` (`docker buildx imagetools inspect \
        ghcr.io/org/app:1.4.2` prints it; Renovate's `pinDigests` keeps it current). \
        Container runtimes pull by the digest and ignore the tag.",
    scope: RuleScope::Objects,
    check,
};

fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for pod in ctx.pods() {
        for container in pod.containers() {
            let Some(image) = container.value.get("image").and_then(Value::as_str) else {
                continue;
            };
            if has_digest(image) {
                continue;
            }
            let span = ctx.container_field(&pod, &container, &["image"]);
            findings.push(
                Finding::new(
                    RULE.code,
                    format!("{}/{}/image", pod.manifest.identity(), container.name),
                    format!(
                        "image `{image}` of container `{}` in `{}` has no digest",
                        container.name,
                        pod.manifest.identity()
                    ),
                    span,
                    "a tag can be moved: pin the digest",
                )
                .workload(ctx.owner(pod.manifest))
                .namespace(pod.manifest.key.namespace.as_deref())
                .help("append the image's digest: `app:1.4.2@sha256:<digest>`"),
            );
        }
    }
}

/// Whether `image` ends in a digest `@algorithm:hex` (the hex at least 32
/// digits, as the spec's image grammar requires).
fn has_digest(image: &str) -> bool {
    let Some((_, digest)) = image.rsplit_once('@') else {
        return false;
    };
    digest.split_once(':').is_some_and(|(algorithm, hex)| {
        !algorithm.is_empty() && hex.len() >= 32 && hex.chars().all(|c| c.is_ascii_hexdigit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::testing::{BASE, Fixture};
    use serde_json::json;

    const DIGEST: &str = "sha256:4b6e7e5a1c2d3f40ab12cd34ef56ab78cd90ef12ab34cd56ef78ab90cd12ef34";

    #[track_caller]
    fn case(image: &str, pinned: bool) {
        assert_eq!(has_digest(image), pinned, "{image}");
    }

    #[test]
    fn only_a_digest_pins() {
        case(&format!("ghcr.io/org/app@{DIGEST}"), true);
        case(&format!("ghcr.io/org/app:1.0@{DIGEST}"), true);
        case(&format!("localhost:5000/app:1.0@{DIGEST}"), true);
        case("postgres:16.4", false);
        case("postgres", false);
        case("localhost:5000/app:1.0", false);
        case("app@sha256:", false);
        case("app@sha256:xyz", false);
        case("app@:0123456789abcdef0123456789abcdef", false);
    }

    #[test]
    fn reports_the_image_line_of_each_workload_without_a_digest() {
        let base = BASE.replace(
            "image: ghcr.io/acme/web:1.2.3",
            &format!("image: ghcr.io/acme/web:1.2.3@{DIGEST}"),
        );
        assert_eq!(
            Fixture::new(&base).check(&RULE),
            [
                "platform.yaml:20:12 image `ghcr.io/acme/db:16.4` of container `db` in `StatefulSet/shop/db` has no digest"
            ]
        );
        let pinned = base.replace(
            "image: ghcr.io/acme/db:16.4",
            &format!("image: ghcr.io/acme/db:16.4@{DIGEST}"),
        );
        assert_eq!(Fixture::new(&pinned).check(&RULE), Vec::<String>::new());
    }

    #[test]
    fn other_containers_are_reported_at_the_object_origin() {
        let pinned = BASE
            .replace(
                "image: ghcr.io/acme/web:1.2.3",
                &format!("image: ghcr.io/acme/web:1.2.3@{DIGEST}"),
            )
            .replace(
                "image: ghcr.io/acme/db:16.4",
                &format!("image: ghcr.io/acme/db:16.4@{DIGEST}"),
            );
        let mut fixture = Fixture::new(&pinned);
        fixture.set(
            "Deployment/shop/web",
            "/spec/template/spec/initContainers",
            json!([{ "name": "wait", "image": "busybox:1.36" }]),
        );
        assert_eq!(
            fixture.check(&RULE),
            [
                "platform.yaml:7:3 image `busybox:1.36` of container `wait` in `Deployment/shop/web` has no digest"
            ]
        );
    }
}
