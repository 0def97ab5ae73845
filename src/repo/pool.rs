//! The package pool: every package record of the enabled repositories that can
//! be installed on one target architecture, with the indexes the solver needs.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::rpm::{Dep, Evr};

/// Index of a package in [`Pool::packages`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PkgId(pub u32);

/// Index of a repository in [`Pool::repos`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RepoId(pub u32);

/// Where a repository lives once resolved to something readable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepoInfo {
    pub name: String,
    /// Local directory holding `repodata/` (file:// URLs are turned into paths).
    pub root: PathBuf,
    /// sha256 of repomd.xml, so a compose can record exactly which metadata it used.
    pub repomd_sha256: String,
}

/// A requirement with the flag primary.xml sets on scriptlet-time requires.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Requirement {
    pub dep: Dep,
    pub pre: bool,
}

/// One package as described by primary.xml.
#[derive(Clone, Debug, Default)]
pub struct Package {
    pub name: String,
    pub arch: String,
    pub evr: Evr,
    pub summary: String,
    /// Path of the .rpm relative to the repository root.
    pub location: String,
    /// (algorithm, hex digest) of the .rpm file.
    pub checksum: (String, String),
    pub size_package: u64,
    pub size_installed: u64,
    pub source_rpm: String,
    pub provides: Vec<Dep>,
    pub requires: Vec<Requirement>,
    pub conflicts: Vec<Dep>,
    pub obsoletes: Vec<Dep>,
    pub recommends: Vec<Dep>,
    pub suggests: Vec<Dep>,
    pub supplements: Vec<Dep>,
    pub enhances: Vec<Dep>,
    /// Files listed in primary.xml (the "primary" subset, or all files once filelists is read).
    pub files: Vec<String>,
    pub repo: Option<RepoId>,
}

impl Package {
    /// `name-[epoch:]version-release.arch`, epoch only when not 0.
    pub fn nevra(&self) -> String {
        format!("{}-{}.{}", self.name, self.evr, self.arch)
    }
}

/// A comps group.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub mandatory: Vec<String>,
    pub default: Vec<String>,
    pub optional: Vec<String>,
    pub conditional: Vec<(String, String)>,
}

/// All packages installable on one arch, with name, provide and file indexes.
#[derive(Debug, Default)]
pub struct Pool {
    pub arch: String,
    pub repos: Vec<RepoInfo>,
    pub packages: Vec<Package>,
    pub groups: Vec<Group>,
    by_name: HashMap<String, Vec<PkgId>>,
    by_provide: HashMap<String, Vec<(PkgId, u32)>>,
    by_file: HashMap<String, Vec<PkgId>>,
}

impl Pool {
    /// Build the indexes over `packages`. Packages must already be filtered to `arch`.
    pub fn new(arch: &str, repos: Vec<RepoInfo>, packages: Vec<Package>, groups: Vec<Group>) -> Pool {
        let mut pool = Pool { arch: arch.to_string(), repos, packages, groups, ..Pool::default() };
        for (i, pkg) in pool.packages.iter().enumerate() {
            let id = PkgId(i as u32);
            pool.by_name.entry(pkg.name.clone()).or_default().push(id);
            for (j, p) in pkg.provides.iter().enumerate() {
                pool.by_provide.entry(p.name.clone()).or_default().push((id, j as u32));
            }
            for f in &pkg.files {
                pool.by_file.entry(f.clone()).or_default().push(id);
            }
        }
        pool
    }

    pub fn get(&self, id: PkgId) -> &Package {
        &self.packages[id.0 as usize]
    }

    pub fn ids(&self) -> impl Iterator<Item = PkgId> + '_ {
        (0..self.packages.len() as u32).map(PkgId)
    }

    pub fn by_name(&self, name: &str) -> &[PkgId] {
        self.by_name.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every package that provides `dep` (by Provides, or by file for paths).
    pub fn providers(&self, dep: &Dep) -> Vec<PkgId> {
        let mut out: Vec<PkgId> = self
            .by_provide
            .get(&dep.name)
            .into_iter()
            .flatten()
            .filter(|(id, j)| self.get(*id).provides[*j as usize].ranges_overlap(dep))
            .map(|(id, _)| *id)
            .collect();
        if dep.name.starts_with('/') {
            out.extend(self.by_file.get(&dep.name).into_iter().flatten().copied());
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }
}
