//! When and how long to wait before sending a request again.

use std::time::Duration;

/// Retry policy for transient failures: `TRY_AGAIN_LATER`, `THROTTLED`, `ZONE_BUSY`, HTTP 503
/// (JSON or not), timeouts and dropped connections.
///
/// Waits grow exponentially from `initial_backoff` up to `max_backoff`, with full jitter, and
/// never less than the server's `retryAfter`. On by default; [`RetryPolicy::none`] turns it off.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in total, the first one included. `1` means no retries.
    pub max_attempts: u32,
    /// Upper bound of the first wait.
    pub initial_backoff: Duration,
    /// Upper bound of any computed wait (a larger `retryAfter` still wins).
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 8,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(10),
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
    fn none_allows_no_retry() {
        assert!(!RetryPolicy::none().allows_another(1));
        let p = RetryPolicy::default().with_max_attempts(3);
        assert!(p.allows_another(2));
        assert!(!p.allows_another(3));
        assert_eq!(RetryPolicy::default().with_max_attempts(0).max_attempts, 1);
    }
}
