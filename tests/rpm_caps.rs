//! File capabilities: the `security.capability` bytes rootsmith makes from
//! rpm's FILECAPS text must be the bytes `setcap` (libcap, what rpm calls)
//! writes for the same text.

mod support;

use std::process::Command;

use rootsmith::rpm::FileCaps;

const TEXTS: &[&str] = &[
    "=",
    "cap_net_raw=ep",
    "cap_net_raw+ep",
    "cap_net_admin,cap_net_raw+p",
    "cap_sys_admin=eip",
    "cap_chown+i",
    "cap_bpf,cap_perfmon=ep",
    "cap_setuid,cap_setgid=p cap_setuid,cap_setgid+e",
    "cap_dac_override,cap_checkpoint_restore=pe",
];

/// The raw `security.capability` of a file, read by Python (not by us).
fn xattr(path: &std::path::Path) -> Vec<u8> {
    let hex = support::sh(
        Command::new("python3")
            .args([
                "-c",
                "import os, sys; print(os.getxattr(sys.argv[1], 'security.capability').hex())",
            ])
            .arg(path),
    );
    (0..hex.trim().len() / 2)
        .map(|i| u8::from_str_radix(&hex.trim()[2 * i..2 * i + 2], 16).unwrap())
        .collect()
}

#[test]
fn capability_bytes_are_what_setcap_writes() {
    let t = "capability_bytes_are_what_setcap_writes";
    need!(t, support::tools(&["setcap", "python3"]));
    need!(t, support::need_root());
    let tmp = support::tempdir();
    let file = tmp.path().join("f");
    std::fs::write(&file, b"").unwrap();
    for text in TEXTS {
        support::sh(Command::new("setcap").arg(text).arg(&file));
        let ours = FileCaps::parse(text)
            .unwrap_or_else(|e| panic!("{e}"))
            .xattr();
        assert_eq!(ours, xattr(&file), "{text}");
    }
}
