//! Remote repositories: the test distribution served over loopback HTTP
//! (tests/support/http.rs), reached by baseurl, mirror list and metalink,
//! through servers that fail, cut transfers, stall, corrupt and lag. The
//! images composed over HTTP must be byte-identical to those composed from
//! the local folders; the shared cache must survive concurrent composes
//! and serve `--offline` ones.

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::http::{Fault, HttpServer};
use support::repodata::{copy_of_repo, gunzip, replace_primary_consistently};

const EPOCH: &str = "1700000000";

/// A compose config in `dir` with the test distribution's kickstarts, one
/// `[[repo]]` (`repo` is its body after the name) and `images` images of
/// ts.ks. Returns its path.
fn compose_config(dir: &Path, repo: &str, images: &[&str]) -> PathBuf {
    for f in ["ts.ks", "ts-base.ks"] {
        fs::copy(support::distro_src().join(f), dir.join(f)).unwrap();
    }
    let mut text = format!(
        "[product]\nname = \"tsdistro\"\nversion = \"1.0\"\n\n[compose]\narches = [\"x86_64\", \"aarch64\"]\n\n[[repo]]\nname = \"ts\"\n{repo}\n"
    );
    for (name, ks) in images.iter().map(|i| i.split_once(':').unwrap()) {
        text.push_str(&format!(
            "\n[[image]]\nname = \"{name}\"\nkickstart = \"{ks}\"\noutput = \"{name}-docker.{{arch}}.tar.xz\"\ntag = \"1.0\"\n"
        ));
    }
    let path = dir.join("compose.toml");
    fs::write(&path, text).unwrap();
    path
}

/// `rootsmith compose CONFIG --out OUT --json [extra]` under SOURCE_DATE_EPOCH.
fn compose(config: &Path, out: &Path, extra: &[&str]) -> support::Run {
    let mut args = vec![
        "compose",
        config.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--json",
    ];
    args.extend_from_slice(extra);
    support::rootsmith_env(&args, &[("SOURCE_DATE_EPOCH", EPOCH)], None)
}

fn report(run: &support::Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.describe()))
}

/// Every published image of a tree, by path relative to it, with its sha256.
fn images(out: &Path) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = support::files_under(out)
        .into_iter()
        .map(|p| p.display().to_string())
        .filter(|p| p.ends_with(".tar.xz"))
        .map(|p| {
            let sum = support::sha256_file(&out.join(&p));
            (p, sum)
        })
        .collect();
    found.sort();
    found
}

/// The requests a server saw, as `GET /path [range] -> status [fault]`,
/// for those whose path contains `part`.
fn hits(server: &HttpServer, part: &str) -> Vec<String> {
    server
        .log_lines()
        .into_iter()
        .filter(|l| l.contains(part))
        .collect()
}

/// The images composed from the local folders: what every remote compose
/// must reproduce, byte for byte.
fn local_images(d: &support::Distro, tmp: &Path, arch: &str) -> Vec<(String, String)> {
    let dir = tmp.join("local");
    fs::create_dir_all(&dir).unwrap();
    let config = compose_config(
        &dir,
        &format!("baseurl = \"file://{}/$basearch\"", d.dir.display()),
        &["tsdistro:ts.ks"],
    );
    let out = dir.join("out");
    compose(&config, &out, &["--arch", arch]).assert_ok();
    images(&out)
}

