//! repomd.xml: any bytes parse or fail with an error, never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = rootsmith::repo::Repomd::parse(data, Path::new("repomd.xml"));
});
