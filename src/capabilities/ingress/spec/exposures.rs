//! `Exposures`: a workload's `expose`, one exposure (a mapping) or several (a
//! list of them): ACA-Py's admin API on one host and its WebSocket endpoint on
//! another. One exposure keeps its objects named after the workload; in a
//! list each is named `<workload>-<name>`, the name defaulting to its port.

use std::fmt;

use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use super::Expose;

/// One exposure, or a list of them.
#[derive(Debug, Clone, JsonSchema)]
#[serde(untagged)]
pub enum Exposures {
    /// One exposure: its Ingress or HTTPRoute is named after the workload.
    // Boxed: an exposure is large beside the list's pointer.
    One(Box<Expose>),
    /// Several, each naming its `port`: each routed by objects named
    /// `<workload>-<name>` (`name` defaults to the port's).
    Many(Vec<Expose>),
}

impl Exposures {
    /// Each exposure with its index in the list (`None` for the one-exposure
    /// form), which locates it in the spec.
    pub fn iter(&self) -> impl Iterator<Item = (Option<usize>, &Expose)> {
        let (one, many) = match self {
            Exposures::One(expose) => (Some(expose.as_ref()), &[][..]),
            Exposures::Many(list) => (None, list.as_slice()),
        };
        one.into_iter()
            .map(|expose| (None, expose))
            .chain(many.iter().enumerate().map(|(i, e)| (Some(i), e)))
    }
}

/// A mapping is one exposure, a list several. Written by hand (not
/// `#[serde(untagged)]`) so a bad key points at the key, with a did-you-mean.
impl<'de> Deserialize<'de> for Exposures {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ExposuresVisitor)
    }
}

struct ExposuresVisitor;

impl<'de> Visitor<'de> for ExposuresVisitor {
    type Value = Exposures;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an exposure `{ host, port, ... }`, or a list of them")
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Exposures, A::Error> {
        Expose::deserialize(de::value::MapAccessDeserializer::new(map))
            .map(|expose| Exposures::One(Box::new(expose)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Exposures, A::Error> {
        Vec::<Expose>::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(Exposures::Many)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceFile, Sources};
    use crate::yaml::{Limits, parse};

    #[derive(Debug, Deserialize)]
    struct Holder {
        expose: Exposures,
    }

    fn exposures(text: &str) -> Result<Exposures, Vec<String>> {
        let mut sources = Sources::default();
        let file = sources.add(SourceFile::new("test.yaml", format!("expose: {text}\n")));
        let node = parse(file, &sources.get(file).text, &Limits::default()).expect("valid YAML");
        crate::spec::from_tree::<Holder>(&node)
            .map(|holder| holder.expose)
            .map_err(|errors| errors.into_iter().map(|d| d.message).collect())
    }

    #[test]
    fn a_mapping_is_one_exposure_a_list_several() {
        let one = exposures("{ host: api }").expect("one");
        let hosts: Vec<(Option<usize>, &str)> =
            one.iter().map(|(i, e)| (i, e.host.as_str())).collect();
        assert_eq!(hosts, [(None, "api")]);
        let many = exposures("[{ host: api, port: http }, { host: ws, port: ws }]").expect("many");
        let hosts: Vec<(Option<usize>, &str)> =
            many.iter().map(|(i, e)| (i, e.host.as_str())).collect();
        assert_eq!(hosts, [(Some(0), "api"), (Some(1), "ws")]);
    }

    #[test]
    fn a_bad_key_is_reported_in_either_form() {
        for text in ["{ host: api, prot: http }", "[{ host: api, prot: http }]"] {
            let errors = exposures(text).expect_err("unknown key");
            assert!(
                errors.iter().any(|m| m.contains("prot")),
                "{text}: {errors:?}"
            );
        }
        let errors = exposures("api").expect_err("a word");
        assert!(
            errors.iter().any(|m| m.contains("a list of them")),
            "{errors:?}"
        );
    }
}
