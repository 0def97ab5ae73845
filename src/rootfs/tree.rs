//! The image's filesystem as data: paths → nodes, with contents in a [`Spool`].
//! No file is created on disk and no root is needed; ownership stays numeric
//! metadata until the archive is written.

use std::collections::BTreeMap;
use std::io::Read;

use super::spool::{AppendError, BlobRef, Spool};
use super::RootfsError;

/// How deep symlink chains in parent directories may go before we give up (as the kernel does).
const MAX_SYMLINK_HOPS: usize = 40;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeKind {
    Dir,
    /// `link_group` ties the members of a hardlink set together.
    File {
        blob: BlobRef,
        digest: Option<String>,
        link_group: Option<u32>,
    },
    Symlink {
        target: String,
    },
    CharDevice {
        major: u32,
        minor: u32,
    },
    BlockDevice {
        major: u32,
        minor: u32,
    },
    Fifo,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub kind: NodeKind,
    /// Permission bits including setuid/setgid/sticky (0o7777).
    pub mode: u32,
    pub user: String,
    pub group: String,
    pub uid: u32,
    pub gid: u32,
    pub mtime: u64,
    /// Which package installed it; `None` for directories we had to create.
    pub package: Option<String>,
    /// Extended attributes by name (`security.capability`), as the image
    /// carries them.
    pub xattrs: BTreeMap<String, Vec<u8>>,
    /// rpm's file color: 1 for a 32-bit ELF file, 2 for a 64-bit one, 0
    /// for anything else.
    pub color: u32,
}

impl Node {
    pub fn is_dir(&self) -> bool {
        self.kind == NodeKind::Dir
    }
}

pub struct Tree {
    nodes: BTreeMap<String, Node>,
    spool: Spool,
    next_link_group: u32,
    /// rpm's `%_prefer_color` for the image's arch (2 on 64-bit multilib
    /// arches, 0 where file colors do not settle conflicts).
    prefer_color: u32,
}

impl Tree {
    pub fn new(spool: Spool) -> Tree {
        let mut tree = Tree {
            nodes: BTreeMap::new(),
            spool,
            next_link_group: 0,
            prefer_color: 0,
        };
        tree.nodes.insert("/".into(), tree.implicit_dir());
        tree
    }

    fn implicit_dir(&self) -> Node {
        Node {
            kind: NodeKind::Dir,
            mode: 0o755,
            user: "root".into(),
            group: "root".into(),
            uid: 0,
            gid: 0,
            mtime: 0,
            package: None,
            xattrs: BTreeMap::new(),
            color: 0,
        }
    }

    /// Let file colors settle conflicts as rpm does on a multilib arch: of
    /// two files of different colors at one path, the one of `prefer`
    /// color wins (rpm's `%_prefer_color`; 0 turns this off).
    pub fn prefer_color(&mut self, prefer: u32) {
        self.prefer_color = prefer;
    }

    /// Whether two files at one path are a 32-bit and a 64-bit build that
    /// rpm lets share it (multilib), the preferred color winning.
    fn colors_settle(&self, old: &Node, new: &Node) -> bool {
        self.prefer_color != 0 && old.color != 0 && new.color != 0 && old.color & new.color == 0
    }

    /// Clamp every mtime to `epoch`; what rootsmith created itself gets `epoch`.
    pub fn clamp_mtimes(&mut self, epoch: u64) {
        for node in self.nodes.values_mut() {
            node.mtime = if node.package.is_none() {
                epoch
            } else {
                node.mtime.min(epoch)
            };
        }
    }

    pub fn spool(&self) -> &Spool {
        &self.spool
    }

    pub fn spool_mut(&mut self) -> &mut Spool {
        &mut self.spool
    }

    pub fn new_link_group(&mut self) -> u32 {
        self.next_link_group += 1;
        self.next_link_group
    }

