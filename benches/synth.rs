//! rootsmith against its peers on the full-scale synthetic Fedora-shaped
//! repository (tests/support/synth.rs: 60,500 packages, 118 MB of
//! primary.xml, 354 MB of filelists.xml), each peer measured in the same run:
//!
//! - metadata load: `rootsmith::repo::load_pool` vs libsolv's `add_rpmmd` +
//!   `createwhatprovides` (python3-solv) on the same primary.xml.gz;
//! - a 300-name request from a loaded pool: `rootsmith::solve::solve` vs
//!   libsolv's `solver.solve`, with and without weak dependencies;
//! - cold `rootsmith resolve NAMES --repo synth=DIR --arch x86_64` (this
//!   build's binary) vs cold `dnf --assumeno install NAMES` with a fresh
//!   installroot and cache every run, so dnf parses the metadata each time.
//!
//! Medians, ratios, and whatever goes wrong (error text) are printed to
//! stderr: `cargo bench --bench synth`. Under `cargo test` (no `--bench`
//! argument) it runs once on the small scale and skips the peers.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use rootsmith::repo::{load_pool, load_repo, Pool, RepoSource, Store, StoreOptions};
use rootsmith::solve::{solve, Request};

// As the binary does (see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../tests/support/mod.rs"]
mod support;
#[path = "../tests/support/synth.rs"]
mod synth;

use support::fixtures::{python3_solv, run_python};
use synth::{request_names, synth_repo, Scale, SynthRepo};

const LIBSOLV_REF: &str = include_str!("../tests/support/libsolv_ref.py");
/// Runs of each cold or whole-load measurement.
const RUNS: usize = 5;
/// Runs of each in-memory solve.
const SOLVES: usize = 20;
/// A cold resolve slower than this is reported as such and stopped.
const CLI_LIMIT: Duration = Duration::from_secs(300);

/// Median seconds of libsolv loading primary.xml.gz (add_rpmmd +
/// createwhatprovides), and of loading primary and filelists as dnf does.
const LIBSOLV_LOAD: &str = r#"
import sys, json, time, statistics, solv
job = json.load(sys.stdin)
def load(with_filelists):
    t = time.perf_counter()
    pool = solv.Pool(); pool.setdisttype(solv.Pool.DISTTYPE_RPM); pool.setarch("x86_64")
    repo = pool.add_repo("synth")
    f = solv.xfopen(job["primary"]); repo.add_rpmmd(f, None, 0); f.close()
    if with_filelists:
        f = solv.xfopen(job["filelists"]); repo.add_rpmmd(f, None, solv.Repo.REPO_EXTEND_SOLVABLES); f.close()
        pool.addfileprovides()
    pool.createwhatprovides()
    return time.perf_counter() - t
out = {"primary": statistics.median(load(False) for _ in range(job["runs"])),
       "filelists": statistics.median(load(True) for _ in range(job["filelists_runs"]))}
json.dump(out, sys.stdout)
"#;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn timed<T>(f: impl FnOnce() -> T) -> (T, f64) {
    let start = Instant::now();
    let out = f();
    (out, start.elapsed().as_secs_f64())
}

/// A store that parses the metadata every time.
fn cold_store() -> Store {
    Store::new(StoreOptions {
        pool_cache: false,
        ..StoreOptions::default()
    })
}

/// A store whose parsed-pool cache is under `dir`.
fn warm_store(dir: &std::path::Path) -> Store {
    Store::new(StoreOptions {
        cache_dir: dir.to_path_buf(),
        ..StoreOptions::default()
    })
}

/// primary.xml.gz parsed and verified into a pool, as libsolv's
/// `add_rpmmd` + `createwhatprovides` do: no filelists.
fn primary_into_pool(repo: &SynthRepo) -> Pool {
    let loaded = load_repo(&cold_store(), &source(repo), &x86_64()).expect("load_repo");
    Pool::new(
        x86_64(),
        vec![loaded.info],
        vec![loaded.packages],
        loaded.comps,
    )
}

/// Peak resident memory (GNU time's %M, KB) of a rootsmith process that
/// loads the repository whole and answers one question from it.
fn peak_rss_kb(repo: &SynthRepo) -> Option<u64> {
    let out = std::process::Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(support::rootsmith_bin())
        .args([
            "repoquery",
            "--arch",
            "x86_64",
            "--whatprovides",
            "/bin/sh",
            "--repo",
        ])
        .arg(format!("synth={}", repo.dir.display()))
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()?
        .trim()
        .parse()
        .ok()
}

