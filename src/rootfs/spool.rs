//! File contents live in one unnamed temporary file per image while the tree is
//! built, so memory holds metadata only, whatever the image's size.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::FileExt;
use std::path::Path;

/// Where one file's bytes are in the spool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BlobRef {
    pub offset: u64,
    pub len: u64,
}

/// Why an append failed: the input could not be read, or the spool (the
/// scratch disk) could not be written.
#[derive(Debug)]
pub enum AppendError {
    Read(io::Error),
    Write(io::Error),
}

pub struct Spool {
    file: File,
    end: u64,
}

impl Spool {
    /// A spool in `dir` (the staging area, so large images stay on the output's disk).
    pub fn new_in(dir: &Path) -> io::Result<Spool> {
        Ok(Spool {
            file: tempfile::tempfile_in(dir)?,
            end: 0,
        })
    }

    /// Append everything `input` yields; returns where it landed. Reading
    /// and writing fail apart: a full disk is not a broken package.
    pub fn append(&mut self, input: &mut impl Read) -> Result<BlobRef, AppendError> {
        self.file
            .seek(SeekFrom::Start(self.end))
            .map_err(AppendError::Write)?;
        let mut buf = vec![0u8; 1 << 16];
        let mut len = 0u64;
        loop {
            let n = match input.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(AppendError::Read(e)),
            };
            self.file.write_all(&buf[..n]).map_err(AppendError::Write)?;
            len += n as u64;
        }
        let blob = BlobRef {
            offset: self.end,
            len,
        };
        self.end += len;
        Ok(blob)
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }

    pub fn read(&self, blob: BlobRef) -> io::Result<Vec<u8>> {
        let mut out = vec![0u8; blob.len as usize];
        self.file.read_exact_at(&mut out, blob.offset)?;
        Ok(out)
    }

    /// A reader over one blob, for streaming it into an archive.
    pub fn reader(&self, blob: BlobRef) -> BlobReader<'_> {
        BlobReader {
            file: &self.file,
            pos: blob.offset,
            end: blob.offset + blob.len,
        }
    }
}

pub struct BlobReader<'a> {
    file: &'a File,
    pos: u64,
    end: u64,
}

impl Read for BlobReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want = buf.len().min((self.end - self.pos) as usize);
        if want == 0 {
            return Ok(0);
        }
        let n = self.file.read_at(&mut buf[..want], self.pos)?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "spool is shorter than recorded",
            ));
        }
        self.pos += n as u64;
        Ok(n)
    }
}
