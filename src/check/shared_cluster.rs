//! Environments declared to share a cluster (the same
//! `gitops.argocd.destination`) must not render the same object: each
//! Application would overwrite and prune the other's. Their namespaced
//! objects must be disjoint (`cluster.namespaceTemplate`), one of them owns
//! the cluster-scoped objects (`cluster.ownsClusterObjects: false` in the
//! others), and the owner renders every cluster-scoped object the others
//! leave to it, as they would render it.

use crate::capabilities::gitops::model::{Destination, argocd};
use crate::diagnostic::{Code, Diagnostic};
use crate::merge;
use crate::pipeline::{Compilation, Footprint};
use crate::source::Span;

/// How many colliding objects a message names before it counts the rest.
const NAMED: usize = 3;

/// One environment as the check sees it: what it occupies in which cluster,
/// and where its spec says so. Taken from its compilation, so the
/// compilation can go before the next environment is compiled.
pub(super) struct Member {
    name: String,
    destination: Destination,
    footprint: Footprint,
    /// `gitops.argocd.destination` (or `gitops.argocd` when it is not set).
    destination_span: Span,
    /// `cluster.ownsClusterObjects`.
    ownership_span: Span,
}

impl Member {
    /// The environment of `compilation`, with the `footprint` taken from
    /// it, if it compiled and says which cluster it is synced to.
    pub(super) fn of(compilation: &Compilation, footprint: Option<Footprint>) -> Option<Self> {
        let tree = compilation.tree.as_ref()?;
        let destination = ["gitops", "argocd", "destination"];
        Some(Self {
            name: compilation.environment.clone(),
            destination: argocd(compilation.model.as_ref()?)?.destination.clone(),
            footprint: footprint?,
            destination_span: if merge::find(tree, &destination).is_some() {
                merge::key_span(tree, &destination)
            } else {
                merge::key_span(tree, &destination[..2])
            },
            ownership_span: merge::key_span(tree, &["cluster", "ownsClusterObjects"]),
        })
    }
}

/// The problems of environments sharing a cluster, each with the index of
/// the environment (in `members`) whose overlay it is reported in.
pub(super) fn collisions(members: &[Option<Member>]) -> Vec<(usize, Diagnostic)> {
    let members: Vec<(usize, &Member)> = members
        .iter()
        .enumerate()
        .filter_map(|(index, member)| Some((index, member.as_ref()?)))
        .collect();
    let mut problems = Vec::new();
    for (position, (index, member)) in members.iter().enumerate() {
        let neighbours: Vec<&Member> = members
            .iter()
            .filter(|(other, m)| other != index && m.destination == member.destination)
            .map(|(_, m)| *m)
            .collect();
        if neighbours.is_empty() {
            continue;
        }
        // Each pair once, reported in the later environment.
        for (_, earlier) in members[..position]
            .iter()
            .filter(|(_, m)| m.destination == member.destination)
        {
            let shared: Vec<&String> = member
                .footprint
                .namespaced
                .intersection(&earlier.footprint.namespaced)
                .collect();
            if !shared.is_empty() {
                problems.push((
                    *index,
                    collision(member, earlier, &shared)
                        .with_help(format!(
                            "give `{}` namespaces of its own: `cluster: {{ namespaceTemplate: \"{{name}}-{}\" }}` in its overlay",
                            member.name, member.name
                        )),
                ));
            }
            if member.footprint.owns_cluster_objects && earlier.footprint.owns_cluster_objects {
                let shared: Vec<&String> = member
                    .footprint
                    .cluster_scoped
                    .keys()
                    .filter(|key| earlier.footprint.cluster_scoped.contains_key(*key))
                    .collect();
                if !shared.is_empty() {
                    problems.push((
                        *index,
                        collision(member, earlier, &shared).with_help(format!(
                            "one environment owns the cluster-scoped objects: set `cluster: {{ ownsClusterObjects: false }}` in the overlay of `{}`",
                            member.name
                        )),
                    ));
                }
            }
        }
        if !member.footprint.owns_cluster_objects
            && let Some(problem) = missing_from_owner(member, &neighbours)
        {
            problems.push((*index, problem));
        }
    }
    problems
}

fn cluster_name(destination: &Destination) -> String {
    match destination {
        Destination::Server(server) => server.clone(),
        Destination::Name(name) => name.clone(),
    }
}

fn listed(identities: &[&String]) -> String {
    let mut text = identities
        .iter()
        .take(NAMED)
        .map(|identity| format!("`{identity}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if identities.len() > NAMED {
        text.push_str(&format!(" and {} more", identities.len() - NAMED));
    }
    text
}

fn collision(member: &Member, earlier: &Member, shared: &[&String]) -> Diagnostic {
    Diagnostic::error(
        Code::SharedClusterCollision,
        format!(
            "environments `{}` and `{}` both render {} object(s) on cluster `{}`: {}",
            earlier.name,
            member.name,
            shared.len(),
            cluster_name(&member.destination),
            listed(shared)
        ),
    )
    .at(
        member.destination_span,
        format!("the same cluster as `{}`", earlier.name),
    )
    .with_note("their Applications would overwrite and prune each other's objects")
}

/// The problem with an environment that leaves the cluster-scoped objects
/// to an owner: no owner among the environments checked with it, or one
/// that renders them otherwise.
fn missing_from_owner(member: &Member, neighbours: &[&Member]) -> Option<Diagnostic> {
    let needed = &member.footprint.cluster_scoped;
    if needed.is_empty() {
        return None;
    }
    let span = member.ownership_span;
    let Some(owner) = neighbours.iter().find(|m| m.footprint.owns_cluster_objects) else {
        return Some(
            Diagnostic::error(
                Code::SharedClusterCollision,
                format!(
                    "`{}` leaves the cluster-scoped objects to another environment on cluster `{}`, and none owns them",
                    member.name,
                    cluster_name(&member.destination)
                ),
            )
            .at(span, "not the owner")
            .with_help("remove `ownsClusterObjects: false` from one environment of the cluster"),
        );
    };
    let differing: Vec<&String> = needed
        .iter()
        .filter(|(identity, text)| owner.footprint.cluster_scoped.get(*identity) != Some(*text))
        .map(|(identity, _)| identity)
        .collect();
    (!differing.is_empty()).then(|| {
        Diagnostic::error(
            Code::SharedClusterCollision,
            format!(
                "`{}` needs {} cluster-scoped object(s) that its owner `{}` does not render as it would: {}",
                member.name,
                differing.len(),
                owner.name,
                listed(&differing)
            ),
        )
        .at(span, "left to the owner")
        .with_help(format!(
            "render the same StorageClasses, PriorityClasses and issuers in `{}` (the same `cloud`, `storageClasses`, `priorityClasses` and `ingress.tls`)",
            owner.name
        ))
    })
}
