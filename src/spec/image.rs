//! `Image`: a container image reference, split into repository, tag and digest so
//! policies can tell a pinned image from a floating one.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, de};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    text: String,
    tag: Option<String>,
    digest: Option<String>,
}

impl Image {
    /// No image: the stand-in of a workload model built despite errors (so
    /// the capabilities' checks still run), which is never rendered.
    pub fn stand_in() -> Image {
        Image {
            text: String::new(),
            tag: None,
            digest: None,
        }
    }

    /// Parses `text` by the distribution reference grammar (what registries
    /// and container runtimes accept): `[domain[:port]/]path[:tag][@digest]`,
    /// path components of lowercase letters and digits joined by `.`, `_`,
    /// `__` or dashes, a tag of at most 128 word characters, `.` and `-`, and
    /// a digest `algorithm:hex` (hex at least 32 long). Anything else (shell
    /// syntax, `..`, control characters, a second `:`) is not an image a
    /// kubelet could pull, so it is rejected here rather than in the cluster.
    pub fn parse(text: &str) -> Option<Image> {
        // The grammar caps the name at 255; tag and digest add little.
        if text.is_empty() || text.len() > 512 {
            return None;
        }
        let (name_and_tag, digest) = match text.split_once('@') {
            Some((name, digest)) => {
                is_digest(digest).then_some(())?;
                (name, Some(digest.to_owned()))
            }
            None => (text, None),
        };
        let last_segment_start = name_and_tag.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match name_and_tag[last_segment_start..].find(':') {
            Some(i) => {
                let split = last_segment_start + i;
                (&name_and_tag[..split], Some(&name_and_tag[split + 1..]))
            }
            None => (name_and_tag, None),
        };
        if name.len() > 255 || !is_name(name) || tag.is_some_and(|tag| !is_tag(tag)) {
            return None;
        }
        Some(Image {
            text: text.to_owned(),
            tag: tag.map(str::to_owned),
            digest,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    pub fn digest(&self) -> Option<&str> {
        self.digest.as_deref()
    }

    /// The repository, without registry, `library/`, tag or digest:
    /// `postgres` for `docker.io/library/postgres:16.4-alpine`.
    pub fn repository(&self) -> &str {
        let name = self.text.split('@').next().unwrap_or(&self.text);
        let name = match &self.tag {
            Some(tag) => &name[..name.len() - tag.len() - 1],
            None => name,
        };
        let (_, path) = split_domain(name);
        path.strip_prefix("library/").unwrap_or(path)
    }

    /// Pinned: a digest, or a tag other than `latest`.
    pub fn is_pinned(&self) -> bool {
        self.digest.is_some() || self.tag.as_deref().is_some_and(|tag| tag != "latest")
    }
}

/// `[domain/]path`: the first component is a domain when it has a `.` or a
/// `:`, or is `localhost` (as container runtimes decide).
fn is_name(name: &str) -> bool {
    let (domain, path) = split_domain(name);
    domain.is_none_or(is_domain) && !path.is_empty() && path.split('/').all(is_path_component)
}

/// `[domain/]path` split in two: the first component is a domain when it
/// has a `.` or a `:`, or is `localhost` (as container runtimes decide).
fn split_domain(name: &str) -> (Option<&str>, &str) {
    match name.split_once('/') {
        Some((first, rest)) if first.contains(['.', ':']) || first == "localhost" => {
            (Some(first), rest)
        }
        _ => (None, name),
    }
}

/// `host[:port]`, the host DNS components of letters, digits and inner `-`.
fn is_domain(domain: &str) -> bool {
    let (host, port) = match domain.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (domain, None),
    };
    let component = |part: &str| {
        !part.is_empty()
            && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !part.starts_with('-')
            && !part.ends_with('-')
    };
    !host.is_empty()
        && host.split('.').all(component)
        && port.is_none_or(|port| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()))
}

/// Lowercase letters and digits, joined by one `.`, one `_`, `__`, or any
/// number of `-`.
fn is_path_component(component: &str) -> bool {
    let bytes = component.as_bytes();
    let alphanumeric = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if !bytes.first().is_some_and(|b| alphanumeric(*b))
        || !bytes.last().is_some_and(|b| alphanumeric(*b))
    {
        return false;
    }
    let mut index = 0;
    while index < bytes.len() {
        if alphanumeric(bytes[index]) {
            index += 1;
            continue;
        }
        let start = index;
        while index < bytes.len() && !alphanumeric(bytes[index]) {
            index += 1;
        }
        let separator = &component[start..index];
        let valid = matches!(separator, "." | "_" | "__") || separator.bytes().all(|b| b == b'-');
        if !valid {
            return false;
        }
    }
    true
}

/// A word character, then up to 127 word characters, `.` or `-`.
fn is_tag(tag: &str) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let bytes = tag.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 128
        && word(bytes[0])
        && bytes.iter().all(|b| word(*b) || matches!(b, b'.' | b'-'))
}

