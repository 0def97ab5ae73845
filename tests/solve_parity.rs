//! Parity with libsolv (the solver behind dnf) on real CentOS Stream 9
//! metadata. The expected answers are computed here, by python3-solv, from
//! the same primary.xml.gz files.

mod support;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use rootsmith::repo::Pool;
use rootsmith::rpm::Dep;
use rootsmith::solve::{solve, Request, SolveError};
use support::fixtures::{fixture_pool, python3_solv, run_python, FixturePool};
use support::Skip;

const LIBSOLV_REF: &str = include_str!("support/libsolv_ref.py");

/// The fixture repositories loaded once per test process, and python3-solv.
fn ready(loaded: &'static Result<FixturePool, Skip>) -> Result<&'static FixturePool, Skip> {
    python3_solv()?;
    loaded.as_ref().map_err(Skip::clone)
}

/// CentOS Stream 9 BaseOS (Feb 2022), with its comps.
fn baseos() -> Result<&'static FixturePool, Skip> {
    static POOL: OnceLock<Result<FixturePool, Skip>> = OnceLock::new();
    ready(POOL.get_or_init(|| fixture_pool(&["cs9-baseos-2022"])))
}

/// CentOS Stream 9 AppStream (2025) on top of BaseOS (2022): 17k packages,
/// several versions per name, many rich dependencies, and, the snapshots being
/// three years apart, many requests that cannot be satisfied.
fn appstream() -> Result<&'static FixturePool, Skip> {
    static POOL: OnceLock<Result<FixturePool, Skip>> = OnceLock::new();
    ready(POOL.get_or_init(|| fixture_pool(&["cs9-appstream-2025", "cs9-baseos-2022"])))
}

/// libsolv's result for one batch of specs.
struct Reference {
    pub packages: BTreeSet<String>,
    pub problems: Vec<String>,
}

/// libsolv's answers for each batch of specs (installed as dnf would: by
/// name, else by provide), in one python3 process.
fn libsolv(
    f: &FixturePool,
    batches: &[Vec<String>],
    weak: bool,
    exclude: &[String],
) -> Vec<Reference> {
    let mut job = f.libsolv_metadata();
    job["arch"] = "x86_64".into();
    job["weak"] = weak.into();
    job["batches"] = serde_json::json!(batches);
    job["exclude"] = serde_json::json!(exclude);
    job["repeat"] = 1.into();
    let strings = |v: &serde_json::Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_string())
            .collect()
    };
    run_python(LIBSOLV_REF, &job)
        .as_array()
        .expect("one result per batch")
        .iter()
        .map(|r| Reference {
            packages: strings(&r["packages"]).into_iter().collect(),
            problems: strings(&r["problems"]),
        })
        .collect()
}

/// libsolv's install set for one request, which must be solvable.
fn libsolv_one(f: &FixturePool, names: &[String], weak: bool) -> BTreeSet<String> {
    let r = libsolv(f, &[names.to_vec()], weak, &[]).pop().unwrap();
    assert!(
        r.problems.is_empty(),
        "libsolv found problems: {:?}",
        r.problems
    );
    r.packages
}

fn try_ours(pool: &Pool, names: &[String], weak: bool) -> Result<BTreeSet<String>, SolveError> {
    try_ours_excluding(pool, names, weak, &[])
}

