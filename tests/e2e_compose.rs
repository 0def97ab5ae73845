//! `rootsmith compose`: the openEuler-style release layout
//! `{product}-{version}/docker_img/{arch}/{product}-docker.{arch}.tar.xz`
//! plus `.sha256sum`, checked with sha256sum -c and skopeo; reproducible
//! under SOURCE_DATE_EPOCH.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use support::ARCHES;

const EPOCH: &str = "1700000000";

/// A copy of tests/distro's kickstarts and compose config in `dir`, with the
/// repo pointing at the built distro by file:// URL. Returns the toml path.
fn compose_config(d: &support::Distro, dir: &Path, arches: &[&str]) -> PathBuf {
    for f in ["ts.ks", "ts-base.ks"] {
        fs::copy(support::distro_src().join(f), dir.join(f)).unwrap();
    }
    let toml = dir.join("compose.toml");
    let arches = arches
        .iter()
        .map(|a| format!("\"{a}\""))
        .collect::<Vec<_>>()
        .join(", ");
    fs::write(
        &toml,
        format!(
            r#"[product]
name = "tsdistro"
version = "1.0"

[compose]
arches = [{arches}]

[[repo]]
name = "ts"
baseurl = "file://{}/$basearch"

[[image]]
name = "tsdistro"
kickstart = "ts.ks"
tag = "1.0"
cmd = ["/bin/sh"]
"#,
            d.dir.display()
        ),
    )
    .unwrap();
    toml
}

fn compose(toml: &Path, out: &Path, extra: &[&str]) -> support::Run {
    let mut args = vec![
        "compose".to_string(),
        toml.to_str().unwrap().to_string(),
        "--out".to_string(),
        out.to_str().unwrap().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    support::rootsmith_env(&args, &[("SOURCE_DATE_EPOCH", EPOCH)], None)
}

fn image_dir(out: &Path, arch: &str) -> PathBuf {
    out.join("tsdistro-1.0/docker_img").join(arch)
}

fn image_name(arch: &str) -> String {
    format!("tsdistro-docker.{arch}.tar.xz")
}

/// The layout, the checksum file (format and sha256sum -c), the image.
fn check_release(out: &Path, arch: &str) {
    let dir = image_dir(out, arch);
    let name = image_name(arch);
    let img = dir.join(&name);
    assert!(
        img.is_file(),
        "{} missing; tree: {:?}",
        img.display(),
        support::files_under(out)
    );
    assert!(support::is_xz(&img), "{} is not xz", img.display());
    let sum = dir.join(format!("{name}.sha256sum"));
    let text = fs::read_to_string(&sum).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; tree: {:?}",
            sum.display(),
            support::files_under(out)
        )
    });
    // One GNU coreutils line: HEX, two spaces, the file name, newline.
    assert_eq!(
        text,
        format!("{}  {name}\n", support::sha256_file(&img)),
        "{}",
        sum.display()
    );
    let check = Command::new("sha256sum")
        .arg("-c")
        .arg(sum.file_name().unwrap())
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "sha256sum -c in {}: {}{}",
        dir.display(),
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );

    let da = support::DockerArchive::open(&img);
    assert_eq!(da.config["architecture"], support::oci_arch(arch));
    assert_eq!(da.layers.len(), 1);
    assert_eq!(
        da.manifest[0]["RepoTags"],
        serde_json::json!(["tsdistro:1.0"])
    );
    assert_eq!(da.config["config"]["Cmd"], serde_json::json!(["/bin/sh"]));
    if support::which("skopeo").is_some() {
        let insp = support::skopeo_inspect(&img);
        assert_eq!(insp["Architecture"], support::oci_arch(arch));
    }
}

#[test]
fn compose_layout_checksums_and_reproducibility() {
    let t = "compose_layout_checksums_and_reproducibility";
    let d = need!(t, support::distro());
    let tmp = support::tempdir();
    let toml = compose_config(d, tmp.path(), &ARCHES);
    let (out1, out2) = (tmp.path().join("out1"), tmp.path().join("out2"));

    compose(&toml, &out1, &[]).assert_ok();
    for arch in ARCHES {
        check_release(&out1, arch);
    }

    // Same input, same SOURCE_DATE_EPOCH: byte-identical archives.
    compose(&toml, &out2, &[]).assert_ok();
    for arch in ARCHES {
        for f in [image_name(arch), format!("{}.sha256sum", image_name(arch))] {
            let (a, b) = (
                image_dir(&out1, arch).join(&f),
                image_dir(&out2, arch).join(&f),
            );
            assert_eq!(
                support::sha256_file(&a),
                support::sha256_file(&b),
                "{f} differs between two composes with SOURCE_DATE_EPOCH={EPOCH}"
            );
        }
    }
}

/// `--arch` narrows the compose to the arches named.
#[test]
fn compose_arch_option() {
    let t = "compose_arch_option";
    let d = need!(t, support::distro());
    let tmp = support::tempdir();
    let toml = compose_config(d, tmp.path(), &ARCHES);
    let out = tmp.path().join("out");
    compose(&toml, &out, &["--arch", "aarch64"]).assert_ok();
    check_release(&out, "aarch64");
    assert!(
        !image_dir(&out, "x86_64")
            .join(image_name("x86_64"))
            .exists(),
        "--arch aarch64 built x86_64 too: {:?}",
        support::files_under(&out)
    );
}

/// The committed tests/distro/ts-compose.toml, as a developer runs it:
/// repo path relative to the toml file, kickstart next to it.
#[test]
fn committed_compose_config() {
    let t = "committed_compose_config";
    let _d = need!(t, support::distro());
    if !support::default_distro_location() {
        support::not_run(
            t,
            "ROOTSMITH_TEST_DISTRO moves the distro away from the path ts-compose.toml names",
        );
        return;
    }
    let tmp = support::tempdir();
    let out = tmp.path().join("out");
    compose(
        &support::distro_src().join("ts-compose.toml"),
        &out,
        &["--arch", "x86_64"],
    )
    .assert_ok();
    check_release(&out, "x86_64");
}
