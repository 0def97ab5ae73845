//! The solver: conflict-driven clause learning over package rules, with the
//! decision procedure of libsolv, the solver behind dnf.
//!
//! dnf's answer depends on more than which install sets are valid: on which
//! requirement is decided first, which alternative the policy prefers, how a
//! conflict backtracks, when weak dependencies are tried and how a choice is
//! revisited once a later decision made it redundant. Matching dnf therefore
//! means doing those steps the way libsolv does them (`solver_run_sat`):
//!
//! 1. unit rules (assertions) are decided and propagated;
//! 2. each job rule is fulfilled with the best candidate (`policy`);
//! 3. the package rules are scanned in order, and every unfulfilled
//!    requirement is fulfilled with the best provider, unambiguous ones first;
//! 4. weak dependencies: supplemented packages, then recommended ones;
//! 5. minimization: a choice among alternatives whose other alternative got
//!    installed anyway (or is recommended) is taken again with that one.
//!
//! Conflicts are analysed into learnt rules (1-UIP) and the solver jumps
//! back. A conflict at the first level makes a problem: its job rules are
//! disabled, the proof is kept for the explanation, and solving goes on so
//! that every problem of the request is found.

use rustc_hash::FxHashMap;

use super::jobs::{Job, JobWhat};
use super::rules::{lit, pkg, Lit, Rules, Why, SYSTEM};
use crate::repo::{DepId, DepIndex, PkgId, Pool};
use crate::rpm::DepExpr;
use crate::rpm::DepKind;

/// Why a decision at a level was made (for takebranch, and explanations).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reason {
    Unrelated,
    ResolveJob,
    Resolve,
    Weak,
}

pub(crate) struct Solver<'p> {
    pub(crate) pool: &'p Pool,
    pub(crate) index: &'p DepIndex,
    /// Packages the request may install (arch-compatible, not excluded).
    pub(crate) considered: Vec<bool>,
    /// Installonly packages: several versions of one name may be installed.
    pub(crate) multiversion: Vec<bool>,
    pub(crate) jobs: Vec<Job>,
    pub(crate) weak_deps: bool,

    pub(crate) r: Rules,
    pub(crate) pkgrules_end: usize,
    pub(crate) jobrules: usize,
    pub(crate) jobrules_end: usize,
    pub(crate) learntrules: usize,
    /// Job index of each job rule.
    pub(crate) rule_to_job: Vec<u32>,
    /// Rules that may be dropped to solve a problem (optional jobs).
    pub(crate) weak_rules: Vec<bool>,
    pub(crate) rule_assertions: Vec<usize>,
    pub(crate) watches: Vec<u32>,
    /// Providers of a dependency among the considered packages, as an
    /// offset into the rule literal arena.
    pub(crate) provider_lists: FxHashMap<DepId, u32>,

    /// Per literal variable: 0 undecided, ±level of the decision.
    pub(crate) decisionmap: Vec<i32>,
    pub(crate) decisionq: Vec<Lit>,
    /// The rule that implied each decision; <= 0 for a free decision.
    pub(crate) decisionq_why: Vec<i32>,
    pub(crate) decisionq_reason: Vec<Reason>,
    pub(crate) propagate_index: usize,
    /// Open alternatives: `[-tried, others..., pkg, data, size, level]` groups.
    pub(crate) branches: Vec<i32>,
    /// Proofs: zero-terminated lists of rule ids.
    pub(crate) learnt_pool: Vec<i32>,
    pub(crate) learnt_why: Vec<usize>,
    /// Problems: `[proof, problem ids..., 0]` each; a problem id is a rule
    /// id, or `-(job + 1)`.
    pub(crate) problems: Vec<i32>,
    pub(crate) recommends_map: Vec<bool>,
    pub(crate) suggests_map: Vec<bool>,
    pub(crate) recommends_index: Option<usize>,
    pub(crate) seen: Vec<bool>,
    pub(crate) postponed: super::weak::Postponed,
    pub(crate) arch: &'p crate::rpm::ArchPolicy,
}

/// Policy modes (libsolv's POLICY_MODE_*).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Choose,
    ChooseNoReorder,
    Recommend,
    Supplement,
}

impl<'p> Solver<'p> {
    pub fn new(
        pool: &'p Pool,
        considered: Vec<bool>,
        multiversion: Vec<bool>,
        jobs: Vec<Job>,
        weak_deps: bool,
    ) -> Self {
        let nvars = pool.packages.len() + 2;
        let mut s = Solver {
            pool,
            index: pool.index(),
            considered,
            multiversion,
            jobs,
            weak_deps,
            r: Rules::new(),
            pkgrules_end: 0,
            jobrules: 0,
            jobrules_end: 0,
            learntrules: 0,
            rule_to_job: Vec::new(),
            weak_rules: Vec::new(),
            rule_assertions: Vec::new(),
            watches: Vec::new(),
            provider_lists: FxHashMap::default(),
            decisionmap: vec![0; nvars],
            decisionq: Vec::new(),
            decisionq_why: Vec::new(),
            decisionq_reason: Vec::new(),
            propagate_index: 0,
            branches: Vec::new(),
            learnt_pool: vec![0],
            learnt_why: Vec::new(),
            problems: Vec::new(),
            recommends_map: vec![false; nvars],
            suggests_map: vec![false; nvars],
            recommends_index: Some(0),
            seen: vec![false; nvars],
            postponed: Default::default(),
            arch: pool.arch_policy(),
        };
        s.build_rules();
        s
    }

