//! The shared metadata store: one per process. It resolves a repository's
//! location into mirrors, brings repomd.xml, metadata files and packages
//! into reach (in place for a local repository, through the cache for a
//! remote one), and loads each (repositories, arch) pool once, shared
//! read-only by every image that uses it.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use serde::Serialize;

use super::activity::Activity;
use super::cache::{Cache, RepomdOrigin};
use super::compressed::{self, MAX_REPOMD_BYTES};
use super::digest::{sha256_hex, Checksum};
use super::location::{parse_metalink, parse_mirrorlist, Location, Metalink, Mirror};
use super::net::{Downloader, NetFailure, NetOptions, Small};
use super::pool_cache::{CachedPool, PoolCacheEntry};
use super::{Comps, LoadedRepo, Pool, RepoError, RepoPackages, RepoSource, ResolvedRepo};
use crate::rpm::ArchPolicy;

/// How the store reaches remote repositories.
#[derive(Clone, Debug)]
pub struct StoreOptions {
    /// Root of the download cache (see [`Cache`]).
    pub cache_dir: PathBuf,
    /// Use only what the cache holds; never touch the network.
    pub offline: bool,
    pub net: NetOptions,
    /// Downloads running at once, per fetch.
    pub parallel_downloads: usize,
    /// Keep parsed pools in the cache and read them back (see `pool_cache`).
    pub pool_cache: bool,
}

impl Default for StoreOptions {
    fn default() -> StoreOptions {
        StoreOptions {
            cache_dir: Cache::default_dir(),
            offline: false,
            net: NetOptions::default(),
            parallel_downloads: 6,
            pool_cache: true,
        }
    }
}

/// A repository's location resolved to mirrors, best first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepoAccess {
    pub name: String,
    pub mirrors: Vec<Mirror>,
}

impl RepoAccess {
    /// The local folder of a repository read in place.
    pub fn local_root(&self) -> Option<&Path> {
        match self.mirrors.as_slice() {
            [only] => only.local_root(),
            _ => None,
        }
    }
}

/// What a store did, for `compose --json` and the log.
#[derive(Clone, Debug, Default, Serialize, PartialEq, Eq)]
pub struct StoreStats {
    /// Pools (repositories × arch) made, parsed or read from the pool cache.
    pub pools_loaded: u64,
    /// Pools handed out again without loading.
    pub pools_shared: u64,
    /// Pools read from the parsed-pool cache instead of the metadata.
    pub pools_cached: u64,
    /// primary.xml files parsed.
    pub primary_parsed: u64,
    /// Files downloaded (metadata and packages), and their bytes.
    pub downloads: u64,
    pub downloaded_bytes: u64,
    /// Files found in the cache instead.
    pub cache_hits: u64,
}

#[derive(Default)]
struct Counters {
    pools_loaded: AtomicU64,
    pools_shared: AtomicU64,
    pools_cached: AtomicU64,
    primary_parsed: AtomicU64,
    downloads: AtomicU64,
    downloaded_bytes: AtomicU64,
    cache_hits: AtomicU64,
}

/// Values made once per key and shared: a caller that finds another
/// making the same value waits for it. A failure is not kept, so the next
/// caller tries again.
struct Coalesced<K, V> {
    slots: Mutex<HashMap<K, Slot<V>>>,
}

/// A value being made, or made.
type Slot<V> = Arc<Mutex<Option<Arc<V>>>>;

impl<K: std::hash::Hash + Eq, V> Default for Coalesced<K, V> {
    fn default() -> Self {
        Coalesced {
            slots: Mutex::default(),
        }
    }
}

impl<K: std::hash::Hash + Eq, V> Coalesced<K, V> {
    /// The value of `key`, and whether it was made by this call.
    fn get_or_make<E>(
        &self,
        key: K,
        make: impl FnOnce() -> Result<V, E>,
    ) -> Result<(Arc<V>, bool), E> {
        let slot = self
            .slots
            .lock()
            .expect("coalescing map lock")
            .entry(key)
            .or_default()
            .clone();
        let mut slot = slot.lock().expect("coalescing slot lock");
        if let Some(value) = slot.as_ref() {
            return Ok((value.clone(), false));
        }
        let value = Arc::new(make()?);
        *slot = Some(value.clone());
        Ok((value, true))
    }

