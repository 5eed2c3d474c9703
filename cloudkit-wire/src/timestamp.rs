//! CloudKit timestamps: whole milliseconds since the Unix epoch.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in time as CloudKit stores it: whole milliseconds since 1970-01-01T00:00:00Z.
///
/// The wire form is a JSON integer. Fractional milliseconds are rejected by the server, so this
/// type cannot hold them. Decoding also accepts a numeric string (`numbersAsStrings`) and an
/// ISO-8601 / RFC 3339 string such as `2023-11-14T22:13:20.000Z` (what CloudKit JS sends for a
/// JavaScript `Date`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The Unix epoch.
    pub const EPOCH: Timestamp = Timestamp(0);

    /// A timestamp from milliseconds since the Unix epoch.
    pub const fn from_millis(millis: i64) -> Self {
        Timestamp(millis)
    }

    /// Milliseconds since the Unix epoch.
    pub const fn as_millis(self) -> i64 {
        self.0
    }

    /// The current time, truncated to whole milliseconds.
    pub fn now() -> Self {
        Timestamp::from(SystemTime::now())
    }

    /// Converts to a [`SystemTime`]; `None` if the platform cannot represent it.
    pub fn to_system_time(self) -> Option<SystemTime> {
        let magnitude = Duration::from_millis(self.0.unsigned_abs());
        if self.0 >= 0 {
            UNIX_EPOCH.checked_add(magnitude)
        } else {
            UNIX_EPOCH.checked_sub(magnitude)
        }
    }

    /// Parses an RFC 3339 date-time (`2023-11-14T22:13:20.000Z`, `...+02:00`).
    ///
    /// Digits beyond milliseconds are truncated toward the past. Returns `None` when the text is
    /// not a valid date-time.
    pub fn parse_rfc3339(text: &str) -> Option<Self> {
        parse_rfc3339(text.as_bytes()).map(Timestamp)
    }
}

impl fmt::Display for Timestamp {
    /// Writes the raw millisecond count, which is what CloudKit puts on the wire.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl From<SystemTime> for Timestamp {
    /// Truncates to whole milliseconds (toward the past); saturates outside the `i64` range.
    fn from(time: SystemTime) -> Self {
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => Timestamp(i64::try_from(after.as_millis()).unwrap_or(i64::MAX)),
            Err(before) => {
                let before = before.duration();
                // Round away from zero so that a time 0.5 ms before the epoch becomes -1 ms.
                let mut ms = before.as_millis();
                if before.as_nanos() % 1_000_000 != 0 {
                    ms += 1;
                }
                Timestamp(i64::try_from(ms).map_or(i64::MIN, |m| -m))
            }
        }
    }
}

impl TryFrom<Timestamp> for SystemTime {
    type Error = TimestampRangeError;

    fn try_from(value: Timestamp) -> Result<Self, Self::Error> {
        value.to_system_time().ok_or(TimestampRangeError(value.0))
    }
}

/// A [`Timestamp`] outside the range of the target time type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("timestamp {0} ms is out of range for the target time type")]
pub struct TimestampRangeError(pub i64);

#[cfg(feature = "time")]
mod time_conversions {
    use super::{Timestamp, TimestampRangeError};

    impl From<time::OffsetDateTime> for Timestamp {
        /// Truncates to whole milliseconds (toward the past).
        fn from(value: time::OffsetDateTime) -> Self {
            let nanos = value.unix_timestamp_nanos();
            let ms = nanos.div_euclid(1_000_000);
            Timestamp(i64::try_from(ms).unwrap_or(if ms < 0 { i64::MIN } else { i64::MAX }))
        }
    }

    impl TryFrom<Timestamp> for time::OffsetDateTime {
        type Error = TimestampRangeError;

        fn try_from(value: Timestamp) -> Result<Self, Self::Error> {
            time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(value.0) * 1_000_000)
                .map_err(|_| TimestampRangeError(value.0))
        }
    }
}

#[cfg(feature = "chrono")]
mod chrono_conversions {
    use super::{Timestamp, TimestampRangeError};
    use chrono::{DateTime, Utc};

    impl From<DateTime<Utc>> for Timestamp {
        fn from(value: DateTime<Utc>) -> Self {
            Timestamp(value.timestamp_millis())
        }
    }

    impl TryFrom<Timestamp> for DateTime<Utc> {
        type Error = TimestampRangeError;

        fn try_from(value: Timestamp) -> Result<Self, Self::Error> {
            DateTime::<Utc>::from_timestamp_millis(value.0).ok_or(TimestampRangeError(value.0))
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TimestampVisitor)
    }
}

struct TimestampVisitor;

