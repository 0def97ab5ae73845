//! Rich (boolean) dependencies: `(a or b)`, `(a if b else c)`, `(a with b)`, ...
//!
//! The parser follows rpm's grammar (rpmrichParse): a parenthesised list of
//! operands joined by one operator, where `and`, `or` and `with` may repeat and
//! `if`/`unless` may take one `else`. Names may contain balanced parentheses
//! (`python3.9dist(idna) < 3`), as rpm allows.
//!
//! Two consumers: the solver turns an expression into clauses ([`to_cnf`]) and
//! the weak-dependency pass evaluates one against an install set ([`Rich::eval`]).

use std::fmt;

use crate::rpm::{Cmp, Dep, Evr};

/// A parsed rich dependency.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Rich {
    Dep(Dep),
    And(Vec<Rich>),
    Or(Vec<Rich>),
    /// `then if cond [else otherwise]`: cond → then (¬cond → otherwise).
    If(Box<Rich>, Box<Rich>, Option<Box<Rich>>),
    /// `a unless b [else c]`: (a ∧ ¬b) [∨ (c ∧ b)]. This is rpm's and
    /// libsolv's reading (libsolv commit 0c8cd389), stricter than the "if not"
    /// the name suggests: a Requires `(a unless b)` also keeps `b` out.
    Unless(Box<Rich>, Box<Rich>, Option<Box<Rich>>),
    /// One package must satisfy every operand.
    With(Vec<Rich>),
    /// A package that satisfies the first operand but not the second.
    Without(Box<Rich>, Box<Rich>),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Op {
    And,
    Or,
    If,
    Unless,
    Else,
    With,
    Without,
}

impl Op {
    fn from_word(w: &str) -> Option<Op> {
        Some(match w {
            "and" => Op::And,
            "or" => Op::Or,
            "if" => Op::If,
            "unless" => Op::Unless,
            "else" => Op::Else,
            "with" => Op::With,
            "without" => Op::Without,
            _ => return None,
        })
    }
}

/// Parse a rich dependency (the whole string, including the outer parentheses).
pub(crate) fn parse(s: &str) -> Result<Rich, String> {
    let mut p = Parser { s, pos: 0 };
    let rich = p.group()?;
    p.skip_ws();
    if p.pos != s.len() {
        return Err(format!(
            "unexpected text after the closing parenthesis: {:?}",
            &s[p.pos..]
        ));
    }
    Ok(rich)
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }

    fn skip_ws(&mut self) {
        let trimmed = self.rest().trim_start();
        self.pos = self.s.len() - trimmed.len();
    }

    /// `( operand [op operand]... )`
    fn group(&mut self) -> Result<Rich, String> {
        self.skip_ws();
        if !self.rest().starts_with('(') {
            return Err("expected '('".into());
        }
        self.pos += 1;
        let first = self.operand()?;
        let mut op: Option<Op> = None;
        let mut operands = vec![first];
        loop {
            self.skip_ws();
            if self.rest().starts_with(')') {
                self.pos += 1;
                break;
            }
            let word = self.word();
            let next = Op::from_word(word).ok_or_else(|| format!("unknown operator {word:?}"))?;
            check_operator(op, next, operands.len())?;
            if next != Op::Else {
                op = Some(next);
            }
            operands.push(self.operand()?);
        }
        build(op, operands)
    }

    fn operand(&mut self) -> Result<Rich, String> {
        self.skip_ws();
        if self.rest().starts_with('(') {
            return self.group();
        }
        let name = self.word();
        if name.is_empty() {
            return Err("missing operand".into());
        }
        // An optional comparison follows a simple dependency.
        let save = self.pos;
        self.skip_ws();
        let op_len = self
            .rest()
            .bytes()
            .take_while(|c| b"<>=".contains(c))
            .count();
        if op_len == 0 {
            self.pos = save;
            return Ok(Rich::Dep(Dep::unversioned(name)));
        }
        let cmp_text = &self.rest()[..op_len];
        let cmp =
            Cmp::from_operator(cmp_text).ok_or_else(|| format!("bad comparison {cmp_text:?}"))?;
        self.pos += op_len;
        self.skip_ws();
        let evr = self.word();
        if evr.is_empty() {
            return Err(format!("missing version after {name} {cmp_text}"));
        }
        Ok(Rich::Dep(Dep::versioned(name, cmp, Evr::parse(evr))))
    }

    /// A name, version or operator word: up to whitespace or an unbalanced ')'
    /// (rpm's skipnonwhitex), so `libc.so.6()(64bit)` stays one word.
    fn word(&mut self) -> &'a str {
        let rest = self.rest();
        let mut depth = 0usize;
        let mut end = rest.len();
        for (i, c) in rest.char_indices() {
            if c.is_whitespace() || c == ',' {
                end = i;
                break;
            }
            if c == '(' {
                depth += 1;
            } else if c == ')' {
                if depth == 0 {
                    end = i;
                    break;
                }
                depth -= 1;
            }
        }
        self.pos += end;
        &rest[..end]
    }
}

