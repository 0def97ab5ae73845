//! From what the user asked for to solver jobs, the way dnf selects
//! packages (`dnf install SPEC`, `dnf group install`):
//!
//! * a spec matches what libdnf's `Subject` matches ([`super::subject`]);
//! * a glob (not a path) installs every name it matches, each a job of its
//!   own; anything else is one job, any one of what it matched;
//! * a bare name also offers the packages that obsolete it, so that a
//!   renamed package is installed under its new name;
//! * with multilib policy "all" (or an arch glob), each (name, arch) is a
//!   job of its own, with its obsoleters;
//! * a group installs its mandatory, default (unless `--nodefaults`),
//!   optional (with `--optional`) and conditional members; a conditional
//!   member is `(member if requirement)`;
//! * excluded packages do not exist for the request: kickstart's `-name`
//!   excludes by name, dnf's `--exclude` by what the spec's NEVRA readings
//!   match.

use super::subject::{best_solution, is_file_pattern, is_glob, Glob, Reading, Solution};
use super::SolveError;
use crate::repo::{Group, PkgId, Pool};
use crate::rpm::{Dep, DepExpr};

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

/// Which packages a request excludes, and by which pattern, for messages.
#[derive(Debug)]
pub(crate) struct Exclusions {
    by: Vec<Option<u32>>,
    patterns: Vec<String>,
}

impl Exclusions {
    /// `names`: name globs (kickstart `-name`, dnf's `install_specs`
    /// excludes); `specs`: dnf's `excludepkgs` (`--exclude`), read in the
    /// NEVRA forms.
    pub fn new(pool: &Pool, names: &[String], specs: &[String]) -> Result<Exclusions, SolveError> {
        let mut by = vec![None; pool.packages.len()];
        let everything = vec![true; pool.packages.len()];
        let mut patterns = Vec::new();
        for text in names {
            let glob = Glob::new(text)?;
            let ids: Vec<PkgId> = if glob.is_literal() {
                pool.by_name(text).to_vec()
            } else {
                pool.ids()
                    .filter(|&id| glob.matches(&pool.get(id).name))
                    .collect()
            };
            mark(&mut by, &ids, patterns.len());
            patterns.push(text.clone());
        }
        for text in specs {
            let found = best_solution(pool, &everything, text, Reading::NevraOnly)?;
            mark(&mut by, &found.ids, patterns.len());
            patterns.push(text.clone());
        }
        Ok(Exclusions { by, patterns })
    }

    /// Per package: not excluded.
    pub fn considered(&self) -> Vec<bool> {
        self.by.iter().map(Option::is_none).collect()
    }

    /// The pattern that excludes `id`, if one does.
    pub fn pattern(&self, id: PkgId) -> Option<&str> {
        self.by[id.0 as usize].map(|i| self.patterns[i as usize].as_str())
    }
}

fn mark(by: &mut [Option<u32>], ids: &[PkgId], pattern: usize) {
    for id in ids {
        by[id.0 as usize].get_or_insert(pattern as u32);
    }
}

/// The packages a spec selects: one set per job. An empty result is a
/// spec that matches nothing.
pub(crate) fn select(
    pool: &Pool,
    considered: &[bool],
    spec: &str,
    multilib: bool,
) -> Result<Vec<(String, Vec<PkgId>)>, SolveError> {
    let solution = best_solution(pool, considered, spec, Reading::Everything)?;
    if solution.ids.is_empty() {
        return Ok(Vec::new());
    }
    let arch_glob = solution.nevra.as_ref().is_some_and(|n| is_glob(&n.arch));
    if multilib || arch_glob {
        return Ok(per_arch(pool, considered, spec, &solution.ids));
    }
    let with_obsoleters = solution.nevra.as_ref().is_some_and(|n| n.has_just_name());
    let add_obsoleters = |mut ids: Vec<PkgId>| {
        if with_obsoleters {
            ids.extend(obsoleters(pool, considered, &ids));
            ids.sort_unstable();
            ids.dedup();
        }
        ids
    };
    if is_glob(spec) && !is_file_pattern(spec) {
        return Ok(per_name(pool, &solution)
            .into_iter()
            .map(|(name, ids)| (name, add_obsoleters(ids)))
            .collect());
    }
    Ok(vec![(spec.to_string(), add_obsoleters(solution.ids))])
}

/// What a glob matched, one set per name (dnf's `_name_dict`).
fn per_name(pool: &Pool, solution: &Solution) -> Vec<(String, Vec<PkgId>)> {
    let mut groups: Vec<(String, Vec<PkgId>)> = Vec::new();
    for &id in &solution.ids {
        let name = &pool.get(id).name;
        match groups.iter_mut().find(|(n, _)| n == name) {
            Some((_, group)) => group.push(id),
            None => groups.push((name.clone(), vec![id])),
        }
    }
    groups.sort_by(|a, b| a.0.cmp(&b.0));
    groups
}

/// dnf's multilib policy "all" (`%packages --multilib`, or an arch glob):
/// what a spec selects is installed for every arch it has, each (name,
/// arch) a job of its own with its obsoleters.
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
        .map(|((name, arch), mut group)| {
            group.extend(obsoleters(pool, considered, &group));
            group.sort_unstable();
            group.dedup();
            (format!("{label} ({name}.{arch})"), group)
        })
        .collect()
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
