//! The loopback HTTP server of `tests/support/http.rs`, checked against
//! clients this project did not write: curl, Python's urllib, and raw
//! requests for what those clients will not send. Every test asserts the
//! exact bytes served and the exact request log.

mod support;

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use support::http::{etag, http_date, parse_http_date, Fault, HttpServer};
use support::{sha256_bytes, sha256_file, tempdir, tools};

/// 2024-02-29 12:34:56 UTC: the mtime given to served files, so
/// Last-Modified is a known string.
const MTIME: u64 = 1_709_210_096;
const MTIME_HTTP: &str = "Thu, 29 Feb 2024 12:34:56 GMT";

// ---------------------------------------------------------------- helpers

/// A temporary directory with a `www/` subdirectory served over HTTP (so
/// tests can put files *outside* the served tree beside it).
struct Site {
    tmp: tempfile::TempDir,
    server: HttpServer,
}

impl Site {
    fn new(files: &[(&str, &[u8])]) -> Site {
        let tmp = tempdir();
        let www = tmp.path().join("www");
        fs::create_dir(&www).unwrap();
        for (path, content) in files {
            write_file(&www.join(path), content);
        }
        Site {
            server: HttpServer::serve(&www),
            tmp,
        }
    }

    fn www(&self) -> PathBuf {
        self.tmp.path().join("www")
    }

    fn url(&self, path: &str) -> String {
        self.server.url(path)
    }
}

/// Write `content` at `path` (parents created) with mtime [`MTIME`].
fn write_file(path: &Path, content: &[u8]) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, content).unwrap();
    let file = fs::File::options().write(true).open(path).unwrap();
    file.set_modified(UNIX_EPOCH + Duration::from_secs(MTIME))
        .unwrap();
}

