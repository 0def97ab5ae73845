//! The order in which rpm installs a transaction: rpm 4.18's tsort
//! (`rpmtsOrder`), for a transaction of installs into an empty root.
//!
//! The order matters beyond cosmetics: scriptlets run in it, and the rpmdb
//! records packages in it (`rpm -qa` lists them that way), so an image that
//! claims to be what dnf would have made must install in rpm's order.
//!
//! [`rpm_order`] is the algorithm, on a small typed input ([`OrderElement`]),
//! free of the package pool; [`install_order`] builds that input from a
//! [`Pool`] the way rpm builds its relations from package headers.
//!
//! What rpm does, in short:
//! 1. Every dependency (Requires, then Recommends, Suggests, Supplements,
//!    Enhances, OrderWithRequires) that some *other* package of the
//!    transaction satisfies becomes a relation "provider before dependent".
//!    One provider is picked per dependency, the first in transaction order
//!    unless the dependent provides it itself (then there is no relation).
//!    Supplements and Enhances point the other way. A relation is "hard" when
//!    the dependency is needed by `%pre`/`%post` (or is a legacy PreReq);
//!    weak dependencies are always soft.
//! 2. Strongly connected components (dependency loops) are found with
//!    Tarjan's algorithm, each loop then treated as one node.
//! 3. A queue of packages whose providers are all placed is drained; among
//!    the ready ones, packages that more packages depend on go first, and a
//!    newly ready package goes before ready ones of equal weight. A loop is
//!    entered when everything outside it that it needs is placed; inside, a
//!    breadth-first search from the members that hold hard relations ranks
//!    members by distance, and rpm starts with the member farthest away (so
//!    soft relations are the ones broken), places what that frees, and
//!    repeats.
//!
//! Ties are broken by the order packages were added to the transaction,
//! so that order is an input. dnf 4.14 adds them in libsolv's solvable
//! order (see [`install_order`]), which for a fresh install is the order of
//! the repositories and, within one, of primary.xml: exactly [`PkgId`] order.

use std::collections::HashMap;

use crate::repo::{PkgId, Pool};
use crate::rpm::{Dep, DepExpr, DepKind};

/// rpm's transaction colour on 64-bit platforms (`%_transaction_color 3`:
/// ELF32 and ELF64 both install) and its preferred colour (`%_prefer_color`,
/// 2 = ELF64 unless a platform says otherwise).
const TRANSACTION_COLOR: u32 = 3;
const PREFERRED_COLOR: u32 = 2;

/// One package of the transaction. Elements are given in the order they were
/// added to rpm's transaction; [`rpm_order`] returns indexes into that list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderElement {
    /// rpm's package colour: the union of the colours (1 = ELF32, 2 = ELF64)
    /// of the files that generated the package's provides and requires; 0 for
    /// a package without such files. Only a colour other than 0 and the
    /// preferred one changes where the package is queued.
    pub color: u32,
    /// The dependencies that can order this package, in rpm's order: the
    /// Requires in header order, then Recommends, Suggests, Supplements,
    /// Enhances and OrderWithRequires; rich dependencies already split into
    /// the operands rpm orders by.
    pub deps: Vec<OrderDep>,
}

/// One dependency of an [`OrderElement`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderDep {
    /// Every element that satisfies it, in transaction order (file paths:
    /// owners of the file if any, else packages that provide the path). The
    /// element itself may be among them.
    pub providers: Vec<usize>,
    /// Needed by a `%pre`/`%post` scriptlet (or a legacy PreReq): loops are
    /// broken elsewhere if at all possible.
    pub prereq: bool,
    /// Supplements/Enhances: the provider is installed *after* this package.
    pub reverse: bool,
    /// The colour of the files that generated the dependency (0 for most).
    pub color: u32,
}

