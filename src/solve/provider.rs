//! The bridge between the package [`Pool`] and resolvo.
//!
//! Solver names are package *names* (resolvo allows one solvable per name, as
//! rpm allows one version per name). A capability such as `/bin/sh` or
//! `libc.so.6()(64bit)` is not a name: it becomes a union of per-name version
//! sets, each an explicit set of the packages of that name that provide it.
//! Explicit sets keep rpm's matching rules (versioned provides, file lists,
//! release-less ranges) in one place, [`Provider::providers`], instead of
//! re-deriving them from version ranges inside the solver.
//!
//! A capability nothing provides gets a name of its own with no candidates, so
//! resolvo's conflict report names the missing capability.

use std::cell::{Cell, RefCell};
use std::fmt::Display;
use std::hash::Hash;
use std::rc::Rc;

use resolvo::{
    Candidates, Condition, ConditionId, ConditionalRequirement, Dependencies, DependencyProvider,
    HintDependenciesAvailable, Interner, KnownDependencies, LogicalOperator, NameId, Requirement,
    SolvableId, SolverCache, StringId, VersionSetId, VersionSetUnionId,
};

use super::fxhash::FxHashMap as HashMap;
use super::policy;
use super::rich::{self, Clause};
use super::Exclusions;
use crate::rpm::{Dep, DepExpr};
use crate::repo::{Package, PkgId, Pool};

/// Append-only interner: ids are indexes, equal values share an id.
struct Interned<T> {
    items: Vec<T>,
    index: HashMap<T, u32>,
}

impl<T: Clone + Eq + Hash> Interned<T> {
    fn new() -> Self {
        Interned {
            items: Vec::new(),
            index: HashMap::default(),
        }
    }

    fn intern(&mut self, value: T) -> u32 {
        if let Some(&id) = self.index.get(&value) {
            return id;
        }
        let id = self.items.len() as u32;
        self.items.push(value.clone());
        self.index.insert(value, id);
        id
    }

    fn get(&self, id: u32) -> &T {
        &self.items[id as usize]
    }
}

/// Why a version set exists; it decides how the set reads in messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Role {
    Requires,
    Conflicts,
    Obsoletes,
}

/// A set of packages of one name: `members`, or all but `members` if `negate`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct VersionSet {
    pub name: NameId,
    members: Vec<PkgId>,
    negate: bool,
    /// The dependency this set was made from, as written in the metadata.
    pub dep: String,
    pub role: Role,
}

impl VersionSet {
    fn contains(&self, id: PkgId) -> bool {
        self.members.binary_search(&id).is_ok() != self.negate
    }
}

pub(crate) fn solvable(id: PkgId) -> SolvableId {
    SolvableId::from_raw(id.0)
}

pub(crate) fn pkg(id: SolvableId) -> PkgId {
    PkgId(id.into_raw())
}

/// A dependency the solver cannot express, recorded while the solver runs and
/// turned into [`super::SolveError::Unsupported`] afterwards.
#[derive(Clone, Debug)]
pub(crate) struct Unsupported {
    pub package: Option<PkgId>,
    pub dependency: String,
    pub reason: String,
}

