//! Fault injection: a seeded share of requests fails the way iCloud sometimes does.
//!
//! A fault is decided when a request arrives, before anything is read or written, so a failed
//! request never applied part of its writes. The one exception by design is `drop`: the request
//! is carried out in full and then the connection is cut before the response, which is how a
//! client learns to retry without duplicating.

use std::fmt;
use std::str::FromStr;
use std::sync::Mutex;

use rand::rngs::StdRng;
use rand::{RngExt as _, SeedableRng as _};

/// One injected failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// 429 `THROTTLED` with `retryAfter`.
    Throttled,
    /// 503 `TRY_AGAIN_LATER` with `retryAfter`.
    TryAgainLater,
    /// 503 with a body that is not JSON (CloudKit JS reports `SERVICE_UNAVAILABLE`).
    Unavailable,
    /// 503 `ZONE_BUSY` with `retryAfter`.
    ZoneBusy,
    /// The request is carried out, then the connection is closed without a response.
    Drop,
}

impl Fault {
    const ALL: [(Fault, &'static str); 5] = [
        (Fault::Throttled, "throttled"),
        (Fault::TryAgainLater, "try_again_later"),
        (Fault::Unavailable, "unavailable"),
        (Fault::ZoneBusy, "zone_busy"),
        (Fault::Drop, "drop"),
    ];

    /// The name used in a fault spec.
    pub fn name(self) -> &'static str {
        Fault::ALL
            .iter()
            .find(|(f, _)| *f == self)
            .map_or("unknown", |(_, n)| n)
    }
}

/// Rates of each fault, e.g. parsed from `throttled=0.1,drop=0.05,retry_after=2`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FaultSpec {
    rates: Vec<(Fault, f64)>,
    /// The `retryAfter` (seconds) sent with retryable faults; 1 unless given.
    pub retry_after: u64,
}

/// Why a fault spec did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid fault spec `{spec}`: {reason}")]
pub struct FaultSpecError {
    /// The spec as given.
    pub spec: String,
    /// What is wrong with it.
    pub reason: String,
}

impl FaultSpec {
    /// No faults.
    pub fn none() -> FaultSpec {
        FaultSpec {
            rates: Vec::new(),
            retry_after: 1,
        }
    }

    /// The rate of one fault (0 when not given).
    pub fn rate(&self, fault: Fault) -> f64 {
        self.rates
            .iter()
            .find(|(f, _)| *f == fault)
            .map_or(0.0, |(_, r)| *r)
    }

    /// Whether every rate is zero.
    pub fn is_empty(&self) -> bool {
        self.rates.iter().all(|(_, r)| *r == 0.0)
    }
}

impl FromStr for FaultSpec {
    type Err = FaultSpecError;

    fn from_str(spec: &str) -> Result<FaultSpec, FaultSpecError> {
        let err = |reason: String| FaultSpecError {
            spec: spec.to_owned(),
            reason,
        };
        let mut out = FaultSpec::none();
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| err(format!("`{part}` is not name=rate")))?;
            let name = name.trim();
            if name == "retry_after" {
                out.retry_after = value
                    .trim()
                    .parse()
                    .map_err(|_| err(format!("retry_after `{value}` is not whole seconds")))?;
                continue;
            }
            let fault = Fault::ALL
                .iter()
                .find(|(_, n)| *n == name)
                .map(|(f, _)| *f)
                .ok_or_else(|| {
                    err(format!(
                        "unknown fault `{name}`; known: throttled, try_again_later, unavailable, zone_busy, drop, retry_after"
                    ))
                })?;
            let rate: f64 = value
                .trim()
                .parse()
                .map_err(|_| err(format!("rate `{value}` is not a number")))?;
            if !(0.0..=1.0).contains(&rate) {
                return Err(err(format!("rate {rate} of `{name}` is outside 0..=1")));
            }
            out.rates.retain(|(f, _)| *f != fault);
            out.rates.push((fault, rate));
        }
        let total: f64 = out.rates.iter().map(|(_, r)| r).sum();
        if total > 1.0 + 1e-9 {
            return Err(err(format!("rates add up to {total}, more than 1")));
        }
        Ok(out)
    }
}

impl fmt::Display for FaultSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .rates
            .iter()
            .map(|(fault, rate)| format!("{}={rate}", fault.name()))
            .collect();
        write!(f, "{},retry_after={}", parts.join(","), self.retry_after)
    }
}

/// Decides faults from a seeded generator: the same seed gives the same sequence of decisions
/// for the same sequence of requests.
#[derive(Debug)]
pub struct Faults {
    spec: FaultSpec,
    rng: Mutex<StdRng>,
}

impl Faults {
    /// A decider for `spec` seeded with `seed`.
    pub fn new(spec: FaultSpec, seed: u64) -> Faults {
        Faults {
            spec,
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
        }
    }

    /// The spec in force.
    pub fn spec(&self) -> &FaultSpec {
        &self.spec
    }

    /// The fault for the next request, if any. One draw per request keeps the sequence
    /// reproducible.
    pub fn decide(&self) -> Option<Fault> {
        if self.spec.is_empty() {
            return None;
        }
        let draw: f64 = self.rng.lock().ok()?.random();
        let mut acc = 0.0;
        for (fault, rate) in &self.spec.rates {
            acc += rate;
            if draw < acc {
                return Some(*fault);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects_specs() {
        let spec: FaultSpec = "throttled=0.1, try_again_later=0.1,unavailable=0.05,zone_busy=0.05,drop=0.05,retry_after=0"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(spec.rate(Fault::Throttled), 0.1);
        assert_eq!(spec.rate(Fault::Drop), 0.05);
        assert_eq!(spec.retry_after, 0);
        assert!("throttled".parse::<FaultSpec>().is_err());
        assert!("slow=0.1".parse::<FaultSpec>().is_err());
        assert!("drop=1.5".parse::<FaultSpec>().is_err());
        assert!("drop=0.6,throttled=0.6".parse::<FaultSpec>().is_err());
        assert!("".parse::<FaultSpec>().is_ok_and(|s| s.is_empty()));
    }

    #[test]
    fn same_seed_same_faults_and_rates_roughly_hold() {
        let spec: FaultSpec = "throttled=0.2,drop=0.1"
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        let a = Faults::new(spec.clone(), 7);
        let b = Faults::new(spec, 7);
        let xs: Vec<_> = (0..2000).map(|_| a.decide()).collect();
        let ys: Vec<_> = (0..2000).map(|_| b.decide()).collect();
        assert_eq!(xs, ys);
        let throttled = xs.iter().filter(|f| **f == Some(Fault::Throttled)).count();
        assert!((300..500).contains(&throttled), "{throttled}");
    }
}