/// rpm's choice among the providers of a dependency (rpmal): a provider of
/// the matching colour scores 2, the dependent itself 1, and the first best
/// wins; with no score at all the first provider wins.
fn pick_provider(elements: &[OrderElement], dependent: usize, dep: &OrderDep) -> Option<usize> {
    let mut best = None;
    let mut best_score = 0;
    for &p in &dep.providers {
        let mut score = 0;
        if TRANSACTION_COLOR != 0 {
            let want = if dep.color != 0 {
                dep.color
            } else {
                PREFERRED_COLOR
            };
            if want != 0 && elements[p].color == want {
                score += 2;
            }
        }
        if p == dependent {
            score += 1;
        }
        if score > best_score {
            best_score = score;
            best = Some(p);
        }
    }
    best.or_else(|| dep.providers.first().copied())
}

/// A relation as one of its two ends sees it.
#[derive(Clone, Copy, Debug)]
struct Rel {
    other: usize,
    hard: bool,
}

/// `UNVISITED` before the loop search, then a negative visit number while a
/// package is on the search stack, `TRIVIAL` for a package in no loop, a
/// loop number (>= `FIRST_LOOP`) for a loop member, and `PLACED` again once
/// the package is in the output.
const UNVISITED: i64 = 0;
const PLACED: i64 = 0;
const TRIVIAL: i64 = 1;
const FIRST_LOOP: i64 = 2;
const FAR: i64 = i32::MAX as i64;

struct Loop {
    /// Relations from outside the loop still to be satisfied.
    pending: i64,
    /// In the order the search pushed them: the first is the loop's entry.
    members: Vec<usize>,
}

struct Graph<'e> {
    elements: &'e [OrderElement],
    /// Packages that need this one, newest relation last (rpm walks them
    /// newest first, so every walk below is `.iter().rev()`).
    dependents: Vec<Vec<Rel>>,
    /// Packages this one needs, newest last.
    needs: Vec<Vec<Rel>>,
    /// Providers not placed yet.
    waiting: Vec<usize>,
    /// How many relations point at this package; the queue's weight.
    weight: Vec<usize>,
    mark: Vec<i64>,
    /// Tarjan's low-link during the loop search; distance from a hard
    /// relation inside a loop while breaking it.
    low: Vec<i64>,
    loops: Vec<Loop>,
    /// The queue is a singly linked list through `next`, because packages
    /// are inserted right behind the one being placed.
    next: Vec<Option<usize>>,
    out: Vec<usize>,
}

/// The order in which rpm 4.18 installs `elements` into an empty root: a
/// permutation of `0..elements.len()`.
pub fn rpm_order(elements: &[OrderElement]) -> Vec<usize> {
    let n = elements.len();
    let mut g = Graph {
        elements,
        dependents: vec![Vec::new(); n],
        needs: vec![Vec::new(); n],
        waiting: vec![0; n],
        weight: vec![0; n],
        mark: vec![UNVISITED; n],
        low: vec![0; n],
        loops: Vec::new(),
        next: vec![None; n],
        out: Vec::with_capacity(n),
    };
    for (i, e) in elements.iter().enumerate() {
        for dep in &e.deps {
            if let Some(p) = pick_provider(elements, i, dep) {
                g.relate(i, p, dep);
            }
        }
    }
    g.find_loops();
    g.place_all();
    debug_assert_eq!(g.out.len(), n);
    g.out
}

