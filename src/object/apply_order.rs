//! Sorting many objects into apply order ([`Manifest::sort_key`]).
//!
//! Comparing two objects' sort keys reads their namespaces and names from
//! wherever each was allocated, and sorting the objects themselves moves a
//! couple of hundred bytes at every step: a 10,000-service render sorts
//! 95,000 objects, on one thread, after both have lowered theirs. So the
//! sort runs on small keys held side by side instead. Each key holds the
//! kind's rank, the unregistered kind, the namespace and the group as their
//! places among the distinct values the objects hold, the name's first
//! sixteen bytes as two numbers (strings compare byte by byte, so the
//! numbers compare as the bytes do) and the name itself for a tie there,
//! then the object's position. Keys are then all distinct, so an unstable
//! sort of them gives the order a stable sort of the objects gives; the
//! objects are moved into that order once, along the cycles of the
//! permutation.

use std::collections::BTreeMap;

use super::Manifest;

/// One object's place in apply order; compared field by field, in the
/// order of [`Manifest::sort_key`].
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Key<'a> {
    rank: usize,
    kind: u32,
    namespace: u32,
    name_head: (u64, u64),
    name: &'a str,
    group: u32,
    position: u32,
}

/// Below this many objects, comparing sort keys directly costs less than
/// building the small keys (three maps of distinct strings, a vector of
/// keys, a permutation): a workload's part in `check`, most overlays.
const KEYED_FROM: usize = 64;

/// Sorts `items` by the apply order of the object each holds, keeping the
/// order of items with equal sort keys (only duplicates, which lowering
/// reports).
pub fn sort_in_apply_order<T>(items: &mut [T], manifest: impl Fn(&T) -> &Manifest) {
    // The keys number objects and distinct strings in 32 bits: far more
    // objects than any render holds, but not beyond what a slice can.
    if items.len() < KEYED_FROM || u32::try_from(items.len()).is_err() {
        items.sort_by(|a, b| manifest(a).sort_key().cmp(&manifest(b).sort_key()));
        return;
    }
    let order = positions(sorted_keys(items.iter().map(&manifest)));
    permute(items, order);
}

/// [`sort_in_apply_order`], and then where equal sort keys meet: each `i`
/// whose object has the sort key of the object after it, in increasing
/// order. Equal sort keys are one identity generated twice, which lowering
/// reports; the sort's own keys tell them apart without reading every
/// object's namespace and name again, each a read of memory the sort has
/// long left.
pub fn sort_in_apply_order_finding_ties(objects: &mut [Manifest]) -> Vec<usize> {
    if objects.len() < KEYED_FROM || u32::try_from(objects.len()).is_err() {
        sort_in_apply_order(objects, |manifest| manifest);
        return (1..objects.len())
            .filter(|&at| objects[at - 1].sort_key() == objects[at].sort_key())
            .map(|at| at - 1)
            .collect();
    }
    let keys = sorted_keys(objects.iter());
    // Read from the keys: their names borrow the objects, which then move.
    let ties = keys
        .windows(2)
        .enumerate()
        .filter(|(_, pair)| pair[0].same_object_as(&pair[1]))
        .map(|(at, _)| at)
        .collect();
    permute(objects, positions(keys));
    ties
}

/// The positions of sorted keys' objects, in the keys' order.
fn positions(keys: Vec<Key<'_>>) -> Vec<usize> {
    keys.into_iter().map(|key| key.position as usize).collect()
}

