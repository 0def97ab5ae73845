//! Metadata files on disk: checksum verification and transparent decompression
//! chosen by the file name's ending, as createrepo_c names them.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use sha2::{Digest, Sha256, Sha384, Sha512};

use super::RepoError;

/// Verify `path` against the checksum repomd.xml records for it.
pub fn verify_checksum(path: &Path, algorithm: &str, expected: &str) -> Result<(), RepoError> {
    let actual = match algorithm {
        "sha256" => file_digest::<Sha256>(path)?,
        "sha384" => file_digest::<Sha384>(path)?,
        "sha512" => file_digest::<Sha512>(path)?,
        other => {
            return Err(RepoError::UnsupportedChecksum {
                path: path.to_path_buf(),
                algorithm: other.to_string(),
            })
        }
    };
    if actual.eq_ignore_ascii_case(expected) {
        Ok(())
    } else {
        Err(RepoError::ChecksumMismatch {
            path: path.to_path_buf(),
            algorithm: algorithm.to_string(),
            expected: expected.to_string(),
            actual,
        })
    }
}

pub fn file_digest<D: Digest + Default>(path: &Path) -> Result<String, RepoError> {
    let mut file = File::open(path).map_err(|e| RepoError::io(path, e))?;
    let mut hasher = D::default();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buf).map_err(|e| RepoError::io(path, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Open a metadata file, decompressing `.gz`, `.xz` and `.zst` on the fly.
pub fn open_decompressed(path: &Path) -> Result<Box<dyn BufRead + Send>, RepoError> {
    let file = File::open(path).map_err(|e| RepoError::io(path, e))?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let reader: Box<dyn Read + Send> = if name.ends_with(".gz") {
        Box::new(flate2::read::MultiGzDecoder::new(BufReader::new(file)))
    } else if name.ends_with(".xz") {
        Box::new(liblzma::read::XzDecoder::new_multi_decoder(BufReader::new(
            file,
        )))
    } else if name.ends_with(".zst") {
        Box::new(zstd::stream::read::Decoder::new(file).map_err(|e| RepoError::io(path, e))?)
    } else if name.ends_with(".bz2") {
        return Err(RepoError::UnsupportedCompression {
            path: path.to_path_buf(),
            kind: "bzip2".into(),
        });
    } else {
        Box::new(file)
    };
    Ok(Box::new(BufReader::with_capacity(1 << 17, reader)))
}