impl Graph<'_> {
    /// Record that `dependent`'s `dep` is satisfied by `provider`.
    fn relate(&mut self, dependent: usize, provider: usize, dep: &OrderDep) {
        if provider == dependent {
            return;
        }
        let hard = dep.prereq;
        // `later` needs `first`.
        let (later, first) = if dep.reverse {
            (provider, dependent)
        } else {
            (dependent, provider)
        };
        // rpm merges a repeated relation only when it is the newest one of the
        // list it checks, and for a reversed dependency it checks what the
        // dependent itself needs: a package whose latest relation is a
        // Requires on X and that also Supplements X keeps only the Requires.
        // Anything else that repeats is recorded twice, and counts twice.
        let newest = if dep.reverse {
            self.needs[first].last()
        } else {
            self.dependents[first].last()
        };
        if newest.is_some_and(|r| r.other == later) {
            let (own, mirror) = if dep.reverse {
                (&mut self.needs[first], &mut self.dependents[later])
            } else {
                (&mut self.dependents[first], &mut self.needs[later])
            };
            own.last_mut().expect("checked above").hard |= hard;
            let found = mirror.iter_mut().rev().find(|r| r.other == first);
            debug_assert!(found.is_some(), "a relation has two ends");
            if let Some(r) = found {
                r.hard |= hard;
            }
            return;
        }
        self.waiting[later] += 1;
        self.dependents[first].push(Rel { other: later, hard });
        self.weight[first] += 1;
        self.needs[later].push(Rel { other: first, hard });
    }

    /// Tarjan's strongly connected components over "is needed by" edges,
    /// started from each package in transaction order. Iterative, so a long
    /// dependency chain cannot overflow the stack.
    fn find_loops(&mut self) {
        let n = self.elements.len();
        let mut counter: i64 = 0;
        let mut stack: Vec<usize> = Vec::new();
        // (package, how many of its dependents are still to visit)
        let mut frames: Vec<(usize, usize)> = Vec::new();
        for start in 0..n {
            if self.mark[start] != UNVISITED {
                continue;
            }
            self.visit(start, &mut counter, &mut stack, &mut frames);
            while let Some(&mut (v, ref mut left)) = frames.last_mut() {
                if *left > 0 {
                    *left -= 1;
                    let w = self.dependents[v][*left].other;
                    if self.mark[w] > 0 {
                        // already in a finished component
                    } else if self.mark[w] == UNVISITED {
                        self.visit(w, &mut counter, &mut stack, &mut frames);
                    } else {
                        // on the stack; visit numbers are negative, so the
                        // earlier one is the larger
                        self.low[v] = self.low[v].max(self.mark[w]);
                    }
                    continue;
                }
                frames.pop();
                self.finish(v, &mut stack);
                if let Some(&(parent, _)) = frames.last() {
                    self.low[parent] = self.low[parent].max(self.low[v]);
                }
            }
        }
    }

    fn visit(
        &mut self,
        v: usize,
        counter: &mut i64,
        stack: &mut Vec<usize>,
        frames: &mut Vec<(usize, usize)>,
    ) {
        *counter -= 1;
        self.mark[v] = *counter;
        self.low[v] = *counter;
        stack.push(v);
        frames.push((v, self.dependents[v].len()));
    }

    fn finish(&mut self, v: usize, stack: &mut Vec<usize>) {
        if self.low[v] != self.mark[v] {
            return;
        }
        if stack.last() == Some(&v) {
            stack.pop();
            self.mark[v] = TRIVIAL;
            return;
        }
        let from = stack
            .iter()
            .rposition(|&m| m == v)
            .expect("a root is on the stack");
        let members: Vec<usize> = stack.split_off(from);
        let id = FIRST_LOOP + self.loops.len() as i64;
        for &m in &members {
            self.mark[m] = id;
        }
        let mut pending = 0i64;
        for &m in &members {
            pending += self.waiting[m] as i64;
            pending -= self.dependents[m]
                .iter()
                .filter(|r| r.other != m && self.mark[r.other] == id)
                .count() as i64;
        }
        self.loops.push(Loop { pending, members });
    }

    fn loop_of(&self, v: usize) -> Option<usize> {
        (self.mark[v] >= FIRST_LOOP).then(|| (self.mark[v] - FIRST_LOOP) as usize)
    }

    /// Insert `p` into the queue that starts at `first` (returns the new
    /// start). `tail` is only consulted for emptiness and kept pointing at
    /// the last package when one is appended, as rpm does.
    fn enqueue(
        &mut self,
        p: usize,
        first: Option<usize>,
        tail: &mut Option<usize>,
    ) -> Option<usize> {
        if tail.is_none() {
            *tail = Some(p);
            return Some(p);
        }
        let color = self.elements[p].color;
        // A package of a colour other than the preferred one only competes
        // with packages of its own colour.
        let picky = color != 0 && color != PREFERRED_COLOR;
        let mut prev = None;
        let mut cur = first;
        while let Some(c) = cur {
            if !(picky && self.elements[c].color != color) && self.weight[c] <= self.weight[p] {
                break;
            }
            prev = Some(c);
            cur = self.next[c];
        }
        match prev {
            None => {
                self.next[p] = cur;
                Some(p)
            }
            Some(before) => {
                if cur.is_none() {
                    // `p`'s own link stays unset: nothing is queued twice.
                    *tail = Some(p);
                } else {
                    self.next[p] = cur;
                }
                self.next[before] = Some(p);
                first
            }
        }
    }

    fn place_all(&mut self) {
        let n = self.elements.len();
        let mut head = None;
        let mut tail = None;
        for e in 0..n {
            if self.waiting[e] == 0 {
                self.next[e] = None;
                head = self.enqueue(e, head, &mut tail);
            }
        }
        for l in 0..self.loops.len() {
            if self.loops[l].pending == 0 {
                let entry = self.loops[l].members[0];
                head = self.enqueue(entry, head, &mut tail);
            }
        }
        let mut cur = head;
        while let Some(q) = cur {
            match self.loop_of(q) {
                Some(l) => self.place_loop(q, l, &mut tail),
                None => self.place(q, &mut tail, None),
            }
            cur = self.next[q];
        }
    }

    /// Output `q` and release what waited for it: into the queue right behind
    /// `q` (ending at `tail`), or, for packages outside the loop `q` belongs
    /// to, into `outer` (the queue after the loop, which shares `tail` with
    /// the main queue).
    fn place(
        &mut self,
        q: usize,
        tail: &mut Option<usize>,
        mut outer: Option<(&mut Option<usize>, &mut Option<usize>)>,
    ) {
        self.out.push(q);
        let q_mark = self.mark[q];
        for i in (0..self.dependents[q].len()).rev() {
            let p = self.dependents[q][i].other;
            if self.mark[p] == PLACED || p == q {
                continue;
            }
            self.waiting[p] -= 1;
            if self.waiting[p] == 0 {
                if q_mark >= FIRST_LOOP && q_mark != self.mark[p] {
                    let (ohead, otail) = outer
                        .as_mut()
                        .expect("a loop member places with an outer queue");
                    **ohead = self.enqueue(p, **ohead, otail);
                } else {
                    self.next[q] = self.enqueue(p, self.next[q], tail);
                }
            }
            if let Some(l) = self.loop_of(p).filter(|_| self.mark[p] != q_mark) {
                self.loops[l].pending -= 1;
                if self.loops[l].pending == 0 {
                    // The loop is ready; `p` stands for it in the queue.
                    match outer.as_mut() {
                        Some((ohead, otail)) => **ohead = self.enqueue(p, **ohead, otail),
                        None => self.next[q] = self.enqueue(p, self.next[q], tail),
                    }
                }
            }
        }
        self.mark[q] = PLACED;
    }

    /// Place the members of loop `l`, entered through `entry`.
    fn place_loop(&mut self, entry: usize, l: usize, tail: &mut Option<usize>) {
        let mut outer_head = self.next[entry].take();
        self.rank_members(l);
        let loop_id = FIRST_LOOP + l as i64;
        loop {
            // The member farthest from any hard relation (the last one on a
            // tie) goes first.
            let mut best = None;
            let mut best_score = 0;
            for &m in &self.loops[l].members {
                if self.mark[m] == PLACED {
                    continue;
                }
                if self.low[m] >= best_score {
                    best = Some(m);
                    best_score = self.low[m];
                }
            }
            let Some(best) = best else { break };
            debug_assert_eq!(self.mark[best], loop_id);
            let mut inner_tail = None;
            let mut inner = self.enqueue(best, None, &mut inner_tail);
            while let Some(q) = inner {
                self.place(q, &mut inner_tail, Some((&mut outer_head, &mut *tail)));
                inner = self.next[q];
            }
        }
        self.next[entry] = outer_head;
    }

    /// Breadth-first distances inside loop `l`, along "needs" relations,
    /// from the members whose first in-loop hard relation leads elsewhere.
    fn rank_members(&mut self, l: usize) {
        let id = FIRST_LOOP + l as i64;
        let members = self.loops[l].members.clone();
        let mut queue = Vec::with_capacity(members.len());
        for &m in &members {
            self.low[m] = FAR;
            if let Some(r) = self.needs[m]
                .iter()
                .rev()
                .find(|r| r.hard && self.mark[r.other] == id)
            {
                if r.other != m {
                    self.low[m] = 0;
                    queue.push(m);
                } else {
                    self.low[m] = FAR / 2;
                }
            }
        }
        if queue.is_empty() {
            queue.extend(members.iter().copied().filter(|&m| self.low[m] != FAR));
        }
        let mut at = 0;
        while at < queue.len() {
            let t = queue[at];
            at += 1;
            for i in (0..self.needs[t].len()).rev() {
                let nx = self.needs[t][i].other;
                if self.mark[nx] != id {
                    continue;
                }
                if self.low[nx] > self.low[t] + 1 {
                    self.low[nx] = self.low[t] + 1;
                    queue.push(nx);
                }
            }
        }
    }
}

