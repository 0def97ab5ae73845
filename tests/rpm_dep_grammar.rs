//! The dependency grammar (`rootsmith::rpm::DepExpr`) against parsers this
//! project did not write:
//!
//! - **rpm 4.18**: librpm's own rich-dependency parser, called through
//!   ctypes (`tests/support/dep_grammar_ref.py`): `rpmrichParse` as rpm reads
//!   headers and indexes its database, `rpmrichParseForTag` for Requires and
//!   for Conflicts as rpmbuild checks them. We must give rpm's verdict, rpm's
//!   reason (its message, lower-cased) and rpm's tree, built from its
//!   callback events. A sample is cross-checked with `rpmspec` itself.
//! - **libsolv** (python3-solv's `parserpmrichdep`, what dnf reads repodata
//!   with): same verdict and same structure (libsolv interns relations, so
//!   our tree rebuilt with `rel2id` must give its very id), except where
//!   libsolv and rpm disagree. There we follow rpm, and every disagreement
//!   must be one of these kinds, with the direction asserted:
//!
//!   | kind | rpm | libsolv | example |
//!   |---|---|---|---|
//!   | `Separators` | tab, newline, CR, VT, FF and commas separate tokens | only spaces do; commas end a name but are not skipped (evidence: with them turned into spaces, libsolv agrees) | `(a,\tor b)` |
//!   | `Comparison` | a comparison is one whole token from its table; anything else there is an unknown operator | any run of `<`, `=`, `>` after a name, even glued to the version | `(a >=1)`, `(a <> 1)` |
//!   | `Chain` | only `and`/`or`/`with` repeat in a group | `if`, `unless`, `without`, `else` repeat too | `(a if b if c)` |
//!   | `WithContext` | `with`/`without` operands: simple, `or`, `with`, `without` only | no such rule | `(a with (b and c))` |
//!   | `ElseWithoutIf` | accepts `(a else b)` (reads it as `a`) | accepts it too | `(a else b)` |
//!
//!   `ElseWithoutIf` is where we follow neither: the AST has no node for it,
//!   so the grammar rejects it (after every check rpm makes). rpmbuild's
//!   context rules for `if`/`unless` (`((a if b) or c)`) and its top-level
//!   rule per tag are not in libsolv either; they are compared with rpm
//!   only (`DepExpr::parse`/`parse_for` against `rpmrichParseForTag`).
//!
//! The material: every rich dependency of the CentOS Stream 9 fixture
//! repositories, and a deterministic generator of nested expressions and
//! malformed mutations of them.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::process::Command;

use rootsmith::rpm::{Cmp, Dep, DepError, DepErrorReason, DepExpr, DepKind, Evr};
use serde_json::{json, Value};
use support::fixtures::{fixture_pool, python3_solv, run_python, shared_fixture};
use support::Skip;

const PEER: &str = include_str!("support/dep_grammar_ref.py");

const CS9: [&str; 2] = ["cs9-baseos-2022", "cs9-appstream-2025"];

// ---------------------------------------------------------------- trees

/// Our AST in the peer script's tree form.
fn tree(e: &DepExpr) -> Value {
    let kids = |op: &str, v: &[&DepExpr]| {
        let mut out = vec![json!(op)];
        out.extend(v.iter().map(|e| tree(e)));
        Value::Array(out)
    };
    match e {
        DepExpr::Dep(d) => match &d.evr {
            Some(evr) if d.cmp != Cmp::Any => {
                // Dep's Display writes an empty EVR (`0:`) as `0:`.
                let text = evr.to_string();
                let text = if text.is_empty() {
                    "0:".to_string()
                } else {
                    text
                };
                json!(["dep", d.name, d.cmp.operator(), text])
            }
            _ => json!(["dep", d.name, "", ""]),
        },
        DepExpr::And(v) => kids("and", &v.iter().collect::<Vec<_>>()),
        DepExpr::Or(v) => kids("or", &v.iter().collect::<Vec<_>>()),
        DepExpr::With(v) => kids("with", &v.iter().collect::<Vec<_>>()),
        DepExpr::Without(a, b) => kids("without", &[a, b]),
        DepExpr::If(a, b, c) => {
            let mut v = vec![&**a, &**b];
            v.extend(c.as_deref());
            kids("if", &v)
        }
        DepExpr::Unless(a, b, c) => {
            let mut v = vec![&**a, &**b];
            v.extend(c.as_deref());
            kids("unless", &v)
        }
    }
}