    pub fn nvars(&self) -> usize {
        self.decisionmap.len()
    }

    pub fn is_considered(&self, p: Lit) -> bool {
        p == SYSTEM || self.considered[pkg(p).0 as usize]
    }

    pub fn is_multiversion(&self, p: Lit) -> bool {
        p != SYSTEM && self.multiversion[pkg(p).0 as usize]
    }

    // ------------------------------------------------------------ providers

    /// The parsed form of a rich dependency, borrowed from the pool (not
    /// from the solver, which its callers go on changing).
    pub fn rich(&self, d: DepId) -> Option<&'p Result<DepExpr, crate::rpm::DepError>> {
        let index: &'p DepIndex = self.index;
        index.rich(d)
    }

    /// The considered providers of `d` as a literal list offset.
    pub fn providers(&mut self, d: DepId) -> u32 {
        if let Some(&off) = self.provider_lists.get(&d) {
            return off;
        }
        let ids: Vec<PkgId> = match self.rich(d) {
            Some(Ok(expr)) => self.expr_providers(expr),
            Some(Err(_)) => Vec::new(),
            None => self.index.whatprovides(d).to_vec(),
        };
        let lits: Vec<Lit> = ids
            .into_iter()
            .map(lit)
            .filter(|&l| self.is_considered(l))
            .collect();
        let off = self.r.push_list(&lits);
        self.provider_lists.insert(d, off);
        off
    }

    /// Providers of an operand of a rich dependency (or of a request's
    /// conditional group member, which the metadata may not mention).
    pub fn operand_providers(&mut self, dep: &crate::rpm::Dep) -> u32 {
        match self.index.operand(dep) {
            Some(d) => self.providers(d),
            None => {
                let lits: Vec<Lit> = self
                    .index
                    .providers_of(dep)
                    .into_iter()
                    .map(lit)
                    .filter(|&l| self.is_considered(l))
                    .collect();
                self.r.push_list(&lits)
            }
        }
    }

    /// What provides a rich expression read as a set of packages, as libsolv
    /// reads one (pool_addrelproviders): `or` is the union, `with` the
    /// intersection, `without` the difference, and `and`/`if`/`unless`
    /// assume the best case (the union of the first operand and the
    /// second, or the `else` branch).
    pub fn expr_providers(&mut self, expr: &DepExpr) -> Vec<PkgId> {
        let union = |mut a: Vec<PkgId>, b: Vec<PkgId>| {
            a.extend(b);
            a.sort_unstable();
            a.dedup();
            a
        };
        match expr {
            DepExpr::Dep(dep) => {
                let off = self.operand_providers(dep);
                self.r.list(off).iter().map(|&l| pkg(l)).collect()
            }
            DepExpr::Or(v) => v.iter().fold(Vec::new(), |acc, e| {
                let next = self.expr_providers(e);
                union(acc, next)
            }),
            DepExpr::And(v) => v.iter().fold(Vec::new(), |acc, e| {
                let next = self.expr_providers(e);
                union(acc, next)
            }),
            DepExpr::With(v) => {
                let mut acc = self.expr_providers(&v[0]);
                for e in &v[1..] {
                    let next = self.expr_providers(e);
                    acc.retain(|p| next.binary_search(p).is_ok());
                }
                acc
            }
            DepExpr::Without(a, b) => {
                let mut acc = self.expr_providers(a);
                let minus = self.expr_providers(b);
                acc.retain(|p| minus.binary_search(p).is_err());
                acc
            }
            DepExpr::If(then, _, otherwise) | DepExpr::Unless(then, _, otherwise) => {
                let first = self.expr_providers(then);
                match otherwise {
                    Some(e) => {
                        let second = self.expr_providers(e);
                        union(first, second)
                    }
                    None => first,
                }
            }
        }
    }

    /// Whether a package's NEVR matches a dependency (Obsoletes match names,
    /// not provides, as rpm does by default).
    pub fn matches_nevr(&self, p: Lit, d: DepId) -> bool {
        let pkg = self.pool.get(pkg(p));
        let dep = self.index.dep(d);
        dep.name == pkg.name && dep.matches_evr(&pkg.evr)
    }

    pub fn list(&self, p: Lit, kind: DepKind) -> &'p [DepId] {
        self.index.list(pkg(p), kind)
    }

    // ------------------------------------------------------------ rules

    fn build_rules(&mut self) {
        let n = self.pool.packages.len();
        let mut added = vec![false; n + 2];
        added[SYSTEM as usize] = true;
        // The jobs are read while rules are added to `self`.
        let jobs = std::mem::take(&mut self.jobs);
        for job in &jobs {
            for p in self.job_candidates(job) {
                self.add_pkg_rules_for(p, &mut added);
            }
        }
        self.add_pkg_rules_for_weak(&mut added);
        self.r.unify();
        self.r.end_pkg_rules();
        self.pkgrules_end = self.r.len();

        self.jobrules = self.r.len();
        for (j, job) in jobs.iter().enumerate() {
            self.add_job_rules(j, job);
        }
        self.jobs = jobs;
        self.jobrules_end = self.r.len();
        self.learntrules = self.r.len();
        self.weak_rules.resize(self.r.len(), false);
        for (k, &job) in self.rule_to_job.iter().enumerate() {
            if self.jobs[job as usize].weak {
                self.weak_rules[self.jobrules + k] = true;
            }
        }
        self.make_watches();
        self.rule_assertions = (1..self.r.len())
            .filter(|&i| {
                let r = &self.r.rules[i];
                r.p != 0 && r.w2 == 0 && r.d == 0
            })
            .collect();
    }

    /// Candidates of a job, as literals (libsolv's FOR_JOB_SELECT).
    fn job_candidates(&mut self, job: &Job) -> Vec<Lit> {
        match &job.what {
            JobWhat::OneOf(ids) => ids.iter().map(|&id| lit(id)).collect(),
            JobWhat::Complex(expr) => self
                .expr_providers(expr)
                .into_iter()
                .map(lit)
                .filter(|&l| self.is_considered(l))
                .collect(),
        }
    }

    fn add_job_rules(&mut self, j: usize, job: &Job) {
        let why = Why::Job(j as u32);
        let before = self.r.len();
        match &job.what {
            JobWhat::OneOf(ids) => {
                let lits: Vec<Lit> = if ids.is_empty() {
                    vec![-SYSTEM]
                } else {
                    ids.iter().map(|&id| lit(id)).collect()
                };
                let d = if lits.len() > 1 {
                    self.r.push_list(&lits[1..])
                } else {
                    0
                };
                self.r.add(lits[0], 0, d, why);
            }
            JobWhat::Complex(expr) => {
                let mut bq = Vec::new();
                match self.normalize(expr, &mut bq, super::cplx::EXPAND) {
                    0 => {
                        self.r.add(-SYSTEM, 0, 0, why);
                    }
                    1 => {}
                    _ => {
                        for block in bq.split(|&l| l == 0).filter(|b| !b.is_empty()) {
                            match block {
                                [only] => self.r.add(*only, 0, 0, why),
                                [a, b] => self.r.add(*a, *b, 0, why),
                                [first, rest @ ..] => {
                                    let d = self.r.push_list(rest);
                                    self.r.add(*first, 0, d, why)
                                }
                                [] => unreachable!("empty blocks are filtered"),
                            };
                        }
                    }
                }
            }
        }
        for _ in before..self.r.len() {
            self.rule_to_job.push(j as u32);
        }
    }

    /// Package rules for `start` and everything it may pull in, breadth
    /// first (libsolv's solver_addpkgrulesforsolvable).
    pub fn add_pkg_rules_for(&mut self, start: Lit, added: &mut [bool]) {
        let mut work = std::collections::VecDeque::from([start]);
        while let Some(n) = work.pop_front() {
            if std::mem::replace(&mut added[n as usize], true) {
                continue;
            }
            if !self.is_considered(n) {
                self.r.add(-n, 0, 0, Why::NotInstallable(n));
            }
            self.add_requires_rules(n, added, &mut work);
            self.add_conflict_rules(n, added, &mut work);
            self.add_obsoletes_rules(n, added);
            // Weak dependencies do not make rules, but their targets may get
            // installed, so they need rules of their own.
            for kind in [DepKind::Recommends, DepKind::Suggests] {
                for &d in self.list(n, kind) {
                    let targets = match self.rich(d) {
                        Some(Ok(expr)) => self.positive_literals(expr),
                        _ => {
                            let off = self.providers(d);
                            self.r.list(off).to_vec()
                        }
                    };
                    work.extend(targets.into_iter().filter(|&p| !added[p as usize]));
                }
            }
        }
    }

    fn add_requires_rules(
        &mut self,
        n: Lit,
        added: &[bool],
        work: &mut std::collections::VecDeque<Lit>,
    ) {
        for &req in self.list(n, DepKind::Requires) {
            if self.index.dep(req).name.starts_with("rpmlib(") {
                continue;
            }
            if let Some(Ok(expr)) = self.rich(req) {
                if super::cplx::is_complex(expr) {
                    self.add_complex_rules(n, req, expr, false, added, work);
                    continue;
                }
            }
            let off = self.providers(req);
            let providers = self.r.list(off);
            if providers.is_empty() {
                self.r.add(-n, 0, 0, Why::NothingProvides(n, req));
                continue;
            }
            if providers.contains(&n) {
                continue;
            }
            work.extend(providers.iter().copied().filter(|&p| !added[p as usize]));
            self.r.add(-n, 0, off, Why::Requires(n, req));
        }
    }

    fn add_conflict_rules(
        &mut self,
        n: Lit,
        added: &[bool],
        work: &mut std::collections::VecDeque<Lit>,
    ) {
        for &con in self.list(n, DepKind::Conflicts) {
            if let Some(Ok(expr)) = self.rich(con) {
                if super::cplx::is_complex(expr) {
                    self.add_complex_rules(n, con, expr, true, added, work);
                    continue;
                }
            }
            let off = self.providers(con);
            for p in self.r.list(off).to_vec() {
                // A package may conflict with itself: rpm ignores that.
                if p != n {
                    self.r.add(-n, -p, 0, Why::Conflicts(n, con));
                }
            }
        }
    }

    /// Obsoletes (by name) and the implicit obsoletes between versions of
    /// one name, which installonly packages do not have.
    fn add_obsoletes_rules(&mut self, n: Lit, added: &[bool]) {
        for &obs in self.list(n, DepKind::Obsoletes) {
            let mut at = self.providers(obs) as usize;
            while self.r.lits[at] != 0 {
                let p = self.r.lits[at];
                if p != n && self.matches_nevr(p, obs) {
                    self.r.add(-n, -p, 0, Why::Obsoletes(n, obs));
                }
                at += 1;
            }
        }
        let me = self.pool.get(pkg(n));
        let multi = self.is_multiversion(n);
        for &other in self.pool.same_name(pkg(n)) {
            let p = lit(other);
            if p == n || !self.is_considered(p) {
                continue;
            }
            let them = self.pool.get(other);
            if multi && (me.evr != them.evr || me.arch != them.arch) {
                continue;
            }
            // A 32-bit and a 64-bit package of one name install side by
            // side (multilib).
            if crate::rpm::colors_differ(&me.arch, &them.arch) {
                continue;
            }
            // Added when the other package was visited.
            if added[p as usize] && !self.is_multiversion(p) {
                continue;
            }
            self.r.add(-n, -p, 0, Why::SameName);
        }
    }

    /// Packages not pulled in by anything, whose Supplements or Enhances
    /// could come true, need rules too (libsolv's solver_addpkgrulesforweak).
    fn add_pkg_rules_for_weak(&mut self, added: &mut [bool]) {
        let total = self.pool.packages.len();
        if total == 0 || !self.weak_deps {
            return;
        }
        let (mut i, mut seen) = (0usize, 0usize);
        while seen < total {
            let p = lit(PkgId(i as u32));
            i = (i + 1) % total;
            seen += 1;
            if added[p as usize] || !self.is_considered(p) {
                continue;
            }
            let possible = [DepKind::Supplements, DepKind::Enhances]
                .iter()
                .any(|&kind| {
                    self.list(p, kind)
                        .iter()
                        .any(|&d| self.dep_possible(d, added))
                });
            if possible {
                self.add_pkg_rules_for(p, added);
                seen = 0;
            }
        }
    }

    /// Whether a dependency could be met by packages that have rules.
    fn dep_possible(&mut self, d: DepId, added: &[bool]) -> bool {
        match self.rich(d) {
            Some(Ok(expr)) => self.expr_possible(expr, added),
            Some(Err(_)) => false,
            None => {
                let off = self.providers(d);
                self.r.list(off).iter().any(|&p| added[p as usize])
            }
        }
    }

    fn expr_possible(&mut self, expr: &DepExpr, added: &[bool]) -> bool {
        match expr {
            DepExpr::If(..) | DepExpr::Unless(..) => true,
            DepExpr::And(v) => v.iter().all(|e| self.expr_possible(e, added)),
            DepExpr::Or(v) => v.iter().any(|e| self.expr_possible(e, added)),
            _ => self
                .expr_providers(expr)
                .into_iter()
                .any(|p| added[lit(p) as usize] && self.is_considered(lit(p))),
        }
    }

    fn make_watches(&mut self) {
        let nvars = self.nvars();
        self.watches = vec![0; 2 * nvars];
        for i in (1..self.r.len()).rev() {
            self.add_watches(i);
        }
    }

    fn watch_slot(&self, l: Lit) -> usize {
        (self.nvars() as i64 + l as i64) as usize
    }

    fn add_watches(&mut self, i: usize) {
        let (w1, w2) = (self.r.rules[i].w1, self.r.rules[i].w2);
        if w2 == 0 {
            return;
        }
        let (s1, s2) = (self.watch_slot(w1), self.watch_slot(w2));
        self.r.rules[i].n1 = self.watches[s1];
        self.watches[s1] = i as u32;
        self.r.rules[i].n2 = self.watches[s2];
        self.watches[s2] = i as u32;
    }

    // ------------------------------------------------------------ decisions

    pub fn is_true(&self, l: Lit) -> bool {
        let v = self.decisionmap[l.unsigned_abs() as usize];
        if l > 0 {
            v > 0
        } else {
            v < 0
        }
    }

    fn is_false(&self, l: Lit) -> bool {
        let v = self.decisionmap[l.unsigned_abs() as usize];
        if l > 0 {
            v < 0
        } else {
            v > 0
        }
    }

    fn decide(&mut self, l: Lit, level: i32, why: i32) {
        self.decisionmap[l.unsigned_abs() as usize] = if l > 0 { level } else { -level };
        self.decisionq.push(l);
        self.decisionq_why.push(why);
    }

    /// Unit propagation over the watch lists; the rule in conflict, if any.
    fn propagate(&mut self, level: i32) -> Option<usize> {
        while self.propagate_index < self.decisionq.len() {
            let pkg_lit = -self.decisionq[self.propagate_index];
            self.propagate_index += 1;
            let slot = self.watch_slot(pkg_lit);
            // `prev` is where the link to the current rule lives: a watch
            // list head, or a rule's n1/n2.
            enum Link {
                Head(usize),
                N1(usize),
                N2(usize),
            }
            let mut prev = Link::Head(slot);
            let mut rid = self.watches[slot] as usize;
            while rid != 0 {
                let rule = self.r.rules[rid];
                let (other, next) = if pkg_lit == rule.w1 {
                    (rule.w2, rule.n1)
                } else {
                    (rule.w1, rule.n2)
                };
                let here = if pkg_lit == rule.w1 {
                    Link::N1(rid)
                } else {
                    Link::N2(rid)
                };
                if rule.disabled || self.is_true(other) {
                    prev = here;
                    rid = next as usize;
                    continue;
                }
                if rule.d != 0 {
                    let replacement = if rule.p != other && !self.is_false(rule.p) {
                        Some(rule.p)
                    } else {
                        self.r
                            .list(rule.d)
                            .iter()
                            .copied()
                            .find(|&l| l != other && !self.is_false(l))
                    };
                    if let Some(p) = replacement {
                        // Move this rule's watch from pkg_lit to p.
                        match prev {
                            Link::Head(h) => self.watches[h] = next,
                            Link::N1(r) => self.r.rules[r].n1 = next,
                            Link::N2(r) => self.r.rules[r].n2 = next,
                        }
                        let ps = self.watch_slot(p);
                        if pkg_lit == rule.w1 {
                            self.r.rules[rid].w1 = p;
                            self.r.rules[rid].n1 = self.watches[ps];
                        } else {
                            self.r.rules[rid].w2 = p;
                            self.r.rules[rid].n2 = self.watches[ps];
                        }
                        self.watches[ps] = rid as u32;
                        rid = next as usize;
                        continue;
                    }
                }
                if self.is_false(other) {
                    return Some(rid);
                }
                self.decide(other, level, rid as i32);
                prev = here;
                rid = next as usize;
            }
        }
        None
    }

    fn revert(&mut self, level: i32) {
        while let Some(&v) = self.decisionq.last() {
            let d = self.decisionmap[v.unsigned_abs() as usize];
            if d <= level && d >= -level {
                break;
            }
            self.decisionmap[v.unsigned_abs() as usize] = 0;
            self.decisionq.pop();
            self.decisionq_why.pop();
            self.propagate_index = self.decisionq.len();
        }
        while let [.., size, last_level] = self.branches[..] {
            if last_level < level {
                break;
            }
            let keep = self.branches.len() - size as usize;
            self.branches.truncate(keep);
        }
        if self
            .recommends_index
            .is_some_and(|i| i > self.decisionq.len())
        {
            self.recommends_index = None;
        }
        self.decisionq_reason.truncate(level as usize + 1);
    }

    /// Put watch 2 of a learnt rule on the literal decided last.
    fn watch2_on_highest(&mut self, rid: usize) {
        let d = self.r.rules[rid].d;
        if d == 0 {
            return;
        }
        let mut best = 0;
        let mut w2 = self.r.rules[rid].w2;
        for &v in self.r.list(d) {
            let l = self.decisionmap[v.unsigned_abs() as usize].abs();
            if l > best {
                w2 = v;
                best = l;
            }
        }
        self.r.rules[rid].w2 = w2;
    }

    /// 1-UIP conflict analysis: learn a rule, jump back; the new level and
    /// the learnt rule (unit at that level).
    fn analyze(&mut self, level: i32, conflict: usize) -> (i32, usize) {
        let learnt_start = self.learnt_pool.len();
        let mut learnt: Vec<Lit> = Vec::new();
        let mut rlevel = 1;
        let (mut num, mut l1num) = (0, 0);
        let mut idx = self.decisionq.len();
        let mut uip: Lit = 0;
        let mut c = conflict;
        let mut touched: Vec<usize> = Vec::new();
        'outer: loop {
            self.learnt_pool.push(c as i32);
            let lits: Vec<Lit> = self.r.literals(c).collect();
            for v in lits {
                if self.is_true(v) {
                    continue;
                }
                let vv = v.unsigned_abs() as usize;
                if self.seen[vv] {
                    continue;
                }
                self.seen[vv] = true;
                touched.push(vv);
                let l = self.decisionmap[vv].abs();
                if l == 1 {
                    l1num += 1;
                } else if l == level {
                    num += 1;
                } else {
                    learnt.push(v);
                    rlevel = rlevel.max(l);
                }
            }
            loop {
                // l1retry
                if num == 0 {
                    l1num -= 1;
                    if l1num == 0 {
                        break 'outer;
                    }
                }
                let v = loop {
                    idx -= 1;
                    let v = self.decisionq[idx];
                    if self.seen[v.unsigned_abs() as usize] {
                        break v;
                    }
                };
                self.seen[v.unsigned_abs() as usize] = false;
                if num > 0 {
                    num -= 1;
                    if num == 0 {
                        uip = -v;
                        if l1num == 0 {
                            break 'outer;
                        }
                        // Only level-1 marks stay for the level-1 pass.
                        for &q in &learnt {
                            self.seen[q.unsigned_abs() as usize] = false;
                        }
                        l1num += 1;
                        continue;
                    }
                }
                let why = self.decisionq_why[idx];
                if why <= 0 {
                    continue;
                }
                c = why as usize;
                continue 'outer;
            }
        }
        for vv in touched {
            self.seen[vv] = false;
        }
        debug_assert!(uip != 0 && rlevel < level);
        self.learnt_pool.push(0);
        self.revert(rlevel);
        let rid = if learnt.len() < 2 {
            self.r
                .add(uip, learnt.first().copied().unwrap_or(0), 0, Why::Learnt)
        } else {
            let d = self.r.push_list(&learnt);
            self.r.add(uip, 0, d, Why::Learnt)
        }
        .expect("learnt rules are always kept");
        self.learnt_why.push(learnt_start);
        self.weak_rules.push(false);
        if self.r.rules[rid].w2 != 0 {
            self.watch2_on_highest(rid);
            self.add_watches(rid);
        } else {
            self.rule_assertions.push(rid);
        }
        (rlevel, rid)
    }

    /// Decide `decision` at a new level and propagate, learning from
    /// conflicts. The new level, or -1 when unsolvable.
    pub(crate) fn set_propagate_learn(
        &mut self,
        mut level: i32,
        decision: Lit,
        rule: i32,
        reason: Reason,
    ) -> i32 {
        if decision != 0 {
            level += 1;
            self.decide(decision, level, -rule);
            self.decisionq_reason.push(reason);
        }
        while let Some(conflict) = self.propagate(level) {
            if level == 1 {
                return self.analyze_unsolvable(conflict);
            }
            let (new_level, learnt) = self.analyze(level, conflict);
            level = new_level;
            let p = self.r.rules[learnt].p;
            self.decide(p, level, learnt as i32);
        }
        level
    }

    // ------------------------------------------------------------ problems

    fn problem_id(&self, rid: usize) -> i32 {
        if rid >= self.jobrules && rid < self.jobrules_end {
            -(self.rule_to_job[rid - self.jobrules] as i32 + 1)
        } else {
            rid as i32
        }
    }

    fn record_problem(&mut self, rid: usize) {
        let v = self.problem_id(rid);
        let start = self
            .problems
            .iter()
            .rposition(|&x| x == 0)
            .map_or(0, |i| i + 1);
        if !self.problems[start..].contains(&v) {
            self.problems.push(v);
        }
    }

    /// Disable the rules a problem id stands for (a whole job, or one rule).
    fn disable_problem(&mut self, v: i32) {
        if v > 0 {
            self.r.rules[v as usize].disabled = true;
            return;
        }
        let job = (-v - 1) as u32;
        for i in self.jobrules..self.jobrules_end {
            if self.rule_to_job[i - self.jobrules] == job {
                self.r.rules[i].disabled = true;
            }
        }
    }

    /// Learnt rules stay enabled only while every rule they came from is.
    fn enable_disable_learnt_rules(&mut self) {
        for i in self.learntrules..self.r.len() {
            let mut k = self.learnt_why[i - self.learntrules];
            let mut from_disabled = false;
            while self.learnt_pool[k] != 0 {
                if self.r.rules[self.learnt_pool[k] as usize].disabled {
                    from_disabled = true;
                    break;
                }
                k += 1;
            }
            self.r.rules[i].disabled = from_disabled;
        }
    }

    fn reset(&mut self) {
        for &v in &self.decisionq {
            self.decisionmap[v.unsigned_abs() as usize] = 0;
        }
        self.decisionq.clear();
        self.decisionq_why.clear();
        self.decisionq_reason.clear();
        self.recommends_index = None;
        self.propagate_index = 0;
        self.branches.clear();
        self.enable_disable_learnt_rules();
    }

    /// Collect the rules behind a learnt rule (or the rule itself) into the
    /// problem: job rules become problem ids, weak ones are noted.
    fn analyze_unsolvable_rule(
        &mut self,
        rid: usize,
        weak: &mut Vec<usize>,
        rseen: &mut Vec<bool>,
    ) {
        if rid >= self.learntrules {
            let k = rid - self.learntrules;
            if std::mem::replace(&mut rseen[k], true) {
                return;
            }
            let mut i = self.learnt_why[k];
            while self.learnt_pool[i] != 0 {
                let r = self.learnt_pool[i];
                if r > 0 {
                    self.analyze_unsolvable_rule(r as usize, weak, rseen);
                }
                i += 1;
            }
            return;
        }
        if self.weak_rules[rid] {
            weak.push(rid);
        }
        if rid >= self.pkgrules_end {
            self.record_problem(rid);
        }
    }

    /// A conflict at level 1: record the problem and its proof, disable its
    /// job rules (or a weak one) and start over. 0 to go on, -1 if hopeless.
    fn analyze_unsolvable(&mut self, conflict: usize) -> i32 {
        let old_problems = self.problems.len();
        let old_learnt = self.learnt_pool.len();
        self.problems.push(0);
        let mut weak = Vec::new();
        let mut rseen = vec![false; self.r.len().saturating_sub(self.learntrules)];
        let mut involved = vec![false; self.nvars()];
        self.learnt_pool.push(conflict as i32);
        self.analyze_unsolvable_rule(conflict, &mut weak, &mut rseen);
        for v in self.r.literals(conflict).collect::<Vec<_>>() {
            involved[v.unsigned_abs() as usize] = true;
        }
        for idx in (0..self.decisionq.len()).rev() {
            let v = self.decisionq[idx];
            let vv = v.unsigned_abs() as usize;
            if !involved[vv] || v == SYSTEM {
                continue;
            }
            let why = self.decisionq_why[idx];
            debug_assert!(why > 0);
            self.learnt_pool.push(why);
            self.analyze_unsolvable_rule(why as usize, &mut weak, &mut rseen);
            for l in self.r.literals(why as usize).collect::<Vec<_>>() {
                if !self.is_true(l) {
                    involved[l.unsigned_abs() as usize] = true;
                }
            }
        }
        self.problems.push(0);
        if let Some(&last) = weak.iter().max() {
            self.problems.truncate(old_problems);
            self.learnt_pool.truncate(old_learnt);
            let v = self.problem_id(last);
            self.disable_problem(v);
            self.reset();
            return 0;
        }
        self.learnt_pool.push(0);
        self.problems[old_problems] = old_learnt as i32;
        for i in old_problems + 1..self.problems.len() - 1 {
            let v = self.problems[i];
            self.disable_problem(v);
        }
        self.reset();
        0
    }

    /// Decide the unit rules, level 1. A conflict between a job and what
    /// the package rules assert is a problem too.
    fn make_rule_decisions(&mut self) -> i32 {
        debug_assert!(self.decisionq.is_empty());
        self.decide(SYSTEM, 1, 0);
        self.decisionq_reason
            .extend([Reason::Unrelated, Reason::Unrelated]);
        let start = self.decisionq.len();
        'restart: loop {
            while self.decisionq.len() > start {
                let v = self.decisionq.pop().unwrap();
                self.decisionq_why.pop();
                self.decisionmap[v.unsigned_abs() as usize] = 0;
            }
            for pass_weak in [false, true] {
                for k in 0..self.rule_assertions.len() {
                    let ri = self.rule_assertions[k];
                    let r = self.r.rules[ri];
                    if r.disabled || r.p == 0 || r.w2 != 0 {
                        continue;
                    }
                    let is_weak = ri < self.learntrules && self.weak_rules[ri];
                    if is_weak != pass_weak {
                        continue;
                    }
                    let v = r.p;
                    let vv = v.unsigned_abs() as usize;
                    if self.decisionmap[vv] == 0 {
                        self.decide(v, 1, ri as i32);
                        continue;
                    }
                    if self.is_true(v) {
                        continue;
                    }
                    if ri >= self.learntrules {
                        self.r.rules[ri].disabled = true;
                        continue;
                    }
                    if pass_weak {
                        let id = self.problem_id(ri);
                        self.disable_problem(id);
                        continue 'restart;
                    }
                    // A job (or the request's impossibility) against a package rule
                    // or another job: record the problem with its proof.
                    let old = self.problems.len();
                    self.problems.push(0);
                    let i = self
                        .decisionq
                        .iter()
                        .position(|&x| x == -v)
                        .expect("the opposite decision");
                    let ori = if v == -SYSTEM {
                        0
                    } else {
                        self.decisionq_why[i] as usize
                    };
                    if ori < self.pkgrules_end {
                        self.record_problem(ri);
                    } else {
                        for i in self.pkgrules_end..self.learntrules {
                            let rr = self.r.rules[i];
                            if rr.disabled
                                || rr.w2 != 0
                                || (rr.p != vv as i32 && rr.p != -(vv as i32))
                                || self.weak_rules[i]
                            {
                                continue;
                            }
                            self.record_problem(i);
                        }
                    }
                    self.problems.push(0);
                    self.problems[old] = self.learnt_pool.len() as i32;
                    self.learnt_pool.push(ri as i32);
                    if ori != 0 {
                        self.learnt_pool.push(ori as i32);
                    }
                    self.learnt_pool.push(0);
                    for i in old + 1..self.problems.len() - 1 {
                        let pv = self.problems[i];
                        self.disable_problem(pv);
                    }
                    self.enable_disable_learnt_rules();
                    continue 'restart;
                }
            }
            return 1;
        }
    }

    // ------------------------------------------------------------ choices

    pub(crate) fn create_branch(&mut self, level: i32, dq: &[Lit], p: Lit, data: i32) {
        self.branches.push(-dq[0]);
        self.branches.extend_from_slice(&dq[1..]);
        self.branches.push(p);
        self.branches.push(data);
        self.branches.push(dq.len() as i32 + 4);
        self.branches.push(level);
    }

    /// Take the alternative at `pos` of the branch group ending at `end`:
    /// go back to the group's level and decide it the way the original
    /// choice was decided (same rule, same reason).
    fn take_branch(&mut self, pos: usize, end: usize) -> i32 {
        let level = self.branches[end - 1];
        let p = self.branches[pos];
        self.branches[pos] = -p;
        let first_above = self
            .decisionq
            .iter()
            .position(|&v| self.decisionmap[v.unsigned_abs() as usize].abs() > level)
            .expect("the branch's own decision is above its level");
        let rule = -self.decisionq_why[first_above];
        let reason = self.decisionq_reason[level as usize + 1];
        // Keep this branch group through the revert.
        self.branches[end - 1] = 0;
        self.revert(level);
        self.branches[end - 1] = level;
        self.set_propagate_learn(level, p, rule, reason)
    }

    fn select_and_install(
        &mut self,
        level: i32,
        dq: &mut Vec<Lit>,
        rule: usize,
        reason: Reason,
    ) -> i32 {
        if dq.len() > 1 {
            self.filter_unwanted(dq, Mode::Choose);
        }
        if dq.len() > 1 {
            self.create_branch(level, dq, 0, rule as i32);
        }
        self.set_propagate_learn(level, dq[0], rule as i32, reason)
    }

    fn resolve_job_rules(&mut self, mut level: i32) -> i32 {
        let old_level = level;
        let mut i = self.jobrules;
        while i < self.jobrules_end {
            if self.r.rules[i].disabled {
                i += 1;
                continue;
            }
            let mut dq = Vec::new();
            let mut fulfilled = false;
            for l in self.r.literals(i).collect::<Vec<_>>() {
                if l < 0 {
                    if self.decisionmap[(-l) as usize] <= 0 {
                        fulfilled = true;
                        break;
                    }
                } else if self.decisionmap[l as usize] > 0 {
                    fulfilled = true;
                    break;
                } else if self.decisionmap[l as usize] == 0 {
                    dq.push(l);
                }
            }
            if fulfilled || dq.is_empty() {
                i += 1;
                continue;
            }
            let olevel = level;
            level = self.select_and_install(level, &mut dq, i, Reason::ResolveJob);
            if level <= olevel {
                if level == olevel {
                    continue; // try this rule again
                }
                if level < old_level {
                    return level;
                }
                i = self.jobrules;
                continue;
            }
            i += 1;
        }
        level
    }

    /// Fulfil every unfulfilled requirement of what is installed, scanning
    /// the rules in order: unambiguous choices first, then the others.
    fn resolve_dependencies(&mut self, mut level: i32) -> i32 {
        let origlevel = level;
        // The first rule passed over as ambiguous, scanned again from there
        // once nothing unambiguous is left; -1 after that.
        let mut postponed: isize = 0;
        let (mut i, mut n) = (1usize, 1usize);
        let mut dq: Vec<Lit> = Vec::new();
        loop {
            if n >= self.r.len() {
                if postponed <= 0 {
                    break;
                }
                i = postponed as usize;
                postponed = -1;
                n = 1;
            }
            if i >= self.r.len() {
                i = 1;
            }
            let r = self.r.rules[i];
            let cur = i;
            i += 1;
            n += 1;
            if r.disabled {
                continue;
            }
            if r.p < 0 && (r.d == 0 || self.decisionmap[(-r.p) as usize] <= 0) {
                continue;
            }
            dq.clear();
            if r.d == 0 {
                if r.w2 <= 0
                    || self.decisionmap[r.p as usize] != 0
                    || self.decisionmap[r.w2 as usize] != 0
                {
                    continue;
                }
                dq.push(r.p);
                dq.push(r.w2);
            } else {
                if r.p >= 0 {
                    if self.decisionmap[r.p as usize] > 0 {
                        continue;
                    }
                    if self.decisionmap[r.p as usize] == 0 {
                        dq.push(r.p);
                    }
                }
                let mut fulfilled = false;
                for &p in self.r.list(r.d) {
                    if p < 0 {
                        if self.decisionmap[(-p) as usize] <= 0 {
                            fulfilled = true;
                            break;
                        }
                    } else if self.decisionmap[p as usize] > 0 {
                        fulfilled = true;
                        break;
                    } else if self.decisionmap[p as usize] == 0 {
                        dq.push(p);
                    }
                }
                if fulfilled {
                    continue;
                }
            }
            debug_assert!(dq.len() > 1, "a rule with one candidate is unit");
            if dq.len() > 1 && postponed >= 0 {
                self.filter_unwanted(&mut dq, Mode::ChooseNoReorder);
                if dq.len() > 1 {
                    if postponed == 0 {
                        postponed = cur as isize;
                    }
                    continue;
                }
            }
            level = self.select_and_install(level, &mut dq, cur, Reason::Resolve);
            if level < origlevel {
                break;
            }
            n = 1;
        }
        level
    }

    /// The main loop (libsolv's solver_run_sat with disablerules).
    pub fn run(&mut self) {
        let mut level = 0;
        let mut systemlevel = 1;
        loop {
            if level <= 0 {
                if level < 0 {
                    break;
                }
                level = self.make_rule_decisions();
                if let Some(conflict) = self.propagate(level) {
                    level = self.analyze_unsolvable(conflict);
                    continue;
                }
                systemlevel = level + 1;
            }
            if level < systemlevel {
                let olevel = level;
                level = self.resolve_job_rules(level);
                if level < olevel {
                    continue;
                }
                systemlevel = level + 1;
            }
            if level < systemlevel {
                systemlevel = level;
            }
            let olevel = level;
            level = self.resolve_dependencies(level);
            if level < olevel {
                continue;
            }
            if self.weak_deps {
                let (new_level, rerun) = self.resolve_weak(level);
                level = new_level;
                if rerun {
                    continue;
                }
            }
            if let Some((pos, end)) = self.minimization_step() {
                level = self.take_branch(pos, end);
                continue;
            }
            break;
        }
        let _ = systemlevel;
    }

    /// A branch to take again: a choice whose other alternative got
    /// installed later anyway, or a recommended alternative passed over.
    fn minimization_step(&mut self) -> Option<(usize, usize)> {
        if self.branches.is_empty() {
            return None;
        }
        if self
            .recommends_index
            .is_none_or(|i| i < self.decisionq.len())
        {
            self.update_recommends_map();
        }
        let mut found: Option<(usize, usize)> = None;
        let mut endi = self.branches.len();
        while endi > 0 {
            let size = self.branches[endi - 2] as usize;
            let starti = endi - size;
            let l = self.branches[endi - 1];
            let mut lastsi: Option<usize> = None;
            for i in starti..endi - 4 {
                let p = self.branches[i];
                if p <= 0 {
                    continue;
                }
                if self.decisionmap[p as usize] > l {
                    found = Some((i, endi));
                    lastsi = None;
                    break;
                }
                if lastsi.is_none() && (self.recommends_map[p as usize] || self.is_supplementing(p))
                {
                    lastsi = Some(i);
                }
            }
            if let Some(si) = lastsi {
                for i in starti..endi - 4 {
                    let p = -self.branches[i];
                    if p <= 0 || self.decisionmap[p as usize] != l + 1 {
                        continue;
                    }
                    if !(self.recommends_map[p as usize] || self.is_supplementing(p)) {
                        found = Some((si, endi));
                        break;
                    }
                }
            }
            endi = starti;
        }
        found
    }

    /// The install set: every package decided in, in decision order.
    pub fn installed(&self) -> Vec<PkgId> {
        self.decisionq
            .iter()
            .filter(|&&l| l > SYSTEM)
            .map(|&l| pkg(l))
            .collect()
    }

    pub fn has_problems(&self) -> bool {
        !self.problems.is_empty()
    }
}