    /// Every node, sorted by path; "/" first.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Node)> {
        self.nodes.iter()
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&String, &mut Node)> {
        self.nodes.iter_mut()
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    /// The node at `path`, following symlinks in the parent directories (not the last component).
    pub fn get(&self, path: &str) -> Option<&Node> {
        let (parent, name) = split_parent(path)?;
        let dir = self.resolve_dir(parent)?;
        self.nodes.get(&join(&dir, name))
    }

    /// The contents of the regular file at `path`, following symlinks all the way.
    pub fn read_file(&self, path: &str) -> Option<Vec<u8>> {
        let mut path = path.to_string();
        for _ in 0..MAX_SYMLINK_HOPS {
            let (parent, name) = split_parent(&path)?;
            let dir = self.resolve_dir(parent)?;
            let full = join(&dir, name);
            match &self.nodes.get(&full)?.kind {
                NodeKind::File { blob, .. } => return self.spool.read(*blob).ok(),
                NodeKind::Symlink { target } => path = absolute_target(&dir, target),
                _ => return None,
            }
        }
        None
    }

    /// Insert `node` at `path`. Parent directories are created as needed and
    /// symlinks among them followed, as rpm would on a real filesystem.
    /// Returns the path the node really landed at.
    pub fn insert(&mut self, path: &str, node: Node) -> Result<String, RootfsError> {
        if path.trim_matches('/').is_empty() && node.is_dir() {
            // A package (usually filesystem) that owns "/" sets the root's mode and owner.
            self.nodes.insert("/".into(), node);
            return Ok("/".into());
        }
        let (parent, name) =
            split_parent(path).ok_or_else(|| RootfsError::BadPath { path: path.into() })?;
        if name == "." || name == ".." {
            return Err(RootfsError::BadPath { path: path.into() });
        }
        let dir = self.make_dirs(parent, path)?;
        let full = join(&dir, name);
        match self.nodes.get(&full) {
            None => {}
            // A directory rootsmith creates never replaces one that is already there…
            Some(old) if old.is_dir() && node.is_dir() && node.package.is_none() => {
                return Ok(full)
            }
            // …but one packaged again takes the newest package's metadata.
            Some(old) if old.is_dir() && node.is_dir() => {}
            Some(old) if same_content(old, &node) => {}
            // Multilib: the file of the preferred color keeps or takes the path.
            Some(old) if self.colors_settle(old, &node) && node.color & self.prefer_color == 0 => {
                return Ok(full)
            }
            Some(old) if self.colors_settle(old, &node) => {}
            Some(old) => {
                return Err(RootfsError::Conflict {
                    path: full.clone(),
                    first: old
                        .package
                        .clone()
                        .unwrap_or_else(|| "(created implicitly)".into()),
                    second: node.package.clone().unwrap_or_default(),
                })
            }
        }
        self.nodes.insert(full.clone(), node);
        Ok(full)
    }

    /// Add a regular file from a reader (used for files rootsmith itself writes, e.g. the rpmdb).
    pub fn add_file(
        &mut self,
        path: &str,
        content: &mut impl Read,
        mode: u32,
    ) -> Result<String, RootfsError> {
        let blob = self.spool.append(content).map_err(|e| match e {
            AppendError::Read(e) => RootfsError::Spool(format!("reading {path}: {e}")),
            AppendError::Write(e) => RootfsError::Spool(e.to_string()),
        })?;
        let node = Node {
            kind: NodeKind::File {
                blob,
                digest: None,
                link_group: None,
            },
            mode,
            ..self.implicit_dir()
        };
        self.nodes.remove(path);
        self.insert(path, node)
    }

    /// Resolve `dir` (absolute) through symlinks, creating missing directories.
    fn make_dirs(&mut self, dir: &str, for_path: &str) -> Result<String, RootfsError> {
        loop {
            match self.walk(dir) {
                Ok(resolved) => return Ok(resolved),
                Err(WalkStop::Missing(path)) => {
                    let implicit = self.implicit_dir();
                    self.nodes.insert(path, implicit);
                }
                Err(WalkStop::NotADirectory(path)) => {
                    return Err(RootfsError::NotADirectory {
                        path,
                        wanted_by: for_path.into(),
                    })
                }
                Err(WalkStop::Loop) => {
                    return Err(RootfsError::SymlinkLoop {
                        path: for_path.into(),
                    })
                }
            }
        }
    }

    /// Resolve `dir` (absolute) through symlinks to the real directory it names.
    fn resolve_dir(&self, dir: &str) -> Option<String> {
        self.walk(dir).ok()
    }

    /// Follow `dir` component by component, symlinks included, as the kernel would.
    fn walk(&self, dir: &str) -> Result<String, WalkStop> {
        let mut current = "/".to_string();
        let mut pending: Vec<&str> = components(dir).rev().collect();
        let mut hops = 0;
        while let Some(comp) = pending.pop() {
            if comp == ".." {
                current = split_parent(&current)
                    .map(|(p, _)| p.to_string())
                    .unwrap_or_else(|| "/".into());
                continue;
            }
            let next = join(&current, comp);
            match self.nodes.get(&next).map(|n| &n.kind) {
                None => return Err(WalkStop::Missing(next)),
                Some(NodeKind::Dir) => current = next,
                Some(NodeKind::Symlink { target }) => {
                    hops += 1;
                    if hops > MAX_SYMLINK_HOPS {
                        return Err(WalkStop::Loop);
                    }
                    if target.starts_with('/') {
                        current = "/".into();
                    }
                    pending.extend(components(target).rev());
                }
                Some(_) => return Err(WalkStop::NotADirectory(next)),
            }
        }
        Ok(current)
    }
}

