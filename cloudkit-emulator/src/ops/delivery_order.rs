//! Notifications are delivered in the order of the writes that fired them.
//!
//! A write matches its records against subscriptions after its transaction, outside the store
//! lock, so two writes may finish matching in either order. Each write that may fire takes a
//! [`Ticket`] inside its transaction, where tickets follow commit order, and queues its
//! notifications only once every earlier ticket is done: a subscriber hears of changes in the
//! order they were made.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};

/// The tickets of writes whose notifications are still to be queued.
#[derive(Debug, Default)]
pub struct DeliveryOrder {
    next_ticket: AtomicU64,
    turn: Mutex<Turn>,
    turn_changed: Condvar,
}

#[derive(Debug, Default)]
struct Turn {
    /// The ticket whose notifications go next.
    next: u64,
    /// Later tickets already done (they had nothing to deliver, or their write failed).
    done_early: BTreeSet<u64>,
}

impl DeliveryOrder {
    /// The next ticket. Take it while the store lock is held, in the transaction of the write
    /// it stands for, so that tickets are numbered in commit order.
    pub fn ticket(&self) -> Ticket<'_> {
        Ticket {
            order: self,
            number: self.next_ticket.fetch_add(1, Ordering::SeqCst),
        }
    }

    fn turn(&self) -> MutexGuard<'_, Turn> {
        // `Turn` is two counters updated together; a panic elsewhere cannot leave it torn.
        self.turn.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn finish(&self, number: u64) {
        let mut guard = self.turn();
        let turn = &mut *guard;
        if turn.next != number {
            turn.done_early.insert(number);
            return;
        }
        turn.next += 1;
        while turn.done_early.remove(&turn.next) {
            turn.next += 1;
        }
        drop(guard);
        self.turn_changed.notify_all();
    }
}

/// One write's place in the delivery order. Dropping it unused (the write failed, or had
/// nothing to deliver) lets the later ones go.
#[derive(Debug)]
pub struct Ticket<'a> {
    order: &'a DeliveryOrder,
    number: u64,
}

impl Ticket<'_> {
    /// Waits until every earlier ticket is done, then runs `deliver`. Call with no lock held:
    /// an earlier write may need the store to deliver its own notifications.
    pub fn deliver<R>(self, deliver: impl FnOnce() -> R) -> R {
        let mut turn = self.order.turn();
        while turn.next != self.number {
            turn = self
                .order
                .turn_changed
                .wait(turn)
                .unwrap_or_else(|p| p.into_inner());
        }
        drop(turn);
        // The ticket is finished when dropped, after `deliver`, even if it panics.
        deliver()
    }
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        self.order.finish(self.number);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn delivers_in_ticket_order_whatever_order_the_writers_finish_in() {
        let order = Arc::new(DeliveryOrder::default());
        let delivered = Arc::new(Mutex::new(Vec::new()));
        let tickets: Vec<u64> = (0..8).collect();
        std::thread::scope(|s| {
            let mut taken: Vec<Ticket<'_>> = tickets.iter().map(|_| order.ticket()).collect();
            // Ticket 3's write failed: dropped unused, it must not hold up the rest.
            drop(taken.remove(3));
            // The writers finish matching last-first.
            for (i, ticket) in taken.into_iter().enumerate().rev() {
                let delivered = Arc::clone(&delivered);
                s.spawn(move || {
                    ticket.deliver(|| delivered.lock().unwrap_or_else(|p| p.into_inner()).push(i))
                });
            }
        });
        let got = delivered.lock().unwrap_or_else(|p| p.into_inner()).clone();
        assert_eq!(got, (0..7).collect::<Vec<_>>());
        // And a later ticket goes at once.
        assert_eq!(order.ticket().deliver(|| 42), 42);
    }
}
