//! Writing the rpmdb of ~300 packages: rootsmith vs the real
//! `rpm -i --justdb --nodeps` of the same package files, timed in the same
//! run.
//!
//! The packages are generated with `rpm::PackageBuilder`: 300 packages, 80
//! files each in 6 directories (24,000 files, about an EL9 `@core`), a
//! handful of requires/provides/recommends each.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use rootsmith::rpmdb::{write_rpmdb, InstalledPackage};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

#[path = "../tests/support/mod.rs"]
mod support;

const INSTALL_TIME: u32 = 1_700_000_000;
const SHAPE: support::generated::Shape = support::generated::Shape {
    packages: 300,
    files: 80,
    file_bytes: 0,
    build_time: INSTALL_TIME,
};
const PACKAGES: usize = SHAPE.packages;

fn rpm_justdb(root: &Path, home: &Path, paths: &[PathBuf], extra: &[&str]) {
    let out = Command::new("rpm")
        .env("HOME", home)
        .env("LC_ALL", "C")
        .arg("--root")
        .arg(root)
        .args([
            "--dbpath",
            "/var/lib/rpm",
            "-i",
            "--justdb",
            "--nodeps",
            "--noscripts",
            "--notriggers",
        ])
        .args(extra)
        .args(paths)
        .output()
        .expect("run rpm");
    assert!(
        out.status.success(),
        "rpm failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn bench(c: &mut Criterion) {
    let work = tempfile::tempdir().unwrap();
    let pkgdir = work.path().join("pkgs");
    std::fs::create_dir_all(&pkgdir).unwrap();
    let t = Instant::now();
    let paths = support::generated::packages(&pkgdir, &SHAPE);
    eprintln!("generated {PACKAGES} packages in {:.1?}", t.elapsed());
    let metas: Vec<rpm::PackageMetadata> = paths
        .iter()
        .map(|p| rpm::PackageMetadata::open(p).unwrap())
        .collect();

    let mut g = c.benchmark_group("rpmdb_300_packages");
    g.sample_size(10).measurement_time(Duration::from_secs(20));

    let mut n = 0usize;
    let mut fresh_root = || {
        n += 1;
        let r = work.path().join(format!("root{n}"));
        std::fs::create_dir_all(r.join("var/lib/rpm")).unwrap();
        r
    };

    // Headers already in memory (as in the composer, which read them to
    // resolve and unpack).
    let write_db = |root: &Path, metas: &[rpm::PackageMetadata]| {
        let list: Vec<_> = metas.iter().map(InstalledPackage::new).collect();
        let db = root.join("var/lib/rpm/rpmdb.sqlite");
        write_rpmdb(&db, &list, "x86_64", INSTALL_TIME).unwrap();
    };
    g.bench_function("rootsmith_write_rpmdb", |b| {
        b.iter_batched(
            &mut fresh_root,
            |root| {
                write_db(&root, &metas);
                root
            },
            BatchSize::PerIteration,
        )
    });
    // Including reading the headers from the package files, like rpm does.
    g.bench_function("rootsmith_open_and_write", |b| {
        b.iter_batched(
            &mut fresh_root,
            |root| {
                let metas: Vec<_> = paths
                    .iter()
                    .map(|p| rpm::PackageMetadata::open(p).unwrap())
                    .collect();
                write_db(&root, &metas);
                root
            },
            BatchSize::PerIteration,
        )
    });

    need!("benches/rpmdb", support::tools(&["rpm"]));
    {
        let home = work.path().to_owned();
        // rpm's defaults: it also checks every package's digests.
        g.bench_function("rpm_i_justdb_nodeps", |b| {
            b.iter_batched(
                &mut fresh_root,
                |root| {
                    rpm_justdb(&root, &home, &paths, &[]);
                    root
                },
                BatchSize::PerIteration,
            )
        });
        // Without digest/signature checks: only the database work.
        g.bench_function("rpm_i_justdb_nodeps_nodigest", |b| {
            b.iter_batched(
                &mut fresh_root,
                |root| {
                    rpm_justdb(&root, &home, &paths, &["--nodigest", "--nosignature"]);
                    root
                },
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();

    // Sizes, for the record.
    let ours = work.path().join("size-ours/var/lib/rpm/rpmdb.sqlite");
    let list: Vec<_> = metas.iter().map(InstalledPackage::new).collect();
    write_rpmdb(&ours, &list, "x86_64", INSTALL_TIME).unwrap();
    eprintln!(
        "rootsmith rpmdb.sqlite: {} bytes",
        std::fs::metadata(&ours).unwrap().len()
    );
    {
        let r = work.path().join("size-rpm");
        std::fs::create_dir_all(&r).unwrap();
        rpm_justdb(&r, work.path(), &paths, &[]);
        eprintln!(
            "rpm rpmdb.sqlite: {} bytes (+ -wal/-shm left by rpm)",
            std::fs::metadata(r.join("var/lib/rpm/rpmdb.sqlite"))
                .unwrap()
                .len()
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
