//! Which alternative to take: all of the policy, in one place.
//!
//! When a requirement has several providers, dnf's answer is libsolv's
//! policy (policy_filter_unwanted), applied in this order:
//!
//! 1. the repository with the best priority (dnf's `priority=`, lowest wins);
//! 2. the best architecture (the target's own before compatible ones; noarch
//!    always stays);
//! 3. per name, the best version; among equal versions the cheaper
//!    repository (`cost=`), then pool order; then drop what another
//!    candidate obsoletes;
//! 4. prefer what the packages chosen so far recommend or what supplements
//!    them, then reorder: names with a newer version of their own to the
//!    back, alternatives providing a lower `name = version` of a shared
//!    capability after the higher ones, and what installed packages suggest
//!    (or what enhances them) to the front.

use std::cmp::Ordering;

use super::rules::{pkg, Lit};
use super::sat::{Mode, Solver};
use crate::rpm::DepKind;
use crate::rpm::{Cmp, Evr};

/// A stable merge sort that accepts any comparator: libsolv's orders are
/// not always total (architecture scores against noarch), and the result
/// must then still be deterministic, never a panic.
pub(crate) fn stable_sort<T: Copy>(v: &mut [T], cmp: &mut impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    if v.len() <= 16 {
        for i in 1..v.len() {
            let mut j = i;
            while j > 0 && cmp(&v[j - 1], &v[j]) == Ordering::Greater {
                v.swap(j - 1, j);
                j -= 1;
            }
        }
        return;
    }
    let mid = v.len() / 2;
    stable_sort(&mut v[..mid], cmp);
    stable_sort(&mut v[mid..], cmp);
    let mut merged = Vec::with_capacity(v.len());
    let (mut i, mut j) = (0, mid);
    while i < mid && j < v.len() {
        if cmp(&v[j], &v[i]) == Ordering::Less {
            merged.push(v[j]);
            j += 1;
        } else {
            merged.push(v[i]);
            i += 1;
        }
    }
    merged.extend_from_slice(&v[i..mid]);
    merged.extend_from_slice(&v[j..]);
    v.copy_from_slice(&merged);
}

/// Move the candidates for which `keep` is false to the back, keeping order.
fn to_back(plist: &mut Vec<Lit>, mut keep: impl FnMut(Lit) -> bool) {
    let (front, back): (Vec<Lit>, Vec<Lit>) = plist.iter().partition(|&&p| keep(p));
    plist.clear();
    plist.extend(front);
    plist.extend(back);
}

