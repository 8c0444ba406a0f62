//! The pipeline for one environment, top to bottom: load → parse → merge base,
//! overlay and command-line values (with provenance) → `${parameters}` →
//! namespace names (`cluster.namespaceTemplate`) → spec
//! → analyze → model → lower → manifests.
//! Each stage reports into one collector; the pipeline stops after a stage that
//! reported errors, so a run shows every problem that stage can find.

mod footprint;
#[cfg(test)]
mod fuzz;
mod object_checks;

pub use footprint::{Footprint, is_owned_by_the_cluster};

use std::collections::BTreeSet;

use crate::analyze;
use crate::capabilities;
use crate::diagnostic::{Code, Diagnostic, Diagnostics, suggestion};
use crate::lower;
use crate::merge::{self, Provenance};
use crate::model::PlatformModel;
use crate::object::Manifest;
use crate::policy::{self, PolicyReport};
use crate::read::{PLATFORM_FILE, SpecSource};
use crate::source::Sources;
use crate::source::Span;
use crate::spec::{self, PlatformSpec};
use crate::template;
use crate::validate::{Declared, ObjectValidator, References};
use crate::yaml::{self, Limits, Node, Value};

/// Everything one compilation produced, as far as it got.
#[derive(Debug, Default)]
pub struct Compilation {
    pub environment: String,
    pub sources: Sources,
    pub diagnostics: Diagnostics,
    /// The merged spec tree (after the merge stage).
    pub tree: Option<Node>,
    pub provenance: Provenance,
    pub spec: Option<PlatformSpec>,
    pub model: Option<PlatformModel>,
    /// The objects in apply order (after the lower stage, when nothing failed;
    /// `None` from [`compile_checked`]).
    pub manifests: Option<Vec<Manifest>>,
    /// The policy rules' report (from [`compile_checked`], when nothing failed).
    pub policy: Option<PolicyReport>,
    /// What the render occupies in its cluster (from [`compile_checked`]
    /// with [`Footprinting::Record`], for an environment synced to a
    /// cluster, when nothing failed).
    pub footprint: Option<Footprint>,
}

/// Whether [`compile_checked`] records the environment's [`Footprint`]:
/// only a check of several environments compares footprints, and recording
/// one means keeping the identity of every object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Footprinting {
    Record,
    Skip,
}

/// What the lower stage keeps of the objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// Every object as a tree.
    Trees,
    /// Every object as its YAML text.
    Text,
    /// Nothing: the policy rules judge each workload's objects as they are
    /// lowered.
    PolicyReport(Footprinting),
}

impl Compilation {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.has_errors()
    }
}

/// Compiles `environment` of the platform `source` holds.
pub fn compile(source: &dyn SpecSource, environment: &str) -> Compilation {
    compile_with(source, environment, Keep::Trees)
}

/// [`compile`] for output only: each object is kept as its YAML text
/// (`Manifest::freeze`), not as a JSON tree, and the spec tree, typed spec and
/// model are dropped once the objects no longer need them (`tree`, `spec` and
/// `model` are `None`). What `render` uses; stages that inspect objects
/// (policies, diff, kustomize) use [`compile`].
pub fn compile_to_text(source: &dyn SpecSource, environment: &str) -> Compilation {
    compile_with(source, environment, Keep::Text)
}

/// [`compile`] for `check`: the policy rules run over each workload's objects
/// as they are lowered (with the platform-wide objects), and no object is
/// kept (`manifests` is `None`, `policy` holds the report). Memory stays that
/// of the spec and model, whatever the number of objects.
pub fn compile_checked(
    source: &dyn SpecSource,
    environment: &str,
    footprinting: Footprinting,
) -> Compilation {
    compile_with(source, environment, Keep::PolicyReport(footprinting))
}

