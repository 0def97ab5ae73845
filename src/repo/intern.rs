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
    /// (hash, index) of each value: growing the table moves entries
    /// without hashing any value again.
    table: HashTable<(u64, u32)>,
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
        if let Some(&(_, i)) = self.table.find(hash, |&(h, i)| {
            h == hash && self.values[i as usize] == value
        }) {
            return i;
        }
        let i = self.values.len() as u32;
        self.values.push(value);
        self.table.insert_unique(hash, (hash, i), |&(h, _)| h);
        i
    }

    /// Values known to be distinct (as an interner stored them), indexed
    /// in their order without comparing any two.
    pub fn from_distinct(values: Vec<T>) -> Interner<T>
    where
        T: Sync,
    {
        use rayon::prelude::*;
        let hashes: Vec<u64> = values.par_iter().map(hash_of).collect();
        let mut table = HashTable::with_capacity(values.len());
        for (i, hash) in hashes.into_iter().enumerate() {
            table.insert_unique(hash, (hash, i as u32), |&(h, _)| h);
        }
        Interner { values, table }
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
        let hash = hash_of(value);
        self.table
            .find(hash, |&(h, i)| {
                h == hash && self.values[i as usize] == *value
            })
            .map(|&(_, i)| i)
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
    /// (hash, start, end, value) of each key in `bytes`.
    keys: HashTable<(u64, u32, u32, u32)>,
}

impl ByteKeys {
    pub fn get(&self, key: &[u8]) -> Option<u32> {
        let hash = hash_of(key);
        self.keys
            .find(hash, |&(h, s, e, _)| {
                h == hash && &self.bytes[s as usize..e as usize] == key
            })
            .map(|&(_, _, _, v)| v)
    }

    pub fn insert(&mut self, key: &[u8], value: u32) {
        let start = self.bytes.len() as u32;
        self.bytes.extend_from_slice(key);
        let end = self.bytes.len() as u32;
        let hash = hash_of(key);
        self.keys
            .insert_unique(hash, (hash, start, end, value), |&(h, ..)| h);
    }
}