pub(crate) struct Provider<'p> {
    pub pool: &'p Pool,
    /// By name id: the exclude pattern that removes that name, if any.
    excluded_by: Vec<Option<String>>,
    /// Package names sorted, so that name ids order like the names themselves
    /// (the order in which alternative providers are tried, as libsolv does).
    names: Vec<&'p str>,
    name_ids: HashMap<&'p str, NameId>,
    /// The name id of each package, by [`PkgId`]: resolvo asks for it a lot.
    name_of: Vec<NameId>,
    /// Candidates of each package name, best first.
    candidates: Vec<Vec<PkgId>>,
    /// Names for capabilities nothing provides, numbered after package names.
    missing: RefCell<Interned<String>>,
    version_sets: RefCell<Interned<VersionSet>>,
    unions: RefCell<Interned<Vec<VersionSetId>>>,
    conditions: RefCell<Interned<Condition>>,
    strings: RefCell<Interned<String>>,
    /// Providers per simple dependency; the same dependency recurs in many packages.
    provider_cache: RefCell<HashMap<Dep, Rc<[PkgId]>>>,
    /// The requirement for a simple dependency, alternatives in name order.
    requirement_cache: RefCell<HashMap<Dep, Requirement>>,
    /// Parsed rich dependencies: weak-dependency rounds evaluate the same
    /// Supplements over and over.
    rich_cache: RefCell<HashMap<String, Rc<Result<DepExpr, String>>>>,
    unsupported: RefCell<Option<Unsupported>>,
    /// Cancel the solve on an unsupported dependency (hard requirements), or
    /// just treat its package as uninstallable (weak dependencies).
    strict: Cell<bool>,
}

impl<'p> Provider<'p> {
    pub fn new(pool: &'p Pool, exclusions: Exclusions) -> Self {
        let mut names: Vec<&str> = pool.packages.iter().map(|p| p.name.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        let name_ids: HashMap<&str, NameId> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (*n, NameId::from_raw(i as u32)))
            .collect();
        let name_of = pool
            .packages
            .iter()
            .map(|p| name_ids[p.name.as_str()])
            .collect();
        let candidates = names
            .iter()
            .map(|n| {
                let mut ids = pool.by_name(n).to_vec();
                ids.sort_by(|a, b| policy::compare(pool, *a, *b));
                ids
            })
            .collect();
        let excluded_by = names
            .iter()
            .map(|n| exclusions.matches(n).map(str::to_string))
            .collect();
        Provider {
            pool,
            excluded_by,
            names,
            name_ids,
            name_of,
            candidates,
            missing: RefCell::new(Interned::new()),
            version_sets: RefCell::new(Interned::new()),
            unions: RefCell::new(Interned::new()),
            conditions: RefCell::new(Interned::new()),
            strings: RefCell::new(Interned::new()),
            provider_cache: RefCell::new(HashMap::default()),
            requirement_cache: RefCell::new(HashMap::default()),
            rich_cache: RefCell::new(HashMap::default()),
            unsupported: RefCell::new(None),
            strict: Cell::new(true),
        }
    }

    pub fn is_excluded(&self, id: PkgId) -> bool {
        self.excluded_by[self.name_of[id.0 as usize].into_raw() as usize].is_some()
    }

    pub fn name_id(&self, name: &str) -> Option<NameId> {
        self.name_ids.get(name).copied()
    }

    /// Candidates of a package name, best first (empty for unknown names).
    pub fn candidates_of(&self, name: &str) -> &[PkgId] {
        self.name_id(name)
            .map(|n| self.candidates[n.into_raw() as usize].as_slice())
            .unwrap_or(&[])
    }

    /// From now on, a package with an unsupported dependency is merely
    /// uninstallable: an optional package must not fail the request.
    pub fn set_lenient(&self) {
        self.strict.set(false);
    }

    pub fn take_unsupported(&self) -> Option<Unsupported> {
        self.unsupported.borrow_mut().take()
    }

    pub fn version_set(&self, id: VersionSetId) -> VersionSet {
        self.with_version_set(id, VersionSet::clone)
    }

    fn with_version_set<R>(&self, id: VersionSetId, f: impl FnOnce(&VersionSet) -> R) -> R {
        f(self.version_sets.borrow().get(id.0))
    }

    pub fn union_members(&self, id: VersionSetUnionId) -> Vec<VersionSetId> {
        self.unions.borrow().get(id.0).clone()
    }

    pub fn string(&self, id: StringId) -> String {
        self.strings.borrow().get(id.0).clone()
    }

    pub fn nevra(&self, id: PkgId) -> String {
        self.pool.get(id).nevra()
    }

