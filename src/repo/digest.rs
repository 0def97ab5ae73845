//! Typed checksums as repository metadata records them (repomd.xml for
//! metadata files, primary.xml for packages, metalink for repomd.xml), and
//! hashing while reading: a file is verified in the same pass that parses
//! or stores it.

use std::fmt;
use std::io::{self, Read};
use std::sync::{Arc, Mutex};

use sha2::Digest as _;

/// A digest algorithm of yum metadata, or rpm's legacy MD5 (weakest first).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum DigestKind {
    /// rpm's digest over header and payload in packages older than rpm
    /// 4.14; never taken from metadata ([`DigestKind::parse`] refuses it).
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl DigestKind {
    /// The algorithm a `type="…"` attribute names (`sha` is yum's old name
    /// for sha1).
    pub fn parse(name: &str) -> Option<DigestKind> {
        Some(match name.to_ascii_lowercase().as_str() {
            "sha" | "sha1" => DigestKind::Sha1,
            "sha224" => DigestKind::Sha224,
            "sha256" => DigestKind::Sha256,
            "sha384" => DigestKind::Sha384,
            "sha512" => DigestKind::Sha512,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            DigestKind::Md5 => "md5",
            DigestKind::Sha1 => "sha1",
            DigestKind::Sha224 => "sha224",
            DigestKind::Sha256 => "sha256",
            DigestKind::Sha384 => "sha384",
            DigestKind::Sha512 => "sha512",
        }
    }

    /// The checksum of `bytes` held whole.
    pub fn digest(self, bytes: &[u8]) -> Checksum {
        let mut h = self.hasher();
        h.update(bytes);
        h.finish()
    }

    pub fn hasher(self) -> Hasher {
        match self {
            DigestKind::Md5 => Hasher::Md5(md5::Md5::new()),
            DigestKind::Sha1 => Hasher::Sha1(sha1::Sha1::new()),
            DigestKind::Sha224 => Hasher::Sha224(sha2::Sha224::new()),
            DigestKind::Sha256 => Hasher::Sha256(sha2::Sha256::new()),
            DigestKind::Sha384 => Hasher::Sha384(sha2::Sha384::new()),
            DigestKind::Sha512 => Hasher::Sha512(sha2::Sha512::new()),
        }
    }
}

/// A checksum: algorithm and lowercase hex digest.
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Checksum {
    pub kind: DigestKind,
    pub hex: String,
}

impl Default for Checksum {
    /// No digest yet (a record being read); an empty digest matches nothing.
    fn default() -> Checksum {
        Checksum {
            kind: DigestKind::Sha256,
            hex: String::new(),
        }
    }
}

impl Checksum {
    /// `type` and value as metadata gives them; `None` for an algorithm
    /// that is not one of yum's.
    pub fn new(kind: &str, hex: &str) -> Option<Checksum> {
        Some(Checksum {
            kind: DigestKind::parse(kind)?,
            hex: hex.trim().to_ascii_lowercase(),
        })
    }

    pub fn algorithm(&self) -> &'static str {
        self.kind.name()
    }
}

impl fmt::Display for Checksum {
    /// `algorithm:hex`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.algorithm(), self.hex)
    }
}

/// A running digest of one of the kinds.
#[derive(Clone)]
pub enum Hasher {
    Md5(md5::Md5),
    Sha1(sha1::Sha1),
    Sha224(sha2::Sha224),
    Sha256(sha2::Sha256),
    Sha384(sha2::Sha384),
    Sha512(sha2::Sha512),
}

impl Hasher {
    pub fn update(&mut self, bytes: &[u8]) {
        match self {
            Hasher::Md5(h) => h.update(bytes),
            Hasher::Sha1(h) => h.update(bytes),
            Hasher::Sha224(h) => h.update(bytes),
            Hasher::Sha256(h) => h.update(bytes),
            Hasher::Sha384(h) => h.update(bytes),
            Hasher::Sha512(h) => h.update(bytes),
        }
    }

    pub fn finish(self) -> Checksum {
        let (kind, digest) = match self {
            Hasher::Md5(h) => (DigestKind::Md5, h.finalize().to_vec()),
            Hasher::Sha1(h) => (DigestKind::Sha1, h.finalize().to_vec()),
            Hasher::Sha224(h) => (DigestKind::Sha224, h.finalize().to_vec()),
            Hasher::Sha256(h) => (DigestKind::Sha256, h.finalize().to_vec()),
            Hasher::Sha384(h) => (DigestKind::Sha384, h.finalize().to_vec()),
            Hasher::Sha512(h) => (DigestKind::Sha512, h.finalize().to_vec()),
        };
        Checksum {
            kind,
            hex: hex(&digest),
        }
    }
}

/// The sha256 of `bytes`, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    DigestKind::Sha256.digest(bytes).hex
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// A reader that hashes every byte read through it. The digest lives in a
/// shared handle, so that it can be finished after the reader was moved
/// into (and dropped by) a decompressor or parser.
pub struct HashingReader<R> {
    inner: R,
    hasher: Arc<Mutex<Option<Hasher>>>,
}

/// The digest of a [`HashingReader`], finished when reading is done.
#[derive(Clone)]
pub struct PendingDigest(Arc<Mutex<Option<Hasher>>>);

impl<R: Read> HashingReader<R> {
    pub fn new(inner: R, kind: DigestKind) -> (HashingReader<R>, PendingDigest) {
        let hasher = Arc::new(Mutex::new(Some(kind.hasher())));
        let pending = PendingDigest(hasher.clone());
        (HashingReader { inner, hasher }, pending)
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(h) = self.hasher.lock().expect("hasher lock").as_mut() {
            h.update(&buf[..n]);
        }
        Ok(n)
    }
}

impl PendingDigest {
    /// Hash what `rest` still holds (what the reader's consumer did not
    /// read), and finish.
    pub fn finish_with(self, rest: &mut impl Read) -> io::Result<Checksum> {
        let mut hasher = self
            .0
            .lock()
            .expect("hasher lock")
            .take()
            .expect("a digest is finished once");
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = rest.read(&mut buf)?;
            if n == 0 {
                return Ok(hasher.finish());
            }
            hasher.update(&buf[..n]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_of_every_kind_match_coreutils_vectors() {
        // `printf abc | shaNsum`
        let cases = [
            ("sha", "a9993e364706816aba3e25717850c26c9cd0d89d"),
            ("sha224", "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7"),
            ("sha256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ("sha384", "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"),
            ("sha512", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
        ];
        for (name, want) in cases {
            let kind = DigestKind::parse(name).unwrap();
            let (mut r, pending) = HashingReader::new(&b"abc"[..], kind);
            let mut first = [0u8; 1];
            r.read_exact(&mut first).unwrap();
            // Two bytes are left for finish_with to hash.
            let got = pending.finish_with(&mut &b"bc"[..]).unwrap();
            assert_eq!(got, Checksum::new(name, want).unwrap(), "{name}");
        }
        assert_eq!(DigestKind::parse("md5"), None);
    }
}
