//! RPM's dependency grammar: one parser and one AST ([`DepExpr`]) for every
//! dependency string, simple (`name`, `name >= 1:2.0-3`) or rich
//! (`(a or b)`, `(a if b else c)`, `(a with b)`, ...), and the simple
//! dependency itself ([`Dep`]) with rpm's range logic.
//!
//! The grammar is rpm 4.18's (`rpmrichParse` and friends in lib/rpmds.c),
//! re-stated here:
//!
//! - A rich dependency is a parenthesised group: operands separated by one
//!   operator word. `and`, `or` and `with` may repeat (`(a or b or c)`),
//!   `if` and `unless` take at most one `else`; any other mix of operators
//!   needs parentheses, and `if`, `unless` and `without` do not repeat.
//! - An operand is a group or a simple dependency: a name, optionally
//!   followed by a comparison (`<`, `<=`, `=<`, `=`, `==`, `>=`, `=>`, `>`)
//!   and a version, each a separate token. A token ends at whitespace, a
//!   comma or a `)` that closes nothing, so names may hold balanced
//!   parentheses (`libc.so.6()(64bit)`). Whitespace and commas between
//!   tokens are skipped alike.
//! - Context rules (rpmbuild's `rpmrichParseForTag`): the operands of
//!   `with`/`without` may only be simple dependencies, `or` groups and
//!   further `with`/`without` groups; an `if` may not be an operand of
//!   `or` or `unless` (nor a Conflicts-like dependency's top level), an
//!   `unless` not one of `and` or `if` (nor a Requires-like one's top
//!   level); a condition (the operand after `if`/`unless`) is free of both.
//! - Nothing may follow the closing parenthesis (rpm's "junk after rich
//!   dependency").
//!
//! One deliberate difference: rpm's parser also accepts `else` without an
//! `if`/`unless` (`(a else b)`; rpm reads it as `a`, its own if/else code
//! builds that form internally). The AST has no node for it, so it is
//! rejected here, but only where rpm finds nothing else wrong: every other
//! rejection gives rpm's own reason. And groups nest at most [`MAX_DEPTH`]
//! deep, where rpm has no limit: parsing, printing and dropping recurse, and
//! a few KB of `(` in a repository's metadata must not overflow the stack.

use std::cmp::Ordering;
use std::fmt;

use super::evr::Evr;

/// How deep parenthesised groups may nest ([`DepErrorReason::TooDeep`]).
/// Real rich dependencies nest a few levels.
pub const MAX_DEPTH: usize = 128;

/// The comparison of a versioned dependency; `Any` for an unversioned one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Cmp {
    Any,
    Lt,
    Le,
    Eq,
    Ge,
    Gt,
}

impl Cmp {
    /// repodata spells comparisons as `LT`, `LE`, `EQ`, `GE`, `GT`.
    pub fn from_repodata(flags: &str) -> Option<Cmp> {
        Some(match flags {
            "LT" => Cmp::Lt,
            "LE" => Cmp::Le,
            "EQ" => Cmp::Eq,
            "GE" => Cmp::Ge,
            "GT" => Cmp::Gt,
            _ => return None,
        })
    }

    /// The comparison tokens rpm knows (its `rpmParseDSFlags` table).
    pub fn from_operator(op: &str) -> Option<Cmp> {
        Some(match op {
            "<" => Cmp::Lt,
            "<=" | "=<" => Cmp::Le,
            "=" | "==" => Cmp::Eq,
            ">=" | "=>" => Cmp::Ge,
            ">" => Cmp::Gt,
            _ => return None,
        })
    }

    /// The canonical token; empty for `Any`.
    pub fn operator(self) -> &'static str {
        match self {
            Cmp::Any => "",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Eq => "=",
            Cmp::Ge => ">=",
            Cmp::Gt => ">",
        }
    }

    fn allows_less(self) -> bool {
        matches!(self, Cmp::Lt | Cmp::Le)
    }
    fn allows_equal(self) -> bool {
        matches!(self, Cmp::Le | Cmp::Eq | Cmp::Ge)
    }
    fn allows_greater(self) -> bool {
        matches!(self, Cmp::Gt | Cmp::Ge)
    }
}

/// A simple dependency as it appears in metadata: a name (capability) and an
/// optional range. In repodata and headers a rich dependency is carried as a
/// `Dep` whose name is the whole `(...)` string, with no range
/// ([`Dep::is_rich`]); [`DepExpr::parse`] reads that name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Dep {
    pub name: String,
    pub cmp: Cmp,
    pub evr: Option<Evr>,
}

impl Dep {
    pub fn unversioned(name: impl Into<String>) -> Dep {
        Dep {
            name: name.into(),
            cmp: Cmp::Any,
            evr: None,
        }
    }

