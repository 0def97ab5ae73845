//! Drop packages that nothing needs any more.
//!
//! resolvo decides requirements one at a time; when it picks an alternative
//! for one requirement and a later decision installs another alternative that
//! would have satisfied it too, both stay. libsolv then "minimizes": it goes
//! back to the earlier choice and takes the package installed later (e.g. a
//! rich `(java-headless or java-1.8.0-headless)` first met with
//! java-1.8.0-openjdk-headless, then java-17-openjdk-headless pulled in by
//! another requirement: libsolv keeps only java-17). This pass reaches the
//! same result from the other side: a package goes if every requirement it
//! helps satisfy has another installed provider, earlier decisions first, until
//! nothing more can go. Removing packages never breaks a conflict or
//! obsoletes, and requirements are re-checked by construction, so the result
//! is still a valid install set.

use super::provider::Provider;
use super::rich;
use super::Spec;
use crate::rpm::Dep;
use crate::repo::PkgId;

/// A requirement that needs one of `support` to stay installed, as long as
/// its `owner` (None: the request itself) stays.
struct Need {
    owner: Option<PkgId>,
    support: Vec<PkgId>,
}

/// How a package takes part in minimization.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Keep {
    /// Stays if something needs it.
    Needed,
    /// Stays whatever happens (installed on purpose, e.g. a weak dependency).
    Pinned,
    /// Can satisfy what others need, but its own requirements do not count
    /// and it goes unless something needs it: used to find which hard choices
    /// packages brought by weak dependencies make redundant.
    Bystander,
}

/// `installed` in decision order; `keep` says how each package is treated.
/// Returns the survivors in the same order.
pub(crate) fn minimize(
    provider: &Provider<'_>,
    request: &[Spec],
    keep: impl Fn(PkgId) -> Keep,
    installed: Vec<PkgId>,
) -> Vec<PkgId> {
    let n = provider.pool.packages.len();
    let mut alive = vec![false; n];
    for id in &installed {
        alive[id.0 as usize] = true;
    }
    let owners: Vec<PkgId> = installed
        .iter()
        .copied()
        .filter(|&id| keep(id) != Keep::Bystander)
        .collect();
    let needs = collect_needs(provider, request, &owners, &alive);

    // For each package, the needs it supports, and per need how many
    // supporters are left.
    let mut supports: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut left: Vec<usize> = Vec::with_capacity(needs.len());
    for (k, need) in needs.iter().enumerate() {
        for s in &need.support {
            supports[s.0 as usize].push(k);
        }
        left.push(need.support.len());
    }

    let mut fixed = vec![false; n];
    let mut pinned = vec![false; n];
    for &id in &installed {
        fixed[id.0 as usize] = keep(id) != Keep::Needed;
        pinned[id.0 as usize] = keep(id) == Keep::Pinned;
    }
    let live_need = |k: usize, alive: &[bool]| match needs[k].owner {
        Some(o) => alive[o.0 as usize],
        None => true,
    };
    loop {
        let mut changed = false;
        for &id in &installed {
            let i = id.0 as usize;
            if !alive[i] || fixed[i] {
                continue;
            }
            if supports[i]
                .iter()
                .any(|&k| live_need(k, &alive) && left[k] <= 1)
            {
                continue;
            }
            alive[i] = false;
            for &k in &supports[i] {
                left[k] -= 1;
            }
            changed = true;
        }
        if !changed {
            break;
        }
    }
    drop_unreachable(&needs, &installed, &pinned, &mut alive);
    installed
        .into_iter()
        .filter(|id| alive[id.0 as usize])
        .collect()
}

/// Packages that only support each other (freetype and harfbuzz require each
/// other) survive the pass above once what pulled them in is gone. Keep what
/// the request and the pinned packages reach through requirements.
fn drop_unreachable(needs: &[Need], installed: &[PkgId], pinned: &[bool], alive: &mut [bool]) {
    let mut needs_of: Vec<Vec<usize>> = vec![Vec::new(); alive.len()];
    let mut todo: Vec<usize> = Vec::new();
    for (k, need) in needs.iter().enumerate() {
        match need.owner {
            Some(o) => needs_of[o.0 as usize].push(k),
            None => todo.push(k),
        }
    }
    let mut reached = vec![false; alive.len()];
    let mut stack: Vec<PkgId> = installed
        .iter()
        .copied()
        .filter(|id| pinned[id.0 as usize])
        .collect();
    loop {
        for k in todo.drain(..) {
            stack.extend(
                needs[k]
                    .support
                    .iter()
                    .copied()
                    .filter(|s| alive[s.0 as usize]),
            );
        }
        let Some(id) = stack.pop() else { break };
        if !std::mem::replace(&mut reached[id.0 as usize], true) {
            todo.extend(&needs_of[id.0 as usize]);
        }
    }
    for id in installed {
        alive[id.0 as usize] &= reached[id.0 as usize];
    }
}

fn collect_needs(
    provider: &Provider<'_>,
    request: &[Spec],
    installed: &[PkgId],
    alive: &[bool],
) -> Vec<Need> {
    let mut needs = Vec::new();
    let installed_of = |ids: &[PkgId]| -> Vec<PkgId> {
        ids.iter()
            .copied()
            .filter(|id| alive[id.0 as usize])
            .collect()
    };
    for spec in request {
        match spec {
            Spec::Name(name) if !provider.candidates_of(name).is_empty() => needs.push(Need {
                owner: None,
                support: installed_of(provider.candidates_of(name)),
            }),
            Spec::Name(name) => push_dep(
                provider,
                None,
                &Dep::unversioned(name.as_str()),
                alive,
                &mut needs,
            ),
            Spec::Capability(dep) => push_dep(provider, None, dep, alive, &mut needs),
        }
    }
    for &id in installed {
        for req in &provider.pool.get(id).requires {
            if !req.dep.name.starts_with("rpmlib(") {
                push_dep(provider, Some(id), &req.dep, alive, &mut needs);
            }
        }
    }
    needs
}

/// The needs of one dependency: one for a simple dependency, one per clause
/// of a rich one. Clauses that hold whatever gets removed are skipped.
fn push_dep(
    provider: &Provider<'_>,
    owner: Option<PkgId>,
    dep: &Dep,
    alive: &[bool],
    needs: &mut Vec<Need>,
) {
    let is_installed = |id: &PkgId| alive[id.0 as usize];
    if !dep.is_rich() {
        let providers = provider.providers(dep);
        if owner.is_some_and(|o| providers.contains(&o)) {
            return;
        }
        needs.push(Need {
            owner,
            support: providers.iter().copied().filter(is_installed).collect(),
        });
        return;
    }
    let parsed = provider.parse_rich(&dep.name);
    let Ok(parsed) = &*parsed else { return };
    let Ok(cnf) = rich::to_cnf(parsed, true) else {
        return;
    };
    for clause in &cnf {
        let mut support = Vec::new();
        let mut settled = false;
        for lit in clause {
            let ids = provider.atom_providers(lit.atom);
            let owner_in = owner.is_some_and(|o| ids.contains(&o));
            let any_installed = ids.iter().any(is_installed);
            // A positive literal the owner satisfies, or a negative literal
            // on something not installed, keeps holding as packages go.
            if (lit.positive && owner_in) || (!lit.positive && !any_installed) {
                settled = true;
                break;
            }
            if lit.positive {
                support.extend(ids.into_iter().filter(is_installed));
            }
        }
        if !settled {
            needs.push(Need { owner, support });
        }
    }
}
