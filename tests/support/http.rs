//! A loopback HTTP/1.1 server for tests: it serves a directory (GET and
//! HEAD) and injects faults on demand, so a client's retries, resumes,
//! failover, revalidation and timeouts can be tested without the internet.
//!
//! ```ignore
//! let srv = HttpServer::serve(dir.path());
//! srv.faults("repodata/*.xml.gz", [Fault::Status(503), Fault::DropAfter(100)]);
//! fetch(&srv.url("repodata/primary.xml.gz"));        // the client under test
//! assert_eq!(srv.log_lines(), [
//!     "GET /repodata/primary.xml.gz -> 503 Status(503)",
//!     "GET /repodata/primary.xml.gz -> 200 DropAfter(100)",
//!     "GET /repodata/primary.xml.gz bytes=100- -> 206",
//! ]);
//! ```
//!
//! What it does, and where it departs from a general-purpose server:
//! - Only 127.0.0.1, only std: one thread accepts, one thread per
//!   connection. Connections are kept alive (HTTP/1.1 without
//!   `Connection: close`), as pooling clients expect.
//! - Paths are percent-decoded, then must stay inside the directory: a `..`
//!   segment, a NUL, invalid UTF-8 or a target not starting with `/` is 400;
//!   a symlink leading outside, a directory or a missing file is 404.
//! - `ETag` is a hash of the content (so rewriting a file with the same bytes
//!   keeps it), `Last-Modified` the file's mtime in whole seconds (the
//!   protocol's resolution: change a file within the same second and only the
//!   ETag tells). `If-None-Match` wins over `If-Modified-Since`, as RFC 9110
//!   says; dates are read in the IMF-fixdate form only (the one every
//!   current client sends); others are ignored, as an invalid date must be.
//! - One range per request: `bytes=N-`, `bytes=N-M`, `bytes=-N` give 206;
//!   any other `bytes=` value (several ranges, N > M, past the end) gives 416
//!   with `Content-Range: bytes */LEN`. Other units are ignored (200), as
//!   RFC 9110 allows. `If-Range` is honoured.
//! - A request whose request line cannot be parsed gets 400 and is not
//!   logged; every other request is logged *before* its response is sent,
//!   so a client that has seen a response always finds its entry.
//! - Dropping the server stops it: blocking reads, stalls and slow sends
//!   are interrupted, every thread is joined (a panic in one of them fails
//!   the test). Threads are named `httpd-PORT` and `httpc-PORT`.

use std::collections::HashMap;
use std::fmt;
use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A misbehaviour, answering one request. Faults wait in a queue; a request
/// takes the first one whose pattern matches its path (see
/// [`HttpServer::fault`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this status (200..=599) and a short text body instead of
    /// the file, whether or not the file exists.
    Status(u16),
    /// Send the headers (with the full Content-Length), then the first n
    /// bytes of the body, then close the connection: a transfer cut short,
    /// to be resumed with a Range request.
    DropAfter(usize),
    /// Read the request, send nothing for this long, then close the
    /// connection without an answer: a server that hangs.
    Stall(Duration),
    /// Send the headers and the first n bytes of the body, then nothing for
    /// this long, then close: a transfer that hangs half way.
    StallAfter(usize, Duration),
    /// Send the body with its middle byte (index len/2) inverted: same
    /// length, wrong checksum.
    Corrupt,
    /// Send the body no faster than this many bytes per second.
    Slow(u64),
}

/// One request, as the log records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// The connection it came on, numbered from 1 in accept order: equal
    /// numbers mean a kept-alive connection was reused.
    pub conn: u64,
    pub method: String,
    /// The request target as sent (not decoded), query included.
    pub path: String,
    /// The `Range` header as sent.
    pub range: Option<String>,
    /// The status sent; `None` when nothing was ([`Fault::Stall`]).
    pub status: Option<u16>,
    /// The fault that answered it.
    pub fault: Option<Fault>,
    /// Every request header, names as sent.
    pub headers: Vec<(String, String)>,
}