#[test]
fn http_compose_is_byte_identical_and_offline_reuses_the_cache() {
    let t = "http_compose_is_byte_identical_and_offline_reuses_the_cache";
    let d = need!(t, support::distro());
    let tmp = support::tempdir();
    let server = HttpServer::serve(&d.dir);
    let cache = tmp.path().join("cache");
    let cache_arg = cache.to_str().unwrap();

    let local = tmp.path().join("local");
    fs::create_dir_all(&local).unwrap();
    let local_config = compose_config(
        &local,
        &format!("baseurl = \"file://{}/$basearch\"", d.dir.display()),
        &["tsdistro:ts.ks"],
    );
    compose(&local_config, &local.join("out"), &[]).assert_ok();
    let want = images(&local.join("out"));
    assert_eq!(want.len(), 2, "{want:?}");

    let config = compose_config(
        tmp.path(),
        &format!("baseurl = \"{}$basearch\"", server.base_url()),
        &["tsdistro:ts.ks"],
    );
    let out = tmp.path().join("http");
    let run = compose(&config, &out, &["--cache-dir", cache_arg]);
    run.assert_ok();
    assert_eq!(images(&out), want, "HTTP and file:// composes differ");
    let first = report(&run)["metadata"].clone();
    assert!(first["downloads"].as_u64().unwrap() > 0, "{first}");
    // Every package came over HTTP, verified, into the cache.
    let rpms = hits(&server, ".rpm");
    assert!(
        !rpms.is_empty() && rpms.iter().all(|l| l.ends_with("-> 200")),
        "{rpms:?}"
    );

    // Again with the same cache: repomd.xml revalidated (304), nothing else fetched.
    server.take_log();
    let run = compose(
        &config,
        &tmp.path().join("again"),
        &["--cache-dir", cache_arg],
    );
    run.assert_ok();
    assert_eq!(images(&tmp.path().join("again")), want);
    let log = server.log();
    assert!(!log.is_empty());
    for hit in &log {
        assert!(
            hit.path.ends_with("repodata/repomd.xml") && hit.status == Some(304),
            "a warm compose asked for more than repomd.xml: {hit}"
        );
        assert!(hit.header("If-None-Match").is_some(), "{hit:?}");
    }

    // With the server gone, --offline composes from the cache alone.
    drop(server);
    let offline = tmp.path().join("offline");
    let run = compose(&config, &offline, &["--cache-dir", cache_arg, "--offline"]);
    run.assert_ok();
    assert_eq!(images(&offline), want, "offline compose differs");

    // An empty cache offline: a clear error, and no tree.
    let empty = tmp.path().join("empty-cache");
    let never = tmp.path().join("never");
    let run = compose(
        &config,
        &never,
        &["--cache-dir", empty.to_str().unwrap(), "--offline"],
    );
    assert!(!run.ok(), "{}", run.describe());
    assert!(
        run.stderr.contains("--offline") && run.stderr.contains("repomd.xml"),
        "{}",
        run.describe()
    );
    assert!(images(&never).is_empty());
}

#[test]
fn retries_resume_and_mirrorlist_failover() {
    let t = "retries_resume_and_mirrorlist_failover";
    let d = need!(t, support::distro());
    let tmp = support::tempdir();
    let want = local_images(d, tmp.path(), "x86_64");

    // The first mirror has no repository; the second fails twice with 503,
    // then cuts primary.xml and a package short.
    let empty = tmp.path().join("empty");
    fs::create_dir_all(&empty).unwrap();
    let dead = HttpServer::serve(&empty);
    let good = HttpServer::serve(&d.dir);
    good.faults("x86_64/repodata/repomd.xml", [Fault::Status(503); 2]);
    good.fault("x86_64/repodata/*primary*", Fault::DropAfter(300));
    good.fault("x86_64/Packages/ts-busybox-*", Fault::DropAfter(4096));
    good.set_body(
        "mirrorlist-x86_64",
        format!(
            "# mirrors for x86_64\n{}x86_64\n{}x86_64/\n",
            dead.base_url(),
            good.base_url()
        ),
    );
    let config = compose_config(
        tmp.path(),
        &format!("mirrorlist = \"{}mirrorlist-$basearch\"", good.base_url()),
        &["tsdistro:ts.ks"],
    );
    let out = tmp.path().join("out");
    let run = compose(
        &config,
        &out,
        &["--arch", "x86_64", "--setopt", "retries=3"],
    );
    run.assert_ok();
    assert_eq!(images(&out), want);

    assert_eq!(
        hits(&dead, "repomd.xml"),
        ["GET /x86_64/repodata/repomd.xml -> 404"]
    );
    assert_eq!(
        hits(&good, "repomd.xml"),
        [
            "GET /x86_64/repodata/repomd.xml -> 503 Status(503)",
            "GET /x86_64/repodata/repomd.xml -> 503 Status(503)",
            "GET /x86_64/repodata/repomd.xml -> 200",
        ]
    );
    let primary = hits(&good, "primary");
    assert_eq!(primary.len(), 2, "{primary:?}");
    assert!(primary[0].ends_with("-> 200 DropAfter(300)"), "{primary:?}");
    assert!(primary[1].contains(" bytes=300- -> 206"), "{primary:?}");
    let busybox = hits(&good, "ts-busybox");
    assert_eq!(busybox.len(), 2, "{busybox:?}");
    assert!(busybox[1].contains(" bytes=4096- -> 206"), "{busybox:?}");
    assert!(
        run.stderr.contains("503"),
        "retries are logged: {}",
        run.stderr
    );
}