/// Where a path walk stopped short.
enum WalkStop {
    Missing(String),
    NotADirectory(String),
    Loop,
}

/// Two packages may ship the same path when it is the same thing (rpm's rule for
/// shared files: same type, content digest, mode and owner).
fn same_content(a: &Node, b: &Node) -> bool {
    let kinds_match = match (&a.kind, &b.kind) {
        (
            NodeKind::File {
                digest: Some(x), ..
            },
            NodeKind::File {
                digest: Some(y), ..
            },
        ) => x == y,
        (NodeKind::Symlink { target: x }, NodeKind::Symlink { target: y }) => x == y,
        (x, y) => x == y,
    };
    kinds_match && a.mode == b.mode && a.user == b.user && a.group == b.group
}

fn components(path: &str) -> impl DoubleEndedIterator<Item = &str> {
    path.split('/').filter(|c| !c.is_empty() && *c != ".")
}

/// Normalise and split an absolute path into (parent, name); `None` for "/".
fn split_parent(path: &str) -> Option<(&str, &str)> {
    let trimmed = path.trim_end_matches('/');
    let i = trimmed.rfind('/')?;
    let parent = if i == 0 { "/" } else { &trimmed[..i] };
    let name = &trimmed[i + 1..];
    (!name.is_empty()).then_some((parent, name))
}

fn join(dir: &str, name: &str) -> String {
    if dir == "/" {
        format!("/{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// A symlink target as an absolute path inside the image.
fn absolute_target(dir: &str, target: &str) -> String {
    if target.starts_with('/') {
        target.to_string()
    } else {
        join(dir, target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> Tree {
        Tree::new(Spool::new_in(&std::env::temp_dir()).unwrap())
    }

    fn node(kind: NodeKind, pkg: &str) -> Node {
        Node {
            kind,
            mode: 0o644,
            user: "root".into(),
            group: "root".into(),
            uid: 0,
            gid: 0,
            mtime: 1,
            package: Some(pkg.into()),
            xattrs: BTreeMap::new(),
            color: 0,
        }
    }

    #[test]
    fn parents_follow_symlinks() {
        let mut t = tree();
        t.insert("/usr/bin", node(NodeKind::Dir, "fs")).unwrap();
        t.insert(
            "/bin",
            node(
                NodeKind::Symlink {
                    target: "usr/bin".into(),
                },
                "fs",
            ),
        )
        .unwrap();
        let landed = t.add_file("/bin/sh", &mut &b"#!"[..], 0o755).unwrap();
        assert_eq!(landed, "/usr/bin/sh");
        assert_eq!(t.read_file("/bin/sh").unwrap(), b"#!");
        let abs = t
            .insert(
                "/lib",
                node(
                    NodeKind::Symlink {
                        target: "/usr/lib".into(),
                    },
                    "fs",
                ),
            )
            .unwrap();
        assert_eq!(abs, "/lib");
        assert_eq!(
            t.insert("/lib/x/y", node(NodeKind::Dir, "p")).unwrap(),
            "/usr/lib/x/y"
        );
    }

    #[test]
    fn conflicting_files_are_refused() {
        let mut t = tree();
        let blob = BlobRef { offset: 0, len: 0 };
        let a = NodeKind::File {
            blob,
            digest: Some("aa".into()),
            link_group: None,
        };
        let b = NodeKind::File {
            blob,
            digest: Some("bb".into()),
            link_group: None,
        };
        t.insert("/etc/x", node(a.clone(), "one")).unwrap();
        t.insert("/etc/x", node(a, "two")).unwrap();
        let err = t
            .insert("/etc/x", node(b, "three"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("/etc/x") && err.contains("two") && err.contains("three"),
            "{err}"
        );
    }

    #[test]
    fn loops_end() {
        let mut t = tree();
        t.insert("/a", node(NodeKind::Symlink { target: "b".into() }, "p"))
            .unwrap();
        t.insert("/b", node(NodeKind::Symlink { target: "a".into() }, "p"))
            .unwrap();
        assert!(matches!(
            t.insert("/a/f", node(NodeKind::Dir, "p")),
            Err(RootfsError::SymlinkLoop { .. })
        ));
    }
}
