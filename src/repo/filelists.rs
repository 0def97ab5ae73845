//! filelists.xml: every file of every package. It is large (hundreds of MB
//! open for Fedora) and rarely needed, so it is never held whole: a reader
//! streams it and keeps only the paths a caller asks for.

use std::io::BufRead;
use std::path::Path;

use quick_xml::events::Event;

use super::xml::{attr, local, XmlStream};
use super::RepoError;

/// Stream `input`, calling `keep(pkgid, path)` for every file entry
/// (directories and ghosts included, as libsolv indexes them).
pub fn scan_filelists(
    input: impl BufRead,
    path: &Path,
    mut keep: impl FnMut(&str, &str),
) -> Result<(), RepoError> {
    let mut xml = XmlStream::new(input, path);
    let mut buf = Vec::new();
    let mut pkgid: Option<String> = None;
    loop {
        match xml.next(&mut buf)? {
            Event::Start(e) => match local(&e) {
                "package" => {
                    pkgid = Some(
                        attr(&e, "pkgid")
                            .ok_or_else(|| xml.error("<package> without pkgid".into()))?,
                    )
                }
                "file" => {
                    let file = xml.text()?;
                    let id = pkgid
                        .as_deref()
                        .ok_or_else(|| xml.error("<file> outside a <package>".into()))?;
                    keep(id, &file);
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "package" => pkgid = None,
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let mut seen = Vec::new();
        scan_filelists(xml.as_bytes(), Path::new("f.xml"), |id, f| {
            seen.push(format!("{id} {f}"))
        })
        .unwrap();
        assert_eq!(
            seen,
            ["aa /usr/share/a", "aa /usr/share/a.d", "bb /usr/bin/b&c"]
        );
    }

    #[test]
    fn a_file_outside_a_package_is_an_error() {
        let err = scan_filelists(
            "<filelists><file>/x</file></filelists>".as_bytes(),
            Path::new("f.xml"),
            |_, _| {},
        )
        .unwrap_err();
        assert!(err.to_string().contains("f.xml"), "{err}");
    }
}
