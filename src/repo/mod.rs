//! Repository metadata: repomd.xml, primary, comps → [`Pool`].

mod pool;

pub use pool::{Group, Package, PkgId, Pool, RepoId, RepoInfo, Requirement};
