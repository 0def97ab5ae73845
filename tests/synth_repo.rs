//! The synthetic Fedora-shaped repository (tests/support/synth.rs), small
//! scale, checked against the real consumers of yum metadata: libsolv
//! (python3-solv), dnf, createrepo_c's parser (sqliterepo_c), and
//! rootsmith's own loader.

mod support;
// Only the tests and benches that use the generator compile it.
#[path = "support/synth.rs"]
mod synth;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

use rootsmith::repo::{load_pool, RepoSource, Store};
use support::fixtures::{python3_solv, run_python};
use support::{need_root, tools, Skip};
use synth::{request_names, synth_repo, Scale, SynthRepo};

const LIBSOLV_REF: &str = include_str!("support/libsolv_ref.py");

/// What libsolv reads from primary + filelists: every NEVRA, and every
/// package that cannot be installed on its own, with libsolv's reasons.
const LIBSOLV_READ: &str = r#"
import sys, json, solv
job = json.load(sys.stdin)
pool = solv.Pool()
pool.setdisttype(solv.Pool.DISTTYPE_RPM)
pool.setarch(job["arch"])
repo = pool.add_repo("synth")
f = solv.xfopen(job["primary"]); repo.add_rpmmd(f, None); f.close()
f = solv.xfopen(job["filelists"]); repo.add_rpmmd(f, None, solv.Repo.REPO_EXTEND_SOLVABLES); f.close()
pool.addfileprovides()
pool.createwhatprovides()
mine = [s for s in repo.solvables if s.arch in (job["arch"], "noarch")]
out = {"nevras": sorted(s.str() for s in mine), "uninstallable": {}}
if job["installable"]:
    for s in mine:
        solver = pool.Solver()
        solver.set_flag(solv.Solver.SOLVER_FLAG_IGNORE_RECOMMENDED, 1)
        problems = solver.solve([pool.Job(solv.Job.SOLVER_INSTALL | solv.Job.SOLVER_SOLVABLE, s.id)])
        if problems:
            out["uninstallable"][s.name] = [str(p) for p in problems]
json.dump(out, sys.stdout)
"#;

fn small() -> Result<&'static SynthRepo, Skip> {
    synth_repo(Scale::Small)
}

fn libsolv_read(repo: &SynthRepo, installable: bool) -> serde_json::Value {
    let job = serde_json::json!({
        "primary": repo.primary(), "filelists": repo.filelists(), "arch": "x86_64", "installable": installable,
    });
    run_python(LIBSOLV_READ, &job)
}

fn strings(v: &serde_json::Value) -> BTreeSet<String> {
    v.as_array()
        .expect("a JSON list")
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

/// (a) rootsmith's loader reads the same packages libsolv reads.
#[test]
fn rootsmith_loads_what_libsolv_reads() {
    let repo = need!("synth_repo::rootsmith_loads_what_libsolv_reads", small());
    need!(
        "synth_repo::rootsmith_loads_what_libsolv_reads",
        python3_solv()
    );
    let source = RepoSource::new("synth", repo.dir.display().to_string());
    let pool = load_pool(&Store::default(), &[source], &x86_64())
        .expect("rootsmith loads the synthetic repository");
    let ours: BTreeSet<String> = pool.packages.iter().map(|p| p.nevra()).collect();
    let theirs = strings(&libsolv_read(repo, false)["nevras"]);
    assert_eq!(
        theirs.len(),
        repo.packages,
        "libsolv reads every package the generator wrote"
    );
    assert_eq!(ours.len(), pool.packages.len(), "no NEVRA twice");
    let only_ours: Vec<_> = ours.difference(&theirs).take(10).collect();
    let only_theirs: Vec<_> = theirs.difference(&ours).take(10).collect();
    assert!(ours == theirs, "rootsmith and libsolv disagree: only rootsmith {only_ours:?}, only libsolv {only_theirs:?}");
    let groups: BTreeSet<&str> = pool.comps.groups.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(
        groups,
        repo.groups.iter().map(String::as_str).collect(),
        "comps groups"
    );
}

/// Exactly the packages the generator calls broken are uninstallable.
#[test]
fn libsolv_finds_exactly_the_broken_packages() {
    let repo = need!(
        "synth_repo::libsolv_finds_exactly_the_broken_packages",
        small()
    );
    need!(
        "synth_repo::libsolv_finds_exactly_the_broken_packages",
        python3_solv()
    );
    let out = libsolv_read(repo, true);
    let uninstallable: BTreeSet<String> = out["uninstallable"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let broken: BTreeSet<String> = repo.broken_names().into_iter().collect();
    assert!(
        !broken.is_empty(),
        "the repository has deliberately broken packages"
    );
    assert!(
        broken.iter().any(|n| repo
            .broken
            .iter()
            .any(|b| &b.name == n && b.kind == "conflict"))
            && repo.broken.iter().any(|b| b.kind == "missing"),
        "both kinds of breakage"
    );
    assert_eq!(
        uninstallable,
        broken,
        "libsolv's uninstallable packages (with reasons: {})",
        serde_json::to_string_pretty(&out["uninstallable"]).unwrap()
    );
}

fn dnf_would_install(repo: &SynthRepo, names: &[String], weak: bool) -> BTreeSet<String> {
    let tmp = support::tempdir();
    synth::dnf_assumeno(&repo.dir, names, weak, tmp.path())
        .unwrap_or_else(|e| panic!("dnf did not resolve the request: {e}"))
}

/// libsolv's answer (python3-solv, tests/support/libsolv_ref.py) for each batch.
fn libsolv_solve(
    repo: &SynthRepo,
    batches: &[Vec<String>],
    weak: bool,
) -> Vec<(BTreeSet<String>, Vec<String>)> {
    let job = serde_json::json!({
        "primary": [repo.primary()], "filelists": [repo.filelists()], "arch": "x86_64",
        "weak": weak, "batches": batches, "repeat": 1,
    });
    run_python(LIBSOLV_REF, &job)
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                strings(&r["packages"]),
                strings(&r["problems"]).into_iter().collect(),
            )
        })
        .collect()
}

