//! Rich (boolean) dependencies as clauses. A rich requirement is brought
//! into conjunctive normal form over packages (a rich conflict into the
//! negated disjunctive form), exactly as libsolv normalizes it, so that the
//! rules, and with them dnf's choices, come out the same. Negative literals
//! are plain in a SAT solver: `unless`, `if … else` and `without` need no
//! tricks here.
//!
//! Blocks are zero-terminated literal lists in one vector; a block
//! `[MARK, offset, 0]` stands for "one of these providers" before it is
//! expanded, as libsolv keeps plain requirements compact.

use std::collections::VecDeque;

use super::rules::{Lit, Why};
use super::sat::Solver;
use crate::repo::DepId;
use crate::rpm::DepExpr;

pub(crate) const TODNF: u8 = 1;
pub(crate) const EXPAND: u8 = 2;
pub(crate) const INVERT: u8 = 4;

/// Marks an unexpanded provider list in a block; the offset follows.
const MARK: Lit = Lit::MAX;

/// Whether a dependency needs clauses: `and`, `if` or `unless` anywhere in
/// it, or in an `or` of it. `or`, `with` and `without` of simple operands
/// are mere package sets (libsolv's pool_is_complex_dep).
pub(crate) fn is_complex(expr: &DepExpr) -> bool {
    match expr {
        DepExpr::And(_) | DepExpr::If(..) | DepExpr::Unless(..) => true,
        DepExpr::Or(v) => v.iter().any(is_complex),
        DepExpr::Dep(_) | DepExpr::With(_) | DepExpr::Without(..) => false,
    }
}

