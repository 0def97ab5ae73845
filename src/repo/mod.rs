//! Repository metadata: repomd.xml, primary, filelists and comps, from a
//! local folder or remote mirrors (through the [`Store`] and its cache),
//! verified against repomd's checksums, into a [`Pool`] for one arch.

mod activity;
mod cache;
mod chunks;
mod compressed;
mod comps;
mod digest;
mod filelists;
mod grouped;
mod index;
mod intern;
mod location;
mod net;
mod pool;
mod pool_cache;
mod primary;
mod records;
mod repomd;
mod store;
mod write;
mod xml;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use thiserror::Error;

use crate::rpm::ArchPolicy;

pub use activity::{Activity, ActivitySnapshot};
pub use compressed::{decompress, open_decompressed, verify_file, MAX_METADATA_BYTES};
pub use comps::read_comps;
pub use digest::{hex, sha256_hex, Checksum, DigestKind, HashingReader, PendingDigest};
pub use filelists::scan_filelists;
pub use index::{DepId, DepIndex};
pub use location::{parse_metalink, parse_mirrorlist, Location, Metalink, Mirror};
pub use net::NetOptions;
pub use pool::{
    Comps, Environment, Group, Package, PkgId, Pool, RepoId, RepoInfo, DEFAULT_COST,
    DEFAULT_PRIORITY,
};
pub use primary::read_primary;
pub use records::RepoPackages;
pub use repomd::{DataRecord, Repomd};
pub use store::{Fetcher, Reached, RepoAccess, Store, StoreOptions, StoreStats};
pub use write::write_repodata;

#[derive(Debug, Error)]
pub enum RepoError {
    #[error("repository {repo}: {location} does not exist or is not a directory")]
    NotFound { repo: String, location: String },
    #[error("repository {repo}: {option} {url}: {reason}")]
    Mirrors {
        repo: String,
        option: &'static str,
        url: String,
        reason: String,
    },
    #[error("repository {repo}: cannot get {what} from any mirror:{}", tried.iter().map(|t| format!("\n  {t}")).collect::<String>())]
    Unreachable {
        repo: String,
        what: String,
        tried: Vec<String>,
    },
    #[error("{0}")]
    Network(String),
    #[error("repository {repo}: location {location:?} leads outside the repository; refused")]
    UnsafeLocation { repo: String, location: String },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: malformed XML (near byte {offset}): {reason}", path.display())]
    Xml {
        path: PathBuf,
        offset: u64,
        line: u64,
        column: u64,
        reason: String,
    },
    #[error(transparent)]
    ChecksumMismatch(Box<Mismatch>),
    #[error("{}: {format} stream is corrupt: {reason}", path.display())]
    Corrupt {
        path: PathBuf,
        format: &'static str,
        reason: String,
    },
    #[error("{}: more than {limit} bytes once decompressed; refused (a decompression bomb?)", path.display())]
    TooLarge { path: PathBuf, limit: u64 },
    #[error("{}: unsupported checksum type {algorithm}", path.display())]
    UnsupportedChecksum { path: PathBuf, algorithm: String },
    #[error("{}: unsupported compression {kind}", path.display())]
    UnsupportedCompression { path: PathBuf, kind: String },
    #[error("{}: {reason}", path.display())]
    Rpm { path: PathBuf, reason: String },
    #[error("repository {repo}: repomd.xml lists {kind} at {}, which does not exist", path.display())]
    Missing {
        repo: String,
        kind: String,
        path: PathBuf,
    },
    #[error("repository {repo}: {} has no primary record", path.display())]
    NoPrimary { repo: String, path: PathBuf },
}

/// A file that is not what the metadata says it is.
#[derive(Debug, Error)]
#[error("{}: {algorithm} checksum mismatch: {according_to} says {expected}, the file has {actual}", path.display())]
pub struct Mismatch {
    pub path: PathBuf,
    pub algorithm: String,
    /// Who recorded the expected checksum: repomd.xml, primary.xml, a metalink.
    pub according_to: String,
    pub expected: String,
    pub actual: String,
}

impl RepoError {
    pub(crate) fn io(path: &Path, e: std::io::Error) -> RepoError {
        RepoError::Io {
            path: path.to_path_buf(),
            source: e,
        }
    }
}

/// A repository as configured: a name and where it lives, with
/// `$basearch`/`$releasever` already substituted.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RepoSource {
    pub name: String,
    pub location: Location,
    /// dnf's `priority` (lower wins over any version elsewhere).
    pub priority: i32,
    /// dnf's `cost` (lower wins among equal versions).
    pub cost: i32,
}

