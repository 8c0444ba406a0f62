//! `platformgen graph ENV`: the traffic graph the NetworkPolicies implement,
//! as DOT and Mermaid on stdout. Snapshots of the example's prod graph; the
//! graph itself is unit-tested in `src/graph/`, and its agreement with the
//! rendered policies in `network_policies.rs`.

use crate::support::cli::{MINIMAL_BASE, MINIMAL_PROD, Platform, repository, run};
use crate::support::snapshot_settings;

fn graph(format: &str) -> String {
    run(&repository(), &["graph", "prod", "--format", format])
        .success()
        .stdout
}

#[test]
fn prod_dot_snapshot() {
    snapshot_settings().bind(|| insta::assert_snapshot!("graph_prod_dot", graph("dot")));
}

#[test]
fn prod_mermaid_snapshot() {
    snapshot_settings().bind(|| insta::assert_snapshot!("graph_prod_mermaid", graph("mermaid")));
}

#[test]
fn dot_is_the_default_format_and_output_is_deterministic() {
    let first = run(&repository(), &["graph", "prod"]).success().stdout;
    assert_eq!(first, graph("dot"));
    assert_eq!(
        first,
        run(&repository(), &["graph", "prod"]).success().stdout
    );
}

#[test]
fn graph_says_when_nothing_enforces_it() {
    let platform = Platform::with(
        MINIMAL_BASE,
        &[(
            "prod",
            &format!("{MINIMAL_PROD}network: {{ policies: false }}\n"),
        )],
    );
    let dot = platform.run(&["graph", "prod"]).success().stdout;
    assert!(
        dot.contains("// network policies are off (`network.policies: false`)"),
        "{dot}"
    );
    assert!(
        dot.contains("\"web\" -> \"db\" [label=\"5432/TCP\"];"),
        "{dot}"
    );
}

#[test]
fn invalid_spec_prints_no_graph() {
    let platform = Platform::with(
        &MINIMAL_BASE.replacen("uses: [db]", "uses: [dbb]", 1),
        &[("prod", MINIMAL_PROD)],
    );
    let run = platform.run(&["graph", "prod", "--format", "mermaid"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("error[PG3001]"), "{}", run.stderr);
}

/// The exposures fixture: one ingress edge per controller with the ports of
/// the exposures it serves, and the egress to a namespace outside the
/// platform (narrowed by labels), to a port range, and to a workload of a
/// platform namespace.
#[test]
fn exposures_and_namespace_egress_are_drawn() {
    let dir = repository().join("tests/fixtures/exposures");
    let dot = run(&dir, &["graph", "nginx"]).success().stdout;
    for edge in [
        "\"ingress:ingress-internal\" -> \"agent\" [label=\"8031/TCP\", style=bold];",
        "\"ingress:ingress-nginx\" -> \"agent\" [label=\"8030/TCP, 8032/TCP\", style=bold];",
        "\"agent\" -> \"namespace:monitoring:app.kubernetes.io/name=pushgateway\" [label=\"9091/TCP\"];",
        "\"agent\" -> \"external:203.0.113.0/24\" [label=\"9701-9708/TCP\"];",
        "\"agent\" -> \"tails\" [label=\"6543/TCP\"];",
    ] {
        assert!(dot.contains(edge), "{edge} missing from:\n{dot}");
    }
    let mermaid = run(&dir, &["graph", "nginx", "--format", "mermaid"])
        .success()
        .stdout;
    assert!(
        mermaid.contains("namespace monitoring<br/>app.kubernetes.io/name=pushgateway"),
        "{mermaid}"
    );
}
