//! `rootsmith repoquery`: questions about a pool, answered as dnf 4 answers
//! them (`dnf repoquery`, `dnf group list`, `dnf group info`), for whoever
//! needs to see why a compose did what it did.
//!
//! * [`load`]: the pool a query reads: what the target arch can install,
//!   its multilib arches included (dnf's `--forcearch`).
//! * [`all`], [`matching`]: every package, or those a key selects, read as
//!   `dnf repoquery KEY` reads it (the NEVRA forms with the name ignoring
//!   case, then paths; never capabilities).
//! * [`what_provides`]: libdnf's provides glob, else a file glob.
//! * [`what_requires`]: dnf's `--whatrequires` with `--alldeps` (its
//!   default): requirements that match the capability, and requirements
//!   that the packages the capability names provide.
//! * [`package_lines`], [`package_rows`], [`package_infos`]: the answer
//!   in dnf's order.
//! * [`list_groups`], [`group_info`]: comps, as `dnf group list` and `dnf
//!   group info` find it.
//!
//! Unlike `dnf repoquery`, which lists every package of the metadata
//! whatever `--forcearch` says (an x86_64 repository queried for aarch64
//! still lists its x86_64 packages), rootsmith queries only the packages
//! the target can install: its arch, its multilib arches and noarch.

use std::fmt;

use rustc_hash::FxHashSet;
use serde::Serialize;

use crate::engine::{self, EngineError, ResolvedPackage, Selection};
use crate::repo::{DepIndex, Package, PkgId, Pool, RepoSource, Setopt, Store};
use crate::rpm::{Cmp, Dep, DepExpr, DepKind};
use crate::solve::subject::{
    best_solution, file_provides, is_glob, may_be_path, provides_matches, whatprovides, Glob,
    Reading,
};
use crate::solve::SolveError;

/// The pool of `repos` (variables already substituted) that a query reads
/// for `arch`: every package that installs there, multilib arches included,
/// as dnf's `--forcearch` makes them compatible; `settings` are the
/// repositories' priorities and costs.
pub fn load(
    store: &Store,
    repos: &[RepoSource],
    settings: &[Setopt],
    arch: &str,
) -> Result<Pool, EngineError> {
    let mut everything = Selection::from_specs(&[]);
    everything.request.multilib = true;
    engine::pool_for(store, None, repos, settings, &everything, arch, "")
}

/// dnf repoquery's line for a package (its default `--queryformat`,
/// `%{name}-%{epoch}:%{version}-%{release}.%{arch}`): the epoch always.
pub fn line(p: &Package) -> String {
    let release = p.evr.release.as_deref().unwrap_or_default();
    format!(
        "{}-{}:{}-{release}.{}",
        p.name, p.evr.epoch, p.evr.version, p.arch
    )
}

/// Every package of the pool, sorted as `dnf repoquery` prints them.
pub fn all(pool: &Pool) -> Vec<PkgId> {
    sorted(pool, pool.ids().collect())
}

/// What `dnf repoquery KEY...` lists: the union of what each key selects.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Matches {
    /// Sorted as dnf prints them.
    pub packages: Vec<PkgId>,
    /// The keys that selected nothing.
    pub no_match: Vec<String>,
}

/// The packages `keys` select, each read as `dnf repoquery` reads a key.
pub fn matching(pool: &Pool, keys: &[String]) -> Result<Matches, SolveError> {
    let everything = vec![true; pool.packages.len()];
    let mut found = Matches::default();
    for key in keys {
        let ids = best_solution(pool, &everything, key, Reading::Key)?.ids;
        if ids.is_empty() {
            found.no_match.push(key.clone());
        }
        found.packages.extend(ids);
    }
    found.packages = sorted(pool, found.packages);
    Ok(found)
}

/// `dnf repoquery --whatprovides CAP`: the packages that provide `cap`
/// (`name [op evr]`, the name may be a glob; a rich dependency), else, as
/// dnf falls back, those with a file that `cap` matches as a glob.
pub fn what_provides(pool: &Pool, cap: &str) -> Result<Vec<PkgId>, SolveError> {
    let ids = provides_matches(pool, cap)?;
    if !ids.is_empty() || !may_be_path(cap) {
        return Ok(sorted(pool, ids));
    }
    let files = Glob::new(cap)?;
    let ids = pool.packages_with_file(|f| files.matches(f), files.is_literal())?;
    Ok(sorted(pool, ids))
}

