//! From what the user asked for to solver jobs, the way dnf selects
//! packages (`dnf install SPEC`, `dnf group install`):
//!
//! * a spec is tried as `name-[epoch:]version-release.arch`, `name.arch`,
//!   `name`, `name-version-release`, `name-version`, in that order, then as
//!   a capability (`libfoo.so.1()(64bit)`, `foo >= 1.2`), then as a file;
//!   the first form that matches decides;
//! * a spec with `*`, `?` or `[` is a glob; every name it matches is
//!   installed, each as a job of its own;
//! * a bare name also offers the packages that obsolete it, so that a
//!   renamed package is installed under its new name;
//! * a group installs its mandatory, default (unless `--nodefaults`),
//!   optional (with `--optional`) and conditional members; a conditional
//!   member is `(member if requirement)`;
//! * excluded packages do not exist for the request.

use super::SolveError;
use crate::repo::{Group, PkgId, Pool};
use crate::rpm::{Dep, DepExpr, DepKind, Evr};

/// One install job: any one of a set of packages, or a rich dependency.
#[derive(Clone, Debug)]
pub(crate) struct Job {
    pub what: JobWhat,
    /// Optional: dropped (with a note) rather than failing the request.
    pub weak: bool,
    /// What the user wrote, for messages.
    pub label: String,
}

#[derive(Clone, Debug)]
pub(crate) enum JobWhat {
    OneOf(Vec<PkgId>),
    Complex(DepExpr),
}

/// A name pattern as dnf and kickstart `-excludes` use it: fnmatch-style
/// `*`, `?` and `[...]`; a plain name matches itself. An invalid pattern
/// is an error, never silently an exact name.
#[derive(Clone, Debug)]
pub struct NamePattern {
    text: String,
    glob: Option<glob::Pattern>,
}

impl NamePattern {
    pub fn new(text: &str) -> Result<NamePattern, SolveError> {
        let glob = if is_glob(text) {
            Some(
                glob::Pattern::new(text).map_err(|e| SolveError::BadPattern {
                    pattern: text.to_string(),
                    reason: e.msg.to_string(),
                })?,
            )
        } else {
            None
        };
        Ok(NamePattern {
            text: text.to_string(),
            glob,
        })
    }

    pub fn matches(&self, s: &str) -> bool {
        match &self.glob {
            Some(g) => g.matches(s),
            None => self.text == s,
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// dnf's test for a glob.
pub fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// The packages a spec selects: one set per job (a glob gives several).
pub(crate) fn select(
    pool: &Pool,
    considered: &[bool],
    spec: &str,
    multilib: bool,
) -> Vec<(String, Vec<PkgId>)> {
    let selected = select_best(pool, considered, spec);
    if !multilib {
        return selected;
    }
    selected
        .into_iter()
        .flat_map(|(label, ids)| per_arch(pool, considered, &label, &ids))
        .collect()
}

/// dnf's multilib policy "all" (`%packages --multilib`): what a spec
/// selects is installed for every arch it has, each (name, arch) a job of
/// its own with its obsoleters.
fn per_arch(
    pool: &Pool,
    considered: &[bool],
    label: &str,
    ids: &[PkgId],
) -> Vec<(String, Vec<PkgId>)> {
    let mut groups: Vec<((&str, &str), Vec<PkgId>)> = Vec::new();
    for &id in ids {
        let p = pool.get(id);
        let key = (p.name.as_str(), p.arch.as_str());
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, group)) => group.push(id),
            None => groups.push((key, vec![id])),
        }
    }
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    groups
        .into_iter()
        .map(|((_, arch), mut group)| {
            group.extend(obsoleters(pool, considered, &group));
            group.sort_unstable();
            group.dedup();
            (format!("{label} ({arch})"), group)
        })
        .collect()
}

/// The packages a spec selects with dnf's default multilib policy "best".
fn select_best(pool: &Pool, considered: &[bool], spec: &str) -> Vec<(String, Vec<PkgId>)> {
    let usable = |id: &PkgId| considered[id.0 as usize];
    if is_glob(spec) && !spec.starts_with('/') {
        return select_glob(pool, considered, spec);
    }
    for form in Form::ALL {
        let Some(parsed) = form.parse(spec) else {
            continue;
        };
        let mut found: Vec<PkgId> = pool
            .by_name(&parsed.name)
            .iter()
            .copied()
            .filter(usable)
            .filter(|&id| parsed.matches(pool, id))
            .collect();
        if found.is_empty() {
            continue;
        }
        if form == Form::Name {
            found.extend(obsoleters(pool, considered, &found));
            found.sort_unstable();
            found.dedup();
        }
        return vec![(spec.to_string(), found)];
    }
    let found: Vec<PkgId> = match DepExpr::parse_header(spec) {
        Ok(DepExpr::Dep(dep)) => pool.providers(&dep).into_iter().filter(usable).collect(),
        _ => Vec::new(),
    };
    vec![(spec.to_string(), found)]
}

