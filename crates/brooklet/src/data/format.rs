//! Number formats, shared by dataframe columns, tables and metrics.
//!
//! A format is named the way Streamlit names them (`"dollar"`,
//! `"percent"`, `"compact"`, …) or written `printf`-style (`"%.2f"`,
//! `"%,d units"`). Formatting happens on the server, so a number looks the
//! same in a dataframe cell, a table and a metric, and the browser only
//! shows text.

use std::fmt::Write as _;

/// How numbers are shown. Parse one from its name or a `printf` pattern
/// with [`NumberFormat::parse`]; the default is [`NumberFormat::auto`].
///
/// | name | `1234.5678` shows as |
/// |---|---|
/// | *(auto)* | `1234.5678` (integers as they are; floats to 4 decimals, without float noise such as `17.880000000000003`) |
/// | `plain` | `1234.5678` (every digit Rust's `{}` prints) |
/// | `localized` | `1,234.568` (thousands separators, up to 3 decimals) |
/// | `percent` | `123,456.78%` (the value × 100, 2 decimals) |
/// | `dollar`, `euro`, `pound`, `yen` | `$1,234.57`, `€1,234.57`, `£1,234.57`, `¥1,235` |
/// | `accounting` | `1,234.57`; negatives in parentheses: `(1,234.57)` |
/// | `compact` | `1.2K` (K, M, B, T) |
/// | `scientific` | `1.235E3` |
/// | `engineering` | `1.235E3` (exponent a multiple of 3) |
/// | `printf` pattern | `%.2f` → `1234.57`; `%,.1f kg` → `1,234.6 kg`; `%d` → `1235`; `%05.1f`, `%+d`, `%e`, `%x`, `%%` |
///
/// In a `printf` pattern the flags are `-` (left-justify), `+` (always a
/// sign), space, `0` (pad with zeros) and `,` or `'` (thousands
/// separators); then a width, a precision (`.2`) and one conversion: `d`,
/// `i` or `u` (rounded to an integer), `f`, `e`/`E`, `g`/`G`, `x`/`X`, `o`
/// or `s`. Text around the conversion is kept.
///
/// ```
/// use brooklet::data::NumberFormat;
///
/// let dollar = NumberFormat::parse("dollar").unwrap();
/// assert_eq!(dollar.format(1234.5678), "$1,234.57");
/// let kg = NumberFormat::parse("%,.1f kg").unwrap();
/// assert_eq!(kg.format(1234.5678), "1,234.6 kg");
/// assert_eq!(NumberFormat::auto().format(17.880000000000003), "17.88");
/// assert!(NumberFormat::parse("%q").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NumberFormat(Kind);

#[derive(Debug, Clone, PartialEq, Default)]
enum Kind {
    #[default]
    Auto,
    Plain,
    Localized,
    Percent,
    Currency(&'static str, usize),
    Accounting,
    Compact,
    Scientific,
    Engineering,
    Printf(Printf),
}

/// Why a format string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{format}` is not a number format: {reason} (use a name such as `dollar`, `percent`, `compact`, or a printf pattern such as `%.2f`)")]
pub struct FormatError {
    format: String,
    reason: &'static str,
}

/// A number to format: integers keep every digit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// A signed integer.
    Int(i64),
    /// An unsigned integer.
    UInt(u64),
    /// A float.
    Float(f64),
}

macro_rules! number_from {
    ($variant:ident as $target:ty: $($ty:ty),*) => {$(
        impl From<$ty> for Number {
            fn from(n: $ty) -> Number {
                Number::$variant(<$target>::from(n))
            }
        }
    )*};
}
number_from!(Int as i64: i8, i16, i32, i64);
number_from!(UInt as u64: u8, u16, u32, u64);
number_from!(Float as f64: f32, f64);

impl From<usize> for Number {
    fn from(n: usize) -> Number {
        Number::UInt(n as u64)
    }
}

impl From<isize> for Number {
    fn from(n: isize) -> Number {
        Number::Int(n as i64)
    }
}

impl Number {
    pub(crate) fn as_f64(self) -> f64 {
        match self {
            Number::Int(n) => n as f64,
            Number::UInt(n) => n as f64,
            Number::Float(f) => f,
        }
    }