/// `dnf repoquery --whatrequires CAP`: the packages with a Requires that
/// matches `cap` as a dependency (libsolv's `pool_match_dep`: same name,
/// overlapping ranges, any operand of a rich requirement but an `if`'s or
/// `unless`'s condition and a `without`'s second), and, when `cap` reads
/// as packages (its NEVRA forms, case-sensitive), those with a Requires
/// that one of these packages provides, themselves aside (libsolv's
/// `selection_make_matchsolvable`).
pub fn what_requires(pool: &Pool, cap: &str) -> Result<Vec<PkgId>, SolveError> {
    let everything = vec![true; pool.packages.len()];
    let mut named = vec![false; pool.packages.len()];
    let solution = best_solution(pool, &everything, cap, Reading::NevraOnly)?;
    for id in &solution.ids {
        named[id.0 as usize] = true;
    }
    let needle = Needle::new(pool, cap)?;
    let paths = file_provides(pool);
    let index = pool.index();
    let provided_by_named = |requirer: PkgId, d| match index.rich(d) {
        None => index
            .whatprovides(d)
            .iter()
            .any(|&p| p != requirer && named[p.0 as usize]),
        Some(Ok(expr)) => whatprovides(pool, expr, &paths)
            .iter()
            .any(|&p| p != requirer && named[p.0 as usize]),
        Some(Err(_)) => false,
    };
    let ids = pool
        .ids()
        .filter(|&id| {
            index.list(id, DepKind::Requires).iter().any(|&d| {
                needle.matches(Node::of(index, d))
                    || (!solution.ids.is_empty() && provided_by_named(id, d))
            })
        })
        .collect();
    Ok(sorted(pool, ids))
}

/// Sorted by their [`line`], as dnf sorts the lines it prints, then by
/// repository.
fn sorted(pool: &Pool, mut ids: Vec<PkgId>) -> Vec<PkgId> {
    ids.sort_unstable();
    ids.dedup();
    ids.sort_by_cached_key(|&id| line(pool.get(id)));
    ids
}

/// The capability of `--whatrequires` as libdnf makes dependencies of it
/// (`requires__glob`).
enum Needle<'p> {
    /// Text that does not read as a dependency: it matches nothing.
    Nothing,
    /// `name [op evr]` or a rich dependency.
    Exact(DepExpr),
    /// A name glob with a range: libdnf makes a dependency of every string
    /// of the pool the glob matches (libsolv's `dataiterator` over every
    /// key), which for a requirement's name means the names of packages,
    /// the first names of dependencies, and the file provides.
    Glob {
        names: FxHashSet<&'p str>,
        range: Dep,
    },
}

impl<'p> Needle<'p> {
    fn new(pool: &'p Pool, cap: &str) -> Result<Needle<'p>, SolveError> {
        let Ok(expr) = DepExpr::parse_header(cap) else {
            return Ok(Needle::Nothing);
        };
        match expr {
            DepExpr::Dep(dep) if is_glob(cap) => {
                let glob = Glob::new(&dep.name)?;
                Ok(Needle::Glob {
                    names: pool_strings(pool, &glob),
                    range: dep,
                })
            }
            // libdnf reads a glob with `DependencySplitter`, which has no
            // rich dependencies.
            _ if is_glob(cap) => Ok(Needle::Nothing),
            expr => Ok(Needle::Exact(expr)),
        }
    }

    /// libsolv's `pool_match_dep(needle, requirement)`.
    fn matches(&self, requirement: Node) -> bool {
        match self {
            Needle::Nothing => false,
            Needle::Exact(expr) => deps_match(Node::Rich(expr), requirement, &|a, b| {
                a.name == b.name && a.ranges_overlap(b)
            }),
            Needle::Glob { names, range } => {
                deps_match(Node::Simple(range), requirement, &|_, b| {
                    names.contains(b.name.as_str()) && range.ranges_overlap(b)
                })
            }
        }
    }
}

/// The strings of the pool that `glob` matches and that can be a
/// requirement's name: package names, the first name of every dependency
/// (what libsolv's `pool_id2str` makes of one), and the paths packages
/// provide as file provides.
fn pool_strings<'p>(pool: &'p Pool, glob: &Glob) -> FxHashSet<&'p str> {
    let index = pool.index();
    let mut names: FxHashSet<&str> = pool.packages.iter().map(|p| p.name.as_str()).collect();
    for id in pool.ids() {
        for kind in DepKind::ALL {
            names.extend(
                index
                    .list(id, kind)
                    .iter()
                    .filter_map(|&d| first_name(index, d)),
            );
        }
    }
    if may_be_path(glob.as_str()) {
        names.extend(file_provides(pool).into_iter().filter(|path| {
            glob.matches(path) && !pool.providers(&Dep::unversioned(*path)).is_empty()
        }));
    }
    names.retain(|n| glob.matches(n));
    names
}

