//! `WritablePath`: a directory a container may write to, on an `emptyDir` (the
//! root filesystem is read-only): a path, or a mapping with the volume's
//! `medium` (`Memory` for `/dev/shm` or a hot cache) and `sizeLimit`.

use std::fmt;

use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use super::Quantity;

/// A writable directory: `/tmp`, or `{ path: /dev/shm, medium: Memory, sizeLimit: 1Gi }`.
#[derive(Debug, Clone, PartialEq, Eq, JsonSchema)]
#[serde(untagged)]
pub enum WritablePath {
    /// An absolute path, on a node-disk `emptyDir` without a size limit.
    Path(String),
    /// A path with its volume's settings.
    Volume(WritableVolume),
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WritableVolume {
    /// Absolute path of the directory.
    pub path: String,
    /// `Memory`: a tmpfs, counted against the container's memory limit.
    /// Default: the node's disk.
    #[serde(default)]
    pub medium: Option<StorageMedium>,
    /// Most the directory may hold; the pod is evicted above it. Required
    /// with `medium: Memory`.
    #[serde(default)]
    pub size_limit: Option<Quantity>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
pub enum StorageMedium {
    /// RAM (tmpfs).
    Memory,
}

impl WritablePath {
    pub fn path(&self) -> &str {
        match self {
            WritablePath::Path(path) => path,
            WritablePath::Volume(volume) => &volume.path,
        }
    }
}

/// Text is a path, a mapping a volume. Written by hand (not
/// `#[serde(untagged)]`) so a bad key of the mapping points at the key.
impl<'de> Deserialize<'de> for WritablePath {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(WritablePathVisitor)
    }
}

struct WritablePathVisitor;

impl<'de> Visitor<'de> for WritablePathVisitor {
    type Value = WritablePath;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a path such as `/tmp`, or `{ path, medium, sizeLimit }`")
    }

    fn visit_str<E: de::Error>(self, path: &str) -> Result<WritablePath, E> {
        Ok(WritablePath::Path(path.to_owned()))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<WritablePath, A::Error> {
        WritableVolume::deserialize(de::value::MapAccessDeserializer::new(map))
            .map(WritablePath::Volume)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceFile, Sources};
    use crate::yaml::{Limits, parse};

    #[derive(Debug, Deserialize)]
    struct Holder {
        paths: Vec<WritablePath>,
    }

    fn paths(text: &str) -> Result<Vec<WritablePath>, Vec<String>> {
        let mut sources = Sources::default();
        let file = sources.add(SourceFile::new("test.yaml", format!("paths: {text}\n")));
        let node = parse(file, &sources.get(file).text, &Limits::default()).expect("valid YAML");
        crate::spec::from_tree::<Holder>(&node)
            .map(|holder| holder.paths)
            .map_err(|errors| errors.into_iter().map(|d| d.message).collect())
    }

    #[test]
    fn paths_and_volumes() {
        assert_eq!(
            paths("[/tmp, { path: /dev/shm, medium: Memory, sizeLimit: 1Gi }]"),
            Ok(vec![
                WritablePath::Path("/tmp".into()),
                WritablePath::Volume(WritableVolume {
                    path: "/dev/shm".into(),
                    medium: Some(StorageMedium::Memory),
                    size_limit: Quantity::parse("1Gi"),
                }),
            ])
        );
        let errors = paths("[{ path: /cache, sizelimit: 1Gi }]").expect_err("unknown key");
        assert!(errors.iter().any(|m| m.contains("sizelimit")), "{errors:?}");
        let errors = paths("[{ path: /cache, medium: Disk }]").expect_err("unknown medium");
        assert!(errors.iter().any(|m| m.contains("Disk")), "{errors:?}");
    }
}