#[test]
fn corrupt_downloads_fail_over_then_fail_clearly() {
    let t = "corrupt_downloads_fail_over_then_fail_clearly";
    let d = need!(t, support::distro());
    let tmp = support::tempdir();
    let want = local_images(d, tmp.path(), "x86_64");
    let a = HttpServer::serve(&d.dir);
    let b = HttpServer::serve(&d.dir);
    let list = format!("{}x86_64\n{}x86_64\n", a.base_url(), b.base_url());
    a.set_body("mirrors", list.clone());

    // Mirror a corrupts the package; b has it right.
    a.fault("x86_64/Packages/ts-app-1*", Fault::Corrupt);
    let config = compose_config(
        tmp.path(),
        &format!("mirrorlist = \"{}mirrors\"", a.base_url()),
        &["tsdistro:ts.ks"],
    );
    let out = tmp.path().join("out");
    compose(&config, &out, &["--arch", "x86_64"]).assert_ok();
    assert_eq!(images(&out), want);
    assert_eq!(
        hits(&a, "ts-app-1"),
        ["GET /x86_64/Packages/ts-app-1.2-1.x86_64.rpm -> 200 Corrupt"]
    );
    assert_eq!(
        hits(&b, "ts-app-1"),
        ["GET /x86_64/Packages/ts-app-1.2-1.x86_64.rpm -> 200"]
    );

    // Both corrupt it: the compose fails, naming the package, each URL and
    // the mismatch, and publishes nothing.
    a.fault("x86_64/Packages/ts-app-1*", Fault::Corrupt);
    b.fault("x86_64/Packages/ts-app-1*", Fault::Corrupt);
    let bad = tmp.path().join("bad");
    let run = compose(&config, &bad, &["--arch", "x86_64"]);
    assert!(!run.ok(), "{}", run.describe());
    for needle in [
        "ts-app-1.2-1.x86_64",
        &a.url("x86_64/Packages/ts-app-1.2-1.x86_64.rpm"),
        &b.url("x86_64/Packages/ts-app-1.2-1.x86_64.rpm"),
        "sha256 checksum mismatch",
    ] {
        assert!(
            run.stderr.contains(needle),
            "{needle:?} not in\n{}",
            run.describe()
        );
    }
    assert!(images(&bad).is_empty(), "{:?}", support::files_under(&bad));
}

#[test]
fn a_stalled_server_times_out_and_is_retried() {
    let t = "a_stalled_server_times_out_and_is_retried";
    let d = need!(t, support::distro());
    let server = HttpServer::serve(&d.dir);
    server.fault(
        "x86_64/repodata/repomd.xml",
        Fault::Stall(Duration::from_secs(60)),
    );
    server.fault(
        "x86_64/repodata/*primary*",
        Fault::StallAfter(100, Duration::from_secs(60)),
    );
    let repo = format!("ts={}x86_64", server.base_url());
    let started = Instant::now();
    let run = support::rootsmith(&[
        "resolve",
        "ts-app",
        "--repo",
        &repo,
        "--arch",
        "x86_64",
        "--setopt",
        "timeout=2",
    ]);
    run.assert_ok();
    assert!(
        started.elapsed() < Duration::from_secs(40),
        "the stalls were waited out: {:?}",
        started.elapsed()
    );
    assert!(
        run.stdout.contains("ts-app-1.2-1.x86_64"),
        "{}",
        run.describe()
    );
    let primary = hits(&server, "primary");
    assert!(primary[1].contains("bytes=100-"), "{primary:?}");

    // No retries left: the error names the URL and the timeout.
    server.faults(
        "x86_64/repodata/repomd.xml",
        [Fault::Stall(Duration::from_secs(60)); 2],
    );
    let run = support::rootsmith(&[
        "resolve",
        "ts-app",
        "--repo",
        &repo,
        "--arch",
        "x86_64",
        "--setopt",
        "timeout=1",
        "--setopt",
        "retries=1",
    ]);
    assert!(!run.ok());
    assert!(
        run.stderr
            .contains(&server.url("x86_64/repodata/repomd.xml"))
            && run.stderr.contains("2 attempts"),
        "{}",
        run.describe()
    );
}

