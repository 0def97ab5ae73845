//! The dependency grammar (stand-in until the rpm-exact parser lands): any
//! dependency string parses into one [`DepExpr`].

use std::fmt;

use super::evr::{Cmp, Dep, Evr};

/// Any dependency string: a simple `name [op evr]` or a rich (boolean) expression.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DepExpr {
    Dep(Dep),
    And(Vec<DepExpr>),
    Or(Vec<DepExpr>),
    With(Vec<DepExpr>),
    Without(Box<DepExpr>, Box<DepExpr>),
    /// (then, cond, else): `then if cond [else else]`
    If(Box<DepExpr>, Box<DepExpr>, Option<Box<DepExpr>>),
    /// (then, cond, else): `then unless cond [else else]`
    Unless(Box<DepExpr>, Box<DepExpr>, Option<Box<DepExpr>>),
}

/// A dependency string that does not parse.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid dependency {text:?}: {reason}")]
pub struct DepError {
    pub text: String,
    pub reason: String,
}

impl DepExpr {
    pub fn parse(text: &str) -> Result<DepExpr, DepError> {
        let err = |reason: String| DepError {
            text: text.to_string(),
            reason,
        };
        if !text.trim_start().starts_with('(') {
            return Ok(DepExpr::Dep(Dep::parse(text)));
        }
        let mut p = Parser { s: text, pos: 0 };
        let expr = p.group().map_err(err)?;
        p.skip_ws();
        if p.pos != text.len() {
            return Err(err(format!(
                "unexpected text after the closing parenthesis: {:?}",
                &text[p.pos..]
            )));
        }
        Ok(expr)
    }

    pub fn is_rich(&self) -> bool {
        !matches!(self, DepExpr::Dep(_))
    }
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

struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }

    fn skip_ws(&mut self) {
        let trimmed = self
            .rest()
            .trim_start_matches(|c: char| c.is_whitespace() || c == ',');
        self.pos = self.s.len() - trimmed.len();
    }

    fn group(&mut self) -> Result<DepExpr, String> {
        self.skip_ws();
        if !self.rest().starts_with('(') {
            return Err("expected '('".into());
        }
        self.pos += 1;
        let mut operands = vec![self.operand()?];
        let mut op: Option<Op> = None;
        loop {
            self.skip_ws();
            if self.rest().starts_with(')') {
                self.pos += 1;
                break;
            }
            let word = self.word();
            let next = match word {
                "and" => Op::And,
                "or" => Op::Or,
                "if" => Op::If,
                "unless" => Op::Unless,
                "else" => Op::Else,
                "with" => Op::With,
                "without" => Op::Without,
                "" => return Err("missing ')'".into()),
                other => return Err(format!("unknown operator {other:?}")),
            };
            match (op, next) {
                (None, Op::Else) => return Err("'else' without 'if' or 'unless'".into()),
                (None, _) => {}
                (Some(Op::If | Op::Unless), Op::Else) if operands.len() == 2 => {}
                (Some(a), b) if a == b && matches!(a, Op::And | Op::Or | Op::With) => {}
                (Some(a), b) => {
                    return Err(format!("cannot chain {a:?} with {b:?} without parentheses"))
                }
            }
            if next != Op::Else {
                op = Some(next);
            }
            operands.push(self.operand()?);
        }
        let boxed = Box::new;
        Ok(match op {
            None => operands.pop().unwrap(),
            Some(Op::And) => DepExpr::And(operands),
            Some(Op::Or) => DepExpr::Or(operands),
            Some(Op::With) => DepExpr::With(operands),
            Some(Op::Without) if operands.len() == 2 => {
                let b = operands.pop().unwrap();
                DepExpr::Without(boxed(operands.pop().unwrap()), boxed(b))
            }
            Some(o @ (Op::If | Op::Unless)) => {
                let mut it = operands.into_iter();
                let (a, b, c) = (it.next().unwrap(), it.next().unwrap(), it.next().map(boxed));
                if o == Op::If {
                    DepExpr::If(boxed(a), boxed(b), c)
                } else {
                    DepExpr::Unless(boxed(a), boxed(b), c)
                }
            }
            Some(o) => return Err(format!("{o:?} takes exactly two operands")),
        })
    }

    fn operand(&mut self) -> Result<DepExpr, String> {
        self.skip_ws();
        if self.rest().starts_with('(') {
            return self.group();
        }
        let name = self.word();
        if name.is_empty() {
            return Err("missing operand".into());
        }
        let save = self.pos;
        self.skip_ws();
        let op_len = self
            .rest()
            .bytes()
            .take_while(|c| b"<>=".contains(c))
            .count();
        if op_len == 0 {
            self.pos = save;
            return Ok(DepExpr::Dep(Dep::unversioned(name)));
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
        Ok(DepExpr::Dep(Dep::versioned(name, cmp, Evr::parse(evr))))
    }

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

impl fmt::Display for DepExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = |f: &mut fmt::Formatter<'_>, items: &[DepExpr], op: &str| {
            f.write_str("(")?;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    write!(f, " {op} ")?;
                }
                write!(f, "{item}")?;
            }
            f.write_str(")")
        };
        let cond = |f: &mut fmt::Formatter<'_>,
                    a: &DepExpr,
                    op: &str,
                    b: &DepExpr,
                    c: &Option<Box<DepExpr>>| {
            write!(f, "({a} {op} {b}")?;
            if let Some(c) = c {
                write!(f, " else {c}")?;
            }
            f.write_str(")")
        };
        match self {
            DepExpr::Dep(d) => write!(f, "{d}"),
            DepExpr::And(v) => join(f, v, "and"),
            DepExpr::Or(v) => join(f, v, "or"),
            DepExpr::With(v) => join(f, v, "with"),
            DepExpr::Without(a, b) => write!(f, "({a} without {b})"),
            DepExpr::If(a, b, c) => cond(f, a, "if", b, c),
            DepExpr::Unless(a, b, c) => cond(f, a, "unless", b, c),
        }
    }
}