impl Hit {
    /// A request header, by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

/// `GET /path [RANGE] -> STATUS [FAULT]`, e.g.
/// `GET /a.rpm bytes=100- -> 206` or `GET /b -> none Stall(30s)`.
impl fmt::Display for Hit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)?;
        if let Some(range) = &self.range {
            write!(f, " {range}")?;
        }
        match self.status {
            Some(status) => write!(f, " -> {status}")?,
            None => write!(f, " -> none")?,
        }
        if let Some(fault) = &self.fault {
            write!(f, " {fault:?}")?;
        }
        Ok(())
    }
}

/// The server. Stops when dropped.
pub struct HttpServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

impl HttpServer {
    /// Serve the files under `dir` on 127.0.0.1, on a free port.
    pub fn serve(dir: impl AsRef<Path>) -> HttpServer {
        let dir = dir.as_ref();
        let root = dir
            .canonicalize()
            .unwrap_or_else(|e| panic!("http: serve {}: {e}", dir.display()));
        let listener = TcpListener::bind("127.0.0.1:0").expect("http: bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("http: local_addr");
        let shared = Arc::new(Shared {
            root,
            port: addr.port(),
            state: Mutex::new(State::default()),
            stopping: Mutex::new(false),
            wake: Condvar::new(),
            conns: Mutex::new(Conns::default()),
        });
        let accept = {
            let shared = Arc::clone(&shared);
            thread::Builder::new()
                .name(format!("httpd-{}", addr.port()))
                .spawn(move || accept_loop(&shared, listener))
                .expect("http: spawn the accept thread")
        };
        HttpServer {
            addr,
            shared,
            accept: Some(accept),
        }
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT/`
    pub fn base_url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The URL of `path` (relative to the served directory; a leading `/`
    /// is optional). Not percent-encoded: pass an encoded path if needed.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url(), path.trim_start_matches('/'))
    }

    /// Serve `body` at `path` instead of any file there (or where there is
    /// none), e.g. a generated mirrorlist. Its Last-Modified is now.
    pub fn set_body(&self, path: &str, body: impl Into<Vec<u8>>) {
        let entity = Entity::new(body.into(), unix_secs(SystemTime::now()));
        lock(&self.shared.state)
            .bodies
            .insert(path.trim_start_matches('/').to_string(), entity);
    }

    /// Undo [`set_body`](Self::set_body): the file (if any) is served again.
    pub fn remove_body(&self, path: &str) {
        lock(&self.shared.state)
            .bodies
            .remove(path.trim_start_matches('/'));
    }

    /// Queue `fault` for the next request whose path matches `pattern`: an
    /// exact path or a glob (`repodata/*`, `*.rpm`; `*` also matches `/`),
    /// relative to the served directory, a leading `/` optional, matched
    /// against the percent-decoded path.
    pub fn fault(&self, pattern: &str, fault: Fault) {
        self.faults(pattern, [fault]);
    }

    /// Queue several faults for the next requests matching `pattern`, in
    /// order: `faults("repomd.xml", [Fault::Status(503); 2])` fails the next
    /// two requests for it.
    pub fn faults(&self, pattern: &str, faults: impl IntoIterator<Item = Fault>) {
        let trimmed = pattern.trim_start_matches('/');
        let glob = glob::Pattern::new(trimmed)
            .unwrap_or_else(|e| panic!("http: bad fault pattern {pattern:?}: {e}"));
        let mut state = lock(&self.shared.state);
        for fault in faults {
            if let Fault::Status(status) = fault {
                assert!(
                    (200..=599).contains(&status),
                    "http: Fault::Status({status}) is not a final status"
                );
            }
            state.faults.push((glob.clone(), fault));
        }
    }

    /// The faults no request has taken yet, in queue order, with their
    /// patterns (leading `/` removed).
    pub fn pending_faults(&self) -> Vec<(String, Fault)> {
        lock(&self.shared.state)
            .faults
            .iter()
            .map(|(glob, fault)| (glob.as_str().to_string(), *fault))
            .collect()
    }

    /// Every request so far, in the order they were answered.
    pub fn log(&self) -> Vec<Hit> {
        lock(&self.shared.state).log.clone()
    }

    /// The log, one [`Hit`] display line per request.
    pub fn log_lines(&self) -> Vec<String> {
        lock(&self.shared.state)
            .log
            .iter()
            .map(Hit::to_string)
            .collect()
    }

    /// The log so far, which is then emptied: one phase of a test at a time.
    pub fn take_log(&self) -> Vec<Hit> {
        std::mem::take(&mut lock(&self.shared.state).log)
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.shared.stop();
        // accept() blocks; a connection of our own wakes it up to see the
        // stop flag. If even that fails, leave the thread rather than hang.
        if TcpStream::connect(self.addr).is_err() {
            return;
        }
        if let Some(accept) = self.accept.take() {
            if accept.join().is_err() && !thread::panicking() {
                panic!("http: a server thread panicked (see its message above)");
            }
        }
    }
}

/// The ETag the server gives `content`: a quoted prefix of its sha256.
pub fn etag(content: &[u8]) -> String {
    format!("\"{}\"", &super::sha256_bytes(content)[..16])
}

// ---------------------------------------------------------------- server state

struct Shared {
    /// The served directory, canonical, so a resolved path can be checked
    /// to be under it.
    root: PathBuf,
    port: u16,
    state: Mutex<State>,
    stopping: Mutex<bool>,
    /// Signalled when `stopping` is set: ends stalls and paced sends early.
    wake: Condvar,
    conns: Mutex<Conns>,
}

#[derive(Default)]
struct State {
    faults: Vec<(glob::Pattern, Fault)>,
    bodies: HashMap<String, Entity>,
    log: Vec<Hit>,
}

#[derive(Default)]
struct Conns {
    last_id: u64,
    /// A handle on each open connection, to shut it down when stopping.
    open: HashMap<u64, TcpStream>,
    threads: Vec<JoinHandle<()>>,
}

/// What is served at a path: the bytes and their validators.
#[derive(Clone)]
struct Entity {
    body: Vec<u8>,
    /// Seconds since the epoch.
    modified: u64,
    etag: String,
}

impl Entity {
    fn new(body: Vec<u8>, modified: u64) -> Entity {
        let etag = etag(&body);
        Entity {
            body,
            modified,
            etag,
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking test thread must not turn every later call into a panic.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    fn is_stopping(&self) -> bool {
        *lock(&self.stopping)
    }

    /// Set the stop flag first, then shut every open connection down:
    /// `adopt` registers a connection only while the flag is unset, under
    /// the `conns` lock, so none escapes.
    fn stop(&self) {
        *lock(&self.stopping) = true;
        self.wake.notify_all();
        for stream in lock(&self.conns).open.values() {
            // Unblocks the connection's thread; it may have closed already.
            let _ = stream.shutdown(Shutdown::Both);
        }
    }

    /// Wait `d`, or less if the server is stopping. Whether it still runs.
    fn pause(&self, d: Duration) -> bool {
        let deadline = Instant::now() + d;
        let mut stopping = lock(&self.stopping);
        while !*stopping {
            let now = Instant::now();
            if now >= deadline {
                return true;
            }
            stopping = self
                .wake
                .wait_timeout(stopping, deadline - now)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        false
    }

    /// Start a thread for a new connection, unless the server is stopping.
    fn adopt(self: &Arc<Self>, stream: TcpStream) -> bool {
        let mut conns = lock(&self.conns);
        if self.is_stopping() {
            return false;
        }
        let Ok(handle) = stream.try_clone() else {
            return true; // dropped: the client sees a reset, the server goes on
        };
        conns.last_id += 1;
        let id = conns.last_id;
        conns.open.insert(id, handle);
        let shared = Arc::clone(self);
        let thread = thread::Builder::new()
            .name(format!("httpc-{}", self.port))
            .spawn(move || {
                serve_connection(&shared, id, stream);
                lock(&shared.conns).open.remove(&id);
            })
            .expect("http: spawn a connection thread");
        conns.threads.push(thread);
        true
    }

    /// Remove and return the first queued fault matching `path`.
    fn take_fault(&self, path: &str) -> Option<Fault> {
        let mut state = lock(&self.state);
        let i = state.faults.iter().position(|(g, _)| g.matches(path))?;
        Some(state.faults.remove(i).1)
    }

    fn record(&self, hit: Hit) {
        lock(&self.state).log.push(hit);
    }

    /// The generated body or the file at `path` (decoded, relative).
    fn lookup(&self, path: &str) -> Option<Entity> {
        if let Some(entity) = lock(&self.state).bodies.get(path) {
            return Some(entity.clone());
        }
        // Resolve symlinks, then check the result is still inside the root.
        let real = self.root.join(path).canonicalize().ok()?;
        if !real.starts_with(&self.root) {
            return None;
        }
        let meta = fs::metadata(&real).ok()?;
        if !meta.is_file() {
            return None;
        }
        let modified = unix_secs(meta.modified().ok()?);
        Some(Entity::new(fs::read(&real).ok()?, modified))
    }
}

fn accept_loop(shared: &Arc<Shared>, listener: TcpListener) {
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                if !shared.adopt(stream) {
                    break;
                }
            }
            Err(_) if shared.is_stopping() => break,
            // EMFILE and the like: wait a little instead of spinning.
            Err(_) => thread::sleep(Duration::from_millis(10)),
        }
    }
    let threads = std::mem::take(&mut lock(&shared.conns).threads);
    let panicked = threads
        .into_iter()
        .map(JoinHandle::join)
        .filter(Result::is_err)
        .count();
    assert_eq!(
        panicked, 0,
        "http: {panicked} connection thread(s) panicked"
    );
}

// ---------------------------------------------------------------- requests

/// Cap on a request's line and headers: the server only takes GET and HEAD.
const MAX_HEAD: u64 = 64 * 1024;

struct Request {
    method: String,
    target: String,
    /// HTTP/1.0 closes after each response unless asked otherwise.
    http10: bool,
    headers: Vec<(String, String)>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }

    fn keep_alive(&self) -> bool {
        let connection = self.header("connection").unwrap_or("").to_ascii_lowercase();
        if self.http10 {
            connection.contains("keep-alive")
        } else {
            !connection.contains("close")
        }
    }
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

enum ReadError {
    /// The client closed the connection (or it broke): nothing to answer.
    Closed,
    /// Not HTTP/1.x as this server reads it: answer 400 and close.
    Bad,
}

/// Read one request's line and headers; a body (none is expected) is
/// read and discarded so the next request on the connection lines up.
fn read_request(reader: &mut BufReader<TcpStream>) -> Result<Request, ReadError> {
    let mut budget = MAX_HEAD;
    // RFC 9112 §2.2: empty lines before a request line are ignored.
    let line = loop {
        let line = read_line(reader, &mut budget)?;
        if !line.is_empty() {
            break line;
        }
    };
    let parts: Vec<&str> = line.split(' ').collect();
    let [method, target, version] = parts[..] else {
        return Err(ReadError::Bad);
    };
    if !version.starts_with("HTTP/1.") || method.is_empty() || target.is_empty() {
        return Err(ReadError::Bad);
    }
    let mut headers = Vec::new();
    loop {
        let line = read_line(reader, &mut budget)?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').ok_or(ReadError::Bad)?;
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(ReadError::Bad);
        }
        headers.push((name.to_string(), value.trim().to_string()));
    }
    let request = Request {
        method: method.to_string(),
        target: target.to_string(),
        http10: version == "HTTP/1.0",
        headers,
    };
    skip_body(reader, &request)?;
    Ok(request)
}

/// One line without its CRLF (or bare LF), charged to `budget`.
fn read_line(reader: &mut BufReader<TcpStream>, budget: &mut u64) -> Result<String, ReadError> {
    if *budget == 0 {
        return Err(ReadError::Bad);
    }
    let mut line = Vec::new();
    let n = reader
        .by_ref()
        .take(*budget)
        .read_until(b'\n', &mut line)
        .map_err(|_| ReadError::Closed)?;
    if n == 0 {
        return Err(ReadError::Closed);
    }
    *budget -= n as u64;
    if line.pop() != Some(b'\n') {
        // Over budget, or the connection ended mid-line.
        return Err(if *budget == 0 {
            ReadError::Bad
        } else {
            ReadError::Closed
        });
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    String::from_utf8(line).map_err(|_| ReadError::Bad)
}

fn skip_body(reader: &mut BufReader<TcpStream>, request: &Request) -> Result<(), ReadError> {
    if request.header("transfer-encoding").is_some() {
        return Err(ReadError::Bad); // chunked request bodies: not for GET
    }
    let Some(length) = request.header("content-length") else {
        return Ok(());
    };
    let length: u64 = length.parse().map_err(|_| ReadError::Bad)?;
    let skipped = io::copy(&mut reader.by_ref().take(length), &mut io::sink())
        .map_err(|_| ReadError::Closed)?;
    if skipped == length {
        Ok(())
    } else {
        Err(ReadError::Closed)
    }
}

/// The path a request target names, percent-decoded and relative to the
/// root (`a/b.rpm`), or `None` if it is malformed or tries to leave the
/// root. `.` and empty segments are dropped.
fn resolve_target(target: &str) -> Option<String> {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let rest = path.strip_prefix('/')?;
    let decoded = String::from_utf8(percent_decode(rest)?).ok()?;
    if decoded.contains('\0') {
        return None;
    }
    let mut segments = Vec::new();
    // Split after decoding, so an encoded `%2e%2e%2f` is caught as well.
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s => segments.push(s),
        }
    }
    Some(segments.join("/"))
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

// ---------------------------------------------------------------- responses

struct Response {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    /// False for HEAD and 304: headers only (Content-Length still that of
    /// the body a GET would get).
    send_body: bool,
}

impl Response {
    fn new(status: u16, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Date", http_date(SystemTime::now()))],
            body,
            send_body: status != 304 && status != 204,
        }
    }

    /// An error or fault status with a one-line text body.
    fn text(status: u16) -> Response {
        let mut r = Response::new(
            status,
            format!("{status} {}\n", reason(status)).into_bytes(),
        );
        r.headers.push(("Content-Type", "text/plain".into()));
        r
    }

    fn with(mut self, name: &'static str, value: String) -> Response {
        self.headers.push((name, value));
        self
    }

    /// The status line and headers. 304 and 204 carry no Content-Length:
    /// they never have a body.
    fn head(&self, close: bool) -> Vec<u8> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head += &format!("{name}: {value}\r\n");
        }
        if self.status != 304 && self.status != 204 {
            head += &format!("Content-Length: {}\r\n", self.body.len());
        }
        if close {
            head += "Connection: close\r\n";
        }
        head += "\r\n";
        head.into_bytes()
    }

    fn head_and_body(&self, close: bool) -> Vec<u8> {
        [self.head(close), self.payload().to_vec()].concat()
    }

    /// The body bytes to send.
    fn payload(&self) -> &[u8] {
        if self.send_body {
            &self.body
        } else {
            &[]
        }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        416 => "Range Not Satisfiable",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

/// Answer requests on one connection until it closes or must close.
fn serve_connection(shared: &Shared, conn: u64, stream: TcpStream) {
    // Headers and body go out in one write where possible; with Nagle on,
    // a second small write would wait for the client's delayed ACK.
    let _ = stream.set_nodelay(true);
    let Ok(mut out) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    loop {
        let request = match read_request(&mut reader) {
            Ok(request) => request,
            Err(ReadError::Closed) => return,
            Err(ReadError::Bad) => {
                let _ = out.write_all(&Response::text(400).head_and_body(true));
                let _ = out.shutdown(Shutdown::Write);
                return;
            }
        };
        if !answer(shared, conn, &request, &mut out) || !request.keep_alive() {
            let _ = out.shutdown(Shutdown::Write);
            return;
        }
    }
}

/// Answer one request, faults included. Whether the connection can carry
/// another request.
fn answer(shared: &Shared, conn: u64, request: &Request, out: &mut TcpStream) -> bool {
    let path = resolve_target(&request.target);
    // A malformed target takes no fault: faults are for paths.
    let fault = path.as_deref().and_then(|p| shared.take_fault(p));
    let hit = |status| Hit {
        conn,
        method: request.method.clone(),
        path: request.target.clone(),
        range: request.header("range").map(str::to_string),
        status,
        fault,
        headers: request.headers.clone(),
    };
    if let Some(Fault::Stall(d)) = fault {
        shared.record(hit(None));
        shared.pause(d);
        return false;
    }
    let mut response = match (fault, &path) {
        (Some(Fault::Status(status)), _) => Response::text(status),
        (_, None) => Response::text(400),
        (_, Some(path)) => respond(shared, request, path),
    };
    if request.method == "HEAD" {
        response.send_body = false;
    }
    shared.record(hit(Some(response.status)));
    let close = !request.keep_alive();
    send(shared, out, &response, fault, close).unwrap_or(false)
}

/// The normal answer for `path`: the file (or generated body), a range of
/// it, 304, 404, 405 or 416.
fn respond(shared: &Shared, request: &Request, path: &str) -> Response {
    if request.method != "GET" && request.method != "HEAD" {
        return Response::text(405).with("Allow", "GET, HEAD".into());
    }
    let Some(entity) = shared.lookup(path) else {
        return Response::text(404);
    };
    let validators = [
        ("ETag", entity.etag.clone()),
        ("Last-Modified", http_date(from_unix_secs(entity.modified))),
    ];
    // RFC 9110 §13.2.2: preconditions before Range.
    if not_modified(request, &entity) {
        let mut r = Response::new(304, Vec::new());
        r.headers.extend(validators);
        return r;
    }
    let len = entity.body.len() as u64;
    let mut response = match pick_range(request, &entity) {
        Ranged::Whole => Response::new(200, entity.body),
        Ranged::Part(first, last) => {
            let part = entity.body[first as usize..=last as usize].to_vec();
            Response::new(206, part).with("Content-Range", format!("bytes {first}-{last}/{len}"))
        }
        Ranged::Unsatisfiable => {
            return Response::text(416).with("Content-Range", format!("bytes */{len}"));
        }
    };
    response.headers.extend(validators);
    response.headers.push(("Accept-Ranges", "bytes".into()));
    response
        .headers
        .push(("Content-Type", "application/octet-stream".into()));
    response
}