    /// Every package that provides `dep`: explicit provides, files, and the
    /// package's own `name = evr`, which rpm provides implicitly.
    pub fn providers(&self, dep: &Dep) -> Rc<[PkgId]> {
        if let Some(hit) = self.provider_cache.borrow().get(dep) {
            return hit.clone();
        }
        let mut ids = self.pool.providers(dep);
        let own_name = self.candidates_of(&dep.name);
        let before = ids.len();
        ids.extend(
            own_name
                .iter()
                .filter(|&&id| dep.matches_evr(&self.pool.get(id).evr)),
        );
        if ids.len() > before {
            ids.sort_unstable();
            ids.dedup();
        }
        let ids: Rc<[PkgId]> = ids.into();
        self.provider_cache
            .borrow_mut()
            .insert(dep.clone(), ids.clone());
        ids
    }

    /// A rich dependency, parsed once.
    pub fn parse_rich(&self, text: &str) -> Rc<Result<DepExpr, String>> {
        if let Some(hit) = self.rich_cache.borrow().get(text) {
            return hit.clone();
        }
        // As rpm and libsolv read an installed header: rpmbuild's context
        // rules are not applied (libsolv does not apply them either).
        let parsed = Rc::new(
            DepExpr::parse_header(text).map_err(|e| format!("{} at byte {}", e.reason, e.offset)),
        );
        self.rich_cache
            .borrow_mut()
            .insert(text.to_string(), parsed.clone());
        parsed
    }

    /// Whether any package of `installed` is in the atom's package set.
    pub fn atom_any(&self, atom: &DepExpr, mut installed: impl FnMut(PkgId) -> bool) -> bool {
        match atom {
            DepExpr::Dep(dep) => self.providers(dep).iter().any(|&id| installed(id)),
            _ => self.atom_providers(atom).into_iter().any(installed),
        }
    }

    /// The packages an atom (a capability, or `with`/`without` of them) stands
    /// for. Inside `with`/`without`, `and`/`or` are set operations, as in libsolv.
    pub fn atom_providers(&self, atom: &DepExpr) -> Vec<PkgId> {
        let intersect = |mut acc: Vec<PkgId>, next: Vec<PkgId>| {
            acc.retain(|id| next.binary_search(id).is_ok());
            acc
        };
        match atom {
            DepExpr::Dep(dep) => self.providers(dep).to_vec(),
            DepExpr::With(v) | DepExpr::And(v) => v
                .iter()
                .map(|r| self.atom_providers(r))
                .reduce(intersect)
                .unwrap_or_default(),
            DepExpr::Without(a, b) => {
                let b = self.atom_providers(b);
                let mut a = self.atom_providers(a);
                a.retain(|id| b.binary_search(id).is_err());
                a
            }
            DepExpr::Or(v) => {
                let mut all: Vec<PkgId> = v.iter().flat_map(|r| self.atom_providers(r)).collect();
                all.sort_unstable();
                all.dedup();
                all
            }
            // Conditionals have no meaning as a package set.
            DepExpr::If(..) | DepExpr::Unless(..) => Vec::new(),
        }
    }

    fn intern_vs(&self, vs: VersionSet) -> VersionSetId {
        VersionSetId(self.version_sets.borrow_mut().intern(vs))
    }

    fn intern_string(&self, s: String) -> StringId {
        StringId(self.strings.borrow_mut().intern(s))
    }

    fn intern_condition(&self, c: Condition) -> ConditionId {
        ConditionId::new(self.conditions.borrow_mut().intern(c))
    }

    fn missing_name(&self, dep: &str) -> NameId {
        let idx = self.missing.borrow_mut().intern(dep.to_string());
        NameId::from_raw(self.names.len() as u32 + idx)
    }