    /// Drop the value of `key`: its holders keep theirs.
    fn forget(&self, key: &K) {
        self.slots.lock().expect("coalescing map lock").remove(key);
    }
}

/// The metadata store of a process: each repository's metadata parsed
/// once (every arch's packages), and the pools built from it, shared.
#[derive(Default)]
pub struct Store {
    fetcher: Arc<Fetcher>,
    /// Each repository's repomd.xml, fetched once per process.
    resolved: Coalesced<RepoSource, ResolvedRepo>,
    repos: Coalesced<RepoSource, LoadedRepo>,
    /// How many expected pools have yet to take their share of each parse.
    repo_users: Mutex<HashMap<RepoSource, usize>>,
    pools: Coalesced<(Vec<RepoSource>, ArchPolicy), Pool>,
}

/// What reaches repository files: the cache, the HTTP client, counters.
/// Every pool keeps a handle, to read filelists and packages later.
pub struct Fetcher {
    options: StoreOptions,
    cache: Cache,
    downloader: OnceLock<Result<Downloader, String>>,
    /// One lock per blob being downloaded: a second task that wants the
    /// same file (a noarch package for another arch) waits and finds it
    /// in the cache.
    in_flight: Mutex<HashMap<PathBuf, Arc<Mutex<()>>>>,
    counters: Counters,
    activity: Arc<Activity>,
}

impl Default for Fetcher {
    fn default() -> Fetcher {
        Fetcher::new(StoreOptions::default())
    }
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Fetcher({})", self.options.cache_dir.display())
    }
}

/// Where a file of a repository was found.
pub struct Reached {
    pub path: PathBuf,
    /// Verified on the way in (a fresh download): no need to hash it again.
    pub verified: bool,
    /// A cached copy, to be dropped if it turns out corrupt.
    pub cached: bool,
}

impl Store {
    pub fn new(options: StoreOptions) -> Store {
        Store {
            fetcher: Arc::new(Fetcher::new(options)),
            resolved: Coalesced::default(),
            repos: Coalesced::default(),
            repo_users: Mutex::default(),
            pools: Coalesced::default(),
        }
    }

    pub fn fetcher(&self) -> &Arc<Fetcher> {
        &self.fetcher
    }

    pub fn stats(&self) -> StoreStats {
        self.fetcher.stats()
    }

    /// What transfers and metadata reads are doing now.
    pub fn activity(&self) -> &Arc<Activity> {
        self.fetcher.activity()
    }

    /// The pool of `sources` for `arch`, loaded once and shared by every
    /// caller that asks for the same repositories and arch, at the same
    /// time or later. A failed load is not kept: the next caller tries again.
    pub fn pool(&self, sources: &[RepoSource], arch: &ArchPolicy) -> Result<Arc<Pool>, RepoError> {
        let (pool, made) = self
            .pools
            .get_or_make((sources.to_vec(), arch.clone()), || {
                super::load_pool(self, sources, arch)
            })?;
        let counter = match made {
            true => &self.fetcher.counters.pools_loaded,
            false => &self.fetcher.counters.pools_shared,
        };
        counter.fetch_add(1, Ordering::Relaxed);
        Ok(pool)
    }

    /// A repository's metadata with the packages of every arch, parsed
    /// once however many arches and images use it: a noarch package is
    /// read once for all of them.
    pub fn repo(&self, source: &RepoSource) -> Result<Arc<LoadedRepo>, RepoError> {
        self.repos
            .get_or_make(source.clone(), || {
                super::parse_repo(&*self.resolved(source)?)
            })
            .map(|(repo, _)| repo)
    }

    /// A repository's mirrors and current repomd.xml, read once.
    pub fn resolved(&self, source: &RepoSource) -> Result<Arc<ResolvedRepo>, RepoError> {
        self.resolved
            .get_or_make(source.clone(), || {
                super::resolve_repo(&self.fetcher, source)
            })
            .map(|(resolved, _)| resolved)
    }

