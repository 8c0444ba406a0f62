//! The ConfigMap holding the configuration of platformgen as an ArgoCD
//! Config Management Plugin, which the repo server's `platformgen` sidecar
//! reads (docs/gitops.md, "Previews of pull requests"). A preview's
//! namespaces and images depend on its pull request, known only when the
//! ApplicationSet's generator runs, so ArgoCD renders the spec itself for
//! previews, with the parameters the ApplicationSet passes, instead of
//! syncing a committed render.

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::ConfigMap;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

/// The plugin's name, which the Applications name in `source.plugin`.
pub(super) const PLUGIN: &str = "platformgen";

/// The plugin's environment variable naming the environment to render.
/// ArgoCD passes `source.plugin.env` to the plugin prefixed `ARGOCD_ENV_`.
pub(super) const ENVIRONMENT_VARIABLE: &str = "PLATFORMGEN_ENVIRONMENT";

/// The prefix of the variables setting a spec parameter each, named after
/// it.
pub(super) const PARAMETER_VARIABLE_PREFIX: &str = "PLATFORMGEN_PARAMETER_";

/// The plugin's configuration: render the environment with every
/// parameter the Application passes (`--set parameters.<name>=…`), each
/// value quoted as YAML text, which a parameter is.
const PLUGIN_YAML: &str = r#"apiVersion: argoproj.io/v1alpha1
kind: ConfigManagementPlugin
metadata:
  name: platformgen
spec:
  generate:
    command: [sh, -c]
    args:
      - |
        set -eu
        set -- render "$ARGOCD_ENV_PLATFORMGEN_ENVIRONMENT"
        for name in $(env | sed -n 's/^ARGOCD_ENV_PLATFORMGEN_PARAMETER_\([A-Za-z][A-Za-z0-9_]*\)=.*/\1/p' | sort); do
          eval "value=\"\${ARGOCD_ENV_PLATFORMGEN_PARAMETER_$name}\""
          set -- "$@" --set "parameters.$name=\"$value\""
        done
        exec platformgen --color never "$@"
"#;

/// The name of the ConfigMap the sidecar mounts.
pub(super) const CONFIG_MAP: &str = "platformgen-plugin";

/// The ConfigMap, in ArgoCD's namespace.
pub(super) fn plugin_config(metadata: ObjectMeta) -> ConfigMap {
    ConfigMap {
        metadata,
        data: Some(BTreeMap::from([(
            "plugin.yaml".to_owned(),
            PLUGIN_YAML.to_owned(),
        )])),
        ..ConfigMap::default()
    }
}
