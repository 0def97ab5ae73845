//! Why a request cannot be solved, in dnf's words, each root cause with the
//! chain from the request: "nothing provides X needed by Y needed by Z".
//!
//! A problem's proof is the set of rules the solver used to show the jobs
//! cannot all hold. Its root causes are the package rules that say no by
//! themselves (nothing provides, conflicts, obsoletes, two versions of one
//! name, an excluded package); the chain for a package is the shortest path
//! through the proof's requirements from a requested package to it.

use std::collections::{BTreeMap, VecDeque};

use serde::Serialize;

use super::jobs::Exclusions;
use super::rules::{pkg, Lit, Why, SYSTEM};
use super::sat::Solver;
use super::subject::{best_solution, Reading};
use super::SolveError;
use crate::repo::Pool;

/// One problem of an unsolvable request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub causes: Vec<Cause>,
    /// Every rule of the solver's proof, one line each (for `-v`).
    pub proof: Vec<String>,
}

/// A root cause.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cause {
    /// `nothing-provides`, `malformed`, `conflicts`, `obsoletes`,
    /// `same-name`, `excluded`, `nothing-provides-requested` or
    /// `conflicting-requests`.
    pub kind: &'static str,
    /// In dnf's words, with the chain from the request.
    pub message: String,
    /// The packages the cause is about, as `name-[epoch:]version-release.arch`.
    pub packages: Vec<String>,
    /// The dependency, as written in the metadata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dependency: Option<String>,
}

/// The one-line summary of all problems.
pub(crate) fn summary(problems: &[Problem]) -> String {
    let mut lines: Vec<&str> = problems
        .iter()
        .flat_map(|p| p.causes.iter().map(|c| c.message.as_str()))
        .collect();
    lines.dedup();
    if lines.is_empty() {
        return "no install set satisfies it".into();
    }
    lines.join("; ")
}

/// "No match for argument", with the exclusion that hides a match.
pub(crate) fn no_match(
    pool: &Pool,
    excludes: &Exclusions,
    spec: &str,
) -> Result<String, SolveError> {
    let everything = vec![true; pool.packages.len()];
    let hidden = best_solution(pool, &everything, spec, Reading::Everything)?
        .ids
        .into_iter()
        .find_map(|id| excludes.pattern(id).map(|x| (pool.get(id).nevra(), x)));
    Ok(match hidden {
        Some((nevra, pattern)) => {
            format!(
                "no match for argument: {spec} ({nevra} is excluded by the pattern '{pattern}')"
            )
        }
        None => format!("no match for argument: {spec}"),
    })
}

