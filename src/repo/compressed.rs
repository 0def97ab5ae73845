//! Metadata streams: decompression chosen by magic bytes (gzip, xz, zstd,
//! bzip2 or none), bounded in size, with errors that say what is really
//! wrong; and files verified against their recorded checksum in the same
//! pass that parses them.

use std::error::Error as _;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use super::digest::{Checksum, HashingReader};
use super::RepoError;

/// How large a metadata file may grow once decompressed. Parsing streams,
/// so this bounds time, not memory; a decompression bomb stops here.
pub const MAX_METADATA_BYTES: u64 = 16 << 30;

/// comps.xml is parsed as one document, text nodes whole: a smaller cap
/// bounds its memory (Fedora's, all translations included, is ~30 MB).
pub const MAX_COMPS_BYTES: u64 = 256 << 20;

/// repomd.xml is read whole; real ones are a few KB.
pub const MAX_REPOMD_BYTES: u64 = 16 << 20;

/// The cap for a metadata file of repomd.xml's `type`.
pub(crate) fn limit_for(kind: &str) -> u64 {
    match kind {
        "group" | "group_gz" | "group_xz" | "group_zst" => MAX_COMPS_BYTES,
        _ => MAX_METADATA_BYTES,
    }
}

/// A small file read whole (repomd.xml), refused beyond [`MAX_REPOMD_BYTES`].
pub(crate) fn read_small(path: &Path) -> Result<Vec<u8>, RepoError> {
    let file = File::open(path).map_err(|e| RepoError::io(path, e))?;
    let mut bytes = Vec::new();
    file.take(MAX_REPOMD_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| RepoError::io(path, e))?;
    if bytes.len() as u64 > MAX_REPOMD_BYTES {
        return Err(RepoError::TooLarge {
            path: path.to_path_buf(),
            limit: MAX_REPOMD_BYTES,
        });
    }
    Ok(bytes)
}

/// A fault found while reading, carried through `io::Error` (the readers in
/// between only know io) and turned back into a [`RepoError`] that names it.
#[derive(Debug)]
pub(crate) enum ReadFault {
    Corrupt {
        format: &'static str,
        reason: String,
    },
    TooLarge {
        limit: u64,
    },
}

impl fmt::Display for ReadFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadFault::Corrupt { format, reason } => write!(f, "corrupt {format} stream: {reason}"),
            ReadFault::TooLarge { limit } => write!(f, "larger than {limit} bytes decompressed"),
        }
    }
}

impl std::error::Error for ReadFault {}

impl RepoError {
    /// A read error of `path`, as what it really is: a corrupt compressed
    /// stream, a file too large, or an I/O error.
    pub(crate) fn from_read(path: &Path, e: &io::Error) -> RepoError {
        match e
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<ReadFault>())
        {
            Some(ReadFault::Corrupt { format, reason }) => RepoError::Corrupt {
                path: path.to_path_buf(),
                format,
                reason: reason.clone(),
            },
            Some(ReadFault::TooLarge { limit }) => RepoError::TooLarge {
                path: path.to_path_buf(),
                limit: *limit,
            },
            None => RepoError::io(path, io::Error::new(e.kind(), e.to_string())),
        }
    }
}

/// The compression a stream starts with.
fn format_of(magic: &[u8]) -> &'static str {
    match magic {
        [0x1f, 0x8b, ..] => "gzip",
        [0xfd, b'7', b'z', b'X', b'Z', 0, ..] => "xz",
        [0x28, 0xb5, 0x2f, 0xfd, ..] => "zstd",
        [b'B', b'Z', b'h', ..] => "bzip2",
        _ => "none",
    }
}

