//! What provides what. Every dependency in the pool is interned once when the
//! pool is built, and the providers of each are computed on first use and
//! kept, as libsolv keeps its whatprovides index: every solve on the pool,
//! from any thread, shares that work.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::grouped::Grouped;
use super::intern::Interner;
use super::pool::{Package, PkgId};
use super::records::{RepoPackages, KINDS};
use crate::rpm::{Cmp, Dep, DepError, DepExpr, DepKind};

/// An interned dependency of a [`super::Pool`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DepId(pub u32);

/// A rich dependency as parsed, boxed so that it never moves.
type RichExpr = Box<Result<DepExpr, DepError>>;

/// Interned dependencies, each package's lists of them, and the providers
/// of each dependency once asked for.
#[derive(Debug, Default)]
pub struct DepIndex {
    deps: Interner<Dep>,
    /// Every package's lists, concatenated; `bounds` says where each starts.
    lists: Vec<DepId>,
    /// Per entry of `lists`: a `pre="1"` requirement.
    pre: Vec<bool>,
    bounds: Vec<[u32; KINDS + 1]>,
    whatprovides: Vec<OnceLock<Box<[PkgId]>>>,
    /// Packages by the names they provide: (package, the provide's DepId).
    by_provide: Grouped<DepId, (PkgId, DepId)>,
    /// Packages by the paths primary.xml lists for them; the paths are
    /// kept in `file_names`.
    by_file: Grouped<(u32, u32), PkgId>,
    file_names: String,
    /// Packages by the names their Obsoletes name: (obsoleting package, the
    /// Obsoletes).
    by_obsoleted_name: Grouped<DepId, (PkgId, DepId)>,
    /// Rich dependencies, parsed once; their simple operands are interned too.
    rich: FxHashMap<DepId, RichExpr>,
    /// Operands of the rich dependencies by address (see [`DepIndex::operand`]).
    operand_ids: FxHashMap<usize, DepId>,
}

impl DepIndex {
    /// Merge the repositories' records, in order, into one index. Returns
    /// the index and the package records; a package's [`PkgId`] is its
    /// position in that vector.
    pub(crate) fn new(repos: Vec<RepoPackages>) -> (DepIndex, Vec<Package>) {
        let mut index = DepIndex::default();
        let total: usize = repos.iter().map(RepoPackages::len).sum();
        let mut packages = Vec::with_capacity(total);
        index.bounds.reserve(total);
        let (mut provides, mut obsoletes, mut files) = (Vec::new(), Vec::new(), Vec::new());
        for mut repo in repos {
            let global = index.take_deps(&mut repo);
            for (i, pkg) in std::mem::take(&mut repo.packages).into_iter().enumerate() {
                let id = PkgId(packages.len() as u32);
                let mut bounds = [0u32; KINDS + 1];
                for (k, bound) in bounds.iter_mut().enumerate().take(KINDS) {
                    *bound = index.lists.len() as u32;
                    let range = repo.bounds[i][k] as usize..repo.bounds[i][k + 1] as usize;
                    for j in range {
                        index.lists.push(global[repo.lists[j] as usize]);
                        index.pre.push(repo.pre[j]);
                    }
                    let named = match k {
                        k if k == DepKind::Provides as usize => {
                            index.add_self_provide(&pkg, *bound);
                            &mut provides
                        }
                        k if k == DepKind::Obsoletes as usize => &mut obsoletes,
                        _ => continue,
                    };
                    named.extend(index.lists[*bound as usize..].iter().map(|&d| (d, (id, d))));
                }
                bounds[KINDS] = index.lists.len() as u32;
                index.bounds.push(bounds);
                for file in &pkg.files {
                    let start = index.file_names.len() as u32;
                    index.file_names.push_str(file);
                    files.push(((start, index.file_names.len() as u32), id));
                }
                packages.push(pkg);
            }
        }
        let dep_name = |d: DepId| index.dep(d).name.as_str();
        let ((by_provide, (by_obsoleted_name, by_file)), rich) = rayon::join(
            || {
                rayon::join(
                    || Grouped::build(&provides, dep_name).0,
                    || {
                        let by_file = Grouped::build(&files, |r| index.file_name(r)).0;
                        (Grouped::build(&obsoletes, dep_name).0, by_file)
                    },
                )
            },
            || index.parse_rich(),
        );
        (index.by_provide, index.by_obsoleted_name, index.by_file) =
            (by_provide, by_obsoleted_name, by_file);
        index.add_rich(rich);
        index.whatprovides = (0..index.deps.len()).map(|_| OnceLock::new()).collect();
        (index, packages)
    }

    /// Move a repository's dependency table into the index: the first one
    /// as it is, later ones merged (each distinct dependency looked up once,
    /// moved in if new). Returns the index's id of each of the repository's.
    fn take_deps(&mut self, repo: &mut RepoPackages) -> Vec<DepId> {
        let deps = std::mem::take(&mut repo.deps);
        if self.deps.len() == 0 {
            self.deps = deps;
            return (0..self.deps.len() as u32).map(DepId).collect();
        }
        deps.into_values()
            .into_iter()
            .map(|d| DepId(self.deps.intern(d)))
            .collect()
    }

    fn file_name(&self, (start, end): (u32, u32)) -> &str {
        &self.file_names[start as usize..end as usize]
    }

