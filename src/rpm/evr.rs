//! RPM version ordering: pure functions, no I/O. Dependencies and their
//! ranges are in [`super::dep`].
//!
//! `rpmvercmp` follows rpm's own algorithm (lib/rpmvercmp.c semantics): segments of
//! digits or letters, `~` sorts before everything, `^` after the base but before
//! any other suffix.

use std::cmp::Ordering;
use std::fmt;

/// Compare two version (or release) strings the way rpm does.
pub fn rpmvercmp(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        a = skip_separators(a);
        b = skip_separators(b);

        // Tilde sorts before everything, even the end of the string.
        match (a.first() == Some(&b'~'), b.first() == Some(&b'~')) {
            (true, true) => {
                a = &a[1..];
                b = &b[1..];
                continue;
            }
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        // Caret sorts after the end of the string but before any other segment.
        match (a.first() == Some(&b'^'), b.first() == Some(&b'^')) {
            (true, true) => {
                a = &a[1..];
                b = &b[1..];
                continue;
            }
            (true, false) => {
                return if b.is_empty() {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            }
            (false, true) => {
                return if a.is_empty() {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
            _ => {}
        }
        if a.is_empty() || b.is_empty() {
            break;
        }

        let numeric = a[0].is_ascii_digit();
        let (seg_a, rest_a) = split_segment(a, numeric);
        let (seg_b, rest_b) = split_segment(b, numeric);
        if seg_b.is_empty() {
            // Segments of different kinds: numbers are newer than letters.
            return if numeric {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        let order = if numeric {
            compare_numeric(seg_a, seg_b)
        } else {
            seg_a.cmp(seg_b)
        };
        if order != Ordering::Equal {
            return order;
        }
        a = rest_a;
        b = rest_b;
    }
    match (a.is_empty(), b.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        _ => Ordering::Greater,
    }
}

fn skip_separators(s: &[u8]) -> &[u8] {
    let n = s
        .iter()
        .take_while(|&&c| !c.is_ascii_alphanumeric() && c != b'~' && c != b'^')
        .count();
    &s[n..]
}

fn split_segment(s: &[u8], numeric: bool) -> (&[u8], &[u8]) {
    let n = s
        .iter()
        .take_while(|c| {
            if numeric {
                c.is_ascii_digit()
            } else {
                c.is_ascii_alphabetic()
            }
        })
        .count();
    s.split_at(n)
}

fn compare_numeric(a: &[u8], b: &[u8]) -> Ordering {
    let trim = |s: &[u8]| -> usize { s.iter().take_while(|&&c| c == b'0').count() };
    let (a, b) = (&a[trim(a)..], &b[trim(b)..]);
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

/// Epoch, version and optional release. A missing release compares equal to any
/// release when matching requirements (rpm's rpmdsCompare), but sorts as empty.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
pub struct Evr {
    pub epoch: u32,
    pub version: String,
    pub release: Option<String>,
}

impl Evr {
    pub fn new(epoch: u32, version: impl Into<String>, release: Option<String>) -> Self {
        Evr {
            epoch,
            version: version.into(),
            release,
        }
    }

    /// Parse `[epoch:]version[-release]`.
    pub fn parse(s: &str) -> Evr {
        let (epoch, rest) = match leading_epoch(s) {
            Some((e, rest)) => (e.parse().unwrap_or(0), rest),
            None => (0, s),
        };
        match rest.rsplit_once('-') {
            Some((v, r)) => Evr::new(epoch, v, Some(r.to_string())),
            None => Evr::new(epoch, rest, None),
        }
    }

    /// Order two EVRs; a release missing on either side is not compared.
    pub fn compare_for_match(&self, other: &Evr) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| rpmvercmp(&self.version, &other.version))
            .then_with(|| match (&self.release, &other.release) {
                (Some(a), Some(b)) => rpmvercmp(a, b),
                _ => Ordering::Equal,
            })
    }
}

/// `epoch:rest` when `s` starts with digits and a colon.
fn leading_epoch(s: &str) -> Option<(&str, &str)> {
    s.split_once(':')
        .filter(|(e, _)| !e.is_empty() && e.bytes().all(|c| c.is_ascii_digit()))
}

impl Ord for Evr {
    fn cmp(&self, other: &Self) -> Ordering {
        self.epoch
            .cmp(&other.epoch)
            .then_with(|| rpmvercmp(&self.version, &other.version))
            .then_with(|| {
                rpmvercmp(
                    self.release.as_deref().unwrap_or(""),
                    other.release.as_deref().unwrap_or(""),
                )
            })
    }
}

impl PartialOrd for Evr {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Evr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // An epoch 0 is left out, unless the version itself would read
        // back as one (`0:5:1`, not `5:1`).
        if self.epoch != 0 || leading_epoch(&self.version).is_some() {
            write!(f, "{}:", self.epoch)?;
        }
        f.write_str(&self.version)?;
        if let Some(r) = &self.release {
            write!(f, "-{r}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_display() {
        assert_eq!(Evr::parse("3:1.0-2").to_string(), "3:1.0-2");
        assert_eq!(Evr::parse("1.0"), Evr::new(0, "1.0", None));
        assert_eq!(Evr::parse("0:1.0-1"), Evr::new(0, "1.0", Some("1".into())));
        assert!(Evr::parse("1:1.0") > Evr::parse("2.0"));
    }

    /// Found by fuzzing (fuzz/fuzz_targets/dep.rs): a version that looks
    /// like `epoch:version` lost its explicit epoch 0 when printed.
    #[test]
    fn display_keeps_epoch_0_before_a_colon_version() {
        for (text, shown) in [("0:5:1", "0:5:1"), ("0:5:.", "0:5:."), ("0:a:1", "a:1")] {
            let evr = Evr::parse(text);
            assert_eq!(evr.to_string(), shown, "{text:?}");
            assert_eq!(Evr::parse(shown), evr, "{text:?}");
        }
        assert_eq!(Evr::new(0, "5:1", None).to_string(), "0:5:1");
    }
}
