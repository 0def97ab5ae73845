//! Solve `@core` on the CentOS Stream 9 BaseOS pool, and time libsolv
//! (python3-solv, the `solver.solve` call only) on the same job in the same run.

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use rootsmith::repo;
use rootsmith::solve::{solve, Request, Spec};

#[path = "../tests/support/mod.rs"]
mod support;

const LIBSOLV_REF: &str = include_str!("../tests/support/libsolv_ref.py");
const ROUNDS: usize = 50;

fn load() -> Result<(std::path::PathBuf, repo::Pool), support::Skip> {
    let mut f = support::fixtures::fixture_pool(&["cs9-baseos-2022"])?;
    Ok((f.primaries.remove(0), f.pool))
}

fn core_request(pool: &repo::Pool, weak_deps: bool) -> Request {
    let core = pool.group("core").expect("group core");
    let install = core
        .mandatory
        .iter()
        .chain(&core.default)
        .map(|n| Spec::parse(n).expect("spec parses"))
        .collect();
    Request {
        install,
        exclude: vec![],
        weak_deps,
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Median seconds of libsolv's `solver.solve` over `ROUNDS` runs.
fn libsolv_median(primary: &std::path::Path, names: &[String], weak: bool) -> f64 {
    let job = serde_json::json!({
        "primary": primary, "arch": "x86_64", "weak": weak, "batches": [names], "repeat": ROUNDS,
    });
    let out = support::fixtures::run_python(LIBSOLV_REF, &job);
    median(out[0]["solve_seconds"].as_array().unwrap().iter().filter_map(|s| s.as_f64()).collect())
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
    let (primary, pool) = need!("benches/solve.rs", load());
    need!("benches/solve.rs", support::fixtures::python3_solv());
    for weak in [false, true] {
        let req = core_request(&pool, weak);
        let n = solve(&pool, &req).expect("solve @core").packages.len();
        let label = if weak {
            "@core"
        } else {
            "@core --no-weak-deps"
        };
        c.bench_function(&format!("solve {label} (CS9 BaseOS, {n} packages)"), |b| {
            b.iter(|| solve(&pool, &req).expect("solve @core"))
        });
        let names: Vec<String> = req
            .install
            .iter()
            .map(|s| match s {
                Spec::Name(n) => n.clone(),
                Spec::Capability(d) => d.to_string(),
            })
            .collect();
        let ours = our_median(&pool, &req);
        let theirs = libsolv_median(&primary, &names, weak);
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
