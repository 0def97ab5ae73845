//! Dependency resolution: what to install for a request, decided as dnf
//! decides it.
//!
//! * `subject`, `jobs`: what the user asked for, selected the way dnf
//!   selects packages;
//! * `rules`, `cplx`: package dependencies as clauses (rich ones normalized);
//! * `sat`: libsolv's decision procedure with clause learning;
//! * `policy`: which alternative wins, all of it in one place;
//! * `weak`: Recommends, Supplements, Suggests, Enhances;
//! * `explain`: a failure as dnf words it, with the chain from the request.

mod cplx;
mod explain;
mod jobs;
mod order;
mod policy;
mod rules;
mod sat;
pub(crate) mod subject;
mod weak;

#[cfg(test)]
mod tests;

use thiserror::Error;

pub use explain::Problem;
pub use order::{install_order, order_input, rpm_order, OrderDep, OrderElement};

use crate::repo::{PkgId, Pool};
use jobs::{Exclusions, Job, JobWhat};
use sat::Solver;

/// dnf's default `installonlypkgs`: names (and provides) of which several
/// versions may be installed side by side.
pub const DEFAULT_INSTALLONLY: &[&str] = &[
    "kernel",
    "kernel-PAE",
    "installonlypkg(kernel)",
    "installonlypkg(kernel-module)",
    "installonlypkg(vm)",
    "multiversion(kernel)",
];

/// What to install.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// Package specs as dnf takes them: names, globs, `name-version`,
    /// `name.arch`, capabilities (`/bin/sh`, `foo >= 1.2`).
    pub install: Vec<String>,
    pub groups: Vec<GroupRequest>,
    /// Package names (or name globs) that do not exist for this request
    /// (kickstart's `-name`).
    pub exclude: Vec<String>,
    /// Specs whose NEVRA readings do not exist for this request (dnf's
    /// `--exclude`/`excludepkgs`: `name`, `name-version`, `*.i686`, …).
    pub exclude_specs: Vec<String>,
    /// Install Recommends and Supplements (dnf's default).
    pub weak_deps: bool,
    /// Names and provides of installonly packages.
    pub installonly: Vec<String>,
    /// A spec or group that matches nothing is skipped (with a note)
    /// instead of failing (kickstart's `--ignoremissing`).
    pub ignore_missing: bool,
    /// Install what a spec selects for every arch it has (dnf's multilib
    /// policy "all", kickstart's `--multilib`); the pool must hold the
    /// compatible arches ([`crate::rpm::ArchPolicy`] with multilib).
    pub multilib: bool,
}

impl Default for Request {
    fn default() -> Self {
        Request {
            install: Vec::new(),
            groups: Vec::new(),
            exclude: Vec::new(),
            exclude_specs: Vec::new(),
            weak_deps: true,
            installonly: DEFAULT_INSTALLONLY.iter().map(|s| s.to_string()).collect(),
            ignore_missing: false,
            multilib: false,
        }
    }
}

impl Request {
    /// A request for these specs, with dnf's defaults otherwise.
    pub fn specs<S: AsRef<str>>(specs: &[S]) -> Request {
        Request {
            install: specs.iter().map(|s| s.as_ref().to_string()).collect(),
            ..Request::default()
        }
    }
}

/// A comps group (or environment) to install.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupRequest {
    pub id: String,
    /// `@^id`: an environment, whose groups are installed.
    pub environment: bool,
    /// Default members too (kickstart's `--nodefaults` turns them off).
    pub defaults: bool,
    /// Optional members too (kickstart's `--optional`).
    pub optional: bool,
    /// Why the group is installed when nobody named it (`@core` for a
    /// kickstart without `--nocore`), for messages.
    pub implied_by: Option<String>,
}

impl GroupRequest {
    pub fn new(id: &str) -> GroupRequest {
        GroupRequest {
            id: id.to_string(),
            environment: false,
            defaults: true,
            optional: false,
            implied_by: None,
        }
    }
}

/// The install set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transaction {
    /// Packages to install, sorted by name, arch and version.
    pub packages: Vec<PkgId>,
    /// What was asked for and skipped: group members not in any repository,
    /// missing specs under `ignore_missing`.
    pub notes: Vec<String>,
}

impl Transaction {
    /// The packages in the order rpm would install them (its tsort over
    /// Requires, with loops broken as rpm breaks them), as dnf hands them
    /// to rpm.
    pub fn install_order(&self, pool: &Pool) -> Vec<PkgId> {
        install_order(pool, &self.packages)
    }
}

