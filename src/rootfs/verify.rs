//! rpm -K's digest checks, made in the same pass as the install: the header
//! digests (from the signature header, over the main header) before any
//! file is written, and the payload's as it streams. The payload digest is
//! PAYLOADDIGEST (sha256 of the compressed payload); a package from before
//! rpm 4.14 has none, and its MD5 over header and payload is checked
//! instead, as rpm checks it.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read, Seek, SeekFrom};
use std::path::Path;

use rpm::{DigestStatus, IndexSignatureTag, IndexTag, PackageMetadata, PackageReader};

use crate::repo::{hex, Checksum, DigestKind, HashingReader, PendingDigest};

/// What the payload must hash to, and the hash of what was read so far.
pub(crate) struct PayloadCheck {
    digest: PendingDigest,
    /// The package file, sharing its offset with the reader that hashes:
    /// what the install leaves unread is hashed through it.
    rest: File,
    name: &'static str,
    expected: Checksum,
}

/// Open `path` for install: its header digests verified, and a reader whose
/// payload is hashed as it is read; [`PayloadCheck::finish`] checks it.
pub(crate) fn open_verified(path: &Path) -> Result<(PackageReader, PayloadCheck), String> {
    let file = File::open(path).map_err(|e| e.to_string())?;
    let size = file.metadata().map_err(|e| e.to_string())?.len();
    let mut input = BufReader::new(file);
    let metadata = read_headers(&mut input, size)?;
    let payload_start = input.stream_position().map_err(|e| e.to_string())?;
    let header_len = metadata.header_bytes().map_err(|e| e.to_string())?.len() as u64;
    let header_start = payload_start
        .checked_sub(header_len)
        .ok_or("the header is longer than what precedes the payload")?;
    check_size(&metadata, size - header_start)?;
    check_header(&metadata)?;
    let (from, name, expected) = payload_digest(&metadata, header_start, payload_start)?;
    // The reader sees the whole file; only what lies from `from` on is hashed.
    let mut file = input.into_inner();
    let mut unhashed = vec![0u8; from as usize];
    file.seek(SeekFrom::Start(0))
        .and_then(|_| file.read_exact(&mut unhashed))
        .map_err(|e| e.to_string())?;
    let rest = file.try_clone().map_err(|e| e.to_string())?;
    let (hashing, digest) = HashingReader::new(file, expected.kind);
    let reader = PackageReader::parse(BufReader::new(Cursor::new(unhashed).chain(hashing)))
        .map_err(|e| e.to_string())?;
    let check = PayloadCheck {
        digest,
        rest,
        name,
        expected,
    };
    Ok((reader, check))
}

/// The lead and headers, or why they are not a package's: not an RPM at
/// all, cut short, or damaged.
fn read_headers(input: &mut BufReader<File>, size: u64) -> Result<PackageMetadata, String> {
    const LEAD_MAGIC: [u8; 4] = [0xed, 0xab, 0xee, 0xdb];
    let start = input.fill_buf().map_err(|e| e.to_string())?;
    if !start.starts_with(&LEAD_MAGIC) {
        let shown = String::from_utf8_lossy(&start[..start.len().min(16)]).into_owned();
        return Err(format!(
            "not an RPM package: it starts with {shown:?}, not the RPM lead"
        ));
    }
    PackageMetadata::parse(input).map_err(|e| match e {
        rpm::Error::Io(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
            format!("truncated: the file ends ({size} bytes) inside the package headers")
        }
        rpm::Error::InvalidMagic { .. } => {
            "the package headers are damaged: a header magic number is wrong".to_string()
        }
        other => format!("the package headers cannot be read: {other}"),
    })
}

/// The signature header says how long header and payload are together: a
/// shorter file was cut in transfer.
fn check_size(metadata: &PackageMetadata, have: u64) -> Result<(), String> {
    let signature = &metadata.signature;
    let declared = signature
        .get_entry_data_as_u64(IndexSignatureTag::RPMSIGTAG_LONGSIZE)
        .ok()
        .or_else(|| {
            signature
                .get_entry_data_as_u32(IndexSignatureTag::RPMSIGTAG_SIZE)
                .ok()
                .map(u64::from)
        });
    match declared {
        Some(want) if have < want => Err(format!(
            "truncated: its header and payload should be {want} bytes, the file holds {have}"
        )),
        _ => Ok(()),
    }
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
/// MD5 over header and payload; where its bytes start, and its name. A
/// package with neither cannot be checked and is refused.
fn payload_digest(
    metadata: &PackageMetadata,
    header_start: u64,
    payload_start: u64,
) -> Result<(u64, &'static str, Checksum), String> {
    let digest = metadata
        .header
        .get_entry_data_as_string_array(IndexTag::RPMTAG_PAYLOADSHA256)
        .ok()
        .and_then(|v| v.first().map(|s| s.to_ascii_lowercase()));
    if let Some(hex) = digest {
        let expected = Checksum {
            kind: DigestKind::Sha256,
            hex,
        };
        return Ok((payload_start, "payload SHA256", expected));
    }
    let md5 = metadata
        .signature
        .get_entry_data_as_binary(IndexSignatureTag::RPMSIGTAG_MD5)
        .map_err(|_| "no payload digest and no MD5: the payload cannot be verified".to_string())?;
    let expected = Checksum {
        kind: DigestKind::Md5,
        hex: hex(md5),
    };
    Ok((header_start, "MD5", expected))
}

impl PayloadCheck {
    /// Hash what the install did not read (the end of the compressed
    /// stream) and compare.
    pub fn finish(mut self) -> Result<(), String> {
        let actual = self
            .digest
            .finish_with(&mut self.rest)
            .map_err(|e| e.to_string())?;
        if actual == self.expected {
            return Ok(());
        }
        Err(format!(
            "{} digest: BAD (the package says {}, its content hashes to {}): the package is corrupt",
            self.name, self.expected.hex, actual.hex
        ))
    }
}
