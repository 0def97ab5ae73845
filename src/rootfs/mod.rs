//! Rootfs assembly without root: stream each package's payload into a [`Tree`],
//! then map owners through the image's own /etc/passwd and /etc/group.

mod owners;
mod spool;
mod tree;
mod verify;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rpm::{FileFlags, FileType, IndexTag, PackageReader};
use thiserror::Error;

pub use owners::{apply_owners, Missing, OwnerWarning};
pub use spool::{AppendError, BlobRef, Spool};
pub use tree::{Node, NodeKind, Tree};

#[derive(Debug, Error)]
pub enum RootfsError {
    #[error("{}: cannot read package: {reason}", path.display())]
    Package { path: PathBuf, reason: String },
    #[error("file conflict: {path} is installed differently by {first} and {second}")]
    Conflict {
        path: String,
        first: String,
        second: String,
    },
    #[error("{path}: not a valid path inside the image")]
    BadPath { path: String },
    #[error("{path}: too many levels of symbolic links")]
    SymlinkLoop { path: String },
    #[error("{path} is not a directory, but {wanted_by} needs it to be one")]
    NotADirectory { path: String, wanted_by: String },
    #[error("writing the content spool (the scratch directory) failed: {0}")]
    Spool(String),
}

/// Stream one package's payload into `tree`, its digests checked as
/// `rpm -K` checks them. Returns the package's headers, which the rpmdb
/// stage records.
pub fn install_package(
    tree: &mut Tree,
    rpm_path: &Path,
) -> Result<rpm::PackageMetadata, RootfsError> {
    read_verified(rpm_path, |reader, fail| install_payload(tree, reader, fail))
}

/// `rpm -K --nosignature`: the header and payload digests of a package
/// file, its payload read whole.
pub fn verify_package(rpm_path: &Path) -> Result<(), RootfsError> {
    read_verified(rpm_path, |reader, fail| {
        while let Some(mut file) = reader.next_file().map_err(|e| fail(e.to_string()))? {
            std::io::copy(&mut file, &mut std::io::sink()).map_err(|e| fail(e.to_string()))?;
        }
        Ok(())
    })
    .map(drop)
}

/// Read a package's payload with `read`: the header digests are checked
/// before, the payload's after (or, when reading fails, to explain why).
fn read_verified(
    rpm_path: &Path,
    read: impl FnOnce(&mut PackageReader, &dyn Fn(String) -> RootfsError) -> Result<(), RootfsError>,
) -> Result<rpm::PackageMetadata, RootfsError> {
    let fail = |reason: String| RootfsError::Package {
        path: rpm_path.to_path_buf(),
        reason,
    };
    let (mut reader, check) = verify::open_verified(rpm_path).map_err(fail)?;
    match read(&mut reader, &fail) {
        Ok(()) => check.finish().map_err(fail)?,
        // A payload that cannot be read is most often a corrupt one: its
        // digest says so more plainly than the decompressor.
        Err(e) => return Err(check.finish().err().map_or(e, fail)),
    }
    Ok(reader.metadata)
}

