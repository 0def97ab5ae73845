//! HTTP(S) downloads: timeouts, retries with backoff on connection errors
//! and 5xx, `Range` resume of a cut transfer, and the bytes hashed as they
//! arrive so that a download is verified in the pass that stores it.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::sync::Arc;
use std::time::Duration;

use reqwest::blocking::{Client, Response};
use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::StatusCode;

use super::activity::Activity;
use super::digest::{Checksum, DigestKind, Hasher};

/// How hard to try, as dnf's `timeout` and `retries` options say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetOptions {
    /// Longest wait for a connection or for the next bytes of a response.
    pub timeout: Duration,
    /// Further attempts after a failed one, per mirror.
    pub retries: u32,
    /// First pause between attempts; it doubles, up to 5 s.
    pub backoff: Duration,
}

impl Default for NetOptions {
    fn default() -> NetOptions {
        NetOptions {
            timeout: Duration::from_secs(30),
            retries: 3,
            backoff: Duration::from_millis(500),
        }
    }
}

/// Why a URL could not be had; whether another attempt may help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetFailure {
    /// Not there (404, 410, 403): try the next mirror.
    Missing(String),
    /// Retries exhausted on errors that might have been transient.
    Failed(String),
    /// The bytes arrived but are not what was expected.
    Mismatch {
        expected: Checksum,
        actual: Checksum,
    },
    /// Larger than allowed.
    TooLarge(u64),
    /// The local file could not be written.
    Local(String),
}

impl std::fmt::Display for NetFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NetFailure::Missing(why) | NetFailure::Failed(why) | NetFailure::Local(why) => {
                f.write_str(why)
            }
            NetFailure::Mismatch { expected, actual } => write!(
                f,
                "{} checksum mismatch: expected {}, got {}",
                expected.algorithm(),
                expected.hex,
                actual.hex
            ),
            NetFailure::TooLarge(limit) => write!(f, "larger than {limit} bytes; refused"),
        }
    }
}

/// A small document fetched whole, with what revalidates it later.
#[derive(Debug, Clone)]
pub enum Small {
    Fresh {
        bytes: Vec<u8>,
        etag: Option<String>,
        last_modified: Option<String>,
    },
    /// 304: the copy we have is current.
    NotModified,
}

/// A blocking HTTP client with rustls (TLS verified against the system's
/// roots), shared by every download of a process.
pub struct Downloader {
    client: Client,
    options: NetOptions,
    activity: Arc<Activity>,
}

/// What an attempt ended with.
enum Attempt {
    Done,
    /// Worth another try (connection error, 5xx, a cut transfer).
    Retry(String),
    Fatal(NetFailure),
}