/// Decompress `input` by its magic bytes, at most `limit` bytes out.
pub fn decompress(
    mut input: impl BufRead + Send + 'static,
    path: &Path,
    limit: u64,
) -> Result<Box<dyn BufRead + Send>, RepoError> {
    let magic = input
        .fill_buf()
        .map_err(|e| RepoError::from_read(path, &e))?;
    let format = format_of(magic);
    let reader: Box<dyn Read + Send> = match format {
        "gzip" => Box::new(flate2::bufread::MultiGzDecoder::new(input)),
        "xz" => Box::new(liblzma::bufread::XzDecoder::new_multi_decoder(input)),
        "zstd" => Box::new(
            zstd::stream::read::Decoder::with_buffer(input)
                .map_err(|e| RepoError::from_read(path, &e))?,
        ),
        "bzip2" => Box::new(bzip2::bufread::MultiBzDecoder::new(input)),
        _ => Box::new(input),
    };
    Ok(Box::new(BufReader::with_capacity(
        1 << 17,
        Guarded {
            inner: reader,
            format,
            limit,
            read: 0,
        },
    )))
}

/// Open a metadata file, decompressing it by its magic bytes.
pub fn open_decompressed(path: &Path) -> Result<Box<dyn BufRead + Send>, RepoError> {
    let file = File::open(path).map_err(|e| RepoError::io(path, e))?;
    decompress(BufReader::new(file), path, MAX_METADATA_BYTES)
}

/// A decompressed stream whose errors say which format failed, cut off at
/// `limit` bytes.
struct Guarded<R> {
    inner: R,
    format: &'static str,
    limit: u64,
    read: u64,
}

impl<R: Read> Read for Guarded<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf).map_err(|e| {
            if self.format == "none" {
                return e;
            }
            let reason = match e.kind() {
                io::ErrorKind::UnexpectedEof => "it ends early (truncated)".to_string(),
                _ => e.source().map_or_else(|| e.to_string(), |s| s.to_string()),
            };
            io::Error::new(
                io::ErrorKind::InvalidData,
                ReadFault::Corrupt {
                    format: self.format,
                    reason,
                },
            )
        })?;
        self.read += n as u64;
        if self.read > self.limit {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                ReadFault::TooLarge { limit: self.limit },
            ));
        }
        Ok(n)
    }
}

/// Parse `path` with `parse` while hashing it, and keep the result only if
/// the file is what `expected` says (`according_to` names who says so:
/// "repomd.xml", "primary.xml"). A mismatch is reported before any parse
/// error, which a corrupt file explains.
pub(crate) fn parse_verified<T>(
    path: &Path,
    expected: &Checksum,
    according_to: &str,
    limit: u64,
    parse: impl FnOnce(Box<dyn BufRead + Send>, &Path) -> Result<T, RepoError>,
) -> Result<T, RepoError> {
    let file = File::open(path).map_err(|e| RepoError::io(path, e))?;
    // The clone shares the file offset: whatever the parser leaves unread
    // is hashed through it afterwards.
    let mut rest = file.try_clone().map_err(|e| RepoError::io(path, e))?;
    let (hashing, digest) = HashingReader::new(file, expected.kind);
    let parsed = decompress(BufReader::with_capacity(1 << 16, hashing), path, limit)
        .and_then(|input| parse(input, path));
    let actual = digest
        .finish_with(&mut rest)
        .map_err(|e| RepoError::io(path, e))?;
    check(path, expected, &actual, according_to)?;
    parsed
}

/// Verify a whole file against its checksum (a package against primary.xml).
pub fn verify_file(path: &Path, expected: &Checksum, according_to: &str) -> Result<(), RepoError> {
    let file = File::open(path).map_err(|e| RepoError::io(path, e))?;
    let (mut hashing, digest) = HashingReader::new(file, expected.kind);
    io::copy(&mut hashing, &mut io::sink()).map_err(|e| RepoError::io(path, e))?;
    let actual = digest
        .finish_with(&mut io::empty())
        .map_err(|e| RepoError::io(path, e))?;
    check(path, expected, &actual, according_to)
}

