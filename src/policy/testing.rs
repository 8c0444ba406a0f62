//! Test fixtures for the rules: compile a platform from YAML text in memory,
//! optionally edit the rendered objects (to reach states the spec cannot
//! express, for the rules that guard objects from anywhere), run one rule and
//! read its findings as `file:line:col message` lines.

use serde_json::Value;

use crate::object::Manifest;
use crate::pipeline::Compilation;
use crate::testing;

use super::{Context, Finding, Rule};

/// A small valid platform; tests replace parts of it.
pub(crate) const BASE: &str = "\
platform:
  name: shop
  kubernetesVersion: \"1.33\"
namespaces:
  shop: {}
workloads:
  web:
    namespace: shop
    image: ghcr.io/acme/web:1.2.3
    ports:
      http: { port: 8080 }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
    replicas: 2
    uses: [db]
  db:
    kind: StatefulSet
    namespace: shop
    image: ghcr.io/acme/db:16.4
    ports:
      postgres: { port: 5432 }
    resources:
      requests: { cpu: 250m, memory: 256Mi }
      limits: { cpu: 500m, memory: 512Mi }
    replicas: 3
    env: { POSTGRES_PASSWORD_FILE: /run/secrets/postgres/password }
";

/// [`BASE`] with a Job and a CronJob, single pods whose port serves metrics:
/// what the rules about services must leave alone.
pub(crate) const BATCH: &str = "  migrate:
    kind: Job
    namespace: shop
    image: ghcr.io/acme/web:1.2.3
    ports:
      metrics: { port: 9100 }
    metrics: { port: metrics }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
    uses: [db]
    job: { runBefore: [web] }
  report:
    kind: CronJob
    namespace: shop
    image: ghcr.io/acme/report:1.0.0
    ports:
      metrics: { port: 9100 }
    metrics: { port: metrics }
    resources:
      requests: { cpu: 100m, memory: 128Mi }
      limits: { cpu: 500m, memory: 256Mi }
    uses: [web]
    cronJob: { schedule: \"@daily\" }
monitoring: { namespace: monitoring }
";

pub(crate) struct Fixture {
    pub(crate) compilation: Compilation,
    pub(crate) manifests: Vec<Manifest>,
}

impl Fixture {
    /// `base` compiled as environment `prod` with an empty overlay.
    #[track_caller]
    pub(crate) fn new(base: &str) -> Self {
        Self::with(base, "prod", "{}\n")
    }

    /// `base` compiled as `environment`, with `overlay` as its file.
    #[track_caller]
    pub(crate) fn with(base: &str, environment: &str, overlay: &str) -> Self {
        let compilation = testing::compile(base, environment, overlay);
        let errors: Vec<String> = compilation
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.message.clone())
            .collect();
        assert!(errors.is_empty(), "the fixture compiles: {errors:?}");
        let manifests = compilation.manifests.clone().expect("compiled");
        Self {
            compilation,
            manifests,
        }
    }

    fn manifest(&mut self, identity: &str) -> &mut Manifest {
        self.manifests
            .iter_mut()
            .find(|m| m.identity() == identity)
            .unwrap_or_else(|| panic!("no object `{identity}`"))
    }

    /// Sets the JSON at `pointer` (whose parent must exist) in object `identity`.
    #[track_caller]
    pub(crate) fn set(&mut self, identity: &str, pointer: &str, value: Value) -> &mut Self {
        let (parent, key) = pointer.rsplit_once('/').expect("a JSON pointer");
        let object = self.manifest(identity);
        match object.value.pointer_mut(parent) {
            Some(Value::Object(map)) => {
                map.insert(key.to_owned(), value);
            }
            Some(Value::Array(items)) => {
                let index: usize = key.parse().expect("an index");
                items[index] = value;
            }
            _ => panic!("`{identity}` has no object at `{parent}`"),
        }
        self
    }

    /// Removes the JSON at `pointer` from object `identity`.
    #[track_caller]
    pub(crate) fn remove(&mut self, identity: &str, pointer: &str) -> &mut Self {
        let (parent, key) = pointer.rsplit_once('/').expect("a JSON pointer");
        let object = self.manifest(identity);
        let removed = object
            .value
            .pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .and_then(|map| map.remove(key));
        assert!(removed.is_some(), "`{identity}` has nothing at `{pointer}`");
        self
    }

    /// Adds an object that came from the spec key of the namespace `shop`.
    pub(crate) fn add(&mut self, value: Value) -> &mut Self {
        let origin = self.manifests[0].origin;
        self.manifests
            .push(Manifest::from_value(value, origin).expect("an object with an identity"));
        self
    }

    /// The raw findings of `rule`, before levels and waivers.
    pub(crate) fn findings(&self, rule: &Rule) -> Vec<Finding> {
        let compilation = &self.compilation;
        let ctx = Context::new(
            compilation.model.as_ref().expect("compiled"),
            &self.manifests,
            compilation.tree.as_ref().expect("compiled"),
        );
        let mut findings = Vec::new();
        (rule.check)(&ctx, &mut findings);
        findings
    }

    /// `rule`'s findings as `file:line:col message` lines.
    pub(crate) fn check(&self, rule: &Rule) -> Vec<String> {
        self.findings(rule)
            .iter()
            .map(|finding| {
                let diagnostic = &finding.diagnostic;
                let place = diagnostic
                    .primary
                    .as_ref()
                    .map_or_else(String::new, |label| {
                        self.compilation.sources.location(label.span)
                    });
                format!("{place} {}", diagnostic.message)
            })
            .collect()
    }
}
