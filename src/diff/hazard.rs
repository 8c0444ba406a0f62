//! What Kubernetes will refuse or destroy when a diff is applied: changes to
//! fields the API server will not change in place (a StatefulSet's
//! `volumeClaimTemplates`, any workload's `selector`, a Service's cluster IP,
//! a Job's template, a claim's storage class...) and removals that take data
//! with them (a PersistentVolumeClaim, a Namespace, a data service run by an
//! operator; see [`Kind::holds_data`](crate::object::Kind)).
//!
//! Judged on the objects as rendered, before secret values are masked, so a
//! changed value of an immutable Secret counts. Each hazard names the field,
//! why it matters and what to do instead, for the reports to lay out.
//!
//! Must not print or decide exit codes.

use serde_json::Value;

use crate::object::kinds;
use crate::spec::Quantity;

/// How bad a hazard is.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The API server rejects the change: the sync fails until someone acts.
    Refused,
    /// Applying it deletes (or orphans) data.
    Destructive,
    /// Worth knowing, but neither refused nor losing data.
    Notice,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Refused => "refused",
            Severity::Destructive => "destructive",
            Severity::Notice => "notice",
        }
    }

    /// Whether `--fail-on-destructive` fails on it.
    pub fn fails_ci(self) -> bool {
        matches!(self, Severity::Refused | Severity::Destructive)
    }
}

/// One thing applying a resource's change will refuse or destroy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hazard {
    pub severity: Severity,
    /// The field at fault (`spec.selector`), or `None` for a removal.
    pub field: Option<String>,
    /// What happens, in a sentence.
    pub reason: String,
    /// What to do instead, in a sentence.
    pub remedy: String,
}

impl Hazard {
    fn refused(field: &str, reason: String, remedy: &str) -> Self {
        Self {
            severity: Severity::Refused,
            field: Some(field.to_owned()),
            reason,
            remedy: remedy.to_owned(),
        }
    }

    fn removal(severity: Severity, reason: &str, remedy: &str) -> Self {
        Self {
            severity,
            field: None,
            reason: reason.to_owned(),
            remedy: remedy.to_owned(),
        }
    }
}

/// The hazards of changing `old` into `new` (either absent for an added or a
/// removed object). `group` and `kind` identify both sides.
pub(super) fn hazards(
    group: &str,
    kind: &str,
    old: Option<&Value>,
    new: Option<&Value>,
) -> Vec<Hazard> {
    match (old, new) {
        (Some(old), Some(new)) => changed(group, kind, old, new),
        (Some(old), None) => removed(group, kind, old).into_iter().collect(),
        _ => Vec::new(),
    }
}

const ORPHAN: &str = "delete it with `kubectl delete --cascade=orphan` (its pods and volume claims \
                      stay) and let the sync re-create it";
const RECREATE: &str = "delete it and let the sync re-create it (its pods restart), \
                        or give it a new name";

