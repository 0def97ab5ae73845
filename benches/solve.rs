//! Solve `@core` on the CentOS Stream 9 BaseOS pool, and time libsolv
//! (python3-solv, the `solver.solve` call only) on the same job in the same run.

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use rootsmith::repo;
use rootsmith::solve::{solve, Request};

#[path = "../tests/support/mod.rs"]
mod support;

const LIBSOLV_REF: &str = include_str!("../tests/support/libsolv_ref.py");
const ROUNDS: usize = 50;

fn load() -> Result<support::fixtures::FixturePool, support::Skip> {
    support::fixtures::fixture_pool(&["cs9-baseos-2022"])
}

fn core_request(pool: &repo::Pool, weak_deps: bool) -> Request {
    let core = pool.group("core").expect("group core");
    let names: Vec<&String> = core.mandatory.iter().chain(&core.default).collect();
    Request {
        weak_deps,
        ..Request::specs(&names)
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Median seconds of libsolv's `solver.solve` over `ROUNDS` runs.
fn libsolv_median(f: &support::fixtures::FixturePool, names: &[String], weak: bool) -> f64 {
    let mut job = f.libsolv_metadata();
    job["arch"] = "x86_64".into();
    job["weak"] = weak.into();
    job["batches"] = serde_json::json!([names]);
    job["repeat"] = ROUNDS.into();
    let out = support::fixtures::run_python(LIBSOLV_REF, &job);
    median(
        out[0]["solve_seconds"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s.as_f64())
            .collect(),
    )
}

fn our_median(pool: &repo::Pool, req: &Request) -> f64 {
    let secs = (0..ROUNDS)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(solve(pool, req).expect("solve @core"));
            start.elapsed().as_secs_f64()
        })
        .collect();
    median(secs)
}

fn bench(c: &mut Criterion) {
    let f = need!("benches/solve.rs", load());
    let pool = &f.pool;
    need!("benches/solve.rs", support::fixtures::python3_solv());
    for weak in [false, true] {
        let req = core_request(pool, weak);
        let n = solve(pool, &req).expect("solve @core").packages.len();
        let label = if weak {
            "@core"
        } else {
            "@core --no-weak-deps"
        };
        c.bench_function(&format!("solve {label} (CS9 BaseOS, {n} packages)"), |b| {
            b.iter(|| solve(pool, &req).expect("solve @core"))
        });
        let names = req.install.clone();
        let ours = our_median(pool, &req);
        let theirs = libsolv_median(&f, &names, weak);
        eprintln!(
            "{label}: rootsmith median {:.3} ms, libsolv solver.solve median {:.3} ms ({ROUNDS} runs each): {:.2}x",
            ours * 1e3,
            theirs * 1e3,
            ours / theirs
        );
    }
}

fn config() -> Criterion {
    Criterion::default().measurement_time(Duration::from_secs(5))
}

criterion_group! { name = benches; config = config(); targets = bench }
criterion_main!(benches);