/// A metalink as MirrorManager writes one, for `repomd` at `mirrors`
/// (base URL, preference).
fn metalink(repomd: &[u8], mirrors: &[(String, u32)]) -> String {
    let sha256 = support::sha256_bytes(repomd);
    let urls: String = mirrors
        .iter()
        .map(|(base, pref)| {
            format!("    <url protocol=\"http\" type=\"http\" location=\"XX\" preference=\"{pref}\">{base}repodata/repomd.xml</url>\n")
        })
        .collect();
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<metalink version="3.0" xmlns="http://www.metalinker.org/" type="dynamic" generator="mirrormanager" xmlns:mm0="http://fedorahosted.org/mirrormanager">
 <files>
  <file name="repomd.xml">
   <mm0:timestamp>1700000000</mm0:timestamp>
   <size>{}</size>
   <verification>
    <hash type="md5">d41d8cd98f00b204e9800998ecf8427e</hash>
    <hash type="sha256">{sha256}</hash>
   </verification>
   <resources maxconnections="1">
{urls}   </resources>
  </file>
 </files>
</metalink>
"#,
        repomd.len()
    )
}

#[test]
fn metalink_skips_a_stale_mirror_and_trusts_its_cache() {
    let t = "metalink_skips_a_stale_mirror_and_trusts_its_cache";
    let d = need!(t, support::distro());
    let tmp = support::tempdir();
    let want = local_images(d, tmp.path(), "x86_64");
    let repomd = fs::read(d.repo("x86_64").join("repodata/repomd.xml")).unwrap();

    // The preferred mirror serves an older repomd.xml.
    let stale = HttpServer::serve(&d.dir);
    let mut old = String::from_utf8(repomd.clone()).unwrap();
    old = old.replacen("<revision>", "<revision>0", 1);
    assert_ne!(
        old.as_bytes(),
        repomd.as_slice(),
        "repomd.xml has a <revision>"
    );
    stale.set_body("x86_64/repodata/repomd.xml", old);
    let good = HttpServer::serve(&d.dir);
    good.set_body(
        "metalink",
        metalink(
            &repomd,
            &[
                (format!("{}x86_64/", stale.base_url()), 100),
                (format!("{}x86_64/", good.base_url()), 50),
            ],
        ),
    );
    let config = compose_config(
        tmp.path(),
        &format!("metalink = \"{}metalink\"", good.base_url()),
        &["tsdistro:ts.ks"],
    );
    let cache = tmp.path().join("cache");
    let args = ["--arch", "x86_64", "--cache-dir", cache.to_str().unwrap()];
    let out = tmp.path().join("out");
    compose(&config, &out, &args).assert_ok();
    assert_eq!(images(&out), want);
    assert_eq!(
        hits(&stale, "repomd.xml"),
        ["GET /x86_64/repodata/repomd.xml -> 200"]
    );
    assert!(
        hits(&stale, "Packages").is_empty(),
        "{:?}",
        stale.log_lines()
    );
    assert_eq!(
        hits(&good, "repomd.xml"),
        ["GET /x86_64/repodata/repomd.xml -> 200"]
    );

    // The cached repomd.xml is the one the metalink names: no request for it.
    good.take_log();
    stale.take_log();
    compose(&config, &tmp.path().join("again"), &args).assert_ok();
    assert_eq!(hits(&good, "repomd.xml"), Vec::<String>::new());
    assert_eq!(hits(&good, "metalink"), ["GET /metalink -> 200"]);
    assert!(stale.log().is_empty(), "{:?}", stale.log_lines());
}