/// rpm's rules for operator sequences within one parenthesis.
fn check_operator(current: Option<Op>, next: Op, operands: usize) -> Result<(), String> {
    match (current, next) {
        (None, Op::Else) => Err("'else' without 'if' or 'unless'".into()),
        (None, _) => Ok(()),
        (Some(Op::If | Op::Unless), Op::Else) if operands == 2 => Ok(()),
        (Some(a), b) if a == b && matches!(a, Op::And | Op::Or | Op::With) => Ok(()),
        (Some(a), b) => Err(format!("cannot chain {a:?} with {b:?} without parentheses")),
    }
}

fn build(op: Option<Op>, mut operands: Vec<Rich>) -> Result<Rich, String> {
    let boxed = |r: Rich| Box::new(r);
    Ok(match op {
        None => operands.pop().expect("one operand"),
        Some(Op::And) => Rich::And(operands),
        Some(Op::Or) => Rich::Or(operands),
        Some(Op::With) => Rich::With(operands),
        Some(Op::Without) if operands.len() == 2 => {
            let b = operands.pop().unwrap();
            Rich::Without(boxed(operands.pop().unwrap()), boxed(b))
        }
        Some(op @ (Op::If | Op::Unless)) => {
            let mut it = operands.into_iter();
            let (then, cond, otherwise) = (it.next().unwrap(), it.next().unwrap(), it.next());
            let otherwise = otherwise.map(boxed);
            if op == Op::If {
                Rich::If(boxed(then), boxed(cond), otherwise)
            } else {
                Rich::Unless(boxed(then), boxed(cond), otherwise)
            }
        }
        Some(op) => return Err(format!("{op:?} takes exactly two operands")),
    })
}

impl fmt::Display for Rich {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = |f: &mut fmt::Formatter<'_>, items: &[Rich], op: &str| {
            f.write_str("(")?;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    write!(f, " {op} ")?;
                }
                write!(f, "{item}")?;
            }
            f.write_str(")")
        };
        let cond =
            |f: &mut fmt::Formatter<'_>, a: &Rich, op: &str, b: &Rich, c: &Option<Box<Rich>>| {
                write!(f, "({a} {op} {b}")?;
                if let Some(c) = c {
                    write!(f, " else {c}")?;
                }
                f.write_str(")")
            };
        match self {
            Rich::Dep(d) => write!(f, "{d}"),
            Rich::And(v) => join(f, v, "and"),
            Rich::Or(v) => join(f, v, "or"),
            Rich::With(v) => join(f, v, "with"),
            Rich::Without(a, b) => write!(f, "({a} without {b})"),
            Rich::If(a, b, c) => cond(f, a, "if", b, c),
            Rich::Unless(a, b, c) => cond(f, a, "unless", b, c),
        }
    }
}

impl Rich {
    /// Whether this expression is a set of packages (a capability, or `with`/
    /// `without` of capabilities) rather than a boolean formula over them.
    pub(crate) fn is_atom(&self) -> bool {
        matches!(self, Rich::Dep(_) | Rich::With(_) | Rich::Without(..))
    }

    /// Visit every atom of the expression.
    pub(crate) fn for_each_atom<'r>(&'r self, f: &mut impl FnMut(&'r Rich)) {
        if self.is_atom() {
            return f(self);
        }
        match self {
            Rich::And(v) | Rich::Or(v) => v.iter().for_each(|r| r.for_each_atom(f)),
            Rich::If(a, b, c) | Rich::Unless(a, b, c) => {
                a.for_each_atom(f);
                b.for_each_atom(f);
                if let Some(c) = c {
                    c.for_each_atom(f);
                }
            }
            Rich::Dep(_) | Rich::With(_) | Rich::Without(..) => unreachable!("atoms handled above"),
        }
    }

    /// Evaluate against an install set; `installed` answers for one atom.
    pub(crate) fn eval(&self, installed: &mut impl FnMut(&Rich) -> bool) -> bool {
        if self.is_atom() {
            return installed(self);
        }
        match self {
            Rich::And(v) => v.iter().all(|r| r.eval(installed)),
            Rich::Or(v) => v.iter().any(|r| r.eval(installed)),
            Rich::If(a, b, c) => match (b.eval(installed), c) {
                (true, _) => a.eval(installed),
                (false, Some(c)) => c.eval(installed),
                (false, None) => true,
            },
            Rich::Unless(a, b, c) => match (b.eval(installed), c) {
                (false, _) => a.eval(installed),
                (true, Some(c)) => c.eval(installed),
                (true, None) => false,
            },
            Rich::Dep(_) | Rich::With(_) | Rich::Without(..) => unreachable!("atoms handled above"),
        }
    }
}

