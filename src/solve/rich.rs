//! DepExpr (boolean) dependencies as the solver uses them: clauses ([`to_cnf`])
//! and evaluation against an install set ([`DepExpr::eval`]). Parsing is
//! [`DepExpr`]'s (`crate::rpm::dep`), rpm's own grammar.
//!
//! `a unless b [else c]` reads as (a ∧ ¬b) [∨ (c ∧ b)]: rpm's and libsolv's
//! reading (libsolv commit 0c8cd389), stricter than the "if not" the name
//! suggests: a Requires `(a unless b)` also keeps `b` out. `with` means one
//! package satisfies every operand; `without`, a package that satisfies the
//! first operand but not the second.

use crate::rpm::DepExpr;

impl DepExpr {
    /// Whether this expression is a set of packages (a capability, or `with`/
    /// `without` of capabilities) rather than a boolean formula over them.
    pub(crate) fn is_atom(&self) -> bool {
        matches!(
            self,
            DepExpr::Dep(_) | DepExpr::With(_) | DepExpr::Without(..)
        )
    }

    /// Visit every atom of the expression.
    pub(crate) fn for_each_atom<'r>(&'r self, f: &mut impl FnMut(&'r DepExpr)) {
        if self.is_atom() {
            return f(self);
        }
        match self {
            DepExpr::And(v) | DepExpr::Or(v) => v.iter().for_each(|r| r.for_each_atom(f)),
            DepExpr::If(a, b, c) | DepExpr::Unless(a, b, c) => {
                a.for_each_atom(f);
                b.for_each_atom(f);
                if let Some(c) = c {
                    c.for_each_atom(f);
                }
            }
            DepExpr::Dep(_) | DepExpr::With(_) | DepExpr::Without(..) => {
                unreachable!("atoms handled above")
            }
        }
    }

    /// Evaluate against an install set; `installed` answers for one atom.
    pub(crate) fn eval(&self, installed: &mut impl FnMut(&DepExpr) -> bool) -> bool {
        if self.is_atom() {
            return installed(self);
        }
        match self {
            DepExpr::And(v) => v.iter().all(|r| r.eval(installed)),
            DepExpr::Or(v) => v.iter().any(|r| r.eval(installed)),
            DepExpr::If(a, b, c) => match (b.eval(installed), c) {
                (true, _) => a.eval(installed),
                (false, Some(c)) => c.eval(installed),
                (false, None) => true,
            },
            DepExpr::Unless(a, b, c) => match (b.eval(installed), c) {
                (false, _) => a.eval(installed),
                (true, Some(c)) => c.eval(installed),
                (true, None) => false,
            },
            DepExpr::Dep(_) | DepExpr::With(_) | DepExpr::Without(..) => {
                unreachable!("atoms handled above")
            }
        }
    }
}

/// A literal of a clause: an atom (a set of packages) that must (or must not)
/// be installed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Lit<'r> {
    pub atom: &'r DepExpr,
    pub positive: bool,
}

/// A disjunction of literals.
pub(crate) type Clause<'r> = Vec<Lit<'r>>;

/// Beyond this many clauses a formula is reported as unsupported rather than
/// expanded further (distributing `or` over `and` can grow exponentially).
pub(crate) const MAX_CLAUSES: usize = 256;

/// Conjunctive normal form of `rich` (or of its negation when `positive` is
/// false). `if`/`unless`/`else` become implications, so the result may hold
/// negative literals; the solver turns those into conditions.
pub(crate) fn to_cnf(rich: &DepExpr, positive: bool) -> Result<Vec<Clause<'_>>, String> {
    let cnf = cnf(rich, positive)?;
    if cnf.len() > MAX_CLAUSES {
        return Err(format!("expands to more than {MAX_CLAUSES} clauses"));
    }
    Ok(cnf)
}