#[test]
fn one_store_loads_each_pool_once_for_all_images() {
    let t = "one_store_loads_each_pool_once_for_all_images";
    let d = need!(t, support::distro());
    let tmp = support::tempdir();
    let server = HttpServer::serve(&d.dir);
    // Three images × two arches over HTTP.
    let config = compose_config(
        tmp.path(),
        &format!("baseurl = \"{}$basearch\"", server.base_url()),
        &["one:ts.ks", "two:ts.ks", "three:ts.ks"],
    );
    let out = tmp.path().join("out");
    let run = compose(&config, &out, &[]);
    run.assert_ok();
    let metadata = &report(&run)["metadata"];
    // One (repos, arch) pool per arch, each parsed once and shared by the
    // other two images of that arch.
    assert_eq!(metadata["pools_loaded"], 2, "{metadata}");
    assert_eq!(metadata["pools_shared"], 4, "{metadata}");
    assert_eq!(metadata["primary_parsed"], 2, "{metadata}");
    for arch in ["x86_64", "aarch64"] {
        let primary = hits(&server, &format!("/{arch}/repodata/"))
            .into_iter()
            .filter(|l| l.contains("primary"))
            .count();
        assert_eq!(primary, 1, "{arch}: {:?}", server.log_lines());
    }
    // Each package was downloaded once, however many images hold it.
    let mut rpms = hits(&server, ".rpm");
    let total = rpms.len();
    rpms.sort();
    rpms.dedup();
    assert_eq!(rpms.len(), total, "{rpms:?}");
    assert_eq!(images(&out).len(), 6);
}

