//! Version comparison and dependency ranges against rpm itself: rpm's own
//! rpmvercmp vectors plus the 4,489 go-rpm-version vectors checked against
//! librpm (`../shared/fixtures/vercmp/`), and range overlap decided by
//! librpm's `rpmdsCompare` (python3-rpm) in the test.

mod support;

use std::cmp::Ordering;

use rootsmith::rpm::{rpmvercmp, Cmp, Dep, Evr};
use support::fixtures::{run_python, shared_fixture, system_python_module};

/// `a<TAB>b<TAB>expected` rows; a row that does not parse fails the test.
fn vectors(file: &str) -> Result<Vec<(String, String, i32)>, support::Skip> {
    let path = shared_fixture(&format!("vercmp/{file}"))?;
    let text = std::fs::read_to_string(&path).unwrap();
    Ok(text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.is_empty())
        .map(|(i, l)| {
            let cols: Vec<&str> = l.split('\t').collect();
            match cols.as_slice() {
                [a, b, want] => (a.to_string(), b.to_string(), want.trim().parse().unwrap()),
                _ => panic!(
                    "{}:{}: not a<TAB>b<TAB>expected: {l:?}",
                    path.display(),
                    i + 1
                ),
            }
        })
        .collect())
}

fn sign(o: Ordering) -> i32 {
    match o {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    }
}

fn check_vectors(test: &str, file: &str, expected_rows: usize) {
    let rows = need!(test, vectors(file));
    assert_eq!(rows.len(), expected_rows, "{file}: rows read");
    let wrong: Vec<String> = rows
        .iter()
        .filter(|(a, b, want)| sign(rpmvercmp(a, b)) != *want)
        .map(|(a, b, want)| {
            format!(
                "rpmvercmp({a:?}, {b:?}) = {}, rpm says {want}",
                sign(rpmvercmp(a, b))
            )
        })
        .collect();
    assert!(
        wrong.is_empty(),
        "{} of {} differ:\n{}",
        wrong.len(),
        rows.len(),
        wrong.join("\n")
    );
}

#[test]
fn rpm_own_vectors() {
    check_vectors("rpm_own_vectors", "rpm-rpmvercmp.tsv", 91);
}

#[test]
fn librpm_checked_vectors() {
    check_vectors("librpm_checked_vectors", "go-rpm-version.tsv", 4489);
}

const RPMDS_COMPARE: &str = r#"
import json, sys, rpm
sense = {"<": rpm.RPMSENSE_LESS, "<=": rpm.RPMSENSE_LESS | rpm.RPMSENSE_EQUAL, "=": rpm.RPMSENSE_EQUAL,
         ">=": rpm.RPMSENSE_GREATER | rpm.RPMSENSE_EQUAL, ">": rpm.RPMSENSE_GREATER, "": 0}
def ds(d, tag):
    return rpm.ds(("x", sense[d[0]], d[1]), tag)
out = [bool(ds(r, rpm.RPMTAG_REQUIRENAME).Compare(ds(p, rpm.RPMTAG_PROVIDENAME))) for r, p in json.load(sys.stdin)]
json.dump(out, sys.stdout)
"#;

/// Every operator pair on versions taken from the vectors, with and without
/// epochs and releases: whether a requirement range and a provide range
/// overlap, as librpm decides it.
#[test]
fn range_overlap_matches_librpm() {
    let t = "range_overlap_matches_librpm";
    let rows = need!(t, vectors("rpm-rpmvercmp.tsv"));
    need!(t, system_python_module("rpm"));
    let ops = ["<", "<=", "=", ">=", ">", ""];
    let evrs = |a: &str, b: &str| {
        [
            a.to_string(),
            format!("{a}-{b}"),
            format!("1:{a}"),
            format!("{a}-1"),
            format!("2:{b}-{a}"),
        ]
    };
    // (requirement, provide), each (operator, evr)
    type Range<'a> = (&'a str, String);
    let mut pairs: Vec<(Range, Range)> = Vec::new();
    for (a, b, _) in rows
        .iter()
        .filter(|(a, b, _)| !a.is_empty() && !b.is_empty() && !a.contains('-') && !b.contains('-'))
    {
        for (x, y) in evrs(a, b).iter().zip(evrs(b, a).iter().rev()) {
            for req in ops {
                for prov in ops {
                    pairs.push(((req, x.clone()), (prov, y.clone())));
                }
            }
        }
    }
    let job = serde_json::to_value(&pairs).unwrap();
    let theirs = run_python(RPMDS_COMPARE, &job);
    let dep = |(op, evr): &(&str, String)| match Cmp::from_operator(op) {
        Some(cmp) => Dep::versioned("x", cmp, Evr::parse(evr)),
        None => Dep::unversioned("x"),
    };
    let mut wrong = Vec::new();
    for (pair, want) in pairs.iter().zip(theirs.as_array().unwrap()) {
        let ours = dep(&pair.0).ranges_overlap(&dep(&pair.1));
        if Some(ours) != want.as_bool() {
            wrong.push(format!(
                "x {} {} vs x {} {}: ours {ours}, librpm {want}",
                pair.0 .0, pair.0 .1, pair.1 .0, pair.1 .1
            ));
        }
    }
    eprintln!("{} range pairs compared with librpm", pairs.len());
    assert!(
        wrong.is_empty(),
        "{} of {} differ:\n{}",
        wrong.len(),
        pairs.len(),
        wrong[..wrong.len().min(40)].join("\n")
    );
}