/// The keys of `objects`, in apply order.
fn sorted_keys<'a>(objects: impl ExactSizeIterator<Item = &'a Manifest>) -> Vec<Key<'a>> {
    let mut kinds = Places::default();
    let mut namespaces = Places::default();
    let mut groups = Places::default();
    let mut keys: Vec<Key<'a>> = Vec::with_capacity(objects.len());
    for (position, object) in (0u32..).zip(objects) {
        let (rank, kind, namespace, name, group) = object.sort_key();
        keys.push(Key {
            rank,
            kind: kinds.first_seen(kind),
            namespace: namespaces.first_seen(namespace),
            name_head: head(name),
            name,
            group: groups.first_seen(group),
            position,
        });
    }
    let (kinds, namespaces, groups) = (kinds.places(), namespaces.places(), groups.places());
    for key in &mut keys {
        key.kind = kinds[key.kind as usize];
        key.namespace = namespaces[key.namespace as usize];
        key.group = groups[key.group as usize];
    }
    keys.sort_unstable();
    keys
}

impl Key<'_> {
    /// Whether two keys are of objects with one sort key: every field but
    /// the position. The name is read only where the heads tie.
    fn same_object_as(&self, other: &Self) -> bool {
        (
            self.rank,
            self.kind,
            self.namespace,
            self.name_head,
            self.group,
        ) == (
            other.rank,
            other.kind,
            other.namespace,
            other.name_head,
            other.group,
        ) && self.name == other.name
    }
}

/// The first sixteen bytes of `text`, padded with zeros, as two big-endian
/// numbers: of two strings whose heads differ, the one with the smaller
/// head sorts first. A zero of padding stands where the shorter string
/// ended, and a string that ends where another goes on sorts first too; a
/// zero byte of the text itself can only tie with padding, and a tie is
/// settled by the whole strings.
fn head(text: &str) -> (u64, u64) {
    let mut bytes = [0u8; 16];
    let taken = text.len().min(16);
    bytes[..taken].copy_from_slice(&text.as_bytes()[..taken]);
    let (high, low) = bytes.split_at(8);
    let number = |half: &[u8]| u64::from_be_bytes(half.try_into().expect("eight bytes"));
    (number(high), number(low))
}

/// Distinct strings, numbered first as they are first seen, then by their
/// place in sorted order.
#[derive(Default)]
struct Places<'a> {
    numbers: BTreeMap<&'a str, u32>,
    /// Neighbouring objects mostly share their namespace (a workload's
    /// objects come together), so the last string is checked first.
    last: Option<(&'a str, u32)>,
}

impl<'a> Places<'a> {
    fn first_seen(&mut self, text: &'a str) -> u32 {
        if let Some((last, number)) = self.last
            && last == text
        {
            return number;
        }
        // No more distinct strings than objects, which fit in 32 bits.
        let next = u32::try_from(self.numbers.len()).unwrap_or(u32::MAX);
        let number = *self.numbers.entry(text).or_insert(next);
        self.last = Some((text, number));
        number
    }

    /// For each first-seen number, the string's place in sorted order.
    fn places(&self) -> Vec<u32> {
        let mut places = vec![0; self.numbers.len()];
        for (place, number) in (0u32..).zip(self.numbers.values()) {
            places[*number as usize] = place;
        }
        places
    }
}

