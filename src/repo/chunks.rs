//! Large metadata files (primary.xml, filelists.xml) parsed in parallel: the
//! stream is cut into chunks of whole `<package>` elements while it is
//! decompressed, the chunks are parsed on rayon's threads, and the results
//! come back in file order, in bounded memory.

use std::io::{BufRead, Read};
use std::path::Path;

use super::xml::{Position, XmlStream};
use super::RepoError;

/// Decompressed bytes parsed as one piece.
pub(crate) const CHUNK: usize = 4 << 20;

/// The largest `<package>` element read: memory stays bounded whatever a
/// file holds (the largest real ones, kernel-core's file lists, are a few MB).
pub(crate) const MAX_ELEMENT: usize = 64 << 20;

/// A run of whole `<package>` elements, cut after a `</package>`.
pub(crate) struct Chunk {
    pub seq: usize,
    /// Where the chunk starts in the decompressed file.
    pub start: Position,
    pub bytes: Vec<u8>,
    pub last: bool,
}

impl Chunk {
    pub fn first(&self) -> bool {
        self.seq == 0
    }

    /// The chunk as XML. Later chunks reopen `root` (`b"<metadata>"`), so
    /// that the last one may close it; positions in errors stay the file's.
    pub fn xml<'a>(&'a self, path: &Path, root: &'static [u8]) -> XmlStream<impl BufRead + 'a> {
        let prefix = if self.first() { &b""[..] } else { root };
        let start = self.start.before(prefix.len());
        XmlStream::fragment(prefix.chain(&self.bytes[..]), path, start, self.last)
    }
}

/// Parse `input` chunk by chunk (`size` bytes or a little more), in
/// parallel; the results in file order.
pub(crate) fn parse_in_chunks<T: Send>(
    input: impl BufRead + Send,
    path: &Path,
    size: usize,
    parse: impl Fn(&Chunk) -> Result<T, RepoError> + Sync,
) -> Result<Vec<T>, RepoError> {
    use rayon::iter::{ParallelBridge, ParallelIterator};
    let (parsed, read) = std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Chunk>(2);
        let reader = s.spawn(move || cut_chunks(input, path, size, tx));
        let parsed: Vec<(usize, Result<T, RepoError>)> = rx
            .into_iter()
            .par_bridge()
            .map(|c| (c.seq, parse(&c)))
            .collect();
        (
            parsed,
            reader.join().expect("the chunk reader does not panic"),
        )
    });
    read?;
    let mut parsed = parsed;
    parsed.sort_by_key(|(seq, _)| *seq);
    parsed.into_iter().map(|(_, r)| r).collect()
}

/// Read `input` into chunks that end right after a `</package>` and send
/// them in order; the last one holds the rest of the file.
fn cut_chunks(
    mut input: impl BufRead,
    path: &Path,
    size: usize,
    tx: std::sync::mpsc::SyncSender<Chunk>,
) -> Result<(), RepoError> {
    const END: &[u8] = b"</package>";
    let mut pending: Vec<u8> = Vec::with_capacity(size.min(CHUNK) + (1 << 16));
    let (mut seq, mut at) = (0usize, Position::START);
    // How much of `pending` is known to hold no `</package>`: a long
    // element is searched once, not again at every read.
    let mut searched = 0usize;
    loop {
        let got = input
            .fill_buf()
            .map_err(|e| RepoError::from_read(path, &e))?;
        let at_end = got.is_empty();
        pending.extend_from_slice(got);
        let n = got.len();
        input.consume(n);
        if !at_end && pending.len() < size {
            continue;
        }
        let cut = if at_end {
            pending.len()
        } else {
            let from = searched.saturating_sub(END.len() - 1);
            match pending[from..].windows(END.len()).rposition(|w| w == END) {
                Some(i) => from + i + END.len(),
                None if pending.len() > MAX_ELEMENT => {
                    return Err(RepoError::Xml {
                        path: path.to_path_buf(),
                        offset: at.offset,
                        line: at.line,
                        column: at.column,
                        reason: format!(
                            "no </package> in {} MiB: an element this large is refused",
                            MAX_ELEMENT >> 20
                        ),
                    });
                }
                None => {
                    searched = pending.len();
                    continue;
                }
            }
        };
        searched = 0;
        let rest = pending.split_off(cut);
        let bytes = std::mem::replace(&mut pending, rest);
        let next = at.advance(&bytes);
        let chunk = Chunk {
            seq,
            start: at,
            bytes,
            last: at_end,
        };
        if tx.send(chunk).is_err() {
            return Ok(());
        }
        seq += 1;
        at = next;
        if at_end {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// A gigabyte without a `</package>` (what a small decompression bomb
    /// expands to) is refused after MAX_ELEMENT bytes, not held in memory.
    #[test]
    fn an_endless_element_is_refused_at_the_cap() {
        let endless = std::io::BufReader::with_capacity(
            1 << 16,
            b"<metadata><package>".chain(std::io::repeat(b'x').take(1 << 30)),
        );
        let started = std::time::Instant::now();
        let err =
            parse_in_chunks(endless, Path::new("primary.xml"), CHUNK, |_| Ok(())).unwrap_err();
        assert!(err.to_string().contains("no </package> in 64 MiB"), "{err}");
        // Searched once, not once per read.
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    }
}
