//! When and how long to wait before sending a request again.

use std::time::{Duration, Instant};

/// Retry policy for transient failures: `TRY_AGAIN_LATER`, `THROTTLED`, `ZONE_BUSY`, HTTP 503
/// (JSON or not), timeouts and dropped connections.
///
/// Waits grow exponentially from `initial_backoff` up to `max_backoff`, with full jitter, and
/// never less than the server's `retryAfter`. Retrying stops after `max_attempts`, when the
/// next wait would end more than `max_elapsed` after the call began (one deadline for all the
/// requests of one call, see [`max_elapsed`](Self::max_elapsed)), or when the server asks
/// for a wait longer than `max_wait`; the error then says how long the server asked to wait
/// ([`Error::GaveUp`](super::Error::GaveUp)). On by default; [`RetryPolicy::none`] turns it off.
///
/// ```
/// use std::time::Duration;
/// use cloudkit_runtime::client::RetryPolicy;
///
/// // A batch job that may wait out long throttling, up to ten minutes in all.
/// let patient = RetryPolicy::default()
///     .with_max_elapsed(Duration::from_secs(600))
///     .with_max_wait(Duration::from_secs(120));
/// assert_eq!(patient.max_wait, Duration::from_secs(120));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in total, the first one included. `1` means no retries.
    pub max_attempts: u32,
    /// Upper bound of the first wait.
    pub initial_backoff: Duration,
    /// Upper bound of any computed wait (a larger `retryAfter` still wins, up to `max_wait`).
    pub max_backoff: Duration,
    /// Retry deadline of one call (default 60 s): no wait is started that would end later
    /// than this after the call began. One call is everything one method call sends: every
    /// request of a batch `send` (all its 200-operation requests, the halves of a request
    /// refused as too large, the re-sends of single operations), the chunks of one
    /// `lookup_many`, one page of a query or change feed (a stream's pages each get their own
    /// deadline: a stream may rightly run for longer than any deadline).
    pub max_elapsed: Duration,
    /// Longest single wait (default 30 s). A server asking for a longer one (`retryAfter` up
    /// to an hour has been seen) ends the retries at once.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 8,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(10),
            max_elapsed: Duration::from_secs(60),
            max_wait: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets the number of attempts (first one included); `0` is treated as `1`.
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the first and the largest computed wait.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// Sets the retry deadline of one call, counted from its first attempt.
    pub fn with_max_elapsed(mut self, max_elapsed: Duration) -> Self {
        self.max_elapsed = max_elapsed;
        self
    }

    /// Sets the longest single wait.
    pub fn with_max_wait(mut self, max_wait: Duration) -> Self {
        self.max_wait = max_wait;
        self
    }

    /// The wait before the next attempt after failed attempt number `attempt`, `elapsed`
    /// after the first one began; `None` when retrying should stop: no attempts left, a
    /// `retry_after` longer than [`max_wait`](Self::max_wait), or a wait that would pass
    /// [`max_elapsed`](Self::max_elapsed).
    pub fn next_wait(
        &self,
        attempt: u32,
        retry_after: Option<f64>,
        elapsed: Duration,
    ) -> Option<Duration> {
        if !self.allows_another(attempt) {
            return None;
        }
        if retry_after.is_some_and(|s| s.is_finite() && s > self.max_wait.as_secs_f64()) {
            return None;
        }
        let wait = self.delay(attempt, retry_after).min(self.max_wait);
        (elapsed.saturating_add(wait) <= self.max_elapsed).then_some(wait)
    }

    /// Whether attempt number `attempt` (1-based, just failed) may be followed by another.
    pub fn allows_another(&self, attempt: u32) -> bool {
        attempt < self.max_attempts
    }

    /// The wait after failed attempt number `attempt` (1-based). `retry_after` is the server's
    /// hint in seconds; the wait is never shorter than that.
    pub fn delay(&self, attempt: u32, retry_after: Option<f64>) -> Duration {
        let exponent = attempt.saturating_sub(1).min(20);
        let cap = self
            .initial_backoff
            .saturating_mul(1u32 << exponent)
            .min(self.max_backoff);
        // Full jitter: spreads retries of many clients hit by the same fault.
        let jittered = cap.mul_f64(rand::random::<f64>());
        let floor = retry_after
            .filter(|s| s.is_finite() && *s > 0.0)
            .map(|s| Duration::from_secs_f64(s.min(3600.0)))
            .unwrap_or_default();
        jittered.max(floor)
    }
}

/// When one call the user made began: every request and retry it makes shares the one retry
/// deadline [`RetryPolicy::max_elapsed`] counted from here (see there for what one call is).
#[derive(Clone, Copy, Debug)]
pub(crate) struct CallStart(Instant);

impl CallStart {
    /// A call beginning now.
    pub(crate) fn now() -> Self {
        Self(Instant::now())
    }

    /// Time since the call began.
    pub(crate) fn elapsed(&self) -> Duration {
        self.0.elapsed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_grows_is_capped_and_honours_retry_after() {
        let p = RetryPolicy::default()
            .with_backoff(Duration::from_millis(10), Duration::from_millis(80));
        for attempt in 1..30 {
            let d = p.delay(attempt, None);
            let cap = Duration::from_millis(10 * (1u64 << (attempt - 1).min(3)));
            assert!(d <= cap.min(Duration::from_millis(80)), "{attempt}: {d:?}");
        }
        assert!(p.delay(1, Some(2.0)) >= Duration::from_secs(2));
        assert!(p.delay(1, Some(f64::NAN)) <= Duration::from_millis(10));
        assert!(p.delay(1, Some(-1.0)) <= Duration::from_millis(10));
    }

    #[test]
    fn next_wait_stops_at_the_deadline_and_at_long_server_waits() {
        let p = RetryPolicy::default()
            .with_backoff(Duration::from_millis(10), Duration::from_millis(10))
            .with_max_elapsed(Duration::from_secs(5))
            .with_max_wait(Duration::from_secs(2));
        assert!(p.next_wait(1, None, Duration::ZERO).is_some());
        assert_eq!(p.next_wait(1, Some(3600.0), Duration::ZERO), None);
        assert_eq!(
            p.next_wait(1, Some(2.0), Duration::ZERO),
            Some(Duration::from_secs(2))
        );
        assert_eq!(p.next_wait(1, Some(2.0), Duration::from_secs(4)), None);
        assert_eq!(
            p.next_wait(8, None, Duration::ZERO),
            None,
            "attempts used up"
        );
    }

    #[test]
    fn none_allows_no_retry() {
        assert!(!RetryPolicy::none().allows_another(1));
        let p = RetryPolicy::default().with_max_attempts(3);
        assert!(p.allows_another(2));
        assert!(!p.allows_another(3));
        assert_eq!(RetryPolicy::default().with_max_attempts(0).max_attempts, 1);
    }
}

/// A `Retry-After` header value in seconds: delta-seconds, or an HTTP date (the time left until
/// then; a date in the past is 0).
pub(crate) fn parse_retry_after(value: &str) -> Option<f64> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then_some(seconds);
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or_default()
            .as_secs_f64(),
    )
}

#[cfg(test)]
mod header_tests {
    use super::parse_retry_after;

    #[test]
    fn retry_after_header_forms() {
        assert_eq!(parse_retry_after(" 120 "), Some(120.0));
        assert_eq!(parse_retry_after("1.5"), Some(1.5));
        assert_eq!(parse_retry_after("-3"), None);
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(0.0)
        );
        assert_eq!(parse_retry_after("soon"), None);
    }
}
