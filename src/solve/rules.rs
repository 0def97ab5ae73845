//! Rules: the clauses the solver works on. They are stored the way libsolv
//! stores them (a first literal, the rest as a zero-terminated list in a
//! shared arena, two watched literals), because the order in which libsolv
//! sorts and scans its rules decides which alternative dnf installs, and
//! matching dnf means keeping that order.

use std::cmp::Ordering;

use crate::repo::{DepId, PkgId};

/// A literal: a package installed (> 0) or not (< 0). 1 is the system
/// pseudo-package, always installed; packages start at 2, in pool order.
pub(crate) type Lit = i32;

/// The always-installed pseudo-package: `-SYSTEM` in a job makes it impossible.
pub(crate) const SYSTEM: Lit = 1;

pub(crate) fn lit(id: PkgId) -> Lit {
    id.0 as Lit + 2
}

pub(crate) fn pkg(l: Lit) -> PkgId {
    PkgId(l.unsigned_abs() - 2)
}

/// Why a rule exists; explanations are phrased from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Why {
    /// The package is excluded.
    NotInstallable(Lit),
    /// Nothing provides a requirement of the package.
    NothingProvides(Lit, DepId),
    /// A requirement of the package (a clause of it, for a rich one).
    Requires(Lit, DepId),
    Conflicts(Lit, DepId),
    Obsoletes(Lit, DepId),
    /// Two versions of one name.
    SameName,
    /// A rule made from the request; the index of the job.
    Job(u32),
    Learnt,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Rule {
    /// The first literal; 0 for a dummy rule.
    pub p: Lit,
    /// Offset in [`Rules::lits`] of the further literals (zero-terminated);
    /// 0 when the rule has at most two literals (then `w2` is the second).
    pub d: u32,
    /// The watched literals.
    pub w1: Lit,
    pub w2: Lit,
    /// The next rule in the watch lists of `w1` and `w2`.
    pub n1: u32,
    pub n2: u32,
    pub disabled: bool,
    pub why: Why,
}

/// The offset of the empty literal list.
pub(crate) const EMPTY: u32 = 1;

#[derive(Debug)]
pub(crate) struct Rules {
    /// Rule 0 is a placeholder: rule ids > 0 name rules, and a decision's
    /// `why` of 0 or below means a free choice.
    pub rules: Vec<Rule>,
    /// Zero-terminated literal lists; offset 0 is unused, 1 is empty.
    pub lits: Vec<Lit>,
    /// While package rules are added, the last one, to drop repeats at once.
    last_pkg_rule: Option<usize>,
    building_pkg_rules: bool,
}

impl Rules {
    pub fn new() -> Rules {
        let dummy = Rule {
            p: 0,
            d: 0,
            w1: 0,
            w2: 0,
            n1: 0,
            n2: 0,
            disabled: true,
            why: Why::Learnt,
        };
        Rules {
            rules: vec![dummy],
            lits: vec![0, 0],
            last_pkg_rule: None,
            building_pkg_rules: true,
        }
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Store a literal list; its offset.
    pub fn push_list(&mut self, lits: &[Lit]) -> u32 {
        if lits.is_empty() {
            return EMPTY;
        }
        let off = self.lits.len() as u32;
        self.lits.extend_from_slice(lits);
        self.lits.push(0);
        off
    }

    /// The literal list at `off`, without its terminator.
    pub fn list(&self, off: u32) -> &[Lit] {
        let start = off as usize;
        let end = start + self.lits[start..].iter().position(|&l| l == 0).unwrap_or(0);
        &self.lits[start..end]
    }

    /// Every literal of rule `r`, first one first.
    pub fn literals(&self, r: usize) -> impl Iterator<Item = Lit> + '_ {
        let rule = &self.rules[r];
        let rest: &[Lit] = if rule.d != 0 {
            self.list(rule.d)
        } else if rule.w2 != 0 {
            std::slice::from_ref(&self.rules[r].w2)
        } else {
            &[]
        };
        std::iter::once(rule.p)
            .filter(|&p| p != 0)
            .chain(rest.iter().copied())
    }

    /// No more package rules: from now on every rule is kept as given.
    pub fn end_pkg_rules(&mut self) {
        self.building_pkg_rules = false;
        self.last_pkg_rule = None;
    }