/// The name libsolv shows for a dependency: a rich one's first operand's.
fn first_name(index: &DepIndex, d: crate::repo::DepId) -> Option<&str> {
    match index.rich(d) {
        None => Some(index.dep(d).name.as_str()),
        Some(Ok(expr)) => expr.operands().first().map(|o| o.name.as_str()),
        Some(Err(_)) => None,
    }
}

/// A dependency as libsolv holds it: a simple one, or a rich expression.
#[derive(Clone, Copy)]
enum Node<'a> {
    Simple(&'a Dep),
    Rich(&'a DepExpr),
}

impl<'a> Node<'a> {
    /// An interned dependency of the pool (a rich one that does not parse
    /// stays a name that nothing matches).
    fn of(index: &'a DepIndex, d: crate::repo::DepId) -> Node<'a> {
        match index.rich(d) {
            Some(Ok(expr)) => Node::Rich(expr),
            _ => Node::Simple(index.dep(d)),
        }
    }

    fn part(expr: &'a DepExpr) -> Node<'a> {
        match expr {
            DepExpr::Dep(d) => Node::Simple(d),
            rich => Node::Rich(rich),
        }
    }
}

/// libsolv's `pool_match_dep(d1, d2)`: a rich side matches when one of its
/// parts does (every operand of `and`, `or`, `with`; the branches of `if`
/// and `unless`; the first operand of `without`; both bounds of a `with`
/// interval), `d1` taken apart first; two simple ones as `leaf` says.
fn deps_match(d1: Node, d2: Node, leaf: &dyn Fn(&Dep, &Dep) -> bool) -> bool {
    match (d1, d2) {
        (Node::Rich(e), _) => rich_parts_match(e, &|part| deps_match(part, d2, leaf)),
        (_, Node::Rich(e)) => rich_parts_match(e, &|part| deps_match(d1, part, leaf)),
        (Node::Simple(a), Node::Simple(b)) => leaf(a, b),
    }
}

fn rich_parts_match(expr: &DepExpr, part_matches: &dyn Fn(Node) -> bool) -> bool {
    let any = |parts: &[DepExpr]| parts.iter().any(|p| part_matches(Node::part(p)));
    match expr {
        DepExpr::Dep(d) => part_matches(Node::Simple(d)),
        DepExpr::With(v) if is_interval(v) => v.iter().all(|p| part_matches(Node::part(p))),
        DepExpr::And(v) | DepExpr::Or(v) | DepExpr::With(v) => any(v),
        DepExpr::Without(a, _) => part_matches(Node::part(a)),
        DepExpr::If(then, _, otherwise) | DepExpr::Unless(then, _, otherwise) => {
            part_matches(Node::part(then))
                || otherwise
                    .as_deref()
                    .is_some_and(|o| part_matches(Node::part(o)))
        }
    }
}

/// `(foo >= 1 with foo < 2)`: two ranges of one name bounding it from
/// both sides (libsolv's `is_interval_dep`).
fn is_interval(parts: &[DepExpr]) -> bool {
    let [DepExpr::Dep(a), DepExpr::Dep(b)] = parts else {
        return false;
    };
    let bounds = |c: Cmp| {
        (
            matches!(c, Cmp::Lt | Cmp::Le),
            matches!(c, Cmp::Gt | Cmp::Ge),
        )
    };
    let (a_lt, a_gt) = bounds(a.cmp);
    let (b_lt, b_gt) = bounds(b.cmp);
    a.name == b.name && a.evr.is_some() && b.evr.is_some() && a_lt != b_lt && a_gt != b_gt
}

/// The lines dnf repoquery prints for `ids` (as the query functions sort
/// them): a package that two repositories hold, once.
pub fn package_lines(pool: &Pool, ids: &[PkgId]) -> Vec<String> {
    let mut lines: Vec<String> = ids.iter().map(|&id| line(pool.get(id))).collect();
    lines.dedup();
    lines
}

/// Packages as a list query shows them, in dnf's order, one row per
/// repository that holds them.
pub fn package_rows(pool: &Pool, ids: &[PkgId]) -> Vec<ResolvedPackage> {
    ids.iter()
        .map(|&id| ResolvedPackage::new(pool, id))
        .collect()
}

/// A package as `dnf repoquery --info` describes it, with the fields
/// rootsmith reads from primary.xml (dnf also shows URL, License and
/// Description, which rootsmith does not keep).
#[derive(Clone, Debug, Serialize)]
pub struct PackageInfo {
    #[serde(flatten)]
    pub package: ResolvedPackage,
    pub summary: String,
    /// Empty for a source package.
    pub source_rpm: String,
    /// Of the .rpm file, in bytes.
    pub download_size: u64,
    pub installed_size: u64,
}

/// `--info` for `ids`, sorted and without repeats as dnf prints them (by
/// the text of each description).
pub fn package_infos(pool: &Pool, ids: &[PkgId]) -> Vec<PackageInfo> {
    let mut infos: Vec<(String, PackageInfo)> = ids
        .iter()
        .map(|&id| {
            let p = pool.get(id);
            let info = PackageInfo {
                package: ResolvedPackage::new(pool, id),
                summary: p.summary.clone(),
                source_rpm: p.source_rpm.clone(),
                download_size: p.size_package,
                installed_size: p.size_installed,
            };
            (info.to_string(), info)
        })
        .collect();
    infos.sort_by(|a, b| a.0.cmp(&b.0));
    infos.dedup_by(|a, b| a.0 == b.0);
    infos.into_iter().map(|(_, info)| info).collect()
}

/// dnf's layout (`Output.infoOutput`): a 12-column key, ` : `, the value;
/// the epoch only when not 0; the size as dnf rounds it.
impl fmt::Display for PackageInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = &self.package;
        let line = |f: &mut fmt::Formatter<'_>, key: &str, value: &dyn fmt::Display| {
            writeln!(f, "{key:<12} : {value}")
        };
        line(f, "Name", &p.name)?;
        if p.epoch != 0 {
            line(f, "Epoch", &p.epoch)?;
        }
        line(f, "Version", &p.version)?;
        line(f, "Release", &p.release)?;
        line(f, "Architecture", &p.arch)?;
        line(f, "Size", &human_size(self.download_size))?;
        // dnf prints Python's None for a package without one.
        let source = match self.source_rpm.as_str() {
            "" => "None",
            s => s,
        };
        line(f, "Source", &source)?;
        line(f, "Repository", &p.repo)?;
        write!(f, "{:<12} : {}", "Summary", self.summary)
    }
}