/// rpm's tree (from its parser's events) as an AST; `None` if it holds a
/// group joined by `else` alone, which the AST cannot hold.
fn from_rpm_tree(v: &Value) -> Option<DepExpr> {
    let a = v.as_array().expect("rpm tree node");
    if a[0] == "dep" {
        let (name, op, evr) = (
            a[1].as_str().unwrap(),
            a[2].as_str().unwrap(),
            a[3].as_str().unwrap(),
        );
        return Some(DepExpr::Dep(match Cmp::from_operator(op) {
            Some(cmp) => Dep::versioned(name, cmp, Evr::parse(evr)),
            None => Dep::unversioned(name),
        }));
    }
    let ops: Vec<&str> = a[1]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_str().unwrap())
        .collect();
    let mut kids = a[2]
        .as_array()
        .unwrap()
        .iter()
        .map(from_rpm_tree)
        .collect::<Option<Vec<_>>>()?;
    let boxed = |e: DepExpr| Box::new(e);
    Some(match ops.first().copied() {
        None => kids.pop().expect("one operand"),
        Some("and") => DepExpr::And(kids),
        Some("or") => DepExpr::Or(kids),
        Some("with") => DepExpr::With(kids),
        Some(op @ ("without" | "if" | "unless")) => {
            let mut it = kids.into_iter();
            let (x, y, z) = (it.next().unwrap(), it.next().unwrap(), it.next());
            match op {
                "without" => DepExpr::Without(boxed(x), boxed(y)),
                "if" => DepExpr::If(boxed(x), boxed(y), z.map(boxed)),
                _ => DepExpr::Unless(boxed(x), boxed(y), z.map(boxed)),
            }
        }
        Some("else") => return None,
        Some(other) => panic!("rpm reported op {other}"),
    })
}

// ---------------------------------------------------------------- peers

struct RpmVerdict {
    ok: bool,
    emsg: Option<String>,
    consumed: Option<usize>,
}

struct Peer {
    libsolv_ok: bool,
    libsolv_same: Option<bool>,
    libsolv_str: Option<String>,
    plain: RpmVerdict,
    /// rpm's tree; `Some(None)` when it holds an `else`-only group.
    rpm_tree: Option<Option<DepExpr>>,
    requires: RpmVerdict,
    conflicts: RpmVerdict,
}

fn verdict(v: &Value) -> RpmVerdict {
    RpmVerdict {
        ok: v["ok"].as_bool().unwrap(),
        emsg: v["emsg"].as_str().map(str::to_string),
        consumed: v["consumed"].as_u64().map(|c| c as usize),
    }
}

/// Both peers on every text, with our header-rules tree for libsolv's check.
fn peers(texts: &[String]) -> Result<(String, Vec<Peer>), Skip> {
    python3_solv()?;
    let items: Vec<Value> = texts
        .iter()
        .map(|t| json!({"text": t, "ours": DepExpr::parse_header(t).ok().map(|e| tree(&e))}))
        .collect();
    let out = run_python(PEER, &json!({"mode": "compare", "items": items}));
    if let Some(why) = out["skip"].as_str() {
        return Err(Skip(why.to_string()));
    }
    let peers = out["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| Peer {
            libsolv_ok: r["libsolv"]["ok"].as_bool().unwrap(),
            libsolv_same: r["libsolv"]["same"].as_bool(),
            libsolv_str: r["libsolv"]["str"].as_str().map(str::to_string),
            plain: verdict(&r["rpm"]["plain"]),
            rpm_tree: r["rpm"]["plain"]
                .get("tree")
                .filter(|t| !t.is_null())
                .map(from_rpm_tree),
            requires: verdict(&r["rpm"]["requires"]),
            conflicts: verdict(&r["rpm"]["conflicts"]),
        })
        .collect();
    Ok((
        out["rpm_version"].as_str().unwrap_or("?").to_string(),
        peers,
    ))
}

// ---------------------------------------------------------------- comparing

/// rpm's message as our reason phrases it: first letter lower-cased, the
/// text rpm appends to "Unterminated rich dependency" dropped.
fn rpm_reason(emsg: &str) -> String {
    let mut s = emsg[..1].to_lowercase() + &emsg[1..];
    if s.starts_with("unterminated rich dependency") {
        s.truncate("unterminated rich dependency".len());
    }
    s
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Separators,
    Comparison,
    Chain,
    WithContext,
    ElseWithoutIf,
}

/// What we found, for the assertions and the summary.
#[derive(Default)]
struct Tally {
    compared: usize,
    rpm_accepts: usize,
    rpm_rejects: usize,
    requires_ok: usize,
    conflicts_ok: usize,
    libsolv_same_structure: usize,
    libsolv_both_reject: usize,
    /// libsolv disagreements by kind: (count, example)
    kinds: BTreeMap<Kind, (usize, String)>,
    /// rpmbuild-only rejections (context and tag rules) libsolv accepts
    build_rules_only: BTreeMap<String, usize>,
    /// The `Separators` disagreements, for the second look.
    separators: Vec<String>,
    problems: Vec<String>,
}

