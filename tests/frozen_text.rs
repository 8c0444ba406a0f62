//! `render` writes each typed object straight to its canonical YAML, never
//! building its JSON tree (`Manifest::frozen_of`), while `check`, `diff` and
//! `kustomize` keep the trees. The two must give the same bytes: for every
//! platform and environment of the repository, each object's text as
//! `render` keeps it is the text of the tree the other stages hold.

use std::path::Path;

use platformgen::pipeline;
use platformgen::read::Loader;

#[test]
fn objects_written_straight_to_text_are_the_text_of_their_trees() {
    let (compared, spliced) = crate::support::platforms::all()
        .iter()
        .map(|dir| compare_every_environment(dir))
        .fold((0, 0), |(a, b), (c, d)| (a + c, b + d));
    assert!(compared > 1000, "compared {compared} objects");
    // Every dashboard of these platforms is held in pieces.
    assert!(spliced > 20, "compared {spliced} objects held in pieces");
}

/// A render of many workloads lowers them on two threads
/// (`lower::lower_to_text`); its objects, and their order, are those of
/// one thread lowering them all, as `check` does.
#[test]
fn a_render_lowered_on_two_threads_is_the_render_of_one() {
    let dir = crate::support::platforms::benchmark_platform(100);
    let (compared, _) = compare_every_environment(dir.path());
    // 100 services, about 9 objects each, in each of three environments.
    assert!(compared > 2500, "compared {compared} objects");
}

/// Compares, object by object, the text `render` keeps with the text of the
/// tree `check` holds, in every environment of the platform in `dir`;
/// returns how many objects it compared, and how many of them were held in
/// pieces.
fn compare_every_environment(dir: &Path) -> (usize, usize) {
    let mut compared = 0;
    let mut spliced = 0;
    let loader = Loader::new(dir);
    for environment in loader.environments().expect("environments are listed") {
        let place = format!("{} {environment}", dir.display());
        let trees = pipeline::compile(&loader, &environment).manifests;
        let texts = pipeline::compile_to_text(&loader, &environment).manifests;
        let (Some(trees), Some(texts)) = (trees, texts) else {
            continue;
        };
        assert_eq!(trees.len(), texts.len(), "{place}: as many objects");
        for (tree, text) in trees.iter().zip(&texts) {
            assert_eq!(tree.key, text.key, "{place}: the same objects in order");
            assert!(
                text.frozen_len().is_some(),
                "{place}: {} is kept as text",
                text.identity()
            );
            // Whole, or in pieces (a dashboard's block held as a pattern).
            let frozen = text.yaml();
            assert_eq!(tree.yaml(), frozen, "{place}: {}", text.identity());
            if text.frozen_text().is_none() {
                spliced += 1;
            }
            assert_eq!(
                platformgen::yaml::read_canonical(&frozen).as_ref(),
                Some(&tree.value),
                "{place}: {} reads back",
                text.identity()
            );
            compared += 1;
        }
    }
    (compared, spliced)
}
