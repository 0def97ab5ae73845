//! Numeric owners come from the image's own /etc/passwd and /etc/group, never the
//! build host's: the same name may have another id there.

use std::collections::HashMap;

use super::Tree;

/// A file whose user or group no account database in the image knows: rpm
/// installs it as root, without its setuid or setgid bit (no surprise
/// setuid-root binary), and warns; so do we.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct OwnerWarning {
    pub missing: Missing,
    pub path: String,
    pub package: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Missing {
    User(String),
    Group(String),
}

impl std::fmt::Display for OwnerWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.missing {
            Missing::User(u) => write!(f, "user {u} does not exist - using root")?,
            Missing::Group(g) => write!(f, "group {g} does not exist - using root")?,
        }
        write!(f, " for {}", self.path)?;
        match &self.package {
            Some(p) => write!(f, " of {p}"),
            None => Ok(()),
        }
    }
}

/// Set every node's uid/gid from its user/group names.
pub fn apply_owners(tree: &mut Tree) -> Vec<OwnerWarning> {
    let users = id_map(tree, "/etc/passwd");
    let groups = id_map(tree, "/etc/group");
    let mut warnings = Vec::new();
    for (path, node) in tree.iter_mut() {
        let uid = lookup(&users, &node.user);
        let gid = lookup(&groups, &node.group);
        let missing = [
            uid.is_none().then(|| Missing::User(node.user.clone())),
            gid.is_none().then(|| Missing::Group(node.group.clone())),
        ];
        for missing in missing.into_iter().flatten() {
            warnings.push(OwnerWarning {
                missing,
                path: path.clone(),
                package: node.package.clone(),
            });
        }
        if uid.is_none() {
            node.mode &= !0o4000;
        }
        if gid.is_none() {
            node.mode &= !0o2000;
        }
        node.uid = uid.unwrap_or(0);
        node.gid = gid.unwrap_or(0);
    }
    warnings
}

fn lookup(map: &HashMap<String, u32>, name: &str) -> Option<u32> {
    map.get(name).copied().or((name == "root").then_some(0))
}

/// `name:x:id:...` lines → name → id (the third field in both passwd and group);
/// the first line for a name wins, as in glibc.
fn id_map(tree: &Tree, path: &str) -> HashMap<String, u32> {
    let bytes = tree.read_file(path).unwrap_or_default();
    let mut map = HashMap::new();
    for line in String::from_utf8_lossy(&bytes).lines() {
        let mut fields = line.split(':');
        let (Some(name), Some(id)) = (
            fields.next(),
            fields.nth(1).and_then(|f| f.trim().parse().ok()),
        ) else {
            continue;
        };
        if !name.is_empty() && !name.starts_with('#') {
            map.entry(name.to_string()).or_insert(id);
        }
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rootfs::{Node, NodeKind, Spool};

    #[test]
    fn an_unknown_owner_falls_back_to_root_without_setuid_or_setgid() {
        let dir = tempfile::tempdir().unwrap();
        let mut tree = Tree::new(Spool::new_in(dir.path()).unwrap());
        tree.add_file(
            "/etc/passwd",
            &mut &b"root:x:0:0::/root:/bin/sh\nts:x:1234:1234::/:/sbin/nologin\n"[..],
            0o644,
        )
        .unwrap();
        tree.add_file("/etc/group", &mut &b"root:x:0:\nts:x:1234:\n"[..], 0o644)
            .unwrap();
        let file = |user: &str, group: &str| Node {
            kind: NodeKind::Fifo,
            mode: 0o6755,
            user: user.into(),
            group: group.into(),
            uid: 0,
            gid: 0,
            mtime: 0,
            package: Some("p-1-1.x86_64".into()),
            xattrs: Default::default(),
            color: 0,
        };
        tree.insert("/known", file("ts", "ts")).unwrap();
        tree.insert("/no-user", file("ghost", "ts")).unwrap();
        tree.insert("/no-group", file("ts", "ghosts")).unwrap();
        let warnings: Vec<String> = apply_owners(&mut tree)
            .iter()
            .map(|w| w.to_string())
            .collect();
        assert_eq!(
            warnings,
            [
                "group ghosts does not exist - using root for /no-group of p-1-1.x86_64",
                "user ghost does not exist - using root for /no-user of p-1-1.x86_64",
            ]
        );
        let got = |p: &str| {
            let n = tree.iter().find(|(path, _)| *path == p).unwrap().1;
            (n.uid, n.gid, n.mode)
        };
        assert_eq!(got("/known"), (1234, 1234, 0o6755));
        assert_eq!(got("/no-user"), (0, 1234, 0o2755));
        assert_eq!(got("/no-group"), (1234, 0, 0o4755));
    }
}
