//! Rich dependency parsing, just far enough to reproduce the extra index
//! keys rpm writes for rich dependencies (`rpmrichParse` in lib/rpmds.c and
//! `updateRichDep`/`updateRichDepCB` in lib/rpmdb.c).
//!
//! For a rich dependency such as `(foo if bar)` rpm indexes the whole
//! string and, in addition, every simple name inside it; names in a
//! negated (condition) position get a `!` prefix. The names are sorted
//! byte-wise and de-duplicated. If the string does not parse, only the
//! whole string is indexed.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Single,
    And,
    Or,
    If,
    Else,
    With,
    Without,
    Unless,
}

enum Event<'a> {
    Enter,
    Leave(Op),
    Simple(&'a [u8]),
    Op(Op),
}

const CHECK: u32 = 1 << 0;
const NO_WITH: u32 = 1 << 1;
const NO_AND: u32 = 1 << 2;
const NO_OR: u32 = 1 << 3;

struct Parser<'s, F> {
    s: &'s [u8],
    cb: F,
}

/// C `isspace` in the C locale.
fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

impl<'s, F: FnMut(Event<'s>)> Parser<'s, F> {
    /// The byte at `p`, 0 past the end (the C string terminator).
    fn at(&self, p: usize) -> u8 {
        self.s.get(p).copied().unwrap_or(0)
    }

    /// SKIPWHITE: whitespace and commas.
    fn skip_white(&self, p: &mut usize) {
        while self.at(*p) != 0 && (is_space(self.at(*p)) || self.at(*p) == b',') {
            *p += 1;
        }
    }

    /// SKIPNONWHITEX: a token, with balanced parentheses.
    fn skip_nonwhite(&self, p: &mut usize) {
        let mut bl: i32 = 0;
        loop {
            let c = self.at(*p);
            if c == 0 || is_space(c) || c == b',' {
                break;
            }
            if c == b')' {
                let old = bl;
                bl -= 1;
                if old <= 0 {
                    break;
                }
            }
            *p += 1;
            if c == b'(' {
                bl += 1;
            }
        }
    }

    fn simple_dep(&mut self, p: &mut usize) -> Result<(), ()> {
        let n = *p;
        self.skip_nonwhite(p);
        let nl = *p - n;
        if nl == 0 {
            return Err(()); // Name required
        }
        self.skip_white(p);
        if self.at(*p) != 0 {
            let mut pe = *p;
            self.skip_nonwhite(&mut pe);
            if is_sense(&self.s[*p..pe]) {
                *p = pe;
                self.skip_white(p);
                let e = *p;
                self.skip_nonwhite(p);
                if *p == e {
                    return Err(()); // Version required
                }
            }
        }
        let s = self.s;
        (self.cb)(Event::Simple(&s[n..n + nl]));
        Ok(())
    }

    fn op(&self, p: &mut usize) -> Result<Op, ()> {
        let start = *p;
        let mut pe = *p;
        while self.at(pe) != 0 && !is_space(self.at(pe)) && self.at(pe) != b')' {
            pe += 1;
        }
        let op = match &self.s[start..pe] {
            b"and" => Op::And,
            b"or" => Op::Or,
            b"if" => Op::If,
            b"unless" => Op::Unless,
            b"else" => Op::Else,
            b"with" => Op::With,
            b"without" => Op::Without,
            _ => return Err(()),
        };
        *p = pe;
        Ok(op)
    }

    fn parse(&mut self, p: &mut usize, checkp: Option<&mut u32>) -> Result<(), ()> {
        let mut op = Op::Single;
        let mut firstop = Op::Single;
        let mut chainop: Option<Op> = None;
        let mut check = checkp.as_ref().map_or(0, |c| **c);

        (self.cb)(Event::Enter);
        if self.at(*p) != b'(' {
            return Err(());
        }
        *p += 1;
        loop {
            self.skip_white(p);
            if self.at(*p) == b')' {
                return Err(()); // empty / missing argument
            }
            if self.at(*p) == b'(' {
                let mut subcheck = check & CHECK;
                self.parse(p, Some(&mut subcheck))?;
                if op == Op::If || op == Op::Unless {
                    subcheck &= !(NO_AND | NO_OR);
                }
                check |= subcheck;
            } else {
                self.simple_dep(p)?;
            }
            self.skip_white(p);
            if self.at(*p) == 0 {
                return Err(()); // unterminated
            }
            if self.at(*p) == b')' {
                break;
            }
            let mut pe = *p;
            op = self.op(&mut pe)?;
            if firstop == Op::Single {
                firstop = op;
            }
            if op == Op::Else && matches!(chainop, Some(Op::If) | Some(Op::Unless)) {
                chainop = None;
            }
            if let Some(c) = chainop {
                if op != c {
                    return Err(()); // cannot chain different ops
                }
                if !matches!(op, Op::And | Op::Or | Op::With) {
                    return Err(()); // can only chain and/or/with
                }
            }
            (self.cb)(Event::Op(op));
            chainop = Some(op);
            *p = pe;
        }

        check_ops(firstop, check)?;
        if firstop == Op::If {
            check |= NO_OR;
        }
        if firstop == Op::Unless {
            check |= NO_AND;
        }
        if op == Op::And || op == Op::Or {
            check &= !(NO_AND | NO_OR);
        }
        if !matches!(op, Op::Single | Op::With | Op::Without | Op::Or) {
            check |= NO_WITH;
        }
        *p += 1;
        (self.cb)(Event::Leave(op));
        if let Some(c) = checkp {
            *c |= check;
        }
        Ok(())
    }
}

