//! A dashboard's text, filled in from the text of a dashboard of the same
//! shape. Two workloads' dashboards differ only in the names they show (the
//! platform's, the namespace's, the workload's and the uid derived from
//! them) once their shape is the same: the workload's kind, whether an
//! autoscaler sets its replicas and whether it has volumes. So each of the
//! sixteen shapes is built and pretty-printed once per process, with a
//! marker in place of every name, and every dashboard of that shape is the
//! text between the markers with the names in between.
//!
//! The result is the text `serde_json` writes for the dashboard itself:
//! escaping a string escapes each character on its own, so a name escaped
//! alone and put where its marker was escapes as it would inside the
//! string around it. A unit test holds the two equal for every shape.

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::object::{BlockPattern, Pattern};
use crate::spec::WorkloadKind;

use super::dashboard_model::{Subject, dashboard};

/// Begins every marker in the printed text: the NUL character a marker
/// starts with, as JSON escapes it. No dashboard text has a NUL of its own,
/// and the names put in place of the markers are never searched for one.
const MARKER: &str = "\\u0000";

/// The names a dashboard shows, in the order of the values that fill them:
/// each is the character that follows [`MARKER`] in its marker.
const HOLES: [char; 4] = [PLATFORM, NAMESPACE, NAME, UID];
const PLATFORM: char = 'P';
const NAMESPACE: char = 'N';
const NAME: char = 'W';
const UID: char = 'U';

/// The column of a ConfigMap's data values' lines: `data` at the root, its
/// keys two columns in, a block's lines two more.
pub(super) const DATA_COLUMN: usize = 4;

/// One shape's dashboard, printed with markers for its names: as JSON, and
/// as the lines of the ConfigMap's literal block that holds it.
#[derive(Debug)]
struct Shape {
    json: Pattern,
    block: BlockPattern,
}

/// Every shape's patterns, built the first time a dashboard of that shape
/// is asked for. Built from constants only, so the same in every process
/// and on every thread.
static SHAPES: [OnceLock<Shape>; 16] = [const { OnceLock::new() }; 16];

/// The names that fill a dashboard's holes, in the order of [`HOLES`].
pub(super) fn names<'a>(subject: &Subject<'a>, uid: &'a str) -> [&'a str; 4] {
    [subject.platform, subject.namespace, subject.name, uid]
}

/// The pretty-printed JSON of `subject`'s dashboard, with `uid`, and a
/// final line break.
pub(super) fn text(subject: &Subject, uid: &str) -> String {
    let values = names(subject, uid).map(escaped);
    shape_of(subject).json.fill(&values)
}

/// The lines of the literal block of `subject`'s dashboard ConfigMap, with
/// holes for the names in the order of [`names`]. A name put into a hole
/// as it is must need no escape in JSON (see `Frozen::spliced`).
pub(super) fn block(subject: &Subject) -> &'static BlockPattern {
    &shape_of(subject).block
}

fn shape_of(subject: &Subject) -> &'static Shape {
    SHAPES[shape(subject)].get_or_init(|| build(subject))
}

/// The index of `subject`'s shape in [`SHAPES`].
fn shape(subject: &Subject) -> usize {
    let kind = match subject.kind {
        WorkloadKind::Deployment => 0,
        WorkloadKind::StatefulSet => 1,
        WorkloadKind::Job => 2,
        WorkloadKind::CronJob => 3,
    };
    kind * 4 + usize::from(subject.autoscaled) * 2 + usize::from(subject.volumes)
}

/// The patterns of `subject`'s shape: its dashboard with markers for names.
fn build(subject: &Subject) -> Shape {
    let [platform, namespace, name, uid] = HOLES.map(|hole| format!("\0{hole}"));
    let marked = Subject {
        platform: &platform,
        namespace: &namespace,
        name: &name,
        ..*subject
    };
    let mut text = serde_json::to_string_pretty(&dashboard(&marked, uid))
        .expect("a dashboard of strings and numbers serializes");
    // The final line break is the pattern's, so a dashboard's text is
    // filled into a string of its exact length, never grown.
    text.push('\n');
    let json = Pattern::split(&text, MARKER, &HOLES).expect("every marker names a hole");
    // Printable text of short lines, with a final line break: a `|` block.
    let lines = crate::yaml::write::literal_lines(&text, DATA_COLUMN)
        .expect("a dashboard is written as a literal block");
    let block = BlockPattern {
        column: DATA_COLUMN,
        lines: Pattern::split(&lines, MARKER, &HOLES).expect("every marker names a hole"),
    };
    Shape { json, block }
}

