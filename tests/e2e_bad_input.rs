//! Bad input: each case exits non-zero with one paragraph on stderr that
//! names the file or package at fault, never panics, and leaves no output
//! file behind (for compose: nothing of the failed image in the tree).

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use support::repodata::{
    copy_of_repo, data_block, gunzip, gzip, replace_consistently, replace_primary_consistently, tag,
};
use support::Distro;

fn resolve_ks(ks: &Path, repo: &str) -> support::Run {
    support::rootsmith(&[
        "resolve",
        "--kickstart",
        ks.to_str().unwrap(),
        "--repo",
        repo,
        "--arch",
        "x86_64",
    ])
}

fn resolve_specs(specs: &[&str], repo: &str) -> support::Run {
    let mut args = vec!["resolve"];
    args.extend_from_slice(specs);
    args.extend_from_slice(&["--repo", repo, "--arch", "x86_64"]);
    support::rootsmith(&args)
}

/// `rootsmith build` of `source` must fail cleanly and write nothing at `-o`.
fn build_fails(source: &[&str], repo: &str, names: &[&str]) {
    let tmp = support::tempdir();
    for (fmt, file) in [("docker", "img.tar.xz"), ("rootfs", "rootfs.tar")] {
        let out = tmp.path().join(file);
        let mut args: Vec<&str> = vec!["build"];
        args.extend_from_slice(source);
        args.extend_from_slice(&["--repo", repo, "--arch", "x86_64", "--format", fmt]);
        let o = out.to_str().unwrap().to_string();
        args.extend_from_slice(&["-o", &o]);
        let run = support::rootsmith(&args);
        support::assert_clean_failure(&run, names);
        let left: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(
            left.is_empty(),
            "`{}` left files behind: {left:?}",
            run.cmdline
        );
    }
}

/// A copy of the x86_64 repo, and the location of its primary.xml.gz.
fn repo_copy(d: &Distro, dir: &Path) -> (PathBuf, PathBuf) {
    repo_copy_of(d, dir, "primary")
}

/// A copy of the x86_64 repo, and the location of its metadata `kind`.
fn repo_copy_of(d: &Distro, dir: &Path, kind: &str) -> (PathBuf, PathBuf) {
    copy_of_repo(&d.repo("x86_64"), dir, kind)
}

#[test]
fn missing_kickstart() {
    let t = "missing_kickstart";
    let d = need!(t, support::distro());
    let tmp = support::tempdir();
    let ks = tmp.path().join("no-such-kickstart.ks");
    let repo = d.repo_arg("x86_64");
    support::assert_clean_failure(&resolve_ks(&ks, &repo), &["no-such-kickstart.ks"]);
    build_fails(
        &["--kickstart", ks.to_str().unwrap()],
        &repo,
        &["no-such-kickstart.ks"],
    );
}

#[test]
fn missing_include() {
    let t = "missing_include";
    let d = need!(t, support::distro());
    let tmp = support::tempdir();
    let ks = tmp.path().join("top.ks");
    fs::write(&ks, "%include missing-part.ks\n%packages\nts-app\n%end\n").unwrap();
    let repo = d.repo_arg("x86_64");
    support::assert_clean_failure(&resolve_ks(&ks, &repo), &["missing-part.ks"]);
    build_fails(
        &["--kickstart", ks.to_str().unwrap()],
        &repo,
        &["missing-part.ks"],
    );
}

#[test]
fn missing_repo_dir() {
    let tmp = support::tempdir();
    let repo = format!("ts={}", tmp.path().join("no-such-repo").display());
    support::assert_clean_failure(&resolve_specs(&["ts-app"], &repo), &["no-such-repo"]);
    build_fails(&["ts-app"], &repo, &["no-such-repo"]);
}