impl RepoSource {
    /// A source at a base URL or path, with dnf's default priority and cost.
    pub fn new(name: impl Into<String>, baseurl: impl Into<String>) -> RepoSource {
        RepoSource::at(name, Location::Baseurl(baseurl.into()))
    }

    pub fn at(name: impl Into<String>, location: Location) -> RepoSource {
        RepoSource {
            name: name.into(),
            location,
            priority: DEFAULT_PRIORITY,
            cost: DEFAULT_COST,
        }
    }
}

/// A setting given on the command line as dnf's `--setopt`: a
/// repository's `NAME.priority=N` / `NAME.cost=N`, or the global
/// `timeout=SECONDS` / `retries=N`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Setopt {
    Repo(RepoSetting),
    Timeout(u64),
    Retries(u32),
}

/// `--setopt=NAME.priority=N` or `NAME.cost=N`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepoSetting {
    pub repo: String,
    pub key: RepoKey,
    pub value: i32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RepoKey {
    Priority,
    Cost,
}

const SETOPT_FORMS: &str = "REPO.priority=N, REPO.cost=N, timeout=SECONDS or retries=N";

impl std::str::FromStr for Setopt {
    type Err = String;

    fn from_str(s: &str) -> Result<Setopt, String> {
        let (lhs, value) = s
            .split_once('=')
            .ok_or_else(|| format!("{s:?} is not {SETOPT_FORMS}"))?;
        let number = || format!("{s:?}: {value:?} is not a whole number");
        let Some((repo, key)) = lhs.rsplit_once('.').filter(|(repo, _)| !repo.is_empty()) else {
            return match lhs {
                "timeout" => Ok(Setopt::Timeout(value.parse().map_err(|_| number())?)),
                "retries" => Ok(Setopt::Retries(value.parse().map_err(|_| number())?)),
                _ => Err(format!("{s:?}: unknown option {lhs:?} ({SETOPT_FORMS})")),
            };
        };
        let key = match key {
            "priority" => RepoKey::Priority,
            "cost" => RepoKey::Cost,
            other => {
                return Err(format!(
                    "{s:?}: unknown repository option {other:?} (priority and cost are supported)"
                ))
            }
        };
        Ok(Setopt::Repo(RepoSetting {
            repo: repo.to_string(),
            key,
            value: value.parse().map_err(|_| number())?,
        }))
    }
}

impl Setopt {
    /// The global settings, applied to the network options.
    pub fn apply_net(settings: &[Setopt], net: &mut NetOptions) {
        for setting in settings {
            match *setting {
                Setopt::Timeout(secs) => net.timeout = std::time::Duration::from_secs(secs),
                Setopt::Retries(n) => net.retries = n,
                Setopt::Repo(_) => {}
            }
        }
    }

    /// The repository settings, applied to the sources they name; a
    /// setting for a repository that is not there is an error.
    pub fn apply_repos(settings: &[Setopt], sources: &mut [RepoSource]) -> Result<(), String> {
        for setting in settings {
            let Setopt::Repo(setting) = setting else {
                continue;
            };
            let Some(source) = sources.iter_mut().find(|s| s.name == setting.repo) else {
                let names: Vec<&str> = sources.iter().map(|s| s.name.as_str()).collect();
                return Err(format!(
                    "--setopt for repository {:?}, which is not enabled (enabled: {})",
                    setting.repo,
                    names.join(", ")
                ));
            };
            match setting.key {
                RepoKey::Priority => source.priority = setting.value,
                RepoKey::Cost => source.cost = setting.value,
            }
        }
        Ok(())
    }
}

/// Metadata of one repository, read and verified.
pub struct LoadedRepo {
    pub info: RepoInfo,
    pub packages: RepoPackages,
    pub comps: Comps,
}

/// One repository's metadata, keeping the packages that install on `arch`.
/// The store parses it once; each arch gets its own copy of its share.
pub fn load_repo(
    store: &Store,
    source: &RepoSource,
    arch: &ArchPolicy,
) -> Result<LoadedRepo, RepoError> {
    let shared = store.repo(source)?;
    let keep = |p: &Package| arch.installs(&p.arch);
    // The last expected user takes the parse itself: no copy when every
    // package is kept (an arch's own repository).
    let shared = match store.release(source) {
        true => match Arc::try_unwrap(shared) {
            Ok(mut own) => {
                if !own.packages.packages.iter().all(keep) {
                    own.packages = own.packages.into_filtered(keep);
                }
                return Ok(own);
            }
            Err(still_shared) => still_shared,
        },
        false => shared,
    };
    Ok(LoadedRepo {
        info: shared.info.clone(),
        packages: shared.packages.filtered(keep),
        comps: shared.comps.clone(),
    })
}