/// `algorithm:hex`: algorithm components of letters and digits (starting
/// with a letter) joined by `+`, `.`, `-` or `_`; hex at least 32 long.
fn is_digest(digest: &str) -> bool {
    let Some((algorithm, hex)) = digest.split_once(':') else {
        return false;
    };
    let algorithm_valid = algorithm.split(['+', '.', '-', '_']).all(|part| {
        part.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
            && part.bytes().all(|b| b.is_ascii_alphanumeric())
    });
    algorithm_valid && hex.len() >= 32 && hex.bytes().all(|b| b.is_ascii_hexdigit())
}

impl fmt::Display for Image {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Image {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Image::parse(&text).ok_or_else(|| {
            de::Error::invalid_value(
                de::Unexpected::Str(&text),
                &"an image reference such as `ghcr.io/org/app:1.2.3` or `app@sha256:<digest>`",
            )
        })
    }
}

impl JsonSchema for Image {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Image".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "Container image: `registry/repository:tag` or `registry/repository@sha256:digest`.",
            "type": "string",
            "minLength": 1
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repositories_leave_out_registry_library_tag_and_digest() {
        let repository = |text: &str| {
            Image::parse(text)
                .expect("valid image")
                .repository()
                .to_owned()
        };
        assert_eq!(repository("postgres:16.4-alpine"), "postgres");
        assert_eq!(repository("docker.io/library/postgres:16"), "postgres");
        let digest = format!("bitnami/postgresql@sha256:{}", "a".repeat(64));
        assert_eq!(repository(&digest), "bitnami/postgresql");
        assert_eq!(repository("localhost:5000/redis:7"), "redis");
        assert_eq!(
            repository("ghcr.io/acme/postgres-exporter:1"),
            "acme/postgres-exporter"
        );
        assert_eq!(repository("registry:5000/team/app"), "team/app");
    }

    #[track_caller]
    fn case(text: &str, tag: Option<&str>, pinned: bool) {
        let image = Image::parse(text).expect("valid image");
        assert_eq!(image.tag(), tag);
        assert_eq!(image.is_pinned(), pinned);
    }

    #[test]
    fn splits_tags_and_digests() {
        case("postgres:16.4", Some("16.4"), true);
        case("localhost:5000/app", None, false);
        case("localhost:5000/app:1.0", Some("1.0"), true);
        case("ghcr.io/org/app:latest", Some("latest"), false);
        case(
            "minio/minio:RELEASE.2024-10-13T13-34-11Z",
            Some("RELEASE.2024-10-13T13-34-11Z"),
            true,
        );
        case(
            "app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            None,
            true,
        );
        assert!(Image::parse("").is_none());
        assert!(Image::parse("app:").is_none());
        assert!(Image::parse("my app").is_none());
        assert!(Image::parse("Org/App:1.0").is_none());
    }

    #[test]
    fn follows_the_distribution_reference_grammar() {
        for valid in [
            "nginx",
            "library/nginx:1.27",
            "registry.example.com:5000/team/app_v2:v1.0.0-rc.1",
            "ghcr.io/a/b/c__d/e--f:1",
            "app@sha256:0123456789abcdef0123456789abcdef",
            "localhost/app:1",
        ] {
            assert!(Image::parse(valid).is_some(), "{valid}");
        }
        let escape = "app\u{1b}[31m:1";
        let huge = format!("{}:1", "a".repeat(50_000_000 / 1000));
        for invalid in [
            "ghcr.io/x$(id):1",
            "x;rm:1",
            "../../x:1",
            "x:1:2",
            escape,
            &huge,
            "a..b:1",
            "a-:1",
            "-a:1",
            "a//b:1",
            "ghcr.io/:1",
            "ex-.com/a:1",
            "host:port/a:1",
            "a:.1",
            "a@sha256:short",
            "a@:0123456789abcdef0123456789abcdef",
        ] {
            assert!(Image::parse(invalid).is_none(), "{invalid:?}");
        }
    }
}