impl Solver<'_> {
    pub(crate) fn filter_unwanted(&mut self, plist: &mut Vec<Lit>, mode: Mode) {
        if mode == Mode::Supplement {
            self.dislike_old_versions(plist);
            self.sort_by_common_dep(plist);
            self.prefer_suggested(plist);
            return;
        }
        if plist.len() > 1 {
            self.prune_to_highest_priority(plist);
        }
        if plist.len() > 1 {
            self.prune_to_best_arch(plist);
        }
        if plist.len() > 1 {
            self.prune_to_best_version(plist);
        }
        if plist.len() > 1 && matches!(mode, Mode::Choose | Mode::ChooseNoReorder) {
            self.prune_to_recommended(plist);
            if plist.len() > 1 && mode == Mode::Choose {
                self.dislike_old_versions(plist);
                self.sort_by_common_dep(plist);
                self.prefer_suggested(plist);
            }
        }
    }

    /// dnf's priority: lower is better (libsolv stores it negated).
    fn priority(&self, p: Lit) -> i32 {
        self.pool.repo_of(pkg(p)).map_or(0, |r| -r.priority)
    }

    /// dnf's cost: lower is better, among equal versions.
    fn subpriority(&self, p: Lit) -> i32 {
        self.pool.repo_of(pkg(p)).map_or(0, |r| -r.cost)
    }

    fn arch_score(&self, p: Lit) -> u32 {
        self.arch.score(&self.pool.get(pkg(p)).arch).unwrap_or(0)
    }

    fn prune_to_highest_priority(&self, plist: &mut Vec<Lit>) {
        let best = plist
            .iter()
            .map(|&p| self.priority(p))
            .max()
            .expect("a non-empty list");
        plist.retain(|&p| self.priority(p) == best);
    }

    fn prune_to_best_arch(&self, plist: &mut Vec<Lit>) {
        let best = plist
            .iter()
            .map(|&p| self.arch_score(p))
            .filter(|&a| a > 1)
            .min();
        let Some(best) = best else { return };
        let kept: Vec<Lit> = plist
            .iter()
            .copied()
            .filter(|&p| {
                let a = self.arch_score(p);
                a != 0 && (a == 1 || (a ^ best) & 0xffff_0000 == 0)
            })
            .collect();
        if !kept.is_empty() {
            *plist = kept;
        }
    }

    /// By name, then architecture, then the cheaper repository, then pool order.
    fn name_order(&self, a: Lit, b: Lit) -> Ordering {
        let (pa, pb) = (self.pool.get(pkg(a)), self.pool.get(pkg(b)));
        pa.name.cmp(&pb.name).then_with(|| {
            let (aa, ab) = (self.arch_score(a), self.arch_score(b));
            if aa != ab && aa > 1 && ab > 1 {
                return aa.cmp(&ab);
            }
            self.subpriority(b)
                .cmp(&self.subpriority(a))
                .then(a.cmp(&b))
        })
    }

    pub(crate) fn prune_to_best_version(&mut self, plist: &mut Vec<Lit>) {
        if plist.len() < 2 {
            return;
        }
        stable_sort(plist, &mut |&a, &b| self.name_order(a, b));
        let mut out: Vec<Lit> = Vec::with_capacity(plist.len());
        for &p in plist.iter() {
            match out.last_mut() {
                Some(best) if self.pool.get(pkg(*best)).name == self.pool.get(pkg(p)).name => {
                    if self.pool.get(pkg(*best)).evr < self.pool.get(pkg(p)).evr {
                        *best = p;
                    }
                }
                _ => out.push(p),
            }
        }
        *plist = out;
        if plist.len() > 1 {
            self.prune_obsoleted(plist);
        }
    }

    /// Whether `a` obsoletes `b` (a package of another name).
    fn obsoletes(&mut self, a: Lit, b: Lit) -> bool {
        if self.pool.get(pkg(a)).name == self.pool.get(pkg(b)).name {
            return false;
        }
        for &obs in self.list(a, DepKind::Obsoletes) {
            let off = self.providers(obs);
            if self.r.list(off).contains(&b) && self.matches_nevr(b, obs) {
                return true;
            }
        }
        false
    }

    /// Drop the candidates another candidate obsoletes. Candidates that
    /// obsolete each other in a cycle are kept only if the cycle contains
    /// the first candidate met (libsolv's Tarjan walk over obsoletes, with
    /// its bookkeeping kept as is so that odd cases end the same way).
    fn prune_obsoleted(&mut self, plist: &mut Vec<Lit>) {
        if plist.len() == 2 {
            let (a, b) = (plist[0], plist[1]);
            match (self.obsoletes(a, b), self.obsoletes(b, a)) {
                (true, false) => plist.truncate(1),
                (false, true) => {
                    plist.remove(0);
                }
                _ => {}
            }
            return;
        }
        let n = plist.len();
        // For each candidate, the candidates it obsoletes, in the order of
        // its Obsoletes and their providers.
        let mut edges: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut has_obsoletes = vec![false; n];
        for i in 0..n {
            let obsoletes = self.list(plist[i], DepKind::Obsoletes);
            has_obsoletes[i] = !obsoletes.is_empty();
            for &obs in obsoletes {
                let off = self.providers(obs);
                for p in self.r.list(off).to_vec() {
                    if self.pool.get(pkg(p)).name == self.pool.get(pkg(plist[i])).name
                        || !self.matches_nevr(p, obs)
                    {
                        continue;
                    }
                    edges[i].extend((0..n).filter(|&j| j != i && plist[j] == p));
                }
            }
        }
        let mut t = Tarjan {
            low: vec![0; n],
            stack: vec![0; n + 2],
            nstack: 0,
            idx: 1,
            firstidx: 0,
        };
        for i in 0..n {
            if t.low[i] != 0 {
                continue;
            }
            if has_obsoletes[i] {
                t.firstidx = t.idx;
                t.nstack = t.idx as usize;
                t.visit(i, &edges, &has_obsoletes);
            } else {
                t.low[i] = t.idx;
                t.stack[t.idx as usize] = i;
                t.idx += 1;
            }
        }
        let kept: Vec<Lit> = (0..n)
            .filter(|&i| t.low[i] >= 0)
            .map(|i| plist[i])
            .collect();
        *plist = kept;
    }

    fn prune_to_recommended(&mut self, plist: &mut Vec<Lit>) {
        if plist.len() < 2 {
            return;
        }
        self.update_recommends_map_if_needed();
        let kept: Vec<Lit> = plist
            .iter()
            .copied()
            .filter(|&p| self.is_recommended(p) || self.is_supplementing(p))
            .collect();
        if !kept.is_empty() {
            *plist = kept;
        }
    }

    /// A candidate of which a newer version of the same arch exists (or one
    /// in a better repository) goes to the back.
    fn dislike_old_versions(&self, plist: &mut Vec<Lit>) {
        to_back(plist, |p| {
            let me = self.pool.get(pkg(p));
            !self.pool.same_name(pkg(p)).iter().any(|&q| {
                let ql = super::rules::lit(q);
                if ql == p || !self.is_considered(ql) {
                    return false;
                }
                let other = self.pool.get(q);
                if other.arch != me.arch {
                    return false;
                }
                match self.priority(p).cmp(&self.priority(ql)) {
                    Ordering::Greater => false,
                    Ordering::Less => true,
                    Ordering::Equal => other.evr > me.evr,
                }
            })
        });
    }

    /// Among alternatives that provide the same capability with an `=` (or
    /// `<`) version, the ones providing a lower version go after the
    /// others: of java-11 and java-17, both providing `java-headless =
    /// <version>`, java-17 comes first. Build ids and digests (bare hex
    /// versions of 4 or more characters) say nothing and are ignored.
    fn sort_by_common_dep(&self, plist: &mut Vec<Lit>) {
        let count = plist.len();
        // (candidate, provided name, version, whether the provide is `<`)
        let mut entries: Vec<(usize, &str, &Evr, bool)> = Vec::new();
        for (i, &p) in plist.iter().enumerate() {
            for &d in self.list(p, DepKind::Provides) {
                let dep = self.index.dep(d);
                let Some(evr) = &dep.evr else { continue };
                let less = match dep.cmp {
                    Cmp::Eq => {
                        if looks_like_hash(evr) {
                            continue;
                        }
                        false
                    }
                    Cmp::Le => false,
                    Cmp::Lt => true,
                    _ => continue,
                };
                entries.push((i, dep.name.as_str(), evr, less));
            }
        }
        if entries.len() < 2 {
            return;
        }
        let entry_cmp =
            |a: &(usize, &str, &Evr, bool), b: &(usize, &str, &Evr, bool)| -> Ordering {
                a.1.cmp(b.1).then_with(|| {
                    let r = b.2.compare_for_match(a.2);
                    if r == Ordering::Equal && (a.3 || b.3) && a.3 != b.3 {
                        // The `<` provide sorts after the plain one.
                        return if a.3 {
                            Ordering::Greater
                        } else {
                            Ordering::Less
                        };
                    }
                    r
                })
            };
        stable_sort(&mut entries, &mut |a, b| entry_cmp(a, b));
        let mut badness = vec![0usize; count];
        let mut bad = 0;
        let mut have_bad = false;
        for k in 0..entries.len() {
            if k > 0 && entries[k].1 == entries[k - 1].1 {
                if entries[k].0 != entries[k - 1].0
                    && entry_cmp(&entries[k - 1], &entries[k]) == Ordering::Less
                {
                    bad += 1;
                    have_bad = true;
                }
            } else {
                bad = 0;
            }
            badness[entries[k].0] += bad;
        }
        if have_bad {
            let mut order: Vec<usize> = (0..count).collect();
            stable_sort(&mut order, &mut |&a, &b| badness[a].cmp(&badness[b]));
            *plist = order.into_iter().map(|i| plist[i]).collect();
        }
    }

    /// What installed packages suggest, or what enhances them, first.
    fn prefer_suggested(&mut self, plist: &mut Vec<Lit>) {
        self.update_recommends_map_if_needed();
        let keep: Vec<bool> = plist
            .iter()
            .map(|&p| self.is_suggested(p) || self.is_enhancing(p))
            .collect();
        let mut i = 0;
        to_back(plist, |_| {
            i += 1;
            keep[i - 1]
        });
    }
}

