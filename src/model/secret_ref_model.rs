//! How a workload's containers read its secrets: variables set from a key of
//! a Secret and Secrets mounted as files. The secrets capability resolves
//! them from `workloads.<name>.secrets` (its workload analysis hook); the core
//! pod template renders them (`lower/secret_refs.rs`) without knowing where
//! the Secret's values come from.

/// An environment variable set from one key of a Secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretEnvModel {
    pub variable: String,
    /// The Secret object in the workload's namespace.
    pub secret: String,
    pub key: String,
}

/// A Secret mounted read-only as one file per key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretFilesModel {
    /// The pod's volume name (a DNS label, unique in the pod).
    pub volume: String,
    /// The Secret object in the workload's namespace.
    pub secret: String,
    /// The keys mounted, each as a file of its name: exactly these, though
    /// the Secret may hold more.
    pub keys: Vec<String>,
    pub mount_path: String,
}
