//! Package files for a transaction: local repositories only so far. Every file is
//! checked against the checksum primary.xml records before anything reads it.

use std::path::PathBuf;

use rayon::prelude::*;
use thiserror::Error;

use crate::repo::{verify_file, PkgId, Pool, RepoError};

#[derive(Debug, Error)]
pub enum FetchError {
    #[error("package {nevra}: {source}")]
    Package { nevra: String, source: RepoError },
    #[error("package {nevra} has no repository")]
    NoRepo { nevra: String },
}

/// Local, verified paths of the packages, in the order given.
pub fn fetch(pool: &Pool, packages: &[PkgId]) -> Result<Vec<PathBuf>, FetchError> {
    packages
        .par_iter()
        .map(|&id| {
            let pkg = pool.get(id);
            let repo = pkg
                .repo
                .ok_or_else(|| FetchError::NoRepo { nevra: pkg.nevra() })?;
            let path = pool.repos[repo.0 as usize].root.join(&pkg.location);
            if !path.is_file() {
                let source = RepoError::NotFound {
                    repo: pool.repos[repo.0 as usize].name.clone(),
                    location: path.display().to_string(),
                };
                return Err(FetchError::Package {
                    nevra: pkg.nevra(),
                    source,
                });
            }
            verify_file(&path, &pkg.checksum, "primary.xml").map_err(|source| {
                FetchError::Package {
                    nevra: pkg.nevra(),
                    source,
                }
            })?;
            Ok(path)
        })
        .collect()
}
