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
        let name = format!(".{path}");
        let name = name.as_str();
        let mut header = Header::new_gnu();
        header.set_mode(node.mode & 0o7777);
        header.set_uid(node.uid.into());
        header.set_gid(node.gid.into());
        header.set_mtime(node.mtime);
        header.set_size(0);
        match &node.kind {
            NodeKind::Dir => {
                header.set_entry_type(EntryType::Directory);
                builder.append_data(&mut header, dir_name(name), io::empty())?;
            }
            NodeKind::File {
                blob, link_group, ..
            } => {
                if let Some(leader) = link_group.and_then(|g| link_leaders.get(&g)) {
                    header.set_entry_type(EntryType::Link);
                    builder.append_link(&mut header, name, leader)?;
                    continue;
                }
                if let Some(g) = link_group {
                    link_leaders.insert(*g, name.to_string());
                }
                header.set_entry_type(EntryType::Regular);
                header.set_size(blob.len);
                builder.append_data(&mut header, name, tree.spool().reader(*blob))?;
            }
            NodeKind::Symlink { target } => {
                header.set_entry_type(EntryType::Symlink);
                builder.append_link(&mut header, name, target)?;
            }
            NodeKind::CharDevice { major, minor } | NodeKind::BlockDevice { major, minor } => {
                let char_dev = matches!(node.kind, NodeKind::CharDevice { .. });
                header.set_entry_type(if char_dev {
                    EntryType::Char
                } else {
                    EntryType::Block
                });
                header.set_device_major(*major)?;
                header.set_device_minor(*minor)?;
                builder.append_data(&mut header, name, io::empty())?;
            }
            NodeKind::Fifo => {
                header.set_entry_type(EntryType::Fifo);
                builder.append_data(&mut header, name, io::empty())?;
            }
        }
    }
    builder.into_inner()
}

fn dir_name(name: &str) -> String {
    if name.ends_with('/') {
        name.to_string()
    } else {
        format!("{name}/")
    }
}