/// Moves `items[order[i]]` to `i`, for every `i`, along the permutation's
/// cycles: each item moves once into its place, with no second buffer.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    const DONE: usize = usize::MAX;
    for start in 0..items.len() {
        let mut at = start;
        loop {
            let from = std::mem::replace(&mut order[at], DONE);
            if from == DONE || from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;
    use crate::testing::Random;

    fn object(api_version: &str, kind: &str, namespace: Option<&str>, name: &str) -> Manifest {
        let mut metadata = serde_json::json!({ "name": name });
        if let Some(namespace) = namespace {
            metadata["namespace"] = namespace.into();
        }
        Manifest::from_value(
            serde_json::json!({
                "apiVersion": api_version,
                "kind": kind,
                "metadata": metadata,
            }),
            Span::default(),
        )
        .expect("identity")
    }

    /// What the sort must give: a stable sort by the sort key.
    fn expected(objects: &[(Manifest, usize)]) -> Vec<usize> {
        let mut sorted: Vec<&(Manifest, usize)> = objects.iter().collect();
        sorted.sort_by(|(a, _), (b, _)| a.sort_key().cmp(&b.sort_key()));
        sorted.into_iter().map(|(_, tag)| *tag).collect()
    }

    #[test]
    fn gives_the_stable_sort_by_sort_key() {
        let kinds = [
            ("v1", "ConfigMap"),
            ("v1", "Service"),
            ("apps/v1", "Deployment"),
            ("v1", "Namespace"),
            ("example.com/v1", "Widget"),
            ("other.example.com/v1", "Widget"),
            ("example.com/v1", "Gadget"),
        ];
        let namespaces = [None, Some(""), Some("a"), Some("b"), Some("a-b")];
        // Names that differ only past sixteen bytes, that are prefixes of
        // one another, that hold bytes above ASCII, and a NUL that ties
        // with the padding of a shorter name.
        let names = [
            "x",
            "xy",
            "x-y",
            "a-rather-long-name-0001",
            "a-rather-long-name-0002",
            "a-rather-long-na",
            "a-rather-long-nam",
            "ab\u{0}c",
            "ab",
            "é",
            "z",
        ];
        let mut random = Random::new(13);
        let mut ties_seen = 0;
        for round in 0..200 {
            // Below and above the size from which keys are built.
            let count = if round == 0 {
                0
            } else {
                random.below(3 * KEYED_FROM) + 1
            };
            let objects: Vec<(Manifest, usize)> = (0..count)
                .map(|tag| {
                    let (api_version, kind) = kinds[random.below(kinds.len())];
                    let namespace = namespaces[random.below(namespaces.len())];
                    let name = names[random.below(names.len())];
                    (object(api_version, kind, namespace, name), tag)
                })
                .collect();
            let want = expected(&objects);
            let mut only_objects: Vec<Manifest> = objects.iter().map(|(m, _)| m.clone()).collect();
            let mut sorted = objects;
            sort_in_apply_order(&mut sorted, |(manifest, _)| manifest);
            let got: Vec<usize> = sorted.iter().map(|(_, tag)| *tag).collect();
            assert_eq!(got, want, "round {round}");
            // The same order, and the ties of adjacent equal sort keys.
            let ties = sort_in_apply_order_finding_ties(&mut only_objects);
            let want_ties: Vec<usize> = (1..sorted.len())
                .filter(|&at| sorted[at - 1].0.sort_key() == sorted[at].0.sort_key())
                .map(|at| at - 1)
                .collect();
            assert!(
                only_objects
                    .iter()
                    .zip(&sorted)
                    .all(|(a, (b, _))| a.same_object(b) && a.key == b.key),
                "round {round}"
            );
            assert_eq!(ties, want_ties, "round {round}");
            ties_seen += ties.len();
        }
        // Few kinds, namespaces and names: many objects share a sort key.
        assert!(ties_seen > 1_000, "{ties_seen} ties");
    }

    #[test]
    fn heads_compare_as_the_strings_they_begin() {
        let texts = [
            "",
            "a",
            "a\u{0}",
            "ab",
            "abc",
            "b",
            "0123456789abcdef",
            "0123456789abcdeg",
            "0123456789abcdef0",
            "ÿ",
        ];
        for a in texts {
            for b in texts {
                let by_head = head(a).cmp(&head(b));
                if by_head.is_ne() {
                    assert_eq!(by_head, a.cmp(b), "{a:?} against {b:?}");
                }
            }
        }
    }

    #[test]
    fn permuting_follows_every_cycle() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e', 'f'];
        // Position i takes the item at order[i]: the cycles 0←2←4←0 and
        // 1←5←3←1, and then a fixed point at 6.
        items.push('g');
        permute(&mut items, vec![2, 5, 4, 1, 0, 3, 6]);
        assert_eq!(items, vec!['c', 'f', 'e', 'b', 'a', 'd', 'g']);
    }
}
