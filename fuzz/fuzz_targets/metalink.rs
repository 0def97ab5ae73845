//! A metalink, as a mirror manager serves it (remote input): any bytes
//! parse or fail with an error, never a panic; a parsed metalink always
//! names a mirror.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(link) = rootsmith::repo::parse_metalink(data, Path::new("metalink")) {
        assert!(!link.mirrors.is_empty());
        let _ = link.accepts(data);
    }
    let _ = rootsmith::repo::parse_mirrorlist(&String::from_utf8_lossy(data));
});
