//! The StorageClasses generated for each `cloud`: `fast-ssd` for databases
//! and queues (SSD, provisioned IOPS where the cloud sells them) and
//! `standard` for bulk data, both created in the zone of the pod that first
//! uses them (`WaitForFirstConsumer`) and growable where the driver can.
//! Provisioners are the clouds' CSI drivers, the ones their managed
//! Kubernetes services install.

use crate::spec::Cloud;

/// The StorageClasses `cloud` generates, by name.
pub(super) struct Preset {
    pub name: &'static str,
    pub provisioner: &'static str,
    pub parameters: Parameters,
    pub allow_volume_expansion: bool,
}

/// Driver parameters, as written in the StorageClass.
type Parameters = &'static [(&'static str, &'static str)];

pub(super) const FAST_SSD: &str = "fast-ssd";
pub(super) const STANDARD: &str = "standard";

pub(super) fn presets(cloud: Cloud) -> [Preset; 2] {
    let (provisioner, fast, standard): (&'static str, Parameters, Parameters) = match cloud {
        // EBS volumes are not encrypted unless asked; gp3 includes 3000 IOPS.
        Cloud::Aws => (
            "ebs.csi.aws.com",
            &[("type", "gp3"), ("iops", "3000"), ("encrypted", "true")],
            &[("type", "gp2"), ("encrypted", "true")],
        ),
        Cloud::Gcp => (
            "pd.csi.storage.gke.io",
            &[("type", "pd-ssd")],
            &[("type", "pd-standard")],
        ),
        Cloud::Azure => (
            "disk.csi.azure.com",
            &[("skuName", "Premium_LRS")],
            &[("skuName", "StandardSSD_LRS")],
        ),
        // DigitalOcean and Linode sell one kind of block storage (SSD/NVMe):
        // both classes use it and differ only in name, so workloads keep
        // their intent when the platform moves to a cloud with tiers.
        Cloud::Digitalocean => ("dobs.csi.digitalocean.com", &[], &[]),
        Cloud::Linode => ("linodebs.csi.linode.com", &[], &[]),
        // Node-local directories: fast, not replicated, cannot grow.
        Cloud::K3s => ("rancher.io/local-path", &[], &[]),
    };
    let allow_volume_expansion = cloud != Cloud::K3s;
    [
        Preset {
            name: FAST_SSD,
            provisioner,
            parameters: fast,
            allow_volume_expansion,
        },
        Preset {
            name: STANDARD,
            provisioner,
            parameters: standard,
            allow_volume_expansion,
        },
    ]
}
