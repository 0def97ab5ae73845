//! Dependency resolution over a [`Pool`] with resolvo.
//!
//! [`solve`] turns a [`Request`] into the set of packages to install, with
//! dnf's semantics: one version per package name, Requires (plain, versioned,
//! file and rich) must hold, Conflicts and Obsoletes are honoured, excluded
//! packages do not exist, and weak dependencies (Recommends, Supplements) are
//! added afterwards only where they fit.
//!
//! The pieces: `provider` translates packages and dependencies into resolvo's
//! terms (and `rich` turns boolean dependencies, parsed by
//! [`crate::rpm::DepExpr`], into clauses), `policy` says
//! which alternative to try first, the way libsolv does; `minimize` drops what
//! a solve installed but nothing needs; `weak` adds weak dependencies;
//! `error` phrases failures. The tests compare every answer with libsolv's.

mod error;
mod fxhash;
mod minimize;
mod policy;
mod provider;
mod rich;
mod weak;

#[cfg(test)]
mod tests;

use resolvo::conflict::Conflict;
use resolvo::{ConditionalRequirement, Problem, Solver, UnsolvableOrCancelled};

use crate::rpm::{Dep, DepError};
use crate::repo::{PkgId, Pool};

pub use error::SolveError;
use minimize::Keep;
use provider::Provider;

/// What to install.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// What the user asked for (groups already expanded by the caller).
    pub install: Vec<Spec>,
    /// Glob patterns on package names; matching packages are not installable
    /// at all (dnf's `--exclude`, kickstart's `-pkg`).
    pub exclude: Vec<String>,
    /// Install Recommends and Supplements where possible (dnf's default).
    pub weak_deps: bool,
}

impl Default for Request {
    fn default() -> Self {
        Request {
            install: Vec::new(),
            exclude: Vec::new(),
            weak_deps: true,
        }
    }
}

/// One requested item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Spec {
    /// A package name. If no package has this name, the solver looks it up as
    /// a capability, as dnf does (`dnf install sendmail` works on provides).
    Name(String),
    /// A capability: a provide, a file path, `foo >= 1.2`, or a rich dependency.
    Capability(Dep),
}

impl Spec {
    /// A bare word is a name; a path, anything with parentheses, or anything
    /// with a version comparison is a capability, read with rpm's grammar
    /// (so `foo >=` or `foo bar` is an error, not a guess).
    pub fn parse(s: &str) -> Result<Spec, DepError> {
        let s = s.trim();
        if s.starts_with('/') || s.contains(char::is_whitespace) || s.contains('(') {
            return Ok(Spec::Capability(Dep::parse(s)?));
        }
        Ok(Spec::Name(s.to_string()))
    }
}

/// The install set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transaction {
    /// Packages to install, sorted by (name, arch).
    pub packages: Vec<PkgId>,
}

/// Compiled exclude patterns.
#[derive(Clone, Debug, Default)]
pub(crate) struct Exclusions {
    patterns: Vec<(String, glob::Pattern)>,
}

impl Exclusions {
    fn compile(patterns: &[String]) -> Result<Exclusions, SolveError> {
        let patterns = patterns
            .iter()
            .map(|p| {
                glob::Pattern::new(p)
                    .map(|g| (p.clone(), g))
                    .map_err(|e| SolveError::BadPattern {
                        pattern: p.clone(),
                        reason: e.msg.to_string(),
                    })
            })
            .collect::<Result<_, _>>()?;
        Ok(Exclusions { patterns })
    }

    /// The first pattern that matches `name`.
    pub(crate) fn matches(&self, name: &str) -> Option<&str> {
        self.patterns
            .iter()
            .find(|(_, g)| g.matches(name))
            .map(|(p, _)| p.as_str())
    }
}

/// Resolve `request` against `pool`. Same pool and request, same answer.
pub fn solve(pool: &Pool, request: &Request) -> Result<Transaction, SolveError> {
    let provider = Provider::new(pool, Exclusions::compile(&request.exclude)?);
    let mut root = Vec::new();
    for spec in &request.install {
        root.extend(
            provider
                .root_requirement(spec)
                .map_err(|u| error::unsupported(&provider, u))?,
        );
    }
    let job = Job {
        root,
        request: &request.install,
    };
    let mut solver = Solver::new(provider);
    let hard = match attempt(&mut solver, &job, &[])? {
        Ok(solution) => {
            minimize::minimize(solver.provider(), job.request, |_| Keep::Needed, solution)
        }
        Err(conflict) => return Err(error::unsolvable(&conflict, &solver)),
    };
    let mut installed = if request.weak_deps {
        weak::extend(&mut solver, &job, hard)?
    } else {
        hard
    };
    installed.sort_by(|&a, &b| {
        let (pa, pb) = (pool.get(a), pool.get(b));
        (&pa.name, &pa.arch, &pa.evr).cmp(&(&pb.name, &pb.arch, &pb.evr))
    });
    Ok(Transaction {
        packages: installed,
    })
}

/// The request as resolvo sees it, and as the user wrote it.
struct Job<'r> {
    root: Vec<ConditionalRequirement>,
    request: &'r [Spec],
}

/// One resolvo run on the request plus `pins`: packages that must be
/// installed exactly. Returns the install set in decision order, or why there
/// is none.
fn attempt(
    solver: &mut Solver<Provider<'_>>,
    job: &Job<'_>,
    pins: &[PkgId],
) -> Result<Result<Vec<PkgId>, Conflict>, SolveError> {
    let provider = solver.provider();
    let mut requirements = job.root.clone();
    requirements.extend(
        pins.iter()
            .map(|&id| ConditionalRequirement::from(provider.exactly(id))),
    );
    match solver.solve(Problem::new().requirements(requirements)) {
        Ok(solution) => Ok(Ok(solution.into_iter().map(provider::pkg).collect())),
        Err(UnsolvableOrCancelled::Unsolvable(conflict)) => Ok(Err(conflict)),
        Err(UnsolvableOrCancelled::Cancelled(_)) => {
            let provider = solver.provider();
            let u = provider
                .take_unsupported()
                .expect("the provider cancels only on an unsupported dependency");
            Err(error::unsupported(provider, u))
        }
    }
}
