//! Every autoscaler (HorizontalPodAutoscaler, KEDA ScaledObject: the kinds
//! the kind registry marks `scales`) names, in `spec.scaleTargetRef`, an
//! object of the render of a kind that has replicas to scale (`replicated`
//! in the registry). An autoscaler whose target does not exist applies
//! cleanly and never scales anything (PG5006).

use serde_json::Value;

use super::referrer::Referrer;
use super::rendered::Rendered;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::object::Manifest;
use crate::object::kinds::{KINDS, lookup};

#[derive(Debug)]
struct Target {
    referrer: Referrer,
    namespace: String,
    /// The group of `apiVersion`, when written.
    group: Option<String>,
    kind: String,
    name: String,
}

/// The targets of the render's autoscalers.
#[derive(Debug, Default)]
pub(super) struct ScaleTargets(Vec<Target>);

impl ScaleTargets {
    pub(super) fn record(&mut self, object: &Manifest, tree: &Value, referrer: &Referrer) {
        let Some(default_kind) = object.kind_info().and_then(|kind| kind.scales) else {
            return;
        };
        let reference = &tree["spec"]["scaleTargetRef"];
        let Some(name) = reference["name"].as_str() else {
            return;
        };
        let Some(kind) = reference["kind"]
            .as_str()
            .or((!default_kind.is_empty()).then_some(default_kind))
        else {
            return;
        };
        let group = reference["apiVersion"].as_str().map(|version| {
            version
                .rsplit_once('/')
                .map_or("", |(group, _)| group)
                .to_owned()
        });
        self.0.push(Target {
            referrer: referrer.clone(),
            namespace: object.namespace().unwrap_or_default().to_owned(),
            group,
            kind: kind.to_owned(),
            name: name.to_owned(),
        });
    }

    pub(super) fn resolve(&self, rendered: &Rendered, diagnostics: &mut Diagnostics) {
        for target in &self.0 {
            let row = match &target.group {
                Some(group) => lookup(group, &target.kind),
                None => KINDS.iter().find(|k| k.kind == target.kind),
            };
            let identity = format!("{} `{}/{}`", target.kind, target.namespace, target.name);
            let problem = if !row.is_some_and(|row| row.replicated) {
                format!(
                    "{identity}, but `{}` is not a kind with replicas to scale",
                    target.kind
                )
            } else if !rendered.has(&target.kind, &target.namespace, &target.name) {
                format!("{identity}, which is not rendered")
            } else {
                continue;
            };
            diagnostics.push(target.referrer.locate(
                Diagnostic::error(
                    Code::UnknownScaleTarget,
                    format!("{} scales {problem}", target.referrer.identity),
                )
                .with_help(
                    "an autoscaler whose target does not exist never scales: name a rendered Deployment, StatefulSet or Rollout of its namespace",
                ),
            ));
        }
    }
}
