//! Values grouped by a name that the pool already stores (a package's name,
//! a Provides' name, a file path): the table keeps only a reference to one
//! member's name, and the values sit in one flat vector, group after group.
//! Building it allocates a few vectors, not one string and one list per
//! name, which is most of what building a pool used to cost.

use std::hash::BuildHasher;

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

fn hash_of(name: &str) -> u64 {
    FxBuildHasher.hash_one(name)
}

/// `values` grouped by name; `K` says where a group's name is stored, and
/// the caller's `name_of(K)` reads it.
#[derive(Debug)]
pub(crate) struct Grouped<K, V> {
    /// (hash of the group's name, group index).
    table: HashTable<(u64, u32)>,
    /// Per group: where its name is, and where its values start.
    keys: Vec<K>,
    starts: Vec<u32>,
    values: Vec<V>,
}

impl<K, V> Default for Grouped<K, V> {
    fn default() -> Self {
        Grouped {
            table: HashTable::new(),
            keys: Vec::new(),
            starts: vec![0],
            values: Vec::new(),
        }
    }
}

impl<K: Copy, V: Copy> Grouped<K, V> {
    /// Group `items` (a name reference and a value each) by name, keeping
    /// their order inside each group. Returns the groups and, per item, the
    /// index of its group.
    pub fn build<'a>(
        items: &[(K, V)],
        name_of: impl Fn(K) -> &'a str,
    ) -> (Grouped<K, V>, Vec<u32>) {
        let mut table: HashTable<(u64, u32)> = HashTable::new();
        let mut keys: Vec<K> = Vec::new();
        let mut counts: Vec<u32> = Vec::new();
        let group_of: Vec<u32> = items
            .iter()
            .map(|&(key, _)| {
                let name = name_of(key);
                let hash = hash_of(name);
                let found = table.find(hash, |&(h, g)| {
                    h == hash && name_of(keys[g as usize]) == name
                });
                let g = match found {
                    Some(&(_, g)) => g,
                    None => {
                        let g = keys.len() as u32;
                        keys.push(key);
                        counts.push(0);
                        table.insert_unique(hash, (hash, g), |&(h, _)| h);
                        g
                    }
                };
                counts[g as usize] += 1;
                g
            })
            .collect();
        let mut starts = Vec::with_capacity(keys.len() + 1);
        let mut at = 0u32;
        for count in &counts {
            starts.push(at);
            at += count;
        }
        starts.push(at);
        // Each item goes to the next free slot of its group: order is kept.
        let mut next: Vec<u32> = starts[..keys.len()].to_vec();
        let mut values: Vec<V> = items.iter().map(|&(_, v)| v).collect();
        for (&(_, value), &g) in items.iter().zip(&group_of) {
            values[next[g as usize] as usize] = value;
            next[g as usize] += 1;
        }
        let grouped = Grouped {
            table,
            keys,
            starts,
            values,
        };
        (grouped, group_of)
    }

    /// The group named `name`, if any.
    pub fn find<'a>(&self, name: &str, name_of: impl Fn(K) -> &'a str) -> Option<u32> {
        let hash = hash_of(name);
        self.table
            .find(hash, |&(h, g)| {
                h == hash && name_of(self.keys[g as usize]) == name
            })
            .map(|&(_, g)| g)
    }

    /// The values of the group named `name`, in the order they were given.
    pub fn get<'a>(&self, name: &str, name_of: impl Fn(K) -> &'a str) -> &[V] {
        self.find(name, name_of).map_or(&[], |g| self.group(g))
    }

    /// The values of group `g`.
    pub fn group(&self, g: u32) -> &[V] {
        let g = g as usize;
        &self.values[self.starts[g] as usize..self.starts[g + 1] as usize]
    }

    /// Every group: where its name is, and its values.
    pub fn iter(&self) -> impl Iterator<Item = (K, &[V])> + '_ {
        (0..self.keys.len()).map(|g| (self.keys[g], self.group(g as u32)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_keep_the_order_of_their_items() {
        let names = ["b", "a", "b", "c", "a", "b"];
        let items: Vec<(usize, usize)> = (0..names.len()).map(|i| (i, i * 10)).collect();
        let (grouped, group_of) = Grouped::build(&items, |i| names[i]);
        assert_eq!(grouped.get("b", |i| names[i]), &[0, 20, 50]);
        assert_eq!(grouped.get("a", |i| names[i]), &[10, 40]);
        assert_eq!(grouped.get("c", |i| names[i]), &[30]);
        assert!(grouped.get("d", |i| names[i]).is_empty());
        assert_eq!(group_of, vec![0, 1, 0, 2, 1, 0]);
        let all: Vec<(&str, Vec<usize>)> = grouped
            .iter()
            .map(|(k, v)| (names[k], v.to_vec()))
            .collect();
        assert_eq!(
            all,
            vec![("b", vec![0, 20, 50]), ("a", vec![10, 40]), ("c", vec![30])]
        );
    }
}
