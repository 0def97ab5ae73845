//! Package files for a transaction: read in place from a local repository,
//! or downloaded (in parallel, verified while streaming) into the
//! content-addressed cache, where a noarch package that several arches
//! need is fetched once.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;
use thiserror::Error;

use crate::repo::{verify_file, PkgId, Pool, RepoError, MAX_METADATA_BYTES};

#[derive(Debug, Error)]
pub enum FetchError {
    #[error("package {nevra}: {source}")]
    Package { nevra: String, source: RepoError },
    #[error("package {nevra} has no repository")]
    NoRepo { nevra: String },
    #[error("cannot start the download threads: {0}")]
    Threads(String),
}

/// The packages of a transaction, within reach.
#[derive(Debug, Default)]
pub struct Fetched {
    /// Local, verified paths, in the order asked.
    pub paths: Vec<PathBuf>,
    /// How many were downloaded now, and their bytes.
    pub downloaded: usize,
    pub downloaded_bytes: u64,
}

/// How far a fetch is: packages done of all, bytes downloaded so far.
#[derive(Clone, Copy, Debug)]
pub struct FetchProgress {
    pub done: usize,
    pub total: usize,
    pub downloaded_bytes: u64,
}

/// Local, verified paths of the packages, in the order given. Downloads
/// run `parallel_downloads` at a time, whatever the number of cores: they
/// wait on the network, not on the CPU. `progress` hears of each package done.
pub fn fetch(
    pool: &Pool,
    packages: &[PkgId],
    progress: &(dyn Fn(FetchProgress) + Sync),
) -> Result<Fetched, FetchError> {
    let parallel = pool
        .repos
        .first()
        .map_or(1, |r| r.fetcher.options().parallel_downloads.max(1));
    let threads = rayon::ThreadPoolBuilder::new()
        .num_threads(parallel)
        .thread_name(|i| format!("fetch-{i}"))
        .build()
        .map_err(|e| FetchError::Threads(e.to_string()))?;
    let done = AtomicUsize::new(0);
    let bytes = AtomicU64::new(0);
    let each: Vec<(PathBuf, Option<u64>)> = threads.install(|| {
        packages
            .par_iter()
            .map(|&id| {
                let (path, downloaded) = fetch_one(pool, id)?;
                let size = downloaded.then(|| std::fs::metadata(&path).map_or(0, |m| m.len()));
                progress(FetchProgress {
                    done: done.fetch_add(1, Ordering::Relaxed) + 1,
                    total: packages.len(),
                    downloaded_bytes: bytes.fetch_add(size.unwrap_or(0), Ordering::Relaxed)
                        + size.unwrap_or(0),
                });
                Ok((path, size))
            })
            .collect::<Result<_, FetchError>>()
    })?;
    let mut fetched = Fetched::default();
    for (path, size) in each {
        if let Some(size) = size {
            fetched.downloaded += 1;
            fetched.downloaded_bytes += size;
        }
        fetched.paths.push(path);
    }
    Ok(fetched)
}

/// A package's verified path, and whether it was downloaded now.
fn fetch_one(pool: &Pool, id: PkgId) -> Result<(PathBuf, bool), FetchError> {
    let pkg = pool.get(id);
    let failed = |source| FetchError::Package {
        nevra: pkg.nevra(),
        source,
    };
    let repo = pool
        .repo_of(id)
        .ok_or_else(|| FetchError::NoRepo { nevra: pkg.nevra() })?;
    let what = format!("package {}", pkg.nevra());
    let reach = || {
        repo.fetcher.reach(
            &repo.access,
            &pkg.location,
            &pkg.checksum,
            MAX_METADATA_BYTES,
            &what,
        )
    };
    let reached = reach().map_err(failed)?;
    if reached.verified {
        return Ok((reached.path, true));
    }
    match verify_file(&reached.path, &pkg.checksum, "primary.xml") {
        Ok(()) => Ok((reached.path, false)),
        // A damaged cached copy: fetch it again, once.
        Err(RepoError::ChecksumMismatch(_)) if reached.cached => {
            repo.fetcher.evict(&reached);
            let again = reach().map_err(failed)?;
            if !again.verified {
                verify_file(&again.path, &pkg.checksum, "primary.xml").map_err(failed)?;
            }
            Ok((again.path, again.verified))
        }
        Err(e) => Err(failed(e)),
    }
}