/// dnf's `format_number`: 1024 steps while above 999, one decimal below
/// 9.95, none from there.
fn human_size(bytes: u64) -> String {
    const SYMBOLS: [&str; 9] = [" ", "k", "M", "G", "T", "P", "E", "Z", "Y"];
    let mut number = bytes as f64;
    let mut depth = 0;
    while number > 999.0 && depth < SYMBOLS.len() - 1 {
        depth += 1;
        number /= 1024.0;
    }
    if number < 9.95 {
        format!("{number:.1} {}", SYMBOLS[depth])
    } else {
        format!("{number:.0} {}", SYMBOLS[depth])
    }
}

/// A group or environment as `dnf group list --ids` shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CompsEntry {
    pub id: String,
    pub name: String,
}

/// Every environment and group of the enabled repositories' comps, each
/// sorted by id (dnf sorts by comps' display order, which rootsmith does
/// not read), hidden ones too (`dnf group list --hidden`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct GroupList {
    pub environments: Vec<CompsEntry>,
    pub groups: Vec<CompsEntry>,
}

impl GroupList {
    pub fn is_empty(&self) -> bool {
        self.environments.is_empty() && self.groups.is_empty()
    }
}

pub fn list_groups(pool: &Pool) -> GroupList {
    let entry = |id: &str, name: &str| CompsEntry {
        id: id.to_string(),
        name: name.to_string(),
    };
    let mut list = GroupList {
        environments: (pool.comps.environments.iter())
            .map(|e| entry(&e.id, &e.name))
            .collect(),
        groups: (pool.comps.groups.iter())
            .map(|g| entry(&g.id, &g.name))
            .collect(),
    };
    list.environments.sort_by(|a, b| a.id.cmp(&b.id));
    list.groups.sort_by(|a, b| a.id.cmp(&b.id));
    list
}

