//! Weak dependencies: Recommends and Supplements.
//!
//! They never make a request fail, so they are not part of the hard problem.
//! After the hard solve, the packages the install set recommends (or that
//! supplement it) are added where they fit, with everything installed so far
//! pinned, so a weak dependency never changes an earlier decision. The newly
//! added packages may recommend more, so this repeats until nothing new comes
//! up. Like libsolv, supplemented packages are offered before recommended
//! ones, and a hard choice made redundant by what weak dependencies brought
//! in is revisited (libsolv's minimization).

use std::collections::HashSet;

use resolvo::Solver;

use super::minimize::{minimize, Keep};
use super::policy;
use super::provider::Provider;
use super::rich;
use super::{attempt, Job, SolveError};
use crate::rpm::{Dep, DepExpr};
use crate::repo::PkgId;

pub(crate) fn extend(
    solver: &mut Solver<Provider<'_>>,
    job: &Job<'_>,
    hard: Vec<PkgId>,
) -> Result<Vec<PkgId>, SolveError> {
    solver.provider().set_lenient();
    let mut base = hard;
    let mut full = base.clone();
    for _ in 0..MAX_RESTARTS {
        let accepted;
        (full, accepted) = add_weak(solver, job, base.clone())?;
        // What weak dependencies brought in can make a hard choice redundant:
        // perl-Unix-Syslog requires `syslog`, rsyslog is the first provider by
        // name, but systemd arrives as a recommendation and provides it too.
        // libsolv's minimization then keeps systemd and drops rsyslog, and
        // redoes the weak dependencies from there.
        let weak: HashSet<PkgId> = accepted.iter().copied().collect();
        let bystander = |id| {
            if weak.contains(&id) {
                Keep::Bystander
            } else {
                Keep::Needed
            }
        };
        let hard = minimize(solver.provider(), job.request, bystander, full.clone());
        if same_set(&hard, &base) {
            break;
        }
        base = hard;
    }
    Ok(full)
}

/// Redoing weak dependencies after a hard choice changed converges at once in
/// practice; this bounds it regardless.
const MAX_RESTARTS: usize = 4;

/// Add weak dependencies to `base`, round by round. Returns the install set
/// and the weak packages added on purpose.
fn add_weak(
    solver: &mut Solver<Provider<'_>>,
    job: &Job<'_>,
    base: Vec<PkgId>,
) -> Result<(Vec<PkgId>, Vec<PkgId>), SolveError> {
    let mut offered: HashSet<PkgId> = HashSet::new();
    let mut accepted: Vec<PkgId> = Vec::new();
    let mut current = base;
    loop {
        let picks = {
            let provider = solver.provider();
            let installed = InstallSet::new(provider, &current);
            let mut picks = supplemented(provider, &installed, &offered);
            picks.extend(recommended(provider, &installed, &offered, &picks));
            picks
        };
        if picks.is_empty() {
            return Ok((current, accepted));
        }
        offered.extend(&picks);
        current = offer(solver, job, &picks, current, &mut accepted)?;
    }
}

/// Install `picks` on top of `current`, which stays exactly as it is (a weak
/// dependency never changes a decision made before it, as in libsolv): all at
/// once if they fit together, else each one that fits on its own.
///
/// resolvo's soft requirements would be the natural tool, but they drop
/// picks that fit: a soft requirement whose clauses conflict on first
/// encoding is declared unsatisfiable without search (openssh recommended by
/// console-login-helper-messages-motdgen), and conflict analysis for one can
/// backjump over those decided before it.
fn offer(
    solver: &mut Solver<Provider<'_>>,
    job: &Job<'_>,
    picks: &[PkgId],
    current: Vec<PkgId>,
    accepted: &mut Vec<PkgId>,
) -> Result<Vec<PkgId>, SolveError> {
    let mut with_all = current.clone();
    with_all.extend(picks);
    if let Ok(solution) = attempt(solver, job, &with_all)? {
        accepted.extend(picks);
        return Ok(minimize_keeping(
            solver.provider(),
            job,
            &with_all,
            solution,
        ));
    }
    let mut current = current;
    for &pick in picks {
        let mut with_pick = current.clone();
        with_pick.push(pick);
        if let Ok(solution) = attempt(solver, job, &with_pick)? {
            accepted.push(pick);
            current = minimize_keeping(solver.provider(), job, &with_pick, solution);
        }
    }
    Ok(current)
}

/// Drop only what the picks' own alternatives made redundant.
fn minimize_keeping(
    provider: &Provider<'_>,
    job: &Job<'_>,
    keep: &[PkgId],
    solution: Vec<PkgId>,
) -> Vec<PkgId> {
    let keep: HashSet<PkgId> = keep.iter().copied().collect();
    minimize(
        provider,
        job.request,
        |id| {
            if keep.contains(&id) {
                Keep::Pinned
            } else {
                Keep::Needed
            }
        },
        solution,
    )
}

