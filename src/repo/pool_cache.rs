//! The parsed-pool cache: what a pool is built from (each repository's
//! packages for one arch, with the file provides found in filelists, and
//! the merged comps), kept after a cold load, so that a warm run reads one
//! file instead of parsing XML.
//!
//! One file per set of repositories and arch (`v1/pools/<arch>-<slot>`),
//! replaced whenever their metadata changes: the cache does not grow night
//! after night. The file names the metadata it was made from by a key over
//! every repository's primary, filelists and comps checksums (and this
//! build's version, since parsing rules change between versions); a file
//! whose key differs is stale and ignored. Like libsolv's .solv files it is
//! an internal format, but its payload is also covered by a CRC, so that a
//! damaged file is rebuilt rather than trusted.

use std::borrow::Cow;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::cache::Cache;
use super::intern::Interner;
use super::pool::{Comps, Package};
use super::records::{RepoPackages, KINDS};
use super::{DataRecord, RepoError, RepoSource};
use crate::rpm::{ArchPolicy, Dep};

const MAGIC: &[u8; 16] = b"rootsmith pool\n\0";
/// Changes whenever the payload's shape does: a field or an enum variant
/// of what is stored (`Package`, `Dep`, `Checksum`, `Comps`…) added,
/// removed or reordered. A test holds the encoding to it.
const FORMAT: u32 = 2;
/// magic, format, key (sha256, hex), payload length, payload CRC-32.
const HEADER: usize = 16 + 4 + 64 + 8 + 4;

/// What a repository contributes to the key: its metadata's checksums.
pub(crate) struct KeyPart<'a> {
    pub name: &'a str,
    pub primary: &'a DataRecord,
    pub filelists: Option<&'a DataRecord>,
    pub comps: Option<&'a DataRecord>,
}

/// Where one pool is cached, and the key its file must carry.
pub(crate) struct PoolCacheEntry {
    path: PathBuf,
    key: String,
}

/// A pool's makings, as stored.
pub(crate) struct CachedPool {
    pub repos: Vec<RepoPackages>,
    pub comps: Comps,
}

// Packages and dependencies are stored in segments, each encoded on its
// own, so that reading them back (allocating every string of the pool,
// most of a warm load) runs on every core.
const PACKAGES_PER_SEGMENT: usize = 4096;
const DEPS_PER_SEGMENT: usize = 16384;

#[derive(Serialize, Deserialize)]
struct Stored<'a> {
    #[serde(borrow)]
    repos: Vec<StoredRepo<'a>>,
    comps: Cow<'a, Comps>,
}

#[derive(Serialize, Deserialize)]
struct StoredRepo<'a> {
    /// Each an encoded `Vec<Package>`.
    #[serde(borrow)]
    packages: Vec<&'a [u8]>,
    /// Each an encoded `Vec<Dep>`.
    #[serde(borrow)]
    deps: Vec<&'a [u8]>,
    lists: Cow<'a, [u32]>,
    pre: Cow<'a, [bool]>,
    bounds: Cow<'a, [[u32; KINDS + 1]]>,
}

/// Encode `items` in segments of `per` items.
fn segments<T: Serialize + Sync>(items: &[T], per: usize) -> Vec<Vec<u8>> {
    use rayon::prelude::*;
    items
        .par_chunks(per)
        .map(|c| postcard::to_stdvec(c).expect("plain data serializes"))
        .collect()
}

fn slices(segments: &[Vec<u8>]) -> Vec<&[u8]> {
    segments.iter().map(Vec::as_slice).collect()
}

/// Decode segments in parallel, in order.
fn decode_segments<T: serde::de::DeserializeOwned + Send>(
    segments: &[&[u8]],
) -> Result<Vec<T>, String> {
    use rayon::prelude::*;
    let parts = segments
        .par_iter()
        .map(|s| postcard::from_bytes::<Vec<T>>(s))
        .collect::<Result<Vec<Vec<T>>, _>>()
        .map_err(|e| e.to_string())?;
    Ok(parts.into_iter().flatten().collect())
}