/// `If-None-Match` (weak comparison, `*`), else `If-Modified-Since`.
fn not_modified(request: &Request, entity: &Entity) -> bool {
    if let Some(tags) = request.header("if-none-match") {
        return tags
            .split(',')
            .map(str::trim)
            .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == entity.etag);
    }
    match request
        .header("if-modified-since")
        .and_then(parse_http_date)
    {
        Some(since) => entity.modified <= unix_secs(since),
        None => false,
    }
}

enum Ranged {
    Whole,
    /// First and last byte, inclusive, as Content-Range writes them.
    Part(u64, u64),
    Unsatisfiable,
}

fn pick_range(request: &Request, entity: &Entity) -> Ranged {
    let Some(range) = request.header("range") else {
        return Ranged::Whole;
    };
    // If-Range: the range only if the client's copy is still current
    // (strong comparison: a weak tag never matches).
    if let Some(validator) = request.header("if-range") {
        let current = if validator.starts_with('"') {
            validator == entity.etag
        } else {
            parse_http_date(validator).map(unix_secs) == Some(entity.modified)
        };
        if !current {
            return Ranged::Whole;
        }
    }
    parse_range(range, entity.body.len() as u64)
}

/// A `Range` value against a body of `len` bytes.
fn parse_range(range: &str, len: u64) -> Ranged {
    let Some(set) = range.trim().strip_prefix("bytes=") else {
        return Ranged::Whole; // another unit: ignored
    };
    let Some((first, last)) = set.trim().split_once('-') else {
        return Ranged::Unsatisfiable;
    };
    let number = |s: &str| {
        let s = s.trim();
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u64>().ok())
            .flatten()
    };
    match (first.trim().is_empty(), number(first), number(last)) {
        // bytes=-N: the last N bytes
        (true, _, Some(n)) if n > 0 && len > 0 => Ranged::Part(len - n.min(len), len - 1),
        // bytes=N-
        (false, Some(first), None) if last.trim().is_empty() && first < len => {
            Ranged::Part(first, len - 1)
        }
        // bytes=N-M
        (false, Some(first), Some(last)) if first <= last && first < len => {
            Ranged::Part(first, last.min(len - 1))
        }
        _ => Ranged::Unsatisfiable,
    }
}

