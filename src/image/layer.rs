//! The image's filesystem as one deterministic tar: entries sorted by path,
//! numeric owners, clamped mtimes, no host-dependent fields.

use std::collections::HashMap;
use std::io::{self, Write};

use tar::{Builder, EntryType, Header};

use crate::rootfs::{NodeKind, Tree};

pub fn write_layer<W: Write>(tree: &Tree, out: W) -> io::Result<W> {
    let mut builder = Builder::new(out);
    // First path written for each hardlink set; later members link to it.
    let mut link_leaders: HashMap<u32, String> = HashMap::new();
    for (path, node) in tree.iter() {
        // Entries are named as `tar -C root -c .` names them: "./", "./usr", …
        let mut name = format!(".{path}");
        let mut header = Header::new_gnu();
        header.set_mode(node.mode & 0o7777);
        header.set_uid(node.uid.into());
        header.set_gid(node.gid.into());
        header.set_mtime(node.mtime);
        header.set_size(0);
        let leader = match &node.kind {
            NodeKind::File {
                link_group: Some(g),
                ..
            } => link_leaders.get(g).cloned(),
            _ => None,
        };
        // The entry's type, link target and content.
        let (entry_type, link, content) = match &node.kind {
            NodeKind::Dir => {
                name = dir_name(&name);
                (EntryType::Directory, None, None)
            }
            NodeKind::File { .. } if leader.is_some() => (EntryType::Link, leader.as_deref(), None),
            NodeKind::File {
                blob, link_group, ..
            } => {
                if let Some(g) = link_group {
                    link_leaders.insert(*g, name.clone());
                }
                header.set_size(blob.len);
                (EntryType::Regular, None, Some(*blob))
            }
            NodeKind::Symlink { target } => (EntryType::Symlink, Some(target.as_str()), None),
            NodeKind::CharDevice { major, minor } | NodeKind::BlockDevice { major, minor } => {
                header.set_device_major(*major)?;
                header.set_device_minor(*minor)?;
                match node.kind {
                    NodeKind::CharDevice { .. } => (EntryType::Char, None, None),
                    _ => (EntryType::Block, None, None),
                }
            }
            NodeKind::Fifo => (EntryType::Fifo, None, None),
        };
        header.set_entry_type(entry_type);
        let entry = Entry {
            name: &name,
            link,
            node,
        };
        match content {
            Some(blob) => entry.append(&mut builder, &mut header, tree.spool().reader(blob))?,
            None => entry.append(&mut builder, &mut header, io::empty())?,
        }
    }
    builder.into_inner()
}

/// Bytes in a tar header's name and link name fields.
const NAME_FIELD: usize = 100;

/// One tar entry: its name and link target spelled exactly as given (never
/// normalized: a symlink to `/` stays `/`), and PAX records for what the
/// header cannot hold (a long name or target, extended attributes).
struct Entry<'a> {
    name: &'a str,
    link: Option<&'a str>,
    node: &'a crate::rootfs::Node,
}

impl Entry<'_> {
    fn append<W: Write>(
        &self,
        builder: &mut Builder<W>,
        header: &mut Header,
        data: impl io::Read,
    ) -> io::Result<()> {
        let mut records: Vec<(String, &[u8])> = Vec::new();
        if self.name.len() > NAME_FIELD {
            records.push(("path".into(), self.name.as_bytes()));
        }
        if let Some(link) = self.link.filter(|l| l.len() > NAME_FIELD) {
            records.push(("linkpath".into(), link.as_bytes()));
        }
        for (key, value) in &self.node.xattrs {
            records.push((format!("SCHILY.xattr.{key}"), value));
        }
        builder.append_pax_extensions(records.iter().map(|(k, v)| (k.as_str(), *v)))?;
        let fields = header.as_old_mut();
        set_field(&mut fields.name, self.name.as_bytes());
        set_field(
            &mut fields.linkname,
            self.link.unwrap_or_default().as_bytes(),
        );
        header.set_cksum();
        builder.append(header, data)
    }
}

/// As much of `bytes` as fits, NUL-padded (a longer value is in a PAX record).
fn set_field(field: &mut [u8], bytes: &[u8]) {
    let n = bytes.len().min(field.len());
    field[..n].copy_from_slice(&bytes[..n]);
    field[n..].fill(0);
}

fn dir_name(name: &str) -> String {
    if name.ends_with('/') {
        name.to_string()
    } else {
        format!("{name}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rootfs::{Node, Spool};

    fn node(kind: NodeKind) -> Node {
        Node {
            kind,
            mode: 0o777,
            user: "root".into(),
            group: "root".into(),
            uid: 0,
            gid: 0,
            mtime: 1,
            package: Some("p-1-1.noarch".into()),
            xattrs: Default::default(),
            color: 0,
        }
    }

    /// Names and link targets are spelled as the package spells them, in
    /// the header or, when longer, in PAX records; xattrs are PAX records.
    #[test]
    fn names_targets_and_xattrs_are_kept_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let mut tree = Tree::new(Spool::new_in(dir.path()).unwrap());
        let long_dir = format!("/{}", "d".repeat(120));
        let long_target = format!("{long_dir}/./{}", "t".repeat(110));
        let symlink = |target: &str| {
            node(NodeKind::Symlink {
                target: target.into(),
            })
        };
        tree.insert("/root-link", symlink("/")).unwrap();
        tree.insert("/dot-link", symlink("./a//b/")).unwrap();
        tree.insert(&format!("{long_dir}/long"), symlink(&long_target))
            .unwrap();
        let mut capable = node(NodeKind::Fifo);
        capable
            .xattrs
            .insert("security.capability".into(), vec![1, 0, 0, 2, 0, 0x20]);
        tree.insert("/fifo", capable).unwrap();

        let bytes = write_layer(&tree, Vec::new()).unwrap();
        let mut archive = tar::Archive::new(&bytes[..]);
        let mut seen = Vec::new();
        for entry in archive.entries().unwrap() {
            let mut entry = entry.unwrap();
            let path = String::from_utf8(entry.path_bytes().into_owned()).unwrap();
            let link = entry
                .link_name_bytes()
                .map(|l| String::from_utf8(l.into_owned()).unwrap());
            let xattrs: Vec<(String, Vec<u8>)> = entry
                .pax_extensions()
                .unwrap()
                .into_iter()
                .flatten()
                .map(|e| e.unwrap())
                .filter(|e| e.key().unwrap().starts_with("SCHILY.xattr."))
                .map(|e| (e.key().unwrap().to_string(), e.value_bytes().to_vec()))
                .collect();
            seen.push((path, link, xattrs));
        }
        let find = |p: &str| {
            seen.iter()
                .find(|s| s.0 == p)
                .unwrap_or_else(|| panic!("{p}: {seen:?}"))
        };
        assert_eq!(find("./root-link").1.as_deref(), Some("/"));
        assert_eq!(find("./dot-link").1.as_deref(), Some("./a//b/"));
        assert_eq!(
            find(&format!(".{long_dir}/long")).1.as_deref(),
            Some(long_target.as_str())
        );
        assert_eq!(
            find("./fifo").2,
            vec![(
                "SCHILY.xattr.security.capability".to_string(),
                vec![1, 0, 0, 2, 0, 0x20]
            )]
        );
    }
}
