//! The Velero capability's lowering: one `Schedule` per schedule, in
//! Velero's namespace.

mod schedule;

use crate::lower::Objects;
use crate::lower::push;
use crate::model::PlatformModel;

/// Every Schedule of `backups.velero`.
pub fn objects(platform: &PlatformModel, manifests: &mut Objects) {
    let Some(velero) = crate::capabilities::velero::model::velero(platform) else {
        return;
    };
    for model in &velero.schedules {
        push(
            manifests,
            &schedule::schedule(platform, &velero.namespace, model),
            model.origin,
        );
    }
}
