//! Metadata loading: rootsmith's streaming reader on real CentOS Stream 9 metadata,
//! with libsolv (python3-solv) loading the same primary.xml in the same run as the peer.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use rootsmith::repo::{load_repo, RepoSource, Store};

#[path = "../tests/support/mod.rs"]
mod support;

use support::fixtures::{python3_solv, run_python, shared_fixture};

/// libsolv loading primary.xml.gz, the peer.
const LIBSOLV_LOAD: &str = include_str!("../tests/support/libsolv_load.py");

fn bench_primary(c: &mut Criterion) {
    let benchmarking = std::env::args().any(|a| a == "--bench");
    for name in ["cs9-baseos-2022", "cs9-appstream-2025"] {
        let root = need!("benches/repo", shared_fixture(&format!("repos/{name}")));
        let source = RepoSource::new(name, root.display().to_string());
        let mut group = c.benchmark_group("load_primary");
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(20));
        let arch = rootsmith::rpm::ArchPolicy::new("x86_64", false).expect("a known arch");
        group.bench_function(name, |b| {
            b.iter(|| load_repo(&Store::default(), &source, &arch).expect("loads"))
        });
        group.finish();
        if benchmarking {
            need!("benches/repo", python3_solv());
            let seconds = run_python(
                LIBSOLV_LOAD,
                &serde_json::json!({ "repo": root, "runs": 5 }),
            );
            eprintln!(
                "peer: libsolv add_rpmmd+createwhatprovides on {name}: median {:.1} ms",
                seconds.as_f64().unwrap() * 1e3
            );
        }
    }
}

criterion_group!(benches, bench_primary);
criterion_main!(benches);
