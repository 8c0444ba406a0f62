//! `ExposurePath`: where one exposure is written in the spec,
//! `workloads.<name>.expose` for the one-exposure form and
//! `workloads.<name>.expose.<index>` in a list, so every check of an exposure
//! points at its own lines whichever form it is written in.

pub(super) struct ExposurePath<'a> {
    pub(super) workload: &'a str,
    index: Option<String>,
}

impl<'a> ExposurePath<'a> {
    pub(super) fn new(workload: &'a str, index: Option<usize>) -> Self {
        Self {
            workload,
            index: index.map(|index| index.to_string()),
        }
    }

    /// The key path of `rest` inside the exposure.
    pub(super) fn at<'b>(&'b self, rest: &[&'b str]) -> Vec<&'b str> {
        let mut path = vec!["workloads", self.workload, "expose"];
        path.extend(self.index.as_deref());
        path.extend_from_slice(rest);
        path
    }

    /// The same path, as owned segments (for paths built in steps).
    pub(super) fn owned(&self, rest: &[&str]) -> Vec<String> {
        self.at(rest).into_iter().map(str::to_owned).collect()
    }

    /// Whether the exposure is an item of a list.
    pub(super) fn in_list(&self) -> bool {
        self.index.is_some()
    }
}
