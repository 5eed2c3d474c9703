//! Record change tags: short opaque strings, a new one for every write.
//!
//! A tag is the base-36 form of the write's change sequence number, so tags never repeat
//! within a store, also across restarts.

/// The change tag for the write with sequence number `seq`.
pub fn from_seq(seq: i64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut n = seq.unsigned_abs();
    let mut out = Vec::new();
    loop {
        // `n % 36` is below 36, so the index is in range.
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn tags_are_base36() {
        assert_eq!(super::from_seq(0), "0");
        assert_eq!(super::from_seq(35), "z");
        assert_eq!(super::from_seq(36), "10");
        assert_ne!(super::from_seq(1000), super::from_seq(1001));
    }
}
