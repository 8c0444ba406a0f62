//! `render` writes each typed object straight to its canonical YAML, never
//! building its JSON tree (`Manifest::frozen_of`), while `check`, `diff` and
//! `kustomize` keep the trees. The two must give the same bytes: for every
//! platform and environment of the repository, each object's text as
//! `render` keeps it is the text of the tree the other stages hold.

use platformgen::pipeline;
use platformgen::read::Loader;

#[test]
fn objects_written_straight_to_text_are_the_text_of_their_trees() {
    let mut compared = 0;
    for dir in crate::support::platforms::all() {
        let loader = Loader::new(&dir);
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
                let frozen = text
                    .frozen_text()
                    .unwrap_or_else(|| panic!("{place}: {} is kept as text", text.identity()));
                assert_eq!(tree.yaml(), frozen, "{place}: {}", text.identity());
                compared += 1;
            }
        }
    }
    assert!(compared > 1000, "compared {compared} objects");
}
