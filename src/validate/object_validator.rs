//! `ObjectValidator`: judges one rendered object against the schema of its
//! kind and reports each violation at the spec line that produced the object.

use crate::diagnostic::{Code, Diagnostic};
use crate::object::Manifest;

use super::schema_set::{SchemaError, SchemaSet};

/// At most this many violations are reported per object: past a few, one
/// root cause (a field at the wrong level) is usually behind them all.
const MAX_ERRORS_PER_OBJECT: usize = 5;

/// Validates objects for one Kubernetes version.
#[derive(Debug, Clone, Copy)]
pub struct ObjectValidator {
    schemas: &'static SchemaSet,
}

impl ObjectValidator {
    /// The validator for Kubernetes `1.<minor>`.
    pub fn for_version(minor: u32) -> Result<Self, SchemaError> {
        SchemaSet::for_version(minor).map(|schemas| Self { schemas })
    }

    /// Every way `object` is not what the API server of the target version
    /// accepts, each as an error at the object's origin. An object whose
    /// kind has no schema is an error too: nothing passes unvalidated.
    pub fn validate(&self, object: &Manifest) -> Vec<Diagnostic> {
        // Named only in a diagnostic: nearly every object has none.
        let identity = || {
            format!(
                "{} `{}`",
                object.kind(),
                match object.namespace() {
                    Some(namespace) => format!("{namespace}/{}", object.name()),
                    None => object.name().to_owned(),
                }
            )
        };
        let violations =
            match self
                .schemas
                .violations(&object.api_version, object.kind(), &object.tree())
            {
                Ok(violations) => violations,
                Err(error) => {
                    return vec![
                        Diagnostic::error(
                            Code::InvalidObject,
                            format!("{} cannot be validated: {error}", identity()),
                        )
                        .at(object.origin, "generates this object")
                        .with_help(
                            "every kind platformgen emits needs a schema: regenerate them with \
                         `scripts/vendor_kubernetes_schemas.py`",
                        ),
                    ];
                }
            };
        if violations.is_empty() {
            return Vec::new();
        }
        let identity = identity();
        // A patch is the usual way a field no Rust type checked gets in
        // (the annotation is `lower::patches::PATCHED_BY`, a layer above).
        let patched_by = crate::object::path::annotation(
            &object.tree(),
            "platformgen.dev/patched-by",
        )
        .map(|names| {
            format!("the object is changed by the patches `{names}` (`patches` in the spec)")
        });
        let errors: Vec<(String, String)> = violations
            .into_iter()
            .map(|v| (dotted_path(&v.pointer), v.message))
            .collect();
        let total = errors.len();
        errors
            .into_iter()
            .take(MAX_ERRORS_PER_OBJECT)
            .map(|(path, message)| {
                Diagnostic::error(
                    Code::InvalidObject,
                    format!(
                        "{identity} is not valid for Kubernetes 1.{} at `{path}`: {message}",
                        self.schemas.minor()
                    ),
                )
                .at(object.origin, "generates this object")
                .with_note_opt(patched_by.clone())
                .with_note_opt((total > MAX_ERRORS_PER_OBJECT).then(|| {
                    format!(
                        "{} more violations in this object are not shown",
                        total - MAX_ERRORS_PER_OBJECT
                    )
                }))
                .with_help(
                    "the API server would reject this object: change the spec value that \
                     produced it, or remove the field a patch or template adds",
                )
            })
            .collect()
    }
}

/// A JSON pointer (`/spec/template/spec/containers/0/name`) as the dotted
/// path diagnostics use (`spec.template.spec.containers[0].name`); the root
/// is `<root>`.
fn dotted_path(pointer: &str) -> String {
    let mut out = String::new();
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
            out.push('[');
            out.push_str(&segment);
            out.push(']');
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&segment);
        }
    }
    if out.is_empty() {
        "<root>".to_owned()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::object::kinds::{KINDS, Origin};
    use crate::source::{FileId, Span};

    fn object(value: serde_json::Value) -> Manifest {
        Manifest::from_value(value, Span::point(FileId::default(), 0)).expect("an identity")
    }

    fn deployment(container: serde_json::Value) -> serde_json::Value {
        json!({
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "api", "namespace": "shop"},
            "spec": {
                "selector": {"matchLabels": {"app": "api"}},
                "template": {
                    "metadata": {"labels": {"app": "api"}},
                    "spec": {"containers": [container]},
                },
            },
        })
    }

    #[test]
    fn a_valid_object_passes_in_every_version() {
        for minor in 33..=37 {
            let validator = ObjectValidator::for_version(minor).expect("schemas");
            let found = validator.validate(&object(deployment(
                json!({"name": "api", "image": "registry.example.com/api:1.0"}),
            )));
            assert!(found.is_empty(), "1.{minor}: {found:?}");
        }
    }

    #[test]
    fn an_unknown_field_is_an_error_naming_object_and_path() {
        let validator = ObjectValidator::for_version(33).expect("schemas");
        let found = validator.validate(&object(deployment(
            json!({"name": "api", "image": "api:1.0", "imagePullPolice": "Always"}),
        )));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].code, Code::InvalidObject);
        assert!(
            found[0].message.contains("Deployment `shop/api`")
                && found[0]
                    .message
                    .contains("spec.template.spec.containers[0]")
                && found[0].message.contains("imagePullPolice"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn a_wrong_type_is_an_error_at_its_path() {
        let validator = ObjectValidator::for_version(37).expect("schemas");
        let mut value = deployment(json!({"name": "api", "image": "api:1.0"}));
        value["spec"]["replicas"] = json!("two");
        let found = validator.validate(&object(value));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0].message.contains("at `spec.replicas`"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn custom_resources_are_strict_too() {
        let validator = ObjectValidator::for_version(35).expect("schemas");
        let found = validator.validate(&object(json!({
            "apiVersion": "keda.sh/v1alpha1",
            "kind": "ScaledObject",
            "metadata": {"name": "api", "namespace": "shop", "labelz": {}},
            "spec": {"scaleTargetRef": {"name": "api"}, "triggers": [], "pollingInterval": 30, "extra": 1},
        })));
        let paths: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(found.len(), 2, "{paths:?}");
        assert!(
            paths
                .iter()
                .any(|m| m.contains("at `metadata`") && m.contains("labelz")),
            "{paths:?}"
        );
        assert!(
            paths
                .iter()
                .any(|m| m.contains("at `spec`") && m.contains("extra")),
            "{paths:?}"
        );
    }

    #[test]
    fn an_unknown_kind_is_an_error() {
        let validator = ObjectValidator::for_version(33).expect("schemas");
        let found = validator.validate(&object(json!({
            "apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"},
        })));
        assert_eq!(found.len(), 1);
        assert!(
            found[0].message.contains("cannot be validated"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn every_registered_kind_has_a_schema_in_every_version() {
        for minor in 33..=37 {
            let schemas = SchemaSet::for_version(minor).expect("schemas");
            for kind in KINDS {
                let known = schemas.violations(&kind.api_version(), kind.kind, &json!({}));
                assert!(known.is_ok(), "1.{minor} {:?}: {known:?}", kind.kind);
            }
            let custom = KINDS.iter().filter(|k| k.origin == Origin::Custom).count();
            assert!(custom > 0 && schemas.kinds().count() == KINDS.len());
        }
    }

    #[test]
    fn paths_are_dotted() {
        assert_eq!(dotted_path(""), "<root>");
        assert_eq!(dotted_path("/spec/ports/0/name"), "spec.ports[0].name");
        assert_eq!(
            dotted_path("/metadata/annotations/a~1b"),
            "metadata.annotations.a/b"
        );
    }
}
