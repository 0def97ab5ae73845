//! Solver failures, phrased the way dnf users expect to read them.

use std::collections::HashMap;

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
    let g = &graph.graph;
    let who = |node| match node {
        ConflictNode::Solvable(s) => Some(provider.nevra(pkg(s))),
        _ => None,
    };
    // Excluded packages, and the requirements they were the candidates of.
    let mut excluded = HashMap::new();
    let mut candidates = Vec::new();
    for edge in g.raw_edges() {
        match (edge.weight, g[edge.target()]) {
            (ConflictEdge::Conflict(ConflictCause::Excluded), ConflictNode::Excluded(reason)) => {
                excluded.insert(edge.source(), reason);
            }
            (ConflictEdge::Requires(req), ConflictNode::Solvable(_)) => {
                candidates.push(((edge.source(), req), edge.target()));
            }
            _ => {}
        }
    }

    let mut causes: Vec<String> = Vec::new();
    let mut push = |c: String| {
        if !causes.contains(&c) {
            causes.push(c);
        }
    };
    // A requirement whose candidates are all excluded: say what needed it.
    let mut explained = Vec::new();
    for &((from, req), _) in &candidates {
        let targets: Vec<_> = candidates
            .iter()
            .filter(|(k, _)| *k == (from, req))
            .map(|(_, t)| *t)
            .collect();
        if !targets.iter().all(|t| excluded.contains_key(t)) {
            continue;
        }
        let packages: Vec<String> = targets
            .iter()
            .map(|&t| {
                format!(
                    "{}: {}",
                    who(g[t]).unwrap_or_default(),
                    provider.string(excluded[&t])
                )
            })
            .collect();
        let (what, _) = requirement_text(provider, req);
        let needed = match who(g[from]) {
            Some(p) => format!("{what} needed by {p}"),
            None => format!("'{what}'"),
        };
        push(format!(
            "{needed} is provided only by excluded packages ({})",
            packages.join(", ")
        ));
        explained.extend(targets);
    }
    for edge in g.raw_edges() {
        let (from, to) = (g[edge.source()], g[edge.target()]);
        match (edge.weight, to) {
            (ConflictEdge::Requires(req), ConflictNode::UnresolvedDependency) => {
                push(missing(provider, req, who(from)))
            }
            (ConflictEdge::Conflict(ConflictCause::Excluded), ConflictNode::Excluded(reason))
                if !explained.contains(&edge.source()) =>
            {
                if let Some(p) = who(from) {
                    push(format!(
                        "{p} is excluded because {}",
                        provider.string(reason)
                    ))
                }
            }
            (ConflictEdge::Conflict(ConflictCause::Constrains(vs)), _) => {
                let vs = provider.version_set(vs);
                let verb = if vs.role == Role::Obsoletes {
                    "obsoletes"
                } else {
                    "conflicts with"
                };
                if let (Some(a), Some(b)) = (who(from), who(to)) {
                    push(format!("{a} {verb} {b} ({})", vs.dep))
                }
            }
            (ConflictEdge::Conflict(ConflictCause::ForbidMultipleInstances), _) => {
                if let (Some(a), Some(b)) = (who(from), who(to)) {
                    push(format!("{a} and {b} cannot both be installed"))
                }
            }
            _ => {}
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

/// The dependency a requirement stands for, and whether it is the "must not
/// be installed" half of a rich Conflicts.
fn requirement_text(provider: &Provider<'_>, req: Requirement) -> (String, bool) {
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
    (deps.join(" or "), conflict)
}

/// "nothing provides X needed by P", or "no package provides 'X'" for the request.
fn missing(provider: &Provider<'_>, req: Requirement, needed_by: Option<String>) -> String {
    let (what, conflict) = requirement_text(provider, req);
    match (needed_by, conflict) {
        (Some(p), true) => format!("{p} conflicts with {what}"),
        (Some(p), false) => format!("nothing provides {what} needed by {p}"),
        (None, _) => format!("no package provides '{what}'"),
    }
}