    /// Rounded to an integer (for `%d`): `None` for NaN and infinities.
    fn rounded(self) -> Option<i128> {
        match self {
            Number::Int(n) => Some(i128::from(n)),
            Number::UInt(n) => Some(i128::from(n)),
            Number::Float(f) if f.is_finite() => Some(f.round() as i128),
            Number::Float(_) => None,
        }
    }
}

impl NumberFormat {
    /// The default: integers as they are, floats to at most 4 decimals.
    pub fn auto() -> NumberFormat {
        NumberFormat(Kind::Auto)
    }

    /// A format from its name (`"dollar"`, `"percent"`, …) or a `printf`
    /// pattern; see the table on [`NumberFormat`].
    pub fn parse(format: &str) -> Result<NumberFormat, FormatError> {
        let kind = match format {
            "" | "auto" => Kind::Auto,
            "plain" => Kind::Plain,
            "localized" => Kind::Localized,
            "percent" => Kind::Percent,
            "dollar" => Kind::Currency("$", 2),
            "euro" => Kind::Currency("€", 2),
            "pound" => Kind::Currency("£", 2),
            "yen" => Kind::Currency("¥", 0),
            "accounting" => Kind::Accounting,
            "compact" => Kind::Compact,
            "scientific" => Kind::Scientific,
            "engineering" => Kind::Engineering,
            pattern if pattern.contains('%') => {
                Kind::Printf(Printf::parse(pattern).map_err(|reason| FormatError {
                    format: format.to_owned(),
                    reason,
                })?)
            }
            _ => {
                return Err(FormatError {
                    format: format.to_owned(),
                    reason: "no such format name, and no `%` conversion in it",
                })
            }
        };
        Ok(NumberFormat(kind))
    }

    /// Whether this is the default format.
    pub fn is_auto(&self) -> bool {
        self.0 == Kind::Auto
    }

    /// `n` as text in this format.
    pub fn format(&self, n: impl Into<Number>) -> String {
        let n = n.into();
        if let Number::Float(f) = n {
            if !f.is_finite() && !matches!(self.0, Kind::Printf(_)) {
                return non_finite(f).to_owned();
            }
        }
        match &self.0 {
            Kind::Auto => auto(n),
            Kind::Plain => match n {
                Number::Int(i) => i.to_string(),
                Number::UInt(u) => u.to_string(),
                Number::Float(f) => f.to_string(),
            },
            Kind::Localized => match n {
                Number::Int(i) => group(&i.to_string()),
                Number::UInt(u) => group(&u.to_string()),
                Number::Float(f) => group(&trimmed(f, 3)),
            },
            Kind::Percent => format!("{}%", group(&fixed(n.as_f64() * 100.0, 2))),
            Kind::Currency(symbol, decimals) => {
                let f = n.as_f64();
                let body = group(&fixed(f.abs(), *decimals));
                let sign = if f < 0.0 && body.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
                    "-"
                } else {
                    ""
                };
                format!("{sign}{symbol}{body}")
            }
            Kind::Accounting => {
                let f = n.as_f64();
                let body = group(&fixed(f.abs(), 2));
                if f < 0.0 && body.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
                    format!("({body})")
                } else {
                    body
                }
            }
            Kind::Compact => compact(n.as_f64()),
            Kind::Scientific => exponent(n.as_f64(), 1),
            Kind::Engineering => exponent(n.as_f64(), 3),
            Kind::Printf(printf) => printf.format(n),
        }
    }
}

impl std::str::FromStr for NumberFormat {
    type Err = FormatError;
    fn from_str(s: &str) -> Result<NumberFormat, FormatError> {
        NumberFormat::parse(s)
    }
}

fn non_finite(f: f64) -> &'static str {
    if f.is_nan() {
        "NaN"
    } else if f > 0.0 {
        "∞"
    } else {
        "-∞"
    }
}

/// Integers as they are; floats to at most 4 decimals (trailing zeros
/// dropped), very large or very small ones in exponent form.
fn auto(n: Number) -> String {
    match n {
        Number::Int(i) => i.to_string(),
        Number::UInt(u) => u.to_string(),
        Number::Float(f) => {
            let a = f.abs();
            if a != 0.0 && !(1e-4..1e15).contains(&a) {
                let s = format!("{f:.4e}");
                // `1.2300e-7` → `1.23e-7`
                match s.split_once('e') {
                    Some((mantissa, exp)) => format!("{}e{exp}", trim_zeros(mantissa)),
                    None => s,
                }
            } else {
                trimmed(f, 4)
            }
        }
    }
}