    pub fn versioned(name: impl Into<String>, cmp: Cmp, evr: Evr) -> Dep {
        Dep {
            name: name.into(),
            cmp,
            evr: Some(evr),
        }
    }

    /// Parse `name` or `name OP evr` (as written in a kickstart or on the
    /// command line) with [`DepExpr::parse`]. A valid rich dependency comes
    /// back in its metadata form: the whole string as the name.
    pub fn parse(s: &str) -> Result<Dep, DepError> {
        match DepExpr::parse(s)? {
            DepExpr::Dep(dep) => Ok(dep),
            _ => Ok(Dep::unversioned(s)),
        }
    }

    /// Whether the ranges of two dependencies on the same name overlap, as rpm's
    /// rpmdsCompare decides it: an unversioned side matches everything.
    pub fn ranges_overlap(&self, other: &Dep) -> bool {
        let (Some(a), Some(b)) = (&self.evr, &other.evr) else {
            return true;
        };
        if self.cmp == Cmp::Any || other.cmp == Cmp::Any {
            return true;
        }
        match a.compare_for_match(b) {
            Ordering::Less => self.cmp.allows_greater() || other.cmp.allows_less(),
            Ordering::Greater => self.cmp.allows_less() || other.cmp.allows_greater(),
            Ordering::Equal => {
                (self.cmp.allows_equal() && other.cmp.allows_equal())
                    || (self.cmp.allows_less() && other.cmp.allows_less())
                    || (self.cmp.allows_greater() && other.cmp.allows_greater())
            }
        }
    }

    /// Whether a package of this exact EVR satisfies this range.
    pub fn matches_evr(&self, evr: &Evr) -> bool {
        self.ranges_overlap(&Dep::versioned(self.name.clone(), Cmp::Eq, evr.clone()))
    }

    /// A rich (boolean) dependency in metadata form: the name is the whole
    /// `(...)` string (rpm's `rpmdsIsRich`).
    pub fn is_rich(&self) -> bool {
        self.name.starts_with('(')
    }
}

impl fmt::Display for Dep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        if let (Some(evr), false) = (&self.evr, self.cmp == Cmp::Any) {
            let text = evr.to_string();
            // `0:` reads back as epoch 0 and an empty version, which prints
            // as nothing; a comparison needs a version token after it.
            let text = if text.is_empty() { "0:" } else { text.as_str() };
            write!(f, " {} {text}", self.cmp.operator())?;
        }
        Ok(())
    }
}

/// Any dependency string: a simple `name [op evr]` or a rich (boolean) expression.
///
/// Operands of `and`, `or` and `with` are kept as written: `(a and b and c)`
/// is one `And` of three, `(a and (b and c))` an `And` holding an `And`. A
/// parenthesised single operand (`(a)`) is that operand.
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

/// The dependency tags of a package. rpmbuild's rules for rich dependencies
/// depend on it ([`DepExpr::parse_for`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DepKind {
    Requires,
    Provides,
    Conflicts,
    Obsoletes,
    Recommends,
    Suggests,
    Supplements,
    Enhances,
}

impl DepKind {
    /// Every kind, in the order of the enum.
    pub const ALL: [DepKind; 8] = [
        DepKind::Requires,
        DepKind::Provides,
        DepKind::Conflicts,
        DepKind::Obsoletes,
        DepKind::Recommends,
        DepKind::Suggests,
        DepKind::Supplements,
        DepKind::Enhances,
    ];
}

/// A dependency string that does not parse: the text, where, and why.
#[derive(Clone, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[error("invalid dependency {text:?}: {reason} at byte {offset}")]
pub struct DepError {
    /// The whole dependency string.
    pub text: String,
    /// Byte offset into `text` where the problem was found.
    pub offset: usize,
    pub reason: DepErrorReason,
}

/// Why a dependency string does not parse, in rpm's words where rpm has some.
#[derive(Clone, Debug, PartialEq, Eq, Hash, thiserror::Error)]
pub enum DepErrorReason {
    #[error("name required")]
    NameRequired,
    #[error("version required")]
    VersionRequired,
    #[error("empty rich dependency")]
    EmptyRich,
    #[error("missing argument to rich dependency op")]
    MissingArgument,
    #[error("unterminated rich dependency")]
    Unterminated,
    #[error("unknown rich dependency op '{0}'")]
    UnknownOp(String),
    #[error("cannot chain different ops")]
    MixedOps,
    #[error("can only chain and/or/with ops")]
    ChainOnlyAndOrWith,
    #[error("illegal ops in with/without")]
    IllegalWith,
    #[error("illegal context for 'unless', please use 'or' instead")]
    IllegalUnless,
    #[error("illegal context for 'if', please use 'and' instead")]
    IllegalIf,
    #[error("junk after dependency")]
    Junk,
    #[error("no rich dependencies allowed for this type")]
    RichNotAllowed,
    /// rpm accepts this one; see the module documentation.
    #[error("'else' without 'if' or 'unless'")]
    ElseWithoutIf,
    /// rpm accepts any depth; see the module documentation.
    #[error("rich dependency nested deeper than {max} levels", max = MAX_DEPTH)]
    TooDeep,
}

