//! Which candidate to try first: the order resolvo tries the packages of one
//! name, and the order in which the weak-dependency pass picks providers.

use std::cmp::Ordering;

use crate::rpm::{Cmp, Evr};
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

/// The order libsolv gives alternative providers of different names after
/// keeping the best version of each (policy_filter_unwanted's reordering):
///
/// * `dislike_old_versions`: a candidate whose name has a newer version of
///   the same arch in the pool goes to the back (`is_old`);
/// * `sort_by_common_dep`: where alternatives provide the same capability
///   with an `=` version, the ones providing a lower version go after the
///   higher ones: of java-11-openjdk-headless and java-17-openjdk-headless,
///   both providing `java-headless = <their version>`, java-17 comes first.
///
/// `best` holds one candidate per alternative, in name order; the result is
/// a permutation of its indexes. Both passes are stable, as in libsolv.
pub(crate) fn common_dep_order(
    pool: &Pool,
    best: &[PkgId],
    is_old: impl Fn(PkgId) -> bool,
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..best.len()).collect();
    order.sort_by_key(|&i| is_old(best[i]));

    // (provide name, version, alternative) for every `name = version` provide.
    let mut entries: Vec<(&str, &Evr, usize)> = Vec::new();
    for (i, &id) in best.iter().enumerate() {
        for p in &pool.get(id).provides {
            if let (Cmp::Eq, Some(evr)) = (p.cmp, &p.evr) {
                if !looks_like_hash(evr) {
                    entries.push((p.name.as_str(), evr, i));
                }
            }
        }
    }
    entries.sort_by(|a, b| a.0.cmp(b.0).then_with(|| b.1.compare_for_match(a.1)));
    let mut badness = vec![0usize; best.len()];
    let mut bad = 0;
    for (k, &(name, evr, i)) in entries.iter().enumerate() {
        match k.checked_sub(1).map(|j| entries[j]) {
            Some((prev_name, prev_evr, prev_i)) if prev_name == name => {
                if prev_i != i && prev_evr.compare_for_match(evr) == std::cmp::Ordering::Greater {
                    bad += 1;
                }
            }
            _ => bad = 0,
        }
        badness[i] += bad;
    }
    order.sort_by_key(|&i| badness[i]);
    order
}

/// libsolv ignores `=` provides whose version is a bare hex string (4+ chars):
/// build ids and digests say nothing about which alternative is newer.
fn looks_like_hash(evr: &Evr) -> bool {
    let s = evr.to_string();
    s.len() >= 4 && s.bytes().all(|c| matches!(c, b'a'..=b'f' | b'0'..=b'9'))
}
