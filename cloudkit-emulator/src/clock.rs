//! The emulator's one clock. Record stamps, upload URL expiry and signature dates all read
//! the time here, so that a test can pin it in one place.

use std::time::SystemTime;

use cloudkit_wire::Timestamp;

/// The time source: the system clock, or a fixed instant (replaying captured signed requests).
#[derive(Debug, Clone, Copy, Default)]
pub struct Clock {
    fixed: Option<SystemTime>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock { fixed: None }
    }

    /// A clock reading `at` if given, else the system clock.
    pub fn fixed_or_system(at: Option<SystemTime>) -> Clock {
        Clock { fixed: at }
    }

    /// The current time.
    pub fn now(&self) -> SystemTime {
        self.fixed.unwrap_or_else(SystemTime::now)
    }

    /// The current time in milliseconds since the Unix epoch, as records and uploads store it.
    pub fn now_ms(&self) -> i64 {
        Timestamp::from(self.now()).as_millis()
    }
}
