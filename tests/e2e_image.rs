//! `rootsmith build --format docker`: a docker-archive (`docker load`-able),
//! `.tar.xz` compressed as a whole or `.tar` plain, with one layer holding
//! the image; checked with skopeo and by reading the archive.

mod support;

use std::path::Path;
use std::process::Command;

use support::{Kind, ARCHES};

fn check_image(arch: &str, path: &Path, xz: bool) {
    assert_eq!(
        support::is_xz(path),
        xz,
        "{}: xz-compressed should be {xz}",
        path.display()
    );

    // skopeo reads the docker-archive (it decompresses the .tar.xz itself).
    let insp = support::skopeo_inspect(path);
    assert_eq!(
        insp["Architecture"],
        support::oci_arch(arch),
        "{}: {insp:#}",
        path.display()
    );
    assert_eq!(insp["Os"], "linux");
    assert_eq!(insp["Layers"].as_array().map(Vec::len), Some(1), "{insp:#}");
    // A full copy verifies every digest on the way.
    let oci = support::tempdir();
    support::sh(
        Command::new("skopeo")
            .arg("copy")
            .arg(format!("docker-archive:{}", path.display()))
            .arg(format!("oci:{}:latest", oci.path().join("oci").display())),
    );

    let img = support::DockerArchive::open(path);
    assert_eq!(img.layers.len(), 1);
    assert_eq!(img.config["architecture"], support::oci_arch(arch));
    assert_eq!(img.config["os"], "linux");
    let diff_id = format!("sha256:{}", support::sha256_bytes(&img.layer_tar(0)));
    assert_eq!(
        img.config["rootfs"]["diff_ids"][0],
        diff_id.as_str(),
        "layer diff_id"
    );

    let layer = img.layer_tree(0);
    assert!(
        layer.duplicates.is_empty(),
        "duplicate layer entries: {:?}",
        layer.duplicates
    );
    let n = |p: &str| {
        layer
            .nodes
            .get(p)
            .unwrap_or_else(|| panic!("{}: {p} missing from the layer", path.display()))
            .clone()
    };
    let sh = n("/bin/sh");
    assert_eq!(
        (sh.kind, sh.link.as_deref()),
        (Kind::Symlink, Some("/usr/bin/busybox"))
    );
    let bb = n("/usr/bin/busybox");
    assert_eq!((bb.kind, bb.mode), (Kind::File, 0o755));
    assert_eq!(
        bb.sha256.unwrap(),
        support::sha256_file(&support::busybox_for(arch))
    );
    assert_eq!(
        n("/etc/os-release").link.as_deref(),
        Some("../usr/lib/os-release")
    );
    assert_eq!(n("/usr/lib/os-release").kind, Kind::File);
    let st = n("/var/lib/ts-app");
    assert_eq!((st.uid, st.gid, st.mode), (1234, 1234, 0o750));
    assert!(
        layer.nodes.contains_key("/var/lib/rpm/rpmdb.sqlite"),
        "no rpmdb in the image"
    );
}

fn image_test(test: &str, arch: &str) {
    let d = need!(test, support::distro());
    need!(test, support::tools(&["skopeo"]));
    let tmp = support::tempdir();
    for (name, xz) in [("img.tar.xz", true), ("img.tar", false)] {
        let out = tmp.path().join(format!("{arch}-{name}"));
        support::build_ts(d, arch, "docker", &out, &[]);
        check_image(arch, &out, xz);
    }
}

#[test]
fn docker_image_x86_64() {
    image_test("docker_image_x86_64", "x86_64");
}

#[test]
fn docker_image_aarch64() {
    image_test("docker_image_aarch64", "aarch64");
}

/// The layer of the docker image and the rootfs tar describe the same tree
/// (with SOURCE_DATE_EPOCH set, so even the rpmdb's install times agree).
#[test]
fn docker_layer_equals_rootfs() {
    let t = "docker_layer_equals_rootfs";
    let d = need!(t, support::distro());
    let tmp = support::tempdir();
    let arch = ARCHES[0];
    let build = |format: &str, out: &Path| {
        support::build_ts(d, arch, format, out, &[("SOURCE_DATE_EPOCH", "1700000000")]);
    };
    let img = tmp.path().join("img.tar");
    build("docker", &img);
    let rootfs = tmp.path().join("rootfs.tar");
    build("rootfs", &rootfs);
    let layer = support::DockerArchive::open(&img).layer_tree(0);
    let tree = support::read_archive(&rootfs);
    let paths: std::collections::BTreeSet<&String> =
        layer.nodes.keys().chain(tree.nodes.keys()).collect();
    let diffs: Vec<String> = paths
        .into_iter()
        .filter(|p| layer.nodes.get(*p) != tree.nodes.get(*p))
        .map(|p| {
            format!(
                "{p}: layer {:?}, rootfs {:?}",
                layer.nodes.get(p),
                tree.nodes.get(p)
            )
        })
        .collect();
    assert!(
        diffs.is_empty(),
        "docker layer vs rootfs tar:\n  {}",
        diffs.join("\n  ")
    );
    let (mut x, mut y) = (layer.hardlinks.clone(), tree.hardlinks.clone());
    x.sort();
    y.sort();
    assert_eq!(x, y, "hardlink sets");
}