impl Tally {
    fn problem(&mut self, text: &str, what: String) {
        if self.problems.len() < 40 {
            self.problems.push(format!("{text:?}: {what}"));
        }
    }

    fn summary(&self, label: &str, rpm_version: &str) -> String {
        let mut s = format!(
            "{label}: {} strings vs rpm {rpm_version} and libsolv: rpmrichParse accepts {}, rejects {}; \
             Requires rules accept {}, Conflicts rules {}; libsolv: same structure {}, both reject {}",
            self.compared,
            self.rpm_accepts,
            self.rpm_rejects,
            self.requires_ok,
            self.conflicts_ok,
            self.libsolv_same_structure,
            self.libsolv_both_reject
        );
        for (k, (n, ex)) in &self.kinds {
            let _ = write!(s, "\n  libsolv/rpm disagreement {k:?}: {n} (e.g. {ex:?})");
        }
        for (r, n) in &self.build_rules_only {
            let _ = write!(s, "\n  rpmbuild rule libsolv lacks: {r}: {n}");
        }
        s
    }
}

/// A rejection must carry rpm's reason.
fn same_reason(ours: &Result<DepExpr, DepError>, emsg: Option<&str>) -> Result<(), String> {
    match (ours, emsg) {
        (Err(e), Some(m)) if e.reason.to_string() == rpm_reason(m) => Ok(()),
        (Err(e), m) => Err(format!("we say {:?}, rpm says {m:?}", e.reason.to_string())),
        (Ok(e), m) => Err(format!("we accept ({e}), rpm rejects: {m:?}")),
    }
}

/// Our verdict for a tag against rpmbuild's (`rpmrichParseForTag`), where
/// `plain` is our verdict under rpm's header rules.
fn check_tag(
    text: &str,
    ours: &Result<DepExpr, DepError>,
    header: &Result<DepExpr, DepError>,
    rpm: &RpmVerdict,
) -> Result<(), String> {
    if !rpm.ok {
        return same_reason(ours, rpm.emsg.as_deref());
    }
    if rpm.consumed != Some(text.len()) {
        return match ours {
            Err(e) if e.reason == DepErrorReason::Junk && Some(e.offset) == rpm.consumed => Ok(()),
            other => Err(format!(
                "rpm stops at byte {:?}, we say {other:?}",
                rpm.consumed
            )),
        };
    }
    match (ours, header) {
        (Ok(a), Ok(b)) if a == b => Ok(()),
        (Err(e), Err(h)) if e.reason == DepErrorReason::ElseWithoutIf && h == e => Ok(()),
        (o, h) => Err(format!("rpm accepts; we say {o:?} (header rules: {h:?})")),
    }
}

/// What rpm skips like a space and libsolv does not.
const RPM_ONLY_SEPARATORS: [char; 6] = ['\t', '\n', '\r', '\x0b', '\x0c', ','];

