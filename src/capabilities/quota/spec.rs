//! What a namespace writes to cap its pods: `quota` and `limitRange`, one
//! file each.

mod limit_range;
mod quota;

pub use limit_range::LimitRange;
pub use quota::Quota;
