//! Which package architectures install on a target, and how much each is
//! preferred, as libsolv scores them for dnf: noarch always, the target
//! itself best, and what runs on it (multilib: i686 on x86_64) only when
//! asked for, each such arch in a group of its own so that the solver never
//! mixes one name across groups.

use std::fmt;

/// Targets rootsmith composes for, with the arches each can also run
/// (multilib), best first.
const TARGETS: &[(&str, &[&str])] = &[
    ("x86_64", &["i686", "i586", "i486", "i386"]),
    ("aarch64", &[]),
    ("ppc64le", &[]),
    ("s390x", &["s390"]),
    ("riscv64", &[]),
    ("loongarch64", &[]),
    ("i686", &["i586", "i486", "i386"]),
];

/// An `--arch` (or compose arch) that is not a known target.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown architecture {arch:?}; known ones: {}", known_arches().join(", "))]
pub struct UnknownArch {
    pub arch: String,
}

pub fn known_arches() -> Vec<&'static str> {
    TARGETS.iter().map(|(a, _)| *a).collect()
}

/// This machine's arch as a target (dnf's default `arch`), if it is one.
pub fn host_arch() -> Option<&'static str> {
    let arch = match std::env::consts::ARCH {
        "x86" => "i686",
        "powerpc64" if cfg!(target_endian = "little") => "ppc64le",
        other => other,
    };
    known_arches().into_iter().find(|a| *a == arch)
}

/// The arches a target installs: its own, noarch, and with multilib the
/// compatible ones (i686 packages on x86_64). i686 itself always takes
/// i586 and older, which are its own arch family, not multilib.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ArchPolicy {
    target: &'static str,
    /// Installable arches other than the target and noarch, best first.
    others: Vec<&'static str>,
}

impl ArchPolicy {
    pub fn new(target: &str, multilib: bool) -> Result<ArchPolicy, UnknownArch> {
        let (name, compatible) =
            TARGETS
                .iter()
                .find(|(a, _)| *a == target)
                .ok_or_else(|| UnknownArch {
                    arch: target.to_string(),
                })?;
        let others = if multilib || *name == "i686" {
            compatible.to_vec()
        } else {
            Vec::new()
        };
        Ok(ArchPolicy {
            target: name,
            others,
        })
    }

    pub fn target(&self) -> &'static str {
        self.target
    }

    /// libsolv's score: 1 for noarch, then 0x10001 for the target and a new
    /// group (0x10000 more) for each further arch; lower is better. `None`
    /// for an arch that does not install here.
    pub fn score(&self, arch: &str) -> Option<u32> {
        if arch == "noarch" {
            return Some(1);
        }
        if arch == self.target {
            return Some(0x10001);
        }
        self.others
            .iter()
            .position(|a| *a == arch)
            .map(|i| 0x10001 + 0x10000 * (i as u32 + 1))
    }

    pub fn installs(&self, arch: &str) -> bool {
        self.score(arch).is_some()
    }
}

/// Whether packages of these two arches may be installed side by side under
/// one name: only a 32-bit and a 64-bit arch (multilib) may; noarch goes
/// with every arch (libsolv's arch colors, as Fedora's dnf uses them).
pub fn colors_differ(a: &str, b: &str) -> bool {
    fn color(arch: &str) -> u8 {
        match arch {
            "noarch" => 0b11,
            a if a == "s390x" || a.contains("64") => 0b10,
            _ => 0b01,
        }
    }
    a != b && color(a) & color(b) == 0
}

impl fmt::Display for ArchPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.target)?;
        for a in &self.others {
            write!(f, ", {a}")?;
        }
        f.write_str(", noarch")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_and_multilib() {
        let p = ArchPolicy::new("x86_64", false).unwrap();
        assert_eq!(
            (p.score("x86_64"), p.score("noarch"), p.score("i686")),
            (Some(0x10001), Some(1), None)
        );
        let m = ArchPolicy::new("x86_64", true).unwrap();
        assert_eq!(m.score("i686"), Some(0x20001));
        assert!(m.score("i686") > m.score("x86_64"));
        assert!(ArchPolicy::new("i686", false).unwrap().installs("i586"));
        assert!(colors_differ("x86_64", "i686") && colors_differ("s390", "s390x"));
        assert!(
            !colors_differ("x86_64", "noarch")
                && !colors_differ("i686", "i586")
                && !colors_differ("aarch64", "x86_64")
        );
        let e = ArchPolicy::new("x86-64", false).unwrap_err().to_string();
        assert!(
            e.contains("x86-64") && e.contains("aarch64") && e.contains("loongarch64"),
            "{e}"
        );
    }
}