impl Solver<'_> {
    fn nevra(&self, l: Lit) -> String {
        self.pool.get(pkg(l)).nevra()
    }

    /// Every rule of a proof, learnt rules replaced by the rules they came from.
    fn proof_rules(&self, start: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        let mut i = start;
        while self.learnt_pool[i] != 0 {
            if self.learnt_pool[i] > 0 {
                stack.push(self.learnt_pool[i] as usize);
            }
            i += 1;
        }
        let mut seen = vec![false; self.r.len()];
        while let Some(r) = stack.pop() {
            if std::mem::replace(&mut seen[r], true) {
                continue;
            }
            if r >= self.learntrules {
                let mut k = self.learnt_why[r - self.learntrules];
                while self.learnt_pool[k] != 0 {
                    if self.learnt_pool[k] > 0 {
                        stack.push(self.learnt_pool[k] as usize);
                    }
                    k += 1;
                }
            } else {
                out.push(r);
            }
        }
        out.sort_unstable();
        out
    }

    /// For each package the proof's requirements reach from a job: the
    /// package that needs it (or the job), for the shortest chain.
    fn needed_by(&self, rules: &[usize]) -> BTreeMap<Lit, Need> {
        let mut edges: BTreeMap<Lit, Vec<Lit>> = BTreeMap::new();
        let mut parent: BTreeMap<Lit, Need> = BTreeMap::new();
        let mut queue = VecDeque::new();
        for &r in rules {
            match self.r.rules[r].why {
                Why::Job(j) => {
                    for l in self.r.literals(r).filter(|&l| l > SYSTEM) {
                        if let std::collections::btree_map::Entry::Vacant(e) = parent.entry(l) {
                            e.insert(Need::Job(j));
                            queue.push_back(l);
                        }
                    }
                }
                Why::Requires(owner, _) => {
                    edges
                        .entry(owner)
                        .or_default()
                        .extend(self.r.literals(r).filter(|&l| l > SYSTEM && l != owner));
                }
                _ => {}
            }
        }
        while let Some(l) = queue.pop_front() {
            for &next in edges.get(&l).into_iter().flatten() {
                if let std::collections::btree_map::Entry::Vacant(e) = parent.entry(next) {
                    e.insert(Need::Package(l));
                    queue.push_back(next);
                }
            }
        }
        parent
    }

    /// " needed by A needed by B" up to the request, for package `l`.
    fn chain(&self, l: Lit, needs: &BTreeMap<Lit, Need>) -> String {
        let mut out = String::new();
        let mut at = l;
        for _ in 0..needs.len() + 1 {
            match needs.get(&at) {
                Some(Need::Package(by)) => {
                    out.push_str(&format!(" needed by {}", self.nevra(*by)));
                    at = *by;
                }
                Some(Need::Job(j)) => {
                    let label = &self.jobs[*j as usize].label;
                    if *label != self.pool.get(pkg(at)).name {
                        out.push_str(&format!(" (requested as '{label}')"));
                    }
                    break;
                }
                None => break,
            }
        }
        out
    }

    /// "; it is provided only by excluded packages: …" when an exclusion
    /// is why nothing provides `d`.
    fn excluded_providers(&self, d: crate::repo::DepId, excludes: &Exclusions) -> String {
        let hidden: Vec<String> = self
            .index
            .whatprovides(d)
            .iter()
            .filter(|&&id| !self.considered[id.0 as usize])
            .map(|&id| {
                let pattern = excludes.pattern(id).unwrap_or("");
                format!(
                    "{} (excluded by the pattern '{pattern}')",
                    self.pool.get(id).nevra()
                )
            })
            .collect();
        if hidden.is_empty() {
            String::new()
        } else {
            format!(
                "; it is provided only by excluded packages: {}",
                hidden.join(", ")
            )
        }
    }

    /// The simple operands of a rich dependency that nothing (considered)
    /// provides.
    fn unprovided_operands(&self, expr: &crate::rpm::DepExpr) -> Vec<String> {
        expr.operands()
            .into_iter()
            .filter(|dep| {
                !self
                    .index
                    .providers_of(dep)
                    .iter()
                    .any(|id| self.considered[id.0 as usize])
            })
            .map(|dep| dep.to_string())
            .collect()
    }

    /// The causes of every problem.
    pub(crate) fn explain(&mut self, excludes: &Exclusions) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut i = 0;
        while i < self.problems.len() {
            let proof = self.problems[i] as usize;
            let end = i
                + 1
                + self.problems[i + 1..]
                    .iter()
                    .position(|&x| x == 0)
                    .unwrap_or(0);
            i = end + 1;
            let rules = self.proof_rules(proof);
            let needs = self.needed_by(&rules);
            let mut causes: Vec<Cause> = Vec::new();
            for &r in &rules {
                if let Some(cause) = self.cause(r, &needs, excludes) {
                    if !causes.contains(&cause) {
                        causes.push(cause);
                    }
                }
            }
            if causes.is_empty() {
                causes.push(Cause {
                    kind: "conflicting-requests",
                    message: "conflicting requests".into(),
                    packages: Vec::new(),
                    dependency: None,
                });
            }
            let proof = rules.iter().map(|&r| self.describe(r)).collect();
            problems.push(Problem { causes, proof });
        }
        problems
    }

    /// One rule of a proof, in words.
    fn describe(&self, r: usize) -> String {
        let names = |lits: Vec<Lit>| -> String {
            if lits.is_empty() {
                "nothing".into()
            } else {
                lits.iter()
                    .map(|&l| self.nevra(l))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let positive = |skip: Lit| -> Vec<Lit> {
            self.r
                .literals(r)
                .filter(|&l| l > SYSTEM && l != skip)
                .collect()
        };
        let negative = |skip: Lit| -> Vec<Lit> {
            self.r
                .literals(r)
                .map(|l| -l)
                .filter(|&l| l > SYSTEM && l != skip)
                .collect()
        };
        match self.r.rules[r].why {
            Why::Job(j) => format!(
                "request '{}': one of {}",
                self.jobs[j as usize].label,
                names(positive(0))
            ),
            Why::Requires(o, d) | Why::NothingProvides(o, d) => {
                let providers = positive(o);
                let mut line = if providers.is_empty() {
                    format!(
                        "{} requires {}: nothing provides it",
                        self.nevra(o),
                        self.index.dep(d)
                    )
                } else {
                    format!(
                        "{} requires {}: one of {}",
                        self.nevra(o),
                        self.index.dep(d),
                        names(providers)
                    )
                };
                let blockers = negative(o);
                if !blockers.is_empty() {
                    line.push_str(&format!(", or none of {}", names(blockers)));
                }
                line
            }
            Why::Conflicts(o, d) => format!(
                "{} conflicts with {} ({})",
                self.nevra(o),
                names(negative(o)),
                self.index.dep(d)
            ),
            Why::Obsoletes(o, d) => format!(
                "{} obsoletes {} ({})",
                self.nevra(o),
                names(negative(o)),
                self.index.dep(d)
            ),
            Why::SameName => format!("only one of {}", names(negative(0))),
            Why::NotInstallable(p) => format!("{} is excluded", self.nevra(p)),
            Why::Learnt => "a learnt rule".into(),
        }
    }

    fn cause(&self, r: usize, needs: &BTreeMap<Lit, Need>, excludes: &Exclusions) -> Option<Cause> {
        let rule = self.r.rules[r];
        let others = || self.r.literals(r).map(|l| -l).filter(|&l| l > SYSTEM);
        let dep = |d| Some(self.index.dep(d).to_string());
        let cause = match rule.why {
            Why::NothingProvides(owner, d) if matches!(self.rich(d), Some(Err(_))) => {
                let Some(Err(e)) = self.rich(d) else {
                    unreachable!("matched above")
                };
                Cause {
                    kind: "malformed",
                    message: format!(
                        "package {}{} has a malformed dependency: {e}",
                        self.nevra(owner),
                        self.chain(owner, needs)
                    ),
                    packages: vec![self.nevra(owner)],
                    dependency: dep(d),
                }
            }
            // A clause of a rich requirement made only of "not installed"
            // literals: the packages it names rule the owner out.
            Why::Requires(owner, d) if self.r.literals(r).all(|l| l < 0) => {
                let blockers: Vec<Lit> = others().filter(|&l| l != owner).collect();
                let names: Vec<String> = blockers
                    .iter()
                    .map(|&b| format!("{}{}", self.nevra(b), self.chain(b, needs)))
                    .collect();
                let missing = match self.rich(d) {
                    Some(Ok(expr)) => self.unprovided_operands(expr),
                    _ => Vec::new(),
                };
                let missing = if missing.is_empty() {
                    String::new()
                } else {
                    format!(" (nothing provides {})", missing.join(", "))
                };
                Cause {
                    kind: "conflicts",
                    message: format!(
                        "package {}{} requires {}{missing}, which {} rules out",
                        self.nevra(owner),
                        self.chain(owner, needs),
                        self.index.dep(d),
                        names.join(" and ")
                    ),
                    packages: std::iter::once(owner)
                        .chain(blockers)
                        .map(|l| self.nevra(l))
                        .collect(),
                    dependency: dep(d),
                }
            }
            Why::NothingProvides(owner, d) => Cause {
                kind: "nothing-provides",
                message: format!(
                    "nothing provides {} needed by {}{}{}",
                    self.index.dep(d),
                    self.nevra(owner),
                    self.chain(owner, needs),
                    self.excluded_providers(d, excludes)
                ),
                packages: vec![self.nevra(owner)],
                dependency: dep(d),
            },
            Why::Conflicts(owner, d) | Why::Obsoletes(owner, d) => {
                let other = others().find(|&l| l != owner)?;
                let (kind, verb) = if matches!(rule.why, Why::Conflicts(..)) {
                    ("conflicts", "conflicts with")
                } else {
                    ("obsoletes", "obsoletes")
                };
                Cause {
                    kind,
                    message: format!(
                        "package {}{} {verb} {} provided by {}{}",
                        self.nevra(owner),
                        self.chain(owner, needs),
                        self.index.dep(d),
                        self.nevra(other),
                        self.chain(other, needs)
                    ),
                    packages: vec![self.nevra(owner), self.nevra(other)],
                    dependency: dep(d),
                }
            }
            Why::SameName => {
                let pair: Vec<Lit> = others().collect();
                let [a, b] = pair[..] else { return None };
                Cause {
                    kind: "same-name",
                    message: format!(
                        "cannot install both {}{} and {}{}",
                        self.nevra(a),
                        self.chain(a, needs),
                        self.nevra(b),
                        self.chain(b, needs)
                    ),
                    packages: vec![self.nevra(a), self.nevra(b)],
                    dependency: None,
                }
            }
            Why::NotInstallable(p) => {
                let pattern = excludes.pattern(pkg(p)).unwrap_or("");
                Cause {
                    kind: "excluded",
                    message: format!(
                        "package {}{} is excluded by the pattern '{pattern}'",
                        self.nevra(p),
                        self.chain(p, needs)
                    ),
                    packages: vec![self.nevra(p)],
                    dependency: None,
                }
            }
            Why::Job(j) if rule.p == -SYSTEM => Cause {
                kind: "nothing-provides-requested",
                message: format!("nothing provides requested {}", self.jobs[j as usize].label),
                packages: Vec::new(),
                dependency: Some(self.jobs[j as usize].label.clone()),
            },
            _ => return None,
        };
        Some(cause)
    }
}

/// What needs a package: another package, or a job.
#[derive(Clone, Copy, Debug)]
enum Need {
    Package(Lit),
    Job(u32),
}