    /// Group packages by name (name ids ascend, so alternatives are tried in
    /// name order) into one version set each.
    fn sets_by_name(
        &self,
        ids: &[PkgId],
        dep: &str,
        role: Role,
        negate: bool,
    ) -> Vec<VersionSetId> {
        let mut by_name: Vec<(NameId, PkgId)> = ids
            .iter()
            .map(|&id| (self.name_of[id.0 as usize], id))
            .collect();
        by_name.sort_unstable();
        by_name
            .chunk_by(|a, b| a.0 == b.0)
            .map(|chunk| {
                let members = chunk.iter().map(|(_, id)| *id).collect();
                self.intern_vs(VersionSet {
                    name: chunk[0].0,
                    members,
                    negate,
                    dep: dep.to_string(),
                    role,
                })
            })
            .collect()
    }

    /// "One of these packages", or a name without candidates when `ids` is
    /// empty so that the failure names `dep`.
    fn require_any(&self, ids: &[PkgId], dep: &str) -> Requirement {
        let sets = if ids.is_empty() {
            let name = self.missing_name(dep);
            vec![self.intern_vs(VersionSet {
                name,
                members: vec![],
                negate: true,
                dep: dep.into(),
                role: Role::Requires,
            })]
        } else {
            self.in_policy_order(self.sets_by_name(ids, dep, Role::Requires, false))
        };
        self.union_of(sets)
    }

    /// Alternatives (one version set per name, in name order) in the order
    /// libsolv would try them, judged by the best installable member of each.
    fn in_policy_order(&self, sets: Vec<VersionSetId>) -> Vec<VersionSetId> {
        if sets.len() < 2 {
            return sets;
        }
        let best: Vec<PkgId> = sets
            .iter()
            .map(|&vs| {
                self.with_version_set(vs, |v| {
                    let installable = v.members.iter().copied().filter(|&m| !self.is_excluded(m));
                    installable
                        .min_by(|&a, &b| policy::compare(self.pool, a, b))
                        .unwrap_or(v.members[0])
                })
            })
            .collect();
        let is_old = |id: PkgId| {
            let p = self.pool.get(id);
            self.candidates_of(&p.name).iter().any(|&q| {
                let other = self.pool.get(q);
                q != id && other.arch == p.arch && other.evr > p.evr && !self.is_excluded(q)
            })
        };
        policy::common_dep_order(self.pool, &best, is_old)
            .into_iter()
            .map(|i| sets[i])
            .collect()
    }

    /// The requirement for a simple dependency of `owner`.
    fn require_dep(&self, owner: PkgId, dep: &Dep, providers: &[PkgId]) -> Requirement {
        let cached = self.requirement_cache.borrow().get(dep).copied();
        let base = cached.unwrap_or_else(|| {
            let r = self.require_any(providers, &dep.to_string());
            self.requirement_cache.borrow_mut().insert(dep.clone(), r);
            r
        });
        let Requirement::Union(u) = base else {
            return base;
        };
        let mut sets = self.union_members(u);
        if self.order_alternatives(Some(owner), &mut sets) {
            self.union_of(sets)
        } else {
            base
        }
    }

    /// Put the alternatives the requiring package hints at first: libsolv
    /// prefers providers that installed packages recommend (or that
    /// supplement them), then ones they suggest (or that enhance them), before
    /// falling back to name order. glibc, for one, suggests
    /// glibc-minimal-langpack among the many providers of glibc-langpack.
    /// libsolv looks at every package decided so far; the requiring package
    /// is the part of that which is known when the clause is built.
    /// Returns whether the order changed.
    fn order_alternatives(&self, owner: Option<PkgId>, sets: &mut [VersionSetId]) -> bool {
        let Some(owner) = owner.filter(|_| sets.len() > 1) else {
            return false;
        };
        let o = self.pool.get(owner);
        let recommended = self.weak_targets(&o.recommends);
        let suggested = self.weak_targets(&o.suggests);
        let points_at_owner = |deps: &[Dep]| {
            deps.iter()
                .any(|d| !d.is_rich() && self.providers(d).contains(&owner))
        };
        let rank = |vs: &VersionSetId| {
            let members = self.with_version_set(*vs, |v| v.members.clone());
            let any = |f: &dyn Fn(PkgId) -> bool| members.iter().any(|&m| f(m));
            if any(&|m| recommended.contains(&m) || points_at_owner(&self.pool.get(m).supplements))
            {
                0
            } else if any(&|m| {
                suggested.contains(&m) || points_at_owner(&self.pool.get(m).enhances)
            }) {
                1
            } else {
                2
            }
        };
        let ranks: Vec<u8> = sets.iter().map(rank).collect();
        if ranks.windows(2).all(|w| w[0] <= w[1]) {
            return false;
        }
        let mut ranked: Vec<(u8, VersionSetId)> =
            ranks.into_iter().zip(sets.iter().copied()).collect();
        ranked.sort_by_key(|(r, _)| *r); // stable: name order within a rank
        for (slot, (_, vs)) in sets.iter_mut().zip(ranked) {
            *slot = vs;
        }
        true
    }