    /// The pool's rich dependencies, parsed (in parallel: a distribution
    /// has tens of thousands).
    fn parse_rich(&self) -> Vec<(DepId, RichExpr)> {
        use rayon::prelude::*;
        (0..self.deps.len() as u32)
            .into_par_iter()
            .map(DepId)
            .filter(|&d| self.dep(d).is_rich())
            .map(|d| (d, Box::new(DepExpr::parse_header(&self.dep(d).name))))
            .collect()
    }

    /// Keep parsed rich dependencies, their simple operands interned too.
    fn add_rich(&mut self, parsed: Vec<(DepId, RichExpr)>) {
        for (d, parsed) in parsed {
            // Each expression is boxed and never moves again: the address
            // of an operand inside it names it, so the solver finds its id
            // without hashing the dependency's text.
            if let Ok(expr) = parsed.as_ref() {
                for operand in expr.operands() {
                    let id = self.intern(operand);
                    self.operand_ids.insert(operand as *const Dep as usize, id);
                }
            }
            self.rich.insert(d, parsed);
        }
    }

    /// The id of a simple dependency inside one of the pool's rich ones (or
    /// anywhere in the metadata).
    pub fn operand(&self, dep: &Dep) -> Option<DepId> {
        match self.operand_ids.get(&(dep as *const Dep as usize)) {
            Some(&id) => Some(id),
            None => self.lookup(dep),
        }
    }

    /// The packages whose Obsoletes name `name`, with that Obsoletes.
    pub fn obsoleting(&self, name: &str) -> &[(PkgId, DepId)] {
        self.by_obsoleted_name.get(name, |d| &self.dep(d).name)
    }

    /// The parsed form of a rich dependency (`None` for a simple one).
    pub fn rich(&self, id: DepId) -> Option<&Result<DepExpr, DepError>> {
        self.rich.get(&id).map(|b| b.as_ref())
    }

    /// Every package provides `name = evr`, listed or not (as libsolv adds it).
    fn add_self_provide(&mut self, pkg: &Package, start: u32) {
        let listed = self.lists[start as usize..].iter().any(|&d| {
            let dep = self.dep(d);
            dep.name == pkg.name && dep.cmp == Cmp::Eq && dep.evr.as_ref() == Some(&pkg.evr)
        });
        if !listed {
            let own = Dep::versioned(pkg.name.clone(), Cmp::Eq, pkg.evr.clone());
            let d = DepId(self.deps.intern(own));
            self.lists.push(d);
            self.pre.push(false);
        }
    }

    fn intern(&mut self, dep: &Dep) -> DepId {
        DepId(self.deps.intern_ref(dep))
    }

    pub fn dep(&self, id: DepId) -> &Dep {
        &self.deps.values()[id.0 as usize]
    }

    /// The id of a dependency that occurs in the pool's metadata.
    pub fn lookup(&self, dep: &Dep) -> Option<DepId> {
        self.deps.get(dep).map(DepId)
    }

    /// One dependency list of a package.
    pub fn list(&self, pkg: PkgId, kind: DepKind) -> &[DepId] {
        &self.lists[self.range(pkg, kind)]
    }

    fn range(&self, pkg: PkgId, kind: DepKind) -> std::ops::Range<usize> {
        let b = &self.bounds[pkg.0 as usize];
        b[kind as usize] as usize..b[kind as usize + 1] as usize
    }

    /// A package's Requires, each with its `pre` flag.
    pub fn requires(&self, pkg: PkgId) -> impl Iterator<Item = (DepId, bool)> + '_ {
        self.range(pkg, DepKind::Requires)
            .map(|j| (self.lists[j], self.pre[j]))
    }

    /// Packages that provide `id`, ascending: see [`DepIndex::providers_of`].
    pub fn whatprovides(&self, id: DepId) -> &[PkgId] {
        self.whatprovides[id.0 as usize].get_or_init(|| self.providers_of(self.dep(id)).into())
    }

    /// Packages that provide a simple dependency, in ascending id order: by
    /// an explicit Provides whose range overlaps (rpm's rpmdsCompare), by
    /// the `name = evr` every package provides implicitly, or, for a path,
    /// by the file list. Rich dependencies are not package sets: the solver
    /// takes them apart.
    pub fn providers_of(&self, dep: &Dep) -> Vec<PkgId> {
        let mut out: Vec<PkgId> = Vec::new();
        out.extend(
            self.by_provide
                .get(&dep.name, |d| &self.dep(d).name)
                .iter()
                .filter(|(_, p)| self.dep(*p).ranges_overlap(dep))
                .map(|(id, _)| *id),
        );
        if dep.name.starts_with('/') {
            out.extend(self.by_file.get(&dep.name, |r| self.file_name(r)));
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Packages with a Provides whose name `name_matches` and whose range
    /// overlaps `dep`'s (dnf's provides glob), ascending.
    pub fn providers_by_pattern(
        &self,
        name_matches: impl Fn(&str) -> bool,
        dep: &Dep,
    ) -> Vec<PkgId> {
        let mut out: Vec<PkgId> = self
            .by_provide
            .iter()
            .filter(|&(d, _)| name_matches(&self.dep(d).name))
            .flat_map(|(_, provides)| provides)
            .filter(|(_, p)| self.dep(*p).ranges_overlap(dep))
            .map(|(id, _)| *id)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}