    /// Where the pool of `sources` for `arch` is cached, when the cache is on.
    pub(crate) fn pool_cache_entry(
        &self,
        sources: &[RepoSource],
        arch: &ArchPolicy,
        resolved: &[Arc<ResolvedRepo>],
    ) -> Option<PoolCacheEntry> {
        let parts: Vec<_> = resolved.iter().map(|r| r.key_part()).collect();
        self.fetcher
            .options
            .pool_cache
            .then(|| PoolCacheEntry::new(&self.fetcher.cache, sources, arch, &parts))
    }

    /// The cached pool of `entry`, if it holds one for this metadata; a
    /// damaged file is reported and rebuilt.
    pub(crate) fn cached_pool(&self, entry: &PoolCacheEntry) -> Option<CachedPool> {
        match entry.load() {
            Ok(Some(pool)) => {
                self.fetcher
                    .counters
                    .pools_cached
                    .fetch_add(1, Ordering::Relaxed);
                Some(pool)
            }
            Ok(None) => None,
            Err(why) => {
                self.fetcher.warn(&format!(
                    "{}: {why}; parsing the metadata again",
                    entry.path().display()
                ));
                None
            }
        }
    }

    /// Keep a freshly loaded pool's makings for the next run. A cache that
    /// cannot be written costs the next run time, not this one its result.
    pub(crate) fn keep_pool(&self, entry: &PoolCacheEntry, repos: &[RepoPackages], comps: &Comps) {
        if let Err(e) = entry.save(&self.fetcher.cache, repos, comps) {
            self.fetcher
                .warn(&format!("cannot keep the parsed pool: {e}"));
        }
    }

    /// Say which pools are coming, so that each repository's parse is kept
    /// just until the last of them has taken its share.
    pub fn expect_pools<'a>(
        &self,
        pools: impl IntoIterator<Item = (&'a [RepoSource], &'a ArchPolicy)>,
    ) {
        let distinct: std::collections::HashSet<_> = pools.into_iter().collect();
        let mut users = self.repo_users.lock().expect("repo users lock");
        for (sources, _) in distinct {
            for source in sources {
                *users.entry(source.clone()).or_insert(0) += 1;
            }
        }
    }

    /// One pool has taken its share of `source`: whether it was the last
    /// expected (one, when nothing was said), so that the parse can be
    /// handed over rather than copied.
    pub(crate) fn release(&self, source: &RepoSource) -> bool {
        let mut users = self.repo_users.lock().expect("repo users lock");
        let left = users.entry(source.clone()).or_insert(1);
        *left = left.saturating_sub(1);
        if *left > 0 {
            return false;
        }
        users.remove(source);
        self.repos.forget(source);
        true
    }
}

impl Fetcher {
    pub fn new(options: StoreOptions) -> Fetcher {
        Fetcher {
            cache: Cache::new(&options.cache_dir),
            options,
            downloader: OnceLock::new(),
            in_flight: Mutex::default(),
            counters: Counters::default(),
            activity: Arc::default(),
        }
    }

    pub fn options(&self) -> &StoreOptions {
        &self.options
    }

    pub fn stats(&self) -> StoreStats {
        let c = &self.counters;
        StoreStats {
            pools_loaded: c.pools_loaded.load(Ordering::Relaxed),
            pools_shared: c.pools_shared.load(Ordering::Relaxed),
            pools_cached: c.pools_cached.load(Ordering::Relaxed),
            primary_parsed: c.primary_parsed.load(Ordering::Relaxed),
            downloads: c.downloads.load(Ordering::Relaxed),
            downloaded_bytes: c.downloaded_bytes.load(Ordering::Relaxed),
            cache_hits: c.cache_hits.load(Ordering::Relaxed),
        }
    }

    /// Say something is wrong that the run gets over.
    pub(crate) fn warn(&self, message: &str) {
        self.activity.warn(message);
    }

    /// What transfers and metadata reads are doing now.
    pub fn activity(&self) -> &Arc<Activity> {
        &self.activity
    }

    pub(crate) fn count_primary(&self) {
        self.counters.primary_parsed.fetch_add(1, Ordering::Relaxed);
    }

    fn downloader(&self) -> Result<&Downloader, RepoError> {
        self.downloader
            .get_or_init(|| Downloader::new(self.options.net.clone(), self.activity.clone()))
            .as_ref()
            .map_err(|e| RepoError::Network(e.clone()))
    }

