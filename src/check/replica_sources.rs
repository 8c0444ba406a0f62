//! A PostgreSQL replica cluster (`postgres.<name>.replicaOf`) follows the
//! primary archiving to the store it reads, typically the same cluster of
//! another environment in another region. Across the environments checked:
//! that primary must run the same PostgreSQL major version (physical
//! replication cannot cross one), and some environment should archive
//! there at all (otherwise the replica's bootstrap finds no base backup;
//! only a warning, since the primary may run outside this platform).

use crate::capabilities::postgres::model::{ObjectStoreModel, rendered};
use crate::diagnostic::{Code, Diagnostic};
use crate::pipeline::Compilation;
use crate::source::Span;

/// Where a cluster's archive is: bucket and path, endpoint, server name.
type StoreKey = (String, Option<String>, String);

fn key(store: &ObjectStoreModel) -> StoreKey {
    (
        store.destination.clone(),
        store.endpoint_url.clone(),
        store.server_name.clone(),
    )
}

/// One environment's PostgreSQL clusters as the check sees them.
pub(super) struct Member {
    environment: String,
    /// Clusters archiving to a store: (store, cluster, major version).
    primaries: Vec<(StoreKey, String, String)>,
    /// Replicas: (the store they read, cluster, major version, span).
    replicas: Vec<(StoreKey, String, String, Span)>,
}

impl Member {
    pub(super) fn of(compilation: &Compilation) -> Option<Self> {
        let model = compilation.model.as_ref()?;
        let clusters = rendered(model);
        Some(Self {
            environment: compilation.environment.clone(),
            primaries: clusters
                .iter()
                .filter_map(|cluster| {
                    let backup = cluster.backup.as_ref()?;
                    Some((
                        key(&backup.store),
                        cluster.name.clone(),
                        cluster.major_version().to_owned(),
                    ))
                })
                .collect(),
            replicas: clusters
                .iter()
                .filter_map(|cluster| {
                    let replica = cluster.replica_of.as_ref()?;
                    Some((
                        key(&replica.store),
                        cluster.name.clone(),
                        cluster.major_version().to_owned(),
                        replica.origin,
                    ))
                })
                .collect(),
        })
    }
}

/// The problems of the replicas of `members`, each with the index of the
/// environment it is reported in (the replica's).
pub(super) fn problems(members: &[Option<Member>]) -> Vec<(usize, Diagnostic)> {
    let mut problems = Vec::new();
    for (index, member) in members.iter().enumerate() {
        let Some(member) = member else { continue };
        for (store, cluster, major, span) in &member.replicas {
            let primaries: Vec<(&str, &str, &str)> = members
                .iter()
                .flatten()
                .flat_map(|other| {
                    other
                        .primaries
                        .iter()
                        .filter(|(key, _, _)| key == store)
                        .map(|(_, name, major)| {
                            (other.environment.as_str(), name.as_str(), major.as_str())
                        })
                })
                .collect();
            if primaries.is_empty() {
                problems.push((
                    index,
                    Diagnostic::warning(
                        Code::InvalidPostgresReplica,
                        format!(
                            "no environment checked archives to the store `{cluster}` replicates from (`{}`, server `{}`)",
                            store.0, store.2
                        ),
                    )
                    .at(*span, "the primary's archive")
                    .with_help("name the primary's `backup.destination` and `serverName` (by default its cluster's name); a primary outside this platform is not checked"),
                ));
                continue;
            }
            for (environment, name, primary_major) in primaries {
                if primary_major != major {
                    problems.push((
                        index,
                        Diagnostic::error(
                            Code::InvalidPostgresReplica,
                            format!(
                                "`{cluster}` runs PostgreSQL {major} but replicates `{name}` of {environment}, which runs PostgreSQL {primary_major}"
                            ),
                        )
                        .at(*span, "the primary's archive")
                        .with_note("WAL replays only on the major version that wrote it")
                        .with_help(
                            "give both the same `version` (upgrade the replica with its primary, or rebuild it after a major upgrade)",
                        ),
                    ));
                }
            }
        }
    }
    problems
}
