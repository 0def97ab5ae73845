//! Which candidate to try first: the order resolvo tries the packages of one
//! name, and the order in which the weak-dependency pass picks providers.

use std::cmp::Ordering;

use crate::repo::{PkgId, Pool};

/// Best first: highest EVR (rpm ordering), then the pool's own arch before
/// noarch (libsolv's arch policy), then pool order so the result never depends
/// on anything but the input.
pub(crate) fn compare(pool: &Pool, a: PkgId, b: PkgId) -> Ordering {
    let (pa, pb) = (pool.get(a), pool.get(b));
    pb.evr
        .cmp(&pa.evr)
        .then_with(|| arch_rank(pool, &pa.arch).cmp(&arch_rank(pool, &pb.arch)))
        .then_with(|| a.cmp(&b))
}

fn arch_rank(pool: &Pool, arch: &str) -> u8 {
    match arch {
        a if a == pool.arch => 0,
        "noarch" => 1,
        _ => 2,
    }
}

/// Order alternative providers of different names the way libsolv does when
/// nothing else decides: by name, then best version.
pub(crate) fn compare_alternatives(pool: &Pool, a: PkgId, b: PkgId) -> Ordering {
    pool.get(a)
        .name
        .cmp(&pool.get(b).name)
        .then_with(|| compare(pool, a, b))
}