fn compile_with(source: &dyn SpecSource, environment: &str, keep: Keep) -> Compilation {
    let mut compilation = Compilation {
        environment: environment.to_owned(),
        ..Compilation::default()
    };
    let limits = Limits::default();
    let environments = match source.environments() {
        Ok(environments) => environments,
        Err(diagnostic) => {
            compilation.diagnostics.push(diagnostic);
            return compilation;
        }
    };
    if !environments.iter().any(|e| e == environment) {
        let listed = if environments.is_empty() {
            "no environments are defined: add `environments/<name>.yaml`".to_owned()
        } else {
            format!("environments: {}", environments.join(", "))
        };
        compilation.diagnostics.push(
            Diagnostic::error(
                Code::UnknownEnvironment,
                format!("unknown environment `{environment}`"),
            )
            .with_help_opt(suggestion::did_you_mean(
                environment,
                environments.iter().map(String::as_str),
            ))
            .with_note(listed),
        );
        return compilation;
    }

    // Load and parse both files before stopping, so errors in both show at once.
    let parse = |relative: &str,
                 compilation: &mut Compilation,
                 empty_allowed: bool|
     -> Option<Node> {
        let parsed = source
            .read(relative, &mut compilation.sources)
            .and_then(|file| {
                let text = &compilation.sources.get(file).text;
                let parse = || yaml::parse(file, text, &limits);
                // The platform file is the same for every environment a
                // command compiles, and the largest.
                let parsed = match source.shared_parse() {
                    Some(shared) if relative == PLATFORM_FILE => shared.parse(file, text, parse),
                    _ => parse(),
                };
                match parsed {
                    // An overlay with nothing in it (or only comments) changes nothing.
                    Err(diagnostic) if empty_allowed && diagnostic.code == Code::EmptyFile => Ok(
                        Node::new(Span::point(file, 0), Value::Map(yaml::Map::default())),
                    ),
                    parsed => parsed,
                }
            });
        parsed
            .map_err(|diagnostic| {
                // Without a tree, secret values cannot be told apart: hide
                // every secrets block of the file the error points into.
                if let Some(label) = &diagnostic.primary {
                    crate::spec::redaction::redact_unparsed(
                        label.span.file,
                        &mut compilation.sources,
                    );
                }
                compilation.diagnostics.push(diagnostic);
            })
            .ok()
    };
    let base = parse(PLATFORM_FILE, &mut compilation, false);
    let overlay = parse(&source.overlay_file(environment), &mut compilation, true);
    // Secret values must never be quoted back: hide them in the source text
    // before any stage can report on a line that holds one.
    for tree in [&base, &overlay].into_iter().flatten() {
        crate::spec::redaction::redact_sources(tree, &mut compilation.sources);
    }
    let (Some(base), Some(overlay)) = (base, overlay) else {
        return compilation;
    };

    let tree = match merge::merge(base, overlay, &mut compilation.provenance) {
        Ok(tree) => tree,
        Err(diagnostics) => {
            diagnostics
                .into_iter()
                .for_each(|d| compilation.diagnostics.push(d));
            return compilation;
        }
    };
    let tree = match spec::overrides::apply(
        tree,
        source.overrides(),
        &mut compilation.sources,
        &mut compilation.provenance,
    ) {
        Ok(tree) => tree,
        Err(diagnostics) => {
            diagnostics
                .into_iter()
                .for_each(|d| compilation.diagnostics.push(d));
            return compilation;
        }
    };
    let mut tree = tree;
    // Before the parameters are replaced: it reads the template's `${…}`.
    if let Some(problem) = capabilities::gitops::preview_namespaces::check(&tree) {
        compilation.diagnostics.push(problem);
        compilation.tree = Some(tree);
        return compilation;
    }
    let problems = spec::parameters::interpolate(&mut tree, environment);
    if !problems.is_empty() {
        problems
            .into_iter()
            .for_each(|d| compilation.diagnostics.push(d));
        compilation.tree = Some(tree);
        return compilation;
    }
    // After the parameters, so a template may say `${environment}`.
    if let Some(problem) = spec::namespace_names::apply(&mut tree, &capabilities::namespace_paths())
    {
        compilation.diagnostics.push(problem);
        compilation.tree = Some(tree);
        return compilation;
    }
    let spec = spec::read_platform(&tree, &compilation.provenance, &capabilities::sections());
    compilation.tree = Some(tree);
    let spec = match spec {
        Ok(spec) => spec,
        Err(diagnostics) => {
            diagnostics
                .into_iter()
                .for_each(|d| compilation.diagnostics.push(d));
            return compilation;
        }
    };

    let tree = compilation.tree.as_ref().expect("set above");
    let (model, diagnostics) = analyze::analyze(
        &spec,
        tree,
        &compilation.provenance,
        environment,
        &capabilities::analyze_hooks(),
    );
    compilation.diagnostics.extend(diagnostics);
    compilation
        .diagnostics
        .extend(policy::check_settings(&capabilities::rules(), &spec, tree));
    compilation.spec = Some(spec);
    let Some(mut model) = model.filter(|_| !compilation.has_errors()) else {
        return compilation;
    };
    match template::objects(source, tree, environment, &mut compilation.sources) {
        Ok(objects) => model.templated = objects,
        Err(diagnostics) => {
            diagnostics
                .into_iter()
                .for_each(|d| compilation.diagnostics.push(d));
            return compilation;
        }
    }

    let hooks = capabilities::lower_hooks();
    let owns_cluster_objects = compilation
        .spec
        .as_ref()
        .and_then(|spec| spec.cluster.owns_cluster_objects)
        .unwrap_or(true);
    // An environment that leaves the cluster-scoped objects to another
    // environment on its cluster renders its Namespaces only.
    let leave_out_cluster_objects = |manifests: &mut Vec<Manifest>| {
        if !owns_cluster_objects {
            manifests.retain(|manifest| !is_owned_by_the_cluster(manifest));
        }
    };
    let manifests = match keep {
        Keep::Trees => {
            let (mut manifests, diagnostics) = lower::lower(&model, &hooks);
            leave_out_cluster_objects(&mut manifests);
            compilation.diagnostics.extend(diagnostics);
            compilation.model = Some(model);
            Some(manifests)
        }
        Keep::Text => {
            // Output only needs the objects' text: the spec tree and the typed
            // spec, the largest things held so far, go before the objects come.
            compilation.tree = None;
            compilation.spec = None;
            let (mut manifests, diagnostics) = lower::lower_to_text(model, &hooks);
            leave_out_cluster_objects(&mut manifests);
            compilation.diagnostics.extend(diagnostics);
            Some(manifests)
        }
        Keep::PolicyReport(footprinting) => {
            let spec = compilation.spec.as_ref().expect("set above");
            let rules = capabilities::rules();
            // Every object is validated against its kind's schema as it is
            // lowered, once; the schemas are compiled once per process.
            let mut invalid = Diagnostics::default();
            let validator = match ObjectValidator::for_version(model.kubernetes_version.minor) {
                Ok(validator) => Some(validator),
                Err(error) => {
                    invalid.push(Diagnostic::error(Code::InvalidObject, error.to_string()));
                    None
                }
            };
            let checks = object_checks::Checks {
                validator,
                run: policy::PolicyRun::new(&rules, &model, tree, &spec.policy),
                // Every object the environment would render, those it leaves
                // to the cluster's owner included: `check` compares them with
                // the owner's. Only an environment synced to a cluster has
                // neighbours there.
                footprint: (footprinting == Footprinting::Record
                    && capabilities::gitops::model::argocd(&model).is_some())
                .then(|| Footprint::new(owns_cluster_objects)),
            };
            // A variable of a workload's `env`, at its line in the spec.
            let locate_variable = |origin: Span, variable: &str| {
                model
                    .workloads
                    .iter()
                    .find(|w| merge::key_span(tree, &["workloads", &w.name]) == origin)
                    .and_then(|w| merge::find(tree, &["workloads", &w.name, "env", variable]))
                    .map(|node| node.span)
            };
            let declared = declared(spec, &model);
            let resolve = |references: References| references.finish(&declared, &locate_variable);
            let (diagnostics, judged) = object_checks::alongside(checks, resolve, |hand_over| {
                lower::lower_visiting(&model, &hooks, hand_over)
            });
            invalid.extend(judged.invalid);
            invalid.extend(judged.dangling);
            let report = judged.run.finish(judged.names.iter().map(String::as_str));
            compilation.diagnostics.extend(diagnostics);
            // An invalid object does not stop the policy report: both say
            // what is wrong with the same render.
            if !compilation.has_errors() {
                compilation.policy = Some(report);
                compilation.footprint = judged.footprint;
            }
            compilation.diagnostics.extend(invalid);
            compilation.model = Some(model);
            None
        }
    };
    if !compilation.has_errors() {
        compilation.manifests = manifests;
    }
    compilation
}