/// rootsmith's solver on the synthetic repository against libsolv, with and
/// without weak dependencies: a 300-name request, `@core`, 200 single
/// names, and every deliberately broken package (refused by both, naming
/// the package).
#[test]
fn rootsmith_resolves_like_libsolv() {
    let t = "synth_repo::rootsmith_resolves_like_libsolv";
    let repo = need!(t, small());
    need!(t, python3_solv());
    let pool = load_pool(
        &Store::default(),
        &[RepoSource::new("synth", repo.dir.display().to_string())],
        &x86_64(),
    )
    .unwrap();
    let core = pool.group("core").expect("comps has @core");
    let mut batches = vec![
        request_names(repo, 1, 300),
        core.mandatory
            .iter()
            .chain(&core.default)
            .cloned()
            .collect(),
    ];
    batches.extend(request_names(repo, 2, 200).into_iter().map(|n| vec![n]));
    batches.extend(repo.broken_names().into_iter().map(|n| vec![n]));
    for weak in [true, false] {
        let answers = libsolv_solve(repo, &batches, weak);
        let mut diffs = Vec::new();
        for (batch, (theirs, problems)) in batches.iter().zip(&answers) {
            let request = rootsmith::solve::Request {
                weak_deps: weak,
                ..rootsmith::solve::Request::specs(batch)
            };
            let label = if batch.len() > 3 {
                format!("{} names", batch.len())
            } else {
                batch.join(" ")
            };
            match rootsmith::solve::solve(&pool, &request) {
                Ok(tx) if problems.is_empty() => {
                    let ours: BTreeSet<String> =
                        tx.packages.iter().map(|&id| pool.get(id).nevra()).collect();
                    if &ours != theirs {
                        diffs.push(format!(
                            "{label}: only rootsmith {:?}, only libsolv {:?}",
                            ours.difference(theirs).collect::<Vec<_>>(),
                            theirs.difference(&ours).collect::<Vec<_>>()
                        ));
                    }
                }
                Ok(_) => diffs.push(format!(
                    "{label}: libsolv refuses ({problems:?}), rootsmith solves"
                )),
                Err(e) if problems.is_empty() => {
                    diffs.push(format!("{label}: rootsmith refuses ({e}), libsolv solves"))
                }
                Err(e) => {
                    if batch.len() == 1 && !e.to_string().contains(&batch[0]) {
                        diffs.push(format!("{label}: the error does not name it: {e}"));
                    }
                }
            }
        }
        assert!(
            diffs.is_empty(),
            "weak deps {weak}: {} of {} requests differ from libsolv:\n{}",
            diffs.len(),
            batches.len(),
            diffs.join("\n")
        );
    }
}

/// (b) dnf resolves a `request_names` request, and installs exactly what
/// libsolv computes, with and without weak dependencies; `@core` resolves too.
#[test]
fn dnf_resolves_a_request_like_libsolv() {
    let t = "synth_repo::dnf_resolves_a_request_like_libsolv";
    let repo = need!(t, small());
    need!(t, python3_solv());
    need!(t, tools(&["dnf"]));
    need!(t, need_root());
    let names = request_names(repo, 1, 300);
    assert_eq!(names.len(), 300);
    assert_eq!(
        names,
        request_names(repo, 1, 300),
        "request_names is deterministic"
    );
    let pool = load_pool(
        &Store::default(),
        &[RepoSource::new("synth", repo.dir.display().to_string())],
        &x86_64(),
    )
    .unwrap();
    let core = pool.group("core").expect("comps has @core");
    let core_names: Vec<String> = core
        .mandatory
        .iter()
        .chain(&core.default)
        .cloned()
        .collect();
    for weak in [true, false] {
        let answers = libsolv_solve(repo, &[names.clone(), core_names.clone()], weak);
        for (what, (_, problems)) in ["the request", "@core"].iter().zip(&answers) {
            assert!(
                problems.is_empty(),
                "libsolv cannot solve {what} (weak deps {weak}): {problems:?}"
            );
        }
        let expected = &answers[0].0;
        assert!(
            expected.len() > names.len(),
            "the request pulls in dependencies"
        );
        let dnf = dnf_would_install(repo, &names, weak);
        let only_dnf: Vec<_> = dnf.difference(expected).collect();
        let only_libsolv: Vec<_> = expected.difference(&dnf).collect();
        assert!(
            &dnf == expected,
            "weak deps {weak}: dnf installs {} packages, libsolv {}: only dnf {only_dnf:?}, only libsolv {only_libsolv:?}",
            dnf.len(),
            expected.len()
        );
        eprintln!(
            "synth small: {} names -> {} packages (weak deps {weak}), dnf = libsolv",
            names.len(),
            dnf.len()
        );
    }
}