#[test]
fn repomd_checksum_mismatch() {
    let t = "repomd_checksum_mismatch";
    let d = need!(t, support::distro());
    let tmp = support::tempdir();
    let (repo, primary) = repo_copy(d, tmp.path());
    // Still valid XML, still gzip, but not what repomd.xml's checksum says.
    let mut xml = gunzip(&primary);
    xml.extend_from_slice(b"<!-- tampered with -->\n");
    fs::write(&primary, gzip(&xml)).unwrap();
    let arg = format!("ts={}", repo.display());
    let run = resolve_specs(&["ts-app"], &arg);
    support::assert_clean_failure(&run, &["primary"]);
    let low = run.stderr.to_lowercase();
    assert!(
        ["checksum", "sha256", "digest", "mismatch"]
            .iter()
            .any(|w| low.contains(w)),
        "stderr should say the checksum is wrong: {}",
        run.describe()
    );
    build_fails(&["ts-app"], &arg, &["primary"]);
}

#[test]
fn malformed_primary_xml() {
    let t = "malformed_primary_xml";
    let d = need!(t, support::distro());
    let tmp = support::tempdir();
    let (repo, primary) = repo_copy(d, tmp.path());
    // Cut the XML in the middle of a package; checksums updated to match.
    let xml = gunzip(&primary);
    let cut = &xml[..xml.len() / 2];
    replace_primary_consistently(&repo, &primary, cut);
    let arg = format!("ts={}", repo.display());
    support::assert_clean_failure(&resolve_specs(&["ts-app"], &arg), &["primary"]);
    build_fails(&["ts-app"], &arg, &["primary"]);
    // The same repo with the whole XML put back (checksums rewritten the
    // same way) works: it was the XML, not the rewriting, that failed.
    replace_primary_consistently(&repo, &primary, &xml);
    resolve_specs(&["ts-app"], &arg).assert_ok();
}

/// What is wrong is named for what it is: a primary.xml cut cleanly after
/// a complete `</package>` (checksums rewritten to match, so only the end
/// is missing) is truncated, as dnf says; a gzip stream cut short or
/// corrupted is a corrupt gzip stream, not malformed XML.
#[test]
fn truncation_and_corruption_are_named() {
    let t = "truncation_and_corruption_are_named";
    let d = need!(t, support::distro());
    let tmp = support::tempdir();
    let (repo, primary) = repo_copy(d, tmp.path());
    let arg = format!("ts={}", repo.display());
    let xml = gunzip(&primary);
    let text = String::from_utf8(xml.clone()).unwrap();
    let clean_cut = text.find("</package>").unwrap() + "</package>".len();
    replace_primary_consistently(&repo, &primary, &xml[..clean_cut]);
    let run = resolve_specs(&["ts-app"], &arg);
    support::assert_clean_failure(&run, &["primary", "truncated"]);

    // A gzip stream cut in half, with repomd.xml's checksum describing
    // the cut file: the checksum holds, the stream does not.
    let gz = gzip(&xml);
    replace_primary_consistently(&repo, &primary, &xml);
    fs::write(&primary, &gz[..gz.len() / 2]).unwrap();
    let repomd_path = repo.join("repodata/repomd.xml");
    let repomd = fs::read_to_string(&repomd_path).unwrap();
    let block = data_block(&repomd, "primary");
    let old_sum = tag(block, "<checksum type=\"sha256\">", "</checksum>");
    let new_block = block.replace(old_sum, &support::sha256_bytes(&gz[..gz.len() / 2]));
    fs::write(&repomd_path, repomd.replace(block, &new_block)).unwrap();
    let run = resolve_specs(&["ts-app"], &arg);
    support::assert_clean_failure(&run, &["primary", "gzip", "truncated"]);
    assert!(
        !run.stderr.contains("XML"),
        "blames the XML: {}",
        run.describe()
    );
}