#[derive(Debug, Error)]
pub enum SolveError {
    /// Specs or groups that match no package.
    #[error("{}", .0.join("; "))]
    NoMatch(Vec<String>),
    /// No install set satisfies the request; each problem with its causes.
    #[error("cannot resolve the request: {}", explain::summary(.0))]
    Unsolvable(Vec<Problem>),
    /// An exclude pattern or a glob is not a valid pattern.
    #[error("invalid pattern '{pattern}': {reason}")]
    BadPattern { pattern: String, reason: String },
    /// filelists.xml, read for a file spec, could not be read.
    #[error(transparent)]
    Metadata(#[from] crate::repo::RepoError),
}

impl SolveError {
    /// The problems of an unsolvable request, for `--json` and `-v`.
    pub fn problems(&self) -> &[Problem] {
        match self {
            SolveError::Unsolvable(p) => p,
            _ => &[],
        }
    }
}

/// Resolve `request` against `pool`. Same pool and request, same answer.
pub fn solve(pool: &Pool, request: &Request) -> Result<Transaction, SolveError> {
    let excludes = Exclusions::new(pool, &request.exclude, &request.exclude_specs)?;
    let considered = excludes.considered();
    let multiversion = multiversion(pool, &request.installonly);
    let (jobs, notes) = build_jobs(pool, &considered, &excludes, request)?;
    let mut solver = Solver::new(pool, considered, multiversion, jobs, request.weak_deps);
    solver.run();
    if solver.has_problems() {
        return Err(SolveError::Unsolvable(solver.explain(&excludes)));
    }
    let mut packages = solver.installed();
    packages.sort_by(|&a, &b| {
        let (pa, pb) = (pool.get(a), pool.get(b));
        (&pa.name, &pa.arch, &pa.evr).cmp(&(&pb.name, &pb.arch, &pb.evr))
    });
    Ok(Transaction { packages, notes })
}

/// Installonly packages: whatever provides one of the installonly names.
fn multiversion(pool: &Pool, installonly: &[String]) -> Vec<bool> {
    let mut multi = vec![false; pool.packages.len()];
    for name in installonly {
        for id in pool.providers(&crate::rpm::Dep::unversioned(name.as_str())) {
            multi[id.0 as usize] = true;
        }
    }
    multi
}

/// The groups a group request installs: `@^id` an environment's groups;
/// `@pattern` every group and environment it names, as dnf finds them.
/// `None` when it names nothing.
fn requested_groups<'p>(
    pool: &'p Pool,
    group: &GroupRequest,
    notes: &mut Vec<String>,
) -> Result<Option<Vec<&'p crate::repo::Group>>, SolveError> {
    let (environments, mut groups) = if group.environment {
        (
            pool.environment(&group.id).into_iter().collect(),
            Vec::new(),
        )
    } else {
        pool.comps
            .by_pattern(&group.id)
            .map_err(|e| SolveError::BadPattern {
                pattern: format!("@{}", group.id),
                reason: e.msg.to_string(),
            })?
    };
    if environments.is_empty() && groups.is_empty() {
        return Ok(None);
    }
    for env in environments {
        for id in &env.groups {
            match pool.group(id) {
                Some(g) => groups.push(g),
                None => notes.push(format!(
                    "@^{}: no group @{id} in the comps of any enabled repository; skipped",
                    env.id
                )),
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    groups.retain(|g| seen.insert(g.id.as_str()));
    Ok(Some(groups))
}

/// "no group", with why the group was asked for when nobody named it.
fn no_group(group: &GroupRequest) -> String {
    if group.environment {
        return format!(
            "no environment @^{} in the comps of any enabled repository",
            group.id
        );
    }
    let why = group
        .implied_by
        .as_ref()
        .map(|w| format!(" ({w})"))
        .unwrap_or_default();
    format!(
        "no group @{}{why} in the comps of any enabled repository",
        group.id
    )
}

/// Jobs for the request, and notes on what was skipped.
fn build_jobs(
    pool: &Pool,
    considered: &[bool],
    excludes: &Exclusions,
    request: &Request,
) -> Result<(Vec<Job>, Vec<String>), SolveError> {
    let mut jobs = Vec::new();
    let mut notes = Vec::new();
    let mut missing = Vec::new();
    for spec in &request.install {
        let selected = jobs::select(pool, considered, spec, request.multilib)?;
        if selected.is_empty() {
            missing.push(explain::no_match(pool, excludes, spec)?);
        }
        jobs.extend(selected.into_iter().map(|(label, ids)| Job {
            what: JobWhat::OneOf(ids),
            weak: false,
            label,
        }));
    }
    for group in &request.groups {
        let groups = match requested_groups(pool, group, &mut notes)? {
            Some(groups) => groups,
            None => {
                missing.push(no_group(group));
                continue;
            }
        };
        for g in groups {
            let (names, conditional) = jobs::group_members(g, group.defaults, group.optional);
            for name in names {
                match jobs::member_job(pool, considered, name) {
                    Some(ids) => jobs.push(Job {
                        what: JobWhat::OneOf(ids),
                        weak: false,
                        label: format!("{name} (@{})", g.id),
                    }),
                    None => notes.push(format!(
                        "@{}: no package {name} in the enabled repositories (or excluded); skipped",
                        g.id
                    )),
                }
            }
            for (name, requires) in conditional {
                if pool
                    .by_name(name)
                    .iter()
                    .any(|id| considered[id.0 as usize])
                {
                    jobs.push(Job {
                        what: JobWhat::Complex(jobs::conditional_job(name, requires)),
                        weak: false,
                        label: format!("{name} if {requires} (@{})", g.id),
                    });
                }
            }
        }
    }
    if !missing.is_empty() {
        if !request.ignore_missing {
            return Err(SolveError::NoMatch(missing));
        }
        notes.extend(
            missing
                .into_iter()
                .map(|m| format!("{m}; skipped (--ignoremissing)")),
        );
    }
    Ok((jobs, notes))
}
