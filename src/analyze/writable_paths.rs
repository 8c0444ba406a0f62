//! `writablePaths` of a container: absolute, each once, and a memory-backed
//! one no larger than the container's memory limit (its pages count against
//! that limit, so the container would be killed before the volume is full).

use crate::diagnostic::{Code, Diagnostic};
use crate::model::{ResourcesModel, WritablePathModel};
use crate::spec::{StorageMedium, WritablePath};

use super::Context;

/// The writable paths written at `path` (default `["/tmp"]`), checked.
pub(super) fn resolve(
    ctx: &mut Context<'_>,
    path: &[&str],
    written: Option<&[WritablePath]>,
    resources: &ResourcesModel,
) -> Vec<WritablePathModel> {
    let Some(written) = written else {
        return vec![WritablePathModel {
            path: "/tmp".to_owned(),
            memory: false,
            size_limit: None,
        }];
    };
    let mut resolved: Vec<WritablePathModel> = Vec::new();
    for (index, entry) in written.iter().enumerate() {
        let index_text = index.to_string();
        let mut entry_path = path.to_vec();
        entry_path.push(&index_text);
        let mut path_key = entry_path.clone();
        if matches!(entry, WritablePath::Volume(_)) {
            path_key.push("path");
        }
        let directory = entry.path();
        if !directory.starts_with('/') {
            let span = ctx.value(&path_key);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("writable path `{directory}` is not absolute"),
                )
                .at(span, "must start with `/`"),
            );
        }
        let normalized = directory.trim_end_matches('/');
        if let Some(first) = resolved
            .iter()
            .position(|p| p.path.trim_end_matches('/') == normalized)
        {
            let span = ctx.value(&path_key);
            let first_text = first.to_string();
            let mut first_path = path.to_vec();
            first_path.push(&first_text);
            let first_span = ctx.value(&first_path);
            ctx.report(
                Diagnostic::error(
                    Code::DuplicateName,
                    format!("writable path `{directory}` is listed twice"),
                )
                .at(span, "listed again here")
                .with_secondary(first_span, "first listed here"),
            );
        }
        let (memory, size_limit) = match entry {
            WritablePath::Path(_) => (false, None),
            WritablePath::Volume(volume) => (
                volume.medium == Some(StorageMedium::Memory),
                volume.size_limit.clone(),
            ),
        };
        if memory
            && let Some(limit) = &size_limit
            && limit.milli() > resources.memory_limit.milli()
        {
            let mut limit_path = entry_path.clone();
            limit_path.push("sizeLimit");
            let span = ctx.value(&limit_path);
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!(
                        "the memory-backed `{directory}` may grow to {limit}, above the container's memory limit {}",
                        resources.memory_limit
                    ),
                )
                .at(span, "larger than the memory limit")
                .with_help("a tmpfs's pages count against the container's memory: lower `sizeLimit`, or raise `resources.limits.memory` to hold both"),
            );
        }
        resolved.push(WritablePathModel {
            path: directory.to_owned(),
            memory,
            size_limit,
        });
    }
    resolved
}