/// `actual` is `expected`, or the mismatch names both and who said what.
pub(crate) fn check(
    path: &Path,
    expected: &Checksum,
    actual: &Checksum,
    according_to: &str,
) -> Result<(), RepoError> {
    if actual == expected {
        return Ok(());
    }
    Err(RepoError::ChecksumMismatch(Box::new(super::Mismatch {
        path: path.to_path_buf(),
        algorithm: expected.algorithm().to_string(),
        according_to: according_to.to_string(),
        expected: expected.hex.clone(),
        actual: actual.hex.clone(),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn read_all(input: Vec<u8>, limit: u64) -> Result<Vec<u8>, RepoError> {
        let path = Path::new("x.xml");
        let mut out = Vec::new();
        decompress(io::Cursor::new(input), path, limit)?
            .read_to_end(&mut out)
            .map_err(|e| RepoError::from_read(path, &e))?;
        Ok(out)
    }

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn every_format_is_found_by_its_magic() {
        let data = b"<metadata packages=\"0\"/>\n".repeat(100);
        let xz = {
            let mut e = liblzma::write::XzEncoder::new(Vec::new(), 6);
            e.write_all(&data).unwrap();
            e.finish().unwrap()
        };
        let zst = zstd::encode_all(&data[..], 3).unwrap();
        let bz2 = {
            let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
            e.write_all(&data).unwrap();
            e.finish().unwrap()
        };
        for (name, packed) in [
            ("gz", gzip(&data)),
            ("xz", xz),
            ("zst", zst),
            ("bz2", bz2),
            ("plain", data.clone()),
        ] {
            assert_eq!(read_all(packed, u64::MAX).unwrap(), data, "{name}");
        }
    }

    #[test]
    fn a_truncated_or_corrupt_stream_says_so() {
        let packed = gzip(&b"<metadata/>".repeat(1000));
        let err = read_all(packed[..packed.len() / 2].to_vec(), u64::MAX).unwrap_err();
        assert!(
            matches!(&err, RepoError::Corrupt { format: "gzip", .. }),
            "{err}"
        );
        assert!(err.to_string().contains("truncated"), "{err}");
        let mut flipped = packed.clone();
        flipped[20] ^= 0xff;
        let err = read_all(flipped, u64::MAX).unwrap_err();
        assert!(
            matches!(&err, RepoError::Corrupt { format: "gzip", .. }),
            "{err}"
        );
    }

    #[test]
    fn a_bomb_stops_at_the_limit() {
        let bomb = gzip(&vec![0u8; 8 << 20]);
        assert!(bomb.len() < 64 << 10);
        let err = read_all(bomb, 1 << 20).unwrap_err();
        assert!(
            matches!(err, RepoError::TooLarge { limit, .. } if limit == 1 << 20),
            "{err}"
        );
    }

    #[test]
    fn parse_sees_the_data_and_the_checksum_covers_the_whole_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.gz");
        let data = b"<a/>".repeat(50_000);
        let mut packed = gzip(&data);
        std::fs::write(&path, &packed).unwrap();
        let right = Checksum {
            kind: super::super::digest::DigestKind::Sha256,
            hex: super::super::digest::hex(&<sha2::Sha256 as sha2::Digest>::digest(&packed)),
        };
        // The parser reads only a little: the rest is hashed all the same.
        let first = |mut r: Box<dyn BufRead + Send>, _: &Path| {
            let mut four = [0u8; 4];
            r.read_exact(&mut four).unwrap();
            Ok(four)
        };
        assert_eq!(
            parse_verified(&path, &right, "repomd.xml", u64::MAX, first).unwrap(),
            *b"<a/>"
        );
        // One byte more at the end: the first bytes still parse, but the
        // file is not the one repomd.xml describes.
        packed.push(0);
        std::fs::write(&path, &packed).unwrap();
        let err = parse_verified(&path, &right, "repomd.xml", u64::MAX, first).unwrap_err();
        assert!(
            err.to_string()
                .contains("checksum mismatch: repomd.xml says"),
            "{err}"
        );
    }
}