/// rpmrichParseCheck
fn check_ops(op: Op, check: u32) -> Result<(), ()> {
    if matches!(op, Op::With | Op::Without) && check & NO_WITH != 0 {
        return Err(());
    }
    if check & CHECK == 0 {
        return Ok(());
    }
    if matches!(op, Op::And | Op::If) && check & NO_AND != 0 {
        return Err(());
    }
    if matches!(op, Op::Or | Op::Unless) && check & NO_OR != 0 {
        return Err(());
    }
    Ok(())
}

/// rpmParseDSFlags: is this a comparison operator?
fn is_sense(tok: &[u8]) -> bool {
    matches!(
        tok,
        b"<=" | b"=<" | b"<" | b"==" | b"=" | b">=" | b"=>" | b">"
    )
}

/// The extra index keys rpm adds for the rich dependency `dep` (which
/// starts with `(`), in insertion order. Empty if it does not parse.
pub(crate) fn rich_dep_keys(dep: &[u8]) -> Vec<Vec<u8>> {
    let mut argv: Vec<Vec<u8>> = Vec::new();
    let mut neg = false;
    let mut level = 0usize;
    let mut nargv_level: Vec<usize> = vec![0];
    let ok = {
        let cb = |ev: Event<'_>| match ev {
            Event::Enter => {
                level += 1;
                if nargv_level.len() < level {
                    nargv_level.resize(level, 0);
                }
                nargv_level[level - 1] = argv.len();
            }
            Event::Leave(op) => {
                level -= 1;
                if op == Op::If || op == Op::Unless {
                    neg = !neg;
                }
            }
            Event::Simple(n) => {
                if !(n.len() > 7 && n.starts_with(b"rpmlib(")) {
                    let mut name = Vec::with_capacity(n.len() + 1);
                    name.push(if neg { b'!' } else { b' ' });
                    name.extend_from_slice(n);
                    argv.push(name);
                }
            }
            Event::Op(Op::If) | Event::Op(Op::Unless) => {
                nargv_level[level - 1] = argv.len();
                neg = !neg;
            }
            Event::Op(Op::Else) => {
                let n = argv.len();
                for i in nargv_level[level - 1]..n {
                    let mut name = argv[i].clone();
                    name[0] ^= b' ' ^ b'!';
                    argv.push(name);
                }
                neg = !neg;
            }
            Event::Op(_) => {}
        };
        let mut parser = Parser { s: dep, cb };
        let mut p = 0usize;
        parser.parse(&mut p, None).is_ok()
    };
    if !ok {
        return Vec::new();
    }
    argv.sort();
    argv.dedup();
    argv.into_iter()
        .map(|mut name| {
            if name[0] == b' ' {
                name.remove(0);
            }
            name
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::rich_dep_keys;

    fn keys(s: &str) -> Vec<String> {
        rich_dep_keys(s.as_bytes())
            .into_iter()
            .map(|k| String::from_utf8(k).unwrap())
            .collect()
    }

    #[test]
    fn simple_ops() {
        assert_eq!(keys("(a or b)"), ["a", "b"]);
        assert_eq!(keys("(b >= 1.0 and a < 2)"), ["a", "b"]);
        assert_eq!(keys("(a if b)"), ["a", "!b"]);
        assert_eq!(keys("(a unless b)"), ["a", "!b"]);
        assert_eq!(keys("(a if b else c)"), ["a", "b", "c", "!b"]);
        assert_eq!(keys("(a or (b and rpmlib(Foo)))"), ["a", "b"]);
        assert_eq!(keys("(a or a)"), ["a"]);
        assert_eq!(keys("(foo(x86-64) with bar)"), ["bar", "foo(x86-64)"]);
    }

    #[test]
    fn invalid_gives_nothing() {
        assert!(keys("(a or)").is_empty());
        assert!(keys("(a and b or c)").is_empty());
        assert!(keys("(a bogus b)").is_empty());
        assert!(keys("(a").is_empty());
        assert!(keys("()").is_empty());
        assert!(keys("(a = )").is_empty());
    }
}