/// filelists.xml is read only when needed (here for a path that only it
/// lists), but then verified and parsed as strictly as primary.
#[test]
fn bad_filelists_xml() {
    let t = "bad_filelists_xml";
    let d = need!(t, support::distro());
    let tmp = support::tempdir();
    let (repo, filelists) = repo_copy_of(d, tmp.path(), "filelists");
    let arg = format!("ts={}", repo.display());
    let only_in_filelists = "/usr/share/ts-lang/en";
    resolve_specs(&[only_in_filelists], &arg).assert_ok();
    let xml = gunzip(&filelists);
    // Tampered with: the checksum names the file.
    let mut tampered = xml.clone();
    tampered.extend_from_slice(b"<!-- tampered with -->\n");
    fs::write(&filelists, gzip(&tampered)).unwrap();
    let run = resolve_specs(&[only_in_filelists], &arg);
    support::assert_clean_failure(&run, &["filelists", "checksum"]);
    // Cut in the middle, checksums rewritten to match: the XML error names it.
    replace_consistently(&repo, "filelists", &filelists, &xml[..xml.len() / 2]);
    let run = resolve_specs(&[only_in_filelists], &arg);
    support::assert_clean_failure(&run, &["filelists"]);
    replace_consistently(&repo, "filelists", &filelists, &xml);
    resolve_specs(&[only_in_filelists], &arg).assert_ok();
}

#[test]
fn unknown_package() {
    let t = "unknown_package";
    let d = need!(t, support::distro());
    let repo = d.repo_arg("x86_64");
    support::assert_clean_failure(
        &resolve_specs(&["ts-app", "ts-no-such-package"], &repo),
        &["ts-no-such-package"],
    );
    let tmp = support::tempdir();
    let ks = tmp.path().join("unknown.ks");
    fs::write(
        &ks,
        "%packages --nocore\nts-app\nts-no-such-package\n%end\n",
    )
    .unwrap();
    support::assert_clean_failure(&resolve_ks(&ks, &repo), &["ts-no-such-package"]);
    build_fails(&["ts-no-such-package"], &repo, &["ts-no-such-package"]);
}

#[test]
fn unsolvable_request() {
    let t = "unsolvable_request";
    let d = need!(t, support::distro());
    let repo = d.repo_arg("x86_64");
    let run = resolve_specs(&["ts-broken"], &repo);
    support::assert_clean_failure(&run, &["ts-broken", "ts-missing-capability"]);
    assert_eq!(
        run.status.code(),
        Some(1),
        "unsolvable: exit 1 ({})",
        run.describe()
    );
    assert!(
        run.stdout.trim().is_empty(),
        "printed a set anyway: {}",
        run.describe()
    );
    build_fails(&["ts-broken"], &repo, &["ts-broken"]);
}

#[test]
fn unknown_arch() {
    let t = "unknown_arch";
    let d = need!(t, support::distro());
    let repo = d.repo_arg("x86_64");
    let run = support::rootsmith(&["resolve", "ts-app", "--repo", &repo, "--arch", "x86-64"]);
    // The misspelt arch and the list of known ones, not "not in any repository".
    support::assert_clean_failure(&run, &["\"x86-64\"", "x86_64", "aarch64", "ppc64le"]);
    assert!(
        !run.stderr.contains("ts-app"),
        "blames the package, not the arch: {}",
        run.describe()
    );
}

#[test]
fn implicit_core_missing() {
    let t = "implicit_core_missing";
    let d = need!(t, support::distro());
    let tmp = support::tempdir();
    let ks = tmp.path().join("core.ks");
    fs::write(&ks, "%packages\nts-app\n%end\n").unwrap();
    // The test distro has no @core: the error says where the group came from.
    let run = resolve_ks(&ks, &d.repo_arg("x86_64"));
    support::assert_clean_failure(&run, &["@core", "--nocore"]);
    fs::write(&ks, "%packages --nocore\nts-app\n%end\n").unwrap();
    resolve_ks(&ks, &d.repo_arg("x86_64")).assert_ok();
}

// ------------------------------------------------------------------ compose

