//! The names the writer (`write`) keeps for itself in an output directory,
//! which no rendered tree (`OutputTree`) may use. Their own file, so both
//! read them without using each other.

/// Name of the index file in each output directory.
pub const INDEX_FILE: &str = ".platformgen-index";

/// Suffix of the temp files the writer renames into place. `OutputTree`
/// refuses paths ending with it, so a temp file never collides with output.
pub(crate) const TMP_SUFFIX: &str = ".platformgen-tmp";

/// The lock file in each output directory: locked exclusively while a write
/// runs, shared while a reader reads. Empty; created by the first write.
pub const LOCK_FILE: &str = ".platformgen-lock";

/// The journal of a committed write that is not finished yet (see `write`).
/// Its presence is the commit point.
pub const JOURNAL_FILE: &str = ".platformgen-journal";

/// Where a write stages its new files (and its journal, until the commit).
/// Without a journal beside it, it is the leftover of a write that never
/// committed, and is deleted by the next write.
pub const STAGING_DIR: &str = ".platformgen-staging";

/// Names at the top of an output directory that belong to the writer itself,
/// never to a tree: `OutputTree` refuses paths starting with one.
pub(crate) const RESERVED_NAMES: [&str; 4] = [INDEX_FILE, LOCK_FILE, JOURNAL_FILE, STAGING_DIR];
