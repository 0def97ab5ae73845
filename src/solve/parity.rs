//! Parity with libsolv (the solver behind dnf) on real CentOS Stream 9 BaseOS
//! metadata. The expected answers are computed here, by python3-solv, from
//! the same primary.xml.gz.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use super::fixture;
use super::*;

const LIBSOLV_REF: &str = include_str!("libsolv_ref.py");

struct Fixture {
    primary: PathBuf,
    pool: Pool,
}

/// The pool, or None (after a loud NOT RUN line) when the fixture or
/// python3-solv is missing.
fn fixture(test: &str) -> Option<&'static Fixture> {
    static FIXTURE: OnceLock<Option<Fixture>> = OnceLock::new();
    let loaded = FIXTURE.get_or_init(|| {
        let dir = fixture::cs9_baseos_dir();
        let primary = fixture::find(&dir, "primary.xml.gz")?;
        let comps = fixture::find(&dir, "comps-BaseOS.x86_64.xml.gz")?;
        let pkgs =
            fixture::load_primary(&primary, &["x86_64", "noarch"]).expect("read primary.xml.gz");
        let groups = fixture::load_groups(&comps).expect("read comps");
        Some(Fixture {
            primary,
            pool: Pool::new("x86_64", vec![], pkgs, groups),
        })
    });
    let Some(f) = loaded.as_ref() else {
        eprintln!(
            "NOT RUN: {test}: fixture {} is missing",
            fixture::cs9_baseos_dir().display()
        );
        return None;
    };
    if !python3_solv_available() {
        eprintln!(
            "NOT RUN: {test}: /usr/bin/python3 cannot import solv (apt-get install python3-solv)"
        );
        return None;
    }
    Some(f)
}