/// `n` deterministic pseudo-random bytes (xorshift64).
fn data(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.max(1);
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

/// What one curl run got.
struct Fetched {
    /// curl's exit status (18: partial file, 28: timeout).
    exit: i32,
    /// The last response's status code (0: none).
    status: u16,
    /// The last response's headers.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    stderr: String,
}

impl Fetched {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// `curl URL` with `args`, never through a proxy; body, headers and
/// status from files and `-w`.
fn curl(url: &str, args: &[&str]) -> Fetched {
    let tmp = tempdir();
    let (body, head) = (tmp.path().join("body"), tmp.path().join("head"));
    let out = curl_cmd()
        .arg("-o")
        .arg(&body)
        .arg("-D")
        .arg(&head)
        .args(["-w", "%{http_code}"])
        .args(args)
        .arg(url)
        .output()
        .expect("run curl");
    let head = fs::read_to_string(&head).unwrap_or_default();
    Fetched {
        exit: out.status.code().expect("curl exited"),
        status: String::from_utf8_lossy(&out.stdout).parse().unwrap(),
        headers: last_response_headers(&head),
        body: fs::read(&body).unwrap_or_default(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// curl, quiet but for errors, ignoring proxy settings, bounded in time
/// (a later `--max-time` overrides this one).
fn curl_cmd() -> Command {
    let mut cmd = Command::new("curl");
    cmd.args([
        "--silent",
        "--show-error",
        "--noproxy",
        "*",
        "--max-time",
        "20",
    ]);
    cmd
}

/// The header lines of the last response in a `curl -D` dump.
fn last_response_headers(dump: &str) -> Vec<(String, String)> {
    let last = dump.trim_end().rsplit("\r\n\r\n").next().unwrap_or("");
    last.lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// Send `request` as is on a new connection, read until the server closes.
fn raw(server: &HttpServer, request: &str) -> String {
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

/// Read one response (head, then Content-Length bytes) from `stream`.
fn read_response(stream: &mut TcpStream) -> (String, Vec<u8>) {
    let mut head = Vec::new();
    let mut byte = [0u8];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).expect("a response head");
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).unwrap();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .map_or(0, |n| n.parse().unwrap());
    let mut body = vec![0; length];
    stream.read_exact(&mut body).unwrap();
    (head, body)
}

fn status_line(answer: &str) -> &str {
    answer.lines().next().unwrap_or("")
}

// ---------------------------------------------------------------- plain serving

#[test]
fn get_and_head_with_curl() {
    need!("http_server::get_and_head_with_curl", tools(&["curl"]));
    let big = data(300_000, 1);
    let site = Site::new(&[
        ("empty", b""),
        ("one", b"x"),
        ("big.bin", &big),
        ("sub/dir/a b+c.txt", b"spaces and plus\n"),
    ]);

    for (url_path, file) in [
        ("empty", "empty"),
        ("one", "one"),
        ("big.bin", "big.bin"),
        ("sub/dir/a%20b+c.txt", "sub/dir/a b+c.txt"),
    ] {
        let got = curl(&site.url(url_path), &[]);
        assert_eq!(
            (got.exit, got.status),
            (0, 200),
            "{url_path}: {}",
            got.stderr
        );
        assert_eq!(
            sha256_bytes(&got.body),
            sha256_file(&site.www().join(file)),
            "{url_path}"
        );
    }
    let got = curl(&site.url("big.bin"), &[]);
    assert_eq!(got.header("Content-Length"), Some("300000"));
    assert_eq!(got.header("ETag"), Some(etag(&big).as_str()));
    assert_eq!(got.header("Last-Modified"), Some(MTIME_HTTP));
    assert_eq!(got.header("Accept-Ranges"), Some("bytes"));
    assert_eq!(got.header("Content-Type"), Some("application/octet-stream"));

    let head = curl(&site.url("big.bin"), &["--head"]);
    assert_eq!((head.exit, head.status), (0, 200), "{}", head.stderr);
    assert_eq!(head.header("Content-Length"), Some("300000"));
    assert_eq!(head.header("ETag"), Some(etag(&big).as_str()));

    let missing = curl(&site.url("missing"), &[]);
    assert_eq!(
        (missing.status, missing.body.as_slice()),
        (404, &b"404 Not Found\n"[..])
    );
    assert_eq!(curl(&site.url("sub/"), &[]).status, 404);
    let delete = curl(&site.url("one"), &["-X", "DELETE"]);
    assert_eq!(delete.status, 405);
    assert_eq!(delete.header("Allow"), Some("GET, HEAD"));

    assert_eq!(
        site.server.log_lines(),
        [
            "GET /empty -> 200",
            "GET /one -> 200",
            "GET /big.bin -> 200",
            "GET /sub/dir/a%20b+c.txt -> 200",
            "GET /big.bin -> 200",
            "HEAD /big.bin -> 200",
            "GET /missing -> 404",
            "GET /sub/ -> 404",
            "DELETE /one -> 405",
        ]
    );
}

#[test]
fn parallel_transfers_with_curl() {
    need!(
        "http_server::parallel_transfers_with_curl",
        tools(&["curl"])
    );
    let names: Vec<String> = (0..8).map(|i| format!("f{i}.bin")).collect();
    let contents: Vec<Vec<u8>> = (0..8)
        .map(|i| data(50_000 + i * 1000, i as u64 + 7))
        .collect();
    let files: Vec<(&str, &[u8])> = names
        .iter()
        .zip(&contents)
        .map(|(n, c)| (n.as_str(), c.as_slice()))
        .collect();
    let site = Site::new(&files);
    let out_dir = tempdir();

    let mut cmd = curl_cmd();
    cmd.args(["--parallel", "--parallel-max", "8", "--fail"]);
    for name in &names {
        cmd.arg("-o")
            .arg(out_dir.path().join(name))
            .arg(site.url(name));
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    for (name, content) in names.iter().zip(&contents) {
        assert_eq!(
            &fs::read(out_dir.path().join(name)).unwrap(),
            content,
            "{name}"
        );
    }
    let mut lines = site.server.log_lines();
    lines.sort();
    let expected: Vec<String> = names.iter().map(|n| format!("GET /{n} -> 200")).collect();
    assert_eq!(lines, expected);
}

#[test]
fn connections_are_kept_alive() {
    need!("http_server::connections_are_kept_alive", tools(&["curl"]));
    let site = Site::new(&[("a", b"first"), ("b", b"second")]);
    let out_dir = tempdir();

    // One curl, two URLs: curl reuses the connection if the server keeps it.
    let out = curl_cmd()
        .args(["-w", "%{num_connects}\n"])
        .arg("-o")
        .arg(out_dir.path().join("a"))
        .arg(site.url("a"))
        .arg("-o")
        .arg(out_dir.path().join("b"))
        .arg(site.url("b"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "1\n0\n");
    assert_eq!(fs::read(out_dir.path().join("b")).unwrap(), b"second");
    let conns: Vec<u64> = site.server.take_log().iter().map(|h| h.conn).collect();
    assert_eq!(conns, [1, 1]);

    // Two pipelined requests in one write: answered in order on one
    // connection, which closes after the one that asks for it.
    let answer = raw(
        &site.server,
        "GET /a HTTP/1.1\r\nHost: t\r\n\r\nGET /b HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
    );
    let first = answer.find("\r\n\r\nfirst").expect("the first body");
    let second = answer.find("\r\n\r\nsecond").expect("the second body");
    assert!(first < second, "{answer}");
    assert!(
        answer.ends_with("Connection: close\r\n\r\nsecond"),
        "{answer}"
    );

    // HTTP/1.0 closes after one response unless the client asks otherwise.
    let answer = raw(&site.server, "GET /a HTTP/1.0\r\n\r\n");
    assert!(
        answer.ends_with("Connection: close\r\n\r\nfirst"),
        "{answer}"
    );

    // A HEAD answer has no body: the next answer follows its head at once.
    let answer = raw(
        &site.server,
        "HEAD /a HTTP/1.1\r\nHost: t\r\n\r\nGET /b HTTP/1.1\r\nConnection: close\r\n\r\n",
    );
    let heads: Vec<&str> = answer.split("\r\n\r\n").collect();
    assert_eq!(heads.len(), 3, "{answer}");
    assert!(heads[0].ends_with("\r\nContent-Length: 5"), "{answer}");
    assert!(heads[1].starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert_eq!(heads[2], "second");

    let conns: Vec<u64> = site.server.log().iter().map(|h| h.conn).collect();
    assert_eq!(conns, [2, 2, 3, 4, 4]);
}

// ---------------------------------------------------------------- ranges

#[test]
fn ranges_with_curl() {
    need!("http_server::ranges_with_curl", tools(&["curl"]));
    let content = data(1000, 2);
    let site = Site::new(&[("f", &content)]);
    let url = site.url("f");
    let tag = etag(&content);

    for (args, range, body) in [
        (vec!["-r", "10-19"], "bytes 10-19/1000", &content[10..20]),
        (vec!["-r", "990-"], "bytes 990-999/1000", &content[990..]),
        (vec!["-r", "-5"], "bytes 995-999/1000", &content[995..]),
        (
            vec!["-r", "995-2000"],
            "bytes 995-999/1000",
            &content[995..],
        ),
        (vec!["-r", "0-0"], "bytes 0-0/1000", &content[..1]),
    ] {
        let got = curl(&url, &args);
        assert_eq!(got.status, 206, "{args:?}");
        assert_eq!(got.header("Content-Range"), Some(range), "{args:?}");
        assert_eq!(
            got.header("Content-Length"),
            Some(body.len().to_string().as_str())
        );
        assert_eq!(got.body, body, "{args:?}");
    }
    for range in [
        "bytes=1000-",
        "bytes=20-10",
        "bytes=0-1,5-6",
        "bytes=-0",
        "bytes=x-",
    ] {
        let got = curl(&url, &["-H", &format!("Range: {range}")]);
        assert_eq!(got.status, 416, "{range}");
        assert_eq!(got.header("Content-Range"), Some("bytes */1000"), "{range}");
    }
    // Another unit is ignored: the whole file.
    let got = curl(&url, &["-H", "Range: lines=1-2"]);
    assert_eq!((got.status, got.body.len()), (200, 1000));

    // If-Range: the range only while the validator is current.
    let if_range = |v: &str| curl(&url, &["-r", "5-9", "-H", &format!("If-Range: {v}")]);
    let got = if_range(&tag);
    assert_eq!((got.status, got.body.as_slice()), (206, &content[5..10]));
    let got = if_range(MTIME_HTTP);
    assert_eq!((got.status, got.body.as_slice()), (206, &content[5..10]));
    let got = if_range("\"stale\"");
    assert_eq!((got.status, got.body.as_slice()), (200, &content[..]));

    assert_eq!(
        site.server.log_lines(),
        [
            "GET /f bytes=10-19 -> 206",
            "GET /f bytes=990- -> 206",
            "GET /f bytes=-5 -> 206",
            "GET /f bytes=995-2000 -> 206",
            "GET /f bytes=0-0 -> 206",
            "GET /f bytes=1000- -> 416",
            "GET /f bytes=20-10 -> 416",
            "GET /f bytes=0-1,5-6 -> 416",
            "GET /f bytes=-0 -> 416",
            "GET /f bytes=x- -> 416",
            "GET /f lines=1-2 -> 200",
            "GET /f bytes=5-9 -> 206",
            "GET /f bytes=5-9 -> 206",
            "GET /f bytes=5-9 -> 200",
        ]
    );
}

#[test]
fn resume_after_a_drop_with_curl() {
    need!(
        "http_server::resume_after_a_drop_with_curl",
        tools(&["curl"])
    );
    let content = data(10_000, 3);
    let site = Site::new(&[("Packages/p.rpm", &content)]);
    site.server.fault("Packages/*.rpm", Fault::DropAfter(4096));
    let out = tempdir();
    let file = out.path().join("p.rpm");
    let fetch = |extra: &[&str]| {
        curl_cmd()
            .args(extra)
            .arg("-o")
            .arg(&file)
            .arg(site.url("Packages/p.rpm"))
            .output()
            .unwrap()
    };

    let first = fetch(&[]);
    assert_eq!(first.status.code(), Some(18), "curl: partial file expected");
    assert_eq!(fs::read(&file).unwrap(), &content[..4096]);

    let resumed = fetch(&["-C", "-"]);
    assert!(
        resumed.status.success(),
        "{}",
        String::from_utf8_lossy(&resumed.stderr)
    );
    assert_eq!(sha256_file(&file), sha256_bytes(&content));

    // A drop inside a range: counted in the range's bytes.
    site.server.fault("Packages/p.rpm", Fault::DropAfter(10));
    let part = curl(&site.url("Packages/p.rpm"), &["-r", "100-199"]);
    assert_eq!((part.exit, part.status), (18, 206));
    assert_eq!(part.body, &content[100..110]);

    assert_eq!(
        site.server.log_lines(),
        [
            "GET /Packages/p.rpm -> 200 DropAfter(4096)",
            "GET /Packages/p.rpm bytes=4096- -> 206",
            "GET /Packages/p.rpm bytes=100-199 -> 206 DropAfter(10)",
        ]
    );
    assert_eq!(site.server.pending_faults(), []);
}

// ---------------------------------------------------------------- faults

#[test]
fn status_faults_are_taken_in_order() {
    need!(
        "http_server::status_faults_are_taken_in_order",
        tools(&["curl"])
    );
    let site = Site::new(&[
        ("repodata/repomd.xml", b"<repomd/>"),
        ("repodata/primary.xml", b"<metadata/>"),
        ("Packages/a.rpm", b"rpm"),
    ]);
    let srv = &site.server;
    srv.faults("repodata/*.xml", [Fault::Status(503), Fault::Status(500)]);
    srv.fault("/*.rpm", Fault::Status(404));
    srv.faults("mirrorlist", [Fault::Status(503); 2]);
    assert_eq!(
        srv.pending_faults(),
        [
            ("repodata/*.xml".to_string(), Fault::Status(503)),
            ("repodata/*.xml".to_string(), Fault::Status(500)),
            ("*.rpm".to_string(), Fault::Status(404)),
            ("mirrorlist".to_string(), Fault::Status(503)),
            ("mirrorlist".to_string(), Fault::Status(503)),
        ]
    );

    let status = |path: &str, args: &[&str]| curl(&site.url(path), args).status;
    assert_eq!(status("repodata/repomd.xml", &[]), 503);
    assert_eq!(status("Packages/a.rpm", &[]), 404);
    assert_eq!(status("repodata/primary.xml", &["--head"]), 500);
    assert_eq!(status("repodata/repomd.xml", &[]), 200);
    assert_eq!(status("Packages/a.rpm", &[]), 200);
    // A fault answers even where there is no file.
    assert_eq!(status("mirrorlist", &[]), 503);
    assert_eq!(status("mirrorlist", &[]), 503);
    assert_eq!(status("mirrorlist", &[]), 404);
    let got = curl(&site.url("repodata/repomd.xml"), &[]);
    assert_eq!(got.body, b"<repomd/>");

    assert_eq!(srv.pending_faults(), []);
    assert_eq!(
        srv.log_lines(),
        [
            "GET /repodata/repomd.xml -> 503 Status(503)",
            "GET /Packages/a.rpm -> 404 Status(404)",
            "HEAD /repodata/primary.xml -> 500 Status(500)",
            "GET /repodata/repomd.xml -> 200",
            "GET /Packages/a.rpm -> 200",
            "GET /mirrorlist -> 503 Status(503)",
            "GET /mirrorlist -> 503 Status(503)",
            "GET /mirrorlist -> 404",
            "GET /repodata/repomd.xml -> 200",
        ]
    );
}

#[test]
fn stalls_time_curl_out_and_do_not_delay_shutdown() {
    need!(
        "http_server::stalls_time_curl_out_and_do_not_delay_shutdown",
        tools(&["curl"])
    );
    let content = data(5000, 4);
    let site = Site::new(&[("repomd.xml", b"<repomd/>"), ("big", &content)]);
    let stall = Duration::from_secs(60);
    site.server.fault("repomd.xml", Fault::Stall(stall));
    site.server.fault("big", Fault::StallAfter(100, stall));

    let t = Instant::now();
    let got = curl(&site.url("repomd.xml"), &["--max-time", "0.5"]);
    assert_eq!((got.exit, got.status), (28, 0), "{}", got.stderr);
    let got = curl(&site.url("big"), &["--max-time", "0.5"]);
    assert_eq!((got.exit, got.status), (28, 200), "{}", got.stderr);
    assert_eq!(got.body, &content[..100]);
    assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());

    // The faults are spent: the next requests are served.
    assert_eq!(curl(&site.url("repomd.xml"), &[]).body, b"<repomd/>");
    assert_eq!(curl(&site.url("big"), &[]).body, content);
    assert_eq!(
        site.server.log_lines(),
        [
            "GET /repomd.xml -> none Stall(60s)",
            "GET /big -> 200 StallAfter(100, 60s)",
            "GET /repomd.xml -> 200",
            "GET /big -> 200",
        ]
    );

    // Both stalls still hold their threads; dropping the server ends them.
    let Site { server, tmp: _tmp } = site;
    let t = Instant::now();
    drop(server);
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
}

#[test]
fn corrupt_and_slow_bodies_with_curl() {
    need!(
        "http_server::corrupt_and_slow_bodies_with_curl",
        tools(&["curl"])
    );
    let content = data(3000, 5);
    let site = Site::new(&[("f", &content)]);
    site.server.fault("f", Fault::Corrupt);
    site.server.fault("f", Fault::Slow(10_000));

    let bad = curl(&site.url("f"), &[]);
    let mut expected = content.clone();
    expected[1500] = !expected[1500];
    assert_eq!((bad.status, bad.body.len()), (200, 3000));
    assert_eq!(bad.body, expected);
    assert_ne!(sha256_bytes(&bad.body), sha256_bytes(&content));

    // 3000 bytes at 10,000 bytes/s: the last byte leaves after 0.3 s.
    let t = Instant::now();
    let slow = curl(&site.url("f"), &[]);
    let elapsed = t.elapsed();
    assert_eq!(slow.body, content);
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");

    assert_eq!(curl(&site.url("f"), &[]).body, content);
    assert_eq!(
        site.server.log_lines(),
        [
            "GET /f -> 200 Corrupt",
            "GET /f -> 200 Slow(10000)",
            "GET /f -> 200"
        ]
    );
}

// ---------------------------------------------------------------- validators

#[test]
fn revalidation_with_curl() {
    need!("http_server::revalidation_with_curl", tools(&["curl"]));
    let old = b"<repomd>1</repomd>".to_vec();
    let site = Site::new(&[("repomd.xml", &old)]);
    let url = site.url("repomd.xml");
    let etag_file = site.tmp.path().join("etag");
    let etag_arg = etag_file.to_str().unwrap();

    let first = curl(&url, &["--etag-save", etag_arg]);
    assert_eq!((first.status, first.body.as_slice()), (200, &old[..]));
    assert_eq!(fs::read_to_string(&etag_file).unwrap().trim(), etag(&old));
    let again = curl(&url, &["--etag-compare", etag_arg]);
    assert_eq!((again.status, again.body.as_slice()), (304, &b""[..]));
    assert_eq!(again.header("ETag"), Some(etag(&old).as_str()));
    assert_eq!(again.header("Content-Length"), None);

    // curl -z sends If-Modified-Since in its own rendering of the date.
    assert_eq!(curl(&url, &["-z", MTIME_HTTP]).status, 304);
    assert_eq!(
        curl(&url, &["-z", "Thu, 29 Feb 2024 12:34:55 GMT"]).status,
        200
    );
    let inm = |v: &str| curl(&url, &["-H", &format!("If-None-Match: {v}")]).status;
    assert_eq!(inm("\"0000\""), 200);
    assert_eq!(inm("*"), 304);
    assert_eq!(inm(&format!("\"x\", W/{}", etag(&old))), 304);
    // If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2). Both as
    // plain headers: with -z, curl would apply the date itself to a 200.
    let both = [
        "-H",
        "If-None-Match: \"0000\"",
        "-H",
        &format!("If-Modified-Since: {MTIME_HTTP}"),
    ];
    assert_eq!(curl(&url, &both).status, 200);

    // New content, same mtime: the content ETag notices, the date cannot.
    let new = b"<repomd>2</repomd>".to_vec();
    write_file(&site.www().join("repomd.xml"), &new);
    let changed = curl(&url, &["--etag-compare", etag_arg]);
    assert_eq!((changed.status, changed.body.as_slice()), (200, &new[..]));
    assert_eq!(changed.header("ETag"), Some(etag(&new).as_str()));
    assert_eq!(curl(&url, &["-z", MTIME_HTTP]).status, 304);

    let log = site.server.log();
    let conditions: Vec<(Option<&str>, Option<&str>, Option<u16>)> = log
        .iter()
        .map(|h| {
            (
                h.header("If-None-Match"),
                h.header("If-Modified-Since"),
                h.status,
            )
        })
        .collect();
    let old_tag = etag(&old);
    let weak = format!("\"x\", W/{old_tag}");
    assert_eq!(
        conditions,
        [
            (None, None, Some(200)),
            (Some(old_tag.as_str()), None, Some(304)),
            (None, Some(MTIME_HTTP), Some(304)),
            (None, Some("Thu, 29 Feb 2024 12:34:55 GMT"), Some(200)),
            (Some("\"0000\""), None, Some(200)),
            (Some("*"), None, Some(304)),
            (Some(weak.as_str()), None, Some(304)),
            (Some("\"0000\""), Some(MTIME_HTTP), Some(200)),
            (Some(old_tag.as_str()), None, Some(200)),
            (None, Some(MTIME_HTTP), Some(304)),
        ]
    );
}

#[test]
fn generated_bodies_with_curl() {
    need!("http_server::generated_bodies_with_curl", tools(&["curl"]));
    let site = Site::new(&[("repomd.xml", b"from the file")]);
    let srv = &site.server;
    let list = format!("{}\n{}\n", srv.url("a/"), srv.url("b/"));
    srv.set_body("/mirrorlist", list.clone());
    srv.set_body("repomd.xml", "generated");

    let got = curl(&site.url("mirrorlist"), &[]);
    assert_eq!((got.status, got.body.as_slice()), (200, list.as_bytes()));
    assert_eq!(got.header("ETag"), Some(etag(list.as_bytes()).as_str()));
    let lm = parse_http_date(got.header("Last-Modified").unwrap()).unwrap();
    let age = SystemTime::now().duration_since(lm).unwrap();
    assert!(age < Duration::from_secs(60), "{age:?}");
    assert_eq!(curl(&site.url("repomd.xml"), &[]).body, b"generated");
    assert_eq!(curl(&site.url("mirrorlist"), &["-r", "0-3"]).body, b"http");

    srv.remove_body("repomd.xml");
    srv.remove_body("mirrorlist");
    assert_eq!(curl(&site.url("repomd.xml"), &[]).body, b"from the file");
    assert_eq!(curl(&site.url("mirrorlist"), &[]).status, 404);
    assert_eq!(
        srv.log_lines(),
        [
            "GET /mirrorlist -> 200",
            "GET /repomd.xml -> 200",
            "GET /mirrorlist bytes=0-3 -> 206",
            "GET /repomd.xml -> 200",
            "GET /mirrorlist -> 404",
        ]
    );
}

// ---------------------------------------------------------------- paths

#[test]
fn paths_stay_inside_the_served_directory() {
    need!(
        "http_server::paths_stay_inside_the_served_directory",
        tools(&["curl"])
    );
    let site = Site::new(&[("sub/file", b"inside")]);
    fs::write(site.tmp.path().join("secret"), "SECRET").unwrap();
    std::os::unix::fs::symlink("../secret", site.www().join("out-link")).unwrap();
    std::os::unix::fs::symlink("sub/file", site.www().join("in-link")).unwrap();

    let cases = [
        ("../secret", 400),
        ("%2e%2e/secret", 400),
        ("sub/..%2F..%2Fsecret", 400),
        ("sub/%2E%2E/%2e%2e/secret", 400),
        ("out-link", 404),
        ("secret", 404),
        ("sub/file%00", 400),
        ("bad%zz", 400),
        ("bad%4", 400),
        ("%C3%28", 400),
        ("in-link", 200),
        ("./sub//file", 200),
        ("sub/file?x=../../secret", 200),
    ];
    for (path, status) in cases {
        let got = curl(
            &format!("{}{path}", site.server.base_url()),
            &["--path-as-is"],
        );
        assert_eq!(got.status, status, "{path}");
        assert!(
            !String::from_utf8_lossy(&got.body).contains("SECRET"),
            "{path}"
        );
        if status == 200 {
            assert_eq!(got.body, b"inside", "{path}");
        }
    }
    // Targets curl will not send.
    for target in ["../secret", "sub/file", "http://127.0.0.1/sub/file"] {
        let answer = raw(
            &site.server,
            &format!("GET {target} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"),
        );
        assert_eq!(status_line(&answer), "HTTP/1.1 400 Bad Request", "{target}");
    }
    for request in [
        "BROKEN\r\n\r\n",
        "GET / HTTP/2\r\n\r\n",
        "GET /sub/file HTTP/1.1\r\nno colon\r\n\r\n",
    ] {
        let answer = raw(&site.server, request);
        assert_eq!(
            status_line(&answer),
            "HTTP/1.1 400 Bad Request",
            "{request:?}"
        );
    }

    let logged: Vec<(String, Option<u16>)> = site
        .server
        .log()
        .into_iter()
        .map(|h| (h.path, h.status))
        .collect();
    let mut expected: Vec<(String, Option<u16>)> = cases
        .iter()
        .map(|(p, s)| (format!("/{p}"), Some(*s)))
        .collect();
    // Targets that parse are logged with their 400; broken requests are not.
    for target in ["../secret", "sub/file", "http://127.0.0.1/sub/file"] {
        expected.push((target.to_string(), Some(400)));
    }
    assert_eq!(logged, expected);
}

// ---------------------------------------------------------------- shutdown

/// The names of this process's threads.
fn thread_names() -> Vec<String> {
    fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|t| fs::read_to_string(t.ok()?.path().join("comm")).ok())
        .map(|n| n.trim().to_string())
        .collect()
}

#[test]
fn dropping_the_server_stops_it() {
    let site = Site::new(&[("a", b"alpha")]);
    let srv = site.server;
    let addr = srv.addr();
    srv.fault("stall", Fault::Stall(Duration::from_secs(60)));

    // An idle kept-alive connection, and a request stalled by a fault.
    let mut idle = TcpStream::connect(addr).unwrap();
    idle.write_all(b"GET /a HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    assert_eq!(read_response(&mut idle).1, b"alpha");
    let mut stalled = TcpStream::connect(addr).unwrap();
    stalled
        .write_all(b"GET /stall HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    // The stall is logged before it starts: wait for it to have started.
    let t = Instant::now();
    while srv.log().len() < 2 {
        assert!(
            t.elapsed() < Duration::from_secs(10),
            "{:?}",
            srv.log_lines()
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    let ours = [
        format!("httpd-{}", addr.port()),
        format!("httpc-{}", addr.port()),
    ];
    let running = thread_names();
    assert_eq!(
        running.iter().filter(|n| **n == ours[0]).count(),
        1,
        "{running:?}"
    );
    assert_eq!(
        running.iter().filter(|n| **n == ours[1]).count(),
        2,
        "{running:?}"
    );

    let t = Instant::now();
    drop(srv);
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());

    // Both connections were closed, no thread is left, the port is shut.
    for stream in [&mut idle, &mut stalled] {
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut rest = Vec::new();
        assert_eq!(stream.read_to_end(&mut rest).ok(), Some(0));
    }
    let left: Vec<String> = thread_names()
        .into_iter()
        .filter(|n| ours.contains(n))
        .collect();
    assert_eq!(left, Vec::<String>::new());
    let refused = TcpStream::connect(addr).unwrap_err();
    assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
}

// ---------------------------------------------------------------- other clients

const URLLIB_CLIENT: &str = r#"
import email.utils, hashlib, json, sys, urllib.error, urllib.request

base, mtime = sys.argv[1], int(sys.argv[2])
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

def fetch(path, method="GET", **headers):
    request = urllib.request.Request(base + path, method=method, headers=headers)
    try:
        response = opener.open(request, timeout=10)
    except urllib.error.HTTPError as e:
        response = e
    with response:
        body = response.read()
    h = response.headers
    modified = h.get("Last-Modified")
    return {
        "status": response.getcode(),
        "sha256": hashlib.sha256(body).hexdigest(),
        "length": h.get("Content-Length"),
        "range": h.get("Content-Range"),
        "etag": h.get("ETag"),
        "modified": modified and int(email.utils.parsedate_to_datetime(modified).timestamp()),
    }

full = fetch("data.bin")
print(json.dumps({
    "full": full,
    "head": fetch("data.bin", method="HEAD"),
    "range": fetch("data.bin", Range="bytes=100-199"),
    "etag": fetch("data.bin", **{"If-None-Match": full["etag"]}),
    "since": fetch("data.bin", **{"If-Modified-Since": email.utils.formatdate(mtime, usegmt=True)}),
    "before": fetch("data.bin", **{"If-Modified-Since": email.utils.formatdate(mtime - 1, usegmt=True)}),
    "missing": fetch("missing"),
    "fault": fetch("flaky.bin"),
    "after": fetch("flaky.bin"),
}))
"#;

#[test]
fn python_urllib_client() {
    need!("http_server::python_urllib_client", tools(&["python3"]));
    let content = data(4000, 6);
    let site = Site::new(&[("data.bin", &content), ("flaky.bin", &content)]);
    site.server.fault("flaky.bin", Fault::Status(503));
    let out: Output = Command::new("python3")
        .args([
            "-c",
            URLLIB_CLIENT,
            &site.server.base_url(),
            &MTIME.to_string(),
        ])
        .env_remove("PYTHONPATH")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();

    let tag = etag(&content);
    let whole = sha256_bytes(&content);
    let entity = |status: u16, sha: &str, length: &str, range: Option<&str>| {
        serde_json::json!({
            "status": status, "sha256": sha, "length": length, "range": range,
            "etag": tag, "modified": MTIME,
        })
    };
    let error = |status: u16, body: &str| {
        serde_json::json!({
            "status": status, "sha256": sha256_bytes(body.as_bytes()),
            "length": body.len().to_string(), "range": null, "etag": null, "modified": null,
        })
    };
    let not_modified = serde_json::json!({
        "status": 304, "sha256": sha256_bytes(b""), "length": null, "range": null,
        "etag": tag, "modified": MTIME,
    });
    let expected = serde_json::json!({
        "full": entity(200, &whole, "4000", None),
        "head": entity(200, &sha256_bytes(b""), "4000", None),
        "range": entity(206, &sha256_bytes(&content[100..200]), "100", Some("bytes 100-199/4000")),
        "etag": not_modified,
        "since": not_modified,
        "before": entity(200, &whole, "4000", None),
        "missing": error(404, "404 Not Found\n"),
        "fault": error(503, "503 Service Unavailable\n"),
        "after": entity(200, &whole, "4000", None),
    });
    assert_eq!(got, expected);
}

// ---------------------------------------------------------------- dates

#[test]
fn http_dates_match_gnu_date() {
    need!("http_server::http_dates_match_gnu_date", tools(&["date"]));
    // The epoch, RFC 9110's example, leap days, a century that is not a leap
    // year, the end of 2099 and of 9999.
    for secs in [
        0u64,
        784_111_777,
        951_782_400,
        MTIME,
        4_107_542_399,
        4_102_444_799,
        253_402_300_799,
    ] {
        let t = UNIX_EPOCH + Duration::from_secs(secs);
        let out = Command::new("date")
            .env("LC_ALL", "C")
            .args([
                "-u",
                "-d",
                &format!("@{secs}"),
                "+%a, %d %b %Y %H:%M:%S GMT",
            ])
            .output()
            .unwrap();
        let expected = String::from_utf8(out.stdout).unwrap();
        assert_eq!(http_date(t), expected.trim_end(), "{secs}");
        assert_eq!(parse_http_date(&http_date(t)), Some(t), "{secs}");
    }
    assert_eq!(
        http_date(UNIX_EPOCH + Duration::from_secs(784_111_777)),
        "Sun, 06 Nov 1994 08:49:37 GMT"
    );
    for bad in [
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "Wed, 31 Dec 1969 23:59:59 GMT",
    ] {
        assert_eq!(parse_http_date(bad), None, "{bad}");
    }
}