/// A group's package list entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Member {
    pub name: String,
    /// A conditional member's requirement: installed when this is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requires: Option<String>,
    /// Whether a package of this name is in the enabled repositories.
    pub available: bool,
}

/// A group's members by type, each list sorted by name as dnf shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GroupMembers {
    pub id: String,
    pub name: String,
    pub mandatory: Vec<Member>,
    pub default: Vec<Member>,
    pub optional: Vec<Member>,
    pub conditional: Vec<Member>,
}

/// An environment's groups by type, sorted by name as dnf shows them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EnvironmentMembers {
    pub id: String,
    pub name: String,
    pub mandatory: Vec<GroupRef>,
    pub optional: Vec<GroupRef>,
}

/// A group an environment names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GroupRef {
    pub id: String,
    /// Its name, if the comps of the enabled repositories define it (dnf's
    /// `group info` leaves the others out).
    pub name: Option<String>,
}

/// What `dnf group info PATTERN` shows: the environments, then the groups,
/// whose id or name is `pattern`, else whose id or name the pattern
/// matches as a case-insensitive glob.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct GroupInfo {
    pub environments: Vec<EnvironmentMembers>,
    pub groups: Vec<GroupMembers>,
}

impl GroupInfo {
    pub fn is_empty(&self) -> bool {
        self.environments.is_empty() && self.groups.is_empty()
    }
}

pub fn group_info(pool: &Pool, pattern: &str) -> Result<GroupInfo, SolveError> {
    let (environments, groups) =
        pool.comps
            .by_pattern(pattern)
            .map_err(|e| SolveError::BadPattern {
                pattern: pattern.to_string(),
                reason: e.msg.to_string(),
            })?;
    let members = |names: &[String]| -> Vec<Member> {
        sorted_by_name(names.iter().map(|n| member(pool, n, None)).collect())
    };
    let group_refs = |ids: &[String]| -> Vec<GroupRef> {
        let mut refs: Vec<GroupRef> = (ids.iter())
            .map(|id| GroupRef {
                id: id.clone(),
                name: pool.group(id).map(|g| g.name.clone()),
            })
            .collect();
        refs.sort_by(|a, b| {
            (a.name.as_ref().unwrap_or(&a.id), &a.id)
                .cmp(&(b.name.as_ref().unwrap_or(&b.id), &b.id))
        });
        refs.dedup();
        refs
    };
    Ok(GroupInfo {
        environments: (environments.into_iter())
            .map(|e| EnvironmentMembers {
                id: e.id.clone(),
                name: e.name.clone(),
                mandatory: group_refs(&e.groups),
                optional: group_refs(&e.optional),
            })
            .collect(),
        groups: (groups.into_iter())
            .map(|g| GroupMembers {
                id: g.id.clone(),
                name: g.name.clone(),
                mandatory: members(&g.mandatory),
                default: members(&g.default),
                optional: members(&g.optional),
                conditional: sorted_by_name(
                    (g.conditional.iter())
                        .map(|(name, req)| member(pool, name, Some(req)))
                        .collect(),
                ),
            })
            .collect(),
    })
}

fn member(pool: &Pool, name: &str, requires: Option<&String>) -> Member {
    Member {
        name: name.to_string(),
        requires: requires.cloned(),
        available: !pool.by_name(name).is_empty(),
    }
}

/// Sorted by name; a package that the comps of two repositories both
/// list, once (dnf merges them).
fn sorted_by_name(mut members: Vec<Member>) -> Vec<Member> {
    members.sort_by(|a, b| (&a.name, &a.requires).cmp(&(&b.name, &b.requires)));
    members.dedup();
    members
}