impl Visitor<'_> for TimestampVisitor {
    type Value = Timestamp;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("integer milliseconds since the epoch or an RFC 3339 date-time string")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Timestamp, E> {
        Ok(Timestamp(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Timestamp, E> {
        i64::try_from(v)
            .map(Timestamp)
            .map_err(|_| E::custom(format_args!("timestamp {v} is out of range")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Timestamp, E> {
        // CloudKit rejects fractional milliseconds; an integral float is harmless.
        if v.fract() == 0.0 && v >= i64::MIN as f64 && v < i64::MAX as f64 {
            Ok(Timestamp(v as i64))
        } else {
            Err(E::custom(format_args!(
                "timestamp {v} is not a whole number of milliseconds"
            )))
        }
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
        if let Ok(ms) = v.parse::<i64>() {
            return Ok(Timestamp(ms));
        }
        Timestamp::parse_rfc3339(v)
            .ok_or_else(|| E::custom(format_args!("`{v}` is not a timestamp")))
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn digits(bytes: &[u8], at: usize, len: usize) -> Option<i64> {
    let slice = bytes.get(at..at + len)?;
    let mut n = 0i64;
    for &b in slice {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + i64::from(b - b'0');
    }
    Some(n)
}

fn expect(bytes: &[u8], at: usize, what: &[u8]) -> Option<()> {
    what.contains(bytes.get(at)?).then_some(())
}

fn parse_rfc3339(b: &[u8]) -> Option<i64> {
    let year = digits(b, 0, 4)?;
    expect(b, 4, b"-")?;
    let month = digits(b, 5, 2)?;
    expect(b, 7, b"-")?;
    let day = digits(b, 8, 2)?;
    expect(b, 10, b"Tt ")?;
    let hour = digits(b, 11, 2)?;
    expect(b, 13, b":")?;
    let minute = digits(b, 14, 2)?;
    expect(b, 16, b":")?;
    let second = digits(b, 17, 2)?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    // 60 allows a leap second; it is folded into the next minute.
    if second > 60 {
        return None;
    }
    let mut at = 19;
    let mut millis = 0i64;
    if b.get(at) == Some(&b'.') {
        at += 1;
        let start = at;
        while b.get(at).is_some_and(u8::is_ascii_digit) {
            if at - start < 3 {
                millis = millis * 10 + i64::from(b[at] - b'0');
            }
            at += 1;
        }
        let count = at - start;
        if count == 0 {
            return None;
        }
        for _ in count..3 {
            millis *= 10;
        }
    }
    let offset_minutes = match b.get(at)? {
        b'Z' | b'z' => {
            at += 1;
            0
        }
        sign @ (b'+' | b'-') => {
            let h = digits(b, at + 1, 2)?;
            expect(b, at + 3, b":")?;
            let m = digits(b, at + 4, 2)?;
            at += 6;
            let total = h * 60 + m;
            if *sign == b'-' { -total } else { total }
        }
        _ => return None,
    };
    if at != b.len() {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1_000 + millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_cloudkit_js_dates() {
        let t = Timestamp::parse_rfc3339("2023-11-14T22:13:20.000Z");
        assert_eq!(t, Some(Timestamp::from_millis(1_700_000_000_000)));
        let t = Timestamp::parse_rfc3339("2023-11-15T00:13:20.5+02:00");
        assert_eq!(t, Some(Timestamp::from_millis(1_700_000_000_500)));
        let t = Timestamp::parse_rfc3339("1969-12-31T23:59:59.999Z");
        assert_eq!(t, Some(Timestamp::from_millis(-1)));
        assert_eq!(Timestamp::parse_rfc3339("2023-13-01T00:00:00Z"), None);
        assert_eq!(Timestamp::parse_rfc3339("2023-11-14T22:13:20"), None);
        assert_eq!(Timestamp::parse_rfc3339("2023-11-14T22:13:20Zjunk"), None);
        assert_eq!(Timestamp::parse_rfc3339(""), None);
    }

    #[test]
    fn decodes_numbers_strings_and_rejects_fractions() {
        let t: Timestamp = serde_json::from_str("1700000000000").unwrap();
        assert_eq!(t.as_millis(), 1_700_000_000_000);
        let t: Timestamp = serde_json::from_str("\"-62135596800000\"").unwrap();
        assert_eq!(t.as_millis(), -62_135_596_800_000);
        assert!(serde_json::from_str::<Timestamp>("1.5").is_err());
        assert!(serde_json::from_str::<Timestamp>("true").is_err());
    }

    #[test]
    fn system_time_round_trip() {
        for ms in [0, 1, -1, 1_700_000_000_123, -62_135_596_800_000] {
            let t = Timestamp::from_millis(ms);
            let st = SystemTime::try_from(t).unwrap();
            assert_eq!(Timestamp::from(st), t);
        }
        let half_before = UNIX_EPOCH - Duration::from_micros(500);
        assert_eq!(Timestamp::from(half_before).as_millis(), -1);
    }

    #[cfg(feature = "time")]
    #[test]
    fn time_round_trip() {
        let t = Timestamp::from_millis(1_700_000_000_123);
        let odt = time::OffsetDateTime::try_from(t).unwrap();
        assert_eq!(Timestamp::from(odt), t);
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_round_trip() {
        let t = Timestamp::from_millis(-1_700_000_000_123);
        let dt = chrono::DateTime::<chrono::Utc>::try_from(t).unwrap();
        assert_eq!(Timestamp::from(dt), t);
    }
}