    /// A repository's mirrors and its current repomd.xml (bytes), the
    /// mirror that served it first.
    pub fn resolve(&self, source: &RepoSource) -> Result<(RepoAccess, Vec<u8>), RepoError> {
        let repo_dir = self.cache.repo_dir(&source.name, &source.location);
        let (mirrors, metalink) = self.mirrors(source, &repo_dir)?;
        let mut tried = Vec::new();
        for (i, mirror) in mirrors.iter().enumerate() {
            match self.repomd_from(source, mirror, metalink.as_ref(), &repo_dir) {
                Ok(bytes) => {
                    let mut ordered = mirrors.clone();
                    ordered[..=i].rotate_right(1);
                    let access = RepoAccess {
                        name: source.name.clone(),
                        mirrors: ordered,
                    };
                    return Ok((access, bytes));
                }
                // One local folder: its own error says it best.
                Err(e) if mirrors.len() == 1 && mirror.local_root().is_some() => return Err(e),
                Err(e) => tried.push(format!("{}: {e}", mirror.display("repodata/repomd.xml"))),
            }
        }
        Err(RepoError::Unreachable {
            repo: source.name.clone(),
            what: "repodata/repomd.xml".into(),
            tried,
        })
    }

    /// The mirrors a location names, and the metalink's word on repomd.xml.
    fn mirrors(
        &self,
        source: &RepoSource,
        repo_dir: &Path,
    ) -> Result<(Vec<Mirror>, Option<Metalink>), RepoError> {
        let url = source.location.url();
        let bad = |reason: String| RepoError::Mirrors {
            repo: source.name.clone(),
            option: source.location.option(),
            url: url.to_string(),
            reason,
        };
        match &source.location {
            Location::Baseurl(_) => {
                let mirror = Mirror::parse(url).ok_or_else(|| {
                    bad("only local paths, file://, http:// and https:// URLs can be read".into())
                })?;
                Ok((vec![mirror], None))
            }
            Location::Mirrorlist(_) | Location::Metalink(_) => {
                let doc = self.mirror_document(url, repo_dir).map_err(bad)?;
                // librepo's rule: a mirror list that is a metalink is read as one.
                let is_metalink = matches!(source.location, Location::Metalink(_))
                    || String::from_utf8_lossy(&doc[..doc.len().min(512)]).contains("<metalink");
                if is_metalink {
                    let link = parse_metalink(&doc, Path::new(url))?;
                    Ok((link.mirrors.clone(), Some(link)))
                } else {
                    let text = String::from_utf8(doc).map_err(|_| bad("it is not text".into()))?;
                    let mirrors = parse_mirrorlist(&text);
                    if mirrors.is_empty() {
                        return Err(bad("it lists no http, https or file URL".into()));
                    }
                    Ok((mirrors, None))
                }
            }
        }
    }

    /// A mirror list or metalink: read afresh (and kept), or when that
    /// fails or `--offline` is given, the copy kept last time.
    fn mirror_document(&self, url: &str, repo_dir: &Path) -> Result<Vec<u8>, String> {
        let kept = repo_dir.join("mirrors");
        if let Some(Mirror::Local(path)) = Mirror::parse(url) {
            return compressed::read_small(&path).map_err(|e| e.to_string());
        }
        if self.options.offline {
            return fs::read(&kept)
                .map_err(|_| "not in the cache, and --offline forbids downloading it".into());
        }
        let fetched =
            self.downloader()
                .map_err(|e| e.to_string())?
                .get_small(url, None, MAX_REPOMD_BYTES);
        match fetched {
            Ok(Small::Fresh { bytes, .. }) => {
                self.counted_download(bytes.len() as u64);
                self.cache.write(&kept, &bytes).map_err(|e| e.to_string())?;
                Ok(bytes)
            }
            Ok(Small::NotModified) => unreachable!("an unconditional request gets no 304"),
            Err(failure) => fs::read(&kept).map_err(|_| failure.to_string()),
        }
    }

