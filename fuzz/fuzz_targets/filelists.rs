//! filelists.xml: every file entry is handed to `keep`, which keeps all.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = rootsmith::repo::scan_filelists(
        data,
        Path::new("filelists.xml"),
        |_| true,
        |id, file, out: &mut Vec<(String, String)>| out.push((id.to_string(), file.to_string())),
    );
});