fn compare(label: &str, texts: &[String]) -> Result<(String, Tally), Skip> {
    assert!(
        texts.iter().all(|t| t.starts_with('(')),
        "{label}: not all rich"
    );
    let (rpm_version, peers) = peers(texts)?;
    assert_eq!(peers.len(), texts.len());
    let mut t = Tally::default();
    for (text, peer) in texts.iter().zip(&peers) {
        t.compared += 1;
        let index = DepExpr::parse_index(text);
        let header = DepExpr::parse_header(text);
        let requires = DepExpr::parse_for(text, DepKind::Requires);
        let conflicts = DepExpr::parse_for(text, DepKind::Conflicts);
        let any = DepExpr::parse(text);

        // 1. rpmrichParse: verdict, reason, tree (the database's reading).
        match (&peer.plain.ok, &peer.rpm_tree) {
            (true, Some(Some(rpm_expr))) => {
                t.rpm_accepts += 1;
                if index.as_ref() != Ok(rpm_expr) {
                    t.problem(text, format!("rpm reads {rpm_expr:?}, we read {index:?}"));
                }
            }
            (true, Some(None)) => {
                t.rpm_accepts += 1;
                if !matches!(&index, Err(e) if e.reason == DepErrorReason::ElseWithoutIf) {
                    t.problem(
                        text,
                        format!("rpm has an else-only group, we say {index:?}"),
                    );
                }
            }
            (true, None) => t.problem(text, "rpm accepted without a tree".into()),
            (false, _) => {
                t.rpm_rejects += 1;
                if let Err(e) = same_reason(&index, peer.plain.emsg.as_deref()) {
                    t.problem(text, format!("rpmrichParse: {e}"));
                }
            }
        }
        // ... and with nothing after it (rpm's reading of a header).
        if let Err(e) = check_tag(text, &header, &index, &peer.plain) {
            t.problem(text, format!("header rules: {e}"));
        }
        // 2. rpmbuild's rules for Requires and Conflicts, and for any tag.
        for (name, ours, rpm) in [
            ("Requires", &requires, &peer.requires),
            ("Conflicts", &conflicts, &peer.conflicts),
        ] {
            if let Err(e) = check_tag(text, ours, &header, rpm) {
                t.problem(text, format!("{name} rules: {e}"));
            }
        }
        t.requires_ok += requires.is_ok() as usize;
        t.conflicts_ok += conflicts.is_ok() as usize;
        if any.is_ok() != (requires.is_ok() || conflicts.is_ok()) {
            t.problem(
                text,
                format!("parse says {any:?}, Requires {requires:?}, Conflicts {conflicts:?}"),
            );
        }
        // 3. The canonical text parses back to the same AST.
        if let Ok(e) = &header {
            let again = DepExpr::parse_header(&e.to_string());
            if again.as_ref() != Ok(e) {
                t.problem(
                    text,
                    format!("display {:?} reads back as {again:?}", e.to_string()),
                );
            }
        }
        // 4. libsolv.
        if let (Err(e), true, Ok(_)) = (&any, peer.libsolv_ok, &header) {
            *t.build_rules_only.entry(e.reason.to_string()).or_default() += 1;
        }
        let kind = match &header {
            Err(e) if e.reason == DepErrorReason::ElseWithoutIf => Some(Kind::ElseWithoutIf),
            Err(e) if e.reason == DepErrorReason::ChainOnlyAndOrWith => Some(Kind::Chain),
            Err(e) if e.reason == DepErrorReason::IllegalWith => Some(Kind::WithContext),
            // rpm stumbles on the comparison as an unknown operator.
            Err(e) if matches!(&e.reason, DepErrorReason::UnknownOp(op) if op.starts_with(['<', '=', '>'])) => {
                Some(Kind::Comparison)
            }
            _ if text.contains(RPM_ONLY_SEPARATORS) => Some(Kind::Separators),
            _ => None,
        };
        match (&header, peer.libsolv_ok) {
            (Ok(_), true) if peer.libsolv_same == Some(true) => t.libsolv_same_structure += 1,
            (Err(_), false) => t.libsolv_both_reject += 1,
            _ => {
                // A disagreement: it must be of a documented kind, in the
                // documented direction.
                let direction_ok = match kind {
                    Some(Kind::ElseWithoutIf) => peer.libsolv_ok && peer.plain.ok,
                    Some(Kind::Chain | Kind::WithContext | Kind::Comparison) => {
                        peer.libsolv_ok && header.is_err()
                    }
                    Some(Kind::Separators) => true,
                    None => false,
                };
                if direction_ok {
                    let k = kind.unwrap();
                    if k == Kind::Separators {
                        t.separators.push(text.clone());
                    }
                    let entry = t.kinds.entry(k).or_insert((0, text.clone()));
                    entry.0 += 1;
                } else {
                    t.problem(
                        text,
                        format!(
                            "libsolv {} ({:?}, same structure {:?}), we say {header:?}; kind {kind:?}",
                            if peer.libsolv_ok { "accepts" } else { "rejects" },
                            peer.libsolv_str,
                            peer.libsolv_same
                        ),
                    );
                }
            }
        }
    }
    eprintln!("{}", t.summary(label, &rpm_version));
    Ok((rpm_version, t))
}

fn assert_no_problems(label: &str, t: &Tally) {
    assert!(
        t.problems.is_empty(),
        "{label}: {} problems, first:\n{}",
        t.problems.len(),
        t.problems.join("\n")
    );
}

// ---------------------------------------------------------------- CS9