/// A compose of product "tsbad" with one image from `ks_text`, repo `baseurl`.
fn bad_compose(dir: &Path, ks_text: &str, baseurl: &str) -> (support::Run, PathBuf) {
    fs::write(dir.join("bad.ks"), ks_text).unwrap();
    let toml = dir.join("bad.toml");
    fs::write(
        &toml,
        format!(
            "[product]\nname = \"tsbad\"\nversion = \"1.0\"\n\n[compose]\narches = [\"x86_64\", \"aarch64\"]\n\n\
             [[repo]]\nname = \"ts\"\nbaseurl = \"{baseurl}\"\n\n\
             [[image]]\nname = \"tsbad\"\nkickstart = \"bad.ks\"\n"
        ),
    )
    .unwrap();
    let out = dir.join("out");
    let run = support::rootsmith_env(
        &[
            "compose",
            toml.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        &[("SOURCE_DATE_EPOCH", "1700000000")],
        None,
    );
    (run, out)
}

/// Nothing of the failed image in the output tree: no archive, no checksum,
/// no partial or temporary file.
fn assert_no_image_files(out: &Path, run: &support::Run) {
    let bad: Vec<_> = support::files_under(out)
        .into_iter()
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().to_lowercase();
            n.contains("tsbad-docker")
                || [".tar", ".xz", ".sha256sum", ".part", ".partial", ".tmp"]
                    .iter()
                    .any(|s| n.ends_with(s))
        })
        .collect();
    assert!(
        bad.is_empty(),
        "`{}` left image files: {bad:?}",
        run.cmdline
    );
}

#[test]
fn compose_unknown_package() {
    let t = "compose_unknown_package";
    let d = need!(t, support::distro());
    let tmp = support::tempdir();
    let (run, out) = bad_compose(
        tmp.path(),
        "%packages --nocore\nts-app\nts-no-such-package\n%end\n",
        &format!("file://{}/$basearch", d.dir.display()),
    );
    support::assert_clean_failure(&run, &["ts-no-such-package"]);
    assert_no_image_files(&out, &run);
}

#[test]
fn compose_unsolvable() {
    let t = "compose_unsolvable";
    let d = need!(t, support::distro());
    let tmp = support::tempdir();
    let (run, out) = bad_compose(
        tmp.path(),
        "%packages --nocore\nts-broken\n%end\n",
        &format!("file://{}/$basearch", d.dir.display()),
    );
    support::assert_clean_failure(&run, &["ts-broken"]);
    assert_no_image_files(&out, &run);
}

#[test]
fn compose_missing_repo_dir() {
    let tmp = support::tempdir();
    let (run, out) = bad_compose(
        tmp.path(),
        "%packages --nocore\nts-app\n%end\n",
        &format!("file://{}/no-such-repo/$basearch", tmp.path().display()),
    );
    support::assert_clean_failure(&run, &["no-such-repo"]);
    assert_no_image_files(&out, &run);
}

