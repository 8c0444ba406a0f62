//! `LabelIndex`: labelled things of a render (pods, Services) indexed by
//! namespace and by (namespace, label, value), so a selector is matched only
//! against the things that carry the rarest of its labels. Every pod of a
//! platform shares `app.kubernetes.io/instance`; `app.kubernetes.io/name`
//! picks one workload: resolving every selector of a 10,000-service render
//! stays linear instead of comparing each selector with every pod of its
//! namespace.

use std::collections::BTreeMap;

use super::label_selector::LabelSelector;

#[derive(Debug)]
pub(super) struct LabelIndex<T> {
    items: Vec<(BTreeMap<String, String>, T)>,
    by_namespace: BTreeMap<String, Vec<usize>>,
    /// Namespace, then label, then value: looked up by `&str` at each
    /// level, so a selector is matched without building a key of three
    /// strings, and comparing at each level only what differs there.
    by_label: BTreeMap<String, BTreeMap<String, BTreeMap<String, Vec<usize>>>>,
}

impl<T> Default for LabelIndex<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            by_namespace: BTreeMap::new(),
            by_label: BTreeMap::new(),
        }
    }
}

impl<T> LabelIndex<T> {
    pub(super) fn add(&mut self, namespace: &str, labels: BTreeMap<String, String>, item: T) {
        let index = self.items.len();
        let in_namespace = entry(&mut self.by_label, namespace);
        for (key, value) in &labels {
            entry(entry(in_namespace, key), value).push(index);
        }
        entry(&mut self.by_namespace, namespace).push(index);
        self.items.push((labels, item));
    }

    /// The items of `namespace` that `selector` selects.
    pub(super) fn selected<'a>(
        &'a self,
        namespace: &str,
        selector: &'a LabelSelector,
    ) -> impl Iterator<Item = &'a T> + 'a {
        let candidates = if selector.labels().next().is_some() {
            let in_namespace = self.by_label.get(namespace);
            selector
                .labels()
                .map(|(key, value)| {
                    in_namespace
                        .and_then(|labels| labels.get(key))
                        .and_then(|values| values.get(value))
                })
                .min_by_key(|items| items.map_or(0, Vec::len))
                .flatten()
        } else {
            self.by_namespace.get(namespace)
        };
        candidates
            .into_iter()
            .flatten()
            .map(|&index| &self.items[index])
            .filter(move |(labels, _)| selector.matches(labels))
            .map(|(_, item)| item)
    }
}

/// The value of `map` at `key`, inserted empty when missing; the key is
/// copied only then.
fn entry<'m, V: Default>(map: &'m mut BTreeMap<String, V>, key: &str) -> &'m mut V {
    if !map.contains_key(key) {
        map.insert(key.to_owned(), V::default());
    }
    map.get_mut(key).expect("inserted above")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::validate::label_selector::labels;

    #[test]
    fn a_selector_finds_what_matches_whichever_label_is_rarest() {
        let mut index = LabelIndex::default();
        for name in ["web", "api", "db"] {
            index.add(
                "shop",
                labels(&json!({"instance": "shop", "name": name})),
                name,
            );
        }
        index.add(
            "other",
            labels(&json!({"instance": "shop", "name": "web"})),
            "other-web",
        );
        let select = |selector: serde_json::Value| {
            let selector = LabelSelector::from_label_selector(&selector);
            index
                .selected("shop", &selector)
                .copied()
                .collect::<Vec<_>>()
        };
        assert_eq!(
            select(json!({"matchLabels": {"instance": "shop", "name": "api"}})),
            ["api"]
        );
        assert_eq!(
            select(json!({"matchLabels": {"instance": "shop"}})),
            ["web", "api", "db"]
        );
        assert_eq!(
            select(json!({"matchLabels": {"instance": "shop", "name": "x"}})),
            Vec::<&str>::new()
        );
        assert_eq!(
            select(
                json!({"matchExpressions": [{"key": "name", "operator": "NotIn", "values": ["web"]}]})
            ),
            ["api", "db"]
        );
    }
}
