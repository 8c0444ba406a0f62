//! Scanning a large YAML file on a second thread while this one builds its
//! tree: the scanner and the tree builder each take about half of parsing, so
//! a 10 MB spec parses in little more than the scanner's time.
//!
//! The events reach the builder in the order the scanner made them, in
//! batches, and the builder is the same one that reads them straight from
//! the scanner for small files: the tree and the first error found are the
//! same either way. A file must be large enough for the overlap to pay for
//! starting a thread ([`READ_AHEAD_MIN_BYTES`]).

use std::collections::VecDeque;
use std::sync::mpsc::{self, Receiver, Sender};

use saphyr_parser::{Event, Parser, ScanError, Span as YamlSpan};

/// What the scanner gives for each event: the event and where it stands, or
/// the syntax error that ends scanning.
pub(super) type Scanned<'input> = Result<(Event<'input>, YamlSpan), ScanError>;

/// Files smaller than this are scanned on the building thread: starting a
/// thread costs tens of microseconds, what the scanner spends on a few
/// kilobytes.
pub(super) const READ_AHEAD_MIN_BYTES: usize = 256 * 1024;

/// Events per batch: enough that handing a batch over costs little next to
/// scanning it.
const EVENTS_PER_BATCH: usize = 2048;

/// Batches the scanner may be ahead of the builder: bounds the memory a
/// hostile file can hold in flight.
const BATCHES_AHEAD: usize = 8;

/// Runs `build` over the events of `body`, scanned on a second thread.
/// Scanning stops at the end of the stream, at its first error, or when
/// `build` stops reading, whichever comes first. When no thread can be
/// started, `build` reads the scanner on this thread.
pub(super) fn with_events_read_ahead<'input, R>(
    body: &'input str,
    build: impl FnOnce(&mut dyn Iterator<Item = Scanned<'input>>) -> R,
) -> R {
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::sync_channel::<Vec<Scanned<'input>>>(BATCHES_AHEAD);
        let (giving_back, given_back) = mpsc::channel::<Vec<Scanned<'input>>>();
        let scanner = std::thread::Builder::new().spawn_scoped(scope, move || {
            let mut parser = Parser::new_from_str(body);
            loop {
                // A batch the builder has emptied, so its memory stays with
                // the thread that allocated it.
                let mut batch = given_back
                    .try_recv()
                    .unwrap_or_else(|_| Vec::with_capacity(EVENTS_PER_BATCH));
                let mut last = false;
                while batch.len() < EVENTS_PER_BATCH {
                    match parser.next_event() {
                        Some(Ok(event)) => batch.push(Ok(event)),
                        Some(Err(error)) => {
                            batch.push(Err(error));
                            last = true;
                            break;
                        }
                        None => {
                            last = true;
                            break;
                        }
                    }
                }
                // The builder has stopped reading: nothing more to scan.
                if sender.send(batch).is_err() || last {
                    return;
                }
            }
        });
        if scanner.is_err() {
            return build(&mut Parser::new_from_str(body));
        }
        let mut events = Batches {
            receiver,
            giving_back,
            current: VecDeque::new(),
        };
        let built = build(&mut events);
        // Before the scope waits for the scanner: a scanner still running
        // then sees the builder gone and stops.
        drop(events);
        built
    })
}

/// The batches as one stream of events.
struct Batches<'input> {
    receiver: Receiver<Vec<Scanned<'input>>>,
    giving_back: Sender<Vec<Scanned<'input>>>,
    current: VecDeque<Scanned<'input>>,
}

impl<'input> Iterator for Batches<'input> {
    type Item = Scanned<'input>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(event) = self.current.pop_front() {
                return Some(event);
            }
            let next = self.receiver.recv().ok()?;
            let emptied = std::mem::replace(&mut self.current, VecDeque::from(next));
            // The scanner may have finished: then the batch is freed here.
            if emptied.capacity() > 0 {
                let _ = self.giving_back.send(Vec::from(emptied));
            }
        }
    }
}
