//! Weak dependencies: Recommends and Supplements.
//!
//! They never make a request fail, so they are not part of the hard problem.
//! After the hard solve, packages that the install set recommends (or that
//! supplement it) are offered to resolvo as *soft requirements*: it adds each
//! one only if that stays consistent with everything decided before. The newly
//! added packages may recommend more, so this repeats until nothing new comes
//! up. Like libsolv, supplemented packages are offered before recommended ones.

use std::collections::HashSet;

use resolvo::{ConditionalRequirement, Solver};

use super::policy;
use super::provider::Provider;
use super::rich::{self, Rich};
use super::{run, SolveError};
use crate::evr::Dep;
use crate::repo::PkgId;

pub(crate) fn extend(
    solver: &mut Solver<Provider<'_>>,
    root: &[ConditionalRequirement],
    hard: Vec<PkgId>,
) -> Result<Vec<PkgId>, SolveError> {
    solver.provider().set_lenient();
    let mut soft: Vec<PkgId> = Vec::new();
    let mut offered: HashSet<PkgId> = HashSet::new();
    let mut current = hard;
    loop {
        let picks = {
            let provider = solver.provider();
            let installed = InstallSet::new(provider, &current);
            let mut picks = supplemented(provider, &installed, &offered);
            picks.extend(recommended(provider, &installed, &offered, &picks));
            picks
        };
        if picks.is_empty() {
            return Ok(current);
        }
        // Keep offering what fitted before, in the same order, so each round
        // only adds to the previous answer.
        soft.retain(|id| current.contains(id));
        offered.extend(&picks);
        soft.extend(picks);
        current = run(solver, root, &soft)?;
    }
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

    fn atom_installed(&self, atom: &Rich) -> bool {
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
        .filter(|&id| provider.candidates_of(&pool.get(id).name).first() == Some(&id))
        .filter(|&id| {
            pool.get(id)
                .supplements
                .iter()
                .any(|d| installed.satisfied(d))
        })
        .collect();
    out.sort_by(|&a, &b| policy::compare_alternatives(pool, a, b));
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