    /// repomd.xml from one mirror: read in place, or revalidated against
    /// the cached copy, and checked against the metalink when there is one.
    fn repomd_from(
        &self,
        source: &RepoSource,
        mirror: &Mirror,
        metalink: Option<&Metalink>,
        repo_dir: &Path,
    ) -> Result<Vec<u8>, RepoError> {
        let bytes = match mirror {
            Mirror::Local(root) => local_repomd(&source.name, root)?,
            Mirror::Remote(base) => self.remote_repomd(base, metalink, repo_dir)?,
        };
        match metalink {
            Some(link) if !link.accepts(&bytes) => Err(RepoError::Network(
                "repomd.xml does not match the metalink's hashes (a stale mirror?)".into(),
            )),
            _ => Ok(bytes),
        }
    }

    fn remote_repomd(
        &self,
        base: &str,
        metalink: Option<&Metalink>,
        repo_dir: &Path,
    ) -> Result<Vec<u8>, RepoError> {
        let url = format!("{base}repodata/repomd.xml");
        let (cached, origin) = match Cache::read_repomd(repo_dir) {
            Some((bytes, origin)) => (Some(bytes), Some(origin).filter(|o| o.url == url)),
            None => (None, None),
        };
        // A metalink names the current repomd.xml: a cached copy it accepts
        // needs no request at all.
        if let (Some(bytes), Some(link)) = (&cached, metalink) {
            if link.accepts(bytes) {
                self.counters.cache_hits.fetch_add(1, Ordering::Relaxed);
                return Ok(bytes.clone());
            }
        }
        if self.options.offline {
            return cached.ok_or_else(|| {
                RepoError::Network("not in the cache, and --offline forbids downloading it".into())
            });
        }
        let validators = match (&cached, &origin) {
            (Some(_), Some(o)) => Some((
                o.etag.as_deref().unwrap_or(""),
                o.last_modified.as_deref().unwrap_or(""),
            )),
            _ => None,
        };
        match self
            .downloader()?
            .get_small(&url, validators, MAX_REPOMD_BYTES)
            .map_err(|f| RepoError::Network(f.to_string()))?
        {
            Small::NotModified => {
                self.counters.cache_hits.fetch_add(1, Ordering::Relaxed);
                Ok(cached.expect("a conditional request is sent only with a cached copy"))
            }
            Small::Fresh {
                bytes,
                etag,
                last_modified,
            } => {
                self.counted_download(bytes.len() as u64);
                let origin = RepomdOrigin {
                    url,
                    etag,
                    last_modified,
                    sha256: sha256_hex(&bytes),
                };
                // A stale mirror's repomd.xml must not replace a good one.
                if metalink.is_none_or(|l| l.accepts(&bytes)) {
                    self.cache.store_repomd(repo_dir, &bytes, &origin)?;
                }
                Ok(bytes)
            }
        }
    }

    fn counted_download(&self, bytes: u64) {
        self.counters.downloads.fetch_add(1, Ordering::Relaxed);
        self.counters
            .downloaded_bytes
            .fetch_add(bytes, Ordering::Relaxed);
    }

    /// Bring a file of a repository (`relative` to its root, with the
    /// checksum metadata records for it) within reach: the local file, a
    /// cached copy, or a download from the first mirror that has it.
    /// `what` names it in errors ("primary", "package foo-1-1.noarch").
    pub fn reach(
        &self,
        access: &RepoAccess,
        relative: &str,
        checksum: &Checksum,
        limit: u64,
        what: &str,
    ) -> Result<Reached, RepoError> {
        if !is_inside(relative) {
            return Err(RepoError::UnsafeLocation {
                repo: access.name.clone(),
                location: relative.to_string(),
            });
        }
        if let Some(root) = access.local_root() {
            let path = root.join(relative);
            if !path.is_file() {
                return Err(RepoError::Missing {
                    repo: access.name.clone(),
                    kind: what.to_string(),
                    path,
                });
            }
            return Ok(Reached {
                path,
                verified: false,
                cached: false,
            });
        }
        let blob = self.cache.blob(checksum);
        let gate = self.gate(&blob);
        let _downloading = gate.lock().expect("download gate");
        let reached = self.reach_through_cache(access, relative, checksum, limit, &blob);
        self.in_flight.lock().expect("in-flight map").remove(&blob);
        reached
    }

