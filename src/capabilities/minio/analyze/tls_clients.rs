//! Clients of a tenant with `tls` that address it by hand: a workload's
//! plain `env` holding the tenant's S3 address. `http://` fails (the servers
//! answer TLS only); `https://` fails verification unless the workload
//! connects to the tenant with `connections`, which mounts the CA.

use crate::analyze::Context;
use crate::diagnostic::{Code, Diagnostic};

use super::super::model::MinioModel;

/// Reports each workload variable that reaches `tenant` in a way that
/// cannot work.
pub(super) fn check(ctx: &mut Context<'_>, tenant: &MinioModel) {
    if !tenant.cert_manager {
        return;
    }
    let host = tenant.host();
    let spec = ctx.spec;
    for (name, workload) in &spec.workloads {
        if workload.enabled == Some(false) {
            continue;
        }
        let connected = workload.connections.contains_key(&tenant.name);
        for (variable, value) in &workload.env {
            let Some(scheme) = scheme_of(value, &host) else {
                continue;
            };
            let problem = match scheme {
                "http" => "plain HTTP to a tenant that answers HTTPS only",
                _ if !connected => "HTTPS with no CA to verify the tenant's certificate",
                _ => continue,
            };
            let span = ctx.value(&["workloads", name, "env", variable]);
            ctx.report(
                Diagnostic::error(
                    Code::TlsEndpointMismatch,
                    format!(
                        "`{variable}` addresses MinIO tenant `{}`, which serves HTTPS only",
                        tenant.name
                    ),
                )
                .at(span, problem)
                .with_help(format!(
                    "map the variable to the `endpoint` field of `connections: {{ {}: {{ env: {{ {variable}: endpoint }} }} }}`: it writes `{}` and mounts the CA (field `caFile`)",
                    tenant.name,
                    tenant.endpoint()
                )),
            );
        }
    }
}

/// `http` or `https` when `value` holds a URL of `host` (in its short or
/// cluster-domain form).
fn scheme_of<'v>(value: &'v str, host: &str) -> Option<&'v str> {
    for scheme in ["https", "http"] {
        let prefix = format!("{scheme}://{host}");
        let mut rest = value;
        while let Some(at) = rest.find(&prefix) {
            let after = &rest[at + prefix.len()..];
            if after.is_empty()
                || after.starts_with([':', '/'])
                || after.starts_with(".cluster.local")
            {
                return Some(if scheme == "https" { "https" } else { "http" });
            }
            rest = after;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::scheme_of;

    #[test]
    fn urls_of_the_tenant() {
        let host = "minio.data.svc";
        assert_eq!(scheme_of("http://minio.data.svc:80", host), Some("http"));
        assert_eq!(
            scheme_of("https://minio.data.svc.cluster.local/x", host),
            Some("https")
        );
        assert_eq!(
            scheme_of("s3 at https://minio.data.svc", host),
            Some("https")
        );
        assert_eq!(scheme_of("http://minio.data.svcx", host), None);
        assert_eq!(scheme_of("http://minio.other.svc", host), None);
    }
}