#[test]
fn compose_missing_kickstart_and_config() {
    let t = "compose_missing_kickstart_and_config";
    let d = need!(t, support::distro());
    let tmp = support::tempdir();
    let toml = tmp.path().join("c.toml");
    fs::write(
        &toml,
        format!(
            "[product]\nname = \"tsbad\"\nversion = \"1.0\"\n[compose]\narches = [\"x86_64\"]\n\
             [[repo]]\nname = \"ts\"\nbaseurl = \"file://{}/$basearch\"\n\
             [[image]]\nname = \"tsbad\"\nkickstart = \"no-such-image.ks\"\n",
            d.dir.display()
        ),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let run = support::rootsmith(&[
        "compose",
        toml.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    support::assert_clean_failure(&run, &["no-such-image.ks"]);
    assert_no_image_files(&out, &run);

    let missing = tmp.path().join("no-such-compose.toml");
    let run = support::rootsmith(&[
        "compose",
        missing.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    support::assert_clean_failure(&run, &["no-such-compose.toml"]);
    assert_no_image_files(&out, &run);
}

/// `repoquery` on broken metadata (a copy of the CentOS Stream 9 BaseOS
/// fixture): each failure names the file and says what is wrong with it.
#[test]
fn repoquery_bad_metadata() {
    let t = "repoquery_bad_metadata";
    let fixture = need!(
        t,
        support::fixtures::shared_fixture("repos/cs9-baseos-2022")
    );
    let tmp = support::tempdir();
    let repoquery = |repo: &Path, question: &[&str]| {
        let mut args = vec!["repoquery".to_string(), "--arch".into(), "x86_64".into()];
        args.push("--repo".into());
        args.push(format!("baseos={}", repo.display()));
        args.extend(question.iter().map(|q| q.to_string()));
        support::rootsmith(&args)
    };
    // A repository that is not there.
    let missing = tmp.path().join("no-such-repo");
    support::assert_clean_failure(&repoquery(&missing, &["bash"]), &["no-such-repo"]);

    // repomd.xml that is not XML.
    let (repo, _) = copy_of_repo(&fixture, &tmp.path().join("repomd"), "primary");
    fs::write(repo.join("repodata/repomd.xml"), "<repomd><data type=").unwrap();
    support::assert_clean_failure(&repoquery(&repo, &["bash"]), &["repomd.xml", "malformed"]);

    // primary.xml cut in the middle of a package, its checksums rewritten.
    let (repo, primary) = copy_of_repo(&fixture, &tmp.path().join("primary"), "primary");
    let xml = gunzip(&primary);
    replace_primary_consistently(&repo, &primary, &xml[..xml.len() / 2]);
    support::assert_clean_failure(&repoquery(&repo, &["bash"]), &["primary.xml"]);

    // filelists.xml, read only for a file glob, cut the same way.
    let (repo, filelists) = copy_of_repo(&fixture, &tmp.path().join("filelists"), "filelists");
    let glob = ["--whatprovides", "/usr/share/doc/bash/*"];
    repoquery(&repo, &glob).assert_ok();
    let xml = gunzip(&filelists);
    replace_consistently(&repo, "filelists", &filelists, &xml[..xml.len() / 2]);
    support::assert_clean_failure(&repoquery(&repo, &glob), &["filelists.xml"]);

    // comps.xml with a packagereq of no known type.
    let (repo, comps) = copy_of_repo(&fixture, &tmp.path().join("comps"), "group_gz");
    let xml = String::from_utf8(gunzip(&comps)).unwrap();
    let bad = xml.replacen("type=\"mandatory\"", "type=\"compulsory\"", 1);
    assert_ne!(bad, xml, "the fixture's comps has a mandatory packagereq");
    replace_consistently(&repo, "group_gz", &comps, bad.as_bytes());
    support::assert_clean_failure(
        &repoquery(&repo, &["--list-groups"]),
        &["comps", "compulsory"],
    );
}

/// A repository whose primary.xml sends a package outside the repository
/// (`../../…`, an absolute path, a URL), consistently checksummed: the
/// build is refused, naming the package and the location, and nothing is
/// read or written outside; the same over HTTP.
#[test]
fn package_locations_outside_the_repository_are_refused() {
    let t = "package_locations_outside_the_repository_are_refused";
    let d = need!(t, support::distro());
    for hostile in [
        "../../../../../../etc/passwd",
        "/etc/passwd",
        "http://127.0.0.1:9/x.rpm",
    ] {
        let tmp = support::tempdir();
        let (repo, primary) = repo_copy(d, tmp.path());
        let xml = String::from_utf8(gunzip(&primary)).unwrap();
        let href = "<location href=\"Packages/ts-app-1.2-1.x86_64.rpm\"/>";
        assert!(xml.contains(href), "the test distribution has ts-app 1.2");
        let bad = xml.replace(href, &format!("<location href=\"{hostile}\"/>"));
        replace_primary_consistently(&repo, &primary, bad.as_bytes());
        let local = format!("ts={}", repo.display());
        build_fails(
            &["ts-app"],
            &local,
            &["ts-app-1.2-1.x86_64", hostile, "outside"],
        );
        let server = support::http::HttpServer::serve(&repo);
        let remote = format!("ts={}", server.base_url());
        build_fails(
            &["ts-app"],
            &remote,
            &["ts-app-1.2-1.x86_64", hostile, "outside"],
        );
        // Refused before any request: the server never saw the path.
        assert!(
            !server
                .log_lines()
                .iter()
                .any(|l| l.contains("passwd") || l.contains("x.rpm")),
            "{:?}",
            server.log_lines()
        );
    }
}