    /// Packages a list of weak dependencies points at (every atom of a rich one).
    fn weak_targets(&self, deps: &[Dep]) -> Vec<PkgId> {
        let mut out = Vec::new();
        for dep in deps {
            if !dep.is_rich() {
                out.extend(self.providers(dep).iter().copied());
            } else if let Ok(r) = &*self.parse_rich(&dep.name) {
                r.for_each_atom(&mut |atom| out.extend(self.atom_providers(atom)));
            }
        }
        out
    }

    fn union_of(&self, sets: Vec<VersionSetId>) -> Requirement {
        match sets.as_slice() {
            [one] => Requirement::Single(*one),
            _ => Requirement::Union(VersionSetUnionId(self.unions.borrow_mut().intern(sets))),
        }
    }

    /// A requirement on exactly this package: the weak-dependency rounds pin
    /// the packages chosen before, so weak dependencies never change them.
    pub fn exactly(&self, id: PkgId) -> Requirement {
        let p = self.pool.get(id);
        let dep = format!("{} = {}", p.name, p.evr);
        let vs = VersionSet {
            name: self.name_of[id.0 as usize],
            members: vec![id],
            negate: false,
            dep,
            role: Role::Requires,
        };
        Requirement::Single(self.intern_vs(vs))
    }

    /// Every package of a name.
    fn any_of_name(&self, name: NameId, dep: &str) -> VersionSetId {
        self.intern_vs(VersionSet {
            name,
            members: vec![],
            negate: true,
            dep: dep.into(),
            role: Role::Requires,
        })
    }

    /// A condition that holds when some package of `ids` is installed.
    ///
    /// resolvo encodes "not condition" with the *complement* of a version set
    /// within its name, which alone would wrongly read "no candidate of that
    /// name is installed" as "condition holds". Pairing the set with "any
    /// package of the name" (whose complement is empty, so resolvo uses an
    /// "at least one installed" variable) makes the negation exact.
    fn installed_condition(&self, ids: &[PkgId], dep: &str) -> Option<ConditionId> {
        let per_name = self.sets_by_name(ids, dep, Role::Requires, false);
        per_name
            .into_iter()
            .map(|vs| {
                let (name, size) = self.with_version_set(vs, |v| (v.name, v.members.len()));
                let all = self.any_of_name(name, dep);
                let covers_name = size == self.candidates[name.into_raw() as usize].len();
                let any = self.intern_condition(Condition::Requirement(all));
                if covers_name {
                    any
                } else {
                    let these = self.intern_condition(Condition::Requirement(vs));
                    self.intern_condition(Condition::Binary(LogicalOperator::And, any, these))
                }
            })
            .reduce(|a, b| self.intern_condition(Condition::Binary(LogicalOperator::Or, a, b)))
    }