impl PoolCacheEntry {
    pub fn new(
        cache: &Cache,
        sources: &[RepoSource],
        arch: &ArchPolicy,
        repos: &[KeyPart],
    ) -> Self {
        let mut slot = format!("{arch}");
        for s in sources {
            slot.push_str(&format!(
                "\0{}\0{}\0{}",
                s.name,
                s.location.option(),
                s.location.url()
            ));
        }
        let mut key = format!("{FORMAT}\0{}\0{arch}", env!("CARGO_PKG_VERSION"));
        let record = |r: Option<&DataRecord>| match r {
            Some(r) => format!("{}:{}", r.checksum.algorithm(), r.checksum.hex),
            None => "-".to_string(),
        };
        for r in repos {
            key.push_str(&format!(
                "\0{}\0{}\0{}\0{}",
                r.name,
                record(Some(r.primary)),
                record(r.filelists),
                record(r.comps)
            ));
        }
        let slot = super::sha256_hex(slot.as_bytes());
        PoolCacheEntry {
            path: cache
                .pools_dir()
                .join(format!("{}-{}", arch.target(), &slot[..24])),
            key: super::sha256_hex(key.as_bytes()),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The cached pool, or `None` when there is none for this metadata. A
    /// file that is there but damaged is an error (the caller rebuilds it).
    pub fn load(&self) -> Result<Option<CachedPool>, String> {
        let mut file = match std::fs::File::open(&self.path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.to_string()),
        };
        let mut header = [0u8; HEADER];
        if file.read_exact(&mut header).is_err() || &header[..16] != MAGIC {
            return Err("not a pool cache file".into());
        }
        let format = u32::from_le_bytes(header[16..20].try_into().expect("4 bytes"));
        if format != FORMAT || &header[20..84] != self.key.as_bytes() {
            return Ok(None);
        }
        let len = u64::from_le_bytes(header[84..92].try_into().expect("8 bytes"));
        let crc = u32::from_le_bytes(header[92..96].try_into().expect("4 bytes"));
        let size = file.metadata().map_err(|e| e.to_string())?.len();
        if size != HEADER as u64 + len {
            return Err(format!(
                "{size} bytes where the header says {}",
                HEADER as u64 + len
            ));
        }
        let mut payload = Vec::with_capacity(len as usize);
        file.read_to_end(&mut payload).map_err(|e| e.to_string())?;
        let mut check = flate2::Crc::new();
        check.update(&payload);
        if check.sum() != crc {
            return Err("CRC mismatch".into());
        }
        let stored: Stored = postcard::from_bytes(&payload).map_err(|e| e.to_string())?;
        let repos = stored
            .repos
            .into_iter()
            .map(StoredRepo::decode)
            .collect::<Result<_, _>>()?;
        Ok(Some(CachedPool {
            repos,
            comps: stored.comps.into_owned(),
        }))
    }

    /// Keep a pool's makings, replacing what the slot held.
    pub fn save(
        &self,
        cache: &Cache,
        repos: &[RepoPackages],
        comps: &Comps,
    ) -> Result<(), RepoError> {
        let segmented: Vec<[Vec<Vec<u8>>; 2]> = repos
            .iter()
            .map(|r| {
                [
                    segments(&r.packages, PACKAGES_PER_SEGMENT),
                    segments(r.deps.values(), DEPS_PER_SEGMENT),
                ]
            })
            .collect();
        let stored = Stored {
            repos: repos
                .iter()
                .zip(&segmented)
                .map(|(r, [packages, deps])| StoredRepo {
                    packages: slices(packages),
                    deps: slices(deps),
                    lists: Cow::Borrowed(&r.lists),
                    pre: Cow::Borrowed(&r.pre),
                    bounds: Cow::Borrowed(&r.bounds),
                })
                .collect(),
            comps: Cow::Borrowed(comps),
        };
        let payload = postcard::to_stdvec(&stored).expect("plain data serializes");
        let mut crc = flate2::Crc::new();
        crc.update(&payload);
        let mut header = Vec::with_capacity(HEADER);
        header.extend_from_slice(MAGIC);
        header.extend_from_slice(&FORMAT.to_le_bytes());
        header.extend_from_slice(self.key.as_bytes());
        header.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        header.extend_from_slice(&crc.sum().to_le_bytes());
        // The payload is tens of MB: written after the header, not copied.
        cache.write_parts(&self.path, &[&header, &payload])
    }
}

impl StoredRepo<'_> {
    /// The records, checked to be consistent: a bad index is an error,
    /// never a panic later.
    fn decode(self) -> Result<RepoPackages, String> {
        let (packages, deps) = rayon::join(
            || decode_segments::<Package>(&self.packages),
            || decode_segments::<Dep>(&self.deps),
        );
        let (packages, deps) = (packages?, deps?);
        let consistent = self.bounds.len() == packages.len()
            && self.pre.len() == self.lists.len()
            && self.lists.iter().all(|&d| (d as usize) < deps.len())
            && self.bounds.iter().all(|b| {
                b.windows(2).all(|w| w[0] <= w[1]) && (b[KINDS] as usize) <= self.lists.len()
            });
        if !consistent {
            return Err("inconsistent package records".into());
        }
        Ok(RepoPackages::from_parts(
            packages,
            Interner::from_distinct(deps),
            self.lists.into_owned(),
            self.pre.into_owned(),
            self.bounds.into_owned(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rpm::{DepKind, Evr};

    fn record(kind: &str, hex: &str) -> DataRecord {
        DataRecord {
            kind: kind.into(),
            location: format!("repodata/{kind}.xml.gz"),
            checksum: crate::repo::Checksum::new("sha256", hex).expect("a sha256"),
        }
    }

    fn entry(cache: &Cache, primary: &str) -> PoolCacheEntry {
        let arch = ArchPolicy::new("x86_64", false).unwrap();
        let primary = record("primary", primary);
        let part = KeyPart {
            name: "ts",
            primary: &primary,
            filelists: None,
            comps: None,
        };
        PoolCacheEntry::new(cache, &[RepoSource::new("ts", "/srv/ts")], &arch, &[part])
    }

    fn packages() -> RepoPackages {
        let mut repo = RepoPackages::new();
        for i in 0..(PACKAGES_PER_SEGMENT + 3) {
            let package = Package {
                name: format!("p{i}"),
                arch: "x86_64".into(),
                evr: Evr::parse("1:2.0-3"),
                files: vec![format!("/usr/bin/p{i}")],
                ..Package::default()
            };
            let deps = [
                (
                    DepKind::Requires,
                    Dep::unversioned("libc.so.6()(64bit)"),
                    false,
                ),
                (
                    DepKind::Requires,
                    Dep::parse(&format!("p{} >= 1", i / 2)).unwrap(),
                    true,
                ),
                (
                    DepKind::Provides,
                    Dep::unversioned(format!("cap{i}")),
                    false,
                ),
            ];
            repo.push(package, deps);
        }
        repo
    }

    fn described(repo: &RepoPackages) -> Vec<String> {
        (0..repo.len())
            .map(|i| {
                let p = &repo.packages[i];
                let deps: Vec<String> = [DepKind::Requires, DepKind::Provides]
                    .iter()
                    .flat_map(|&k| {
                        repo.deps(i, k)
                            .map(move |(d, pre)| format!("{k:?} {d} {pre}"))
                    })
                    .collect();
                format!("{} {:?} {}", p.nevra(), p.files, deps.join(", "))
            })
            .collect()
    }

    /// One of everything the payload stores, encoded: if this changes, a
    /// file kept by an earlier build would be misread (an added variant
    /// renumbers the ones after it), so FORMAT must change with it.
    #[test]
    fn the_encoding_is_the_one_format_names() {
        let package = Package {
            name: "p".into(),
            arch: "x86_64".into(),
            evr: Evr::parse("1:2.0-3"),
            summary: "s".into(),
            location: "Packages/p.rpm".into(),
            checksum: crate::repo::Checksum::new("sha256", &"ab".repeat(32)).unwrap(),
            size_package: 1,
            size_installed: 2,
            source_rpm: "p.src.rpm".into(),
            files: vec!["/usr/bin/p".into()],
            repo: None,
        };
        let deps = ["a >= 1:2-3", "b < 1", "c <= 1", "d = 1", "e > 1", "f"]
            .map(|d| Dep::parse(d).unwrap());
        let comps = Comps {
            groups: vec![crate::repo::Group {
                id: "g".into(),
                name: "G".into(),
                mandatory: vec!["p".into()],
                default: vec!["q".into()],
                optional: vec!["r".into()],
                conditional: vec![("s".into(), "t".into())],
            }],
            environments: vec![crate::repo::Environment {
                id: "e".into(),
                name: "E".into(),
                groups: vec!["g".into()],
                optional: vec!["h".into()],
            }],
        };
        let encoded = postcard::to_stdvec(&(vec![package], deps, comps)).unwrap();
        assert_eq!(
            (FORMAT, crate::repo::sha256_hex(&encoded).as_str()),
            (
                2,
                "eff09002f7522e0ef4a28ad4c385cd74a1bcdb36ad99f6670a3f957b735b46fe"
            ),
            "the pool cache's encoding changed: bump FORMAT, then record the new digest here"
        );
    }

    #[test]
    fn a_pool_reads_back_as_it_was_kept_and_only_for_its_metadata() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let kept = entry(&cache, &"a".repeat(64));
        let comps = Comps {
            groups: vec![crate::repo::Group {
                id: "core".into(),
                mandatory: vec!["p1".into()],
                ..Default::default()
            }],
            ..Default::default()
        };
        assert!(kept.load().unwrap().is_none(), "nothing kept yet");
        kept.save(&cache, &[packages()], &comps).unwrap();
        let read = kept.load().unwrap().expect("kept");
        assert_eq!(read.comps, comps);
        assert_eq!(read.repos.len(), 1);
        assert_eq!(described(&read.repos[0]), described(&packages()));

        // Other metadata in the same slot: not this pool.
        let newer = entry(&cache, &"b".repeat(64));
        assert_eq!(newer.path(), kept.path());
        assert!(newer.load().unwrap().is_none());

        // A cut file is damaged, not a pool.
        let bytes = std::fs::read(kept.path()).unwrap();
        std::fs::write(kept.path(), &bytes[..bytes.len() - 10]).unwrap();
        let err = kept.load().err().expect("a cut file is an error");
        assert!(err.contains("header says"), "{err}");
    }
}
