//! Following an opaque cursor (query `continuationMarker`, change feed `syncToken`) safely:
//! the one page loop behind the query stream and both change feeds.

use futures_core::Stream;
use futures_util::stream;

use super::error::Error;

/// One page of a cursor feed, as the feed's fetch reports it.
pub(crate) struct Step<P> {
    /// What the stream yields.
    pub(crate) page: P,
    /// The cursor the server handed out with this page.
    pub(crate) next: Option<String>,
    /// Whether the server says another page follows.
    pub(crate) more: bool,
    /// Items the page held (empty pages count towards a stall).
    pub(crate) items: usize,
}

/// Pages from `start` on: `fetch(cursor)` gets the page after `cursor`. Ends after a page that
/// says no more follow; a page that says more follow but hands out no cursor, the cursor just
/// sent, or too many empty pages in a row ends it with [`Error::ContinuationStalled`] (see
/// [`ContinuationGuard`]).
pub(crate) fn follow<P, F, Fut>(
    endpoint: &'static str,
    start: Option<String>,
    fetch: F,
) -> impl Stream<Item = Result<P, Error>> + Send + 'static
where
    P: Send + 'static,
    F: FnMut(Option<String>) -> Fut + Send + 'static,
    Fut: Future<Output = Result<Step<P>, Error>> + Send,
{
    struct State<F> {
        fetch: F,
        cursor: Option<String>,
        guard: ContinuationGuard,
        done: bool,
    }
    let state = State {
        fetch,
        cursor: start,
        guard: ContinuationGuard::default(),
        done: false,
    };
    stream::try_unfold(state, move |mut state| async move {
        if state.done {
            return Ok(None);
        }
        let step = (state.fetch)(state.cursor.clone()).await?;
        if step.more {
            let advances = step.next.as_deref().is_some_and(|next| {
                state
                    .guard
                    .advances(state.cursor.as_deref(), next, step.items)
            });
            if !advances {
                return Err(Error::ContinuationStalled { endpoint });
            }
            state.cursor = step.next;
        } else {
            state.done = true;
        }
        Ok(Some((step.page, state)))
    })
}

/// Refuses to follow a cursor that does not advance.
///
/// A server bug (or a proxy replaying a cached answer) that hands back the same cursor would
/// otherwise make a stream loop forever. We stop when the cursor equals the one just sent, or
/// when too many pages in a row bring nothing new.
#[derive(Debug, Default)]
pub(crate) struct ContinuationGuard {
    empty_pages_in_a_row: u32,
}

/// Pages in a row with a new cursor but no items before we call it a stall.
const MAX_EMPTY_PAGES: u32 = 64;

impl ContinuationGuard {
    /// `sent` is the cursor the page was requested with, `received` the one the page carried,
    /// `items` how many items it held. Returns `false` when following `received` is unsafe.
    pub(crate) fn advances(&mut self, sent: Option<&str>, received: &str, items: usize) -> bool {
        if sent == Some(received) && items == 0 {
            return false;
        }
        if sent == Some(received) {
            // Same cursor but items came back: the next page would repeat them.
            return false;
        }
        if items == 0 {
            self.empty_pages_in_a_row += 1;
            return self.empty_pages_in_a_row < MAX_EMPTY_PAGES;
        }
        self.empty_pages_in_a_row = 0;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_cursor_is_refused() {
        let mut guard = ContinuationGuard::default();
        assert!(guard.advances(None, "a", 10));
        assert!(guard.advances(Some("a"), "b", 10));
        assert!(!guard.advances(Some("b"), "b", 10));
        assert!(!guard.advances(Some("b"), "b", 0));
    }

    #[test]
    fn endless_empty_pages_are_refused() {
        let mut guard = ContinuationGuard::default();
        let mut allowed = 0;
        for i in 0..100 {
            if !guard.advances(Some(&format!("m{i}")), &format!("m{}", i + 1), 0) {
                break;
            }
            allowed += 1;
        }
        assert_eq!(allowed, MAX_EMPTY_PAGES - 1);
    }
}