fn python3_solv_available() -> bool {
    Command::new("/usr/bin/python3")
        .args(["-c", "import solv"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// libsolv's result for one batch of specs.
pub(crate) struct Reference {
    pub packages: BTreeSet<String>,
    pub problems: Vec<String>,
}

/// libsolv's answers for each batch of specs (installed as dnf would: by
/// name, else by provide), in one python3 process.
pub(crate) fn libsolv(primary: &Path, batches: &[Vec<String>], weak: bool) -> Vec<Reference> {
    let job = serde_json::json!({
        "primary": primary, "arch": "x86_64", "weak": weak, "batches": batches, "repeat": 1,
    });
    let mut child = Command::new("/usr/bin/python3")
        .args(["-c", LIBSOLV_REF])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run python3");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(job.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().expect("python3 output");
    assert!(out.status.success(), "libsolv reference script failed");
    let v: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("libsolv JSON");
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_string())
            .collect()
    };
    v.iter()
        .map(|r| Reference {
            packages: strings(&r["packages"]).into_iter().collect(),
            problems: strings(&r["problems"]),
        })
        .collect()
}

/// libsolv's install set for one request, which must be solvable.
fn libsolv_one(primary: &Path, names: &[String], weak: bool) -> BTreeSet<String> {
    let r = libsolv(primary, &[names.to_vec()], weak).pop().unwrap();
    assert!(
        r.problems.is_empty(),
        "libsolv found problems: {:?}",
        r.problems
    );
    r.packages
}

fn try_ours(pool: &Pool, names: &[String], weak: bool) -> Result<BTreeSet<String>, SolveError> {
    let install = names.iter().map(|n| Spec::parse(n)).collect();
    let req = Request {
        install,
        exclude: vec![],
        weak_deps: weak,
    };
    Ok(solve(pool, &req)?
        .packages
        .iter()
        .map(|&id| pool.get(id).nevra())
        .collect())
}

fn ours(pool: &Pool, names: &[String], weak: bool) -> BTreeSet<String> {
    try_ours(pool, names, weak).unwrap_or_else(|e| panic!("{e}"))
}

/// Compare and print both differences; `known` lists the NEVRAs (prefixed
/// `+` for only-ours, `-` for only-libsolv) accepted as a documented policy
/// difference.
fn compare(label: &str, ours: &BTreeSet<String>, theirs: &BTreeSet<String>, known: &[&str]) {
    let mut diff: Vec<String> = ours.difference(theirs).map(|n| format!("+{n}")).collect();
    diff.extend(theirs.difference(ours).map(|n| format!("-{n}")));
    eprintln!(
        "{label}: rootsmith {} packages, libsolv {} packages, diff {diff:?}",
        ours.len(),
        theirs.len()
    );
    let known: Vec<String> = known.iter().map(|s| s.to_string()).collect();
    assert_eq!(diff, known, "{label}: rootsmith (+) and libsolv (-) differ");
}

pub(crate) fn core_names(pool: &Pool) -> Vec<String> {
    let core = pool.group("core").expect("group core in comps");
    core.mandatory
        .iter()
        .chain(&core.default)
        .cloned()
        .collect()
}

#[test]
fn core_group_matches_libsolv_without_weak_deps() {
    let Some(f) = fixture("core_group_matches_libsolv_without_weak_deps") else {
        return;
    };
    let names = core_names(&f.pool);
    let theirs = libsolv_one(&f.primary, &names, false);
    let ours = ours(&f.pool, &names, false);
    compare("@core --no-weak-deps", &ours, &theirs, &[]);
    // NOTES §6: dnf 4.14 installs 300 packages for this job.
    assert_eq!(ours.len(), 300);
}

#[test]
fn core_group_matches_libsolv_with_weak_deps() {
    let Some(f) = fixture("core_group_matches_libsolv_with_weak_deps") else {
        return;
    };
    let names = core_names(&f.pool);
    let theirs = libsolv_one(&f.primary, &names, true);
    let ours = ours(&f.pool, &names, true);
    compare("@core", &ours, &theirs, &[]);
    assert_eq!(ours.len(), 303);
}

#[test]
fn single_packages_match_libsolv() {
    let Some(f) = fixture("single_packages_match_libsolv") else {
        return;
    };
    for name in [
        "bash",
        "dnf",
        "openssh-server",
        "sudo",
        "NetworkManager",
        "/bin/sh",
    ] {
        for weak in [false, true] {
            let names = vec![name.to_string()];
            let theirs = libsolv_one(&f.primary, &names, weak);
            let ours = ours(&f.pool, &names, weak);
            compare(&format!("{name} weak={weak}"), &ours, &theirs, &[]);
        }
    }
}

/// Every package name of the repository on its own, with and without weak
/// deps: the install sets must equal libsolv's, the same names must fail, and
/// libsolv's "nothing provides" lines must appear in our errors.
#[test]
fn every_name_matches_libsolv() {
    let Some(f) = fixture("every_name_matches_libsolv") else {
        return;
    };
    let mut names: Vec<String> = f.pool.packages.iter().map(|p| p.name.clone()).collect();
    names.sort();
    names.dedup();
    let batches: Vec<Vec<String>> = names.iter().map(|n| vec![n.clone()]).collect();
    for weak in [false, true] {
        let theirs = libsolv(&f.primary, &batches, weak);
        let mut report = Vec::new();
        let mut unsolvable = 0;
        for (name, reference) in names.iter().zip(&theirs) {
            match (
                try_ours(&f.pool, std::slice::from_ref(name), weak),
                reference.problems.is_empty(),
            ) {
                (Ok(ours), true) if ours == reference.packages => {}
                (Ok(ours), true) => {
                    let plus: Vec<_> = ours.difference(&reference.packages).collect();
                    let minus: Vec<_> = reference.packages.difference(&ours).collect();
                    report.push(format!("{name}: +{plus:?} -{minus:?}"));
                }
                (Err(e), false) => {
                    unsolvable += 1;
                    eprintln!(
                        "  {name}: unsolvable for both; ours: {e}; libsolv: {:?}",
                        reference.problems
                    );
                    let e = e.to_string();
                    for p in reference
                        .problems
                        .iter()
                        .filter(|p| p.starts_with("nothing provides"))
                    {
                        if !e.contains(p.as_str()) {
                            report.push(format!("{name}: our error {e:?} lacks libsolv's {p:?}"));
                        }
                    }
                }
                (Ok(_), false) => report.push(format!(
                    "{name}: libsolv fails ({:?}), we solve",
                    reference.problems
                )),
                (Err(e), true) => report.push(format!("{name}: we fail ({e}), libsolv solves")),
            }
        }
        eprintln!(
            "every name, weak={weak}: {} names, {unsolvable} unsolvable for both, {} differ",
            names.len(),
            report.len()
        );
        assert!(
            report.is_empty(),
            "weak={weak}: differences from libsolv:\n{}",
            report.join("\n")
        );
    }
}