/// Every file of the payload into `tree`.
fn install_payload(
    tree: &mut Tree,
    reader: &mut PackageReader,
    fail: &dyn Fn(String) -> RootfsError,
) -> Result<(), RootfsError> {
    let nevra = reader
        .metadata
        .get_nevra()
        .map(|n| n.to_string())
        .map_err(|e| fail(e.to_string()))?;
    let files = HeaderFiles::of(&reader.metadata).map_err(|e| fail(e.to_string()))?;
    let mut link_members: HashMap<(u32, u32), Vec<(String, Node)>> = HashMap::new();
    let mut link_data: HashMap<(u32, u32), BlobRef> = HashMap::new();

    while let Some(mut file) = reader.next_file().map_err(|e| fail(e.to_string()))? {
        let entry = file.metadata.clone();
        if entry.flags().contains(FileFlags::GHOST) {
            continue; // %ghost files are owned in the rpmdb but never created
        }
        let path = entry.path().to_string_lossy().into_owned();
        check_payload_path(&path).map_err(fail)?;
        // The hardlink set a regular file belongs to, if any.
        let mut link_set = None;
        let kind = match entry.file_type() {
            FileType::Dir => NodeKind::Dir,
            FileType::SymbolicLink => NodeKind::Symlink {
                target: entry.linkto().unwrap_or_default().to_string(),
            },
            FileType::Regular => {
                let has_data = file.has_payload();
                let blob = match has_data {
                    true => spool_file(tree, &mut file, &path, entry.size() as u64, &nevra, fail)?,
                    false => BlobRef { offset: 0, len: 0 },
                };
                file.finish().map_err(|e| fail(format!("{path}: {e}")))?;
                link_set = files.set_of(&path);
                if let (Some(set), true) = (link_set, has_data) {
                    link_data.insert(set, blob);
                }
                NodeKind::File {
                    blob,
                    digest: entry.digest().map(|d| d.to_string()),
                    link_group: None,
                }
            }
            FileType::CharacterDevice => NodeKind::CharDevice {
                major: entry.rdev_major().into(),
                minor: entry.rdev_minor().into(),
            },
            FileType::BlockDevice => NodeKind::BlockDevice {
                major: entry.rdev_major().into(),
                minor: entry.rdev_minor().into(),
            },
            FileType::Fifo => NodeKind::Fifo,
            other => return Err(fail(format!("{path}: unsupported file type {other:?}"))),
        };
        let node = make_node(&entry, kind, &nevra, files.color_of(&path))
            .map_err(|e| fail(format!("{path}: {e}")))?;
        match link_set {
            Some(set) => link_members.entry(set).or_default().push((path, node)),
            None => {
                tree.insert(&path, node)?;
            }
        }
    }
    insert_hardlink_sets(tree, link_members, &link_data)
}

/// A regular file's bytes into the spool, as many as the header says. A
/// failing write (a full scratch disk) is the spool's fault, not the
/// package's.
fn spool_file(
    tree: &mut Tree,
    content: &mut impl std::io::Read,
    path: &str,
    size: u64,
    nevra: &str,
    fail: &dyn Fn(String) -> RootfsError,
) -> Result<BlobRef, RootfsError> {
    let blob = tree.spool_mut().append(content).map_err(|e| match e {
        AppendError::Read(e) => fail(format!("{path}: reading the payload: {e}")),
        AppendError::Write(e) => RootfsError::Spool(format!("{path} of {nevra}: {e}")),
    })?;
    if blob.len != size {
        return Err(fail(format!(
            "{path}: the payload holds {} bytes, the header says {size}",
            blob.len
        )));
    }
    Ok(blob)
}

/// A payload path must name a place inside the image plainly: absolute,
/// no `..`, no NUL or newline (which would also forge lines in a log or a
/// file list). Symlinks among the parents are followed inside the image.
fn check_payload_path(path: &str) -> Result<(), String> {
    let why = if !path.starts_with('/') {
        "is not absolute"
    } else if path.split('/').any(|c| c == "..") {
        "climbs with .."
    } else if path.contains(['\0', '\n', '\r']) {
        "holds a NUL or line break"
    } else {
        return Ok(());
    };
    Err(format!("payload path {path:?} {why}; refused"))
}

fn make_node(
    entry: &rpm::FileEntry<'_>,
    kind: NodeKind,
    nevra: &str,
    color: u32,
) -> Result<Node, crate::rpm::CapsError> {
    let mut xattrs = std::collections::BTreeMap::new();
    if let Some(text) = entry.caps().filter(|t| !t.is_empty()) {
        let bytes = crate::rpm::FileCaps::parse(text)?.xattr();
        xattrs.insert("security.capability".to_string(), bytes);
    }
    Ok(Node {
        kind,
        mode: entry.permissions().into(),
        user: entry.user().to_string(),
        group: entry.group().to_string(),
        uid: 0,
        gid: 0,
        mtime: entry.modified_at().0.into(),
        package: Some(nevra.to_string()),
        xattrs,
        color,
    })
}

/// Give every member of a hardlink set the bytes that only its last member carried.
fn insert_hardlink_sets(
    tree: &mut Tree,
    members: HashMap<(u32, u32), Vec<(String, Node)>>,
    data: &HashMap<(u32, u32), BlobRef>,
) -> Result<(), RootfsError> {
    let mut sets: Vec<_> = members.into_iter().collect();
    sets.sort_by(|a, b| a.1[0].0.cmp(&b.1[0].0));
    for (set, nodes) in sets {
        let blob = data
            .get(&set)
            .copied()
            .unwrap_or(BlobRef { offset: 0, len: 0 });
        let group = tree.new_link_group();
        for (path, mut node) in nodes {
            if let NodeKind::File { digest, .. } = node.kind {
                node.kind = NodeKind::File {
                    blob,
                    digest,
                    link_group: Some(group),
                };
            }
            tree.insert(&path, node)?;
        }
    }
    Ok(())
}

