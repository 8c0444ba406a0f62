//! The check shared by every data service whose members elect a leader or
//! commit by majority (a MongoDB replica set, a RabbitMQ cluster): an even
//! number of voters is never better than one fewer.

use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;

use super::Context;

/// A group of voters, for messages.
pub(crate) struct Voters<'a> {
    /// The group: `a MongoDB replica set`.
    pub group: &'a str,
    /// One voter: `member`, `node`.
    pub voter: &'a str,
    /// Why two voters are worse than one, in this software's terms.
    pub two_voters: &'a str,
    /// Appended to the help, such as ` (or 1 in development)`.
    pub help_suffix: &'a str,
}

/// Reports `count` voters at `span` when it is even: with 2, losing either
/// leaves no majority (less available than 1); with 4, the group survives one
/// loss, as 3 do.
pub(crate) fn check_odd_voters(ctx: &mut Context<'_>, span: Span, count: u32, voters: &Voters<'_>) {
    if count == 0 || !count.is_multiple_of(2) {
        return;
    }
    let Voters {
        group,
        voter,
        two_voters,
        help_suffix,
    } = voters;
    let note = if count == 2 {
        (*two_voters).to_owned()
    } else {
        let tolerated = count / 2 - 1;
        format!(
            "{count} {voter}s survive the loss of {tolerated} {voter}{}, as {} {voter}s do",
            if tolerated == 1 { "" } else { "s" },
            count - 1
        )
    };
    ctx.report(
        Diagnostic::error(
            Code::InvalidValue,
            format!("{group} of {count} {voter}s has no majority after losing half of them"),
        )
        .at(span, format!("an even number of {voter}s"))
        .with_note(note)
        .with_help(format!("use an odd number: {}{help_suffix}", count + 1)),
    );
}
