//! Solver failures, phrased the way dnf users expect to read them.

use resolvo::conflict::{Conflict, ConflictCause, ConflictEdge, ConflictNode};
use resolvo::{Requirement, Solver};

use super::provider::{pkg, Provider, Role, Unsupported};

/// Why a request could not be solved.
#[derive(Debug, thiserror::Error)]
pub enum SolveError {
    /// No install set satisfies the request. `summary` names the missing
    /// capabilities and conflicting packages; `details` is resolvo's full
    /// explanation tree, for verbose output.
    #[error("cannot resolve the request: {summary}")]
    Unsolvable { summary: String, details: String },
    /// A dependency uses a form the solver cannot express (a malformed or
    /// too large rich dependency); solving without it would be wrong.
    #[error("cannot resolve {package}: its dependency {dependency} is not supported ({reason})")]
    Unsupported {
        package: String,
        dependency: String,
        reason: String,
    },
    /// An exclude pattern is not a valid glob.
    #[error("invalid exclude pattern '{pattern}': {reason}")]
    BadPattern { pattern: String, reason: String },
}

/// The most causes a summary lists before "and N more".
const MAX_CAUSES: usize = 8;

pub(crate) fn unsupported(provider: &Provider<'_>, u: Unsupported) -> SolveError {
    SolveError::Unsupported {
        package: u
            .package
            .map_or_else(|| "the request".to_string(), |id| provider.nevra(id)),
        dependency: u.dependency,
        reason: u.reason,
    }
}

pub(crate) fn unsolvable(conflict: &Conflict, solver: &Solver<Provider<'_>>) -> SolveError {
    let provider = solver.provider();
    let graph = conflict.graph(solver);
    let who = |node| match node {
        ConflictNode::Solvable(s) => Some(provider.nevra(pkg(s))),
        _ => None,
    };
    let mut causes: Vec<String> = Vec::new();
    for edge in graph.graph.raw_edges() {
        let (from, to) = (graph.graph[edge.source()], graph.graph[edge.target()]);
        let cause = match (edge.weight, to) {
            (ConflictEdge::Requires(req), ConflictNode::UnresolvedDependency) => {
                Some(missing(provider, req, who(from)))
            }
            (ConflictEdge::Conflict(ConflictCause::Excluded), ConflictNode::Excluded(reason)) => {
                who(from).map(|p| format!("{p} is excluded because {}", provider.string(reason)))
            }
            (ConflictEdge::Conflict(ConflictCause::Constrains(vs)), _) => {
                let vs = provider.version_set(vs);
                let verb = if vs.role == Role::Obsoletes {
                    "obsoletes"
                } else {
                    "conflicts with"
                };
                who(from)
                    .zip(who(to))
                    .map(|(a, b)| format!("{a} {verb} {b} ({})", vs.dep))
            }
            (ConflictEdge::Conflict(ConflictCause::ForbidMultipleInstances), _) => who(from)
                .zip(who(to))
                .map(|(a, b)| format!("{a} and {b} cannot both be installed")),
            _ => None,
        };
        if let Some(c) = cause.filter(|c| !causes.contains(c)) {
            causes.push(c);
        }
    }
    let details = conflict.display_user_friendly(solver).to_string();
    let summary = match causes.len() {
        0 => details
            .lines()
            .next()
            .unwrap_or("no install set satisfies it")
            .trim()
            .to_string(),
        n if n > MAX_CAUSES => format!(
            "{}; and {} more",
            causes[..MAX_CAUSES].join("; "),
            n - MAX_CAUSES
        ),
        _ => causes.join("; "),
    };
    SolveError::Unsolvable { summary, details }
}

/// "nothing provides X needed by P", or "no package provides 'X'" for the request.
fn missing(provider: &Provider<'_>, req: Requirement, needed_by: Option<String>) -> String {
    let sets: Vec<_> = match req {
        Requirement::Single(vs) => vec![vs],
        Requirement::Union(u) => provider.union_members(u),
    };
    let mut deps: Vec<String> = sets
        .iter()
        .map(|&vs| provider.version_set(vs).dep)
        .collect();
    deps.dedup();
    let conflict = sets
        .iter()
        .any(|&vs| provider.version_set(vs).role == Role::Conflicts);
    let what = deps.join(" or ");
    match (needed_by, conflict) {
        (Some(p), true) => format!("{p} conflicts with {what}"),
        (Some(p), false) => format!("nothing provides {what} needed by {p}"),
        (None, _) => format!("no package provides '{what}'"),
    }
}