    /// Add the rule `p ∨ p2` or `p ∨ lits[d..]` (libsolv's solver_addrule).
    /// While package rules are built, a rule equal to the previous one or
    /// true by itself is dropped; `None` then.
    pub fn add(&mut self, p: Lit, mut p2: Lit, mut d: u32, why: Why) -> Option<usize> {
        let mut p = p;
        if d != 0 {
            debug_assert_eq!(p2, 0);
            match (
                self.lits[d as usize],
                self.lits.get(d as usize + 1).copied().unwrap_or(0),
            ) {
                (0, _) => d = 0,
                (only, 0) => {
                    p2 = only;
                    d = 0;
                }
                _ => {}
            }
        }
        if self.building_pkg_rules {
            if d != 0 {
                if let Some(last) = self.last_pkg_rule {
                    let r = &self.rules[last];
                    if r.p == p && (r.d == d || (r.d != 0 && self.list(r.d) == self.list(d))) {
                        return Some(last);
                    }
                }
                if self.list(d).contains(&-p) {
                    return None;
                }
            } else {
                if p2 != 0 && p > p2 {
                    std::mem::swap(&mut p, &mut p2);
                }
                if let Some(last) = self.last_pkg_rule {
                    let r = &self.rules[last];
                    if r.p == p && r.d == 0 && r.w2 == p2 {
                        return Some(last);
                    }
                }
                if p == -p2 {
                    return None;
                }
            }
            self.last_pkg_rule = Some(self.rules.len());
        }
        let w2 = if d != 0 { self.lits[d as usize] } else { p2 };
        self.rules.push(Rule {
            p,
            d,
            w1: p,
            w2,
            n1: 0,
            n2: 0,
            disabled: false,
            why,
        });
        Some(self.rules.len() - 1)
    }

    /// libsolv's rule order (unifyrules_sortcmp): by first literal, then by
    /// the remaining literals.
    fn compare(&self, a: &Rule, b: &Rule) -> Ordering {
        let first = |r: &Rule| {
            if r.d == 0 {
                r.w2
            } else {
                self.lits[r.d as usize]
            }
        };
        a.p.cmp(&b.p).then_with(|| match (a.d, b.d) {
            (0, 0) => a.w2.cmp(&b.w2),
            (0, _) => a.w2.cmp(&first(b)).then(Ordering::Less),
            (_, 0) => first(a).cmp(&b.w2).then(Ordering::Greater),
            (x, y) if x == y => Ordering::Equal,
            (x, y) => {
                // Zero-terminated comparison, as libsolv's: the first
                // literals that differ decide (a list's end is a 0).
                let (a, b) = (&self.lits[x as usize..], &self.lits[y as usize..]);
                a.iter()
                    .zip(b)
                    .find(|(l, m)| l != m || **l == 0)
                    .map_or(Ordering::Equal, |(l, m)| l.cmp(m))
            }
        })
    }

    /// Sort the package rules and drop duplicates (libsolv's solver_unifyrules).
    pub fn unify(&mut self) {
        if self.rules.len() <= 2 {
            return;
        }
        // Sorted by the first two literals, packed into one integer, and
        // only rules that share them are compared in full; ties keep their
        // order, so of equal rules the first one added stays, with its reason.
        let bias = |l: Lit| (l as u32 ^ 0x8000_0000) as u64;
        let mut order: Vec<(u64, u32)> = (1..self.rules.len())
            .map(|i| {
                let r = &self.rules[i];
                let second = if r.d == 0 {
                    r.w2
                } else {
                    self.lits[r.d as usize]
                };
                (bias(r.p) << 32 | bias(second), i as u32)
            })
            .collect();
        let full = |a: u32, b: u32| self.compare(&self.rules[a as usize], &self.rules[b as usize]);
        order.sort_unstable_by(|x, y| {
            x.0.cmp(&y.0)
                .then_with(|| full(x.1, y.1))
                .then(x.1.cmp(&y.1))
        });
        order.dedup_by(|b, a| a.0 == b.0 && full(a.1, b.1) == Ordering::Equal);
        let mut rules = Vec::with_capacity(order.len() + 1);
        rules.push(self.rules[0]);
        rules.extend(order.iter().map(|&(_, i)| self.rules[i as usize]));
        self.rules = rules;
    }
}
