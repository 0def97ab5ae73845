//! What one repository's metadata says: package records, and their
//! dependency lists with every distinct dependency stored once. primary.xml
//! repeats the same dependencies hundreds of thousands of times (Fedora:
//! ~400,000 entries, ~150,000 distinct); keeping one copy of each is what
//! makes loading fast and the pool small.

use super::intern::Interner;
use super::pool::Package;
use crate::rpm::{Dep, DepKind};

/// The number of [`DepKind`]s; each package's lists are kept in this order.
pub(crate) const KINDS: usize = 8;

/// Packages of one repository with their dependencies, as read (or built by
/// hand for tests); [`super::Pool::new`] merges these into the pool.
#[derive(Clone, Debug, Default)]
pub struct RepoPackages {
    pub packages: Vec<Package>,
    /// Distinct dependencies of this repository.
    pub(crate) deps: Interner<Dep>,
    /// Every package's lists, concatenated, as indexes into `deps`.
    pub(crate) lists: Vec<u32>,
    /// Per entry of `lists`: a `pre="1"` requirement (`Requires(pre)`,
    /// `(post)`, legacy PreReq).
    pub(crate) pre: Vec<bool>,
    /// Where each package's lists start: `bounds[i][k]..bounds[i][k + 1]`.
    pub(crate) bounds: Vec<[u32; KINDS + 1]>,
    /// The list being filled for the next package, by kind.
    pending: [Vec<(u32, bool)>; KINDS],
}

impl RepoPackages {
    pub fn new() -> RepoPackages {
        RepoPackages::default()
    }

    /// Records read back whole (from the pool cache), already checked.
    pub(crate) fn from_parts(
        packages: Vec<Package>,
        deps: Interner<Dep>,
        lists: Vec<u32>,
        pre: Vec<bool>,
        bounds: Vec<[u32; KINDS + 1]>,
    ) -> RepoPackages {
        RepoPackages {
            packages,
            deps,
            lists,
            pre,
            bounds,
            pending: Default::default(),
        }
    }

    pub fn len(&self) -> usize {
        self.packages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.packages.is_empty()
    }

    /// The id of `dep` in this repository's table, added if new.
    pub(crate) fn intern(&mut self, dep: Dep) -> u32 {
        self.deps.intern(dep)
    }

    /// Add a dependency (by table id) to the next package's list of `kind`.
    pub(crate) fn push_dep(&mut self, kind: DepKind, id: u32, pre: bool) {
        self.pending[kind as usize].push((id, pre));
    }

    /// Finish a package: its record, with the dependencies pushed since the
    /// last one.
    pub(crate) fn finish(&mut self, package: Package) {
        let mut bounds = [0u32; KINDS + 1];
        for (k, list) in self.pending.iter_mut().enumerate() {
            bounds[k] = self.lists.len() as u32;
            for (id, pre) in list.drain(..) {
                self.lists.push(id);
                self.pre.push(pre);
            }
        }
        bounds[KINDS] = self.lists.len() as u32;
        self.bounds.push(bounds);
        self.packages.push(package);
    }

    /// Drop the dependencies pushed for a package that is not kept.
    pub(crate) fn discard(&mut self) {
        self.pending.iter_mut().for_each(Vec::clear);
    }

    /// Append `other`'s packages after this one's (its dependency table is
    /// merged into this one's).
    pub(crate) fn append(&mut self, mut other: RepoPackages) {
        let remap: Vec<u32> = std::mem::take(&mut other.deps)
            .into_values()
            .into_iter()
            .map(|d| self.deps.intern(d))
            .collect();
        let offset = self.lists.len() as u32;
        self.lists
            .extend(other.lists.iter().map(|&d| remap[d as usize]));
        self.pre.extend_from_slice(&other.pre);
        self.bounds
            .extend(other.bounds.iter().map(|b| b.map(|x| x + offset)));
        self.packages.append(&mut other.packages);
    }

    /// The packages `keep` selects, with their dependency lists, and a
    /// table of just the dependencies they name.
    pub(crate) fn filtered(&self, keep: impl Fn(&Package) -> bool) -> RepoPackages {
        self.select(
            self.deps.len(),
            |i| keep(&self.packages[i]),
            |i| self.packages[i].clone(),
            |d| self.deps.values()[d].clone(),
        )
    }

    /// [`RepoPackages::filtered`], moving what is kept instead of copying it.
    pub(crate) fn into_filtered(mut self, keep: impl Fn(&Package) -> bool) -> RepoPackages {
        let kept: Vec<bool> = self.packages.iter().map(keep).collect();
        let mut packages: Vec<Option<Package>> = std::mem::take(&mut self.packages)
            .into_iter()
            .map(Some)
            .collect();
        let mut deps: Vec<Option<Dep>> = std::mem::take(&mut self.deps)
            .into_values()
            .into_iter()
            .map(Some)
            .collect();
        self.select(
            deps.len(),
            |i| kept[i],
            |i| packages[i].take().expect("each package is taken once"),
            |d| deps[d].take().expect("each dependency is taken once"),
        )
    }

    /// The packages `keep(i)` selects, each taken with `package(i)`, and
    /// each of the `n_deps` dependencies they name taken once with `dep`.
    fn select(
        &self,
        n_deps: usize,
        keep: impl Fn(usize) -> bool,
        mut package: impl FnMut(usize) -> Package,
        mut dep: impl FnMut(usize) -> Dep,
    ) -> RepoPackages {
        let mut out = RepoPackages::new();
        let mut remap = vec![u32::MAX; n_deps];
        for (i, b) in self.bounds.iter().enumerate() {
            if !keep(i) {
                continue;
            }
            let start = out.lists.len() as u32;
            for j in b[0] as usize..b[KINDS] as usize {
                let old = self.lists[j] as usize;
                if remap[old] == u32::MAX {
                    remap[old] = out.deps.intern(dep(old));
                }
                out.lists.push(remap[old]);
                out.pre.push(self.pre[j]);
            }
            out.bounds.push(b.map(|x| x - b[0] + start));
            out.packages.push(package(i));
        }
        out
    }

    /// Add a package with its dependencies, each `(kind, dependency, pre)`.
    pub fn push(&mut self, package: Package, deps: impl IntoIterator<Item = (DepKind, Dep, bool)>) {
        for (kind, dep, pre) in deps {
            let id = self.intern(dep);
            self.push_dep(kind, id, pre);
        }
        self.finish(package);
    }

    /// One dependency list of the package at `i`, with the `pre` flags.
    pub fn deps(&self, i: usize, kind: DepKind) -> impl Iterator<Item = (&Dep, bool)> + '_ {
        let b = &self.bounds[i];
        let range = b[kind as usize] as usize..b[kind as usize + 1] as usize;
        range.map(|j| (&self.deps.values()[self.lists[j] as usize], self.pre[j]))
    }
}