impl Downloader {
    /// A client; `activity` hears of every byte received and every retry.
    pub fn new(options: NetOptions, activity: Arc<Activity>) -> Result<Downloader, String> {
        let client = Client::builder()
            .user_agent(concat!("rootsmith/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(options.timeout)
            // The blocking client applies this to each wait: for the
            // response head and for every read of the body.
            .timeout(options.timeout)
            .build()
            .map_err(|e| format!("cannot set up the HTTP client: {}", chain(&e)))?;
        Ok(Downloader {
            client,
            options,
            activity,
        })
    }

    /// Download `url` into `file` (which it truncates), hashing as the
    /// bytes arrive; a cut transfer resumes with `Range`. With `expected`,
    /// a mismatch is an error and the file is to be discarded.
    pub fn download(
        &self,
        url: &str,
        file: &mut File,
        expected: Option<&Checksum>,
        limit: u64,
    ) -> Result<Checksum, NetFailure> {
        let kind = expected.map_or(DigestKind::Sha256, |c| c.kind);
        let mut sink = Sink {
            file,
            hasher: kind.hasher(),
            kind,
            written: 0,
            limit,
            activity: &self.activity,
        };
        sink.reset()?;
        self.with_retries(url, |downloader| downloader.attempt(url, &mut sink))?;
        let actual = std::mem::replace(&mut sink.hasher, kind.hasher()).finish();
        match expected {
            Some(want) if *want != actual => Err(NetFailure::Mismatch {
                expected: want.clone(),
                actual,
            }),
            _ => Ok(actual),
        }
    }

    /// A small document (repomd.xml, a mirror list, a metalink), read
    /// whole; `validators` (ETag, Last-Modified of the copy we hold) make
    /// the request conditional.
    pub fn get_small(
        &self,
        url: &str,
        validators: Option<(&str, &str)>,
        limit: u64,
    ) -> Result<Small, NetFailure> {
        let mut result = None;
        self.with_retries(url, |d| {
            let mut headers = HeaderMap::new();
            if let Some((etag, modified)) = validators {
                insert(&mut headers, header::IF_NONE_MATCH, etag);
                insert(&mut headers, header::IF_MODIFIED_SINCE, modified);
            }
            let response = match d.send(url, headers) {
                Ok(r) => r,
                Err(a) => return a,
            };
            if response.status() == StatusCode::NOT_MODIFIED {
                result = Some(Small::NotModified);
                return Attempt::Done;
            }
            let etag = text_header(&response, header::ETAG);
            let last_modified = text_header(&response, header::LAST_MODIFIED);
            let mut bytes = Vec::new();
            let read = response.take(limit + 1).read_to_end(&mut bytes);
            d.activity.received(bytes.len() as u64);
            match read {
                Ok(_) if bytes.len() as u64 > limit => Attempt::Fatal(NetFailure::TooLarge(limit)),
                Ok(_) => {
                    result = Some(Small::Fresh {
                        bytes,
                        etag,
                        last_modified,
                    });
                    Attempt::Done
                }
                Err(e) => Attempt::Retry(format!("reading the response: {}", chain(&e))),
            }
        })?;
        Ok(result.expect("a successful attempt sets the result"))
    }

    fn with_retries(
        &self,
        url: &str,
        mut attempt: impl FnMut(&Downloader) -> Attempt,
    ) -> Result<(), NetFailure> {
        let mut pause = self.options.backoff;
        let mut tries = 0;
        loop {
            match attempt(self) {
                Attempt::Done => return Ok(()),
                Attempt::Fatal(f) => return Err(f),
                Attempt::Retry(why) if tries >= self.options.retries => {
                    let n = tries + 1;
                    return Err(NetFailure::Failed(format!(
                        "{why} (gave up after {n} attempt{})",
                        if n == 1 { "" } else { "s" }
                    )));
                }
                Attempt::Retry(why) => {
                    // A retry is news for whoever watches a nightly job's log.
                    self.activity.warn(&format!(
                        "{url}: {why}; retrying in {:.1} s",
                        pause.as_secs_f64()
                    ));
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_secs(5));
                    tries += 1;
                }
            }
        }
    }

    /// One request: the response if its status is a success, or a 304 to
    /// a conditional request (to any other it is a server's error).
    fn send(&self, url: &str, headers: HeaderMap) -> Result<Response, Attempt> {
        let conditional = headers.contains_key(header::IF_NONE_MATCH)
            || headers.contains_key(header::IF_MODIFIED_SINCE);
        let response = self
            .client
            .get(url)
            .headers(headers)
            .send()
            .map_err(|e| Attempt::Retry(describe(&e)))?;
        let status = response.status();
        if status.is_success() || conditional && status == StatusCode::NOT_MODIFIED {
            return Ok(response);
        }
        let why = format!("HTTP {status}");
        Err(match status.as_u16() {
            404 | 410 | 403 => Attempt::Fatal(NetFailure::Missing(why)),
            408 | 429 | 500..=599 => Attempt::Retry(why),
            _ => Attempt::Fatal(NetFailure::Failed(why)),
        })
    }

    /// One request for what `sink` lacks: all of it, or the rest after a cut.
    fn attempt(&self, url: &str, sink: &mut Sink) -> Attempt {
        let mut headers = HeaderMap::new();
        if sink.written > 0 {
            insert(
                &mut headers,
                header::RANGE,
                &format!("bytes={}-", sink.written),
            );
        }
        let response = match self.send(url, headers) {
            Ok(r) => r,
            Err(a) => return a,
        };
        let resumed = response.status() == StatusCode::PARTIAL_CONTENT
            && text_header(&response, header::CONTENT_RANGE)
                .is_some_and(|r| r.starts_with(&format!("bytes {}-", sink.written)));
        if !resumed {
            // The server sent the whole file (or a range we did not ask for).
            if let Err(f) = sink.reset() {
                return Attempt::Fatal(f);
            }
        }
        sink.fill(response)
    }
}

/// The file a download goes into, and the digest of what it holds.
struct Sink<'a> {
    file: &'a mut File,
    hasher: Hasher,
    kind: DigestKind,
    written: u64,
    limit: u64,
    activity: &'a Activity,
}

impl Sink<'_> {
    fn reset(&mut self) -> Result<(), NetFailure> {
        self.hasher = self.kind.hasher();
        self.written = 0;
        self.file
            .set_len(0)
            .and_then(|_| self.file.seek(SeekFrom::Start(0)).map(drop))
            .map_err(|e| NetFailure::Local(e.to_string()))
    }

    fn fill(&mut self, mut body: Response) -> Attempt {
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = match body.read(&mut buf) {
                Ok(0) => return Attempt::Done,
                Ok(n) => n,
                Err(e) => {
                    return Attempt::Retry(format!(
                        "transfer cut after {} bytes: {}",
                        self.written,
                        chain(&e)
                    ))
                }
            };
            if self.written + n as u64 > self.limit {
                return Attempt::Fatal(NetFailure::TooLarge(self.limit));
            }
            if let Err(e) = self.file.write_all(&buf[..n]) {
                return Attempt::Fatal(NetFailure::Local(e.to_string()));
            }
            self.hasher.update(&buf[..n]);
            self.written += n as u64;
            self.activity.received(n as u64);
        }
    }
}

/// A header, unless `value` is empty (a validator the server never gave).
fn insert(headers: &mut HeaderMap, name: header::HeaderName, value: &str) {
    if value.is_empty() {
        return;
    }
    if let Ok(v) = HeaderValue::from_str(value) {
        headers.insert(name, v);
    }
}

fn text_header(response: &Response, name: header::HeaderName) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// A request that got no response, without reqwest's repetition of the URL.
fn describe(e: &reqwest::Error) -> String {
    let cause = match std::error::Error::source(e) {
        Some(source) => chain(source),
        None => e.to_string(),
    };
    if e.is_timeout() {
        format!("timed out: {cause}")
    } else if e.is_connect() {
        format!("cannot connect: {cause}")
    } else {
        cause
    }
}

/// An error and its causes on one line: reqwest's own message says little
/// ("error sending request") without what caused it.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = cause.source();
    }
    text
}
