//! Generated packages for the benches: many packages of many files with a
//! web of dependencies, built with `rpm::PackageBuilder` (gzip level 1),
//! shaped like a distribution's `@core`.

use std::path::{Path, PathBuf};

use rpm::{BuildConfig, CompressionWithLevel, Dependency, FileOptions, PackageBuilder};

pub struct Shape {
    pub packages: usize,
    /// Files per package, in 6 directories.
    pub files: usize,
    /// Bytes of each data file (0: a line naming it).
    pub file_bytes: usize,
    pub build_time: u32,
}

/// Compressible, distinct content: numbered lines.
fn content(name: &str, j: usize, bytes: usize) -> String {
    let mut text = format!("{name} {j}\n");
    let mut line = 0;
    while text.len() < bytes {
        text.push_str(&format!(
            "{name} file {j} line {line}: {}\n",
            line * 7919 % 10007
        ));
        line += 1;
    }
    text
}

pub fn packages(dir: &Path, shape: &Shape) -> Vec<PathBuf> {
    (0..shape.packages)
        .map(|i| {
            let name = format!("pkg{i:03}");
            let arch = if i % 5 == 0 { "noarch" } else { "x86_64" };
            let mut b = PackageBuilder::new(&name, &format!("1.{i}"), "MIT", arch, "generated");
            b.using_config(
                BuildConfig::v4()
                    .source_date(shape.build_time)
                    .compression(CompressionWithLevel::Gzip(1)),
            )
            .release("1.el9")
            .group("System Environment/Base")
            .description("A generated package for the benchmarks.");
            b.with_file_contents(
                format!("#!/bin/sh\necho {name}\n"),
                FileOptions::new(format!("/usr/bin/{name}")).permissions(0o755),
            )
            .unwrap();
            for j in 1..shape.files {
                let path = format!("/usr/lib/{name}/sub{}/file{j}.txt", j % 5);
                b.with_file_contents(
                    content(&name, j, shape.file_bytes),
                    FileOptions::new(path).permissions(0o644),
                )
                .unwrap();
            }
            for k in 1..=5 {
                b.requires(Dependency::greater_eq(
                    format!("pkg{:03}", (i + k * 7) % shape.packages),
                    "1.0",
                ));
            }
            b.requires(Dependency::any(format!(
                "libpkg{:03}.so.1()(64bit)",
                (i + 1) % shape.packages
            )));
            b.requires(Dependency::script_pre("/bin/sh"));
            b.provides(Dependency::any(format!("libpkg{i:03}.so.1()(64bit)")));
            b.provides(Dependency::eq(format!("{name}-api"), "1"));
            b.recommends(Dependency::any(format!(
                "pkg{:03}-doc",
                (i + 3) % shape.packages
            )));
            b.build().unwrap().write_to(dir).unwrap()
        })
        .collect()
}