fn changed(group: &str, kind: &str, old: &Value, new: &Value) -> Vec<Hazard> {
    let mut found = Vec::new();
    let mut immutable = |path: &[&str], reason: &str, remedy: &str| {
        if at(old, path) != at(new, path) {
            let field = path.join(".");
            found.push(Hazard::refused(
                &field,
                format!("`{field}` cannot change in place: {reason}"),
                remedy,
            ));
        }
    };
    match (group, kind) {
        ("apps", "StatefulSet") => {
            immutable(
                &["spec", "volumeClaimTemplates"],
                "the API server refuses the update, and claims already made keep their old size and class",
                "delete the StatefulSet with `kubectl delete statefulset --cascade=orphan` (pods and \
                 volume claims stay), let the sync re-create it, and resize or migrate existing claims yourself",
            );
            for field in ["selector", "serviceName", "podManagementPolicy"] {
                immutable(
                    &["spec", field],
                    "the API server refuses the update",
                    ORPHAN,
                );
            }
        }
        ("apps", "Deployment" | "DaemonSet" | "ReplicaSet") => immutable(
            &["spec", "selector"],
            "the API server refuses the update",
            RECREATE,
        ),
        ("batch", "Job") => {
            for field in ["template", "selector"] {
                immutable(
                    &["spec", field],
                    "the API server refuses the update of a Job",
                    "delete the Job first (it runs again when re-created), or name it by its content",
                );
            }
        }
        ("", "Service") => {
            // An unset cluster IP is allocated by the server and kept on
            // update; only one the render sets can clash with it.
            for field in ["clusterIP", "clusterIPs"] {
                let path = ["spec", field];
                if at(new, &path).is_some() && at(old, &path) != at(new, &path) {
                    immutable(
                        &path,
                        "a Service's cluster IP is fixed once allocated (`None` makes it headless, \
                         which also cannot be switched on or off)",
                        "delete the Service and let the sync re-create it (its clients see it \
                         disappear briefly), or give it a new name",
                    );
                }
            }
            let external = |value: &Value| {
                at(value, &["spec", "type"]).and_then(Value::as_str) == Some("ExternalName")
            };
            if external(old) != external(new) {
                found.push(Hazard {
                    severity: Severity::Notice,
                    field: Some("spec.type".to_owned()),
                    reason: "the Service changes to or from ExternalName: its cluster IP is \
                             released or a new one allocated, and its DNS name turns from an \
                             address into an alias or back"
                        .to_owned(),
                    remedy: "make sure no client holds on to the old cluster IP".to_owned(),
                });
            }
        }
        ("", "PersistentVolumeClaim") => {
            for field in ["storageClassName", "accessModes", "volumeMode"] {
                immutable(
                    &["spec", field],
                    "a claim's spec is fixed once bound, apart from its requested size",
                    "create a new claim, copy the data over, then remove the old one",
                );
            }
            let size = |value: &Value| {
                at(value, &["spec", "resources", "requests", "storage"])
                    .and_then(Value::as_str)
                    .and_then(Quantity::parse)
            };
            if let (Some(before), Some(after)) = (size(old), size(new))
                && after.milli() < before.milli()
            {
                found.push(Hazard::refused(
                    "spec.resources.requests.storage",
                    format!(
                        "a claim cannot shrink ({} to {}): the API server refuses it",
                        before.as_str(),
                        after.as_str()
                    ),
                    "keep the size, or create a smaller claim, copy the data over and remove the old one",
                ));
            }
        }
        ("", "ConfigMap" | "Secret")
            if at(old, &["immutable"]).and_then(Value::as_bool) == Some(true) =>
        {
            for field in ["data", "binaryData", "stringData", "immutable"] {
                immutable(
                    &[field],
                    "the object is `immutable: true`",
                    "give it a new name (and point its readers at it), or delete it first",
                );
            }
        }
        _ => {}
    }
    found
}