/// The FILESTATES rpm records for a package once the image is complete:
/// a file that lost its path to one of the preferred color (multilib) is
/// WRONGCOLOR, every other NORMAL. `None` when every file is NORMAL.
pub fn file_states(tree: &Tree, meta: &rpm::PackageMetadata) -> Option<Vec<u8>> {
    use crate::rpmdb::file_state::{NORMAL, WRONGCOLOR};
    // Most packages have no colored file: nothing more to read of them.
    let colors = meta
        .header
        .get_entry_data_as_u32_array(IndexTag::RPMTAG_FILECOLORS)
        .ok()
        .filter(|c| c.iter().any(|&c| c != 0))?;
    let nevra = meta.get_nevra().ok()?.to_string();
    let states: Vec<u8> = meta
        .get_file_entries()
        .ok()?
        .iter()
        .zip(colors.iter().chain(std::iter::repeat(&0)))
        .map(|(e, &color)| {
            let lost = color != 0
                && tree.get(&e.path().to_string_lossy()).is_some_and(|node| {
                    node.color & color == 0 && node.package.as_deref() != Some(nevra.as_str())
                });
            if lost {
                WRONGCOLOR
            } else {
                NORMAL
            }
        })
        .collect();
    states.contains(&WRONGCOLOR).then_some(states)
}

/// What the header says of a package's files beyond each entry: which
/// regular files share an inode (FILEDEVICES/FILEINODES), and each file's
/// color (FILECOLORS).
struct HeaderFiles {
    link_sets: HashMap<String, (u32, u32)>,
    colors: HashMap<String, u32>,
}

impl HeaderFiles {
    fn of(meta: &rpm::PackageMetadata) -> Result<HeaderFiles, rpm::Error> {
        let entries = meta.get_file_entries()?;
        let array = |tag| {
            meta.header
                .get_entry_data_as_u32_array(tag)
                .unwrap_or_default()
        };
        let (inodes, devices) = (
            array(IndexTag::RPMTAG_FILEINODES),
            array(IndexTag::RPMTAG_FILEDEVICES),
        );
        let colors = array(IndexTag::RPMTAG_FILECOLORS);
        let mut count: HashMap<(u32, u32), usize> = HashMap::new();
        let mut keys = Vec::with_capacity(entries.len());
        let mut by_color = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            let path = e.path().to_string_lossy().into_owned();
            if let Some(&color) = colors.get(i).filter(|&&c| c != 0) {
                by_color.insert(path.clone(), color);
            }
            let regular =
                e.file_type() == FileType::Regular && !e.flags().contains(FileFlags::GHOST);
            let key = match (regular, devices.get(i), inodes.get(i)) {
                (true, Some(&d), Some(&n)) => Some((d, n)),
                _ => None,
            };
            if let Some(k) = key {
                *count.entry(k).or_default() += 1;
            }
            keys.push((path, key));
        }
        let link_sets = keys
            .into_iter()
            .filter_map(|(p, k)| k.filter(|k| count[k] > 1).map(|k| (p, k)))
            .collect();
        Ok(HeaderFiles {
            link_sets,
            colors: by_color,
        })
    }

    fn set_of(&self, path: &str) -> Option<(u32, u32)> {
        self.link_sets.get(path).copied()
    }

    fn color_of(&self, path: &str) -> u32 {
        self.colors.get(path).copied().unwrap_or(0)
    }
}

/// Where the image's rpm keeps its database: `%_dbpath` from the image's own
/// /usr/lib/rpm/macros (Fedora ≥ 36 uses /usr/lib/sysimage/rpm), else /var/lib/rpm.
pub fn rpm_dbpath(tree: &Tree) -> String {
    let macros = tree.read_file("/usr/lib/rpm/macros").unwrap_or_default();
    let text = String::from_utf8_lossy(&macros);
    let configured = text.lines().find_map(|l| {
        let mut words = l.split_whitespace();
        (words.next() == Some("%_dbpath"))
            .then(|| words.next().map(str::to_string))
            .flatten()
    });
    match configured {
        Some(p) => p
            .replace("%{_var}", "/var")
            .replace("%{_usr}", "/usr")
            .replace("%{_prefix}", "/usr"),
        None => "/var/lib/rpm".to_string(),
    }
}
