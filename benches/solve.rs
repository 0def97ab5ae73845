//! Solve `@core` on the CentOS Stream 9 BaseOS pool, and time libsolv
//! (python3-solv, the `solver.solve` call only) on the same job in the same run.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
// The fixture loader names the library through `crate::repo`.
use rootsmith::solve::{solve, Request, Spec};
use rootsmith::repo;

#[path = "../src/solve/fixture.rs"]
mod fixture;

const LIBSOLV_REF: &str = include_str!("../src/solve/libsolv_ref.py");
const ROUNDS: usize = 50;

fn load() -> Option<(std::path::PathBuf, repo::Pool)> {
    let (pool, mut primaries) = fixture::load(&[fixture::cs9_repo("cs9-baseos-2022")])?;
    Some((primaries.remove(0), pool))
}

fn core_request(pool: &repo::Pool, weak_deps: bool) -> Request {
    let core = pool.group("core").expect("group core");
    let install = core
        .mandatory
        .iter()
        .chain(&core.default)
        .map(|n| Spec::parse(n))
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

/// Median seconds of libsolv's `solver.solve` over `ROUNDS` runs, if python3-solv is there.
fn libsolv_median(primary: &std::path::Path, names: &[String], weak: bool) -> Option<f64> {
    let job = serde_json::json!({
        "primary": primary, "arch": "x86_64", "weak": weak, "batches": [names], "repeat": ROUNDS,
    });
    let mut child = Command::new("/usr/bin/python3")
        .args(["-c", LIBSOLV_REF])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child
        .stdin
        .take()?
        .write_all(job.to_string().as_bytes())
        .ok()?;
    let out = child.wait_with_output().ok()?;
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    let secs = v[0]["solve_seconds"]
        .as_array()?
        .iter()
        .filter_map(|s| s.as_f64())
        .collect();
    Some(median(secs))
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
    let Some((primary, pool)) = load() else {
        eprintln!(
            "NOT RUN: benches/solve.rs: {} is missing",
            fixture::cs9_repo("cs9-baseos-2022").display()
        );
        return;
    };
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
        match libsolv_median(&primary, &names, weak) {
            Some(theirs) => eprintln!(
                "{label}: rootsmith median {:.3} ms, libsolv solver.solve median {:.3} ms ({ROUNDS} runs each)",
                ours * 1e3,
                theirs * 1e3
            ),
            None => eprintln!("{label}: rootsmith median {:.3} ms; libsolv NOT RUN (python3-solv missing)", ours * 1e3),
        }
    }
}

fn config() -> Criterion {
    Criterion::default().measurement_time(Duration::from_secs(5))
}

criterion_group! { name = benches; config = config(); targets = bench }
criterion_main!(benches);