/// Send `response`, misbehaving as `fault` says. Whether the connection
/// can carry another request.
fn send(
    shared: &Shared,
    out: &mut TcpStream,
    response: &Response,
    fault: Option<Fault>,
    close: bool,
) -> io::Result<bool> {
    let head = response.head(close);
    let body = response.payload();
    match fault {
        Some(Fault::DropAfter(n)) => {
            out.write_all(&[&head[..], &body[..n.min(body.len())]].concat())?;
            Ok(false)
        }
        Some(Fault::StallAfter(n, d)) => {
            out.write_all(&[&head[..], &body[..n.min(body.len())]].concat())?;
            shared.pause(d);
            Ok(false)
        }
        Some(Fault::Corrupt) => {
            let mut body = body.to_vec();
            let middle = body.len() / 2;
            if let Some(b) = body.get_mut(middle) {
                *b = !*b;
            }
            out.write_all(&[head, body].concat())?;
            Ok(true)
        }
        Some(Fault::Slow(bytes_per_sec)) => {
            out.write_all(&head)?;
            send_paced(shared, out, body, bytes_per_sec)?;
            Ok(true)
        }
        _ => {
            out.write_all(&[&head[..], body].concat())?;
            Ok(true)
        }
    }
}

/// Write `body` so that byte k goes out no sooner than k / rate seconds
/// after the start, in about 20 writes a second.
fn send_paced(shared: &Shared, out: &mut TcpStream, body: &[u8], rate: u64) -> io::Result<()> {
    let rate = rate.max(1);
    let chunk = (rate / 20).clamp(1, 64 * 1024) as usize;
    let start = Instant::now();
    let mut sent = 0u64;
    for piece in body.chunks(chunk) {
        sent += piece.len() as u64;
        let due = start + Duration::from_secs_f64(sent as f64 / rate as f64);
        if !shared.pause(due.saturating_duration_since(Instant::now())) {
            return Err(io::ErrorKind::Interrupted.into());
        }
        out.write_all(piece)?;
    }
    Ok(())
}

