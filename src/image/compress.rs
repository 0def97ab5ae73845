//! xz compression with liblzma's multi-threaded encoder. The block size is fixed,
//! so the output is byte-identical whatever the thread count.

use std::io::{self, Write};

use liblzma::stream::{Check, MtStreamBuilder};
use liblzma::write::XzEncoder;

const PRESET: u32 = 6;
/// liblzma's own default for preset 6 (3 × the 8 MiB dictionary), written down so it never varies.
const BLOCK_SIZE: u64 = 24 << 20;

pub fn xz_writer<W: Write>(out: W) -> io::Result<XzEncoder<W>> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get() as u32)
        .unwrap_or(1);
    let stream = MtStreamBuilder::new()
        .preset(PRESET)
        .threads(threads)
        .block_size(BLOCK_SIZE)
        .check(Check::Crc64)
        .encoder()
        .map_err(io::Error::other)?;
    Ok(XzEncoder::new_stream(out, stream))
}
