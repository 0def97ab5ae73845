//! Metadata loading: rootsmith's streaming reader on real CentOS Stream 9 metadata,
//! with libsolv (python3-solv) loading the same primary.xml in the same run as the peer.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use rootsmith::repo::{load_repo, RepoSource};

fn fixture(name: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/repos").join(name);
    p.is_dir().then_some(p)
}

/// Median seconds of libsolv's `add_rpmmd` on the same (decompressed) primary, 5 runs.
fn libsolv_seconds(repo: &Path) -> Option<f64> {
    let script = r#"
import sys, glob, gzip, time, tempfile, statistics, solv
src = glob.glob(sys.argv[1] + '/repodata/*-primary.xml.gz')[0]
times = []
for _ in range(5):
    t = time.perf_counter()
    pool = solv.Pool(); pool.setdisttype(solv.Pool.DISTTYPE_RPM); pool.setarch('x86_64')
    repo = pool.add_repo('r')
    f = solv.xfopen(src)
    repo.add_rpmmd(f, None, 0); f.close()
    pool.createwhatprovides()
    times.append(time.perf_counter() - t)
print(statistics.median(times))
"#;
    let out = Command::new("/usr/bin/python3").arg("-c").arg(script).arg(repo).output().ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

fn bench_primary(c: &mut Criterion) {
    let benchmarking = std::env::args().any(|a| a == "--bench");
    for name in ["cs9-baseos-2022", "cs9-appstream-2025"] {
        let Some(root) = fixture(name) else {
            eprintln!("NOT RUN: benches/repo: ../shared/fixtures/repos/{name} is missing");
            continue;
        };
        let source = RepoSource { name: name.into(), baseurl: root.display().to_string() };
        let mut group = c.benchmark_group("load_primary");
        group.sample_size(10).measurement_time(Duration::from_secs(20));
        group.bench_function(name, |b| b.iter(|| load_repo(&source, "x86_64").expect("loads")));
        group.finish();
        if benchmarking {
            match libsolv_seconds(&root) {
                Some(s) => eprintln!("peer: libsolv add_rpmmd+createwhatprovides on {name}: median {:.1} ms", s * 1e3),
                None => eprintln!("peer: python3-solv not available"),
            }
        }
    }
}

criterion_group!(benches, bench_primary);
criterion_main!(benches);