/// libsolv ignores `=` provides whose version is a bare hex string.
fn looks_like_hash(evr: &Evr) -> bool {
    let s = evr.to_string();
    s.len() >= 4 && s.bytes().all(|c| matches!(c, b'a'..=b'f' | b'0'..=b'9'))
}

/// Tarjan's strongly connected components over "obsoletes" among the
/// candidates, as libsolv's prune_obsoleted walks them.
struct Tarjan {
    low: Vec<i32>,
    stack: Vec<usize>,
    nstack: usize,
    idx: i32,
    firstidx: i32,
}

impl Tarjan {
    fn visit(&mut self, node: usize, edges: &[Vec<usize>], has_obsoletes: &[bool]) {
        let mut myidx = self.idx;
        self.low[node] = myidx;
        self.idx += 1;
        let stackstart = self.nstack;
        self.stack[stackstart] = node;
        self.nstack += 1;
        for &i in &edges[node] {
            let mut l = self.low[i];
            if l == 0 {
                if !has_obsoletes[i] {
                    self.idx += 1;
                    self.low[i] = -1;
                    continue;
                }
                self.visit(i, edges, has_obsoletes);
                l = self.low[i];
            }
            if l < 0 {
                continue;
            }
            if l < self.firstidx {
                // A component found earlier, which we obsolete: drop it.
                let mut k = l as usize;
                while k < self.stack.len() && self.low[self.stack[k]] == l {
                    let m = self.stack[k];
                    self.low[m] = -1;
                    k += 1;
                }
            } else if l < self.low[node] {
                self.low[node] = l;
            }
        }
        if self.low[node] == myidx {
            // Only the component of the first candidate met survives.
            if myidx != self.firstidx {
                myidx = -1;
            }
            for k in stackstart..self.nstack {
                let m = self.stack[k];
                self.low[m] = myidx;
            }
            self.nstack = stackstart;
        }
    }
}
