//! Reading a field of an object tree by its keys. `Value::pointer` parses
//! its JSON pointer and unescapes every segment into a new string on each
//! call; `check` reads a few fields of every object of a render, so the keys
//! are given as they are.

use serde_json::Value;

/// The value at `keys` under `object`: `at(pod, &["metadata", "labels"])`.
pub fn at<'a>(object: &'a Value, keys: &[&str]) -> Option<&'a Value> {
    keys.iter().try_fold(object, |node, key| node.get(*key))
}

/// The annotation `name` of an object, when it is a string.
pub fn annotation<'a>(object: &'a Value, name: &str) -> Option<&'a str> {
    at(object, &["metadata", "annotations", name]).and_then(Value::as_str)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn keys_are_read_as_written() {
        let object = json!({"metadata": {"annotations": {"a.io/b": "x", "n": 1}}});
        assert_eq!(super::annotation(&object, "a.io/b"), Some("x"));
        assert_eq!(super::annotation(&object, "n"), None);
        assert_eq!(super::annotation(&object, "missing"), None);
        assert_eq!(
            super::at(&object, &["metadata", "annotations", "n"]),
            Some(&json!(1))
        );
        assert_eq!(super::at(&object, &["spec", "x"]), None);
        assert_eq!(super::at(&object, &[]), Some(&object));
    }
}
