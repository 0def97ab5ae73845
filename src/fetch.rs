//! Package files for a transaction: read in place from a local repository,
//! or downloaded (in parallel, verified while streaming) into the
//! content-addressed cache, where a noarch package that several arches
//! need is fetched once.

use std::path::PathBuf;

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

/// Local, verified paths of the packages, in the order given. Downloads
/// run `parallel_downloads` at a time, whatever the number of cores: they
/// wait on the network, not on the CPU.
pub fn fetch(pool: &Pool, packages: &[PkgId]) -> Result<Fetched, FetchError> {
    let parallel = pool
        .repos
        .first()
        .map_or(1, |r| r.fetcher.options().parallel_downloads.max(1));
    let threads = rayon::ThreadPoolBuilder::new()
        .num_threads(parallel)
        .thread_name(|i| format!("fetch-{i}"))
        .build()
        .map_err(|e| FetchError::Threads(e.to_string()))?;
    let each: Vec<(PathBuf, bool)> = threads.install(|| {
        packages
            .par_iter()
            .map(|&id| fetch_one(pool, id))
            .collect::<Result<_, _>>()
    })?;
    let mut fetched = Fetched::default();
    for (path, downloaded) in each {
        if downloaded {
            fetched.downloaded += 1;
            fetched.downloaded_bytes += std::fs::metadata(&path).map_or(0, |m| m.len());
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
