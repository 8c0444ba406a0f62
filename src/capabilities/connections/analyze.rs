//! Resolves each workload's `connections` against the data services the
//! engines resolved: the access point, the variables in order (credentials
//! before the URIs that refer to them), and `$(field)` references in
//! templates replaced by the variables holding those fields.

use std::collections::{BTreeMap, BTreeSet};

use crate::analyze::Context;
use crate::diagnostic::{Code, Diagnostic, suggestion};
use crate::model::{
    AccessPoint, ConnectionEnvModel, FieldValue, PlatformModel, SecretFilesModel,
    SecretMirrorModel, TrustModel,
};

/// The capability's analysis hook.
pub fn analyze(ctx: &mut Context<'_>, model: &mut PlatformModel) {
    let spec = ctx.spec;
    let mut mirrors = BTreeSet::new();
    for workload in &mut model.workloads {
        let Some(workload_spec) = spec.workloads.get(&workload.name) else {
            continue;
        };
        for (service_name, connection) in &workload_spec.connections {
            let path = [
                "workloads",
                workload.name.as_str(),
                "connections",
                service_name,
            ];
            let Some(service) = model
                .data_services
                .iter()
                .find(|service| &service.name == service_name)
            else {
                if spec.data_services().any(|(name, _)| name == service_name) {
                    // Declared, but left out of the model by its own errors,
                    // which are reported already.
                    continue;
                }
                let span = ctx.key(&path);
                ctx.report(
                    Diagnostic::error(
                        Code::UnknownDependency,
                        format!("unknown data service `{service_name}`"),
                    )
                    .at(span, "no data service has this name")
                    .with_help_opt(suggestion::did_you_mean(
                        service_name,
                        model.data_services.iter().map(|s| s.name.as_str()),
                    )),
                );
                continue;
            };
            let point = match &connection.access {
                None => service.access.first(),
                Some(mode) => service.access_point(mode),
            };
            let Some(point) = point else {
                let mode = connection.access.as_deref().unwrap_or_default();
                let span = ctx.value(&[&path[..], &["access"]].concat());
                let modes: Vec<&str> = service.access.iter().map(|p| p.mode).collect();
                ctx.report(
                    Diagnostic::error(
                        Code::InvalidValue,
                        format!("{} `{service_name}` has no `{mode}` access", service.engine),
                    )
                    .at(span, format!("expected one of: {}", modes.join(", ")))
                    .with_help_opt(suggestion::did_you_mean(mode, modes.iter().copied()))
                    .with_note_opt(match (service.engine, mode) {
                        (_, "pooled") => {
                            Some("`pooled` needs a `pooler` on the cluster".to_owned())
                        }
                        ("Redis", "readOnly" | "sentinel") => Some(format!(
                            "`{mode}` needs replicas and sentinels: `replicas` of 2 or more"
                        )),
                        _ => None,
                    }),
                );
                continue;
            };
            let env = environment(ctx, &path, point, &connection.env);
            for variable in &env {
                if let FieldValue::Secret {
                    name, namespace, ..
                } = &variable.value
                    && *namespace != workload.namespace
                {
                    mirrors.insert(SecretMirrorModel {
                        secret: name.clone(),
                        from: namespace.clone(),
                        to: workload.namespace.clone(),
                    });
                }
            }
            workload.connection_env.extend(env);
            // A service with a certificate of the platform's CA: the client
            // verifies it with the CA, mounted from its own namespace.
            if let Some(trust) = &service.trust
                && !workload
                    .secret_files
                    .iter()
                    .any(|files| files.volume == TrustModel::VOLUME)
            {
                workload.secret_files.push(SecretFilesModel {
                    volume: TrustModel::VOLUME.to_owned(),
                    secret: trust.secret.clone(),
                    keys: vec![trust.key.clone()],
                    mount_path: trust.mount_path.clone(),
                });
            }
            workload
                .connection_groups
                .insert(service_name.clone(), point.group.clone());
        }
    }
    model.secret_mirrors = mirrors.into_iter().collect();
}

/// The variables of one connection, in the access point's field order.
fn environment(
    ctx: &mut Context<'_>,
    path: &[&str],
    point: &AccessPoint,
    env: &indexmap::IndexMap<String, String>,
) -> Vec<ConnectionEnvModel> {
    // Field → the variable holding it, for `$(field)` references.
    let mut variable_of: BTreeMap<&str, &str> = BTreeMap::new();
    for (variable, field) in env {
        if point.fields.iter().any(|(name, _)| name == field) {
            variable_of.insert(field.as_str(), variable.as_str());
        } else {
            let span = ctx.value(&[path, &["env", variable]].concat());
            let fields: Vec<&str> = point.fields.iter().map(|(name, _)| *name).collect();
            ctx.report(
                Diagnostic::error(
                    Code::InvalidValue,
                    format!("unknown connection field `{field}`"),
                )
                .at(span, format!("expected one of: {}", fields.join(", ")))
                .with_help_opt(suggestion::did_you_mean(field, fields.iter().copied())),
            );
        }
    }
    let mut out = Vec::new();
    for (field, value) in &point.fields {
        let variables = env
            .iter()
            .filter(|(_, wanted)| wanted.as_str() == *field)
            .map(|(variable, _)| variable);
        for variable in variables {
            let value = match value {
                FieldValue::Template(template) => match expand(template, &variable_of) {
                    Ok(text) => FieldValue::Text(text),
                    Err(missing) => {
                        let span = ctx.value(&[path, &["env", variable]].concat());
                        ctx.report(
                                Diagnostic::error(
                                    Code::InvalidValue,
                                    format!("`{field}` needs `{missing}` in the environment too"),
                                )
                                .at(span, format!("`{field}` refers to the {missing}"))
                                .with_help(format!(
                                    "add a variable for `{missing}` to this connection's `env`: the {field} refers to it as `$(VAR)`, which Kubernetes expands"
                                )),
                            );
                        continue;
                    }
                },
                other => other.clone(),
            };
            out.push(ConnectionEnvModel {
                name: variable.clone(),
                value,
            });
        }
    }
    out
}

/// `template` with each `$(field)` replaced by `$(VARIABLE)`; the first
/// field without a variable is the error.
fn expand(template: &str, variable_of: &BTreeMap<&str, &str>) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find("$(") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find(')').unwrap_or(after.len());
        let field = &after[..end];
        let variable = variable_of.get(field).ok_or_else(|| field.to_owned())?;
        out.push_str(&format!("$({variable})"));
        rest = after.get(end + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_refer_to_the_variables_holding_their_fields() {
        let vars = BTreeMap::from([("username", "PGUSER"), ("password", "PGPASSWORD")]);
        assert_eq!(
            expand("postgresql://$(username):$(password)@h:5432/db", &vars),
            Ok("postgresql://$(PGUSER):$(PGPASSWORD)@h:5432/db".to_owned())
        );
        assert_eq!(
            expand("x://$(username):$(secret)@h", &vars),
            Err("secret".to_owned())
        );
    }
}
