//! The GPU a pod asks for: the extended resource its container requests and
//! the taint key GPU node pools carry, which its toleration names.

/// The NVIDIA device plugin's extended resource, also the taint key of GPU
/// nodes by convention (so only pods that ask for a GPU land on them).
pub(super) const GPU_RESOURCE: &str = "nvidia.com/gpu";