    /// Turn one clause of a rich dependency into a conditional requirement.
    /// `owner` (the package that carries the dependency) counts as installed.
    /// Returns None when the clause always holds.
    fn clause_requirement(
        &self,
        owner: Option<PkgId>,
        clause: &Clause<'_>,
        whole: &str,
    ) -> Option<ConditionalRequirement> {
        let mut wanted: Vec<PkgId> = Vec::new();
        let mut missing: Vec<String> = Vec::new();
        let mut condition: Option<ConditionId> = None;
        for lit in clause {
            let ids = self.atom_providers(lit.atom);
            let owner_provides = owner.is_some_and(|o| ids.binary_search(&o).is_ok());
            match (lit.positive, owner_provides, ids.is_empty()) {
                (true, true, _) => return None,      // satisfied by the owner itself
                (false, true, _) => continue,        // owner installed: literal is false
                (false, false, true) => return None, // nothing provides it: never installed
                (true, false, true) => missing.push(lit.atom.to_string()),
                (true, false, false) => wanted.extend(ids),
                (false, false, false) => {
                    let c = self.installed_condition(&ids, &lit.atom.to_string())?;
                    condition = Some(match condition {
                        None => c,
                        Some(prev) => {
                            self.intern_condition(Condition::Binary(LogicalOperator::And, prev, c))
                        }
                    });
                }
            }
        }
        wanted.sort_unstable();
        wanted.dedup();
        let mut sets = if wanted.is_empty() {
            vec![]
        } else {
            self.in_policy_order(self.sets_by_name(&wanted, whole, Role::Requires, false))
        };
        self.order_alternatives(owner, &mut sets);
        if sets.is_empty() && missing.is_empty() {
            // Only negative literals (from a rich Conflicts): "these cannot all
            // be installed together". A name without candidates says so.
            let name = self.missing_name(&format!("absence of {whole}"));
            let vs = VersionSet {
                name,
                members: vec![],
                negate: true,
                dep: whole.into(),
                role: Role::Conflicts,
            };
            sets.push(self.intern_vs(vs));
        }
        for dep in missing {
            let name = self.missing_name(&dep);
            sets.push(self.intern_vs(VersionSet {
                name,
                members: vec![],
                negate: true,
                dep,
                role: Role::Requires,
            }));
        }
        Some(ConditionalRequirement {
            condition,
            requirement: self.union_of(sets),
        })
    }

    /// Requirements for a rich dependency (`positive` false for a rich Conflicts).
    fn rich_requirements(
        &self,
        owner: Option<PkgId>,
        text: &str,
        positive: bool,
    ) -> Result<Vec<ConditionalRequirement>, Unsupported> {
        let unsupported = |reason: String| Unsupported {
            package: owner,
            dependency: text.to_string(),
            reason,
        };
        let parsed = self.parse_rich(text);
        let parsed = parsed
            .as_ref()
            .as_ref()
            .map_err(|e| unsupported(e.clone()))?;
        let cnf = rich::to_cnf(parsed, positive).map_err(unsupported)?;
        Ok(cnf
            .iter()
            .filter_map(|c| self.clause_requirement(owner, c, text))
            .collect())
    }

    /// Requirements for what the user asked for.
    pub fn root_requirement(
        &self,
        spec: &super::Spec,
    ) -> Result<Vec<ConditionalRequirement>, Unsupported> {
        match spec {
            super::Spec::Name(name) => match self.name_id(name) {
                Some(id) => Ok(vec![Requirement::Single(self.any_of_name(id, name)).into()]),
                // Not a package name: dnf then looks it up as a capability.
                None => {
                    let providers = self.providers(&Dep::unversioned(name.as_str()));
                    Ok(vec![self.require_any(&providers, name).into()])
                }
            },
            super::Spec::Capability(dep) if dep.is_rich() => {
                self.rich_requirements(None, &dep.name, true)
            }
            super::Spec::Capability(dep) => Ok(vec![self
                .require_any(&self.providers(dep), &dep.to_string())
                .into()]),
        }
    }

