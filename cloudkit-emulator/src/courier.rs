//! The wake-up signal between writes and held web courier polls.

/// Wakes held web courier polls: after writes (a notification may be queued) and at shutdown
/// (held polls answer at once so that graceful shutdown does not wait out their hold time).
#[derive(Debug, Default)]
pub struct Courier {
    wake: tokio::sync::Notify,
    closing: std::sync::atomic::AtomicBool,
}

impl Courier {
    /// Wakes every held poll to look at its queue again.
    pub fn wake(&self) {
        self.wake.notify_waiters();
    }

    /// A wake-up to wait for; create it before looking at the queue, so that a notification
    /// queued in between still wakes the poll.
    pub fn notified(&self) -> tokio::sync::futures::Notified<'_> {
        self.wake.notified()
    }

    /// Ends every held poll and makes later ones answer at once.
    pub fn close(&self) {
        self.closing
            .store(true, std::sync::atomic::Ordering::SeqCst);
        self.wake.notify_waiters();
    }

    /// Whether [`Courier::close`] was called: polls answer at once.
    pub fn is_closing(&self) -> bool {
        self.closing.load(std::sync::atomic::Ordering::SeqCst)
    }
}
