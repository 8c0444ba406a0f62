//! `SectionKeys`: the keys capabilities' sections own in the mappings of a
//! platform, a workload and a namespace. The reader of the core spec leaves
//! them to their sections: they are not unknown fields there, and they are
//! among the suggestions for a misspelt key. It also skips the fields of the
//! platform that are read apart, entry by entry (the workloads).

#[derive(Debug, Default)]
pub(super) struct SectionKeys {
    pub(super) platform: Vec<&'static str>,
    pub(super) workload: Vec<&'static str>,
    pub(super) namespace: Vec<&'static str>,
    /// Fields of the platform the core reader skips: they are known fields,
    /// read by `from_tree::read_entries`.
    pub(super) read_apart: Vec<&'static str>,
}