fn source(repo: &SynthRepo) -> RepoSource {
    RepoSource::new("synth", repo.dir.display().to_string())
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

/// rootsmith's solve, with a panic reported as an error.
fn our_solve(pool: &Pool, req: &Request) -> Result<Vec<String>, String> {
    match catch_unwind(AssertUnwindSafe(|| solve(pool, req))) {
        Ok(Ok(tx)) => {
            let mut v: Vec<String> = tx.packages.iter().map(|&id| pool.get(id).nevra()).collect();
            v.sort();
            Ok(v)
        }
        Ok(Err(e)) => Err(e.to_string()),
        Err(p) => Err(format!(
            "panicked: {}",
            p.downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default()
        )),
    }
}

/// How two install sets compare, in words.
fn compare(ours: &[String], theirs: &std::collections::BTreeSet<String>) -> String {
    let ours: std::collections::BTreeSet<&String> = ours.iter().collect();
    let only_ours: Vec<&String> = ours
        .iter()
        .copied()
        .filter(|n| !theirs.contains(*n))
        .collect();
    let only_theirs: Vec<&String> = theirs.iter().filter(|n| !ours.contains(n)).collect();
    if only_ours.is_empty() && only_theirs.is_empty() {
        return "the same set".into();
    }
    let some = |v: &[&String]| {
        v.iter()
            .take(3)
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "sets differ: {} only rootsmith [{}], {} only peer [{}]",
        only_ours.len(),
        some(&only_ours),
        only_theirs.len(),
        some(&only_theirs)
    )
}

/// Run `cmd` with a time limit: (exit status or None when killed, stdout, stderr, seconds).
fn run_limited(
    mut cmd: Command,
    limit: Duration,
) -> (Option<std::process::ExitStatus>, String, String, f64) {
    let start = Instant::now();
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let to = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut so, &mut s);
        s
    });
    let te = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut se, &mut s);
        s
    });
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break Some(s);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let secs = start.elapsed().as_secs_f64();
    (status, to.join().unwrap(), te.join().unwrap(), secs)
}