fn try_ours_excluding(
    pool: &Pool,
    names: &[String],
    weak: bool,
    exclude: &[String],
) -> Result<BTreeSet<String>, SolveError> {
    let req = Request {
        exclude: exclude.to_vec(),
        weak_deps: weak,
        ..Request::specs(names)
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

/// The outcome of solving many single-name requests with both solvers.
#[derive(Default)]
struct Sweep {
    /// Differences: install sets, solvability, or a wrong error message.
    report: Vec<String>,
    /// Names neither solver can install.
    unsolvable: usize,
    /// Of those, how many of our errors quote libsolv's first problem verbatim.
    same_message: usize,
}

/// Solve each name on its own with both solvers. When both fail, our error
/// must name a missing capability or a conflict, and every "nothing provides
/// X needed by P" in it must be true of the pool. (Several independent causes
/// can each make a request fail; libsolv reports the one it met first, so its
/// exact line is counted, not required.)
fn sweep(f: &FixturePool, names: &[String], weak: bool) -> Sweep {
    let batches: Vec<Vec<String>> = names.iter().map(|n| vec![n.clone()]).collect();
    let theirs = libsolv(f, &batches, weak, &[]);
    let mut out = Sweep::default();
    for (name, reference) in names.iter().zip(&theirs) {
        match (
            try_ours(&f.pool, std::slice::from_ref(name), weak),
            reference.problems.is_empty(),
        ) {
            (Ok(ours), true) if ours == reference.packages => {}
            (Ok(ours), true) => {
                let plus: Vec<_> = ours.difference(&reference.packages).collect();
                let minus: Vec<_> = reference.packages.difference(&ours).collect();
                out.report.push(format!("{name}: +{plus:?} -{minus:?}"));
            }
            (Err(e), false) => {
                out.unsolvable += 1;
                let e = e.to_string();
                if reference
                    .problems
                    .first()
                    .is_some_and(|p| e.contains(p.as_str()))
                {
                    out.same_message += 1;
                }
                if let Some(problem) = check_error(&f.pool, &e) {
                    out.report
                        .push(format!("{name}: {problem} in our error {e:?}"));
                }
            }
            (Ok(_), false) => out.report.push(format!(
                "{name}: libsolv fails ({:?}), we solve",
                reference.problems
            )),
            (Err(e), true) => out
                .report
                .push(format!("{name}: we fail ({e}), libsolv solves")),
        }
    }
    out
}

/// What is wrong with an unsolvable-request error, if anything.
fn check_error(pool: &Pool, error: &str) -> Option<String> {
    let summary = error.strip_prefix("cannot resolve the request: ")?;
    let mut causes = 0;
    for cause in summary.split("; ") {
        if let Some(rest) = cause.strip_prefix("nothing provides ") {
            // "X needed by P needed by Q … (requested as 'spec')"
            let (what, chain) = rest.split_once(" needed by ")?;
            let by = chain
                .split(" needed by ")
                .next()?
                .split(" (requested as")
                .next()?;
            let dep = Dep::parse(what).ok()?;
            let implicit = pool
                .by_name(&dep.name)
                .iter()
                .any(|&id| dep.matches_evr(&pool.get(id).evr));
            if !pool.providers(&dep).is_empty() || implicit {
                return Some(format!("'{what}' has providers"));
            }
            if !pool.packages.iter().any(|p| p.nevra() == by) {
                return Some(format!("no package {by}"));
            }
            causes += 1;
        } else if [" conflicts with ", " obsoletes ", " excluded "]
            .iter()
            .any(|k| cause.contains(k))
        {
            causes += 1;
        }
    }
    (causes == 0).then(|| "no cause named".to_string())
}

fn core_names(pool: &Pool) -> Vec<String> {
    let core = pool.group("core").expect("group core in comps");
    core.mandatory
        .iter()
        .chain(&core.default)
        .cloned()
        .collect()
}

#[test]
fn core_group_matches_libsolv_without_weak_deps() {
    let f = need!("core_group_matches_libsolv_without_weak_deps", baseos());
    let names = core_names(&f.pool);
    let theirs = libsolv_one(f, &names, false);
    let ours = ours(&f.pool, &names, false);
    compare("@core --no-weak-deps", &ours, &theirs, &[]);
}

#[test]
fn core_group_matches_libsolv_with_weak_deps() {
    let f = need!("core_group_matches_libsolv_with_weak_deps", baseos());
    let names = core_names(&f.pool);
    let theirs = libsolv_one(f, &names, true);
    let ours = ours(&f.pool, &names, true);
    compare("@core", &ours, &theirs, &[]);
}

/// Excludes as a kickstart would write them: an alternative provider
/// (glibc's langpack), weak dependencies, and globs.
#[test]
fn core_with_excludes_matches_libsolv() {
    let f = need!("core_with_excludes_matches_libsolv", baseos());
    let names = core_names(&f.pool);
    let exclude: Vec<String> = [
        "glibc-minimal-langpack",
        "openssl-pkcs11",
        "kpartx",
        "NetworkManager*",
        "*-firmware",
    ]
    .map(String::from)
    .to_vec();
    // Group members matching an exclude are skipped, as dnf does for groups.
    let names: Vec<String> = names
        .into_iter()
        .filter(|n| {
            !exclude
                .iter()
                .any(|p| glob::Pattern::new(p).unwrap().matches(n))
        })
        .collect();
    for weak in [false, true] {
        let theirs = libsolv(f, std::slice::from_ref(&names), weak, &exclude)
            .pop()
            .unwrap();
        assert!(theirs.problems.is_empty(), "libsolv: {:?}", theirs.problems);
        let ours =
            try_ours_excluding(&f.pool, &names, weak, &exclude).unwrap_or_else(|e| panic!("{e}"));
        compare(
            &format!("@core excluding {exclude:?}, weak={weak}"),
            &ours,
            &theirs.packages,
            &[],
        );
    }
}

/// Excluding a library makes what needs it uninstallable, for both solvers;
/// libsolv, to which excluded packages do not exist, says "nothing provides";
/// we say the same and name the exclusion.
#[test]
fn exclude_failure_is_explained() {
    let f = need!("exclude_failure_is_explained", baseos());
    let names = vec!["NetworkManager".to_string()];
    let exclude = vec!["NetworkManager-libnm".to_string()];
    let theirs = libsolv(f, std::slice::from_ref(&names), false, &exclude)
        .pop()
        .unwrap();
    assert!(theirs
        .problems
        .iter()
        .any(|p| p.contains("nothing provides NetworkManager-libnm")));
    let e = try_ours_excluding(&f.pool, &names, false, &exclude)
        .unwrap_err()
        .to_string();
    eprintln!("ours: {e}\nlibsolv: {:?}", theirs.problems);
    // Several requirements of NetworkManager point at the library; any names it.
    let expected = "needed by NetworkManager-1:1.36.0-0.7.el9.x86_64; it is provided only by excluded \
        packages: NetworkManager-libnm-1:1.36.0-0.7.el9.x86_64 (excluded by the pattern 'NetworkManager-libnm')";
    assert!(e.contains(expected), "{e}");
}

#[test]
fn single_packages_match_libsolv() {
    let f = need!("single_packages_match_libsolv", baseos());
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
            let theirs = libsolv_one(f, &names, weak);
            let ours = ours(&f.pool, &names, weak);
            compare(&format!("{name} weak={weak}"), &ours, &theirs, &[]);
        }
    }
}