/// Every rich dependency in the CentOS Stream 9 fixtures: rpm and libsolv
/// read each exactly as we do, and rpmbuild's rules for its own tag hold.
#[test]
fn cs9_rich_dependencies_read_as_rpm_and_libsolv_read_them() {
    let t = "cs9_rich_dependencies_read_as_rpm_and_libsolv_read_them";
    need!(
        t,
        CS9.iter()
            .try_for_each(|r| shared_fixture(&format!("repos/{r}")).map(drop))
    );
    need!(t, python3_solv());
    let fixtures = need!(t, fixture_pool(&CS9));
    let primaries: Vec<String> = fixtures
        .primaries
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let extracted = run_python(PEER, &json!({"mode": "extract", "primaries": primaries}));
    let entries: Vec<(String, String, String)> = extracted["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e[0].as_str().unwrap().into(),
                e[1].as_str().unwrap().into(),
                e[2].as_str().unwrap().into(),
            )
        })
        .collect();

    // The project's loader sees the same strings (x86_64 and noarch).
    let mut loaded: BTreeSet<(String, String)> = BTreeSet::new();
    for id in fixtures.pool.ids() {
        let lists = [
            ("provides", DepKind::Provides),
            ("requires", DepKind::Requires),
            ("conflicts", DepKind::Conflicts),
            ("obsoletes", DepKind::Obsoletes),
            ("recommends", DepKind::Recommends),
            ("suggests", DepKind::Suggests),
            ("supplements", DepKind::Supplements),
            ("enhances", DepKind::Enhances),
        ];
        for (tag, kind) in lists {
            for d in fixtures.pool.deps(id, kind).filter(|d| d.is_rich()) {
                assert!(
                    d.evr.is_none() && d.cmp == Cmp::Any,
                    "rich dependency with a range: {d:?}"
                );
                loaded.insert((tag.to_string(), d.name.clone()));
            }
        }
    }
    let python_side: BTreeSet<(String, String)> = entries
        .iter()
        .filter(|(_, arch, _)| arch == "x86_64" || arch == "noarch")
        .map(|(tag, _, text)| (tag.clone(), text.clone()))
        .collect();
    assert_eq!(
        loaded, python_side,
        "the loader's rich dependencies differ from ElementTree's"
    );

    let texts: Vec<String> = entries
        .iter()
        .map(|e| e.2.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    assert!(
        texts.len() > 100,
        "only {} rich dependencies in CS9?",
        texts.len()
    );
    let (_, tally) = need!(t, compare("CS9", &texts));
    assert_no_problems("CS9", &tally);
    // Real metadata: everyone accepts everything, with one structure.
    assert_eq!(
        tally.rpm_accepts,
        texts.len(),
        "rpm rejects some CS9 dependency"
    );
    assert_eq!(
        tally.libsolv_same_structure,
        texts.len(),
        "libsolv reads some CS9 dependency differently"
    );

    // rpmbuild's rules for the tag each one is in.
    for (tag, _, text) in &entries {
        let kind = match tag.as_str() {
            "requires" => DepKind::Requires,
            "conflicts" => DepKind::Conflicts,
            "recommends" => DepKind::Recommends,
            "suggests" => DepKind::Suggests,
            "supplements" => DepKind::Supplements,
            "enhances" => DepKind::Enhances,
            "provides" => DepKind::Provides,
            _ => DepKind::Obsoletes,
        };
        if let Err(e) = DepExpr::parse_for(text, kind) {
            panic!("{tag} {text:?}: {e}");
        }
    }
    eprintln!(
        "CS9: {} entries, {} distinct rich dependencies",
        entries.len(),
        texts.len()
    );
}

// ---------------------------------------------------------------- generated

/// splitmix64: a fixed sequence, so every run compares the same strings.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const NAMES: &[&str] = &[
    "foo",
    "bar-libs",
    "python3.9dist(idna)",
    "libc.so.6()(64bit)",
    "libfoo.so.1(GLIBC_2.2.5)(64bit)",
    "perl(File::Path)",
    "pkgconfig(glib-2.0)",
    "font(:lang=en)",
    "/usr/bin/sh",
    "rpmlib(RichDependencies)",
    "mesa-dri-drivers(x86-32)",
    "and",
    "if",
    "x",
    "y",
    "café",
];
const COMPARISONS: &[&str] = &["<", "<=", "=<", "=", "==", ">=", "=>", ">"];
const VERSIONS: &[&str] = &[
    "1",
    "1.0",
    "2:1.2-3.el9",
    "0:4.5",
    "1.0~rc1",
    "1.0^git1",
    "3-1.el9_1",
    "1:",
];
const OPS: &[&str] = &["and", "or", "with", "without", "if", "unless"];

/// A generated expression, kept as a tree so mutations can reach inside.
#[derive(Clone, Debug)]
enum G {
    Leaf(String),
    Group {
        ops: Vec<&'static str>,
        kids: Vec<G>,
    },
}

fn leaf(rng: &mut Rng) -> G {
    let name = rng.pick(NAMES).to_string();
    if rng.chance(40) {
        G::Leaf(format!(
            "{name} {} {}",
            rng.pick(COMPARISONS),
            rng.pick(VERSIONS)
        ))
    } else {
        G::Leaf(name)
    }
}