/// What the spec declares as existing outside the platform, which the
/// render's references may name without rendering it.
fn declared(spec: &PlatformSpec, model: &PlatformModel) -> Declared {
    use crate::capabilities::secrets::model::SecretSource;
    let mut secrets: BTreeSet<(String, String)> = model
        .workloads
        .iter()
        .flat_map(|workload| {
            capabilities::secrets::model::SECRETS
                .get(&workload.parts)
                .into_iter()
                .flatten()
                .filter(|secret| matches!(secret.source, SecretSource::Existing))
                .map(|secret| (workload.namespace.clone(), secret.object_name.clone()))
        })
        .collect();
    // The data services' credentials are Secrets their spec names and the
    // cluster holds (docs/data-services.md).
    let mut secret = |namespace: &str, name: &str| {
        secrets.insert((namespace.to_owned(), name.to_owned()));
    };
    for redis in capabilities::redis::model::REDIS
        .get(&model.parts)
        .into_iter()
        .flatten()
    {
        if let Some((name, _)) = &redis.password {
            secret(&redis.namespace, name);
        }
    }
    for mongodb in capabilities::mongodb::model::MONGODB
        .get(&model.parts)
        .into_iter()
        .flatten()
    {
        for user in &mongodb.users {
            secret(&mongodb.namespace, &user.password_secret);
        }
    }
    for minio in capabilities::minio::model::MINIO
        .get(&model.parts)
        .into_iter()
        .flatten()
    {
        secret(&minio.namespace, &minio.root_secret);
        for user in &minio.users {
            secret(&minio.namespace, user);
        }
        if let Some(replication) = &minio.replication
            && matches!(replication.source, SecretSource::Existing)
        {
            secret(&minio.namespace, &replication.secret);
        }
    }
    for postgres in capabilities::postgres::model::POSTGRES
        .get(&model.parts)
        .into_iter()
        .flatten()
    {
        if let Some(backup) = &postgres.backup {
            secret(&postgres.namespace, &backup.store.secret);
        }
    }
    // A class `storage.storageClass` of a workload or data service names is
    // judged by analysis at its line (PG3019, a warning: the cluster may
    // have it); the render-level check is for names patches and templates
    // change.
    let storage_classes = capabilities::storage_class::spec::storage_classes(spec)
        .iter()
        .filter(|(_, class)| class.existing == Some(true))
        .map(|(name, _)| name.clone())
        .chain(
            model
                .workloads
                .iter()
                .filter_map(|w| w.storage.as_ref()?.storage_class.clone()),
        )
        .chain(
            model
                .data_services
                .iter()
                .flat_map(|service| service.storage_classes.iter().cloned()),
        )
        .collect();
    let cluster_issuers = capabilities::ingress::model::routing(model)
        .tls
        .iter()
        .filter(|tls| tls.generated.is_none())
        .map(|tls| tls.issuer_name.clone())
        .collect();
    Declared {
        secrets,
        storage_classes,
        cluster_issuers,
    }
}
