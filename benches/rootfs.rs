//! Assembling a rootfs tar from cached packages: rootsmith (verify each
//! package as rpm -K does, stream its payload into the tree, write the tar)
//! against `rpm2cpio PKG | cpio -idm` for every package and `tar -cf` of
//! the result, timed in the same run on the same packages.
//!
//! The packages are generated (tests/support/generated.rs): 200 packages of
//! 40 files, 16 KiB each, gzip. Payload MB/s counts the files' bytes.
//! `cargo bench --bench rootfs`; under `cargo test` it runs once, small,
//! without the peer.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use rootsmith::image::{write_archive, Format, ImageConfig};
use rootsmith::rootfs::{apply_owners, install_package, Spool, Tree};

// As the binary does (see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../tests/support/mod.rs"]
mod support;

use support::generated::{packages, Shape};

const RUNS: usize = 5;

/// rootsmith: the packages into a tree, the tree into a plain tar.
fn ours(rpms: &[PathBuf], work: &Path) -> u64 {
    let mut tree = Tree::new(Spool::new_in(work).unwrap());
    for rpm in rpms {
        install_package(&mut tree, rpm).unwrap_or_else(|e| panic!("{e}"));
    }
    apply_owners(&mut tree);
    let config = ImageConfig {
        name: "bench".into(),
        tag: "latest".into(),
        arch: "x86_64".into(),
        created: 0,
        cmd: Vec::new(),
        env: Vec::new(),
        labels: Default::default(),
        scratch_dir: work.to_path_buf(),
    };
    let out = work.join("ours.tar");
    write_archive(&tree, &config, Format::Rootfs, &out)
        .unwrap()
        .size
}

/// The shell pipeline: every payload through cpio into a directory, then tar.
fn theirs(rpms: &[PathBuf], work: &Path) -> Result<(), String> {
    let root = work.join("root");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let script = r#"set -e; root=$1; shift; cd "$root"
for p in "$@"; do rpm2cpio "$p" | cpio -idm --quiet; done
tar -cf ../theirs.tar ."#;
    let out = Command::new("bash")
        .args(["-c", script, "peer"])
        .arg(&root)
        .args(rpms)
        .output()
        .map_err(|e| e.to_string())?;
    match out.status.success() {
        true => Ok(()),
        false => Err(String::from_utf8_lossy(&out.stderr).into_owned()),
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn timed(f: impl FnOnce()) -> f64 {
    let start = Instant::now();
    f();
    start.elapsed().as_secs_f64()
}

fn bench(c: &mut Criterion) {
    let benchmarking = std::env::args().any(|a| a == "--bench");
    let shape = Shape {
        packages: if benchmarking { 200 } else { 10 },
        files: 40,
        file_bytes: 16 << 10,
        build_time: 1_700_000_000,
    };
    let work = support::tempdir();
    let pkgdir = work.path().join("pkgs");
    std::fs::create_dir_all(&pkgdir).unwrap();
    let rpms = packages(&pkgdir, &shape);
    let payload_mb = (shape.packages * (shape.files - 1) * shape.file_bytes) as f64 / 1e6;

    let mut group = c.benchmark_group("rootfs");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(if benchmarking { 20 } else { 1 }));
    group.bench_function(format!("assemble {} packages", shape.packages), |b| {
        b.iter(|| ours(&rpms, work.path()))
    });
    group.finish();
    if !benchmarking {
        return;
    }
    if let Err(support::Skip(why)) = support::tools(&["rpm2cpio", "cpio", "tar"]) {
        support::not_run("benches/rootfs peer", &why);
        return;
    }
    let ours_s = median(
        (0..RUNS)
            .map(|_| {
                timed(|| {
                    ours(&rpms, work.path());
                })
            })
            .collect(),
    );
    let mut failure = None;
    let theirs_s = median(
        (0..RUNS)
            .map(|_| {
                timed(|| {
                    if let Err(e) = theirs(&rpms, work.path()) {
                        failure = Some(e);
                    }
                })
            })
            .collect(),
    );
    if let Some(e) = failure {
        eprintln!("rootfs: the rpm2cpio | cpio pipeline failed: {e}");
        return;
    }
    eprintln!(
        "rootfs: {} packages, {payload_mb:.0} MB of payload: rootsmith (verify + install + tar) \
         median {:.0} ms ({:.0} MB/s); rpm2cpio | cpio -idm + tar -cf median {:.0} ms ({:.0} MB/s): \
         rootsmith {:.2}x faster ({RUNS} runs each)",
        shape.packages,
        ours_s * 1e3,
        payload_mb / ours_s,
        theirs_s * 1e3,
        payload_mb / theirs_s,
        theirs_s / ours_s
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
