//! How numbers and dates read on the page, as AO3 writes them: thousands with commas,
//! "2024-01-02" in work meta and chapter indexes, "02 Jan 2024" on blurbs. All times
//! are unix seconds shown in UTC, so pages do not depend on the server's time zone.

/// `1234567` -> `"1,234,567"`.
pub fn commas(n: impl Into<i128>) -> String {
    let n: i128 = n.into();
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The civil date (year, month 1-12, day 1-31) of a unix time, UTC.
pub fn civil_date(unix: i64) -> (i64, u32, u32) {
    // Howard Hinnant's days-to-civil algorithm.
    let z = unix.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `"2024-01-02"`.
pub fn iso_date(unix: i64) -> String {
    let (y, m, d) = civil_date(unix);
    format!("{y:04}-{m:02}-{d:02}")
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `"02 Jan 2024"`, AO3's blurb date.
pub fn blurb_date(unix: i64) -> String {
    let (y, m, d) = civil_date(unix);
    let month = MONTHS
        .get((m as usize).saturating_sub(1))
        .copied()
        .unwrap_or("Jan");
    format!("{d:02} {month} {y}")
}

/// An HTTP date (`Last-Modified`), or `None` for times before 1970.
pub fn http_date(unix: i64) -> Option<String> {
    let secs = u64::try_from(unix).ok()?;
    let t = std::time::UNIX_EPOCH.checked_add(std::time::Duration::from_secs(secs))?;
    Some(httpdate::fmt_http_date(t))
}

/// "n/m" or "n/?" chapters.
pub fn chapters(count: impl std::fmt::Display, expected: Option<u32>) -> String {
    match expected {
        Some(m) => format!("{count}/{m}"),
        None => format!("{count}/?"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands() {
        assert_eq!(commas(0), "0");
        assert_eq!(commas(999), "999");
        assert_eq!(commas(1000), "1,000");
        assert_eq!(commas(1_234_567), "1,234,567");
        assert_eq!(commas(-1234), "-1,234");
    }

    #[test]
    fn dates() {
        assert_eq!(iso_date(0), "1970-01-01");
        assert_eq!(iso_date(1_704_153_600), "2024-01-02");
        assert_eq!(blurb_date(1_704_153_600), "02 Jan 2024");
        assert_eq!(iso_date(951_782_400), "2000-02-29");
        assert_eq!(
            http_date(0).as_deref(),
            Some("Thu, 01 Jan 1970 00:00:00 GMT")
        );
    }
}