    fn requirements_of(
        &self,
        id: PkgId,
        pkg: &Package,
    ) -> Result<Vec<ConditionalRequirement>, Unsupported> {
        let mut out = Vec::with_capacity(pkg.requires.len());
        for req in &pkg.requires {
            let dep = &req.dep;
            // rpmlib() requires name features of rpm itself, not packages.
            if dep.name.starts_with("rpmlib(") {
                continue;
            }
            if dep.is_rich() {
                out.extend(self.rich_requirements(Some(id), &dep.name, true)?);
                continue;
            }
            let providers = self.providers(dep);
            if providers.binary_search(&id).is_ok() {
                continue; // the package satisfies its own requirement
            }
            let r = self.require_dep(id, dep, &providers).into();
            if !out.contains(&r) {
                out.push(r); // `pre` and plain requires often repeat each other
            }
        }
        // resolvo decides the first open requirement in list order, where
        // libsolv first propagates requirements that leave no choice. Putting
        // those first gives the same effect: kmod-kvdo requires `kernel`
        // (kernel or kernel-core) and `kernel-core-uname-r` (kernel-core
        // only); deciding the latter first makes `kernel` already satisfied.
        out.sort_by_key(|r| !matches!(r.requirement, Requirement::Single(_)));
        Ok(out)
    }

    /// Conflicts and Obsoletes become constraints on the names they hit: "if a
    /// package of that name is installed, it is not one of these".
    fn constraints_of(
        &self,
        id: PkgId,
        pkg: &Package,
    ) -> (Vec<VersionSetId>, Vec<ConditionalRequirement>) {
        let mut constrains = Vec::new();
        let mut rich_conflicts = Vec::new();
        for dep in &pkg.conflicts {
            if dep.is_rich() {
                match self.rich_requirements(Some(id), &dep.name, false) {
                    Ok(r) => rich_conflicts.extend(r),
                    Err(e) => self.record_unsupported(e),
                }
                continue;
            }
            // A package never conflicts with itself (rpm and libsolv ignore that).
            let hit: Vec<PkgId> = self
                .providers(dep)
                .iter()
                .copied()
                .filter(|&p| p != id)
                .collect();
            constrains.extend(self.sets_by_name(&hit, &dep.to_string(), Role::Conflicts, true));
        }
        for dep in &pkg.obsoletes {
            // Obsoletes match names, never provides; obsoleting one's own name
            // (upgrade paths) does not restrict anything here.
            if dep.name == pkg.name || dep.is_rich() {
                continue;
            }
            let hit: Vec<PkgId> = self
                .candidates_of(&dep.name)
                .iter()
                .copied()
                .filter(|&p| dep.matches_evr(&self.pool.get(p).evr))
                .collect();
            constrains.extend(self.sets_by_name(&hit, &dep.to_string(), Role::Obsoletes, true));
        }
        (constrains, rich_conflicts)
    }

    fn record_unsupported(&self, e: Unsupported) {
        let mut slot = self.unsupported.borrow_mut();
        if slot.is_none() {
            *slot = Some(e);
        }
    }
}

