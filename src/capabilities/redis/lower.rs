//! The Redis capability's lowering: per Redis a standalone `Redis`, a
//! `RedisReplication` and the `RedisSentinel` watching it, or a sharded
//! `RedisCluster`. The spec fields
//! the three kinds share (image and password, storage, security contexts,
//! placement) are built once, in `shared_spec`.

mod cluster;
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
        if let Some(shape) = &redis.cluster {
            push(
                manifests,
                &cluster::cluster(platform, redis, shape),
                redis.origin,
            );
        } else if redis.replicated() {
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