/// A glob: every name it matches, each its own job; else provides, then
/// files, matching it.
fn select_glob(pool: &Pool, considered: &[bool], spec: &str) -> Vec<(String, Vec<PkgId>)> {
    let Ok(pattern) = glob::Pattern::new(spec) else {
        return vec![(spec.to_string(), Vec::new())];
    };
    let mut names: Vec<&str> = pool
        .packages
        .iter()
        .enumerate()
        .filter(|&(i, p)| considered[i] && pattern.matches(&p.name))
        .map(|(_, p)| p.name.as_str())
        .collect();
    names.sort_unstable();
    names.dedup();
    if !names.is_empty() {
        return names
            .into_iter()
            .map(|name| {
                let mut ids: Vec<PkgId> = pool
                    .by_name(name)
                    .iter()
                    .copied()
                    .filter(|id| considered[id.0 as usize])
                    .collect();
                ids.extend(obsoleters(pool, considered, &ids));
                ids.sort_unstable();
                ids.dedup();
                (name.to_string(), ids)
            })
            .collect();
    }
    let found: Vec<PkgId> = pool
        .ids()
        .filter(|id| considered[id.0 as usize])
        .filter(|&id| {
            pool.deps(id, DepKind::Provides)
                .any(|d| pattern.matches(&d.name))
                || pool.get(id).files.iter().any(|f| pattern.matches(f))
        })
        .collect();
    vec![(spec.to_string(), found)]
}

/// Packages whose Obsoletes match (by name and version) one of `ids`.
fn obsoleters(pool: &Pool, considered: &[bool], ids: &[PkgId]) -> Vec<PkgId> {
    let index = pool.index();
    let mut out: Vec<PkgId> = ids
        .iter()
        .flat_map(|&t| {
            let target = pool.get(t);
            index
                .obsoleting(&target.name)
                .iter()
                .filter(|&&(o, d)| {
                    considered[o.0 as usize] && index.dep(d).matches_evr(&target.evr)
                })
                .map(|&(o, _)| o)
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The forms of a package spec, in the order dnf tries them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    Nevra,
    Na,
    Name,
    Nevr,
    Nev,
}

struct Parsed {
    name: String,
    evr: Option<Evr>,
    arch: Option<String>,
}

impl Parsed {
    fn matches(&self, pool: &Pool, id: PkgId) -> bool {
        let p = pool.get(id);
        let evr_ok = match &self.evr {
            None => true,
            Some(want) => {
                want.epoch == p.evr.epoch
                    && want.version == p.evr.version
                    && want
                        .release
                        .as_ref()
                        .is_none_or(|r| Some(r) == p.evr.release.as_ref())
            }
        };
        evr_ok && self.arch.as_ref().is_none_or(|a| *a == p.arch)
    }
}

impl Form {
    const ALL: [Form; 5] = [Form::Nevra, Form::Na, Form::Name, Form::Nevr, Form::Nev];

    fn parse(self, spec: &str) -> Option<Parsed> {
        let split_arch = |s: &str| {
            s.rsplit_once('.')
                .map(|(rest, arch)| (rest.to_string(), arch.to_string()))
        };
        let split_dash = |s: &str| {
            s.rsplit_once('-')
                .map(|(a, b)| (a.to_string(), b.to_string()))
        };
        let evr = |version: &str, release: Option<String>| {
            let (epoch, version) = match version.split_once(':') {
                Some((e, v)) if !e.is_empty() && e.bytes().all(|c| c.is_ascii_digit()) => {
                    (e.parse().ok()?, v)
                }
                _ => (0, version),
            };
            Some(Evr::new(epoch, version, release))
        };
        match self {
            Form::Name => Some(Parsed {
                name: spec.to_string(),
                evr: None,
                arch: None,
            }),
            Form::Na => {
                let (name, arch) = split_arch(spec)?;
                Some(Parsed {
                    name,
                    evr: None,
                    arch: Some(arch),
                })
            }
            Form::Nevra => {
                let (rest, arch) = split_arch(spec)?;
                let (rest, release) = split_dash(&rest)?;
                let (name, version) = split_dash(&rest)?;
                Some(Parsed {
                    name,
                    evr: Some(evr(&version, Some(release))?),
                    arch: Some(arch),
                })
            }
            Form::Nevr => {
                let (rest, release) = split_dash(spec)?;
                let (name, version) = split_dash(&rest)?;
                Some(Parsed {
                    name,
                    evr: Some(evr(&version, Some(release))?),
                    arch: None,
                })
            }
            Form::Nev => {
                let (name, version) = split_dash(spec)?;
                Some(Parsed {
                    name,
                    evr: Some(evr(&version, None)?),
                    arch: None,
                })
            }
        }
    }
}

/// The members of a group a request installs, and its conditional ones.
pub(crate) fn group_members(
    group: &Group,
    defaults: bool,
    optional: bool,
) -> (Vec<&str>, Vec<(&str, &str)>) {
    let mut names: Vec<&str> = group.mandatory.iter().map(String::as_str).collect();
    if defaults {
        names.extend(group.default.iter().map(String::as_str));
    }
    if optional {
        names.extend(group.optional.iter().map(String::as_str));
    }
    let conditional = group
        .conditional
        .iter()
        .map(|(p, r)| (p.as_str(), r.as_str()))
        .collect();
    (names, conditional)
}

/// A group member's job: every version of the name, and its obsoleters.
pub(crate) fn member_job(pool: &Pool, considered: &[bool], name: &str) -> Option<Vec<PkgId>> {
    let mut ids: Vec<PkgId> = pool
        .by_name(name)
        .iter()
        .copied()
        .filter(|id| considered[id.0 as usize])
        .collect();
    if ids.is_empty() {
        return None;
    }
    ids.extend(obsoleters(pool, considered, &ids));
    ids.sort_unstable();
    ids.dedup();
    Some(ids)
}

/// `(member if requirement)`, as dnf installs a conditional member.
pub(crate) fn conditional_job(member: &str, requires: &str) -> DepExpr {
    DepExpr::If(
        Box::new(DepExpr::Dep(Dep::unversioned(member))),
        Box::new(DepExpr::Dep(Dep::unversioned(requires))),
        None,
    )
}