/// Names of every package in the pool, sorted.
fn all_names(pool: &Pool) -> Vec<String> {
    let mut names: Vec<String> = pool.packages.iter().map(|p| p.name.clone()).collect();
    names.sort();
    names.dedup();
    names
}

fn assert_sweep(label: &str, f: &FixturePool, names: &[String]) {
    for weak in [false, true] {
        let s = sweep(f, names, weak);
        eprintln!(
            "{label}, weak={weak}: {} names, {} unsolvable for both ({} with libsolv's exact message), {} differ",
            names.len(),
            s.unsolvable,
            s.same_message,
            s.report.len()
        );
        assert!(
            s.report.is_empty(),
            "{label}, weak={weak}: differences from libsolv:\n{}",
            s.report.join("\n")
        );
    }
}

/// Every package name of BaseOS on its own, with and without weak deps.
#[test]
fn every_baseos_name_matches_libsolv() {
    let f = need!("every_baseos_name_matches_libsolv", baseos());
    assert_sweep("every BaseOS name", f, &all_names(&f.pool));
}

/// Every 40th AppStream name (a deterministic sample) on AppStream + BaseOS.
#[test]
fn appstream_sample_matches_libsolv() {
    let f = need!("appstream_sample_matches_libsolv", appstream());
    let sample: Vec<String> = all_names(&f.pool).into_iter().step_by(40).collect();
    assert_sweep("AppStream sample", f, &sample);
}

/// All 5,719 AppStream names; about two minutes in a release build:
/// `cargo test --release --lib solve::parity -- --ignored`.
#[test]
#[ignore]
fn every_appstream_name_matches_libsolv() {
    let f = need!("every_appstream_name_matches_libsolv", appstream());
    assert_sweep("every AppStream name", f, &all_names(&f.pool));
}