/// `f` with `decimals` decimals.
fn fixed(f: f64, decimals: usize) -> String {
    // Halves round away from zero (`¥1,235` for 1234.5), as people and
    // browsers round money; Rust's `{:.0}` would round to even.
    let scale = 10f64.powi(decimals as i32);
    let rounded = if (f * scale).abs() < 1e15 {
        (f * scale).round() / scale
    } else {
        f
    };
    let s = format!("{rounded:.decimals$}");
    // `-0.00` reads as a loss that is not there.
    if s.starts_with('-') && s.bytes().all(|b| matches!(b, b'-' | b'0' | b'.')) {
        s[1..].to_owned()
    } else {
        s
    }
}

/// `f` with at most `decimals` decimals, trailing zeros dropped.
fn trimmed(f: f64, decimals: usize) -> String {
    trim_zeros(&fixed(f, decimals)).to_owned()
}

fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// Thousands separators in the integer part of a plain number string.
fn group(s: &str) -> String {
    let (sign, rest) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s),
    };
    let (int, frac) = match rest.find('.') {
        Some(dot) => rest.split_at(dot),
        None => (rest, ""),
    };
    if !int.bytes().all(|b| b.is_ascii_digit()) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len() + int.len() / 3);
    out.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out.push_str(frac);
    out
}

/// `1234` → `1.2K`: two significant digits, more when the integer part
/// has them (`123K`).
fn compact(f: f64) -> String {
    let a = f.abs();
    let (scaled, suffix) = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")]
        .into_iter()
        .find(|(unit, _)| a >= unit * 0.9995)
        .map(|(unit, suffix)| (f / unit, suffix))
        .unwrap_or((f, ""));
    let int_digits = if scaled.abs() < 1.0 {
        1
    } else {
        scaled.abs().log10().floor() as usize + 1
    };
    format!(
        "{}{suffix}",
        trimmed(scaled, 2usize.saturating_sub(int_digits))
    )
}

/// `1.235E3`: up to 3 decimals; the exponent a multiple of `step`.
fn exponent(f: f64, step: i32) -> String {
    if f == 0.0 {
        return "0E0".to_owned();
    }
    let mut exp = f.abs().log10().floor() as i32;
    exp -= exp.rem_euclid(step);
    let mut mantissa = f / 10f64.powi(exp);
    // Rounding can carry into the next power (9.9996 → 10.000).
    if (mantissa.abs() * 1000.0).round() / 1000.0 >= 10f64.powi(step) {
        exp += step;
        mantissa = f / 10f64.powi(exp);
    }
    format!("{}E{exp}", trimmed(mantissa, 3))
}

/// A parsed `printf` pattern: text, one conversion, text.
#[derive(Debug, Clone, PartialEq)]
struct Printf {
    before: String,
    after: String,
    left: bool,
    plus: bool,
    space: bool,
    zero: bool,
    grouped: bool,
    width: usize,
    precision: Option<usize>,
    conversion: char,
}