// ---------------------------------------------------------------- from a pool

/// The packages of `packages` in the order rpm installs them when dnf 4.14
/// installs exactly this set into an empty root.
///
/// dnf hands rpm its transaction in libsolv's solvable order (it adds
/// `goal.list_installs()`, a package set iterated by solvable id, one by one
/// to rpm in `_populate_rpm_ts`, and calls `ts.order()` once). Solvable ids
/// follow the order repositories are loaded and, within one, primary.xml;
/// so does [`PkgId`] when the pool's repositories are in dnf's order. That is
/// the input order here: `packages` sorted by id (duplicates dropped).
pub fn install_order(pool: &Pool, packages: &[PkgId]) -> Vec<PkgId> {
    let mut ids = packages.to_vec();
    ids.sort_unstable();
    ids.dedup();
    rpm_order(&order_input(pool, &ids))
        .into_iter()
        .map(|i| ids[i])
        .collect()
}

/// The [`rpm_order`] input for a transaction of `packages`, in this order,
/// from their repository metadata.
///
/// What primary.xml cannot say, and how it is read here:
/// - Its `pre="1"` marks a Requires whose rpm flags have `%pre`, `%post` or
///   legacy PreReq (createrepo_c; since 1.1.1 also `%pretrans` and
///   `%posttrans`). rpm orders by `%pre`/`%post`/PreReq as hard relations
///   but skips `%pretrans`/`%posttrans`-only, `%verify`-only and
///   `Requires(meta)` dependencies altogether; primary.xml shows those as
///   ordinary (or, for the transaction ones since 1.1.1, as `pre`)
///   requirements, so here they order like one.
/// - OrderWithRequires is not in primary.xml at all.
/// - File colours are not either, so every package is colourless here. On a
///   64-bit host rpm prefers, among several providers of one dependency, the
///   one whose ELF64 files generated dependencies; here the first in
///   transaction order wins. (In CentOS Stream 9's `@core` no dependency
///   has two providers in the transaction, so this never comes up there.)
/// - Only the files primary.xml lists (or filelists, if loaded) can satisfy a
///   file dependency; rpm sees every file of the package (`%doc` files
///   excepted under `--excludedocs`).
///
/// What rpm does drop, this drops too: `rpmlib(...)` dependencies (rpm keeps
/// them out of ordering; createrepo_c leaves them out of primary.xml anyway)
/// and dependencies a package satisfies itself.
pub fn order_input(pool: &Pool, packages: &[PkgId]) -> Vec<OrderElement> {
    // Every package provides `name = epoch:version-release` (the pool's
    // index adds it where the metadata does not list it, as rpm does for
    // headers too old to carry it).
    let mut provides: HashMap<&str, Vec<(usize, &Dep)>> = HashMap::new();
    let mut files: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, &id) in packages.iter().enumerate() {
        for d in pool.deps(id, DepKind::Provides) {
            provides.entry(d.name.as_str()).or_default().push((i, d));
        }
        for f in &pool.get(id).files {
            files.entry(f.as_str()).or_default().push(i);
        }
    }
    let index = Index { provides, files };
    packages
        .iter()
        .map(|&id| {
            let mut deps = Vec::new();
            for (dep, pre) in pool.requires(id) {
                index.add(dep, pre, false, &mut deps);
            }
            for d in pool
                .deps(id, DepKind::Recommends)
                .chain(pool.deps(id, DepKind::Suggests))
            {
                index.add(d, false, false, &mut deps);
            }
            for d in pool
                .deps(id, DepKind::Supplements)
                .chain(pool.deps(id, DepKind::Enhances))
            {
                index.add(d, false, true, &mut deps);
            }
            OrderElement { color: 0, deps }
        })
        .collect()
}