/// `value` as JSON writes it inside a string.
fn escaped(value: &str) -> Cow<'_, str> {
    if value.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        return Cow::Borrowed(value);
    }
    let quoted = serde_json::to_string(value).expect("a string serializes");
    Cow::Owned(quoted[1..quoted.len() - 1].to_owned())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use k8s_openapi::api::core::v1::ConfigMap;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

    use super::super::dashboard_model::{Subject, dashboard, uid};
    use crate::lower::Objects;
    use crate::source::Span;
    use crate::spec::WorkloadKind;

    /// A subject of every shape, with these names.
    fn every_shape<'a>(platform: &'a str, namespace: &'a str, name: &'a str) -> Vec<Subject<'a>> {
        let mut subjects = Vec::new();
        for kind in [
            WorkloadKind::Deployment,
            WorkloadKind::StatefulSet,
            WorkloadKind::Job,
            WorkloadKind::CronJob,
        ] {
            for autoscaled in [false, true] {
                for volumes in [false, true] {
                    subjects.push(Subject {
                        platform,
                        namespace,
                        name,
                        kind,
                        autoscaled,
                        volumes,
                    });
                }
            }
        }
        subjects
    }

    /// A dashboard's ConfigMap, as the lowering builds one around `json`.
    fn config_map(subject: &Subject, json: String) -> ConfigMap {
        ConfigMap {
            metadata: ObjectMeta {
                name: Some(format!("{}-dashboard", subject.name)),
                namespace: Some(subject.namespace.to_owned()),
                ..ObjectMeta::default()
            },
            data: Some(BTreeMap::from([(
                format!("{}-{}.json", subject.namespace, subject.name),
                json,
            )])),
            ..ConfigMap::default()
        }
    }

    /// `subject`'s dashboard pushed into `objects` with its block.
    fn push(objects: &mut Objects, subject: &Subject) {
        let uid = uid(subject);
        objects.push_with_block(
            |json| config_map(subject, json),
            super::block(subject),
            &super::names(subject, &uid),
            || super::text(subject, &uid),
            Span::default(),
        );
    }

    /// For every shape, and names JSON must escape, the text filled in is
    /// the text of the dashboard itself.
    #[test]
    fn filled_text_is_the_dashboards_own() {
        let names = [
            ("shop", "store", "web"),
            ("a\"quoted\\platform", "tab\there", "new\nline"),
        ];
        let mut checked = 0;
        for (platform, namespace, name) in names {
            for subject in every_shape(platform, namespace, name) {
                let uid = uid(&subject);
                let expected = serde_json::to_string_pretty(&dashboard(&subject, uid.clone()))
                    .expect("a dashboard serializes")
                    + "\n";
                assert_eq!(super::text(&subject, &uid), expected, "{subject:?}");
                checked += 1;
            }
        }
        assert_eq!(checked, 32);
    }

    /// For every shape, a dashboard ConfigMap frozen with its block held as
    /// the shape's pattern and names has the text of the same ConfigMap
    /// frozen whole; names the pattern cannot take as they are (a quote, a
    /// line break, a space) freeze it whole.
    #[test]
    fn a_spliced_dashboard_has_the_text_of_the_whole_one() {
        let names = [
            ("shop", "store", "web", true),
            ("p", "9-ns", "api.v2", true),
            ("a\"quoted", "ns", "web", false),
            ("shop", "ns", "new\nline", false),
            ("shop", "two words", "web", false),
        ];
        let mut spliced_count = 0;
        for (platform, namespace, name, inert) in names {
            for subject in every_shape(platform, namespace, name) {
                let mut spliced = Objects::frozen();
                push(&mut spliced, &subject);
                let mut whole = Objects::frozen();
                let text = super::text(&subject, &uid(&subject));
                whole.push(&config_map(&subject, text), Span::default());
                let whole_text = whole[0].frozen_text().expect("frozen whole");
                assert_eq!(spliced[0].yaml(), whole_text, "{subject:?}");
                assert_eq!(spliced[0].frozen_text().is_none(), inert, "{subject:?}");
                assert_eq!(spliced[0].frozen_len(), Some(whole_text.len()));
                spliced_count += usize::from(inert);
            }
        }
        assert_eq!(spliced_count, 32);
    }

    /// A sink that keeps trees gets the dashboard's own text.
    #[test]
    fn a_sink_of_trees_gets_the_dashboard_itself() {
        let subject = every_shape("shop", "store", "web")[0];
        let mut trees = Objects::new();
        push(&mut trees, &subject);
        assert_eq!(
            trees[0].value["data"]["store-web.json"].as_str(),
            Some(super::text(&subject, &uid(&subject)).as_str())
        );
    }

    /// Every shape has a slot of its own.
    #[test]
    fn shapes_are_distinct() {
        let mut seen = std::collections::BTreeSet::new();
        for subject in every_shape("p", "n", "w") {
            assert!(seen.insert(super::shape(&subject)));
        }
        assert_eq!(seen.len(), super::SHAPES.len());
    }
}
