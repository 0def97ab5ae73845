//! RPM version ordering and dependency ranges: pure functions, no I/O.
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
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
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
        let (epoch, rest) = match s.split_once(':') {
            Some((e, rest)) if !e.is_empty() && e.bytes().all(|c| c.is_ascii_digit()) => {
                (e.parse().unwrap_or(0), rest)
            }
            _ => (0, s),
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
        if self.epoch != 0 {
            write!(f, "{}:", self.epoch)?;
        }
        f.write_str(&self.version)?;
        if let Some(r) = &self.release {
            write!(f, "-{r}")?;
        }
        Ok(())
    }
}

/// The comparison of a versioned dependency; `Any` for an unversioned one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cmp {
    Any,
    Lt,
    Le,
    Eq,
    Ge,
    Gt,
}

impl Cmp {
    /// repodata spells comparisons as `LT`, `LE`, `EQ`, `GE`, `GT`.
    pub fn from_repodata(flags: &str) -> Option<Cmp> {
        Some(match flags {
            "LT" => Cmp::Lt,
            "LE" => Cmp::Le,
            "EQ" => Cmp::Eq,
            "GE" => Cmp::Ge,
            "GT" => Cmp::Gt,
            _ => return None,
        })
    }

    pub fn from_operator(op: &str) -> Option<Cmp> {
        Some(match op {
            "<" => Cmp::Lt,
            "<=" | "=<" => Cmp::Le,
            "=" | "==" => Cmp::Eq,
            ">=" | "=>" => Cmp::Ge,
            ">" => Cmp::Gt,
            _ => return None,
        })
    }

    fn operator(self) -> &'static str {
        match self {
            Cmp::Any => "",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Eq => "=",
            Cmp::Ge => ">=",
            Cmp::Gt => ">",
        }
    }

    fn allows_less(self) -> bool {
        matches!(self, Cmp::Lt | Cmp::Le)
    }
    fn allows_equal(self) -> bool {
        matches!(self, Cmp::Le | Cmp::Eq | Cmp::Ge)
    }
    fn allows_greater(self) -> bool {
        matches!(self, Cmp::Gt | Cmp::Ge)
    }
}

/// A dependency as it appears in metadata: a name (capability) and an optional range.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Dep {
    pub name: String,
    pub cmp: Cmp,
    pub evr: Option<Evr>,
}

impl Dep {
    pub fn unversioned(name: impl Into<String>) -> Dep {
        Dep {
            name: name.into(),
            cmp: Cmp::Any,
            evr: None,
        }
    }

    pub fn versioned(name: impl Into<String>, cmp: Cmp, evr: Evr) -> Dep {
        Dep {
            name: name.into(),
            cmp,
            evr: Some(evr),
        }
    }

    /// Parse `name`, or `name OP evr` as written in a kickstart or on the command line.
    pub fn parse(s: &str) -> Dep {
        let mut words = s.split_whitespace();
        let name = words.next().unwrap_or_default();
        match (words.next().and_then(Cmp::from_operator), words.next()) {
            (Some(cmp), Some(evr)) => Dep::versioned(name, cmp, Evr::parse(evr)),
            _ => Dep::unversioned(name),
        }
    }

    /// Whether the ranges of two dependencies on the same name overlap, as rpm's
    /// rpmdsCompare decides it: an unversioned side matches everything.
    pub fn ranges_overlap(&self, other: &Dep) -> bool {
        let (Some(a), Some(b)) = (&self.evr, &other.evr) else {
            return true;
        };
        if self.cmp == Cmp::Any || other.cmp == Cmp::Any {
            return true;
        }
        match a.compare_for_match(b) {
            Ordering::Less => self.cmp.allows_greater() || other.cmp.allows_less(),
            Ordering::Greater => self.cmp.allows_less() || other.cmp.allows_greater(),
            Ordering::Equal => {
                (self.cmp.allows_equal() && other.cmp.allows_equal())
                    || (self.cmp.allows_less() && other.cmp.allows_less())
                    || (self.cmp.allows_greater() && other.cmp.allows_greater())
            }
        }
    }

    /// Whether a package of this exact EVR satisfies this range.
    pub fn matches_evr(&self, evr: &Evr) -> bool {
        self.ranges_overlap(&Dep::versioned(self.name.clone(), Cmp::Eq, evr.clone()))
    }

    /// A rich (boolean) dependency such as `(a or b)`.
    pub fn is_rich(&self) -> bool {
        self.name.starts_with('(')
    }
}

impl fmt::Display for Dep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        if let (Some(evr), false) = (&self.evr, self.cmp == Cmp::Any) {
            write!(f, " {} {evr}", self.cmp.operator())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_less_requirement_matches_any_release() {
        let req = Dep::versioned("foo", Cmp::Eq, Evr::parse("1.2"));
        assert!(req.matches_evr(&Evr::parse("1.2-3.fc40")));
        assert!(!req.matches_evr(&Evr::parse("1.3-1")));
    }

    #[test]
    fn ranges() {
        let ge = Dep::versioned("x", Cmp::Ge, Evr::parse("2.0-1"));
        assert!(ge.matches_evr(&Evr::parse("2.0-1")));
        assert!(ge.matches_evr(&Evr::parse("1:1.0-1")));
        assert!(!ge.matches_evr(&Evr::parse("1.9-9")));
        let lt = Dep::versioned("x", Cmp::Lt, Evr::parse("2.0"));
        assert!(!lt.ranges_overlap(&ge));
        assert!(Dep::unversioned("x").ranges_overlap(&ge));
        assert_eq!(Evr::parse("3:1.0-2").to_string(), "3:1.0-2");
    }
}
