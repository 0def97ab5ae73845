//! What provides what. Every dependency in the pool is interned once when the
//! pool is built, and the providers of each are computed on first use and
//! kept, as libsolv keeps its whatprovides index: every solve on the pool,
//! from any thread, shares that work.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use super::pool::{Package, PkgId};
use crate::rpm::{Cmp, Dep, DepError, DepExpr, DepKind};

/// An interned dependency of a [`super::Pool`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DepId(pub u32);

/// The number of [`DepKind`]s; a package's lists are stored in that order.
const KINDS: usize = 8;

/// Interned dependencies, each package's lists of them, and the providers
/// of each dependency once asked for.
#[derive(Debug, Default)]
pub struct DepIndex {
    deps: Vec<Dep>,
    ids: FxHashMap<Dep, DepId>,
    /// Every package's lists, concatenated; `bounds` says where each starts.
    lists: Vec<DepId>,
    bounds: Vec<[u32; KINDS + 1]>,
    whatprovides: Vec<OnceLock<Box<[PkgId]>>>,
    /// Packages by the names they provide: (package, the provide's DepId).
    by_provide: FxHashMap<String, Vec<(PkgId, DepId)>>,
    by_file: FxHashMap<String, Vec<PkgId>>,
    /// Packages by the names their Obsoletes name: (obsoleting package, the
    /// Obsoletes).
    by_obsoleted_name: FxHashMap<String, Vec<(PkgId, DepId)>>,
    /// Rich dependencies, parsed once; their simple operands are interned too.
    rich: FxHashMap<DepId, Box<Result<DepExpr, DepError>>>,
    /// Operands of the rich dependencies by address (see [`DepIndex::operand`]).
    operand_ids: FxHashMap<usize, DepId>,
}

impl DepIndex {
    pub(crate) fn new(packages: &[Package]) -> DepIndex {
        let mut index = DepIndex::default();
        index.bounds.reserve(packages.len());
        for (i, pkg) in packages.iter().enumerate() {
            let id = PkgId(i as u32);
            let mut bounds = [0u32; KINDS + 1];
            let lists: [&mut dyn Iterator<Item = &Dep>; KINDS] = [
                &mut pkg.requires.iter().map(|r| &r.dep),
                &mut pkg.provides.iter(),
                &mut pkg.conflicts.iter(),
                &mut pkg.obsoletes.iter(),
                &mut pkg.recommends.iter(),
                &mut pkg.suggests.iter(),
                &mut pkg.supplements.iter(),
                &mut pkg.enhances.iter(),
            ];
            for (k, list) in lists.into_iter().enumerate() {
                bounds[k] = index.lists.len() as u32;
                for dep in list {
                    let d = index.intern(dep);
                    index.lists.push(d);
                }
                if k == DepKind::Obsoletes as usize {
                    for &d in &index.lists[bounds[k] as usize..] {
                        let name = index.deps[d.0 as usize].name.clone();
                        index
                            .by_obsoleted_name
                            .entry(name)
                            .or_default()
                            .push((id, d));
                    }
                }
                if k == DepKind::Provides as usize {
                    index.add_self_provide(pkg, bounds[k]);
                    for &d in &index.lists[bounds[k] as usize..] {
                        index
                            .by_provide
                            .entry(index.deps[d.0 as usize].name.clone())
                            .or_default()
                            .push((id, d));
                    }
                }
            }
            bounds[KINDS] = index.lists.len() as u32;
            index.bounds.push(bounds);
            for file in &pkg.files {
                index.by_file.entry(file.clone()).or_default().push(id);
            }
        }
        index.parse_rich();
        index.whatprovides = (0..index.deps.len()).map(|_| OnceLock::new()).collect();
        index
    }

    fn parse_rich(&mut self) {
        let rich: Vec<DepId> = (0..self.deps.len() as u32)
            .map(DepId)
            .filter(|&d| self.dep(d).is_rich())
            .collect();
        for d in rich {
            let parsed = Box::new(DepExpr::parse_header(&self.dep(d).name));
            if let Ok(expr) = parsed.as_ref() {
                for operand in expr.operands() {
                    self.intern(operand);
                }
            }
            self.rich.insert(d, parsed);
        }
        // Each expression is boxed and never moves again: the address of an
        // operand inside it names it, so the solver finds its id without
        // hashing the dependency's text.
        for parsed in self.rich.values() {
            if let Ok(expr) = parsed.as_ref() {
                for operand in expr.operands() {
                    self.operand_ids
                        .insert(operand as *const Dep as usize, self.ids[operand]);
                }
            }
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
        self.by_obsoleted_name.get(name).map_or(&[], Vec::as_slice)
    }

    /// The parsed form of a rich dependency (`None` for a simple one).
    pub fn rich(&self, id: DepId) -> Option<&Result<DepExpr, DepError>> {
        self.rich.get(&id).map(|b| b.as_ref())
    }

    /// Every package provides `name = evr`, listed or not (as libsolv adds it).
    fn add_self_provide(&mut self, pkg: &Package, start: u32) {
        let own = Dep::versioned(pkg.name.clone(), Cmp::Eq, pkg.evr.clone());
        let d = self.intern(&own);
        if !self.lists[start as usize..].contains(&d) {
            self.lists.push(d);
        }
    }

    fn intern(&mut self, dep: &Dep) -> DepId {
        if let Some(&id) = self.ids.get(dep) {
            return id;
        }
        let id = DepId(self.deps.len() as u32);
        self.deps.push(dep.clone());
        self.ids.insert(dep.clone(), id);
        id
    }

    pub fn dep(&self, id: DepId) -> &Dep {
        &self.deps[id.0 as usize]
    }

    /// The id of a dependency that occurs in the pool's metadata.
    pub fn lookup(&self, dep: &Dep) -> Option<DepId> {
        self.ids.get(dep).copied()
    }

    /// One dependency list of a package.
    pub fn list(&self, pkg: PkgId, kind: DepKind) -> &[DepId] {
        let b = &self.bounds[pkg.0 as usize];
        let k = kind as usize;
        &self.lists[b[k] as usize..b[k + 1] as usize]
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
        if let Some(provides) = self.by_provide.get(&dep.name) {
            out.extend(
                provides
                    .iter()
                    .filter(|(_, p)| self.dep(*p).ranges_overlap(dep))
                    .map(|(id, _)| *id),
            );
        }
        if dep.name.starts_with('/') {
            out.extend(self.by_file.get(&dep.name).into_iter().flatten().copied());
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}
