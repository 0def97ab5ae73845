//! What a package spec matches, found as libdnf's `Subject` finds it
//! (`Query::filterSubject`): the spec is read in the forms
//! `name-[epoch:]version-release.arch`, `name.arch`, `name`,
//! `name-[epoch:]version-release`, `name-[epoch:]version`, in that order,
//! each part a glob; then as a glob over whole NEVRAs; then (for an install)
//! as a capability whose name may be a glob; then, for a path, as a glob over
//! every package's files. The first reading that matches decides.
//! `dnf repoquery` reads its keys the same way, names case-insensitively and
//! never as capabilities ([`Reading::Key`]).

use rustc_hash::FxHashSet;

use super::SolveError;
use crate::repo::{PkgId, Pool};
use crate::rpm::{Dep, DepExpr, DepKind};

/// A spec read in one of the NEVRA forms; an empty part is not given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Nevra {
    pub name: String,
    pub epoch: Option<u32>,
    pub version: String,
    pub release: String,
    pub arch: String,
}

impl Nevra {
    /// Only a name (dnf then also offers the packages that obsolete it).
    pub fn has_just_name(&self) -> bool {
        self.epoch.is_none()
            && self.version.is_empty()
            && self.release.is_empty()
            && self.arch.is_empty()
    }
}

/// The forms, in dnf's order (`HY_FORMS_MOST_SPEC`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    Nevra,
    Na,
    Name,
    Nevr,
    Nev,
}

const FORMS: [Form; 5] = [Form::Nevra, Form::Na, Form::Name, Form::Nevr, Form::Nev];

/// Characters no part of a NEVRA may hold (libdnf's regular expressions);
/// a version or release also holds no `-`, an arch neither `-` nor `.`.
fn plain(part: &str, also: &[char]) -> bool {
    !part.is_empty()
        && !part
            .chars()
            .any(|c| matches!(c, ':' | '(' | '/' | '=' | '<' | '>' | ' ') || also.contains(&c))
}

impl Form {
    /// libdnf's `Nevra::parse`: the spec read in this form, if it fits.
    fn parse(self, spec: &str) -> Option<Nevra> {
        let (rest, arch) = match self {
            Form::Nevra | Form::Na => {
                let (rest, arch) = spec.rsplit_once('.')?;
                plain(arch, &['-', '.']).then_some((rest, arch))?
            }
            _ => (spec, ""),
        };
        let (name, epoch, version, release) = match self {
            Form::Na | Form::Name => (rest, None, "", ""),
            Form::Nevra | Form::Nevr => {
                let (rest, release) = rest.rsplit_once('-')?;
                let (name, ev) = rest.rsplit_once('-')?;
                let (epoch, version) = split_epoch(ev)?;
                (
                    name,
                    epoch,
                    version,
                    plain(release, &['-']).then_some(release)?,
                )
            }
            Form::Nev => {
                let (name, ev) = rest.rsplit_once('-')?;
                let (epoch, version) = split_epoch(ev)?;
                (name, epoch, version, "")
            }
        };
        plain(name, &[]).then(|| Nevra {
            name: name.to_string(),
            epoch,
            version: version.to_string(),
            release: release.to_string(),
            arch: arch.to_string(),
        })
    }
}

/// `[epoch:]version`, the epoch all digits and the version plain.
fn split_epoch(ev: &str) -> Option<(Option<u32>, &str)> {
    let (epoch, version) = match ev.split_once(':') {
        Some((e, v)) if !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()) => {
            (Some(e.parse().ok()?), v)
        }
        Some(_) => return None,
        None => (None, ev),
    };
    plain(version, &['-']).then_some((epoch, version))
}

/// fnmatch without flags, as libdnf's `HY_GLOB` filters use it; a part
/// that is not a valid pattern is an error, never silently literal.
#[derive(Clone, Debug)]
pub(crate) struct Glob {
    text: String,
    pattern: Option<glob::Pattern>,
    /// `FNM_CASEFOLD` (libdnf's `HY_ICASE`).
    icase: bool,
}

