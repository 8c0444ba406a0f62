//! The JSON report of `diff`, for tools. The schema is stable: fields are only
//! ever added.
//!
//! ```json
//! {
//!   "against": "HEAD",
//!   "environments": {
//!     "prod": {
//!       "summary": {"changed": 1, "added": 0, "removed": 0},
//!       "destructive": true,
//!       "resources": [{
//!         "apiVersion": "apps/v1", "kind": "Deployment",
//!         "namespace": "shop", "name": "web",
//!         "change": "changed",
//!         "diff": "@@ -12 +12 @@ spec.replicas\n-  replicas: 2\n+  replicas: 3\n",
//!         "hunks": [{"path": "spec.replicas", "oldStart": 12, "oldLines": 1,
//!                    "newStart": 12, "newLines": 1,
//!                    "lines": ["-  replicas: 2", "+  replicas: 3"]}],
//!         "secretKeys": [],
//!         "hazards": [{"severity": "refused", "field": "spec.selector",
//!                      "reason": "`spec.selector` cannot change in place: ...",
//!                      "remedy": "delete it and let the sync re-create it ..."}]
//!       }]
//!     }
//!   }
//! }
//! ```
//!
//! `namespace` is `null` for cluster-scoped objects; `path` is `null` when
//! unknown and for added or removed objects; `secretKeys` lists the masked
//! keys of a Secret or SealedSecret that changed (`[]` otherwise, and with
//! `--show-secrets`). `hazards` lists what Kubernetes will refuse or destroy
//! when the change is applied (`[]` when nothing): `severity` is `refused`,
//! `destructive` or `notice`, `field` is `null` for a removal. An
//! environment's `destructive` is true when any hazard is `refused` or
//! `destructive` (what `--fail-on-destructive` fails on). Resources come in
//! apply order; unchanged ones are not listed.

use serde_json::{Map, Value, json};

use crate::diff::{EnvironmentDiff, Hunk, ResourceDiff};

pub fn json_report(diffs: &[EnvironmentDiff], against: &str) -> Value {
    let environments: Map<String, Value> = diffs
        .iter()
        .map(|diff| {
            let summary = diff.summary();
            (
                diff.environment.clone(),
                json!({
                    "summary": {
                        "changed": summary.changed,
                        "added": summary.added,
                        "removed": summary.removed,
                    },
                    "destructive": diff.has_failing_hazards(),
                    "resources": diff.resources.iter().map(resource).collect::<Vec<_>>(),
                }),
            )
        })
        .collect();
    json!({ "against": against, "environments": environments })
}

fn resource(resource: &ResourceDiff) -> Value {
    json!({
        "apiVersion": resource.api_version,
        "kind": resource.kind,
        "namespace": resource.namespace,
        "name": resource.name,
        "change": resource.change.as_str(),
        "diff": resource.diff_text(),
        "hunks": resource.hunks.iter().map(hunk).collect::<Vec<_>>(),
        "secretKeys": resource
            .secret_keys
            .iter()
            .map(|key| json!({"path": key.path, "change": key.change.as_str()}))
            .collect::<Vec<_>>(),
        "hazards": resource
            .hazards
            .iter()
            .map(|hazard| json!({
                "severity": hazard.severity.as_str(),
                "field": hazard.field,
                "reason": hazard.reason,
                "remedy": hazard.remedy,
            }))
            .collect::<Vec<_>>(),
    })
}

fn hunk(hunk: &Hunk) -> Value {
    json!({
        "path": hunk.path,
        "oldStart": hunk.old_start,
        "oldLines": hunk.old_lines,
        "newStart": hunk.new_start,
        "newLines": hunk.new_lines,
        "lines": hunk
            .lines
            .iter()
            .map(|line| format!("{}{}", line.tag.prefix(), line.text))
            .collect::<Vec<_>>(),
    })
}
