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
    pub fn parse(text: &str) -> Option<Image> {
        if text.is_empty() || text.chars().any(char::is_whitespace) {
            return None;
        }
        let (name, digest) = match text.split_once('@') {
            Some((name, digest)) => {
                let (algorithm, hex) = digest.split_once(':')?;
                if algorithm.is_empty()
                    || hex.len() < 32
                    || !hex.chars().all(|c| c.is_ascii_hexdigit())
                {
                    return None;
                }
                (name, Some(digest.to_owned()))
            }
            None => (text, None),
        };
        let last_segment_start = name.rfind('/').map_or(0, |i| i + 1);
        let (repository, tag) = match name[last_segment_start..].rfind(':') {
            Some(i) => {
                let split = last_segment_start + i;
                (&name[..split], Some(name[split + 1..].to_owned()))
            }
            None => (name, None),
        };
        // Repositories are lowercase; tags may hold uppercase (`RELEASE.2024-10-13T13-34-11Z`).
        let tag_is_valid = |tag: &str| {
            !tag.is_empty()
                && tag.len() <= 128
                && tag
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        };
        if repository.is_empty()
            || repository.chars().any(|c| c.is_ascii_uppercase())
            || tag.as_deref().is_some_and(|tag| !tag_is_valid(tag))
        {
            return None;
        }
        Some(Image {
            text: text.to_owned(),
            tag,
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

    /// Pinned: a digest, or a tag other than `latest`.
    pub fn is_pinned(&self) -> bool {
        self.digest.is_some() || self.tag.as_deref().is_some_and(|tag| tag != "latest")
    }
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
}
