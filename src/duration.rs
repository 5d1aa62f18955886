//! Go's durations (`1m30s`, `500ms`, `2h`), read as `time.ParseDuration` reads them and written as
//! `time.Duration.String()` writes them: Dockerfile `HEALTHCHECK` flags and Compose's healthcheck, grace-period
//! and restart-policy values use the same syntax.

/// A Go duration (`1m30s`, `500ms`, `2h`) in nanoseconds, as `time.ParseDuration` reads it.
pub fn parse_duration(text: &str) -> Result<i64, String> {
    let bad = || format!("`{text}` is not a duration (write e.g. `30s`, `1m30s`, `500ms`)");
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(bad());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let number_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let number = &rest[..number_len];
        if number.is_empty() || number == "." {
            return Err(bad());
        }
        let value: f64 = number.parse().map_err(|_| bad())?;
        rest = &rest[number_len..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return Err(bad()),
        };
        rest = &rest[unit_len..];
        total += value * scale;
    }
    if total > i64::MAX as f64 {
        return Err(format!("`{text}` is too long a duration"));
    }
    let nanos = total.round() as i64;
    Ok(if negative { -nanos } else { nanos })
}

/// A duration that is not negative, in nanoseconds, as BuildKit reads `HEALTHCHECK --interval` and the like.
pub fn parse_non_negative(text: &str) -> Option<u64> {
    parse_duration(text).ok().and_then(|n| u64::try_from(n).ok())
}

/// Go's `time.Duration.String()`: `1m30s`, `500ms`, `0s`.
pub fn format_duration(nanos: i64) -> String {
    if nanos == 0 {
        return "0s".to_owned();
    }
    let sign = if nanos < 0 { "-" } else { "" };
    let n = nanos.unsigned_abs();
    if n < 1_000_000_000 {
        let (unit, div) = if n < 1_000 {
            ("ns", 1)
        } else if n < 1_000_000 {
            ("µs", 1_000)
        } else {
            ("ms", 1_000_000)
        };
        return format!("{sign}{}{unit}", fraction(n, div));
    }
    let hours = n / 3_600_000_000_000;
    let minutes = n / 60_000_000_000 % 60;
    let seconds = fraction(n % 60_000_000_000, 1_000_000_000);
    if hours > 0 {
        format!("{sign}{hours}h{minutes}m{seconds}s")
    } else if minutes > 0 {
        format!("{sign}{minutes}m{seconds}s")
    } else {
        format!("{sign}{seconds}s")
    }
}

fn fraction(n: u64, div: u64) -> String {
    let whole = n / div;
    let rest = n % div;
    if rest == 0 {
        return whole.to_string();
    }
    let width = div.to_string().len() - 1;
    let digits = format!("{rest:0width$}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compose_durations() {
        assert_eq!(parse_duration("1m30s"), Ok(90_000_000_000));
        assert_eq!(parse_duration("1.5s"), Ok(1_500_000_000));
        assert_eq!(parse_duration("0"), Ok(0));
        assert!(parse_duration("30").is_err() && parse_duration("1x").is_err() && parse_duration("").is_err());
        assert_eq!(format_duration(90_000_000_000), "1m30s");
        assert_eq!(format_duration(3_600_000_000_000), "1h0m0s");
        assert_eq!(format_duration(500_000_000), "500ms");
        assert_eq!(format_duration(1_500_000_000), "1.5s");
    }

    #[test]
    fn non_negative_durations() {
        assert_eq!(parse_non_negative("30s"), Some(30_000_000_000));
        assert_eq!(parse_non_negative("1m30s"), Some(90_000_000_000));
        assert_eq!(parse_non_negative("1.5h"), Some(5_400_000_000_000));
        assert_eq!(parse_non_negative("0"), Some(0));
        for bad in ["", "30", "1x", "-1s", "s"] {
            assert_eq!(parse_non_negative(bad), None, "{bad}");
        }
    }
}
