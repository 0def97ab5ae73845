//! The package pool: every package record of the enabled repositories that can
//! be installed on one target architecture, with the indexes the solver needs.

use super::grouped::Grouped;
use super::index::DepIndex;
use super::records::RepoPackages;
use crate::rpm::{ArchPolicy, Dep, DepKind, Evr};

/// Index of a package in [`Pool::packages`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PkgId(pub u32);

/// Index of a repository in [`Pool::repos`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RepoId(pub u32);

/// Where a repository lives once resolved to something readable.
#[derive(Clone, Debug)]
pub struct RepoInfo {
    pub name: String,
    /// Where its files are: mirrors, best first.
    pub access: super::RepoAccess,
    /// What reaches them (filelists on demand, packages).
    pub fetcher: std::sync::Arc<super::Fetcher>,
    /// sha256 of repomd.xml, so a compose can record exactly which metadata it used.
    pub repomd_sha256: String,
    /// dnf's `priority`: packages of a repo with a lower value win over
    /// newer versions elsewhere.
    pub priority: i32,
    /// dnf's `cost`: among equal versions, the cheaper repo's package wins.
    pub cost: i32,
    /// The filelists.xml record of repomd.xml, read only when needed.
    pub filelists: Option<super::DataRecord>,
}

/// dnf's defaults for `priority` and `cost`.
pub const DEFAULT_PRIORITY: i32 = 99;
pub const DEFAULT_COST: i32 = 1000;

/// One package as described by primary.xml; its dependencies are in the
/// pool's index ([`Pool::deps`], [`Pool::requires`]).
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Package {
    pub name: String,
    pub arch: String,
    pub evr: Evr,
    pub summary: String,
    /// Path of the .rpm relative to the repository root.
    pub location: String,
    /// Of the .rpm file (its `pkgid` in filelists.xml).
    pub checksum: super::Checksum,
    pub size_package: u64,
    pub size_installed: u64,
    pub source_rpm: String,
    /// Files listed in primary.xml, and those of filelists.xml that a
    /// dependency names.
    pub files: Vec<String>,
    /// Set by the pool that holds the package.
    #[serde(skip)]
    pub repo: Option<RepoId>,
}

impl Package {
    /// `name-[epoch:]version-release.arch`, epoch only when not 0.
    pub fn nevra(&self) -> String {
        format!("{}-{}.{}", self.name, self.evr, self.arch)
    }
}

/// A comps group.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub mandatory: Vec<String>,
    pub default: Vec<String>,
    pub optional: Vec<String>,
    pub conditional: Vec<(String, String)>,
}

/// A comps environment (`@^id`): the groups it installs.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Environment {
    pub id: String,
    pub name: String,
    pub groups: Vec<String>,
    /// Groups offered but not installed by default.
    pub optional: Vec<String>,
}

/// The groups and environments of the enabled repositories.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Comps {
    pub groups: Vec<Group>,
    pub environments: Vec<Environment>,
}

impl Comps {
    /// dnf's `@pattern` (`CompsQuery`): the environments and groups whose
    /// id or name is `pattern`, else those whose id or name matches it as
    /// a case-insensitive glob.
    pub fn by_pattern(
        &self,
        pattern: &str,
    ) -> Result<(Vec<&Environment>, Vec<&Group>), glob::PatternError> {
        fn pick<'a, T>(
            items: &'a [T],
            key: impl Fn(&T) -> [&str; 2],
            pattern: &str,
        ) -> Result<Vec<&'a T>, glob::PatternError> {
            let exact: Vec<&T> = items.iter().filter(|t| key(t).contains(&pattern)).collect();
            if !exact.is_empty() {
                return Ok(exact);
            }
            let glob = glob::Pattern::new(pattern)?;
            let options = glob::MatchOptions {
                case_sensitive: false,
                ..Default::default()
            };
            Ok(items
                .iter()
                .filter(|t| key(t).iter().any(|k| glob.matches_with(k, options)))
                .collect())
        }
        Ok((
            pick(&self.environments, |e| [&e.id, &e.name], pattern)?,
            pick(&self.groups, |g| [&g.id, &g.name], pattern)?,
        ))
    }

    /// Groups and environments with the same id in several repos are
    /// merged, as dnf merges them.
    pub fn merge(&mut self, more: Comps) {
        for g in more.groups {
            match self.groups.iter_mut().find(|x| x.id == g.id) {
                Some(existing) => {
                    existing.mandatory.extend(g.mandatory);
                    existing.default.extend(g.default);
                    existing.optional.extend(g.optional);
                    existing.conditional.extend(g.conditional);
                }
                None => self.groups.push(g),
            }
        }
        for e in more.environments {
            match self.environments.iter_mut().find(|x| x.id == e.id) {
                Some(existing) => {
                    existing.groups.extend(e.groups);
                    existing.optional.extend(e.optional);
                }
                None => self.environments.push(e),
            }
        }
    }
}

