//! Custom resources that k8s-openapi lacks, as small typed serde structs, one
//! file per kind. Each file also builds its objects from the model; like the
//! rest of `lower`, pure and free of diagnostics.

pub(super) mod external_secret;
pub(super) mod sealed_secret;
