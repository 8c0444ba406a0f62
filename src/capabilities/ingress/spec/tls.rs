//! `Tls`: how the certificates of public hosts are issued: by cert-manager,
//! through a ClusterIssuer that platformgen renders (`selfSigned`, Let's
//! Encrypt staging or production) or one that already exists in the cluster.

use std::fmt;

use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer, IntoDeserializer, MapAccess, Visitor};

#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Tls {
    /// The ClusterIssuer that signs the certificates: `selfSigned`,
    /// `letsencryptStaging` or `letsencryptProduction` (rendered by
    /// platformgen), or `{ existing: <name> }` for a ClusterIssuer the cluster
    /// already has.
    pub issuer: TlsIssuer,
    /// Contact address of the ACME account; Let's Encrypt mails certificate
    /// expiry notices there. Required by the Let's Encrypt issuers.
    #[serde(default)]
    pub email: Option<String>,
}

/// Which ClusterIssuer signs the certificates.
#[derive(Debug, Clone, PartialEq, Eq, JsonSchema)]
#[serde(untagged)]
pub enum TlsIssuer {
    /// A ClusterIssuer platformgen renders.
    Generated(GeneratedIssuer),
    /// A ClusterIssuer that exists in the cluster; platformgen renders none.
    Existing(ExistingIssuer),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub enum GeneratedIssuer {
    /// Each certificate signs itself: no external dependency, trusted by no
    /// browser. For development clusters.
    SelfSigned,
    /// Let's Encrypt's staging CA (ACME, HTTP-01): real issuance with high rate
    /// limits, untrusted certificates. For staging.
    LetsencryptStaging,
    /// Let's Encrypt's production CA (ACME, HTTP-01): trusted certificates.
    LetsencryptProduction,
}

impl GeneratedIssuer {
    /// What an issuer may be, for messages: the words and the mapping form.
    const EXPECTED: &'static [&'static str] = &[
        "selfSigned",
        "letsencryptStaging",
        "letsencryptProduction",
        "{ existing: <name> }",
    ];
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExistingIssuer {
    /// Name of the ClusterIssuer.
    pub existing: String,
}

/// A word names a generated issuer, a mapping an existing one. Written by hand
/// (not `#[serde(untagged)]`) so a misspelt word gets a did-you-mean and a bad
/// key points at the key, as everywhere else in the spec.
impl<'de> Deserialize<'de> for TlsIssuer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TlsIssuerVisitor)
    }
}

struct TlsIssuerVisitor;

impl<'de> Visitor<'de> for TlsIssuerVisitor {
    type Value = TlsIssuer;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(
            "`selfSigned`, `letsencryptStaging`, `letsencryptProduction` or `{ existing: <name> }`",
        )
    }

    fn visit_str<E: de::Error>(self, word: &str) -> Result<TlsIssuer, E> {
        let deserializer: de::value::StrDeserializer<'_, E> = word.into_deserializer();
        GeneratedIssuer::deserialize(deserializer)
            .map(TlsIssuer::Generated)
            .map_err(|_: E| E::unknown_variant(word, GeneratedIssuer::EXPECTED))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<TlsIssuer, A::Error> {
        ExistingIssuer::deserialize(de::value::MapAccessDeserializer::new(map))
            .map(TlsIssuer::Existing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{SourceFile, Sources};
    use crate::yaml::{Limits, parse};

    fn issuer(text: &str) -> Result<TlsIssuer, Vec<String>> {
        let mut sources = Sources::default();
        let file = sources.add(SourceFile::new("test.yaml", format!("issuer: {text}\n")));
        let node = parse(file, &sources.get(file).text, &Limits::default()).expect("valid YAML");
        crate::spec::from_tree::<Tls>(&node)
            .map(|tls| tls.issuer)
            .map_err(|errors| errors.into_iter().map(|d| d.message).collect())
    }

    #[track_caller]
    fn case(text: &str, expected: Result<TlsIssuer, &str>) {
        match (issuer(text), expected) {
            (Ok(got), Ok(want)) => assert_eq!(got, want, "{text}"),
            (Err(got), Err(want)) => {
                assert!(got.iter().any(|m| m.contains(want)), "{text}: {got:?}")
            }
            (got, want) => panic!("{text}: got {got:?}, want {want:?}"),
        }
    }

    #[test]
    fn words_and_mappings() {
        use GeneratedIssuer::*;
        case("selfSigned", Ok(TlsIssuer::Generated(SelfSigned)));
        case(
            "letsencryptStaging",
            Ok(TlsIssuer::Generated(LetsencryptStaging)),
        );
        case(
            "\"letsencryptProduction\"",
            Ok(TlsIssuer::Generated(LetsencryptProduction)),
        );
        case(
            "{ existing: corp-ca }",
            Ok(TlsIssuer::Existing(ExistingIssuer {
                existing: "corp-ca".into(),
            })),
        );
        case("letsencryptProd", Err("unknown value `letsencryptProd`"));
        case("{ existng: corp-ca }", Err("unknown field `existng`"));
        case("{}", Err("missing field `existing`"));
        case("[selfSigned]", Err("expected"));
        case("true", Err("expected"));
    }
}
