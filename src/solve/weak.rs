//! Weak dependencies, inside the solver as libsolv handles them: once every
//! requirement holds, the packages that supplement the install set are
//! installed, then the recommended ones, each as a decision that a conflict
//! can take back (it is then simply not installed). The same maps steer
//! the policy: among alternatives, recommended or supplementing packages
//! are preferred, suggested or enhancing ones come first.

use rustc_hash::FxHashMap;

use super::rules::{Lit, SYSTEM};
use super::sat::{Mode, Reason, Solver};
use crate::repo::DepId;
use crate::rpm::DepKind;

/// Rich Recommends (or Suggests) postponed until a package in their
/// condition is decided: by that package, the dependencies to look at again.
#[derive(Debug, Default)]
pub(crate) struct Postponed {
    pub recommends: FxHashMap<Lit, Vec<DepId>>,
    pub suggests: FxHashMap<Lit, Vec<DepId>>,
}

impl Solver<'_> {
    pub(crate) fn is_recommended(&self, p: Lit) -> bool {
        self.recommends_map[p as usize]
    }

    pub(crate) fn is_suggested(&self, p: Lit) -> bool {
        self.suggests_map[p as usize]
    }

    pub(crate) fn is_supplementing(&mut self, p: Lit) -> bool {
        self.any_fulfilled(p, DepKind::Supplements)
    }

    pub(crate) fn is_enhancing(&mut self, p: Lit) -> bool {
        self.any_fulfilled(p, DepKind::Enhances)
    }

    fn any_fulfilled(&mut self, p: Lit, kind: DepKind) -> bool {
        p != SYSTEM && self.list(p, kind).iter().any(|&d| self.fulfilled(d) != 0)
    }

    pub(crate) fn update_recommends_map_if_needed(&mut self) {
        if self
            .recommends_index
            .is_none_or(|i| i < self.decisionq.len())
        {
            self.update_recommends_map();
        }
    }

    /// Mark what the installed packages recommend and suggest (libsolv's
    /// policy_update_recommendsmap), from where the last update stopped.
    pub(crate) fn update_recommends_map(&mut self) {
        let mut from = match self.recommends_index {
            Some(i) => i,
            None => {
                self.recommends_map.iter_mut().for_each(|m| *m = false);
                self.suggests_map.iter_mut().for_each(|m| *m = false);
                self.postponed = Postponed::default();
                0
            }
        };
        while from < self.decisionq.len() {
            let p = self.decisionq[from];
            from += 1;
            if p <= SYSTEM {
                continue;
            }
            for suggests in [false, true] {
                let waiting = if suggests {
                    &mut self.postponed.suggests
                } else {
                    &mut self.postponed.recommends
                };
                if let Some(deps) = waiting.remove(&p) {
                    for d in deps {
                        self.mark_weak(d, suggests);
                    }
                }
                let kind = if suggests {
                    DepKind::Suggests
                } else {
                    DepKind::Recommends
                };
                for &d in self.list(p, kind) {
                    self.mark_weak(d, suggests);
                }
            }
        }
        self.recommends_index = Some(from);
    }

    /// Mark the targets of one Recommends (or Suggests). A rich one marks
    /// the positive literals of each clause whose conditions are all
    /// installed, and waits for any condition still undecided.
    fn mark_weak(&mut self, d: DepId, suggests: bool) {
        let targets: Vec<Lit> = match self.rich(d) {
            Some(Ok(expr)) => {
                let mut bq = Vec::new();
                if self.normalize(expr, &mut bq, super::cplx::EXPAND) != -1 {
                    return;
                }
                let mut out = Vec::new();
                for block in bq.split(|&l| l == 0).filter(|b| !b.is_empty()) {
                    let negatives: Vec<Lit> = block.iter().copied().filter(|&l| l < 0).collect();
                    if negatives
                        .iter()
                        .any(|&l| self.decisionmap[(-l) as usize] < 0)
                    {
                        continue;
                    }
                    let undecided: Vec<Lit> = negatives
                        .iter()
                        .map(|&l| -l)
                        .filter(|&q| self.decisionmap[q as usize] == 0)
                        .collect();
                    if undecided.is_empty() {
                        out.extend(block.iter().copied().filter(|&l| l > 0));
                    } else {
                        let waiting = if suggests {
                            &mut self.postponed.suggests
                        } else {
                            &mut self.postponed.recommends
                        };
                        for q in undecided {
                            let deps = waiting.entry(q).or_default();
                            if !deps.contains(&d) {
                                deps.push(d);
                            }
                        }
                    }
                }
                out
            }
            Some(Err(_)) => return,
            None => {
                let off = self.providers(d);
                self.r.list(off).to_vec()
            }
        };
        let map = if suggests {
            &mut self.suggests_map
        } else {
            &mut self.recommends_map
        };
        for p in targets {
            map[p as usize] = true;
        }
    }

    /// Install weak dependencies. The new level, and whether anything was
    /// tried (the main loop then runs again).
    pub(crate) fn resolve_weak(&mut self, mut level: i32) -> (i32, bool) {
        let mut dq: Vec<Lit> = Vec::new();
        let mut dqs: Vec<Lit> = Vec::new();
        for p in 2..self.nvars() as Lit {
            let decided = self.decisionmap[p as usize];
            if decided < 0 {
                continue;
            }
            if decided > 0 {
                for &rec in self.list(p, DepKind::Recommends) {
                    if let Some(Ok(expr)) = self.rich(rec) {
                        if super::cplx::is_complex(expr) {
                            for q in self.complex_recommends(expr, None) {
                                if !dq.contains(&q) {
                                    dq.push(q);
                                }
                            }
                            continue;
                        }
                    }
                    let off = self.providers(rec);
                    let providers = self.r.list(off);
                    if providers.iter().any(|&q| self.decisionmap[q as usize] > 0) {
                        continue;
                    }
                    for &q in providers {
                        if self.decisionmap[q as usize] == 0 && !dq.contains(&q) {
                            dq.push(q);
                        }
                    }
                }
            } else if self.is_considered(p)
                && !self.list(p, DepKind::Supplements).is_empty()
                && self.supplemented_by_new(p)
            {
                dqs.push(p);
            }
        }
        // Several versions of an installonly name do not mix with Supplements.
        dqs.retain(|&p| {
            !self.is_multiversion(p) || {
                let name = &self.pool.get(super::rules::pkg(p)).name;
                !self
                    .pool
                    .by_name(name)
                    .iter()
                    .any(|&q| self.decisionmap[super::rules::lit(q) as usize] > 0)
            }
        });
        for &p in &dqs {
            if !dq.contains(&p) {
                dq.push(p);
            }
        }
        if dq.is_empty() {
            return (level, false);
        }
        if dq.len() == 1 {
            return (
                self.set_propagate_learn(level, dq[0], 0, Reason::Weak),
                true,
            );
        }
        self.filter_unwanted(&mut dq, Mode::Recommend);
        let mut best = vec![false; self.nvars()];
        for &p in &dq {
            best[p as usize] = true;
        }
        dqs.retain(|&p| best[p as usize]);
        if dqs.len() > 1 {
            self.filter_unwanted(&mut dqs, Mode::Supplement);
        }
        let decisioncount = self.decisionq.len();
        for &p in &dqs {
            if self.decisionmap[p as usize] != 0 {
                continue;
            }
            let olevel = level;
            level = self.set_propagate_learn(level, p, 0, Reason::Weak);
            if level <= olevel {
                return (level, true);
            }
        }
        if self.decisionq.len() < decisioncount {
            return (level, true);
        }
        // Recommended packages, in the order their recommenders were
        // decided, each with a branch when several providers would do.
        let mut i = 0;
        while i < decisioncount {
            let s = self.decisionq[i];
            i += 1;
            if s <= SYSTEM {
                continue;
            }
            for &rec in self.list(s, DepKind::Recommends) {
                let mut candidates: Vec<Lit> = match self.rich(rec) {
                    Some(Ok(expr)) if super::cplx::is_complex(expr) => {
                        self.complex_recommends(expr, Some(&best))
                    }
                    _ => {
                        let off = self.providers(rec);
                        let providers = self.r.list(off);
                        if providers.iter().any(|&q| self.decisionmap[q as usize] > 0) {
                            continue;
                        }
                        providers
                            .iter()
                            .copied()
                            .filter(|&q| self.decisionmap[q as usize] == 0 && best[q as usize])
                            .collect()
                    }
                };
                if candidates.is_empty() {
                    continue;
                }
                if candidates.len() > 1 {
                    self.filter_unwanted(&mut candidates, Mode::Choose);
                }
                if candidates.len() > 1 {
                    self.create_branch(level, &candidates, s, rec.0 as i32);
                }
                let olevel = level;
                level = self.set_propagate_learn(level, candidates[0], 0, Reason::Weak);
                if level <= olevel || self.decisionq.len() < decisioncount {
                    return (level, true);
                }
            }
        }
        (level, true)
    }

    /// Whether a Supplements of `p` holds thanks to a package of this
    /// transaction (one that holds only because a condition is false does
    /// not count, as in libsolv).
    fn supplemented_by_new(&mut self, p: Lit) -> bool {
        p != SYSTEM
            && self
                .list(p, DepKind::Supplements)
                .iter()
                .any(|&d| self.fulfilled(d) == 2)
    }
}
