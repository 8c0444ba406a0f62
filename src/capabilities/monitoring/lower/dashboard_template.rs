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

use crate::spec::WorkloadKind;

use super::dashboard_model::{Subject, dashboard};

/// Begins every marker in the printed text: the NUL character a marker
/// starts with, as JSON escapes it. No dashboard text has a NUL of its own,
/// and the names put in place of the markers are never searched for one.
const MARKER: &str = "\\u0000";

/// The names a dashboard shows, each with the character that follows
/// [`MARKER`] in its marker.
#[derive(Debug, Clone, Copy)]
enum Hole {
    Platform,
    Namespace,
    Name,
    Uid,
}

impl Hole {
    const ALL: [Self; 4] = [Self::Platform, Self::Namespace, Self::Name, Self::Uid];

    fn letter(self) -> char {
        match self {
            Self::Platform => 'P',
            Self::Namespace => 'N',
            Self::Name => 'W',
            Self::Uid => 'U',
        }
    }

    /// The marker of this hole, as the model holds it (before escaping).
    fn marker(self) -> String {
        format!("\0{}", self.letter())
    }
}

/// One shape's text: what comes before the first marker, then each
/// marker's hole (its position in [`Hole::ALL`]) and the text up to the
/// next.
#[derive(Debug)]
struct Template {
    head: String,
    rest: Vec<(usize, String)>,
}

/// Every shape's template, built the first time a dashboard of that shape
/// is asked for. Built from constants only, so the same in every process
/// and on every thread.
static TEMPLATES: [OnceLock<Template>; 16] = [const { OnceLock::new() }; 16];

/// The pretty-printed JSON of `subject`'s dashboard, with `uid`.
pub(super) fn text(subject: &Subject, uid: &str) -> String {
    let template = TEMPLATES[shape(subject)].get_or_init(|| build(subject));
    let filled = |hole: Hole| -> Cow<'_, str> {
        escaped(match hole {
            Hole::Platform => subject.platform,
            Hole::Namespace => subject.namespace,
            Hole::Name => subject.name,
            Hole::Uid => uid,
        })
    };
    let values = Hole::ALL.map(filled);
    let length = template.head.len()
        + template
            .rest
            .iter()
            .map(|(hole, literal)| values[*hole].len() + literal.len())
            .sum::<usize>();
    let mut text = String::with_capacity(length + 1);
    text.push_str(&template.head);
    for (hole, literal) in &template.rest {
        text.push_str(&values[*hole]);
        text.push_str(literal);
    }
    text
}

/// The index of `subject`'s shape in [`TEMPLATES`].
fn shape(subject: &Subject) -> usize {
    let kind = match subject.kind {
        WorkloadKind::Deployment => 0,
        WorkloadKind::StatefulSet => 1,
        WorkloadKind::Job => 2,
        WorkloadKind::CronJob => 3,
    };
    kind * 4 + usize::from(subject.autoscaled) * 2 + usize::from(subject.volumes)
}

/// The template of `subject`'s shape: its dashboard with markers for names.
fn build(subject: &Subject) -> Template {
    let [platform, namespace, name, uid] = Hole::ALL.map(Hole::marker);
    let marked = Subject {
        platform: &platform,
        namespace: &namespace,
        name: &name,
        ..*subject
    };
    let text = serde_json::to_string_pretty(&dashboard(&marked, uid))
        .expect("a dashboard of strings and numbers serializes");
    let mut pieces = text.split(MARKER);
    let head = pieces.next().unwrap_or_default().to_owned();
    let rest = pieces
        .map(|piece| {
            let hole = Hole::ALL
                .iter()
                .position(|hole| piece.starts_with(hole.letter()))
                .expect("every marker names a hole");
            (hole, piece[1..].to_owned())
        })
        .collect();
    Template { head, rest }
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
    use super::super::dashboard_model::{Subject, dashboard, uid};
    use crate::spec::WorkloadKind;

    /// For every shape, and names JSON must escape, the text filled in is
    /// the text of the dashboard itself.
    #[test]
    fn filled_text_is_the_dashboards_own() {
        let kinds = [
            WorkloadKind::Deployment,
            WorkloadKind::StatefulSet,
            WorkloadKind::Job,
            WorkloadKind::CronJob,
        ];
        let names = [
            ("shop", "store", "web"),
            ("a\"quoted\\platform", "tab\there", "new\nline"),
        ];
        let mut checked = 0;
        for kind in kinds {
            for autoscaled in [false, true] {
                for volumes in [false, true] {
                    for (platform, namespace, name) in names {
                        let subject = Subject {
                            platform,
                            namespace,
                            name,
                            kind,
                            autoscaled,
                            volumes,
                        };
                        let uid = uid(&subject);
                        let expected =
                            serde_json::to_string_pretty(&dashboard(&subject, uid.clone()))
                                .expect("a dashboard serializes");
                        assert_eq!(super::text(&subject, &uid), expected, "{subject:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 32);
    }

    /// Every shape has a slot of its own.
    #[test]
    fn shapes_are_distinct() {
        let mut seen = std::collections::BTreeSet::new();
        for kind in [
            WorkloadKind::Deployment,
            WorkloadKind::StatefulSet,
            WorkloadKind::Job,
            WorkloadKind::CronJob,
        ] {
            for autoscaled in [false, true] {
                for volumes in [false, true] {
                    let subject = Subject {
                        platform: "p",
                        namespace: "n",
                        name: "w",
                        kind,
                        autoscaled,
                        volumes,
                    };
                    assert!(seen.insert(super::shape(&subject)));
                }
            }
        }
        assert_eq!(seen.len(), super::TEMPLATES.len());
    }
}
