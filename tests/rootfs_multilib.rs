//! Multilib file conflicts settled by file color, against rpm: rpm's own
//! hello-2.0-1 for i686 and for x86_64 both ship /usr/bin/hello (a 32-bit
//! and a 64-bit ELF, colors 1 and 2). `rpm -i` of both on x86_64 keeps the
//! 64-bit one without a conflict, and so must rootsmith, in either order;
//! where colors do not count (no preferred color), it is a conflict naming
//! both packages. The losing file is recorded as rpm records it
//! (FILESTATES "wrong color"), so `rpm -V` does not flag it.

mod support;

use std::path::PathBuf;
use std::process::Command;

use rootsmith::rootfs::{file_states, install_package, Spool, Tree};
use rootsmith::rpmdb::{write_rpmdb, InstalledPackage};

#[test]
fn file_colors_settle_multilib_conflicts_as_rpm_does() {
    let t = "file_colors_settle_multilib_conflicts_as_rpm_does";
    need!(t, support::tools(&["rpm"]));
    need!(t, support::need_root());
    let rpms = need!(t, support::fixtures::shared_fixture("rpms"));
    let pair: Vec<PathBuf> = ["hello-2.0-1.i686.rpm", "hello-2.0-1.x86_64.rpm"]
        .iter()
        .map(|n| rpms.join(n))
        .collect();
    let tmp = support::tempdir();
    let root = tmp.path().join("rpm-root");
    std::fs::create_dir(&root).unwrap();
    support::sh(
        Command::new("rpm")
            .arg("--root")
            .arg(&root)
            .args(["--dbpath", "/var/lib/rpm", "-i", "--nodeps", "--noscripts"])
            .args(&pair),
    );
    let want = support::sha256_file(&root.join("usr/bin/hello"));

    let states_query = |root: &std::path::Path| {
        let out = support::rpm(
            root,
            &[
                "-qa",
                "--qf",
                "[%{=NEVRA} %{FILENAMES} %{FILESTATES:fstate}\\n]",
            ],
        );
        support::lines(&String::from_utf8_lossy(&out.stdout))
    };
    let tree = || Tree::new(Spool::new_in(tmp.path()).unwrap());
    for order in [[0, 1], [1, 0]] {
        let mut ours = tree();
        ours.prefer_color(rootsmith::rpmdb::prefer_color("x86_64"));
        let headers: Vec<rpm::PackageMetadata> = order
            .iter()
            .map(|&i| install_package(&mut ours, &pair[i]).unwrap_or_else(|e| panic!("{e}")))
            .collect();
        let got = support::sha256_bytes(&ours.read_file("/usr/bin/hello").unwrap());
        assert_eq!(got, want, "install order {order:?}");

        let states: Vec<Option<Vec<u8>>> = headers.iter().map(|h| file_states(&ours, h)).collect();
        let installed: Vec<InstalledPackage> = headers
            .iter()
            .zip(&states)
            .map(|(metadata, s)| InstalledPackage {
                metadata,
                file_states: s.as_deref(),
            })
            .collect();
        let db_root = tmp.path().join(format!("db-{order:?}"));
        let db = db_root.join("var/lib/rpm/rpmdb.sqlite");
        write_rpmdb(&db, &installed, "x86_64", 1_700_000_000).unwrap();
        let mut ours_states = states_query(&db_root);
        let mut theirs = states_query(&root);
        ours_states.sort();
        theirs.sort();
        assert_eq!(ours_states, theirs, "install order {order:?}");
        assert!(
            theirs.iter().any(|l| l.contains("wrong color")),
            "{theirs:?}"
        );
    }

    let mut plain = tree();
    install_package(&mut plain, &pair[0]).unwrap();
    let err = install_package(&mut plain, &pair[1])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("/usr/bin/hello")
            && err.contains("hello-2.0-1.i686")
            && err.contains("hello-2.0-1.x86_64"),
        "{err}"
    );
}
