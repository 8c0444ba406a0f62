//! [`Node`] to [`serde_json::Value`] under the YAML 1.2 core schema: what a
//! YAML 1.2 reader (kustomize's `yaml.v3`, ruamel.yaml) makes of a document.
//! Used to read rendered manifests back (a previous render, for `diff`), so
//! that two texts compare by what they mean, not by how they are written.
//!
//! Owns the core-schema typing of plain scalars. Must not be used for spec
//! files: there the spec decides each scalar's type (see `node.rs`), and
//! `yes` or `0755` in a spec must never turn into something else here.
//!
//! Plain scalars: `true`/`True`/`TRUE` and the `false` spellings are booleans;
//! decimal, `0o` octal and `0x` hexadecimal integers are numbers; decimal
//! floats are numbers; everything else, and every quoted or block scalar, is a
//! string. `.inf` and `.nan` have no JSON form and stay strings, as do integers
//! too large for 64 bits (no Kubernetes field holds one).

use serde_json::{Map, Number, Value as Json};

use super::{Node, Value};

/// The JSON value of a parsed YAML document or subtree.
pub fn to_json(node: &Node) -> Json {
    match &node.value {
        Value::Null => Json::Null,
        Value::Scalar(scalar) if scalar.quoted => Json::String(scalar.text.clone()),
        Value::Scalar(scalar) => plain(&scalar.text),
        Value::Seq(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(map) => Json::Object(
            map.entries
                .iter()
                .map(|(key, entry)| (key.clone(), to_json(&entry.value)))
                .collect::<Map<String, Json>>(),
        ),
    }
}

/// A plain scalar under the core schema (nulls are already `Value::Null`).
pub(super) fn plain(text: &str) -> Json {
    match text {
        "true" | "True" | "TRUE" => return Json::Bool(true),
        "false" | "False" | "FALSE" => return Json::Bool(false),
        _ => {}
    }
    integer(text)
        .or_else(|| float(text))
        .unwrap_or_else(|| Json::String(text.to_owned()))
}

/// `[-+]?[0-9]+`, `0o[0-7]+` or `0x[0-9a-fA-F]+`: its number, or its text
/// when it does not fit 64 bits (rather than a float that would lose digits).
fn integer(text: &str) -> Option<Json> {
    let (radix, digits, negative) = if let Some(octal) = text.strip_prefix("0o") {
        (8, octal, false)
    } else if let Some(hex) = text.strip_prefix("0x") {
        (16, hex, false)
    } else {
        let (negative, digits) = match text.as_bytes().first() {
            Some(b'-') => (true, &text[1..]),
            Some(b'+') => (false, &text[1..]),
            _ => (false, text),
        };
        (10, digits, negative)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let too_large = || Json::String(text.to_owned());
    let Ok(magnitude) = u64::from_str_radix(digits, radix) else {
        return Some(too_large());
    };
    if !negative {
        return Some(Json::Number(Number::from(magnitude)));
    }
    // `-0` is 0, which serde_json keeps as a non-negative integer.
    Some(
        0i64.checked_sub_unsigned(magnitude)
            .map_or_else(too_large, |value| Json::Number(Number::from(value))),
    )
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
fn float(text: &str) -> Option<Json> {
    let bytes = text.as_bytes();
    let mut i = usize::from(matches!(bytes.first(), Some(b'-' | b'+')));
    let digits = |i: &mut usize| {
        let start = *i;
        while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let whole = digits(&mut i);
    let fraction = if bytes.get(i) == Some(&b'.') {
        i += 1;
        Some(digits(&mut i))
    } else {
        None
    };
    if whole == 0 && fraction.unwrap_or(0) == 0 {
        return None;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return None;
        }
    }
    if i != bytes.len() {
        return None;
    }
    let value: f64 = text.parse().ok()?;
    Number::from_f64(value).map(Json::Number)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::source::FileId;
    use crate::yaml::{Limits, parse};

    #[track_caller]
    fn case(yaml: &str, expected: Json) {
        let node = parse(FileId(0), yaml, &Limits::default()).expect("valid YAML");
        assert_eq!(to_json(&node), expected, "{yaml:?}");
    }

    #[test]
    fn plain_scalars_follow_the_yaml_1_2_core_schema() {
        case("a: true", json!({"a": true}));
        case("a: False", json!({"a": false}));
        case("a: TRUE", json!({"a": true}));
        case("a: 8080", json!({"a": 8080}));
        case("a: -12", json!({"a": -12}));
        case("a: +12", json!({"a": 12}));
        case("a: -0", json!({"a": 0}));
        case("a: 0o17", json!({"a": 15}));
        case("a: 0x1F", json!({"a": 31}));
        case("a: 1.5", json!({"a": 1.5}));
        case("a: .5", json!({"a": 0.5}));
        case("a: 1.", json!({"a": 1.0}));
        case("a: 1.0e+300", json!({"a": 1.0e300}));
        case("a: 1e3", json!({"a": 1000.0}));
        case("a: ~", json!({"a": null}));
        case("a:", json!({"a": null}));
        case("a: null", json!({"a": null}));
    }

    #[test]
    fn yaml_1_1_words_and_other_text_stay_strings() {
        for text in [
            "yes", "no", "on", "off", "y", "0b101", "1_000", "12:30:45", "0755x", "1e", ".", "+",
            "-x", ".inf", ".nan", "100m", "1Gi", "v1", "0x", "0o8",
        ] {
            case(&format!("a: {text}"), json!({ "a": text }));
        }
        // Too large for 64 bits.
        case(
            "a: 123456789012345678901234567890",
            json!({"a": "123456789012345678901234567890"}),
        );
    }

    #[test]
    fn quoted_and_block_scalars_are_strings() {
        case("a: \"8080\"", json!({"a": "8080"}));
        case("a: 'true'", json!({"a": "true"}));
        case("a: \"null\"", json!({"a": "null"}));
        case("a: |\n  1\n", json!({"a": "1\n"}));
    }

    #[test]
    fn collections_keep_their_shape() {
        case(
            "a:\n  - 1\n  - b: [x, 2]\nc: {}\nd: []\n",
            json!({"a": [1, {"b": ["x", 2]}], "c": {}, "d": []}),
        );
    }

    #[test]
    fn reads_back_what_the_emitter_writes() {
        let value = json!({
            "s": ["on", "0755", "1_000", "12:30:45", "", " x", "a\nb\n", "true", "1e3"],
            "n": [0, -1, 1.5, 1.0e300, u64::MAX, i64::MIN],
            "b": [true, false, null],
            "m": {"k": {}, "l": []},
        });
        let text = crate::yaml::write::to_yaml(&value);
        case(&text, value);
    }
}