impl DepExpr {
    /// Parse any dependency string with rpmbuild's rules, whatever the tag:
    /// accepted exactly when rpmbuild accepts it as a Requires or as a
    /// Conflicts (the two differ only in the top-level rule, see
    /// [`DepExpr::parse_for`]). Nothing may surround it, not even whitespace.
    /// rpmbuild's lints on the simple dependencies inside (a name starting
    /// with a letter, digit, `_` or `/`, no versioned file names, version
    /// characters) are not grammar and not checked here.
    pub fn parse(text: &str) -> Result<DepExpr, DepError> {
        parse(
            text,
            Rules {
                context: true,
                tag: None,
                whole: true,
            },
        )
    }

    /// Parse with rpmbuild's rules for one tag: rich dependencies are not
    /// allowed in Provides and Obsoletes; the top level of a Requires,
    /// Recommends or Suggests may not be an `unless`, that of a Conflicts,
    /// Supplements or Enhances not an `if`.
    pub fn parse_for(text: &str, kind: DepKind) -> Result<DepExpr, DepError> {
        parse(
            text,
            Rules {
                context: true,
                tag: Some(kind),
                whole: true,
            },
        )
    }

    /// Parse as rpm reads a dependency from a package header when it checks
    /// or orders a transaction (`rpmdsParseRichDep`): without rpmbuild's
    /// context rules, which libsolv does not apply either.
    pub fn parse_header(text: &str) -> Result<DepExpr, DepError> {
        parse(
            text,
            Rules {
                context: false,
                tag: None,
                whole: true,
            },
        )
    }

    /// Parse as rpm's database does when it indexes a rich dependency
    /// (`rpmrichParse` in `updateRichDep`): like [`DepExpr::parse_header`],
    /// and text after the closing parenthesis is ignored.
    pub fn parse_index(text: &str) -> Result<DepExpr, DepError> {
        parse(
            text,
            Rules {
                context: false,
                tag: None,
                whole: false,
            },
        )
    }

    /// Every simple dependency in the expression, in written order.
    pub fn operands(&self) -> Vec<&Dep> {
        let mut out = Vec::new();
        self.collect_operands(&mut out);
        out
    }

    fn collect_operands<'e>(&'e self, out: &mut Vec<&'e Dep>) {
        match self {
            DepExpr::Dep(d) => out.push(d),
            DepExpr::And(v) | DepExpr::Or(v) | DepExpr::With(v) => {
                v.iter().for_each(|e| e.collect_operands(out))
            }
            DepExpr::Without(a, b) => {
                a.collect_operands(out);
                b.collect_operands(out);
            }
            DepExpr::If(a, b, c) | DepExpr::Unless(a, b, c) => {
                a.collect_operands(out);
                b.collect_operands(out);
                if let Some(c) = c {
                    c.collect_operands(out);
                }
            }
        }
    }

    /// Whether this is a rich (boolean) expression rather than a simple dependency.
    pub fn is_rich(&self) -> bool {
        !matches!(self, DepExpr::Dep(_))
    }
}

/// Canonical text: rpmbuild's normal form (single spaces, every group in
/// parentheses, a simple dependency bare at the top level). It parses back
/// to the same AST.
impl fmt::Display for DepExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DepExpr::Dep(d) => write!(f, "{d}"),
            DepExpr::And(v) => group(f, v.iter().map(|e| ("and", e))),
            DepExpr::Or(v) => group(f, v.iter().map(|e| ("or", e))),
            DepExpr::With(v) => group(f, v.iter().map(|e| ("with", e))),
            DepExpr::Without(a, b) => group(f, [("", &**a), ("without", &**b)].into_iter()),
            DepExpr::If(a, b, c) => conditional(f, "if", a, b, c),
            DepExpr::Unless(a, b, c) => conditional(f, "unless", a, b, c),
        }
    }
}

fn conditional(
    f: &mut fmt::Formatter<'_>,
    op: &'static str,
    then: &DepExpr,
    cond: &DepExpr,
    otherwise: &Option<Box<DepExpr>>,
) -> fmt::Result {
    let mut items = vec![("", then), (op, cond)];
    if let Some(c) = otherwise {
        items.push(("else", &**c));
    }
    group(f, items.into_iter())
}