fn gen(rng: &mut Rng, depth: usize) -> G {
    if depth == 0 || rng.chance(30) {
        return leaf(rng);
    }
    let op = *rng.pick(OPS);
    let (ops, n) = match op {
        "and" | "or" | "with" => {
            let n = 2 + rng.below(3);
            (vec![op; n - 1], n)
        }
        "if" | "unless" if rng.chance(50) => (vec![op, "else"], 3),
        _ => (vec![op], 2),
    };
    let kids = (0..n).map(|_| gen(rng, depth - 1)).collect();
    // Now and then a redundant group around one operand.
    if rng.chance(5) {
        return G::Group {
            ops: vec![],
            kids: vec![G::Group { ops, kids }],
        };
    }
    G::Group { ops, kids }
}

fn render(g: &G, out: &mut String) {
    match g {
        G::Leaf(s) => out.push_str(s),
        G::Group { ops, kids } => {
            out.push('(');
            for (i, k) in kids.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                    out.push_str(ops.get(i - 1).copied().unwrap_or("and"));
                    out.push(' ');
                }
                render(k, out);
            }
            // A trailing operator with its operand missing.
            if ops.len() == kids.len() {
                out.push(' ');
                out.push_str(ops[ops.len() - 1]);
            }
            out.push(')');
        }
    }
}

fn text(g: &G) -> String {
    let mut s = String::new();
    render(g, &mut s);
    s
}

/// Some group of `g` (depth-first, chosen at random), to change in place.
fn some_group<'g>(rng: &mut Rng, g: &'g mut G) -> Option<&'g mut G> {
    let mut count = 0;
    fn walk(g: &G, count: &mut usize) {
        if let G::Group { kids, .. } = g {
            *count += 1;
            kids.iter().for_each(|k| walk(k, count));
        }
    }
    walk(g, &mut count);
    if count == 0 {
        return None;
    }
    let target = rng.below(count);
    fn find<'a>(g: &'a mut G, target: usize, seen: &mut usize) -> Option<&'a mut G> {
        if !matches!(g, G::Group { .. }) {
            return None;
        }
        if *seen == target {
            return Some(g);
        }
        *seen += 1;
        let G::Group { kids, .. } = g else {
            unreachable!()
        };
        kids.iter_mut().find_map(|k| find(k, target, seen))
    }
    find(g, target, &mut 0)
}

/// A generated group, never a bare leaf (so the string is rich).
fn gen_group(rng: &mut Rng) -> G {
    loop {
        let depth = 1 + rng.below(4);
        let g = gen(rng, depth);
        if matches!(g, G::Group { .. }) {
            return g;
        }
    }
}

/// The malformed mutations, each applied to fresh generated expressions.
const MUTATIONS: &[&str] = &[
    "dropped parenthesis",
    "missing operand",
    "mixed operators",
    "else without if",
    "with of non-simple operands",
    "repeated if/unless/without/else",
    "trailing junk",
    "glued or unknown comparison",
    "missing version",
    "unknown operator",
    "empty group",
    "separators",
];

