//! Interning: each distinct value stored once, named by its index. The hash
//! table holds only indexes (the values live in one vector), so a value is
//! never copied to serve as its own key; a value handed over by move is
//! kept as it is.

use std::hash::{BuildHasher, Hash};

use hashbrown::HashTable;
use rustc_hash::FxBuildHasher;

#[derive(Clone, Debug)]
pub(crate) struct Interner<T> {
    values: Vec<T>,
    table: HashTable<u32>,
}

impl<T> Default for Interner<T> {
    fn default() -> Self {
        Interner {
            values: Vec::new(),
            table: HashTable::new(),
        }
    }
}

fn hash_of<T: Hash + ?Sized>(value: &T) -> u64 {
    FxBuildHasher.hash_one(value)
}

impl<T: Hash + Eq> Interner<T> {
    /// The index of `value`, stored if new.
    pub fn intern(&mut self, value: T) -> u32 {
        let hash = hash_of(&value);
        if let Some(&i) = self.table.find(hash, |&i| self.values[i as usize] == value) {
            return i;
        }
        let i = self.values.len() as u32;
        self.values.push(value);
        let values = &self.values;
        self.table
            .insert_unique(hash, i, |&j| hash_of(&values[j as usize]));
        i
    }

    /// The index of a value equal to `value`, cloned in only if new.
    pub fn intern_ref(&mut self, value: &T) -> u32
    where
        T: Clone,
    {
        match self.get(value) {
            Some(i) => i,
            None => self.intern(value.clone()),
        }
    }

    pub fn get(&self, value: &T) -> Option<u32> {
        self.table
            .find(hash_of(value), |&i| self.values[i as usize] == *value)
            .copied()
    }

    pub fn values(&self) -> &[T] {
        &self.values
    }

    pub fn into_values(self) -> Vec<T> {
        self.values
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }
}

/// Byte strings interned into one arena (the raw attributes of metadata
/// entries): a lookup allocates nothing, a new key is appended once.
#[derive(Clone, Debug, Default)]
pub(crate) struct ByteKeys {
    bytes: Vec<u8>,
    /// (start, end, value) of each key in `bytes`.
    keys: HashTable<(u32, u32, u32)>,
}

impl ByteKeys {
    pub fn get(&self, key: &[u8]) -> Option<u32> {
        self.keys
            .find(hash_of(key), |&(s, e, _)| {
                &self.bytes[s as usize..e as usize] == key
            })
            .map(|&(_, _, v)| v)
    }

    pub fn insert(&mut self, key: &[u8], value: u32) {
        let start = self.bytes.len() as u32;
        self.bytes.extend_from_slice(key);
        let end = self.bytes.len() as u32;
        let bytes = &self.bytes;
        self.keys
            .insert_unique(hash_of(key), (start, end, value), |&(s, e, _)| {
                hash_of(&bytes[s as usize..e as usize])
            });
    }
}