/// A view of a right-nested binary operation over n-ary operands: libsolv's
/// parser reads `a or b or c` as `a or (b or c)`.
#[derive(Clone, Copy)]
enum Node<'e> {
    One(&'e DepExpr),
    Or(&'e [DepExpr]),
    And(&'e [DepExpr]),
}

impl<'e> Node<'e> {
    fn rest_or(v: &'e [DepExpr]) -> Node<'e> {
        if v.len() == 1 {
            Node::One(&v[0])
        } else {
            Node::Or(v)
        }
    }

    fn rest_and(v: &'e [DepExpr]) -> Node<'e> {
        if v.len() == 1 {
            Node::One(&v[0])
        } else {
            Node::And(v)
        }
    }

    fn complex(self) -> bool {
        match self {
            Node::One(e) => is_complex(e),
            Node::Or(v) => v.iter().any(is_complex),
            Node::And(_) => true,
        }
    }
}

impl Solver<'_> {
    /// Normalize `expr` into `bq`: 0 if it can never hold, 1 if it always
    /// holds, -1 with the blocks appended (libsolv's pool_normalize_complex_dep).
    pub(crate) fn normalize(&mut self, expr: &DepExpr, bq: &mut Vec<Lit>, flags: u8) -> i32 {
        let start = bq.len();
        let mut r = self.normalize_node(Node::One(expr), bq, flags);
        if flags & EXPAND != 0 && r == -1 {
            self.expand(bq, start, 0);
        }
        if flags & INVERT != 0 {
            r = self.invert(bq, start, r);
        }
        r
    }

    fn normalize_node(&mut self, node: Node<'_>, bq: &mut Vec<Lit>, flags: u8) -> i32 {
        if node.complex() {
            match node {
                Node::One(DepExpr::If(a, b, Some(c))) => return self.if_else(a, b, c, bq, flags),
                Node::One(DepExpr::If(a, b, None)) => {
                    return self.or(Node::One(a), Node::One(b), bq, flags, TODNF)
                }
                Node::One(DepExpr::Unless(a, b, Some(c))) => {
                    return self.unless_else(a, b, c, bq, flags)
                }
                Node::One(DepExpr::Unless(a, b, None)) => {
                    return self.and(Node::One(a), Node::One(b), bq, flags, TODNF)
                }
                Node::One(DepExpr::Or(v)) => return self.or_list(v, bq, flags),
                Node::Or(v) => return self.or_list(v, bq, flags),
                Node::One(DepExpr::And(v)) => return self.and_list(v, bq, flags),
                Node::And(v) => return self.and_list(v, bq, flags),
                _ => {}
            }
        }
        // Not complex: one set of packages.
        let off = self.node_providers(node);
        let providers = self.r.list(off);
        if providers.is_empty() {
            return 0;
        }
        if flags & TODNF != 0 {
            for &p in providers {
                bq.extend([p, 0]);
            }
        } else {
            bq.extend([MARK, off as Lit, 0]);
        }
        -1
    }

    fn or_list(&mut self, v: &[DepExpr], bq: &mut Vec<Lit>, flags: u8) -> i32 {
        self.or(Node::One(&v[0]), Node::rest_or(&v[1..]), bq, flags, 0)
    }

    fn and_list(&mut self, v: &[DepExpr], bq: &mut Vec<Lit>, flags: u8) -> i32 {
        self.and(Node::One(&v[0]), Node::rest_and(&v[1..]), bq, flags, 0)
    }

    /// The providers of a package-set node, as a literal list offset.
    fn node_providers(&mut self, node: Node<'_>) -> u32 {
        let ids = match node {
            Node::One(DepExpr::Dep(dep)) => return self.operand_providers(dep),
            Node::One(e) => self.expr_providers(e),
            Node::Or(v) | Node::And(v) => self.expr_providers(&DepExpr::Or(v.to_vec())),
        };
        let lits: Vec<Lit> = ids.into_iter().map(super::rules::lit).collect();
        self.r.push_list(&lits)
    }

    fn or(&mut self, a: Node<'_>, b: Node<'_>, bq: &mut Vec<Lit>, flags: u8, invflags: u8) -> i32 {
        let bqcnt = bq.len();
        let r1 = self.normalize_node(a, bq, flags);
        if r1 == 1 {
            return 1;
        }
        let bqcnt2 = bq.len();
        let mut r2 = self.normalize_node(b, bq, flags ^ invflags);
        if invflags != 0 {
            r2 = self.invert(bq, bqcnt2, r2);
        }
        if r1 == 1 || r2 == 1 {
            bq.truncate(bqcnt);
            return 1;
        }
        if r1 == 0 {
            return r2;
        }
        if r2 == 0 {
            return r1;
        }
        if flags & TODNF == 0 {
            return self.distribute(bq, bqcnt, bqcnt2, flags);
        }
        -1
    }

    fn and(&mut self, a: Node<'_>, b: Node<'_>, bq: &mut Vec<Lit>, flags: u8, invflags: u8) -> i32 {
        let bqcnt = bq.len();
        let r1 = self.normalize_node(a, bq, flags);
        if r1 == 0 {
            return 0;
        }
        let bqcnt2 = bq.len();
        let mut r2 = self.normalize_node(b, bq, flags ^ invflags);
        if invflags != 0 {
            r2 = self.invert(bq, bqcnt2, r2);
        }
        if r1 == 0 || r2 == 0 {
            bq.truncate(bqcnt);
            return 0;
        }
        if r1 == 1 {
            return r2;
        }
        if r2 == 1 {
            return r1;
        }
        if flags & TODNF != 0 {
            return self.distribute(bq, bqcnt, bqcnt2, flags);
        }
        -1
    }

    /// `a if b else c` == (a or not b) and (b or c).
    fn if_else(
        &mut self,
        a: &DepExpr,
        b: &DepExpr,
        c: &DepExpr,
        bq: &mut Vec<Lit>,
        flags: u8,
    ) -> i32 {
        let bqcnt = bq.len();
        let r1 = self.or(Node::One(a), Node::One(b), bq, flags, TODNF);
        if r1 == 0 {
            return 0;
        }
        let bqcnt2 = bq.len();
        let r2 = self.or(Node::One(b), Node::One(c), bq, flags, 0);
        if r1 == 0 || r2 == 0 {
            bq.truncate(bqcnt);
            return 0;
        }
        if r1 == 1 {
            return r2;
        }
        if r2 == 1 {
            return r1;
        }
        if flags & TODNF != 0 {
            return self.distribute(bq, bqcnt, bqcnt2, flags);
        }
        -1
    }

    /// `a unless b else c` == (a and not b) or (b and c).
    fn unless_else(
        &mut self,
        a: &DepExpr,
        b: &DepExpr,
        c: &DepExpr,
        bq: &mut Vec<Lit>,
        flags: u8,
    ) -> i32 {
        let bqcnt = bq.len();
        let r1 = self.and(Node::One(a), Node::One(b), bq, flags, TODNF);
        if r1 == 1 {
            return 1;
        }
        let bqcnt2 = bq.len();
        let r2 = self.and(Node::One(b), Node::One(c), bq, flags, 0);
        if r1 == 1 || r2 == 1 {
            bq.truncate(bqcnt);
            return 1;
        }
        if r1 == 0 {
            return r2;
        }
        if r2 == 0 {
            return r1;
        }
        if flags & TODNF == 0 {
            return self.distribute(bq, bqcnt, bqcnt2, flags);
        }
        -1
    }

    /// Replace provider-list markers from `start` on by their literals;
    /// the new position of `split`.
    fn expand(&self, bq: &mut Vec<Lit>, start: usize, split: usize) -> usize {
        let end = bq.len();
        let mut out: Vec<Lit> = Vec::with_capacity(end - start);
        let mut newsplit = 0;
        let mut i = start;
        while i < end {
            if i == split {
                newsplit = start + out.len();
            }
            if bq[i] == MARK {
                i += 1;
                out.extend_from_slice(self.r.list(bq[i] as u32));
            } else {
                out.push(bq[i]);
            }
            i += 1;
        }
        if i == split {
            newsplit = start + out.len();
        }
        bq.truncate(start);
        bq.extend(out);
        newsplit
    }

    /// Negate every literal (turning CNF into DNF and back), keeping each
    /// block sorted.
    fn invert(&self, bq: &mut Vec<Lit>, start: usize, r: i32) -> i32 {
        if r == 0 || r == 1 {
            return 1 - r;
        }
        self.expand(bq, start, 0);
        let mut j = start;
        for i in start..bq.len() {
            if bq[i] != 0 {
                bq[i] = -bq[i];
                continue;
            }
            bq[j..i].reverse();
            j = i + 1;
        }
        -1
    }

    /// (A1 ∧ A2 …) ∨ (B1 ∧ B2 …) multiplied out: every block of the first
    /// operand merged with every block of the second; a block holding a
    /// literal and its negation is dropped.
    fn distribute(&self, bq: &mut Vec<Lit>, bqcnt: usize, bqcnt2: usize, flags: u8) -> i32 {
        let bqcnt2 = self.expand(bq, bqcnt, bqcnt2);
        let bqcnt3 = bq.len();
        let mut i = bqcnt;
        while i < bqcnt2 {
            let mut j = bqcnt2;
            while j < bqcnt3 {
                let bqcnt4 = bq.len();
                let mut k = i;
                while bq[k] != 0 && bq[j] != 0 {
                    if bq[k] < bq[j] {
                        bq.push(bq[k]);
                        k += 1;
                    } else {
                        if bq[k] == bq[j] {
                            k += 1;
                        }
                        bq.push(bq[j]);
                        j += 1;
                    }
                }
                while bq[j] != 0 {
                    bq.push(bq[j]);
                    j += 1;
                }
                while bq[k] != 0 {
                    bq.push(bq[k]);
                    k += 1;
                }
                let (mut a, mut b) = (bqcnt4, bq.len() - 1);
                while a < b {
                    if -bq[a] == bq[b] {
                        break;
                    }
                    if -bq[a] > bq[b] {
                        a += 1;
                    } else {
                        b -= 1;
                    }
                }
                if a < b {
                    bq.truncate(bqcnt4);
                } else {
                    bq.push(0);
                }
                j += 1;
            }
            while bq[i] != 0 {
                i += 1;
            }
            i += 1;
        }
        bq.drain(bqcnt..bqcnt3);
        if bqcnt == bq.len() {
            return if flags & TODNF != 0 { 0 } else { 1 };
        }
        -1
    }

    /// Rules for a rich requirement (or conflict) of package `n`.
    pub(crate) fn add_complex_rules(
        &mut self,
        n: Lit,
        d: DepId,
        expr: &DepExpr,
        conflict: bool,
        added: &[bool],
        work: &mut VecDeque<Lit>,
    ) {
        let why = if conflict {
            Why::Conflicts(n, d)
        } else {
            Why::Requires(n, d)
        };
        let flags = if conflict { TODNF | EXPAND | INVERT } else { 0 };
        let mut bq = Vec::new();
        match self.normalize(expr, &mut bq, flags) {
            0 => {
                let why = if conflict {
                    why
                } else {
                    Why::NothingProvides(n, d)
                };
                self.r.add(-n, 0, 0, why);
                return;
            }
            1 => return,
            _ => {}
        }
        let mut i = 0;
        while i < bq.len() {
            if bq[i] == 0 {
                i += 1;
                continue;
            }
            if bq[i] == MARK {
                let off = bq[i + 1] as u32;
                i += 3;
                let providers = self.r.list(off);
                if providers.contains(&n) {
                    continue;
                }
                work.extend(providers.iter().copied().filter(|&p| !added[p as usize]));
                self.r.add(-n, 0, off, why);
                continue;
            }
            let end = i + bq[i..]
                .iter()
                .position(|&l| l == 0)
                .expect("blocks are terminated");
            let mut block: Vec<Lit> = bq[i..end].to_vec();
            i = end + 1;
            if let [p2] = block[..] {
                if p2 == -n {
                    if !conflict {
                        self.r.add(-n, 0, 0, why);
                    }
                    continue;
                }
                if p2 == n {
                    continue;
                }
                self.r.add(-n, p2, 0, why);
                if p2 > 0 && !added[p2 as usize] {
                    work.push_back(p2);
                }
                continue;
            }
            // Insert -n before the first greater literal (blocks are sorted).
            match block.iter().position(|&l| l >= -n) {
                Some(at) if block[at] == -n => {}
                Some(at) => block.insert(at, -n),
                None => block.push(-n),
            }
            if block.contains(&n) {
                continue;
            }
            let rest = self.r.push_list(&block[1..]);
            self.r.add(block[0], 0, rest, why);
            work.extend(
                block
                    .iter()
                    .copied()
                    .filter(|&p| p > 0 && !added[p as usize]),
            );
        }
    }

    /// Packages a rich weak dependency could bring in (its positive literals).
    pub(crate) fn positive_literals(&mut self, expr: &DepExpr) -> Vec<Lit> {
        let mut out = Vec::new();
        self.collect_positive(expr, false, &mut out);
        out
    }

    fn collect_positive(&mut self, expr: &DepExpr, neg: bool, out: &mut Vec<Lit>) {
        match expr {
            DepExpr::And(v) | DepExpr::Or(v) => {
                v.iter().for_each(|e| self.collect_positive(e, neg, out))
            }
            DepExpr::If(then, cond, otherwise) | DepExpr::Unless(then, cond, otherwise) => {
                self.collect_positive(then, neg, out);
                if let Some(e) = otherwise {
                    self.collect_positive(e, neg, out);
                }
                self.collect_positive(cond, !neg, out);
            }
            _ if neg => {}
            _ => {
                let ids = self.expr_providers(expr);
                out.extend(
                    ids.into_iter()
                        .map(super::rules::lit)
                        .filter(|&l| self.is_considered(l)),
                );
            }
        }
    }

    /// Whether a dependency holds for the packages decided so far: 0 no,
    /// 1 yes, 2 yes with a package of this transaction involved (a
    /// conditional that holds only because its condition is false counts
    /// 1, libsolv's solver_dep_fulfilled_alreadyinstalled).
    pub(crate) fn fulfilled(&mut self, d: DepId) -> u8 {
        match self.rich(d) {
            Some(Ok(expr)) => self.expr_fulfilled(expr),
            Some(Err(_)) => 0,
            None => {
                let off = self.providers(d);
                if self
                    .r
                    .list(off)
                    .iter()
                    .any(|&p| self.decisionmap[p as usize] > 0)
                {
                    2
                } else {
                    0
                }
            }
        }
    }

    fn expr_fulfilled(&mut self, expr: &DepExpr) -> u8 {
        let two = |r1: u8, r2: u8| if r1 == 2 || r2 == 2 { 2 } else { 1 };
        match expr {
            DepExpr::If(a, b, Some(c)) => {
                let r1 = self.expr_fulfilled(b);
                if r1 != 0 {
                    let r2 = self.expr_fulfilled(a);
                    return if r2 != 0 && r1 == 2 { 2 } else { r2 };
                }
                self.expr_fulfilled(c)
            }
            DepExpr::If(a, b, None) => {
                let r1 = self.expr_fulfilled(a);
                let r2 = self.expr_fulfilled(b) == 0;
                match (r1, r2) {
                    (0, false) => 0,
                    (2, _) => 2,
                    _ => 1,
                }
            }
            DepExpr::Unless(a, b, Some(c)) => {
                let r1 = self.expr_fulfilled(b);
                if r1 != 0 {
                    let r2 = self.expr_fulfilled(c);
                    return if r2 != 0 && r1 == 2 { 2 } else { r2 };
                }
                self.expr_fulfilled(a)
            }
            DepExpr::Unless(a, b, None) => {
                let r1 = self.expr_fulfilled(a);
                let r2 = self.expr_fulfilled(b) == 0;
                if r1 == 0 || !r2 {
                    0
                } else if r1 == 2 {
                    2
                } else {
                    1
                }
            }
            DepExpr::And(v) => {
                let mut acc = 1;
                for e in v {
                    let r = self.expr_fulfilled(e);
                    if r == 0 {
                        return 0;
                    }
                    acc = two(acc, r);
                }
                acc
            }
            DepExpr::Or(v) => {
                let rs: Vec<u8> = v.iter().map(|e| self.expr_fulfilled(e)).collect();
                if rs.iter().all(|&r| r == 0) {
                    0
                } else if rs.contains(&2) {
                    2
                } else {
                    1
                }
            }
            _ => {
                let ids = self.expr_providers(expr);
                if ids
                    .into_iter()
                    .any(|p| self.decisionmap[super::rules::lit(p) as usize] > 0)
                {
                    2
                } else {
                    0
                }
            }
        }
    }

    /// Recommended packages of a rich Recommends: for each clause whose
    /// conditions are installed and that no installed package fulfils, its
    /// undecided positive literals (those in `allowed`, if given).
    pub(crate) fn complex_recommends(
        &mut self,
        expr: &DepExpr,
        allowed: Option<&[bool]>,
    ) -> Vec<Lit> {
        let mut bq = Vec::new();
        if !matches!(self.normalize(expr, &mut bq, EXPAND), -1) {
            return Vec::new();
        }
        let mut out: Vec<Lit> = Vec::new();
        for block in bq.split(|&l| l == 0).filter(|b| !b.is_empty()) {
            let mark = out.len();
            for &p in block {
                if p < 0 {
                    if self.decisionmap[(-p) as usize] <= 0 {
                        break;
                    }
                    continue;
                }
                if self.decisionmap[p as usize] > 0 {
                    out.truncate(mark);
                    break;
                }
                if self.decisionmap[p as usize] < 0 || allowed.is_some_and(|m| !m[p as usize]) {
                    continue;
                }
                out.push(p);
            }
        }
        let mut unique = Vec::with_capacity(out.len());
        for p in out {
            if !unique.contains(&p) {
                unique.push(p);
            }
        }
        unique
    }
}
