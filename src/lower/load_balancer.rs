//! Annotations of a workload's `LoadBalancer` Service, by `cloud`: only
//! well-known ones, and only where the cloud's default is not what a
//! platform wants. Other clouds' controllers create a public layer-4 load
//! balancer without any annotation, so they get none.

use std::collections::BTreeMap;

use crate::model::{PlatformModel, WorkloadModel};
use crate::spec::Cloud;

/// The annotations, or `None` when the cloud needs none.
pub(super) fn annotations(
    platform: &PlatformModel,
    workload: &WorkloadModel,
) -> Option<BTreeMap<String, String>> {
    let pairs: Vec<(&str, String)> = match platform.cloud? {
        // A Network Load Balancer from the AWS Load Balancer Controller, sending
        // traffic straight to pod IPs, rather than the deprecated in-tree
        // Classic Load Balancer the bare Service type gets.
        Cloud::Aws => vec![
            (
                "service.beta.kubernetes.io/aws-load-balancer-type",
                "external".to_owned(),
            ),
            (
                "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type",
                "ip".to_owned(),
            ),
            (
                "service.beta.kubernetes.io/aws-load-balancer-scheme",
                "internet-facing".to_owned(),
            ),
        ],
        // Without a name DigitalOcean calls the load balancer after the
        // Service's UID; a name says which platform, environment and workload
        // it serves, in the console and on the bill.
        Cloud::Digitalocean => vec![(
            "service.beta.kubernetes.io/do-loadbalancer-name",
            format!(
                "{}-{}-{}",
                platform.name, platform.environment, workload.name
            ),
        )],
        Cloud::Gcp | Cloud::Azure | Cloud::Linode | Cloud::K3s => Vec::new(),
    };
    (!pairs.is_empty()).then(|| {
        pairs
            .into_iter()
            .map(|(key, value)| (key.to_owned(), value))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[track_caller]
    fn case(cloud: &str, expected: &[(&str, &str)]) {
        let platform = testing::platform(&format!(
            "cloud: {cloud}\nworkloads: {{ web: {{ serviceType: LoadBalancer }} }}\n"
        ));
        let found = annotations(&platform, &platform.workloads[0]).unwrap_or_default();
        let expected: BTreeMap<String, String> = expected
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        assert_eq!(found, expected, "{cloud}");
    }

    #[test]
    fn annotations_per_cloud() {
        case(
            "aws",
            &[
                (
                    "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type",
                    "ip",
                ),
                (
                    "service.beta.kubernetes.io/aws-load-balancer-scheme",
                    "internet-facing",
                ),
                (
                    "service.beta.kubernetes.io/aws-load-balancer-type",
                    "external",
                ),
            ],
        );
        case(
            "digitalocean",
            &[(
                "service.beta.kubernetes.io/do-loadbalancer-name",
                "shop-prod-web",
            )],
        );
        for cloud in ["gcp", "azure", "linode", "k3s"] {
            case(cloud, &[]);
        }
    }
}