/// All packages installable on one arch, with name, provide and file indexes.
#[derive(Debug)]
pub struct Pool {
    pub arch: ArchPolicy,
    pub repos: Vec<RepoInfo>,
    pub packages: Vec<Package>,
    pub comps: Comps,
    /// Packages by name, and each package's group there.
    by_name: Grouped<PkgId, PkgId>,
    name_of: Vec<u32>,
    index: DepIndex,
}

impl Pool {
    /// Merge the repositories' packages (`contents[i]` from `repos[i]`,
    /// already filtered to `arch`) and build the indexes.
    pub fn new(
        arch: ArchPolicy,
        repos: Vec<RepoInfo>,
        contents: Vec<RepoPackages>,
        comps: Comps,
    ) -> Pool {
        let from: Vec<Option<RepoId>> = contents
            .iter()
            .enumerate()
            .flat_map(|(r, c)| {
                std::iter::repeat_n((r < repos.len()).then_some(RepoId(r as u32)), c.len())
            })
            .collect();
        let (index, mut packages) = DepIndex::new(contents);
        let total = packages.len();
        for (pkg, repo) in packages.iter_mut().zip(from) {
            pkg.repo = repo;
        }
        let named: Vec<(PkgId, PkgId)> = (0..total as u32).map(|i| (PkgId(i), PkgId(i))).collect();
        let (by_name, name_of) = Grouped::build(&named, |id| packages[id.0 as usize].name.as_str());
        Pool {
            arch,
            repos,
            packages,
            comps,
            index,
            by_name,
            name_of,
        }
    }

    pub fn get(&self, id: PkgId) -> &Package {
        &self.packages[id.0 as usize]
    }

    pub fn ids(&self) -> impl Iterator<Item = PkgId> + '_ {
        (0..self.packages.len() as u32).map(PkgId)
    }

    /// The repository a package comes from.
    pub fn repo_of(&self, id: PkgId) -> Option<&RepoInfo> {
        self.get(id).repo.map(|r| &self.repos[r.0 as usize])
    }

    /// Packages with a file that `matches`, as dnf finds them in the full
    /// file lists. An exact path that primary.xml lists is complete there
    /// (createrepo lists a path for every package or for none); anything
    /// else also streams each repository's filelists.xml.
    pub fn packages_with_file(
        &self,
        matches: impl Fn(&str) -> bool + Sync,
        exact_path: bool,
    ) -> Result<Vec<PkgId>, super::RepoError> {
        let mut found: Vec<PkgId> = self
            .ids()
            .filter(|&id| self.get(id).files.iter().any(|f| matches(f)))
            .collect();
        if exact_path && !found.is_empty() {
            return Ok(found);
        }
        for (r, info) in self.repos.iter().enumerate() {
            let ids: Vec<PkgId> = self
                .ids()
                .filter(|&id| self.get(id).repo == Some(RepoId(r as u32)))
                .collect();
            let index =
                super::pkgid_index(ids.iter().map(|&id| self.get(id).checksum.hex.as_str()));
            found.extend(super::scan_repo_filelists(
                info,
                |_| true,
                |pkgid, file, out| {
                    if matches(file) {
                        if let Some(&i) = index.get(pkgid) {
                            out.push(ids[i]);
                        }
                    }
                },
            )?);
        }
        found.sort_unstable();
        found.dedup();
        Ok(found)
    }

    /// Every package of the name `id` has, itself included.
    pub fn same_name(&self, id: PkgId) -> &[PkgId] {
        self.by_name.group(self.name_of[id.0 as usize])
    }

    pub fn by_name(&self, name: &str) -> &[PkgId] {
        self.by_name.get(name, |id| &self.get(id).name)
    }

    /// Every package that provides `dep` (by Provides, its own `name = evr`,
    /// or by file for paths), ascending.
    pub fn providers(&self, dep: &Dep) -> Vec<PkgId> {
        match self.index.lookup(dep) {
            Some(id) => self.index.whatprovides(id).to_vec(),
            None => self.index.providers_of(dep),
        }
    }

    /// One dependency list of a package.
    pub fn deps(&self, id: PkgId, kind: DepKind) -> impl Iterator<Item = &Dep> + '_ {
        self.index.list(id, kind).iter().map(|&d| self.index.dep(d))
    }

    /// A package's Requires, each with primary.xml's `pre` flag.
    pub fn requires(&self, id: PkgId) -> impl Iterator<Item = (&Dep, bool)> + '_ {
        self.index
            .requires(id)
            .map(|(d, pre)| (self.index.dep(d), pre))
    }

    /// The interned dependencies and what provides each.
    pub fn index(&self) -> &DepIndex {
        &self.index
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.comps.groups.iter().find(|g| g.id == id)
    }

    pub fn environment(&self, id: &str) -> Option<&Environment> {
        self.comps.environments.iter().find(|e| e.id == id)
    }

    pub fn arch_policy(&self) -> &ArchPolicy {
        &self.arch
    }
}