fn removed(group: &str, kind: &str, old: &Value) -> Option<Hazard> {
    match (group, kind) {
        ("", "Namespace") => Some(Hazard::removal(
            Severity::Destructive,
            "deleting a Namespace deletes everything in it, volume claims and their data too, \
             including objects this render does not manage",
            "move what must stay to another namespace first, or keep the namespace",
        )),
        ("", "PersistentVolumeClaim") => Some(Hazard::removal(
            Severity::Destructive,
            "deleting a claim deletes its volume and data unless the volume's reclaim policy is Retain",
            "back the data up first, or set the volume's reclaim policy to Retain",
        )),
        ("apps", "StatefulSet")
            if at(old, &["spec", "volumeClaimTemplates"])
                .and_then(Value::as_array)
                .is_some_and(|templates| !templates.is_empty()) =>
        {
            let deletes = at(
                old,
                &[
                    "spec",
                    "persistentVolumeClaimRetentionPolicy",
                    "whenDeleted",
                ],
            )
            .and_then(Value::as_str)
                == Some("Delete");
            Some(if deletes {
                Hazard::removal(
                    Severity::Destructive,
                    "its volume claims are deleted with it (`persistentVolumeClaimRetentionPolicy.whenDeleted: Delete`), \
                     and their data with them",
                    "back the data up first, or set `whenDeleted: Retain` before removing it",
                )
            } else {
                Hazard::removal(
                    Severity::Destructive,
                    "its volume claims stay, orphaned: nothing uses them, they keep their storage, \
                     and a StatefulSet of the same name would adopt them again",
                    "delete the claims once their data is safe, or keep the StatefulSet",
                )
            })
        }
        ("velero.io", "Schedule") => Some(Hazard::removal(
            Severity::Notice,
            "backups stop being taken; those already taken are kept until they expire",
            "make sure another schedule covers what this one backed up",
        )),
        _ if kinds::lookup(group, kind).is_some_and(|row| row.holds_data) => Some(Hazard::removal(
            Severity::Destructive,
            "the operator deletes the data service with it, and its data unless its volumes are retained",
            "back the data up first (or check the operator retains its volumes)",
        )),
        _ => None,
    }
}