impl Printf {
    fn parse(pattern: &str) -> Result<Printf, &'static str> {
        let mut before = String::new();
        let mut chars = pattern.chars().peekable();
        // Text up to the conversion (`%%` is a percent sign).
        loop {
            match chars.next() {
                None => return Err("no `%` conversion in it"),
                Some('%') if chars.peek() == Some(&'%') => {
                    chars.next();
                    before.push('%');
                }
                Some('%') => break,
                Some(c) => before.push(c),
            }
        }
        let mut spec = Printf {
            before,
            after: String::new(),
            left: false,
            plus: false,
            space: false,
            zero: false,
            grouped: false,
            width: 0,
            precision: None,
            conversion: 'f',
        };
        while let Some(&c) = chars.peek() {
            match c {
                '-' => spec.left = true,
                '+' => spec.plus = true,
                ' ' => spec.space = true,
                '0' => spec.zero = true,
                ',' | '\'' => spec.grouped = true,
                _ => break,
            }
            chars.next();
        }
        spec.width = digits(&mut chars).unwrap_or(0);
        if chars.peek() == Some(&'.') {
            chars.next();
            spec.precision = Some(digits(&mut chars).unwrap_or(0));
        }
        if spec.width > 64 || spec.precision.is_some_and(|p| p > 20) {
            return Err("width at most 64 and precision at most 20");
        }
        spec.conversion = match chars.next() {
            Some(
                c @ ('d' | 'i' | 'u' | 'f' | 'F' | 'e' | 'E' | 'g' | 'G' | 'x' | 'X' | 'o' | 's'),
            ) => c,
            Some(_) => return Err("unknown conversion (use d, i, u, f, e, g, x, o or s)"),
            None => return Err("the pattern ends inside a conversion"),
        };
        loop {
            match chars.next() {
                None => break,
                Some('%') if chars.peek() == Some(&'%') => {
                    chars.next();
                    spec.after.push('%');
                }
                Some('%') => {
                    return Err("more than one `%` conversion (write `%%` for a percent sign)")
                }
                Some(c) => spec.after.push(c),
            }
        }
        Ok(spec)
    }

    fn format(&self, n: Number) -> String {
        let body = match self.conversion {
            'd' | 'i' | 'u' => match n.rounded() {
                Some(i) => i.to_string(),
                None => non_finite(n.as_f64()).to_owned(),
            },
            'x' | 'X' | 'o' => match n.rounded() {
                Some(i) => {
                    let magnitude = i.unsigned_abs();
                    let digits = match self.conversion {
                        'x' => format!("{magnitude:x}"),
                        'X' => format!("{magnitude:X}"),
                        _ => format!("{magnitude:o}"),
                    };
                    if i < 0 {
                        format!("-{digits}")
                    } else {
                        digits
                    }
                }
                None => non_finite(n.as_f64()).to_owned(),
            },
            's' => auto(n),
            conversion => {
                let f = n.as_f64();
                if !f.is_finite() {
                    non_finite(f).to_owned()
                } else {
                    let precision = self.precision.unwrap_or(6);
                    match conversion {
                        'e' => c_exponent(f, precision, false),
                        'E' => c_exponent(f, precision, true),
                        'g' | 'G' => general(f, precision, conversion == 'G'),
                        _ => fixed(f, precision),
                    }
                }
            }
        };
        let body = match self.conversion {
            'd' | 'i' | 'u' | 'f' | 'F' if self.grouped => group(&body),
            _ => body,
        };
        let (negative, digits) = match body.strip_prefix('-') {
            Some(rest) => (true, rest.to_owned()),
            None => (false, body),
        };
        let sign = if negative {
            "-"
        } else if self.plus {
            "+"
        } else if self.space {
            " "
        } else {
            ""
        };
        let len = sign.chars().count() + digits.chars().count();
        let pad = self.width.saturating_sub(len);
        let mut out = String::with_capacity(self.before.len() + self.after.len() + len + pad);
        out.push_str(&self.before);
        if self.left {
            out.push_str(sign);
            out.push_str(&digits);
            out.extend(std::iter::repeat_n(' ', pad));
        } else if self.zero && digits.bytes().next().is_some_and(|b| b.is_ascii_digit()) {
            out.push_str(sign);
            out.extend(std::iter::repeat_n('0', pad));
            out.push_str(&digits);
        } else {
            out.extend(std::iter::repeat_n(' ', pad));
            out.push_str(sign);
            out.push_str(&digits);
        }
        out.push_str(&self.after);
        out
    }
}

fn digits(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<usize> {
    let mut value: Option<usize> = None;
    while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
        value = Some(
            value
                .unwrap_or(0)
                .saturating_mul(10)
                .saturating_add(d as usize),
        );
        chars.next();
    }
    value
}

