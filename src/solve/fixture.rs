//! The CentOS Stream 9 metadata fixtures for the solver's parity tests and bench,
//! read with the repo stage's own reader. `benches/solve.rs` includes this file
//! with `#[path]`, so it names the library through `crate::repo`.

use std::path::{Path, PathBuf};

use crate::repo::{load_pool, Pool, RepoSource, Repomd};

/// A repository of `../shared/fixtures/repos/`.
pub fn cs9_repo(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/repos").join(name)
}

/// The x86_64 pool of `repos` (in order) and each one's primary.xml, which
/// libsolv reads; `None` when a fixture is missing.
pub fn load(repos: &[PathBuf]) -> Option<(Pool, Vec<PathBuf>)> {
    let primaries = repos
        .iter()
        .map(|root| {
            let repomd = Repomd::read(&root.join("repodata/repomd.xml")).ok()?;
            Some(root.join(&repomd.record("primary")?.location))
        })
        .collect::<Option<Vec<_>>>()?;
    let sources: Vec<RepoSource> = repos
        .iter()
        .enumerate()
        .map(|(i, root)| RepoSource { name: format!("fixture{i}"), baseurl: root.display().to_string() })
        .collect();
    let pool = load_pool(&sources, "x86_64").expect("fixture metadata loads");
    Some((pool, primaries))
}
