//! Remote repositories over loopback HTTP (tests/support/http.rs), cold
//! cache every iteration:
//! - metadata: CentOS Stream 9 BaseOS (repomd.xml, primary, comps)
//!   downloaded, verified and parsed by rootsmith, against curl downloading
//!   the same files and libsolv parsing primary.xml, in the same run;
//! - packages: every package of the test distribution's x86_64 repository
//!   downloaded and verified by rootsmith's fetch, against
//!   `curl --parallel` with as many transfers at once.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use rootsmith::repo::{load_pool, RepoSource, Store, StoreOptions};

#[path = "../tests/support/mod.rs"]
mod support;

use support::fixtures::{python3_solv, run_python, shared_fixture};

/// libsolv loading primary.xml.gz, the peer.
const LIBSOLV_LOAD: &str = include_str!("../tests/support/libsolv_load.py");
use support::http::HttpServer;

fn store(cache: &Path) -> Store {
    Store::new(StoreOptions {
        cache_dir: cache.to_path_buf(),
        ..StoreOptions::default()
    })
}

/// `curl` fetching `paths` from `server` into `dir`, `parallel` at a time.
fn curl(server: &HttpServer, paths: &[String], dir: &Path, parallel: usize) {
    let mut cmd = Command::new("curl");
    cmd.args([
        "-sSf",
        "--parallel",
        "--parallel-max",
        &parallel.to_string(),
    ]);
    for (i, p) in paths.iter().enumerate() {
        cmd.arg("-o")
            .arg(dir.join(i.to_string()))
            .arg(server.url(p));
    }
    let out = cmd.output().expect("run curl");
    assert!(
        out.status.success(),
        "curl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn relative_files(root: &Path, under: &str) -> Vec<String> {
    support::files_under(&root.join(under))
        .into_iter()
        .map(|p| format!("{under}/{}", p.display()))
        .collect()
}

fn bench_metadata(c: &mut Criterion) {
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let root = need!("benches/fetch", shared_fixture("repos/cs9-baseos-2022"));
    let server = HttpServer::serve(&root);
    let source = RepoSource::new("baseos", server.base_url());
    let arch = rootsmith::rpm::ArchPolicy::new("x86_64", false).expect("a known arch");
    let mut group = c.benchmark_group("remote_metadata");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("cs9-baseos-2022 cold", |b| {
        b.iter(|| {
            let cache = support::tempdir();
            load_pool(&store(cache.path()), std::slice::from_ref(&source), &arch).expect("loads")
        })
    });
    group.finish();
    if benchmarking {
        need!("benches/fetch", python3_solv());
        let files = relative_files(&root, "repodata");
        let peer: Vec<f64> = (0..5)
            .map(|_| {
                let dir = support::tempdir();
                let t = Instant::now();
                curl(&server, &files, dir.path(), 1);
                let download = t.elapsed().as_secs_f64();
                // libsolv's own time, without starting Python.
                let parse = run_python(
                    LIBSOLV_LOAD,
                    &serde_json::json!({ "repo": root, "runs": 1 }),
                );
                download + parse.as_f64().unwrap()
            })
            .collect();
        eprintln!(
            "peer: curl (repodata/) + libsolv add_rpmmd on cs9-baseos-2022: median {:.1} ms",
            median(peer) * 1e3
        );
    }
}

fn bench_packages(c: &mut Criterion) {
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let distro = need!("benches/fetch", support::distro());
    let root = distro.repo("x86_64");
    let server = HttpServer::serve(&root);
    let source = RepoSource::new("ts", server.base_url());
    let arch = rootsmith::rpm::ArchPolicy::new("x86_64", false).expect("a known arch");
    let parallel = StoreOptions::default().parallel_downloads;
    let mut group = c.benchmark_group("remote_packages");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(15));
    group.bench_function("test-distro x86_64 cold", |b| {
        b.iter_with_setup(
            || {
                let cache = support::tempdir();
                let store = store(cache.path());
                let pool = load_pool(&store, std::slice::from_ref(&source), &arch).expect("loads");
                (cache, pool)
            },
            |(_cache, pool)| {
                let ids: Vec<_> = pool.ids().collect();
                rootsmith::fetch::fetch(&pool, &ids, &|_| {})
                    .expect("fetches")
                    .paths
            },
        )
    });
    group.finish();
    if benchmarking {
        let files = relative_files(&root, "Packages");
        let peer: Vec<f64> = (0..10)
            .map(|_| {
                let dir = support::tempdir();
                let t = Instant::now();
                curl(&server, &files, dir.path(), parallel);
                t.elapsed().as_secs_f64()
            })
            .collect();
        eprintln!(
            "peer: curl --parallel-max {parallel}, {} packages: median {:.1} ms",
            files.len(),
            median(peer) * 1e3
        );
    }
}

criterion_group!(benches, bench_metadata, bench_packages);
criterion_main!(benches);
