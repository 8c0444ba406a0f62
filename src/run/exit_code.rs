//! The exit codes of every command: 0 success; 1 the answer is "no" (a stale
//! `--check`); 2 the input is invalid or the command could not run; 3 (only
//! `diff --fail-on-destructive`) a change Kubernetes refuses or that destroys
//! data.

pub(super) const SUCCESS: u8 = 0;
/// The answer is "no": a `--check` found the tree stale, `check` found
/// policy errors, `diff` found changes.
pub(super) const NO: u8 = 1;
pub(super) const INVALID: u8 = 2;
/// `diff --fail-on-destructive` found a change Kubernetes will refuse or one
/// that destroys data.
pub(super) const DESTRUCTIVE: u8 = 3;