/// dnf's `group list --ids` layout, each list under its heading.
impl fmt::Display for GroupList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let section = |f: &mut fmt::Formatter<'_>, heading: &str, entries: &[CompsEntry]| {
            if !entries.is_empty() {
                writeln!(f, "{heading}")?;
            }
            entries
                .iter()
                .try_for_each(|e| writeln!(f, "   {} ({})", e.name, e.id))
        };
        section(f, "Environment Groups:", &self.environments)?;
        section(f, "Groups:", &self.groups)
    }
}

/// dnf's `group info` layout, ids added to the headings; a conditional
/// member with its requirement, a member without a package and an
/// environment's group that comps does not define marked as such.
impl fmt::Display for GroupInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.environments {
            writeln!(f, "Environment Group: {} ({})", e.name, e.id)?;
            for (heading, refs) in [
                (" Mandatory Groups:", &e.mandatory),
                (" Optional Groups:", &e.optional),
            ] {
                if !refs.is_empty() {
                    writeln!(f, "{heading}")?;
                }
                for r in refs {
                    match &r.name {
                        Some(name) => writeln!(f, "   {name} ({})", r.id)?,
                        None => writeln!(f, "   {} (no such group)", r.id)?,
                    }
                }
            }
        }
        for g in &self.groups {
            writeln!(f, "Group: {} ({})", g.name, g.id)?;
            let sections = [
                (" Mandatory Packages:", &g.mandatory),
                (" Default Packages:", &g.default),
                (" Optional Packages:", &g.optional),
                (" Conditional Packages:", &g.conditional),
            ];
            for (heading, members) in sections {
                if !members.is_empty() {
                    writeln!(f, "{heading}")?;
                }
                for m in members {
                    write!(f, "   {}", m.name)?;
                    if let Some(req) = &m.requires {
                        write!(f, " (if {req})")?;
                    }
                    if !m.available {
                        write!(f, " (no package)")?;
                    }
                    writeln!(f)?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_round_as_dnf_rounds_them() {
        assert_eq!(human_size(1_782_000), "1.7 M");
        assert_eq!(human_size(999), "999  ");
        assert_eq!(human_size(1000), "1.0 k");
        assert_eq!(human_size(10_188), "9.9 k");
        assert_eq!(human_size(10_240), "10 k");
        assert_eq!(human_size(5), "5.0  ");
    }

    #[test]
    fn an_interval_is_two_bounds_of_one_name() {
        let parse = |s: &str| match DepExpr::parse(s).unwrap() {
            DepExpr::With(v) => v,
            other => panic!("{other:?}"),
        };
        assert!(is_interval(&parse("(foo >= 1 with foo < 2)")));
        assert!(!is_interval(&parse("(foo >= 1 with bar < 2)")));
        assert!(!is_interval(&parse("(foo >= 1 with foo > 2)")));
        assert!(!is_interval(&parse("(foo with foo < 2)")));
    }

    #[test]
    fn rich_requirements_match_by_their_parts_as_libsolv_matches_them() {
        let exact = |a: &Dep, b: &Dep| a.name == b.name && a.ranges_overlap(b);
        let matches = |needle: &str, req: &str| {
            let (n, r) = (
                DepExpr::parse(needle).unwrap(),
                DepExpr::parse(req).unwrap(),
            );
            deps_match(Node::part(&n), Node::part(&r), &exact)
        };
        assert!(matches("a", "(a or b)"));
        assert!(matches("b", "(a and b)"));
        assert!(matches("a", "(a if b)"));
        assert!(!matches("b", "(a if b)"), "a condition is not required");
        assert!(matches("c", "(a if b else c)"));
        assert!(!matches("b", "(a without b)"));
        assert!(matches("foo >= 3", "(foo >= 1 with bar)"));
        assert!(
            !matches("foo >= 3", "(foo >= 1 with foo < 2)"),
            "both bounds"
        );
        assert!(matches("foo = 1.5", "(foo >= 1 with foo < 2)"));
        assert!(!matches("foo < 1", "foo >= 2"));
        assert!(matches("foo", "foo >= 2"));
    }
}
