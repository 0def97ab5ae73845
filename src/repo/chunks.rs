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
    // How much of `pending` is known to hold no `</package>`: each byte is
    // searched once, not once per read (that was quadratic in the length
    // of a file, or an element, without `</package>`).
    let mut searched = 0usize;
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
            match pending[searched..]
                .windows(END.len())
                .rposition(|w| w == END)
            {
                Some(i) => searched + i + END.len(),
                None => {
                    searched = pending.len().saturating_sub(END.len() - 1);
                    continue;
                }
            }
        };
        let rest = pending.split_off(cut);
        let bytes = std::mem::replace(&mut pending, rest);
        searched = 0;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(input: &[u8], read: usize, size: usize) -> Vec<Vec<u8>> {
        let (tx, rx) = std::sync::mpsc::sync_channel(1 << 12);
        let input = std::io::BufReader::with_capacity(read, input);
        cut_chunks(input, Path::new("p.xml"), size, tx).unwrap();
        rx.into_iter().map(|c| c.bytes).collect()
    }

    /// Chunks end after the last `</package>` read so far, also where reads
    /// split it; a long stretch without one is searched once (see the
    /// regression test below).
    #[test]
    fn chunks_end_after_a_package() {
        let xml = b"<m><package>aaaaaaa</package><package>b</package><x>cccccccccccccccc</x><package>d</package></m>";
        for read in [1, 3, 7, 11, 64] {
            for size in [1, 5, 20, 40, 1000] {
                let chunks = cut(xml, read, size);
                assert_eq!(chunks.concat(), xml, "read {read}, size {size}");
                for c in &chunks[..chunks.len() - 1] {
                    assert!(
                        c.ends_with(b"</package>"),
                        "read {read}, size {size}: {c:?}"
                    );
                }
            }
        }
        // Small chunks: one per package, whatever the reads.
        for read in [1, 3, 9, 10, 11] {
            assert_eq!(cut(xml, read, 1).len(), 4, "read {read}");
        }
    }

    /// Found while fuzzing, by reading the chunker: a stretch of n bytes
    /// without `</package>` was searched again after every read, O(n^2 /
    /// read size) (read_primary with 128 KB reads: 32 MB took 3 s, 1 GB
    /// would take most of an hour).
    #[test]
    fn a_long_stretch_without_package_end_is_searched_once() {
        let mut xml = b"<metadata><package><description>".to_vec();
        xml.resize(8 << 20, b'x');
        xml.extend_from_slice(b"</description></package></metadata>");
        let started = std::time::Instant::now();
        let chunks = cut(&xml, 4 << 10, 64 << 10);
        assert_eq!(chunks.len(), 2);
        assert!(chunks[0].ends_with(b"</package>"));
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    }
}