/// A repository located and its repomd.xml read: what is known of it
/// before any metadata file is parsed.
pub struct ResolvedRepo {
    pub info: RepoInfo,
    primary: DataRecord,
    comps: Option<DataRecord>,
}

impl ResolvedRepo {
    /// What the parsed-pool cache keys this repository by.
    fn key_part(&self) -> pool_cache::KeyPart<'_> {
        pool_cache::KeyPart {
            name: &self.info.name,
            primary: &self.primary,
            filelists: self.info.filelists.as_ref(),
            comps: self.comps.as_ref(),
        }
    }
}

/// Find a repository's mirrors and read its current repomd.xml.
fn resolve_repo(fetcher: &Arc<Fetcher>, source: &RepoSource) -> Result<ResolvedRepo, RepoError> {
    let (access, repomd_bytes) = fetcher.resolve(source)?;
    let repomd_path = PathBuf::from(access.mirrors[0].display("repodata/repomd.xml"));
    let repomd = Repomd::parse(&repomd_bytes[..], &repomd_path)?;
    let primary = repomd
        .record("primary")
        .cloned()
        .ok_or_else(|| RepoError::NoPrimary {
            repo: source.name.clone(),
            path: repomd_path.clone(),
        })?;
    // dnf's choice, group_gz else group; then the copies createrepo_c
    // names by another compression, for a repository that has only those.
    let comps = ["group_gz", "group", "group_xz", "group_zst", "group_bz2"]
        .iter()
        .find_map(|kind| repomd.record(kind))
        .cloned();
    Ok(ResolvedRepo {
        info: RepoInfo {
            name: source.name.clone(),
            access,
            fetcher: fetcher.clone(),
            repomd_sha256: sha256_hex(&repomd_bytes),
            priority: source.priority,
            cost: source.cost,
            filelists: repomd.record("filelists").cloned(),
        },
        primary,
        comps,
    })
}

/// Read and verify one repository's metadata: every binary package, of
/// whatever arch.
fn parse_repo(resolved: &ResolvedRepo) -> Result<LoadedRepo, RepoError> {
    let info = &resolved.info;
    let fetcher = &info.fetcher;
    let packages = read_verified(fetcher, &info.access, &resolved.primary, |input, path| {
        primary::read_primary(input, path, |a| !matches!(a, "src" | "nosrc"))
    })?;
    fetcher.count_primary();
    let comps = match &resolved.comps {
        Some(rec) => read_verified(fetcher, &info.access, rec, comps::read_comps)?,
        None => Comps::default(),
    };
    Ok(LoadedRepo {
        info: info.clone(),
        packages,
        comps,
    })
}

/// Parse the file a repomd.xml record names, verified in the same pass. A
/// cached copy that turns out corrupt is dropped and fetched again, once.
fn read_verified<T>(
    store: &Fetcher,
    access: &RepoAccess,
    record: &DataRecord,
    parse: impl Fn(Box<dyn std::io::BufRead + Send>, &Path) -> Result<T, RepoError>,
) -> Result<T, RepoError> {
    let limit = compressed::limit_for(&record.kind);
    let reach = || {
        store.reach(
            access,
            &record.location,
            &record.checksum,
            limit,
            &record.kind,
        )
    };
    let counted = |input, path: &Path| parse(store.activity().counting(input), path);
    let verified = |reached: &Reached| {
        compressed::parse_verified(
            &reached.path,
            &record.checksum,
            "repomd.xml",
            limit,
            counted,
        )
    };
    let reached = reach()?;
    match verified(&reached) {
        Err(RepoError::ChecksumMismatch(_)) if reached.cached => {
            store.evict(&reached);
            verified(&reach()?)
        }
        other => other,
    }
}

