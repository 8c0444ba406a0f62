//! `ReplicaCount`: the fewest pods a replicated object runs with, whoever sets
//! it: its own `spec.replicas`, a HorizontalPodAutoscaler's `minReplicas` or a
//! KEDA ScaledObject's `minReplicaCount`. Shared by the availability rules.

use serde_json::Value;

use crate::object::Manifest;

use super::Context;

#[derive(Debug, Clone, Copy)]
pub(super) struct ReplicaCount<'a> {
    pub(super) min: u64,
    /// The autoscaler that sets the count, if any.
    pub(super) autoscaler: Option<&'a Manifest>,
}

impl<'a> ReplicaCount<'a> {
    pub(super) fn of(ctx: &Context<'a>, manifest: &Manifest) -> Self {
        if let Some(hpa) = ctx.scaler("HorizontalPodAutoscaler", manifest) {
            return Self {
                min: count(hpa, &["spec", "minReplicas"], 1),
                autoscaler: Some(hpa),
            };
        }
        // KEDA may scale to zero: its default minimum is 0.
        if let Some(scaled) = ctx.scaler("ScaledObject", manifest) {
            return Self {
                min: count(scaled, &["spec", "minReplicaCount"], 0),
                autoscaler: Some(scaled),
            };
        }
        Self {
            min: count(manifest, &["spec", "replicas"], 1),
            autoscaler: None,
        }
    }
}

fn count(manifest: &Manifest, keys: &[&str], default: u64) -> u64 {
    crate::object::path::at(&manifest.value, keys)
        .and_then(Value::as_u64)
        .unwrap_or(default)
}

/// `1 replica`, `2 replicas`.
pub(super) fn replicas(count: u64) -> String {
    if count == 1 {
        "1 replica".to_owned()
    } else {
        format!("{count} replicas")
    }
}
