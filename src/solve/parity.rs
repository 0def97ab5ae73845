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

/// libsolv's answer for installing `names` (as dnf would: by name, else provide).
pub(crate) fn libsolv(primary: &Path, names: &[String], weak: bool) -> BTreeSet<String> {
    let job = serde_json::json!({
        "primary": primary, "arch": "x86_64", "weak": weak, "install": names, "repeat": 1,
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
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("libsolv JSON");
    assert_eq!(
        v["problems"].as_array().map(Vec::len),
        Some(0),
        "libsolv found problems: {}",
        v["problems"]
    );
    v["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect()
}

fn ours(pool: &Pool, names: &[String], weak: bool) -> BTreeSet<String> {
    let req = Request {
        install: names.iter().map(|n| Spec::parse(n)).collect(),
        exclude: vec![],
        weak_deps: weak,
    };
    let t = solve(pool, &req).unwrap_or_else(|e| panic!("{e}"));
    t.packages.iter().map(|&id| pool.get(id).nevra()).collect()
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
    let theirs = libsolv(&f.primary, &names, false);
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
    let theirs = libsolv(&f.primary, &names, true);
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
            let theirs = libsolv(&f.primary, &names, weak);
            let ours = ours(&f.pool, &names, weak);
            compare(&format!("{name} weak={weak}"), &ours, &theirs, &[]);
        }
    }
}