/// What the transaction provides, as rpm's lookup of added packages sees it.
struct Index<'p> {
    provides: HashMap<&'p str, Vec<(usize, &'p Dep)>>,
    files: HashMap<&'p str, Vec<usize>>,
}

impl Index<'_> {
    fn add(&self, dep: &Dep, prereq: bool, reverse: bool, out: &mut Vec<OrderDep>) {
        let mut leaves = Vec::new();
        if dep.is_rich() {
            rich_ordering_operands(&dep.name, &mut leaves);
        } else {
            leaves.push(dep.clone());
        }
        for leaf in leaves {
            if leaf.name.starts_with("rpmlib(") {
                continue;
            }
            let providers = self.providers(&leaf);
            if !providers.is_empty() {
                out.push(OrderDep {
                    providers,
                    prereq,
                    reverse,
                    color: 0,
                });
            }
        }
    }

    /// Packages that satisfy `dep`, in transaction order. A path is looked
    /// up among the files first; only when no package has that file do
    /// provides count.
    fn providers(&self, dep: &Dep) -> Vec<usize> {
        if dep.name.starts_with('/') {
            if let Some(owners) = self.files.get(dep.name.as_str()) {
                let mut v = owners.clone();
                v.dedup();
                return v;
            }
        }
        let mut v: Vec<usize> = self
            .provides
            .get(dep.name.as_str())
            .into_iter()
            .flatten()
            .filter(|(_, p)| p.ranges_overlap(dep))
            .map(|&(i, _)| i)
            .collect();
        v.dedup();
        v
    }
}

