//! `SectionKeys`: the keys capabilities' sections own in the mappings of a
//! platform, a workload and a namespace. The reader of the core spec leaves
//! them to their sections: they are not unknown fields there, and they are
//! among the suggestions for a misspelt key.

#[derive(Debug, Default)]
pub(super) struct SectionKeys {
    pub(super) platform: Vec<&'static str>,
    pub(super) workload: Vec<&'static str>,
    pub(super) namespace: Vec<&'static str>,
}