// ---------------------------------------------------------------- dates

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn unix_secs(t: SystemTime) -> u64 {
    t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn from_unix_secs(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

/// `t` as an HTTP date (IMF-fixdate): `Sun, 06 Nov 1994 08:49:37 GMT`.
/// Times before 1970 are written as 1970.
pub fn http_date(t: SystemTime) -> String {
    let secs = unix_secs(t);
    let days = secs / 86_400;
    let (year, month, day) = civil_from_days(days as i64);
    let s = secs % 86_400;
    format!(
        "{}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[((days + 4) % 7) as usize], // 1970-01-01 was a Thursday
        MONTHS[month as usize - 1],
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// An IMF-fixdate (the only form read; see the module comment), not
/// before 1970. The weekday is not checked.
pub fn parse_http_date(s: &str) -> Option<SystemTime> {
    let fields: Vec<&str> = s.split_whitespace().collect();
    let [weekday, day, month, year, time, "GMT"] = fields[..] else {
        return None;
    };
    if !weekday.ends_with(',') || day.len() != 2 || year.len() != 4 {
        return None;
    }
    let month = MONTHS.iter().position(|m| *m == month)? as u32 + 1;
    let (day, year): (u32, i64) = (day.parse().ok()?, year.parse().ok()?);
    let hms: Vec<u64> = time
        .split(':')
        .map(|f| if f.len() == 2 { f.parse().ok() } else { None })
        .collect::<Option<_>>()?;
    let [h, m, sec] = hms[..] else { return None };
    if !(1..=31).contains(&day) || h > 23 || m > 59 || sec > 60 {
        return None;
    }
    let days = u64::try_from(days_from_civil(year, month, day)).ok()?;
    Some(from_unix_secs(days * 86_400 + h * 3600 + m * 60 + sec))
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 to (y, m, d).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Howard Hinnant's `days_from_civil`, the inverse of [`civil_from_days`].
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = year - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}
