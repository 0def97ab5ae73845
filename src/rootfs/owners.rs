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