impl Glob {
    pub fn new(text: &str) -> Result<Glob, SolveError> {
        let pattern = if is_glob(text) {
            Some(
                glob::Pattern::new(text).map_err(|e| SolveError::BadPattern {
                    pattern: text.to_string(),
                    reason: e.msg.to_string(),
                })?,
            )
        } else {
            None
        };
        Ok(Glob {
            text: text.to_string(),
            pattern,
            icase: false,
        })
    }

    /// The same pattern, matched ignoring ASCII case.
    pub fn ignoring_case(self) -> Glob {
        Glob {
            icase: true,
            ..self
        }
    }

    pub fn matches(&self, s: &str) -> bool {
        let options = glob::MatchOptions {
            case_sensitive: !self.icase,
            ..Default::default()
        };
        match &self.pattern {
            Some(p) => p.matches_with(s, options),
            None if self.icase => self.text.eq_ignore_ascii_case(s),
            None => self.text == s,
        }
    }

    pub fn is_literal(&self) -> bool {
        self.pattern.is_none()
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// dnf's test for a glob.
pub fn is_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// A spec that dnf reads as a path pattern (`/usr/bin/x`, `*/x`).
pub(crate) fn is_file_pattern(spec: &str) -> bool {
    spec.starts_with('/') || spec.starts_with("*/")
}

/// What a spec selects, and the NEVRA form it was read in when that decided.
#[derive(Debug, Default)]
pub(crate) struct Solution {
    pub ids: Vec<PkgId>,
    pub nevra: Option<Nevra>,
}

/// How far a spec is read: an exclusion (dnf's `excludepkgs`) stops after
/// the NEVRA readings, an install goes on to capabilities and files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reading {
    /// `excludepkgs`, and the packages of `repoquery --whatrequires`.
    NevraOnly,
    /// A key of `dnf repoquery` (`Subject(key, ignore_case=True)` without
    /// provides): the NEVRA readings with the name matched ignoring case,
    /// then paths.
    Key,
    Everything,
}

/// libdnf's `Query::filterSubject` over the packages `considered`.
pub(crate) fn best_solution(
    pool: &Pool,
    considered: &[bool],
    spec: &str,
    reading: Reading,
) -> Result<Solution, SolveError> {
    let usable = |id: &PkgId| considered[id.0 as usize];
    for form in FORMS {
        let Some(nevra) = form.parse(spec) else {
            continue;
        };
        let ids = nevra_matches(pool, &nevra, reading == Reading::Key)?
            .into_iter()
            .filter(usable)
            .collect::<Vec<_>>();
        if !ids.is_empty() {
            return Ok(Solution {
                ids,
                nevra: Some(nevra),
            });
        }
    }
    let ids = whole_nevra_matches(pool, spec)?
        .into_iter()
        .filter(usable)
        .collect::<Vec<_>>();
    if !ids.is_empty() || reading == Reading::NevraOnly {
        return Ok(Solution { ids, nevra: None });
    }
    if reading == Reading::Everything {
        let ids: Vec<PkgId> = provides_matches(pool, spec)?
            .into_iter()
            .filter(usable)
            .collect();
        if !ids.is_empty() {
            return Ok(Solution { ids, nevra: None });
        }
    }
    if !is_file_pattern(spec) {
        return Ok(Solution::default());
    }
    let files = Glob::new(spec)?;
    let ids = pool
        .packages_with_file(|f| files.matches(f), files.is_literal())?
        .into_iter()
        .filter(usable)
        .collect();
    Ok(Solution { ids, nevra: None })
}

/// libdnf's `Query::addFilter(Nevra)`: every given part as a glob, the
/// epoch exactly; `*` is the same as not given. `icase`: the name ignoring
/// case.
fn nevra_matches(pool: &Pool, nevra: &Nevra, icase: bool) -> Result<Vec<PkgId>, SolveError> {
    let part = |s: &str| -> Result<Option<Glob>, SolveError> {
        match s {
            "" | "*" => Ok(None),
            _ => Glob::new(s).map(Some),
        }
    };
    let (version, release, arch) = (
        part(&nevra.version)?,
        part(&nevra.release)?,
        part(&nevra.arch)?,
    );
    let fits = |id: &PkgId| {
        let p = pool.get(*id);
        nevra.epoch.is_none_or(|e| e == p.evr.epoch)
            && version.as_ref().is_none_or(|g| g.matches(&p.evr.version))
            && release
                .as_ref()
                .is_none_or(|g| g.matches(p.evr.release.as_deref().unwrap_or("")))
            && arch.as_ref().is_none_or(|g| g.matches(&p.arch))
    };
    let candidates: Vec<PkgId> = match part(&nevra.name)? {
        None => pool.ids().collect(),
        Some(name) if name.is_literal() && !icase => pool.by_name(name.as_str()).to_vec(),
        Some(name) => {
            let name = if icase { name.ignoring_case() } else { name };
            pool.ids()
                .filter(|&id| name.matches(&pool.get(id).name))
                .collect()
        }
    };
    Ok(candidates.into_iter().filter(fits).collect())
}

/// libdnf's `HY_PKG_NEVRA` glob: the whole spec against
/// `name-[epoch:]version-release.arch`, the epoch shown (0 included) only
/// when the spec has one.
fn whole_nevra_matches(pool: &Pool, spec: &str) -> Result<Vec<PkgId>, SolveError> {
    if spec.contains(['(', '/', '=', '<', '>', ' ']) {
        return Ok(Vec::new());
    }
    let glob = Glob::new(spec)?;
    let with_epoch = spec.contains(':');
    Ok(pool
        .ids()
        .filter(|&id| {
            let p = pool.get(id);
            let evr = match &p.evr.release {
                Some(r) if with_epoch => format!("{}:{}-{r}", p.evr.epoch, p.evr.version),
                Some(r) => format!("{}-{r}", p.evr.version),
                None if with_epoch => format!("{}:{}", p.evr.epoch, p.evr.version),
                None => p.evr.version.clone(),
            };
            glob.matches(&format!("{}-{evr}.{}", p.name, p.arch))
        })
        .collect())
}

/// libdnf's provides filter (`HY_PKG_PROVIDES`, a glob when the spec has
/// one): `name [op evr]`, the name a glob over every provided name, the
/// range matched as rpm matches it; a rich dependency (never a glob) by
/// what provides it as libsolv computes that ([`whatprovides`]). A path is
/// provided as libsolv provides it: by a Provides, or by a file that some
/// dependency names ([`file_provides`]); other files are found by the
/// file reading alone.
pub(crate) fn provides_matches(pool: &Pool, spec: &str) -> Result<Vec<PkgId>, SolveError> {
    let dep = match DepExpr::parse_header(spec) {
        Ok(DepExpr::Dep(dep)) => dep,
        Ok(rich) if !is_glob(spec) => {
            return Ok(whatprovides(pool, &rich, &file_provides(pool)));
        }
        _ => return Ok(Vec::new()),
    };
    if !is_glob(&dep.name) {
        let paths = match may_be_path(&dep.name) {
            true => file_provides(pool),
            false => Default::default(),
        };
        return Ok(whatprovides(pool, &DepExpr::Dep(dep), &paths));
    }
    let name = Glob::new(&dep.name)?;
    let mut ids = pool.index().providers_by_pattern(|n| name.matches(n), &dep);
    if may_be_path(&dep.name) {
        for path in file_provides(pool).into_iter().filter(|p| name.matches(p)) {
            ids.extend(pool.providers(&Dep {
                name: path.to_string(),
                ..dep.clone()
            }));
        }
        ids.sort_unstable();
        ids.dedup();
    }
    Ok(ids)
}

/// Whether a name or name glob can match a path.
pub(crate) fn may_be_path(pattern: &str) -> bool {
    pattern.starts_with(['/', '*', '?', '['])
}

/// The paths libsolv makes file provides of (`pool_addfileprovides`): every
/// path that a dependency other than a Provides names, alone or anywhere
/// inside a rich one. Only these are provided by the packages that hold
/// them.
pub(crate) fn file_provides(pool: &Pool) -> FxHashSet<&str> {
    let index = pool.index();
    let mut paths = FxHashSet::default();
    for id in pool.ids() {
        for kind in DepKind::ALL.into_iter().filter(|&k| k != DepKind::Provides) {
            for &d in index.list(id, kind) {
                match index.rich(d) {
                    Some(Ok(expr)) => {
                        paths.extend(expr.operands().into_iter().map(|o| o.name.as_str()))
                    }
                    Some(Err(_)) => {}
                    None => {
                        paths.insert(index.dep(d).name.as_str());
                    }
                }
            }
        }
    }
    paths.retain(|p| p.starts_with('/'));
    paths
}

/// What libsolv's whatprovides gives for a dependency, ascending: for a
/// simple one its providers (a path only as a file provide, see
/// [`file_provides`]); for a rich one `and` and `or` the union of their
/// operands', `with` the intersection, `without` the first operand's less
/// the second's, `if` and `unless` the union of the two branches (the
/// condition taken as true). Not the solver's reading of a rich
/// dependency: this is what libdnf's queries see.
pub(crate) fn whatprovides(
    pool: &Pool,
    expr: &DepExpr,
    file_provides: &FxHashSet<&str>,
) -> Vec<PkgId> {
    let of = |e: &DepExpr| whatprovides(pool, e, file_provides);
    let union = |sets: Vec<Vec<PkgId>>| {
        let mut all: Vec<PkgId> = sets.into_iter().flatten().collect();
        all.sort_unstable();
        all.dedup();
        all
    };
    match expr {
        DepExpr::Dep(dep)
            if dep.name.starts_with('/') && !file_provides.contains(dep.name.as_str()) =>
        {
            pool.index().providers_by_pattern(|n| n == dep.name, dep)
        }
        DepExpr::Dep(dep) => pool.providers(dep),
        DepExpr::And(v) | DepExpr::Or(v) => union(v.iter().map(of).collect()),
        DepExpr::With(v) => v
            .iter()
            .map(of)
            .reduce(|a, b| a.into_iter().filter(|p| b.contains(p)).collect())
            .unwrap_or_default(),
        DepExpr::Without(a, b) => {
            let without = of(b);
            of(a).into_iter().filter(|p| !without.contains(p)).collect()
        }
        DepExpr::If(then, _, otherwise) | DepExpr::Unless(then, _, otherwise) => union(
            std::iter::once(then)
                .chain(otherwise)
                .map(|e| of(e))
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(form: Form, spec: &str) -> Option<(String, Option<u32>, String, String, String)> {
        form.parse(spec)
            .map(|n| (n.name, n.epoch, n.version, n.release, n.arch))
    }

    fn t(
        n: &str,
        e: Option<u32>,
        v: &str,
        r: &str,
        a: &str,
    ) -> Option<(String, Option<u32>, String, String, String)> {
        Some((n.into(), e, v.into(), r.into(), a.into()))
    }

    #[test]
    fn forms_read_as_libdnf_reads_them() {
        assert_eq!(
            read(Form::Nevra, "ts-epoch-2:1.0-1.noarch"),
            t("ts-epoch", Some(2), "1.0", "1", "noarch")
        );
        assert_eq!(
            read(Form::Nevra, "ts-kernel-2.0-1"),
            None,
            "arch 0-1 holds a dash"
        );
        assert_eq!(
            read(Form::Nevr, "ts-kernel-[12].0-1"),
            t("ts-kernel", None, "[12].0", "1", "")
        );
        assert_eq!(
            read(Form::Na, "python3.11.x86_64"),
            t("python3.11", None, "", "", "x86_64")
        );
        assert_eq!(
            read(Form::Nev, "ts-kernel-1.*"),
            t("ts-kernel", None, "1.*", "", "")
        );
        assert_eq!(read(Form::Nev, "foo-a:1"), None, "a non-numeric epoch");
        assert_eq!(read(Form::Name, "foo >= 1"), None);
        assert_eq!(read(Form::Name, "/usr/bin/x"), None);
        assert_eq!(read(Form::Nev, "-1"), None, "an empty name");
    }

    #[test]
    fn only_a_bare_name_has_just_a_name() {
        assert!(Form::Name.parse("bash").unwrap().has_just_name());
        assert!(!Form::Na.parse("bash.x86_64").unwrap().has_just_name());
        assert!(!Form::Nev.parse("bash-5").unwrap().has_just_name());
    }
}