/// Load every repository for `arch` into one pool; repos are read in
/// parallel. A pool made from the same metadata before is read from the
/// parsed-pool cache instead. [`Store::pool`] shares the result; this loads
/// afresh.
pub fn load_pool(
    store: &Store,
    sources: &[RepoSource],
    arch: &ArchPolicy,
) -> Result<Pool, RepoError> {
    use rayon::prelude::*;
    let resolved: Vec<Arc<ResolvedRepo>> = sources
        .par_iter()
        .map(|s| store.resolved(s))
        .collect::<Result<_, _>>()?;
    let infos = || resolved.iter().map(|r| r.info.clone()).collect();
    let cached = store.pool_cache_entry(sources, arch, &resolved);
    if let Some(pool) = cached.as_ref().and_then(|entry| store.cached_pool(entry)) {
        for source in sources {
            store.release(source);
        }
        return Ok(Pool::new(arch.clone(), infos(), pool.repos, pool.comps));
    }
    let mut loaded: Vec<LoadedRepo> = sources
        .par_iter()
        .map(|s| load_repo(store, s, arch))
        .collect::<Result<_, _>>()?;
    add_file_provides(&mut loaded)?;
    let mut contents = Vec::new();
    let mut comps = Comps::default();
    for repo in loaded {
        contents.push(repo.packages);
        comps.merge(repo.comps);
    }
    if let Some(entry) = cached {
        store.keep_pool(&entry, &contents, &comps);
    }
    Ok(Pool::new(arch.clone(), infos(), contents, comps))
}

/// File dependencies that no file entry of primary.xml provides are looked
/// up in filelists.xml, as dnf finds them in the full file lists: each
/// repository's filelists is read only when such a dependency exists, and
/// only the files asked for are kept.
fn add_file_provides(repos: &mut [LoadedRepo]) -> Result<(), RepoError> {
    use rayon::prelude::*;
    let wanted = unprovided_file_deps(repos);
    if wanted.is_empty() {
        return Ok(());
    }
    // Most of filelists names none of them: chunks where no wanted path
    // occurs as an entry's text are not parsed.
    let entries: Vec<String> = wanted
        .iter()
        .map(|p| format!(">{}</", xml_escape(p)))
        .collect();
    let finder = aho_corasick::AhoCorasick::new(&entries).expect("literal patterns build");
    let found: Vec<Vec<(usize, String)>> = repos
        .par_iter()
        .map(|r| {
            let index = pkgid_index(r.packages.packages.iter().map(|p| p.checksum.hex.as_str()));
            let may_hold = |bytes: &[u8]| finder.is_match(bytes);
            scan_repo_filelists(&r.info, may_hold, |pkgid, file, out| {
                if wanted.contains(file) {
                    if let Some(&i) = index.get(pkgid) {
                        out.push((i, file.to_string()));
                    }
                }
            })
        })
        .collect::<Result<_, RepoError>>()?;
    for (repo, files) in repos.iter_mut().zip(found) {
        for (i, file) in files {
            repo.packages.packages[i].files.push(file);
        }
    }
    Ok(())
}

/// Text as libxml2 writes it into an element.
fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Paths named by a dependency (simple or inside a rich one) that no
/// package lists among primary's files.
fn unprovided_file_deps(repos: &[LoadedRepo]) -> rustc_hash::FxHashSet<String> {
    let listed: rustc_hash::FxHashSet<&str> = repos
        .iter()
        .flat_map(|r| &r.packages.packages)
        .flat_map(|p| p.files.iter().map(String::as_str))
        .collect();
    let mut wanted = rustc_hash::FxHashSet::default();
    let mut want = |name: &str| {
        if name.starts_with('/') && !listed.contains(name) {
            wanted.insert(name.to_string());
        }
    };
    for dep in repos.iter().flat_map(|r| r.packages.deps.values()) {
        if dep.is_rich() {
            if let Ok(expr) = crate::rpm::DepExpr::parse_header(&dep.name) {
                expr.operands().into_iter().for_each(|d| want(&d.name));
            }
        } else {
            want(&dep.name);
        }
    }
    wanted
}

/// Package position by primary's checksum (filelists' `pkgid`).
pub(crate) fn pkgid_index<'a>(
    checksums: impl Iterator<Item = &'a str>,
) -> rustc_hash::FxHashMap<&'a str, usize> {
    checksums.enumerate().map(|(i, c)| (c, i)).collect()
}

/// What `keep(pkgid, path, out)` keeps of a repository's filelists (see
/// [`filelists::scan_filelists`]),
/// verified against repomd.xml; nothing when the repository has none.
pub(crate) fn scan_repo_filelists<T: Send>(
    info: &RepoInfo,
    may_hold: impl Fn(&[u8]) -> bool + Sync,
    keep: impl Fn(&str, &str, &mut Vec<T>) + Sync,
) -> Result<Vec<T>, RepoError> {
    match &info.filelists {
        Some(record) => read_verified(&info.fetcher, &info.access, record, |input, path| {
            filelists::scan_filelists(input, path, &may_hold, &keep)
        }),
        None => Ok(Vec::new()),
    }
}
