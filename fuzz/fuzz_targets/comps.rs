//! comps.xml: groups and environments.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = rootsmith::repo::read_comps(data, Path::new("comps.xml"));
});