/// The value at `path`, treating `null` as absent.
fn at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter()
        .try_fold(value, |value, key| value.get(key))
        .filter(|value| !value.is_null())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[track_caller]
    fn change(group: &str, kind: &str, old: Value, new: Value) -> Vec<(Severity, String)> {
        hazards(group, kind, Some(&old), Some(&new))
            .into_iter()
            .map(|hazard| (hazard.severity, hazard.field.unwrap_or_default()))
            .collect()
    }

    #[track_caller]
    fn removal(group: &str, kind: &str, old: Value) -> Option<Severity> {
        let found = hazards(group, kind, Some(&old), None);
        assert!(found.len() <= 1);
        found.first().map(|hazard| hazard.severity)
    }

    fn refused(field: &str) -> Vec<(Severity, String)> {
        vec![(Severity::Refused, field.to_owned())]
    }

    #[test]
    fn immutable_fields_of_workloads() {
        let sts = |size: &str, policy: &str| {
            json!({"spec": {"replicas": 1, "podManagementPolicy": policy,
                "volumeClaimTemplates": [{"spec": {"resources": {"requests": {"storage": size}}}}]}})
        };
        assert_eq!(
            change(
                "apps",
                "StatefulSet",
                sts("5Gi", "Parallel"),
                sts("10Gi", "Parallel")
            ),
            refused("spec.volumeClaimTemplates")
        );
        assert_eq!(
            change(
                "apps",
                "StatefulSet",
                sts("5Gi", "Parallel"),
                sts("5Gi", "OrderedReady")
            ),
            refused("spec.podManagementPolicy")
        );
        let mut scaled = sts("5Gi", "Parallel");
        scaled["spec"]["replicas"] = json!(3);
        assert!(change("apps", "StatefulSet", sts("5Gi", "Parallel"), scaled).is_empty());

        let selector = |app: &str| json!({"spec": {"selector": {"matchLabels": {"app": app}}}});
        for kind in ["Deployment", "DaemonSet"] {
            assert_eq!(
                change("apps", kind, selector("a"), selector("b")),
                refused("spec.selector")
            );
            assert!(change("apps", kind, selector("a"), selector("a")).is_empty());
        }
        let job = |image: &str| json!({"spec": {"template": {"spec": {"image": image}}}});
        assert_eq!(
            change("batch", "Job", job("a"), job("b")),
            refused("spec.template")
        );
        // A Deployment's template is what rollouts are for.
        assert!(change("apps", "Deployment", job("a"), job("b")).is_empty());
    }

    #[test]
    fn services_claims_and_immutable_configuration() {
        let service = |spec: Value| json!({"spec": spec});
        assert_eq!(
            change(
                "",
                "Service",
                service(json!({})),
                service(json!({"clusterIP": "None"}))
            ),
            refused("spec.clusterIP")
        );
        // Dropping a set cluster IP keeps the allocated one.
        assert!(
            change(
                "",
                "Service",
                service(json!({"clusterIP": "None"})),
                service(json!({}))
            )
            .is_empty()
        );
        assert_eq!(
            change(
                "",
                "Service",
                service(json!({"type": "ClusterIP"})),
                service(json!({"type": "ExternalName"}))
            ),
            vec![(Severity::Notice, "spec.type".to_owned())]
        );

        let claim = |class: &str, size: &str| {
            json!({"spec": {"storageClassName": class,
                "resources": {"requests": {"storage": size}}}})
        };
        assert_eq!(
            change(
                "",
                "PersistentVolumeClaim",
                claim("a", "5Gi"),
                claim("b", "5Gi")
            ),
            refused("spec.storageClassName")
        );
        assert_eq!(
            change(
                "",
                "PersistentVolumeClaim",
                claim("a", "5Gi"),
                claim("a", "4Gi")
            ),
            refused("spec.resources.requests.storage")
        );
        assert!(
            change(
                "",
                "PersistentVolumeClaim",
                claim("a", "5Gi"),
                claim("a", "6Gi")
            )
            .is_empty()
        );

        let config =
            |immutable: bool, value: &str| json!({"immutable": immutable, "data": {"k": value}});
        assert_eq!(
            change("", "ConfigMap", config(true, "a"), config(true, "b")),
            refused("data")
        );
        assert_eq!(
            change("", "Secret", config(true, "a"), config(false, "a")),
            refused("immutable")
        );
        assert!(change("", "ConfigMap", config(false, "a"), config(true, "b")).is_empty());
    }

    #[test]
    fn removals_that_lose_data() {
        assert_eq!(
            removal("", "Namespace", json!({})),
            Some(Severity::Destructive)
        );
        assert_eq!(
            removal("", "PersistentVolumeClaim", json!({})),
            Some(Severity::Destructive)
        );
        for (group, kind) in [
            ("postgresql.cnpg.io", "Cluster"),
            ("rabbitmq.com", "RabbitmqCluster"),
            ("minio.min.io", "Tenant"),
            ("redis.redis.opstreelabs.in", "Redis"),
            ("redis.redis.opstreelabs.in", "RedisReplication"),
            ("mongodbcommunity.mongodb.com", "MongoDBCommunity"),
        ] {
            assert_eq!(
                removal(group, kind, json!({})),
                Some(Severity::Destructive),
                "{kind}"
            );
        }
        let sts = json!({"spec": {"volumeClaimTemplates": [{}]}});
        let orphaned = hazards("apps", "StatefulSet", Some(&sts), None);
        assert!(orphaned[0].reason.contains("orphaned"), "{orphaned:?}");
        let mut deleting = sts.clone();
        deleting["spec"]["persistentVolumeClaimRetentionPolicy"] = json!({"whenDeleted": "Delete"});
        let deleted = hazards("apps", "StatefulSet", Some(&deleting), None);
        assert!(deleted[0].reason.contains("deleted with it"), "{deleted:?}");

        assert_eq!(
            removal("velero.io", "Schedule", json!({})),
            Some(Severity::Notice)
        );
        // Stateless objects and Jobs (replaced under a new name when their
        // content changes) go without a word; so does anything added.
        for (group, kind) in [
            ("apps", "Deployment"),
            ("batch", "Job"),
            ("", "ConfigMap"),
            ("redis.redis.opstreelabs.in", "RedisSentinel"),
        ] {
            assert_eq!(removal(group, kind, json!({"spec": {}})), None, "{kind}");
        }
        assert_eq!(removal("apps", "StatefulSet", json!({"spec": {}})), None);
        assert!(hazards("", "Namespace", None, Some(&json!({}))).is_empty());
    }
}
