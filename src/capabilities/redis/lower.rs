//! The Redis capability's lowering: per Redis a standalone `Redis`, or a
//! `RedisReplication` and the `RedisSentinel` watching it. The spec fields
//! the three kinds share (image and password, storage, security contexts,
//! placement) are built once, in `shared_spec`.

mod replication;
mod sentinel;
mod shared_spec;
mod standalone;

use crate::lower::Objects;
use crate::lower::push;
use crate::model::PlatformModel;

/// Every object of every Redis.
pub fn objects(platform: &PlatformModel, manifests: &mut Objects) {
    for redis in crate::capabilities::redis::model::rendered(platform) {
        if redis.replicated() {
            push(
                manifests,
                &replication::replication(platform, redis),
                redis.origin,
            );
            push(
                manifests,
                &sentinel::sentinel(platform, redis),
                redis.origin,
            );
        } else {
            push(
                manifests,
                &standalone::standalone(platform, redis),
                redis.origin,
            );
        }
    }
}