fn cnf<'r>(rich: &'r DepExpr, positive: bool) -> Result<Vec<Clause<'r>>, String> {
    if rich.is_atom() {
        return Ok(vec![vec![Lit {
            atom: rich,
            positive,
        }]]);
    }
    let conj = |parts: Vec<Vec<Clause<'r>>>| parts.into_iter().flatten().collect::<Vec<_>>();
    Ok(match (rich, positive) {
        (DepExpr::And(v), true) | (DepExpr::Or(v), false) => conj(
            v.iter()
                .map(|r| cnf(r, positive))
                .collect::<Result<_, _>>()?,
        ),
        (DepExpr::Or(v), true) | (DepExpr::And(v), false) => {
            let mut acc = vec![vec![]];
            for r in v {
                acc = product(&acc, &cnf(r, positive)?)?;
            }
            acc
        }
        // a if b        ==  ¬b ∨ a
        // a if b else c ==  (¬b ∨ a) ∧ (b ∨ c)
        (DepExpr::If(a, b, c), true) => {
            let mut out = product(&cnf(b, false)?, &cnf(a, true)?)?;
            if let Some(c) = c {
                out.extend(product(&cnf(b, true)?, &cnf(c, true)?)?);
            }
            out
        }
        // ¬(a if b)        == b ∧ ¬a
        // ¬(a if b else c) == (b ∧ ¬a) ∨ (¬b ∧ ¬c)
        (DepExpr::If(a, b, c), false) => {
            let then_fails = [cnf(b, true)?, cnf(a, false)?].concat();
            match c {
                None => then_fails,
                Some(c) => product(&then_fails, &[cnf(b, false)?, cnf(c, false)?].concat())?,
            }
        }
        // a unless b        == a ∧ ¬b
        // a unless b else c == (a ∧ ¬b) ∨ (c ∧ b)
        (DepExpr::Unless(a, b, c), true) => {
            let first = [cnf(a, true)?, cnf(b, false)?].concat();
            match c {
                None => first,
                Some(c) => product(&first, &[cnf(c, true)?, cnf(b, true)?].concat())?,
            }
        }
        // ¬(a unless b)        == ¬a ∨ b
        // ¬(a unless b else c) == (¬a ∨ b) ∧ (¬c ∨ ¬b)
        (DepExpr::Unless(a, b, c), false) => {
            let mut out = product(&cnf(a, false)?, &cnf(b, true)?)?;
            if let Some(c) = c {
                out.extend(product(&cnf(c, false)?, &cnf(b, false)?)?);
            }
            out
        }
        (DepExpr::Dep(_) | DepExpr::With(_) | DepExpr::Without(..), _) => {
            unreachable!("atoms handled above")
        }
    })
}

/// (A1 ∧ A2 ...) ∨ (B1 ∧ B2 ...) distributed into CNF.
fn product<'r>(a: &[Clause<'r>], b: &[Clause<'r>]) -> Result<Vec<Clause<'r>>, String> {
    if a.len().saturating_mul(b.len()) > MAX_CLAUSES {
        return Err(format!("expands to more than {MAX_CLAUSES} clauses"));
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            let mut clause = x.clone();
            for lit in y {
                if !clause.contains(lit) {
                    clause.push(lit.clone());
                }
            }
            // `p ∨ ¬p` always holds: drop the clause.
            let tautology = clause.iter().any(|l| {
                clause
                    .iter()
                    .any(|m| m.atom == l.atom && m.positive != l.positive)
            });
            if !tautology {
                out.push(clause);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<DepExpr, crate::rpm::DepError> {
        DepExpr::parse_header(s)
    }

    fn show(cnf: &[Clause<'_>]) -> String {
        let clauses: Vec<String> = cnf
            .iter()
            .map(|c| {
                let lits: Vec<String> = c
                    .iter()
                    .map(|l| format!("{}{}", if l.positive { "" } else { "!" }, l.atom))
                    .collect();
                lits.join("|")
            })
            .collect();
        clauses.join(" & ")
    }

    #[test]
    fn cnf_of_conditionals() {
        let r = parse("(a if b else c)").unwrap();
        assert_eq!(show(&to_cnf(&r, true).unwrap()), "!b|a & b|c");
        let r = parse("(a unless b)").unwrap();
        assert_eq!(show(&to_cnf(&r, true).unwrap()), "a & !b");
        let r = parse("(a unless b else c)").unwrap();
        assert_eq!(show(&to_cnf(&r, true).unwrap()), "a|c & a|b & !b|c");
        assert_eq!(show(&to_cnf(&r, false).unwrap()), "!a|b & !c|!b");
        let r = parse("((a and b) or c)").unwrap();
        assert_eq!(show(&to_cnf(&r, true).unwrap()), "a|c & b|c");
        let r = parse("(a and b)").unwrap();
        assert_eq!(show(&to_cnf(&r, false).unwrap()), "!a|!b");
        let r = parse("(a if b)").unwrap();
        assert_eq!(show(&to_cnf(&r, false).unwrap()), "b & !a");
    }

    #[test]
    fn evaluates() {
        let r = parse("(glibc and (langpacks-core-zu or langpacks-core-zu_ZA))").unwrap();
        let have = |names: &'static [&'static str]| move |a: &DepExpr| matches!(a, DepExpr::Dep(d) if names.contains(&d.name.as_str()));
        assert!(r.eval(&mut have(&["glibc", "langpacks-core-zu_ZA"])));
        assert!(!r.eval(&mut have(&["glibc"])));
        let r = parse("(a if b else c)").unwrap();
        assert!(r.eval(&mut have(&["c"])));
        assert!(!r.eval(&mut have(&["b"])));
    }
}