/// C's `%e`: `1.234500e+03`.
fn c_exponent(f: f64, precision: usize, upper: bool) -> String {
    let s = format!("{f:.precision$e}");
    let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let mut out = String::with_capacity(s.len() + 3);
    out.push_str(mantissa);
    out.push(if upper { 'E' } else { 'e' });
    let _ = write!(out, "{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
    out
}

/// C's `%g`: the shorter of `%e` and `%f` at `precision` significant
/// digits, trailing zeros dropped.
fn general(f: f64, precision: usize, upper: bool) -> String {
    let p = precision.max(1);
    if f == 0.0 {
        return "0".to_owned();
    }
    let exp = f.abs().log10().floor() as i32;
    if exp < -4 || exp >= p as i32 {
        let s = c_exponent(f, p - 1, upper);
        let split = if upper { 'E' } else { 'e' };
        match s.split_once(split) {
            Some((mantissa, rest)) => format!("{}{split}{rest}", trim_zeros(mantissa)),
            None => s,
        }
    } else {
        let decimals = (p as i32 - 1 - exp).max(0) as usize;
        trimmed(f, decimals)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(format: &str, n: impl Into<Number>) -> String {
        NumberFormat::parse(format).expect("a format").format(n)
    }

    #[test]
    fn auto_drops_float_noise_and_keeps_integers() {
        assert_eq!(fmt("", 17.880000000000003), "17.88");
        assert_eq!(fmt("", 3.0), "3");
        assert_eq!(fmt("", 0.12345), "0.1235");
        assert_eq!(fmt("", 1e20), "1e20");
        assert_eq!(fmt("", 0.0000123), "1.23e-5");
        assert_eq!(fmt("", u64::MAX), "18446744073709551615");
        assert_eq!(fmt("", f64::NAN), "NaN");
        assert_eq!(fmt("", f64::NEG_INFINITY), "-∞");
    }

    #[test]
    fn named_formats() {
        assert_eq!(fmt("plain", 17.880000000000003), "17.880000000000003");
        assert_eq!(fmt("localized", 1234567.891234), "1,234,567.891");
        assert_eq!(fmt("localized", -1234), "-1,234");
        assert_eq!(fmt("percent", 0.1234), "12.34%");
        assert_eq!(fmt("dollar", 1234.567), "$1,234.57");
        assert_eq!(fmt("dollar", -0.001), "$0.00");
        assert_eq!(fmt("dollar", -5), "-$5.00");
        assert_eq!(fmt("euro", 1e6), "€1,000,000.00");
        assert_eq!(fmt("yen", 1234.5), "¥1,235");
        assert_eq!(fmt("accounting", -1234.5), "(1,234.50)");
        assert_eq!(fmt("compact", 1234), "1.2K");
        assert_eq!(fmt("compact", 12345), "12K");
        assert_eq!(fmt("compact", 123456), "123K");
        assert_eq!(fmt("compact", 2_500_000), "2.5M");
        assert_eq!(fmt("compact", 999.99), "1K");
        assert_eq!(fmt("compact", 1.2345), "1.2");
        assert_eq!(fmt("scientific", 1234.5678), "1.235E3");
        assert_eq!(fmt("scientific", 0.00012), "1.2E-4");
        assert_eq!(fmt("engineering", 12345.678), "12.346E3");
    }

    #[test]
    fn printf_patterns() {
        assert_eq!(fmt("%.2f", 1.23456), "1.23");
        assert_eq!(fmt("%d", 2.5), "3");
        assert_eq!(fmt("%,d", 1234567), "1,234,567");
        assert_eq!(fmt("%,.1f kg", 1234.56), "1,234.6 kg");
        assert_eq!(fmt("$%.2f", 5), "$5.00");
        assert_eq!(fmt("%05.1f", 1.23456), "001.2");
        assert_eq!(fmt("%05d", -42), "-0042");
        assert_eq!(fmt("%-5d|", 42), "42   |");
        assert_eq!(fmt("%+d", 7), "+7");
        assert_eq!(fmt("%5s", 1.5), "  1.5");
        assert_eq!(fmt("%e", 1234.5), "1.234500e+03");
        assert_eq!(fmt("%.2E", 0.000123), "1.23E-04");
        assert_eq!(fmt("%g", 0.0001), "0.0001");
        assert_eq!(fmt("%g", 1234567.0), "1.23457e+06");
        assert_eq!(fmt("%x", 255), "ff");
        assert_eq!(fmt("%.1f%%", 12.34), "12.3%");
        assert_eq!(fmt("%d ⭐", 4), "4 ⭐");
        assert_eq!(fmt("%d", f64::NAN), "NaN");
    }

    #[test]
    fn bad_formats_are_refused_with_a_reason() {
        for bad in ["%q", "%", "%d and %d", "dollars", "%.99f", "%999d"] {
            let error = NumberFormat::parse(bad).expect_err(bad);
            assert!(error.to_string().contains(bad), "{error}");
        }
    }
}
