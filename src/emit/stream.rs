//! One multi-document YAML stream of every object, in apply order.

use std::borrow::Cow;
use std::io::{self, IoSlice, Write};

use crate::object::Manifest;

pub fn stream(manifests: &[Manifest]) -> String {
    // Objects average a little over 1 KiB of YAML; reserving generously costs
    // only address space, while growing the buffer copies everything written.
    let mut out = String::with_capacity(manifests.len() * 2_048);
    for manifest in manifests {
        out.push_str("---\n");
        manifest.write_yaml(&mut out);
    }
    out
}

/// Writes the stream to `out` one run of documents at a time, so the whole
/// text is never held in memory at once. A frozen object's text goes to `out`
/// as it is held: each run is one vectored write of the separators and texts
/// side by side, so a large render's text is not first copied into a buffer
/// (at 10,000 services that copy was 213 MB). A writer that cannot write
/// vectored gets the slices one by one, as `write_all` would.
pub fn write_stream(manifests: &[Manifest], out: &mut impl Write) -> io::Result<()> {
    let mut pieces: Vec<Cow<'_, str>> = Vec::new();
    for run in manifests.chunks(DOCUMENTS_AT_ONCE) {
        pieces.clear();
        for manifest in run {
            pieces.push(Cow::Borrowed(SEPARATOR));
            manifest.for_each_piece(|piece| pieces.push(piece));
        }
        // No slice is empty, so a write that takes nothing is a writer that
        // can take no more.
        let mut slices: Vec<IoSlice<'_>> = pieces
            .iter()
            .filter(|piece| !piece.is_empty())
            .map(|piece| IoSlice::new(piece.as_bytes()))
            .collect();
        write_all_vectored(out, &mut slices)?;
    }
    Ok(())
}

/// What starts every document of the stream.
const SEPARATOR: &str = "---\n";

/// Documents per vectored write: two slices each for most, within the 1,024
/// slices Linux takes in one `writev` (`IOV_MAX`); a text held in pieces
/// (a dashboard: about 80) takes more writes, each of as many as fit.
const DOCUMENTS_AT_ONCE: usize = 512;

/// Writes every byte of `slices`, however few each write takes. No slice is
/// empty, so a write that takes nothing is a writer that can take no more.
fn write_all_vectored(out: &mut impl Write, mut slices: &mut [IoSlice<'_>]) -> io::Result<()> {
    while !slices.is_empty() {
        match out.write_vectored(slices) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(written) => IoSlice::advance_slices(&mut slices, written),
            Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    Ok(())
}

/// The objects as one JSON `List` (`apiVersion: v1`, `kind: List`), in apply
/// order, pretty-printed with a final newline: what `kubectl get -o json`
/// prints for several objects, for tools that read JSON.
pub fn json_list(manifests: &[Manifest]) -> String {
    let items: Vec<serde_json::Value> = manifests
        .iter()
        .map(|manifest| manifest.tree().into_owned())
        .collect();
    let list = serde_json::json!({
        "apiVersion": "v1",
        "kind": "List",
        "items": items,
    });
    let mut text = serde_json::to_string_pretty(&list).expect("objects serialize");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::object::{BlockPattern, PLACEHOLDER, Pattern};
    use crate::source::Span;
    use serde_json::json;

    fn config_map(name: &str, frozen: bool) -> Manifest {
        let value = json!({
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": "shop"},
            "data": {"greeting": "hello: world", "lines": "one\ntwo\n"},
        });
        let mut manifest = Manifest::from_value(value, Span::default()).expect("identified");
        if frozen {
            manifest.freeze();
        }
        manifest
    }

    /// A block of many lines, each naming the object: a text in many more
    /// pieces than one vectored write takes.
    static BLOCK: std::sync::LazyLock<BlockPattern> = std::sync::LazyLock::new(|| {
        let lines = "    line @0\n".repeat(1_500);
        BlockPattern {
            column: 4,
            lines: Pattern::split(&lines, "@", &['0']).expect("one hole"),
        }
    });

    /// A frozen ConfigMap whose block is held in pieces.
    fn spliced_config_map(name: &str) -> Manifest {
        let value = json!({
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": "shop"},
            "data": {"lines": PLACEHOLDER},
        });
        let mut manifest = Manifest::from_value(value, Span::default()).expect("identified");
        manifest.freeze();
        assert!(manifest.splice(&BLOCK, &[name]));
        assert_eq!(manifest.frozen_text(), None);
        manifest
    }

    #[test]
    fn the_written_stream_is_the_stream_for_frozen_objects_and_trees() {
        let manifests = [
            config_map("a", true),
            config_map("b", false),
            spliced_config_map("s"),
            config_map("c", true),
        ];
        let mut written = Vec::new();
        write_stream(&manifests, &mut written).expect("written to memory");
        let written = String::from_utf8(written).expect("UTF-8");
        assert_eq!(written, stream(&manifests));
        assert_eq!(written.matches("---\n").count(), 4);
        assert!(written.starts_with("---\napiVersion: v1\n"), "{written}");
        assert!(
            written.contains("data:\n  lines: |\n    line s\n    line s\n"),
            "{written}"
        );
        assert_eq!(written.matches("    line s\n").count(), 1_500);
    }

    /// A writer that takes a few bytes per call, across slice boundaries,
    /// and is interrupted every other call: a pipe under a signal.
    struct Trickle {
        written: Vec<u8>,
        calls: usize,
    }

    impl std::io::Write for Trickle {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.write_vectored(&[IoSlice::new(buf)])
        }

        fn write_vectored(&mut self, slices: &[IoSlice<'_>]) -> std::io::Result<usize> {
            self.calls += 1;
            if self.calls.is_multiple_of(2) {
                return Err(std::io::ErrorKind::Interrupted.into());
            }
            let mut taken = 0;
            for slice in slices {
                let room = 7 - taken;
                let part = &slice[..slice.len().min(room)];
                self.written.extend_from_slice(part);
                taken += part.len();
                if taken == 7 {
                    break;
                }
            }
            Ok(taken)
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn partial_and_interrupted_writes_still_write_the_whole_stream() {
        // More objects than one vectored write takes, so runs follow runs.
        // Some held in pieces, of more slices than one write takes.
        let manifests: Vec<Manifest> = (0..DOCUMENTS_AT_ONCE + 3)
            .map(|index| match index % 100 {
                7 => spliced_config_map(&format!("s{index}")),
                _ => config_map(&format!("c{index}"), !index.is_multiple_of(3)),
            })
            .collect();
        let mut trickle = Trickle {
            written: Vec::new(),
            calls: 0,
        };
        write_stream(&manifests, &mut trickle).expect("written");
        assert_eq!(
            String::from_utf8(trickle.written).expect("UTF-8"),
            stream(&manifests)
        );
    }

    #[test]
    fn a_writer_that_takes_nothing_is_an_error_not_a_loop() {
        struct Full;
        impl std::io::Write for Full {
            fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
                Ok(0)
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let error = write_stream(&[config_map("a", true)], &mut Full).expect_err("nothing written");
        assert_eq!(error.kind(), std::io::ErrorKind::WriteZero);
    }
}
