//! What `diff` found for one environment, as data: the resources that were
//! added, removed or changed, each with its hunks. The report formats
//! (`text_report`, `markdown_report`, `json_report`) only lay this out.

use std::fmt::Write as _;

use crate::diff::Hazard;

/// The changes of one environment, in apply order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EnvironmentDiff {
    pub environment: String,
    /// Only resources that differ; unchanged ones are not listed.
    pub resources: Vec<ResourceDiff>,
}

#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub changed: usize,
    pub added: usize,
    pub removed: usize,
}

impl Summary {
    pub fn is_empty(self) -> bool {
        self.changed + self.added + self.removed == 0
    }
}

impl EnvironmentDiff {
    pub fn summary(&self) -> Summary {
        let mut summary = Summary::default();
        for resource in &self.resources {
            match resource.change {
                Change::Changed => summary.changed += 1,
                Change::Added => summary.added += 1,
                Change::Removed => summary.removed += 1,
            }
        }
        summary
    }

    /// Whether a change is one Kubernetes refuses or one that destroys data
    /// (what `--fail-on-destructive` fails on).
    pub fn has_failing_hazards(&self) -> bool {
        self.resources
            .iter()
            .flat_map(|resource| &resource.hazards)
            .any(|hazard| hazard.severity.fails_ci())
    }

    /// `prod: 2 changes Kubernetes will refuse or that destroy data`, when
    /// there are any.
    pub fn hazard_line(&self) -> Option<String> {
        let count = self
            .resources
            .iter()
            .filter(|resource| resource.hazards.iter().any(|h| h.severity.fails_ci()))
            .count();
        match count {
            0 => None,
            1 => Some(format!(
                "{}: warning: 1 change Kubernetes will refuse or that destroys data",
                self.environment
            )),
            _ => Some(format!(
                "{}: warning: {count} changes Kubernetes will refuse or that destroy data",
                self.environment
            )),
        }
    }

    /// `prod: 3 changed, 1 added, 0 removed`, or `prod: no changes`.
    pub fn summary_line(&self) -> String {
        let summary = self.summary();
        if summary.is_empty() {
            format!("{}: no changes", self.environment)
        } else {
            format!(
                "{}: {} changed, {} added, {} removed",
                self.environment, summary.changed, summary.added, summary.removed
            )
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Added,
    Removed,
    Changed,
}

impl Change {
    pub fn as_str(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        }
    }
}

/// One resource that differs between the two renders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceDiff {
    /// The new render's `apiVersion`, or the old one's for a removed resource.
    pub api_version: String,
    pub kind: String,
    pub namespace: Option<String>,
    pub name: String,
    pub change: Change,
    /// Where the object lives in a `render --out` tree.
    pub file_path: String,
    /// The unified diff of the canonical YAML, values of secrets masked.
    pub hunks: Vec<Hunk>,
    /// For Secrets and SealedSecrets with masked values: which keys changed.
    pub secret_keys: Vec<SecretKeyChange>,
    /// What Kubernetes will refuse or destroy when the change is applied.
    pub hazards: Vec<Hazard>,
}

impl ResourceDiff {
    /// `Kind namespace/name`, or `Kind name` for a cluster-scoped object.
    pub fn title(&self) -> String {
        match &self.namespace {
            Some(namespace) => format!("{} {namespace}/{}", self.kind, self.name),
            None => format!("{} {}", self.kind, self.name),
        }
    }

    /// The hunks as unified-diff text, each with its `@@` header.
    pub fn diff_text(&self) -> String {
        let mut out = String::new();
        for hunk in &self.hunks {
            out.push_str(&hunk.header());
            out.push('\n');
            for line in &hunk.lines {
                out.push(line.tag.prefix());
                out.push_str(&line.text);
                out.push('\n');
            }
        }
        out
    }
}

/// One hunk of a unified diff. Line numbers are 1-based, as in `diff -u`; a
/// side with no lines has start 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hunk {
    /// The YAML path of the first changed line (`spec.replicas`), if known.
    pub path: Option<String>,
    pub old_start: usize,
    pub old_lines: usize,
    pub new_start: usize,
    pub new_lines: usize,
    pub lines: Vec<Line>,
}

impl Hunk {
    /// `@@ -12,7 +12,7 @@ spec.replicas`: git's hunk header, with the YAML
    /// path where git puts the enclosing function.
    pub fn header(&self) -> String {
        let mut header = format!(
            "@@ -{} +{} @@",
            range(self.old_start, self.old_lines),
            range(self.new_start, self.new_lines)
        );
        if let Some(path) = self.path.as_deref().filter(|p| !p.is_empty()) {
            let _ = write!(header, " {path}");
        }
        header
    }
}

/// `start,count`, with `,count` left out when it is 1, as `diff -u` does.
fn range(start: usize, count: usize) -> String {
    if count == 1 {
        start.to_string()
    } else {
        format!("{start},{count}")
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub tag: LineTag,
    /// The line without its line break.
    pub text: String,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum LineTag {
    Context,
    Removed,
    Added,
}

impl LineTag {
    pub fn prefix(self) -> char {
        match self {
            LineTag::Context => ' ',
            LineTag::Removed => '-',
            LineTag::Added => '+',
        }
    }
}

/// One key of a secret field that differs between the two renders.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SecretKeyChange {
    /// `data.password`, `spec.encryptedData.token`.
    pub path: String,
    pub change: Change,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(old: (usize, usize), new: (usize, usize), path: Option<&str>, expected: &str) {
        let hunk = Hunk {
            path: path.map(str::to_owned),
            old_start: old.0,
            old_lines: old.1,
            new_start: new.0,
            new_lines: new.1,
            lines: Vec::new(),
        };
        assert_eq!(hunk.header(), expected);
    }

    #[test]
    fn hunk_headers_follow_diff_u() {
        case(
            (12, 7),
            (12, 8),
            Some("spec.replicas"),
            "@@ -12,7 +12,8 @@ spec.replicas",
        );
        case((3, 1), (3, 1), None, "@@ -3 +3 @@");
        case((0, 0), (1, 20), Some(""), "@@ -0,0 +1,20 @@");
    }

    #[test]
    fn summary_lines() {
        let mut diff = EnvironmentDiff {
            environment: "prod".to_owned(),
            resources: Vec::new(),
        };
        assert_eq!(diff.summary_line(), "prod: no changes");
        let resource = |change| ResourceDiff {
            api_version: "v1".to_owned(),
            kind: "Service".to_owned(),
            namespace: Some("shop".to_owned()),
            name: "web".to_owned(),
            change,
            file_path: "shop/service-web.yaml".to_owned(),
            hunks: Vec::new(),
            secret_keys: Vec::new(),
            hazards: Vec::new(),
        };
        diff.resources = vec![
            resource(Change::Changed),
            resource(Change::Changed),
            resource(Change::Added),
        ];
        assert_eq!(diff.summary_line(), "prod: 2 changed, 1 added, 0 removed");
        assert_eq!(diff.resources[0].title(), "Service shop/web");
    }
}
