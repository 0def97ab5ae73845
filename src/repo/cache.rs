//! The download cache, shared by every compose that names the same
//! directory:
//!
//! ```text
//! v1/blobs/<algorithm>/<hex[..2]>/<hex>   metadata files and packages, named by their checksum
//! v1/repos/<name>-<key>/repomd.xml        the last repomd.xml of a repository
//! v1/repos/<name>-<key>/repomd.json       where it came from, and its ETag / Last-Modified
//! v1/repos/<name>-<key>/mirrors           the last mirror list or metalink
//! v1/pools/<arch>-<slot>                 parsed pools, one per set of repositories and arch
//! v1/tmp/                                 downloads in progress
//! ```
//!
//! Every file is written to `tmp/` and renamed into place, so a reader sees
//! a whole file or none. Blobs are named by their content: two composes
//! that fetch the same blob at once write the same bytes and either rename
//! wins, so no lock is needed. The version directory changes whenever the
//! layout does, as uv's cache buckets do.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use super::digest::{sha256_hex, Checksum};
use super::location::Location;
use super::RepoError;

const LAYOUT: &str = "v1";

pub struct Cache {
    root: PathBuf,
}

/// What revalidates a cached repomd.xml, and its sha256: a copy that does
/// not match it (torn by a crash: files are not fsynced) is ignored.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct RepomdOrigin {
    pub url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub sha256: String,
}

static TEMP_SEQ: AtomicU64 = AtomicU64::new(0);

impl Cache {
    /// The cache under `dir` (created when first written).
    pub fn new(dir: &Path) -> Cache {
        Cache {
            root: dir.join(LAYOUT),
        }
    }

    /// `$XDG_CACHE_HOME/rootsmith`, else `~/.cache/rootsmith`.
    pub fn default_dir() -> PathBuf {
        let xdg = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty());
        let home = || std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache"));
        xdg.map(PathBuf::from)
            .or_else(home)
            .unwrap_or_else(std::env::temp_dir)
            .join("rootsmith")
    }

    pub fn blob(&self, sum: &Checksum) -> PathBuf {
        let prefix = sum.hex.get(..2).unwrap_or("__");
        self.root
            .join("blobs")
            .join(sum.algorithm())
            .join(prefix)
            .join(&sum.hex)
    }

    /// The folder of one repository's own state: named after the repo and
    /// a hash of its location, so a repo that moves starts afresh.
    pub fn repo_dir(&self, name: &str, location: &Location) -> PathBuf {
        let key = sha256_hex(format!("{}\0{}", location.option(), location.url()).as_bytes());
        let safe: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        self.root
            .join("repos")
            .join(format!("{safe}-{}", &key[..16]))
    }

    /// Where parsed pools are kept (see `pool_cache`).
    pub fn pools_dir(&self) -> PathBuf {
        self.root.join("pools")
    }

    /// A new temporary file in the cache, to be [`Cache::commit`]ted.
    pub fn temp_file(&self) -> Result<(PathBuf, File), RepoError> {
        let dir = self.root.join("tmp");
        fs::create_dir_all(&dir).map_err(|e| RepoError::io(&dir, e))?;
        let name = format!(
            "{}.{}.part",
            std::process::id(),
            TEMP_SEQ.fetch_add(1, Ordering::Relaxed)
        );
        let path = dir.join(name);
        let file = File::options()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| RepoError::io(&path, e))?;
        Ok((path, file))
    }

    /// Move a finished temporary file to `dest`, atomically.
    pub fn commit(&self, temp: &Path, dest: &Path) -> Result<(), RepoError> {
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent).map_err(|e| RepoError::io(parent, e))?;
        }
        fs::rename(temp, dest).map_err(|e| RepoError::io(dest, e))
    }

    /// Write `bytes` to `dest` atomically (for readers; not fsynced: what
    /// the cache holds is checked against a checksum before use).
    pub fn write(&self, dest: &Path, bytes: &[u8]) -> Result<(), RepoError> {
        self.write_parts(dest, &[bytes])
    }

    /// [`Cache::write`] of `parts` one after the other, without joining them.
    pub fn write_parts(&self, dest: &Path, parts: &[&[u8]]) -> Result<(), RepoError> {
        let (temp, mut file) = self.temp_file()?;
        let written = parts.iter().try_for_each(|part| file.write_all(part));
        if let Err(e) = written {
            let _ = fs::remove_file(&temp);
            return Err(RepoError::io(&temp, e));
        }
        self.commit(&temp, dest)
    }

    /// The cached repomd.xml and where it came from, if both are whole.
    pub fn read_repomd(dir: &Path) -> Option<(Vec<u8>, RepomdOrigin)> {
        let text = fs::read(dir.join("repomd.json")).ok()?;
        let origin: RepomdOrigin = serde_json::from_slice(&text).ok()?;
        let bytes = fs::read(dir.join("repomd.xml")).ok()?;
        (sha256_hex(&bytes) == origin.sha256).then_some((bytes, origin))
    }

    /// Keep a repository's repomd.xml and where it came from.
    pub fn store_repomd(
        &self,
        dir: &Path,
        bytes: &[u8],
        origin: &RepomdOrigin,
    ) -> Result<(), RepoError> {
        self.write(&dir.join("repomd.xml"), bytes)?;
        let json = serde_json::to_vec_pretty(origin).expect("plain data serializes");
        self.write(&dir.join("repomd.json"), &json)
    }
}
