//! Large metadata files (primary.xml, filelists.xml) parsed in parallel: the
//! stream is cut into chunks of whole `<package>` elements while it is
//! decompressed, the chunks are parsed on rayon's threads, and the results
//! come back in file order, in bounded memory.

use std::io::{BufRead, Read};
use std::path::Path;

use super::xml::XmlStream;
use super::RepoError;

/// Decompressed bytes parsed as one piece.
pub(crate) const CHUNK: usize = 4 << 20;

/// A run of whole `<package>` elements, cut after a `</package>`.
pub(crate) struct Chunk {
    pub seq: usize,
    /// Offset of the chunk in the decompressed file.
    pub base: u64,
    pub bytes: Vec<u8>,
    pub last: bool,
}

impl Chunk {
    pub fn first(&self) -> bool {
        self.seq == 0
    }

    /// The chunk as XML. Later chunks reopen `root` (`b"<metadata>"`), so
    /// that the last one may close it; offsets in errors stay file offsets.
    pub fn xml<'a>(&'a self, path: &Path, root: &'static [u8]) -> XmlStream<impl BufRead + 'a> {
        let (prefix, base) = if self.first() {
            (&b""[..], self.base)
        } else {
            (root, self.base - root.len() as u64)
        };
        XmlStream::fragment(prefix.chain(&self.bytes[..]), path, base)
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
    let mut pending: Vec<u8> =
        Vec::with_capacity(size.saturating_add(1 << 16).min(CHUNK + (1 << 16)));
    let (mut seq, mut base) = (0usize, 0u64);
    loop {
        let got = input.fill_buf().map_err(|e| RepoError::io(path, e))?;
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
            match pending.windows(END.len()).rposition(|w| w == END) {
                Some(i) => i + END.len(),
                None => continue,
            }
        };
        let rest = pending.split_off(cut);
        let bytes = std::mem::replace(&mut pending, rest);
        let len = bytes.len() as u64;
        let chunk = Chunk {
            seq,
            base,
            bytes,
            last: at_end,
        };
        if tx.send(chunk).is_err() {
            return Ok(());
        }
        seq += 1;
        base += len;
        if at_end {
            return Ok(());
        }
    }
}
