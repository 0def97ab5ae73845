//! rpm -K's digest checks, made in the same pass as the install: the header
//! digests (from the signature header, over the main header) before any
//! file is written, and the payload's as it streams. The payload digest is
//! PAYLOADDIGEST (sha256 of the compressed payload); a package from before
//! rpm 4.14 has none, and its MD5 over header and payload is checked
//! instead, as rpm checks it.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::{Arc, Mutex};

use md5::Digest as _;
use rpm::{DigestStatus, IndexSignatureTag, IndexTag, PackageMetadata, PackageReader};

use crate::repo::{hex, DigestKind, Hasher};

/// What the payload must hash to, and the hash of what was read so far.
pub(crate) struct PayloadCheck {
    state: Arc<Mutex<Tail>>,
    name: &'static str,
    expected: String,
}

/// The bytes read from `from` on, hashed as they pass.
struct Tail {
    hasher: TailHasher,
    from: u64,
    at: u64,
}

impl Tail {
    /// The next `bytes` of the file.
    fn feed(&mut self, bytes: &[u8]) {
        let start = self.at;
        self.at += bytes.len() as u64;
        let skip = self.from.saturating_sub(start).min(bytes.len() as u64) as usize;
        self.hasher.update(&bytes[skip..]);
    }
}

enum TailHasher {
    Sha(Hasher),
    Md5(md5::Md5),
}

impl TailHasher {
    fn update(&mut self, bytes: &[u8]) {
        match self {
            TailHasher::Sha(h) => h.update(bytes),
            TailHasher::Md5(h) => h.update(bytes),
        }
    }

    fn finish(self) -> String {
        match self {
            TailHasher::Sha(h) => h.finish().hex,
            TailHasher::Md5(h) => hex(&h.finalize()),
        }
    }
}

/// A file read from the start, hashing what lies at or after `from`.
struct Hashing {
    file: File,
    state: Arc<Mutex<Tail>>,
}

impl Read for Hashing {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.file.read(buf)?;
        self.state
            .lock()
            .expect("payload hash lock")
            .feed(&buf[..n]);
        Ok(n)
    }
}

/// Open `path` for install: its header digests verified, and a reader whose
/// payload is hashed as it is read; [`PayloadCheck::finish`] checks it.
pub(crate) fn open_verified(path: &Path) -> Result<(PackageReader, PayloadCheck), String> {
    let mut input = BufReader::new(File::open(path).map_err(|e| e.to_string())?);
    let metadata = PackageMetadata::parse(&mut input).map_err(|e| e.to_string())?;
    let payload_start = input.stream_position().map_err(|e| e.to_string())?;
    check_header(&metadata)?;
    let (hasher, from, name, expected) = payload_digest(&metadata, payload_start)?;
    let state = Arc::new(Mutex::new(Tail {
        hasher,
        from,
        at: 0,
    }));
    let mut file = input.into_inner();
    file.seek(SeekFrom::Start(0)).map_err(|e| e.to_string())?;
    let hashing = Hashing {
        file,
        state: state.clone(),
    };
    let reader = PackageReader::parse(BufReader::new(hashing)).map_err(|e| e.to_string())?;
    Ok((
        reader,
        PayloadCheck {
            state,
            name,
            expected,
        },
    ))
}

/// Every header digest the signature header holds must match (rpm's
/// "Header SHA256 digest: BAD").
fn check_header(metadata: &PackageMetadata) -> Result<(), String> {
    let report = metadata.check_digests().map_err(|e| e.to_string())?;
    for (name, status) in [
        ("SHA1", &report.header_sha1),
        ("SHA256", &report.header_sha256),
        ("SHA3-256", &report.header_sha3_256),
    ] {
        if let DigestStatus::Mismatch { expected, actual } = status {
            return Err(format!(
                "header {name} digest: BAD (the package says {expected}, its header hashes to {actual}): \
                 the header was changed after the package was built"
            ));
        }
    }
    Ok(())
}

/// The payload's digest: PAYLOADDIGEST over the payload, else the legacy
/// MD5 over header and payload. A package with neither cannot be checked
/// and is refused.
fn payload_digest(
    metadata: &PackageMetadata,
    payload_start: u64,
) -> Result<(TailHasher, u64, &'static str, String), String> {
    let digest = metadata
        .header
        .get_entry_data_as_string_array(IndexTag::RPMTAG_PAYLOADSHA256)
        .ok()
        .and_then(|v| v.first().map(|s| s.to_ascii_lowercase()));
    if let Some(expected) = digest {
        let hasher = TailHasher::Sha(DigestKind::Sha256.hasher());
        return Ok((hasher, payload_start, "payload SHA256", expected));
    }
    let md5 = metadata
        .signature
        .get_entry_data_as_binary(IndexSignatureTag::RPMSIGTAG_MD5)
        .map_err(|_| "no payload digest and no MD5: the payload cannot be verified".to_string())?;
    let header = metadata.header_bytes().map_err(|e| e.to_string())?;
    let header_start = payload_start
        .checked_sub(header.len() as u64)
        .ok_or("the header is longer than what precedes the payload")?;
    Ok((
        TailHasher::Md5(md5::Md5::new()),
        header_start,
        "MD5",
        hex(md5),
    ))
}

impl PayloadCheck {
    /// Hash what the install did not read (the end of the compressed
    /// stream) and compare; `path` is read again from where it stopped.
    pub fn finish(&self, path: &Path) -> Result<(), String> {
        let mut tail = self.state.lock().expect("payload hash lock");
        let mut rest = File::open(path).map_err(|e| e.to_string())?;
        rest.seek(SeekFrom::Start(tail.at))
            .map_err(|e| e.to_string())?;
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = rest.read(&mut buf).map_err(|e| e.to_string())?;
            if n == 0 {
                break;
            }
            tail.feed(&buf[..n]);
        }
        let hasher = std::mem::replace(&mut tail.hasher, TailHasher::Md5(md5::Md5::new()));
        let actual = hasher.finish();
        if actual == self.expected {
            return Ok(());
        }
        Err(format!(
            "{} digest: BAD (the package says {}, its content hashes to {actual}): the package is corrupt",
            self.name, self.expected
        ))
    }
}
