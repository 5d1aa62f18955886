//! Typed readings of plain scalars, following the resolvers of Compose's YAML libraries (go-yaml v3's
//! `resolve.go`, goccy/go-yaml's number scanner): YAML 1.2 core schema for null and booleans, Go's
//! `strconv.ParseInt(s, 0, 64)` for integers (so a leading zero is octal).

pub(crate) fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

pub(crate) fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

pub(crate) fn parse_int(text: &str) -> Option<i64> {
    // go-yaml only tries numbers for text starting with a digit or a sign, then drops every `_`.
    let first = text.bytes().next()?;
    if !(first.is_ascii_digit() || first == b'+' || first == b'-') {
        return None;
    }
    let plain: String = text.chars().filter(|&c| c != '_').collect();
    let (negative, body) = match plain.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, plain.strip_prefix('+').unwrap_or(&plain)),
    };
    let (radix, digits) = if let Some(digits) = strip_radix_prefix(body, 'x') {
        (16, digits)
    } else if let Some(digits) = strip_radix_prefix(body, 'o') {
        (8, digits)
    } else if let Some(digits) = strip_radix_prefix(body, 'b') {
        (2, digits)
    } else if body.len() > 1 && body.starts_with('0') {
        (8, &body[1..])
    } else {
        (10, body)
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    if negative { 0i64.checked_sub_unsigned(magnitude) } else { i64::try_from(magnitude).ok() }
}

fn strip_radix_prefix(body: &str, letter: char) -> Option<&str> {
    let rest = body.strip_prefix('0')?;
    rest.strip_prefix(letter).or_else(|| rest.strip_prefix(letter.to_ascii_uppercase()))
}

pub(crate) fn parse_float(text: &str) -> Option<f64> {
    if let Some(int) = parse_int(text) {
        return Some(int as f64);
    }
    match text {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    let plain: String = text.chars().filter(|&c| c != '_').collect();
    if is_decimal_float(&plain) { plain.parse().ok() } else { None }
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, go-yaml's `yamlStyleFloat`.
fn is_decimal_float(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = usize::from(matches!(bytes.first(), Some(b'+' | b'-')));
    let digits = |i: &mut usize| {
        let start = *i;
        while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let whole = digits(&mut i);
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        let fraction = digits(&mut i);
        if whole == 0 && fraction == 0 {
            return false;
        }
    } else if whole == 0 {
        return false;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_are_yaml_1_2() {
        for (text, value) in [("true", true), ("True", true), ("TRUE", true), ("false", false), ("FALSE", false)] {
            assert_eq!(parse_bool(text), Some(value), "{text}");
        }
        for text in ["yes", "no", "on", "off", "y", "n", "tRUE", ""] {
            assert_eq!(parse_bool(text), None, "{text}");
        }
    }

    #[test]
    fn nulls() {
        for text in ["", "~", "null", "Null", "NULL"] {
            assert!(is_null(text), "{text}");
        }
        for text in ["nul", "none", "nULL", "0"] {
            assert!(!is_null(text), "{text}");
        }
    }

    #[test]
    fn integers_as_compose_reads_them() {
        let cases = [
            ("0", 0),
            ("42", 42),
            ("-17", -17),
            ("+5", 5),
            ("0644", 0o644),
            ("0o644", 0o644),
            ("0O17", 0o17),
            ("0x1F", 31),
            ("-0x10", -16),
            ("0b101", 5),
            ("1_000", 1000),
            ("9223372036854775807", i64::MAX),
            ("-9223372036854775808", i64::MIN),
        ];
        for (text, value) in cases {
            assert_eq!(parse_int(text), Some(value), "{text}");
        }
        for text in ["", "+", "-", "0x", "089", "1.5", "1e3", "_1", "12a", "9223372036854775808", " 1", "0o8"] {
            assert_eq!(parse_int(text), None, "{text}");
        }
    }

    #[test]
    fn floats() {
        let cases = [("1.5", 1.5), (".5", 0.5), ("-2.5E-3", -0.0025), ("1e3", 1000.0), ("3.", 3.0), ("0644", 420.0)];
        for (text, value) in cases {
            assert_eq!(parse_float(text), Some(value), "{text}");
        }
        // go-yaml falls back to a float for text that is not a valid octal integer.
        assert_eq!(parse_float("089"), Some(89.0));
        assert_eq!(parse_float(".inf"), Some(f64::INFINITY));
        assert_eq!(parse_float("-.INF"), Some(f64::NEG_INFINITY));
        assert!(parse_float(".NaN").is_some_and(f64::is_nan));
        for text in ["", ".", "e3", "1e", "1.2.3", "inf", "nan", "NaN", "1,5", "0x1p3"] {
            assert_eq!(parse_float(text), None, "{text}");
        }
    }
}