fn same_set(a: &[PkgId], b: &[PkgId]) -> bool {
    let (mut a, mut b) = (a.to_vec(), b.to_vec());
    a.sort_unstable();
    b.sort_unstable();
    a == b
}

struct InstallSet<'a, 'p> {
    provider: &'a Provider<'p>,
    ids: Vec<PkgId>,
    member: Vec<bool>,
    names: HashSet<&'p str>,
}

impl<'a, 'p> InstallSet<'a, 'p> {
    fn new(provider: &'a Provider<'p>, ids: &[PkgId]) -> Self {
        let pool = provider.pool;
        let mut member = vec![false; pool.packages.len()];
        for id in ids {
            member[id.0 as usize] = true;
        }
        let mut ids = ids.to_vec();
        ids.sort_by(|&a, &b| policy::compare_alternatives(pool, a, b));
        let names = ids.iter().map(|&id| pool.get(id).name.as_str()).collect();
        InstallSet {
            provider,
            ids,
            member,
            names,
        }
    }

    fn has(&self, id: PkgId) -> bool {
        self.member[id.0 as usize]
    }

    /// Whether a package could still be added: not excluded and no other
    /// version of its name installed.
    fn can_add(&self, id: PkgId) -> bool {
        !self.provider.is_excluded(id)
            && !self
                .names
                .contains(self.provider.pool.get(id).name.as_str())
    }

    fn atom_installed(&self, atom: &DepExpr) -> bool {
        self.provider.atom_any(atom, |id| self.has(id))
    }

    /// Whether a weak dependency already holds. Unparseable rich deps count as
    /// holding: a weak dependency we cannot read is not worth acting on.
    fn satisfied(&self, dep: &Dep) -> bool {
        if !dep.is_rich() {
            return self.provider.providers(dep).iter().any(|&id| self.has(id));
        }
        match &*self.provider.parse_rich(&dep.name) {
            Ok(r) => r.eval(&mut |atom| self.atom_installed(atom)),
            Err(_) => true,
        }
    }

    /// Packages that would help satisfy an unsatisfied weak dependency.
    fn helpers(&self, dep: &Dep) -> Vec<PkgId> {
        if !dep.is_rich() {
            return self.provider.providers(dep).to_vec();
        }
        let parsed = self.provider.parse_rich(&dep.name);
        let Ok(parsed) = &*parsed else {
            return Vec::new();
        };
        let Ok(cnf) = rich::to_cnf(parsed, true) else {
            return Vec::new();
        };
        // A clause fails when its conditions hold and none of its positive
        // atoms is installed; any provider of those atoms fixes it.
        let mut out = Vec::new();
        for clause in &cnf {
            let holds = clause
                .iter()
                .any(|lit| self.atom_installed(lit.atom) == lit.positive);
            if !holds {
                for lit in clause.iter().filter(|l| l.positive) {
                    out.extend(self.provider.atom_providers(lit.atom));
                }
            }
        }
        out
    }
}

/// Packages whose Supplements match the install set: the best installable
/// version of each name not installed yet.
fn supplemented(
    provider: &Provider<'_>,
    installed: &InstallSet<'_, '_>,
    offered: &HashSet<PkgId>,
) -> Vec<PkgId> {
    let pool = provider.pool;
    let mut out: Vec<PkgId> = pool
        .ids()
        .filter(|&id| !pool.get(id).supplements.is_empty())
        .filter(|&id| installed.can_add(id) && !offered.contains(&id))
        .filter(|&id| {
            pool.get(id)
                .supplements
                .iter()
                .any(|d| installed.satisfied(d))
        })
        .collect();
    // Name order, best version first; then one version per name. Older
    // versions count: gawk-all-langpacks-5.1.0-5 supplements `gawk = 5.1.0-5`
    // when that is the gawk installed, although a -6 build exists.
    out.sort_by(|&a, &b| policy::compare_alternatives(pool, a, b));
    out.dedup_by(|a, b| pool.get(*a).name == pool.get(*b).name);
    out
}

/// For each unsatisfied Recommends of the install set, the provider libsolv
/// would pick: by name, then best version.
fn recommended(
    provider: &Provider<'_>,
    installed: &InstallSet<'_, '_>,
    offered: &HashSet<PkgId>,
    already: &[PkgId],
) -> Vec<PkgId> {
    let pool = provider.pool;
    let mut out: Vec<PkgId> = Vec::new();
    for &id in &installed.ids {
        for dep in &pool.get(id).recommends {
            if installed.satisfied(dep) {
                continue;
            }
            let best = installed
                .helpers(dep)
                .into_iter()
                .filter(|&p| installed.can_add(p) && !offered.contains(&p))
                .min_by(|&a, &b| policy::compare_alternatives(pool, a, b));
            if let Some(p) = best.filter(|p| !already.contains(p) && !out.contains(p)) {
                out.push(p);
            }
        }
    }
    out
}