    fn gate(&self, blob: &Path) -> Arc<Mutex<()>> {
        self.in_flight
            .lock()
            .expect("in-flight map")
            .entry(blob.to_path_buf())
            .or_default()
            .clone()
    }

    fn reach_through_cache(
        &self,
        access: &RepoAccess,
        relative: &str,
        checksum: &Checksum,
        limit: u64,
        blob: &Path,
    ) -> Result<Reached, RepoError> {
        if blob.is_file() {
            self.counters.cache_hits.fetch_add(1, Ordering::Relaxed);
            return Ok(Reached {
                path: blob.to_path_buf(),
                verified: false,
                cached: true,
            });
        }
        let mut tried = Vec::new();
        for mirror in &access.mirrors {
            let url = mirror.display(relative);
            let outcome = match mirror {
                Mirror::Local(root) => {
                    let path = root.join(relative);
                    if path.is_file() {
                        return Ok(Reached {
                            path,
                            verified: false,
                            cached: false,
                        });
                    }
                    Err("no such file".to_string())
                }
                Mirror::Remote(_) if self.options.offline => {
                    Err("not in the cache, and --offline forbids downloading it".to_string())
                }
                Mirror::Remote(_) => self.download(&url, checksum, limit, blob),
            };
            match outcome {
                Ok(()) => {
                    return Ok(Reached {
                        path: blob.to_path_buf(),
                        verified: true,
                        cached: true,
                    })
                }
                Err(why) => tried.push(format!("{url}: {why}")),
            }
        }
        Err(RepoError::Unreachable {
            repo: access.name.clone(),
            what: relative.to_string(),
            tried,
        })
    }

    /// Download into the cache, verified as it streams; nothing is kept
    /// unless the checksum matches.
    fn download(
        &self,
        url: &str,
        checksum: &Checksum,
        limit: u64,
        blob: &Path,
    ) -> Result<(), String> {
        let downloader = self.downloader().map_err(|e| e.to_string())?;
        let (temp, mut file) = self.cache.temp_file().map_err(|e| e.to_string())?;
        let result = downloader.download(url, &mut file, Some(checksum), limit);
        drop(file);
        match result {
            Ok(_) => {
                let size = fs::metadata(&temp).map(|m| m.len()).unwrap_or(0);
                self.counted_download(size);
                self.cache.commit(&temp, blob).map_err(|e| e.to_string())
            }
            Err(failure) => {
                let _ = fs::remove_file(&temp);
                Err(match failure {
                    NetFailure::Mismatch { expected, actual } => format!(
                        "{} checksum mismatch: the metadata says {}, the download has {}",
                        expected.algorithm(),
                        expected.hex,
                        actual.hex
                    ),
                    other => other.to_string(),
                })
            }
        }
    }

    /// Drop a cached file found corrupt, so that the next attempt downloads it.
    pub fn evict(&self, reached: &Reached) {
        if reached.cached {
            let _ = fs::remove_file(&reached.path);
        }
    }
}

fn local_repomd(repo: &str, root: &Path) -> Result<Vec<u8>, RepoError> {
    if !root.is_dir() {
        return Err(RepoError::NotFound {
            repo: repo.to_string(),
            location: root.display().to_string(),
        });
    }
    let path = root.join("repodata/repomd.xml");
    if !path.is_file() {
        return Err(RepoError::NotFound {
            repo: repo.to_string(),
            location: path.display().to_string(),
        });
    }
    compressed::read_small(&path)
}

/// A location inside the repository: relative, with no `..`. What a
/// repository says must never reach outside it (or outside the cache).
fn is_inside(relative: &str) -> bool {
    let path = Path::new(relative);
    !relative.is_empty()
        && !relative.contains('\0')
        && !relative.contains("://")
        && path.components().all(|c| {
            matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_stay_inside() {
        assert!(is_inside("Packages/a/foo.rpm"));
        assert!(is_inside("./repodata/x.xml.gz"));
        assert!(!is_inside("../x.rpm"));
        assert!(!is_inside("Packages/../../x.rpm"));
        assert!(!is_inside("/etc/passwd"));
        assert!(!is_inside("http://evil/x.rpm"));
        assert!(!is_inside(""));
    }
}
