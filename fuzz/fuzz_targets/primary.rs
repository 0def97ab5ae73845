//! primary.xml, through the parallel chunked reader (inputs this small are
//! one chunk). Packages of one arch are dropped, so that both the kept and
//! the discarded path run; every dependency list of what was read is walked.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use rootsmith::rpm::DepKind;

fuzz_target!(|data: &[u8]| {
    let Ok(repo) = rootsmith::repo::read_primary(data, Path::new("primary.xml"), |a| a != "i686")
    else {
        return;
    };
    for i in 0..repo.len() {
        for kind in DepKind::ALL {
            for (dep, _pre) in repo.deps(i, kind) {
                let _ = dep.to_string();
            }
        }
        let _ = repo.packages[i].nevra();
    }
});