#[test]
fn concurrent_composes_share_one_cache() {
    let t = "concurrent_composes_share_one_cache";
    let d = need!(t, support::distro());
    let tmp = support::tempdir();
    let want = local_images(d, tmp.path(), "x86_64");
    let server = HttpServer::serve(&d.dir);
    let config = compose_config(
        tmp.path(),
        &format!("baseurl = \"{}$basearch\"", server.base_url()),
        &["tsdistro:ts.ks"],
    );
    let cache = tmp.path().join("cache");
    let runs: Vec<support::Run> = std::thread::scope(|s| {
        let jobs: Vec<_> = ["a", "b"]
            .iter()
            .map(|name| {
                let out = tmp.path().join(name);
                let (config, cache) = (&config, &cache);
                s.spawn(move || {
                    compose(
                        config,
                        &out,
                        &["--arch", "x86_64", "--cache-dir", cache.to_str().unwrap()],
                    )
                })
            })
            .collect();
        jobs.into_iter().map(|j| j.join().unwrap()).collect()
    });
    for (run, name) in runs.iter().zip(["a", "b"]) {
        run.assert_ok();
        assert_eq!(images(&tmp.path().join(name)), want, "{name}");
    }
    // Nothing half-written is left behind.
    let leftovers: Vec<String> = support::files_under(&cache)
        .into_iter()
        .map(|p| p.display().to_string())
        .filter(|p| p.contains("/tmp/") || p.ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// One repository holding both arches (no `$basearch`): its metadata is
/// parsed once for the two arches' pools, and each arch's images are what
/// a compose of that arch alone makes.
#[test]
fn a_multiarch_repository_is_parsed_once_for_every_arch() {
    let t = "a_multiarch_repository_is_parsed_once_for_every_arch";
    let d = need!(t, support::distro());
    need!(t, support::tools(&["createrepo_c"]));
    let tmp = support::tempdir();
    let merged = tmp.path().join("merged");
    let packages = merged.join("Packages");
    fs::create_dir_all(&packages).unwrap();
    for arch in support::ARCHES {
        for rpm in fs::read_dir(d.repo(arch).join("Packages")).unwrap() {
            let rpm = rpm.unwrap().path();
            let dest = packages.join(rpm.file_name().unwrap());
            // A noarch package is in both: one copy.
            if !dest.exists() {
                fs::copy(&rpm, &dest).unwrap();
            }
        }
    }
    let made = std::process::Command::new("createrepo_c")
        .args([
            "-q",
            "--set-timestamp-to-revision",
            "--revision",
            EPOCH,
            "--groupfile",
        ])
        .arg(support::distro_src().join("comps.xml"))
        .arg(&merged)
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let config = compose_config(
        tmp.path(),
        &format!("baseurl = \"{}\"", merged.display()),
        &["tsdistro:ts.ks"],
    );
    let both = tmp.path().join("both");
    let run = compose(&config, &both, &[]);
    run.assert_ok();
    let metadata = &report(&run)["metadata"];
    assert_eq!(metadata["primary_parsed"], 1, "{metadata}");
    assert_eq!(metadata["pools_loaded"], 2, "{metadata}");
    let mut alone = Vec::new();
    for arch in support::ARCHES {
        let out = tmp.path().join(arch);
        compose(&config, &out, &["--arch", arch]).assert_ok();
        alone.extend(images(&out));
    }
    alone.sort();
    assert_eq!(images(&both), alone);
}

/// A server that answers an unconditional request with 304 (nothing was
/// cached to be "not modified") gets a clear error, not a crash.
#[test]
fn a_304_to_an_unconditional_request_is_an_error() {
    let t = "a_304_to_an_unconditional_request_is_an_error";
    let d = need!(t, support::distro());
    let server = HttpServer::serve(&d.dir);
    server.fault("x86_64/repodata/repomd.xml", Fault::Status(304));
    let repo = format!("ts={}x86_64", server.base_url());
    let run = support::rootsmith(&["resolve", "ts-app", "--repo", &repo, "--arch", "x86_64"]);
    support::assert_clean_failure(&run, &["repomd.xml", "304"]);
}

/// The parsed-pool cache: a warm compose reads each pool from it instead of
/// parsing (or even downloading) primary.xml, and makes the same bytes; a
/// damaged cache file is reported and rebuilt; changed metadata at the same
/// URL is parsed anew.
#[test]
fn warm_composes_read_pools_from_the_pool_cache() {
    let t = "warm_composes_read_pools_from_the_pool_cache";
    let d = need!(t, support::distro());
    let tmp = support::tempdir();
    let want = local_images(d, tmp.path(), "x86_64");
    let served = tmp.path().join("served");
    let (repo, primary) = copy_of_repo(&d.repo("x86_64"), &served.join("x86_64"), "primary");
    let server = HttpServer::serve(&served);
    let config = compose_config(
        tmp.path(),
        &format!("baseurl = \"{}$basearch/repo\"", server.base_url()),
        &["tsdistro:ts.ks"],
    );
    let cache = tmp.path().join("cache");
    let args = ["--arch", "x86_64", "--cache-dir", cache.to_str().unwrap()];
    let compose_into = |name: &str| {
        let run = compose(&config, &tmp.path().join(name), &args);
        run.assert_ok();
        (report(&run)["metadata"].clone(), run.stderr)
    };
    let parsed = |metadata: &Value, primary: u64, cached: u64| {
        assert_eq!(metadata["primary_parsed"], primary, "{metadata}");
        assert_eq!(metadata["pools_cached"], cached, "{metadata}");
    };

    let (cold, _) = compose_into("cold");
    parsed(&cold, 1, 0);
    server.take_log();
    let (warm, _) = compose_into("warm");
    parsed(&warm, 0, 1);
    let metadata_requests: Vec<String> = hits(&server, "/repodata/")
        .into_iter()
        .filter(|l| !l.contains("repomd.xml"))
        .collect();
    assert!(metadata_requests.is_empty(), "{metadata_requests:?}");
    for name in ["cold", "warm"] {
        assert_eq!(images(&tmp.path().join(name)), want, "{name}");
    }

    let pools: Vec<PathBuf> = support::files_under(&cache.join("v1/pools"))
        .into_iter()
        .map(|p| cache.join("v1/pools").join(p))
        .collect();
    assert_eq!(pools.len(), 1, "one pool file: {pools:?}");
    let mut bytes = fs::read(&pools[0]).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0xff;
    fs::write(&pools[0], &bytes).unwrap();
    let (damaged, stderr) = compose_into("damaged");
    parsed(&damaged, 1, 0);
    assert!(
        stderr.contains(&pools[0].display().to_string()) && stderr.contains("CRC mismatch"),
        "{stderr}"
    );
    assert_eq!(images(&tmp.path().join("damaged")), want);
    let (rebuilt, _) = compose_into("rebuilt");
    parsed(&rebuilt, 0, 1);

    // Changed metadata at the same URL (a changed primary.xml, and
    // repomd.xml saying so) is parsed, not taken from the old pool.
    let xml = String::from_utf8(gunzip(&primary)).unwrap();
    let xml = xml.replacen("<summary>", "<summary>Changed: ", 1);
    replace_primary_consistently(&repo, &primary, xml.as_bytes());
    let (changed, _) = compose_into("changed");
    parsed(&changed, 1, 0);
    let (again, _) = compose_into("again");
    parsed(&again, 0, 1);
}
