//! `Cloud`: the provider the cluster runs on. It selects the provisioners and
//! parameters of the generated StorageClasses and the annotations of
//! LoadBalancer Services; nothing else in the output depends on it.

use schemars::JsonSchema;
use serde::Deserialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Cloud {
    /// Amazon EKS (EBS CSI driver, AWS Load Balancer Controller).
    Aws,
    /// Google GKE (Persistent Disk CSI driver).
    Gcp,
    /// Azure AKS (Azure Disk CSI driver).
    Azure,
    /// DigitalOcean DOKS (DigitalOcean block storage CSI driver).
    Digitalocean,
    /// Linode LKE (Linode block storage CSI driver).
    Linode,
    /// k3s, self-managed (Rancher local-path provisioner).
    K3s,
}

impl Cloud {
    pub fn as_str(self) -> &'static str {
        match self {
            Cloud::Aws => "aws",
            Cloud::Gcp => "gcp",
            Cloud::Azure => "azure",
            Cloud::Digitalocean => "digitalocean",
            Cloud::Linode => "linode",
            Cloud::K3s => "k3s",
        }
    }
}