/// A literal of a clause: an atom (a set of packages) that must (or must not)
/// be installed.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Lit<'r> {
    pub atom: &'r Rich,
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
pub(crate) fn to_cnf(rich: &Rich, positive: bool) -> Result<Vec<Clause<'_>>, String> {
    let cnf = cnf(rich, positive)?;
    if cnf.len() > MAX_CLAUSES {
        return Err(format!("expands to more than {MAX_CLAUSES} clauses"));
    }
    Ok(cnf)
}

fn cnf<'r>(rich: &'r Rich, positive: bool) -> Result<Vec<Clause<'r>>, String> {
    if rich.is_atom() {
        return Ok(vec![vec![Lit {
            atom: rich,
            positive,
        }]]);
    }
    let conj = |parts: Vec<Vec<Clause<'r>>>| parts.into_iter().flatten().collect::<Vec<_>>();
    Ok(match (rich, positive) {
        (Rich::And(v), true) | (Rich::Or(v), false) => conj(
            v.iter()
                .map(|r| cnf(r, positive))
                .collect::<Result<_, _>>()?,
        ),
        (Rich::Or(v), true) | (Rich::And(v), false) => {
            let mut acc = vec![vec![]];
            for r in v {
                acc = product(&acc, &cnf(r, positive)?)?;
            }
            acc
        }
        // a if b        ==  ¬b ∨ a
        // a if b else c ==  (¬b ∨ a) ∧ (b ∨ c)
        (Rich::If(a, b, c), true) => {
            let mut out = product(&cnf(b, false)?, &cnf(a, true)?)?;
            if let Some(c) = c {
                out.extend(product(&cnf(b, true)?, &cnf(c, true)?)?);
            }
            out
        }
        // ¬(a if b)        == b ∧ ¬a
        // ¬(a if b else c) == (b ∧ ¬a) ∨ (¬b ∧ ¬c)
        (Rich::If(a, b, c), false) => {
            let then_fails = [cnf(b, true)?, cnf(a, false)?].concat();
            match c {
                None => then_fails,
                Some(c) => product(&then_fails, &[cnf(b, false)?, cnf(c, false)?].concat())?,
            }
        }
        // a unless b        == a ∧ ¬b
        // a unless b else c == (a ∧ ¬b) ∨ (c ∧ b)
        (Rich::Unless(a, b, c), true) => {
            let first = [cnf(a, true)?, cnf(b, false)?].concat();
            match c {
                None => first,
                Some(c) => product(&first, &[cnf(c, true)?, cnf(b, true)?].concat())?,
            }
        }
        // ¬(a unless b)        == ¬a ∨ b
        // ¬(a unless b else c) == (¬a ∨ b) ∧ (¬c ∨ ¬b)
        (Rich::Unless(a, b, c), false) => {
            let mut out = product(&cnf(a, false)?, &cnf(b, true)?)?;
            if let Some(c) = c {
                out.extend(product(&cnf(c, false)?, &cnf(b, false)?)?);
            }
            out
        }
        (Rich::Dep(_) | Rich::With(_) | Rich::Without(..), _) => {
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
    fn parses_real_world_forms() {
        let r = parse("(python3.9dist(idna) < 3 with python3.9dist(idna) >= 2.5)").unwrap();
        assert_eq!(
            r.to_string(),
            "(python3.9dist(idna) < 3 with python3.9dist(idna) >= 2.5)"
        );
        let r = parse("(glibc and (langpacks-core-zu or langpacks-core-zu_ZA))").unwrap();
        assert!(matches!(&r, Rich::And(v) if v.len() == 2));
        let r = parse("(libcrypt.so.1()(64bit) if python3(x86-64))").unwrap();
        assert_eq!(r.to_string(), "(libcrypt.so.1()(64bit) if python3(x86-64))");
        let r = parse("(a if b else (c or d))").unwrap();
        assert!(matches!(r, Rich::If(_, _, Some(_))));
        let r = parse("(sssd-nfs-idmap = 2.6.2-2.el9 if libnfsidmap)").unwrap();
        assert_eq!(
            r.to_string(),
            "(sssd-nfs-idmap = 2.6.2-2.el9 if libnfsidmap)"
        );
    }

    #[test]
    fn rejects_malformed() {
        assert!(parse("(a or b and c)").is_err());
        assert!(parse("(a or b").is_err());
        assert!(parse("(a else b)").is_err());
        assert!(parse("(a frob b)").is_err());
        assert!(parse("(a if b else c else d)").is_err());
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
        let have = |names: &'static [&'static str]| move |a: &Rich| matches!(a, Rich::Dep(d) if names.contains(&d.name.as_str()));
        assert!(r.eval(&mut have(&["glibc", "langpacks-core-zu_ZA"])));
        assert!(!r.eval(&mut have(&["glibc"])));
        let r = parse("(a if b else c)").unwrap();
        assert!(r.eval(&mut have(&["c"])));
        assert!(!r.eval(&mut have(&["b"])));
    }
}