/// (c) Same bytes every time.
#[test]
fn generation_is_deterministic() {
    let repo = need!("synth_repo::generation_is_deterministic", small());
    let tmp = support::tempdir();
    let again = synth::generate(&tmp.path().join("again"), Scale::Small).expect("generate again");
    let listing = |dir: &Path| -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<(String, Vec<u8>)> = fs::read_dir(dir.join("repodata"))
            .unwrap()
            .map(|e| e.unwrap())
            .map(|e| {
                (
                    e.file_name().to_string_lossy().into_owned(),
                    fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let (a, b) = (listing(&repo.dir), listing(&again.dir));
    assert_eq!(
        a.iter().map(|f| &f.0).collect::<Vec<_>>(),
        b.iter().map(|f| &f.0).collect::<Vec<_>>(),
        "same file names"
    );
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} differs between two generations");
    }
    for (name, _) in &a {
        let mtime = fs::metadata(again.dir.join("repodata").join(name))
            .unwrap()
            .modified()
            .unwrap();
        let secs = mtime
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert_eq!(
            secs,
            fs::metadata(repo.dir.join("repodata").join(name))
                .unwrap()
                .modified()
                .unwrap()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs(),
            "{name}: fixed mtime"
        );
    }
    let strip = |r: &SynthRepo| {
        let mut v = serde_json::to_value(r).unwrap();
        v.as_object_mut().unwrap().remove("generate_seconds");
        v
    };
    assert_eq!(strip(repo), strip(&again), "same description");
}

/// (d) createrepo_c's parser (sqliterepo_c builds its sqlite databases from
/// the XML) accepts the metadata, verifies it and reads every entry written.
#[test]
fn createrepo_c_reads_every_entry() {
    let t = "synth_repo::createrepo_c_reads_every_entry";
    let repo = need!(t, small());
    need!(t, tools(&["sqliterepo_c"]));
    let tmp = support::tempdir();
    support::copy_dir(&repo.dir.join("repodata"), &tmp.path().join("repodata"));
    let out = Command::new("sqliterepo_c")
        .args(["--compress-type", "gz"])
        .arg(tmp.path())
        .output()
        .expect("run sqliterepo_c");
    assert!(
        out.status.success(),
        "sqliterepo_c failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let db = |kind: &str| -> rusqlite::Connection {
        let gz = fs::read_dir(tmp.path().join("repodata"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.to_string_lossy().ends_with(&format!("-{kind}.sqlite.gz")))
            .unwrap_or_else(|| panic!("sqliterepo_c wrote no {kind} database"));
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(fs::File::open(&gz).unwrap()),
            &mut bytes,
        )
        .unwrap();
        let path = tmp.path().join(format!("{kind}.sqlite"));
        fs::write(&path, bytes).unwrap();
        rusqlite::Connection::open(&path).unwrap()
    };
    let count = |c: &rusqlite::Connection, sql: &str| -> u64 {
        c.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap() as u64
    };
    let primary = db("primary");
    let mut read = std::collections::BTreeMap::new();
    read.insert(
        "packages".to_string(),
        count(&primary, "SELECT count(*) FROM packages"),
    );
    for table in [
        "provides",
        "requires",
        "conflicts",
        "obsoletes",
        "recommends",
        "suggests",
        "supplements",
        "enhances",
    ] {
        read.insert(
            table.to_string(),
            count(&primary, &format!("SELECT count(*) FROM {table}")),
        );
    }
    read.insert(
        "requires_pre".into(),
        count(&primary, "SELECT count(*) FROM requires WHERE pre = 'TRUE'"),
    );
    read.insert(
        "primary_files".into(),
        count(&primary, "SELECT count(*) FROM files"),
    );
    let filelists = db("filelists");
    read.insert(
        "filelists_entries".into(),
        count(
            &filelists,
            "SELECT coalesce(sum(length(filetypes)), 0) FROM filelist",
        ),
    );
    assert_eq!(
        read, repo.totals,
        "createrepo_c reads what the generator wrote"
    );
}

fn x86_64() -> rootsmith::rpm::ArchPolicy {
    rootsmith::rpm::ArchPolicy::new("x86_64", false).expect("a known arch")
}