fn bench(c: &mut Criterion) {
    let t = "benches/synth";
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let scale = if benchmarking {
        Scale::Full
    } else {
        Scale::Small
    };
    let (repo, ready) = timed(|| synth_repo(scale));
    let repo = need!(t, repo);
    let open = |k: &str| repo.files.get(k).map_or(0, |f| f.0);
    eprintln!(
        "synth {} ({}): {} packages, {} names, {} noarch, {} broken; primary {:.1} MB, filelists {:.1} MB open; \
         ready in {ready:.1} s (generating took {:.1} s); {}",
        repo.scale,
        repo.version,
        repo.packages,
        repo.names,
        repo.noarch,
        repo.broken.len(),
        mb(open("primary")),
        mb(open("filelists")),
        repo.generate_seconds,
        repo.dir.display()
    );

    // ------------------------------------------------------------ metadata load
    let mut group = c.benchmark_group("synth");
    group.sample_size(10).warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(if benchmarking { 30 } else { 1 }));
    let (pool, _) = timed(|| load_pool(&cold_store(), &[source(repo)], &x86_64()));
    let pool = match pool {
        Ok(p) => p,
        Err(e) => {
            eprintln!("load_pool failed: {e}");
            return;
        }
    };
    group.bench_function(
        format!("load_pool {} ({} packages)", repo.scale, repo.packages),
        // Dropping 60,000 packages is not part of loading them.
        |b| {
            b.iter_with_large_drop(|| {
                load_pool(&cold_store(), &[source(repo)], &x86_64()).expect("load_pool")
            })
        },
    );
    let pool_cache = support::tempdir();
    let warm_load = || {
        let store = warm_store(pool_cache.path());
        let pool = load_pool(&store, &[source(repo)], &x86_64()).expect("load_pool");
        assert_eq!(store.stats().pools_cached, 1, "read from the pool cache");
        pool
    };
    // A cold load into an empty cache, which also keeps the pool.
    let keeping_load = || {
        let empty = support::tempdir();
        timed(|| load_pool(&warm_store(empty.path()), &[source(repo)], &x86_64())).1
    };
    let keeping = keeping_load();
    load_pool(&warm_store(pool_cache.path()), &[source(repo)], &x86_64()).expect("load_pool");
    group.bench_function(
        format!(
            "load_pool from the pool cache {} ({} packages)",
            repo.scale, repo.packages
        ),
        |b| b.iter_with_large_drop(warm_load),
    );
    if benchmarking {
        need!(t, python3_solv());
        let ours = median(
            (0..RUNS)
                .map(|_| timed(|| load_pool(&cold_store(), &[source(repo)], &x86_64())).1)
                .collect(),
        );
        let warm = median((0..RUNS).map(|_| timed(warm_load).1).collect());
        let keeping = median((1..RUNS).map(|_| keeping_load()).chain([keeping]).collect());
        let cached_bytes: u64 = std::fs::read_dir(pool_cache.path().join("v1/pools"))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.metadata().ok())
            .map(|m| m.len())
            .sum();
        eprintln!(
            "load: warm load_pool from the parsed-pool cache median {:.0} ms ({RUNS} runs; the \
             issue asks < 200 ms); cold load_pool median {:.0} ms: warm {:.1}x faster; the cold \
             load that also keeps the pool median {:.0} ms; cache file {:.1} MB",
            warm * 1e3,
            ours * 1e3,
            ours / warm,
            keeping * 1e3,
            mb(cached_bytes)
        );
        let job = serde_json::json!({
            "primary": repo.primary(), "filelists": repo.filelists(), "runs": RUNS, "filelists_runs": 3,
        });
        let primary_only = median(
            (0..RUNS)
                .map(|_| timed(|| primary_into_pool(repo)).1)
                .collect(),
        );
        let theirs = run_python(LIBSOLV_LOAD, &job);
        let (primary, filelists) = (
            theirs["primary"].as_f64().unwrap(),
            theirs["filelists"].as_f64().unwrap(),
        );
        eprintln!(
            "load: primary.xml.gz into the pool (load_repo + Pool::new) median {:.0} ms; libsolv \
             add_rpmmd+createwhatprovides median {:.0} ms: rootsmith {:.2}x faster",
            primary_only * 1e3,
            primary * 1e3,
            primary / primary_only
        );
        if let Some(kb) = peak_rss_kb(repo) {
            eprintln!(
                "load: peak RSS of `rootsmith repoquery --whatprovides /bin/sh` on it: {:.0} MB",
                kb as f64 / 1024.0
            );
        }
        eprintln!(
            "load: rootsmith load_pool median {:.0} ms (primary, and the filelists paths file \
             dependencies need); libsolv add_rpmmd+createwhatprovides median {:.0} ms ({RUNS} runs \
             each): {:.2}x; libsolv with filelists as dnf loads them: {:.0} ms (3 runs): {:.2}x",
            ours * 1e3,
            primary * 1e3,
            ours / primary,
            filelists * 1e3,
            ours / filelists
        );
    }

    // ------------------------------------------------------------ solve 300 names
    // The full request when benchmarking; a small one under `cargo test`.
    let names = request_names(repo, 1, if benchmarking { 300 } else { 20 });
    for weak in [false, true] {
        let label = if weak {
            "with weak deps"
        } else {
            "--no-weak-deps"
        };
        let req = Request {
            weak_deps: weak,
            ..Request::specs(&names)
        };
        let (first, first_secs) = timed(|| our_solve(&pool, &req));
        match &first {
            Ok(v) => eprintln!(
                "solve {} names {label}: rootsmith -> {} packages in {:.1} ms",
                names.len(),
                v.len(),
                first_secs * 1e3
            ),
            Err(e) => eprintln!(
                "solve {} names {label}: rootsmith failed after {first_secs:.2} s: {e}",
                names.len()
            ),
        }
        if benchmarking && first.is_ok() && first_secs < 2.0 {
            group.measurement_time(Duration::from_secs_f64((first_secs * 15.0).max(5.0)));
            group.bench_function(
                format!("solve {} names {label} ({})", names.len(), repo.scale),
                |b| b.iter(|| solve(&pool, &req).expect("solve")),
            );
        }
        if benchmarking {
            let job = serde_json::json!({
                "primary": [repo.primary()], "filelists": [repo.filelists()], "arch": "x86_64",
                "weak": weak, "batches": [names], "repeat": SOLVES,
            });
            let theirs = run_python(LIBSOLV_REF, &job)[0].clone();
            let libsolv_secs = median(
                theirs["solve_seconds"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|s| s.as_f64())
                    .collect(),
            );
            let libsolv_set: std::collections::BTreeSet<String> = theirs["packages"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap().to_string())
                .collect();
            let problems = theirs["problems"].as_array().map_or(0, |p| p.len());
            match &first {
                Ok(v) => {
                    let runs = if first_secs < 2.0 { SOLVES } else { 1 };
                    let ours = if runs == 1 { first_secs } else { median((0..runs).map(|_| timed(|| solve(&pool, &req)).1).collect()) };
                    eprintln!(
                        "solve {} names {label}: rootsmith median {:.2} ms ({} packages), libsolv solver.solve median {:.2} ms \
                         ({} packages, {problems} problems), {runs}/{SOLVES} runs: {:.1}x; {}",
                        names.len(),
                        ours * 1e3,
                        v.len(),
                        libsolv_secs * 1e3,
                        libsolv_set.len(),
                        ours / libsolv_secs,
                        compare(v, &libsolv_set)
                    );
                }
                Err(_) => eprintln!(
                    "solve {} names {label}: libsolv solver.solve median {:.2} ms ({} packages, {problems} problems); rootsmith: failed (above)",
                    names.len(),
                    libsolv_secs * 1e3,
                    libsolv_set.len()
                ),
            }
        }
    }
    group.finish();

    // ------------------------------------------------------------ cold resolve, CLI against dnf
    if !benchmarking {
        return;
    }
    need!(t, support::tools(&["dnf"]));
    need!(t, support::need_root());
    let bin = env!("CARGO_BIN_EXE_rootsmith");
    let mut ours = Vec::new();
    let mut our_set: Result<Vec<String>, String> = Err("not run".into());
    for _ in 0..RUNS {
        let tmp = support::tempdir();
        let mut cmd = Command::new(bin);
        cmd.arg("resolve")
            .args(&names)
            .args(["--repo", &repo.repo_arg(), "--arch", "x86_64"])
            .env("XDG_CACHE_HOME", tmp.path());
        let (status, stdout, stderr, secs) = run_limited(cmd, CLI_LIMIT);
        ours.push(secs);
        our_set = match status {
            Some(s) if s.success() => Ok(stdout.lines().map(str::to_string).collect()),
            Some(s) => Err(format!("{s}: {}", stderr.trim())),
            None => Err(format!("still running after {CLI_LIMIT:?}, stopped")),
        };
        if our_set.is_err() {
            break;
        }
    }
    let mut theirs = Vec::new();
    let mut dnf_set = Err("not run".to_string());
    for _ in 0..RUNS {
        let tmp = support::tempdir();
        let (set, secs) = timed(|| synth::dnf_assumeno(&repo.dir, &names, true, tmp.path()));
        theirs.push(secs);
        dnf_set = set;
        if dnf_set.is_err() {
            break;
        }
    }
    let dnf_median = median(theirs.clone());
    let dnf_desc = match &dnf_set {
        Ok(s) => format!("{} packages", s.len()),
        Err(e) => format!("failed: {e}"),
    };
    match (&our_set, &dnf_set) {
        (Ok(v), Ok(d)) => eprintln!(
            "cold resolve {} names: rootsmith resolve median {:.2} s ({} packages), dnf --assumeno install median {dnf_median:.2} s \
             ({dnf_desc}), {RUNS} runs each: {:.2}x; {}",
            names.len(),
            median(ours.clone()),
            v.len(),
            median(ours.clone()) / dnf_median,
            compare(v, d)
        ),
        (Err(e), _) => eprintln!(
            "cold resolve {} names: rootsmith resolve failed after {:.2} s: {e}; dnf --assumeno install median {dnf_median:.2} s ({dnf_desc})",
            names.len(),
            ours.last().copied().unwrap_or(0.0)
        ),
        (Ok(v), Err(_)) => eprintln!(
            "cold resolve {} names: rootsmith resolve median {:.2} s ({} packages); dnf {dnf_desc}",
            names.len(),
            median(ours.clone()),
            v.len()
        ),
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);

fn x86_64() -> rootsmith::rpm::ArchPolicy {
    rootsmith::rpm::ArchPolicy::new("x86_64", false).expect("a known arch")
}