/// `(a op b op c)`; the operator before the first item is not written.
fn group<'e>(
    f: &mut fmt::Formatter<'_>,
    items: impl Iterator<Item = (&'static str, &'e DepExpr)>,
) -> fmt::Result {
    f.write_str("(")?;
    let mut last = None;
    for (i, (op, e)) in items.enumerate() {
        if i > 0 {
            write!(f, " {op} ")?;
        }
        write!(f, "{e}")?;
        last = Some(e);
    }
    // A last token with an unclosed `(` (a name like `a(`) would swallow the
    // closing parenthesis: keep them apart.
    if let Some(DepExpr::Dep(d)) = last {
        if unclosed_paren(&d.to_string()) {
            f.write_str(" ")?;
        }
    }
    f.write_str(")")
}

/// Whether the last whitespace-separated token of `s` leaves a `(` open.
fn unclosed_paren(s: &str) -> bool {
    let token = s.rsplit(' ').next().unwrap_or("");
    let mut depth = 0usize;
    for c in token.bytes() {
        match c {
            b'(' => depth += 1,
            b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    depth > 0
}

// ---------------------------------------------------------------- the parser

/// Which of rpm's rule sets apply.
#[derive(Clone, Copy)]
struct Rules {
    /// rpmbuild's context rules (rpm's RICHPARSE_CHECK).
    context: bool,
    /// rpmbuild's top-level rule for one tag.
    tag: Option<DepKind>,
    /// Reject text after the dependency.
    whole: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
    fn from_word(w: &[u8]) -> Option<Op> {
        Some(match w {
            b"and" => Op::And,
            b"or" => Op::Or,
            b"if" => Op::If,
            b"unless" => Op::Unless,
            b"else" => Op::Else,
            b"with" => Op::With,
            b"without" => Op::Without,
            _ => return None,
        })
    }
}

/// What a closed group tells the groups around it (rpm keeps these as bits).
#[derive(Clone, Copy, Default)]
struct Context {
    /// Apply the context rules at all.
    check: bool,
    /// Holds an operator that may not appear under `with`/`without`.
    no_with: bool,
    /// Holds an `unless` in a position where `and`/`if` may not take it.
    no_and: bool,
    /// Holds an `if` in a position where `or`/`unless` may not take it.
    no_or: bool,
}

impl Context {
    fn merge(&mut self, other: Context) {
        self.check |= other.check;
        self.no_with |= other.no_with;
        self.no_and |= other.no_and;
        self.no_or |= other.no_or;
    }

    /// rpm's `rpmrichParseCheck`: may a group whose first operator is `op`
    /// hold what this context describes?
    fn allows(self, op: Option<Op>) -> Result<(), DepErrorReason> {
        if matches!(op, Some(Op::With | Op::Without)) && self.no_with {
            return Err(DepErrorReason::IllegalWith);
        }
        if !self.check {
            return Ok(());
        }
        if matches!(op, Some(Op::And | Op::If)) && self.no_and {
            return Err(DepErrorReason::IllegalUnless);
        }
        if matches!(op, Some(Op::Or | Op::Unless)) && self.no_or {
            return Err(DepErrorReason::IllegalIf);
        }
        Ok(())
    }
}

type Failure = (usize, DepErrorReason);

fn parse(text: &str, rules: Rules) -> Result<DepExpr, DepError> {
    let fail = |(offset, reason): Failure| DepError {
        text: text.to_string(),
        offset,
        reason,
    };
    let mut p = Parser {
        text,
        s: text.as_bytes(),
        deferred: None,
        depth: 0,
    };
    let mut pos = 0;
    let (expr, end) = if p.at(0) == b'(' {
        if rules
            .tag
            .is_some_and(|k| matches!(k, DepKind::Provides | DepKind::Obsoletes))
        {
            return Err(fail((0, DepErrorReason::RichNotAllowed)));
        }
        let ctx = Context {
            check: rules.context,
            ..Context::default()
        };
        let (expr, ctx) = p.group(&mut pos, ctx).map_err(fail)?;
        if let Some(kind) = rules.tag {
            let top = match kind {
                DepKind::Conflicts | DepKind::Supplements | DepKind::Enhances => Op::Or,
                _ => Op::And,
            };
            ctx.allows(Some(top)).map_err(|r| fail((0, r)))?;
        }
        (expr, pos)
    } else {
        let (dep, end) = p.simple(&mut pos).map_err(fail)?;
        (DepExpr::Dep(dep), end)
    };
    if rules.whole && end < text.len() {
        return Err(fail((end, DepErrorReason::Junk)));
    }
    if let Some(deferred) = p.deferred {
        return Err(fail(deferred));
    }
    Ok(expr)
}

struct Parser<'t> {
    text: &'t str,
    s: &'t [u8],
    /// An `else` without `if`: rpm accepts it, so it is reported only if
    /// nothing rpm rejects turns up.
    deferred: Option<Failure>,
    /// Groups open around the one being read.
    depth: usize,
}

/// C's `isspace` in the C locale (rpm's `risspace`).
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

impl Parser<'_> {
    /// The byte at `p`; 0 past the end, where C sees the terminator.
    fn at(&self, p: usize) -> u8 {
        self.s.get(p).copied().unwrap_or(0)
    }

    /// Past whitespace and commas.
    fn skip_white(&self, mut p: usize) -> usize {
        while self.at(p) != 0 && (is_space(self.at(p)) || self.at(p) == b',') {
            p += 1;
        }
        p
    }

    /// Past one token: up to whitespace, a comma, or a `)` that closes no
    /// `(` of the token itself.
    fn skip_token(&self, mut p: usize) -> usize {
        let mut depth = 0usize;
        loop {
            match self.at(p) {
                0 => return p,
                c if is_space(c) || c == b',' => return p,
                b')' if depth == 0 => return p,
                b')' => depth -= 1,
                b'(' => depth += 1,
                _ => {}
            }
            p += 1;
        }
    }

    /// `name [op version]` at `*p`. Leaves `*p` where rpm's parser does
    /// (past the whitespace after a name without a comparison) and returns
    /// the end of the last token.
    fn simple(&self, p: &mut usize) -> Result<(Dep, usize), Failure> {
        let name_start = *p;
        let name_end = self.skip_token(name_start);
        if name_end == name_start {
            return Err((name_start, DepErrorReason::NameRequired));
        }
        let name = &self.text[name_start..name_end];
        *p = self.skip_white(name_end);
        if self.at(*p) != 0 {
            let op_end = self.skip_token(*p);
            if let Some(cmp) = Cmp::from_operator(&self.text[*p..op_end]) {
                let v_start = self.skip_white(op_end);
                let v_end = self.skip_token(v_start);
                *p = v_end;
                if v_end == v_start {
                    return Err((v_start, DepErrorReason::VersionRequired));
                }
                let evr = Evr::parse(&self.text[v_start..v_end]);
                return Ok((Dep::versioned(name, cmp, evr), v_end));
            }
        }
        Ok((Dep::unversioned(name), name_end))
    }

    /// A parenthesised group at `*p` (which holds `(`), with the context
    /// handed down; returns the expression and the context it hands up.
    fn group(&mut self, p: &mut usize, outer: Context) -> Result<(DepExpr, Context), Failure> {
        if self.depth == MAX_DEPTH {
            return Err((*p, DepErrorReason::TooDeep));
        }
        self.depth += 1;
        let group = self.group_at_depth(p, outer);
        self.depth -= 1;
        group
    }

    fn group_at_depth(
        &mut self,
        p: &mut usize,
        outer: Context,
    ) -> Result<(DepExpr, Context), Failure> {
        debug_assert_eq!(self.at(*p), b'(');
        *p += 1;
        let mut ctx = outer;
        let mut operands: Vec<DepExpr> = Vec::new();
        // The first operator and where it is; the one before the operand
        // being read; the one a chain continues with.
        let mut first: Option<(Op, usize)> = None;
        let mut last: Option<Op> = None;
        let mut chain: Option<Op> = None;
        loop {
            *p = self.skip_white(*p);
            match self.at(*p) {
                b')' => {
                    let reason = if chain.is_some() {
                        DepErrorReason::MissingArgument
                    } else {
                        DepErrorReason::EmptyRich
                    };
                    return Err((*p, reason));
                }
                b'(' => {
                    let inner = Context {
                        check: ctx.check,
                        ..Context::default()
                    };
                    let (expr, mut sub) = self.group(p, inner)?;
                    // A condition is free of the if/unless restrictions.
                    if matches!(last, Some(Op::If | Op::Unless)) {
                        sub.no_and = false;
                        sub.no_or = false;
                    }
                    ctx.merge(sub);
                    operands.push(expr);
                }
                _ => operands.push(DepExpr::Dep(self.simple(p)?.0)),
            }
            *p = self.skip_white(*p);
            match self.at(*p) {
                0 => return Err((*p, DepErrorReason::Unterminated)),
                b')' => break,
                _ => {}
            }
            let start = *p;
            let mut end = start;
            while self.at(end) != 0 && !is_space(self.at(end)) && self.at(end) != b')' {
                end += 1;
            }
            let op = Op::from_word(&self.s[start..end]).ok_or_else(|| {
                (
                    start,
                    DepErrorReason::UnknownOp(self.text[start..end].to_string()),
                )
            })?;
            first.get_or_insert((op, start));
            last = Some(op);
            if op == Op::Else && matches!(chain, Some(Op::If | Op::Unless)) {
                chain = None;
            }
            if let Some(c) = chain {
                if op != c {
                    return Err((start, DepErrorReason::MixedOps));
                }
                if !matches!(op, Op::And | Op::Or | Op::With) {
                    return Err((start, DepErrorReason::ChainOnlyAndOrWith));
                }
            }
            chain = Some(op);
            *p = end;
        }

        let first_op = first.map(|(op, _)| op);
        let first_at = first.map_or(*p, |(_, at)| at);
        ctx.allows(first_op).map_err(|r| (first_at, r))?;
        // What this group hands up.
        match first_op {
            Some(Op::If) => ctx.no_or = true,
            Some(Op::Unless) => ctx.no_and = true,
            _ => {}
        }
        if matches!(last, Some(Op::And | Op::Or)) {
            ctx.no_and = false;
            ctx.no_or = false;
        }
        if !matches!(last, None | Some(Op::With | Op::Without | Op::Or)) {
            ctx.no_with = true;
        }
        *p += 1;

        // The chain rules leave these shapes: one operand; a chain of one
        // of and/or/with; `a without b`; `a if|unless b [else c]`; `a else b`.
        let expr = match first_op {
            None => operands.pop().expect("a group has an operand"),
            Some(Op::And) => DepExpr::And(operands),
            Some(Op::Or) => DepExpr::Or(operands),
            Some(Op::With) => DepExpr::With(operands),
            Some(op) => {
                let mut it = operands.into_iter().map(Box::new);
                let (a, b) = (
                    it.next().expect("two operands"),
                    it.next().expect("two operands"),
                );
                let c = it.next();
                match op {
                    Op::Without => DepExpr::Without(a, b),
                    Op::If => DepExpr::If(a, b, c),
                    Op::Unless => DepExpr::Unless(a, b, c),
                    _ => {
                        self.deferred
                            .get_or_insert((first_at, DepErrorReason::ElseWithoutIf));
                        *a
                    }
                }
            }
        };
        Ok((expr, ctx))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_less_requirement_matches_any_release() {
        let req = Dep::versioned("foo", Cmp::Eq, Evr::parse("1.2"));
        assert!(req.matches_evr(&Evr::parse("1.2-3.fc40")));
        assert!(!req.matches_evr(&Evr::parse("1.3-1")));
    }

    #[test]
    fn ranges() {
        let ge = Dep::versioned("x", Cmp::Ge, Evr::parse("2.0-1"));
        assert!(ge.matches_evr(&Evr::parse("2.0-1")));
        assert!(ge.matches_evr(&Evr::parse("1:1.0-1")));
        assert!(!ge.matches_evr(&Evr::parse("1.9-9")));
        let lt = Dep::versioned("x", Cmp::Lt, Evr::parse("2.0"));
        assert!(!lt.ranges_overlap(&ge));
        assert!(Dep::unversioned("x").ranges_overlap(&ge));
    }

    fn dep(name: &str) -> DepExpr {
        DepExpr::Dep(Dep::unversioned(name))
    }

    #[test]
    fn shapes() {
        let b = |e: DepExpr| Box::new(e);
        let table: Vec<(&str, DepExpr)> = vec![
            ("foo", dep("foo")),
            (
                "foo >= 1:2.0-3",
                DepExpr::Dep(Dep::versioned("foo", Cmp::Ge, Evr::parse("1:2.0-3"))),
            ),
            ("(a)", dep("a")),
            ("((a))", dep("a")),
            (
                "(a or b or c)",
                DepExpr::Or(vec![dep("a"), dep("b"), dep("c")]),
            ),
            (
                "(a and (b and c))",
                DepExpr::And(vec![dep("a"), DepExpr::And(vec![dep("b"), dep("c")])]),
            ),
            ("(a with b)", DepExpr::With(vec![dep("a"), dep("b")])),
            ("(a without b)", DepExpr::Without(b(dep("a")), b(dep("b")))),
            ("(a if b)", DepExpr::If(b(dep("a")), b(dep("b")), None)),
            (
                "(a if b else c)",
                DepExpr::If(b(dep("a")), b(dep("b")), Some(b(dep("c")))),
            ),
            (
                "(a unless b else c)",
                DepExpr::Unless(b(dep("a")), b(dep("b")), Some(b(dep("c")))),
            ),
            (
                "(libc.so.6()(64bit) or python3.9dist(idna) < 3)",
                DepExpr::Or(vec![
                    dep("libc.so.6()(64bit)"),
                    DepExpr::Dep(Dep::versioned(
                        "python3.9dist(idna)",
                        Cmp::Lt,
                        Evr::parse("3"),
                    )),
                ]),
            ),
            // Commas and every C whitespace separate tokens; a name may hold
            // an unclosed `(` up to the next whitespace.
            (
                "(a,\tor\n\x0b\x0c\r b,)",
                DepExpr::Or(vec![dep("a"), dep("b")]),
            ),
            ("(a( or b)", DepExpr::Or(vec![dep("a("), dep("b")])),
            // Operator words are names where a name is expected, and a
            // version is any token after a comparison.
            ("(and or or)", DepExpr::Or(vec![dep("and"), dep("or")])),
            (
                "(a >= or)",
                DepExpr::Dep(Dep::versioned("a", Cmp::Ge, Evr::parse("or"))),
            ),
            (
                "(a => 1)",
                DepExpr::Dep(Dep::versioned("a", Cmp::Ge, Evr::parse("1"))),
            ),
            (
                "(a == 1)",
                DepExpr::Dep(Dep::versioned("a", Cmp::Eq, Evr::parse("1"))),
            ),
            (
                "(a =< 1)",
                DepExpr::Dep(Dep::versioned("a", Cmp::Le, Evr::parse("1"))),
            ),
        ];
        for (text, want) in table {
            assert_eq!(DepExpr::parse(text).as_ref(), Ok(&want), "{text:?}");
            assert_eq!(want.is_rich(), !matches!(want, DepExpr::Dep(_)));
        }
    }

    #[test]
    fn display_is_canonical_and_round_trips() {
        let table = [
            ("foo", "foo"),
            ("foo >= 0:1.0", "foo >= 1.0"),
            ("foo => 2:1.0-1", "foo >= 2:1.0-1"),
            ("(a)", "a"),
            ("(  a   or  b  )", "(a or b)"),
            ("(a,or ,b,)", "(a or b)"),
            ("(a == 1 and b =< 2)", "(a = 1 and b <= 2)"),
            ("((a or b) with c)", "((a or b) with c)"),
            ("(a and (b and c))", "(a and (b and c))"),
            ("(a if b else (c or (d unless e)))", "(a if b else (c or (d unless e)))"),
            ("(a unless (b if c))", "(a unless (b if c))"),
            ("(a without (b with c))", "(a without (b with c))"),
            (
                "((policycoreutils-python-utils and libselinux-utils) if (selinux-policy-targeted or selinux-policy-mls))",
                "((policycoreutils-python-utils and libselinux-utils) if (selinux-policy-targeted or selinux-policy-mls))",
            ),
            ("(mesa(x86-32) = 24.1.0-2.el9 if mesa(x86-32))", "(mesa(x86-32) = 24.1.0-2.el9 if mesa(x86-32))"),
            // A last token with an open `(` keeps a space before `)`.
            ("(b or a( )", "(b or a( )"),
            ("(c or b = 1( )", "(c or b = 1( )"),
            ("(b = 1( )", "b = 1("),
            // An epoch-0 empty version still prints a token.
            ("(a = 0:)", "a = 0:"),
        ];
        for (text, canonical) in table {
            let expr = DepExpr::parse(text).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(expr.to_string(), canonical, "{text:?}");
            assert_eq!(
                DepExpr::parse(canonical).as_ref(),
                Ok(&expr),
                "{canonical:?}"
            );
        }
    }

    #[test]
    fn errors_say_what_and_where() {
        let table = [
            ("", "name required", 0),
            ("()", "empty rich dependency", 1),
            ("(a or)", "missing argument to rich dependency op", 5),
            ("(a or ", "name required", 6),
            ("(a", "unterminated rich dependency", 2),
            ("(a frob b)", "unknown rich dependency op 'frob'", 3),
            ("(a or, b)", "unknown rich dependency op 'or,'", 3),
            ("(a >=1)", "unknown rich dependency op '>=1'", 3),
            ("(a <> 1)", "unknown rich dependency op '<>'", 3),
            ("(a >= )", "version required", 6),
            ("foo >=", "version required", 6),
            ("(a or b and c)", "cannot chain different ops", 8),
            ("(a if b if c)", "can only chain and/or/with ops", 8),
            (
                "(a without b without c)",
                "can only chain and/or/with ops",
                13,
            ),
            (
                "(a if b else c else d)",
                "can only chain and/or/with ops",
                15,
            ),
            ("(a with (b and c))", "illegal ops in with/without", 3),
            ("((a if b) with c)", "illegal ops in with/without", 10),
            (
                "((a if b) or c)",
                "illegal context for 'if', please use 'and' instead",
                10,
            ),
            (
                "((a unless b) and c)",
                "illegal context for 'unless', please use 'or' instead",
                14,
            ),
            ("(a or b) ", "junk after dependency", 8),
            ("foo bar", "junk after dependency", 3),
            (" foo", "name required", 0),
            ("(a else b)", "'else' without 'if' or 'unless'", 3),
            // rpm's own complaint comes first: it accepts `else` alone.
            (
                "((a else b) frob c)",
                "unknown rich dependency op 'frob'",
                12,
            ),
        ];
        for (text, reason, offset) in table {
            let e = DepExpr::parse(text).expect_err(text);
            assert_eq!(
                (e.reason.to_string().as_str(), e.offset),
                (reason, offset),
                "{text:?}"
            );
            assert_eq!(e.text, text);
        }
        assert_eq!(
            DepExpr::parse("(a or)").unwrap_err().to_string(),
            r#"invalid dependency "(a or)": missing argument to rich dependency op at byte 5"#
        );
    }

    /// Found while fuzzing (by reading the parser, then feeding fuzz/dep a
    /// made-up input): 20,000 `(` overflowed the 8 MB main stack, killing
    /// the process; a rayon or test thread has 2 MB.
    #[test]
    fn nesting_is_bounded() {
        let nested = |n: usize| format!("{}a{}", "(".repeat(n), ")".repeat(n));
        let text = nested(MAX_DEPTH);
        assert_eq!(DepExpr::parse(&text), Ok(dep("a")));
        let deep = format!("(b or {})", nested(MAX_DEPTH - 1));
        assert_eq!(DepExpr::parse(&deep).unwrap().to_string(), "(b or a)");
        let e = DepExpr::parse(&nested(MAX_DEPTH + 1)).unwrap_err();
        assert_eq!((e.reason, e.offset), (DepErrorReason::TooDeep, MAX_DEPTH));
        for text in ["(".repeat(1_000_000), nested(100_000)] {
            for result in [
                DepExpr::parse(&text),
                DepExpr::parse_header(&text),
                DepExpr::parse_index(&text),
            ] {
                assert_eq!(result.unwrap_err().reason, DepErrorReason::TooDeep);
            }
        }
        // An `(` inside a name opens no group.
        let name = format!("a{}", "(".repeat(100_000));
        assert_eq!(DepExpr::parse(&name), Ok(dep(&name)));
    }

    #[test]
    fn tags_and_rule_sets() {
        use DepKind::*;
        // rpmbuild's top-level rule: no `unless` at the top of a Requires,
        // no `if` at the top of a Conflicts; no rich Provides/Obsoletes.
        assert!(DepExpr::parse_for("(a unless b)", Requires).is_err());
        assert!(DepExpr::parse_for("(a unless b)", Conflicts).is_ok());
        assert!(DepExpr::parse_for("(a if b)", Recommends).is_ok());
        assert!(DepExpr::parse_for("(a if b)", Supplements).is_err());
        assert!(DepExpr::parse_for("((a if b))", Enhances).is_err());
        assert!(DepExpr::parse_for("((a unless b) or c)", Requires).is_ok());
        assert_eq!(
            DepExpr::parse_for("(a or b)", Provides).unwrap_err().reason,
            DepErrorReason::RichNotAllowed
        );
        assert!(DepExpr::parse_for("foo >= 1", Obsoletes).is_ok());
        // The tag-free parse takes both tops.
        assert!(DepExpr::parse("(a unless b)").is_ok() && DepExpr::parse("(a if b)").is_ok());
        // A condition is free of the if/unless rules; branches are not.
        assert!(DepExpr::parse("(a if (b unless c))").is_ok());
        assert!(DepExpr::parse("((a unless b) if c)").is_err());
        // How rpm reads headers: no context rules; `with` rules stay.
        assert!(DepExpr::parse_header("((a if b) or c)").is_ok());
        assert!(DepExpr::parse_header("(a with (b and c))").is_err());
        assert!(DepExpr::parse_header("(a or b) junk").is_err());
        assert!(DepExpr::parse_index("(a or b) junk").is_ok());
    }

    #[test]
    fn dep_parse() {
        assert_eq!(Dep::parse("foo"), Ok(Dep::unversioned("foo")));
        assert_eq!(
            Dep::parse("foo >= 1.2"),
            Ok(Dep::versioned("foo", Cmp::Ge, Evr::parse("1.2")))
        );
        assert_eq!(Dep::parse("(a or b)"), Ok(Dep::unversioned("(a or b)")));
        assert_eq!(Dep::parse("(a)"), Ok(Dep::unversioned("a")));
        assert!(Dep::parse("foo >= 1 2").is_err());
    }
}