// ---------------------------------------------------------------- rich deps

/// The operands rpm orders a rich dependency by: both sides of `and` and
/// `or` (so every operand of a chain), only the left side of `if`,
/// `unless`, `with` and `without` (rpm never orders by an `else` branch),
/// recursively. A malformed expression orders by nothing, as in rpm.
fn rich_ordering_operands(text: &str, out: &mut Vec<Dep>) {
    if let Ok(expr) = DepExpr::parse_header(text) {
        collect_operands(&expr, out);
    }
}

fn collect_operands(expr: &DepExpr, out: &mut Vec<Dep>) {
    match expr {
        DepExpr::Dep(d) => out.push(d.clone()),
        DepExpr::And(v) | DepExpr::Or(v) => v.iter().for_each(|e| collect_operands(e, out)),
        DepExpr::With(v) => collect_operands(&v[0], out),
        DepExpr::Without(first, _) | DepExpr::If(first, _, _) | DepExpr::Unless(first, _, _) => {
            collect_operands(first, out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needs(providers: &[usize]) -> OrderDep {
        OrderDep {
            providers: providers.to_vec(),
            ..OrderDep::default()
        }
    }

    fn pre(provider: usize) -> OrderDep {
        OrderDep {
            prereq: true,
            ..needs(&[provider])
        }
    }

    fn el(deps: Vec<OrderDep>) -> OrderElement {
        OrderElement { color: 0, deps }
    }

    #[test]
    fn empty_and_single() {
        assert!(rpm_order(&[]).is_empty());
        assert_eq!(rpm_order(&[el(vec![needs(&[0])])]), vec![0]);
    }

    #[test]
    fn ready_packages_of_equal_weight_go_newest_first() {
        // Nothing depends on anything: rpm queues each newly ready package
        // before the ready ones of the same weight.
        assert_eq!(
            rpm_order(&[el(vec![]), el(vec![]), el(vec![])]),
            vec![2, 1, 0]
        );
    }

    #[test]
    fn providers_first_and_heavier_first() {
        // 0 needs 1, 1 needs 2; 3 stands alone; 2 is needed, so it leads.
        let order = rpm_order(&[
            el(vec![needs(&[1])]),
            el(vec![needs(&[2])]),
            el(vec![]),
            el(vec![]),
        ]);
        assert_eq!(order, vec![2, 1, 0, 3]);
    }

    #[test]
    fn a_loop_is_broken_at_a_plain_requirement() {
        // 0 needs 1 for %pre, 1 needs 0 plainly: 1 goes first whichever way
        // the loop is entered.
        assert_eq!(
            rpm_order(&[el(vec![pre(1)]), el(vec![needs(&[0])])]),
            vec![1, 0]
        );
        assert_eq!(
            rpm_order(&[el(vec![needs(&[1])]), el(vec![pre(0)])]),
            vec![0, 1]
        );
    }

    #[test]
    fn reverse_dependencies_point_the_other_way() {
        // 0 supplements something 1 provides: 0 is installed before 1.
        let sup = OrderDep {
            reverse: true,
            ..needs(&[1])
        };
        assert_eq!(rpm_order(&[el(vec![]), el(vec![])]), vec![1, 0]);
        assert_eq!(rpm_order(&[el(vec![sup]), el(vec![])]), vec![0, 1]);
    }

    #[test]
    fn provider_choice() {
        let els = vec![
            el(vec![]),
            el(vec![]),
            OrderElement {
                color: 2,
                deps: vec![],
            },
        ];
        // the first provider, unless the package provides it itself
        assert_eq!(pick_provider(&els, 0, &needs(&[1, 0])), Some(0));
        assert_eq!(pick_provider(&els, 0, &needs(&[1])), Some(1));
        assert_eq!(pick_provider(&els, 0, &needs(&[])), None);
        // a provider of the preferred colour beats the first one
        assert_eq!(pick_provider(&els, 0, &needs(&[1, 2])), Some(2));
    }

    #[test]
    fn a_long_chain_does_not_exhaust_the_stack() {
        let n = 100_000;
        let els: Vec<OrderElement> = (0..n)
            .map(|i| el(if i > 0 { vec![needs(&[i - 1])] } else { vec![] }))
            .collect();
        assert_eq!(rpm_order(&els), (0..n).collect::<Vec<_>>());
        // and one big loop
        let els: Vec<OrderElement> = (0..n).map(|i| el(vec![needs(&[(i + 1) % n])])).collect();
        let mut order = rpm_order(&els);
        order.sort_unstable();
        assert_eq!(order, (0..n).collect::<Vec<_>>());
    }

    fn operands(s: &str) -> Vec<String> {
        let mut out = Vec::new();
        rich_ordering_operands(s, &mut out);
        out.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn rich_operands_rpm_orders_by() {
        assert_eq!(operands("(a or b)"), ["a", "b"]);
        assert_eq!(operands("(a and b >= 2 and c)"), ["a", "b >= 2", "c"]);
        assert_eq!(operands("(a if b else c)"), ["a"]);
        assert_eq!(operands("(a unless b)"), ["a"]);
        assert_eq!(operands("(a with b)"), ["a"]);
        assert_eq!(operands("(a without b)"), ["a"]);
        assert_eq!(
            operands("((a or b) and python3dist(c) < 3)"),
            ["a", "b", "python3dist(c) < 3"]
        );
        assert_eq!(operands("(foo(x) if (bar or baz))"), ["foo(x)"]);
        assert!(operands("(a or").is_empty());
        assert!(operands("(a xor b)").is_empty());
        assert!(operands("(a or b) junk").is_empty());
    }
}