impl Interner for Provider<'_> {
    type NameId = NameId;
    type SolvableId = SolvableId;

    fn display_solvable(&self, solvable: SolvableId) -> impl Display + '_ {
        self.nevra(pkg(solvable))
    }

    fn display_merged_solvables(&self, solvables: &[SolvableId]) -> impl Display + '_ {
        let mut all: Vec<String> = solvables.iter().map(|&s| self.nevra(pkg(s))).collect();
        all.sort();
        all.join(" | ")
    }

    fn display_name(&self, name: NameId) -> impl Display + '_ {
        let idx = name.into_raw() as usize;
        match self.names.get(idx) {
            Some(n) => n.to_string(),
            None => self
                .missing
                .borrow()
                .get((idx - self.names.len()) as u32)
                .clone(),
        }
    }

    fn display_version_set(&self, version_set: VersionSetId) -> impl Display + '_ {
        let vs = self.version_set(version_set);
        let name = self.display_name(vs.name).to_string();
        match vs.role {
            // A set made for a missing capability already carries its name.
            _ if vs.name.into_raw() as usize >= self.names.len() => String::new(),
            Role::Requires if vs.dep == name => String::new(),
            Role::Requires => match vs.dep.strip_prefix(&format!("{name} ")) {
                Some(range) => range.to_string(),
                None => format!("(for {})", vs.dep),
            },
            Role::Conflicts => format!("(not conflicting with {})", vs.dep),
            Role::Obsoletes => format!("(not obsoleted by {})", vs.dep),
        }
    }

    fn display_string(&self, string_id: StringId) -> impl Display + '_ {
        self.string(string_id)
    }

    fn version_set_name(&self, version_set: VersionSetId) -> NameId {
        self.version_sets.borrow().get(version_set.0).name
    }

    fn solvable_name(&self, solvable: SolvableId) -> NameId {
        self.name_of[pkg(solvable).0 as usize]
    }

    fn version_sets_in_union(
        &self,
        version_set_union: VersionSetUnionId,
    ) -> impl Iterator<Item = VersionSetId> {
        self.union_members(version_set_union).into_iter()
    }

    fn resolve_condition(&self, condition: ConditionId) -> Condition {
        self.conditions.borrow().get(condition.as_u32()).clone()
    }
}

impl DependencyProvider for Provider<'_> {
    async fn filter_candidates(
        &self,
        candidates: &[SolvableId],
        version_set: VersionSetId,
        inverse: bool,
    ) -> Vec<SolvableId> {
        let sets = self.version_sets.borrow();
        let vs = sets.get(version_set.0);
        candidates
            .iter()
            .copied()
            .filter(|&s| vs.contains(pkg(s)) != inverse)
            .collect()
    }

    async fn get_candidates(&self, name: NameId) -> Option<Candidates<SolvableId>> {
        let ids = self.candidates.get(name.into_raw() as usize)?;
        // Exclusion is by name: all candidates or none.
        let excluded = match &self.excluded_by[name.into_raw() as usize] {
            Some(pattern) => {
                let reason =
                    self.intern_string(format!("it matches the exclude pattern '{pattern}'"));
                ids.iter().map(|&id| (solvable(id), reason)).collect()
            }
            None => Vec::new(),
        };
        Some(Candidates {
            candidates: ids.iter().map(|&id| solvable(id)).collect(),
            excluded,
            // Cheap as dependencies are, announcing them all makes resolvo
            // translate every alternative (all 200 glibc langpacks) up front:
            // @core then fetches 509 packages' dependencies instead of 300.
            hint_dependencies_available: HintDependenciesAvailable::None,
            ..Candidates::default()
        })
    }

    async fn sort_candidates(&self, _solver: &SolverCache<Self>, solvables: &mut [SolvableId]) {
        solvables.sort_by(|a, b| policy::compare(self.pool, pkg(*a), pkg(*b)));
    }

    async fn get_dependencies(&self, solvable: SolvableId) -> Dependencies {
        let id = pkg(solvable);
        let package = self.pool.get(id);
        let mut requirements = match self.requirements_of(id, package) {
            Ok(r) => r,
            Err(e) => {
                let reason = self.intern_string(format!("{}: {}", e.dependency, e.reason));
                self.record_unsupported(e);
                return Dependencies::Unknown(reason);
            }
        };
        let (constrains, rich_conflicts) = self.constraints_of(id, package);
        requirements.extend(rich_conflicts);
        Dependencies::Known(KnownDependencies {
            requirements,
            constrains,
        })
    }

    fn should_cancel_with_value(&self) -> Option<Box<dyn std::any::Any>> {
        // Stop at the first dependency we cannot express instead of quietly
        // solving without it.
        (self.strict.get() && self.unsupported.borrow().is_some())
            .then(|| Box::new(()) as Box<dyn std::any::Any>)
    }
}
