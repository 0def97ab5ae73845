//! filelists.xml: every file of every package. It is large (hundreds of MB
//! open for Fedora) and rarely needed, so it is never held whole: a reader
//! streams it and keeps only the paths a caller asks for.

use std::io::BufRead;
use std::path::Path;

use quick_xml::events::Event;

use super::chunks::{parse_in_chunks, Chunk, CHUNK};
use super::xml::{attr, local};
use super::RepoError;

/// Stream `input` in parallel chunks: a chunk whose raw bytes `may_hold`
/// nothing wanted is not parsed at all; `keep(pkgid, path, out)` sees
/// every file entry of the others (directories and ghosts included, as
/// libsolv indexes them). What it kept, in file order.
pub fn scan_filelists<T: Send>(
    input: impl BufRead + Send,
    path: &Path,
    may_hold: impl Fn(&[u8]) -> bool + Sync,
    keep: impl Fn(&str, &str, &mut Vec<T>) + Sync,
) -> Result<Vec<T>, RepoError> {
    scan_in_chunks(input, path, CHUNK, may_hold, keep)
}

fn scan_in_chunks<T: Send>(
    input: impl BufRead + Send,
    path: &Path,
    size: usize,
    may_hold: impl Fn(&[u8]) -> bool + Sync,
    keep: impl Fn(&str, &str, &mut Vec<T>) + Sync,
) -> Result<Vec<T>, RepoError> {
    let parts = parse_in_chunks(input, path, size, |c| {
        // The first and last chunks are always parsed: they hold the
        // root element, whose absence or truncation is an error.
        if c.first() || c.last || may_hold(&c.bytes) {
            scan_chunk(c, path, &keep)
        } else {
            Ok(Vec::new())
        }
    })?;
    Ok(parts.into_iter().flatten().collect())
}

fn scan_chunk<T>(
    chunk: &Chunk,
    path: &Path,
    keep: &impl Fn(&str, &str, &mut Vec<T>),
) -> Result<Vec<T>, RepoError> {
    let mut xml = chunk.xml(path, b"<filelists>");
    let mut buf = Vec::new();
    let mut file = String::new();
    let mut pkgid: Option<String> = None;
    let mut out = Vec::new();
    let mut opened = false;
    loop {
        match xml.next(&mut buf)? {
            Event::Start(e) => match local(&e) {
                "filelists" => opened = true,
                "package" => {
                    pkgid = Some(
                        attr(&e, "pkgid")
                            .ok_or_else(|| xml.error("<package> without pkgid".into()))?,
                    )
                }
                "file" => {
                    let id = pkgid
                        .as_deref()
                        .ok_or_else(|| xml.error("<file> outside a <package>".into()))?;
                    xml.text_into(&mut file)?;
                    keep(id, &file, &mut out);
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "package" => pkgid = None,
            Event::Eof if chunk.first() && !opened => {
                return Err(xml.error("no <filelists> element: this is not a filelists.xml".into()))
            }
            Event::Eof => return Ok(out),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn everything(pkgid: &str, file: &str, out: &mut Vec<String>) {
        out.push(format!("{pkgid} {file}"));
    }

    #[test]
    fn files_are_attributed_to_their_package() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<filelists xmlns="http://linux.duke.edu/metadata/filelists" packages="2">
<package pkgid="aa" name="a" arch="noarch"><version epoch="0" ver="1" rel="1"/>
  <file>/usr/share/a</file><file type="dir">/usr/share/a.d</file>
</package>
<package pkgid="bb" name="b" arch="x86_64"><version epoch="0" ver="1" rel="1"/>
  <file>/usr/bin/b&amp;c</file>
</package>
</filelists>"#;
        for size in [1, 50, 200, usize::MAX] {
            let seen = scan_in_chunks(
                xml.as_bytes(),
                Path::new("f.xml"),
                size,
                |_| true,
                everything,
            )
            .unwrap();
            assert_eq!(
                seen,
                ["aa /usr/share/a", "aa /usr/share/a.d", "bb /usr/bin/b&c"],
                "chunks of {size}"
            );
        }
    }

    #[test]
    fn a_truncated_file_is_an_error() {
        let xml = "<filelists><package pkgid=\"aa\"><file>/a</file></package>";
        let err =
            scan_filelists(xml.as_bytes(), Path::new("f.xml"), |_| true, everything).unwrap_err();
        assert!(err.to_string().contains("truncated"), "{err}");
        let err = scan_filelists(
            "<metadata/>".as_bytes(),
            Path::new("f.xml"),
            |_| true,
            everything,
        )
        .unwrap_err();
        assert!(err.to_string().contains("not a filelists.xml"), "{err}");
    }

    #[test]
    fn a_file_outside_a_package_is_an_error() {
        let err = scan_filelists(
            "<filelists><file>/x</file></filelists>".as_bytes(),
            Path::new("f.xml"),
            |_| true,
            everything,
        )
        .unwrap_err();
        assert!(err.to_string().contains("f.xml"), "{err}");
    }

    #[test]
    fn chunks_that_cannot_hold_a_wanted_file_are_skipped() {
        let xml = "<filelists><package pkgid=\"aa\"><file>/a</file></package>\n\
                   <package pkgid=\"bb\"><file>/b</file></package>\n\
                   <package pkgid=\"cc\"><file>/c</file></package>\n\
                   <package pkgid=\"dd\"><file>/d</file></package></filelists>";
        let only_c = |bytes: &[u8]| bytes.windows(2).any(|w| w == b"/c");
        // Small reads, so that each package is a chunk of its own; the
        // first chunk (and the last, here only the closing tag) is always read.
        let input = std::io::BufReader::with_capacity(16, xml.as_bytes());
        let seen = scan_in_chunks(input, Path::new("f.xml"), 10, only_c, everything).unwrap();
        assert_eq!(seen, ["aa /a", "cc /c"]);
    }
}