fn mutate(rng: &mut Rng, kind: &str) -> String {
    let mut g = gen_group(rng);
    match kind {
        "dropped parenthesis" => {
            let s = text(&g);
            // Not the first one: the string stays rich.
            let parens: Vec<usize> = s
                .match_indices(['(', ')'])
                .map(|(i, _)| i)
                .filter(|&i| i > 0)
                .collect();
            let at = *rng.pick(&parens);
            format!("{}{}", &s[..at], &s[at + 1..])
        }
        "missing operand" => {
            if let Some(G::Group { ops, kids }) = some_group(rng, &mut g) {
                if !ops.is_empty() {
                    kids.pop();
                } else {
                    *ops = vec!["or"];
                }
            }
            text(&g)
        }
        "mixed operators" => {
            if let Some(G::Group { ops, kids }) = some_group(rng, &mut g) {
                let other = *rng.pick(OPS);
                if ops.is_empty() {
                    ops.push(other);
                    kids.push(leaf(rng));
                }
                ops.push(other);
                kids.push(leaf(rng));
                let i = rng.below(ops.len());
                ops[i] = *rng.pick(&["and", "or", "with", "if", "else", "unless", "without"]);
            }
            text(&g)
        }
        "else without if" => {
            let mut kids = vec![gen(rng, 2), gen(rng, 2)];
            if rng.chance(50) {
                kids.push(leaf(rng));
                let s = text(&G::Group {
                    ops: vec!["else", "else"],
                    kids,
                });
                return s;
            }
            let inner = G::Group {
                ops: vec!["else"],
                kids,
            };
            if rng.chance(50) {
                return text(&inner);
            }
            text(&G::Group {
                ops: vec![*rng.pick(&["and", "or", "if"])],
                kids: vec![leaf(rng), inner],
            })
        }
        "with of non-simple operands" => {
            let inner = gen_group(rng);
            let op = *rng.pick(&["with", "without"]);
            let mut kids = vec![leaf(rng), inner];
            if rng.chance(50) {
                kids.reverse();
            }
            text(&G::Group {
                ops: vec![op],
                kids,
            })
        }
        "repeated if/unless/without/else" => {
            let ops = rng
                .pick(&[
                    &["if", "if"][..],
                    &["unless", "unless"],
                    &["without", "without"],
                    &["if", "else", "else"],
                    &["unless", "else", "if"],
                ])
                .to_vec();
            let kids = (0..=ops.len()).map(|_| gen(rng, 1)).collect();
            text(&G::Group { ops, kids })
        }
        "trailing junk" => format!(
            "{}{}",
            text(&g),
            rng.pick(&[" junk", ")", " ", ",", "x", " (a)", "\t"])
        ),
        "glued or unknown comparison" => {
            let name = rng.pick(NAMES);
            let cmp = rng.pick(&[">=1.0", "<>", "=>=", "=<<", ">>", "=!", "~="]);
            let bad = if cmp.len() > 3 {
                format!("{name} {cmp}")
            } else {
                format!("{name} {cmp} 2")
            };
            format!(
                "({} {} {bad})",
                text(&leaf(rng)),
                rng.pick(&["and", "or", "if"])
            )
        }
        "missing version" => {
            let tail = rng.pick(&[")", " )", " or b)", ", or b)"]);
            format!("({} {}{tail}", rng.pick(NAMES), rng.pick(COMPARISONS))
        }
        "unknown operator" => {
            if let Some(G::Group { ops, .. }) = some_group(rng, &mut g) {
                if let Some(op) = ops.first_mut() {
                    *op = *rng.pick(&["AND", "xor", "&&", "ifnot", "or(", "with,"]);
                }
            }
            text(&g)
        }
        "empty group" => {
            let s = text(&g);
            let opens: Vec<usize> = s.match_indices('(').map(|(i, _)| i).collect();
            let at = *rng.pick(&opens);
            let ins = rng.pick(&["() or ", "( ) and ", "(())", "(,)"]);
            format!("{}{ins}{}", &s[..at], &s[at..])
        }
        "separators" => {
            let s = text(&g);
            let seps = ["\t", ",", " ,", "\n", ", ", "\r", "\x0b", "\x0c", ",,"];
            s.chars()
                .map(|c| {
                    if c == ' ' && rng.chance(40) {
                        rng.pick(&seps).to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect()
        }
        other => panic!("no mutation {other}"),
    }
}

/// The generated material: random nestings, then each mutation kind.
fn generated() -> Vec<String> {
    let mut rng = Rng(0x5eed_0fde_95ed);
    let mut out: BTreeSet<String> = BTreeSet::new();
    for _ in 0..2000 {
        out.insert(text(&gen_group(&mut rng)));
    }
    for kind in MUTATIONS {
        for _ in 0..150 {
            out.insert(mutate(&mut rng, kind));
        }
    }
    out.into_iter().collect()
}

/// Generated nestings and malformed mutations: rpm's verdict, reason and
/// tree; libsolv's verdict and structure but for the documented kinds,
/// every one of which must turn up.
#[test]
fn generated_strings_read_as_rpm_reads_them() {
    let t = "generated_strings_read_as_rpm_reads_them";
    let texts = generated();
    let (_, tally) = need!(t, compare("generated", &texts));
    assert_no_problems("generated", &tally);
    for kind in [
        Kind::Separators,
        Kind::Comparison,
        Kind::Chain,
        Kind::WithContext,
        Kind::ElseWithoutIf,
    ] {
        assert!(
            tally.kinds.contains_key(&kind),
            "no {kind:?} disagreement generated"
        );
    }
    for reason in [
        "illegal context for 'if', please use 'and' instead",
        "illegal context for 'unless', please use 'or' instead",
    ] {
        assert!(
            tally.build_rules_only.contains_key(reason),
            "no {reason:?} generated"
        );
    }
    // The evidence for `Separators`: with every such character turned into a
    // space, rpm reads each string as before (we agree with rpm on both, so
    // our readings stand in), and libsolv then reads it as rpm does.
    let spaced: Vec<String> = tally
        .separators
        .iter()
        .map(|s| s.replace(RPM_ONLY_SEPARATORS, " "))
        .collect();
    let (_, again) = need!(t, compare("generated, separators as spaces", &spaced));
    assert_no_problems("separators as spaces", &again);
    assert!(
        again.kinds.is_empty(),
        "libsolv still disagrees: {:?}",
        again.kinds
    );
    for (orig, sp) in tally.separators.iter().zip(&spaced) {
        match (DepExpr::parse_header(orig), DepExpr::parse_header(sp)) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{orig:?}"),
            (Err(_), Err(_)) => {}
            (a, b) => panic!("{orig:?} reads as {a:?}, with spaces as {b:?}"),
        }
    }
    // Enough of each outcome to mean something.
    assert!(
        tally.rpm_accepts > 500 && tally.rpm_rejects > 500,
        "accepts {} rejects {}",
        tally.rpm_accepts,
        tally.rpm_rejects
    );
    assert!(tally.libsolv_same_structure > 500);
}

// ---------------------------------------------------------------- rpmspec

/// The ctypes route is rpmbuild's route: for a sample of the generated
/// strings (every outcome and disagreement kind), `rpmspec -q --requires`
/// on a spec with `Requires: <string>` accepts exactly what we accept as a
/// Requires, rejects with rpm's message otherwise, and prints rpmbuild's
/// normal form, which reads back to our AST.
#[test]
fn rpmspec_agrees_on_a_sample() {
    let t = "rpmspec_agrees_on_a_sample";
    need!(t, support::tools(&["rpmspec"]));
    // rpmbuild lints each simple dependency as it parses (names start with
    // a letter, digit, `_` or `/`; no versioned file names): keep the
    // generated names clear of that, so only the grammar decides.
    let texts: Vec<String> = generated()
        .iter()
        .map(|s| {
            s.replace("/usr/bin/sh", "usr-bin-sh")
                .replace("(:lang=en)", "(lang-en)")
        })
        .collect();
    // One spec line each: no line breaks; no trailing text (rpmbuild reads
    // that as a further dependency).
    let eligible = |s: &&String| {
        !s.contains(['\n', '\r', '\x0b', '\x0c', '%', '#'])
            && !matches!(
                DepExpr::parse_for(s, DepKind::Requires),
                Err(DepError {
                    reason: DepErrorReason::Junk,
                    ..
                })
            )
    };
    let mut by_outcome: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for s in texts.iter().filter(eligible) {
        let outcome = match DepExpr::parse_for(s, DepKind::Requires) {
            Ok(_) => "ok".to_string(),
            Err(e) => format!("{:?}", std::mem::discriminant(&e.reason)),
        };
        let v = by_outcome.entry(outcome).or_default();
        if v.len() < 6 {
            v.push(s);
        }
    }
    let sample: Vec<&String> = by_outcome.values().flatten().copied().collect();
    assert!(
        by_outcome.len() >= 10,
        "only {} outcomes in the sample",
        by_outcome.len()
    );
    let dir = support::tempdir();
    let mut problems = Vec::new();
    for s in &sample {
        let spec = dir.path().join("t.spec");
        std::fs::write(
            &spec,
            format!("Name: t\nVersion: 1\nRelease: 1\nSummary: t\nLicense: MIT\nRequires: {s}\n%description\nt\n"),
        )
        .unwrap();
        let out = Command::new("rpmspec")
            .env("HOME", dir.path())
            .env("LC_ALL", "C")
            .args(["-q", "--requires"])
            .arg(&spec)
            .output()
            .expect("run rpmspec");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        match DepExpr::parse_for(s, DepKind::Requires) {
            Ok(ours) => {
                let printed = DepExpr::parse(stdout.trim());
                if !out.status.success() || printed.as_ref() != Ok(&ours) {
                    problems.push(format!(
                        "{s:?}: rpmspec {}: {stdout}{stderr}; we read {ours}",
                        out.status
                    ));
                }
            }
            Err(e) if e.reason == DepErrorReason::ElseWithoutIf => {
                // The documented difference: rpmbuild takes it.
                if !out.status.success() {
                    problems.push(format!(
                        "{s:?}: rpmspec rejects an else-only group: {stderr}"
                    ));
                }
            }
            Err(e) => {
                let found = stderr.lines().any(|l| {
                    l.split(": ").any(|part| {
                        !part.is_empty() && rpm_reason(part).starts_with(&e.reason.to_string())
                    })
                });
                if out.status.success() || !found {
                    problems.push(format!(
                        "{s:?}: we say {e}; rpmspec {}: {stdout}{stderr}",
                        out.status
                    ));
                }
            }
        }
    }
    eprintln!(
        "rpmspec: {} strings over {} outcomes",
        sample.len(),
        by_outcome.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
