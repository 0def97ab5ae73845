//! Numeric owners come from the image's own /etc/passwd and /etc/group, never the
//! build host's: the same name may have another id there.

use std::collections::{BTreeSet, HashMap};

use super::Tree;

/// A user or group name no account database in the image knows; rpm installs
/// such files as root and warns, and so do we.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum OwnerWarning {
    UnknownUser(String),
    UnknownGroup(String),
}

impl std::fmt::Display for OwnerWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OwnerWarning::UnknownUser(u) => {
                write!(f, "user {u} does not exist in the image - using root")
            }
            OwnerWarning::UnknownGroup(g) => {
                write!(f, "group {g} does not exist in the image - using root")
            }
        }
    }
}

/// Set every node's uid/gid from its user/group names.
pub fn apply_owners(tree: &mut Tree) -> Vec<OwnerWarning> {
    let users = id_map(tree, "/etc/passwd");
    let groups = id_map(tree, "/etc/group");
    let mut warnings = BTreeSet::new();
    for (_, node) in tree.iter_mut() {
        node.uid = lookup(&users, &node.user).unwrap_or_else(|| {
            warnings.insert(OwnerWarning::UnknownUser(node.user.clone()));
            0
        });
        node.gid = lookup(&groups, &node.group).unwrap_or_else(|| {
            warnings.insert(OwnerWarning::UnknownGroup(node.group.clone()));
            0
        });
    }
    warnings.into_iter().collect()
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
