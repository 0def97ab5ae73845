//! The secondary indexes rpm keeps next to `Packages` and how a header
//! fills them (rpm's `tag2index`/`td2key` in lib/rpmdb.c).

use super::header::{
    strings, TYPE_BIN, TYPE_CHAR, TYPE_I18NSTRING, TYPE_INT16, TYPE_INT32, TYPE_INT64, TYPE_INT8,
    TYPE_STRING, TYPE_STRING_ARRAY,
};
use crate::rpm::DepExpr;

pub(crate) const TAG_NAME: u32 = rpm::IndexTag::RPMTAG_NAME as u32;
pub(crate) const TAG_GROUP: u32 = rpm::IndexTag::RPMTAG_GROUP as u32;
pub(crate) const TAG_PROVIDENAME: u32 = rpm::IndexTag::RPMTAG_PROVIDENAME as u32;
pub(crate) const TAG_REQUIREFLAGS: u32 = rpm::IndexTag::RPMTAG_REQUIREFLAGS as u32;
pub(crate) const TAG_REQUIRENAME: u32 = rpm::IndexTag::RPMTAG_REQUIRENAME as u32;
pub(crate) const TAG_CONFLICTNAME: u32 = rpm::IndexTag::RPMTAG_CONFLICTNAME as u32;
pub(crate) const TAG_TRIGGERNAME: u32 = rpm::IndexTag::RPMTAG_TRIGGERNAME as u32;
pub(crate) const TAG_OBSOLETENAME: u32 = rpm::IndexTag::RPMTAG_OBSOLETENAME as u32;
pub(crate) const TAG_BASENAMES: u32 = rpm::IndexTag::RPMTAG_BASENAMES as u32;
pub(crate) const TAG_DIRNAMES: u32 = rpm::IndexTag::RPMTAG_DIRNAMES as u32;
pub(crate) const TAG_INSTALLTID: u32 = rpm::IndexTag::RPMTAG_INSTALLTID as u32;
pub(crate) const TAG_SIGMD5: u32 = rpm::IndexTag::RPMTAG_SIGMD5 as u32;
pub(crate) const TAG_SHA1HEADER: u32 = rpm::IndexTag::RPMTAG_SHA1HEADER as u32;
pub(crate) const TAG_FILETRIGGERNAME: u32 = rpm::IndexTag::RPMTAG_FILETRIGGERNAME as u32;
pub(crate) const TAG_FILETRIGGERINDEX: u32 = rpm::IndexTag::RPMTAG_FILETRIGGERINDEX as u32;
pub(crate) const TAG_TRANSFILETRIGGERNAME: u32 = rpm::IndexTag::RPMTAG_TRANSFILETRIGGERNAME as u32;
pub(crate) const TAG_TRANSFILETRIGGERINDEX: u32 =
    rpm::IndexTag::RPMTAG_TRANSFILETRIGGERINDEX as u32;
pub(crate) const TAG_RECOMMENDNAME: u32 = rpm::IndexTag::RPMTAG_RECOMMENDNAME as u32;
pub(crate) const TAG_SUGGESTNAME: u32 = rpm::IndexTag::RPMTAG_SUGGESTNAME as u32;
pub(crate) const TAG_SUPPLEMENTNAME: u32 = rpm::IndexTag::RPMTAG_SUPPLEMENTNAME as u32;
pub(crate) const TAG_ENHANCENAME: u32 = rpm::IndexTag::RPMTAG_ENHANCENAME as u32;

/// One secondary index table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct IndexSpec {
    /// Table name (rpm's tag name without the `RPMTAG_` prefix, capitalised).
    pub table: &'static str,
    pub tag: u32,
    /// Key column is TEXT (string-class tag) rather than BLOB.
    pub text_key: bool,
    /// Array-return tag: rpm adds an index on `hnum` as well.
    pub array: bool,
}

const fn spec(table: &'static str, tag: u32, text_key: bool, array: bool) -> IndexSpec {
    IndexSpec {
        table,
        tag,
        text_key,
        array,
    }
}

/// rpm's `dbiTags` (lib/rpmdb.c), in rpm's order.
pub(crate) const INDEXES: [IndexSpec; 18] = [
    spec("Name", TAG_NAME, true, false),
    spec("Basenames", TAG_BASENAMES, true, true),
    spec("Group", TAG_GROUP, true, false),
    spec("Requirename", TAG_REQUIRENAME, true, true),
    spec("Providename", TAG_PROVIDENAME, true, true),
    spec("Conflictname", TAG_CONFLICTNAME, true, true),
    spec("Obsoletename", TAG_OBSOLETENAME, true, true),
    spec("Triggername", TAG_TRIGGERNAME, true, true),
    spec("Dirnames", TAG_DIRNAMES, true, true),
    spec("Installtid", TAG_INSTALLTID, false, false),
    spec("Sigmd5", TAG_SIGMD5, false, false),
    spec("Sha1header", TAG_SHA1HEADER, true, false),
    spec("Filetriggername", TAG_FILETRIGGERNAME, true, true),
    spec("Transfiletriggername", TAG_TRANSFILETRIGGERNAME, true, true),
    spec("Recommendname", TAG_RECOMMENDNAME, true, true),
    spec("Suggestname", TAG_SUGGESTNAME, true, true),
    spec("Supplementname", TAG_SUPPLEMENTNAME, true, true),
    spec("Enhancename", TAG_ENHANCENAME, true, true),
];

/// Tag data as `headerGet` would return it: type, count and the raw
/// (big-endian) bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TagData<'a> {
    pub ty: u32,
    pub count: u32,
    pub data: &'a [u8],
}

/// Read access to the (merged) installed header.
pub(crate) trait TagSource {
    fn get(&self, tag: u32) -> Option<TagData<'_>>;
}

fn u32_array(td: &TagData<'_>) -> Vec<u32> {
    if td.ty != TYPE_INT32 {
        return Vec::new();
    }
    td.data
        .chunks_exact(4)
        .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

// rpmsenseFlags bits used by isTransientReq.
const SENSE_POSTTRANS: u32 = 1 << 5;
const SENSE_PREREQ: u32 = 1 << 6;
const SENSE_PRETRANS: u32 = 1 << 7;
const SENSE_SCRIPT_PRE: u32 = 1 << 9;
const SENSE_SCRIPT_POST: u32 = 1 << 10;
const SENSE_SCRIPT_PREUN: u32 = 1 << 11;
const SENSE_SCRIPT_POSTUN: u32 = 1 << 12;
const SENSE_RPMLIB: u32 = 1 << 24;
const SENSE_KEYRING: u32 = 1 << 26;
const SENSE_META: u32 = 1 << 29;
const INSTALL_ONLY_MASK: u32 = (SENSE_SCRIPT_PRE
    | SENSE_SCRIPT_POST
    | SENSE_RPMLIB
    | SENSE_KEYRING
    | SENSE_PRETRANS
    | SENSE_POSTTRANS)
    & !SENSE_PREREQ;
const ERASE_ONLY_MASK: u32 = (SENSE_SCRIPT_PREUN | SENSE_SCRIPT_POSTUN) & !SENSE_PREREQ;

/// rpm's `isTransientReq`: install-only prerequisites are not indexed.
pub(crate) fn is_transient_req(flags: u32) -> bool {
    flags & INSTALL_ONLY_MASK != 0 && flags & ERASE_ONLY_MASK == 0 && flags & SENSE_META == 0
}

/// How integer keys are laid out: rpm uses the byte order of the machine
/// that runs it (`td2key` hands sqlite the in-memory integer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyByteOrder {
    Little,
    Big,
}

/// Call `emit(key, idx)` for every row rpm's `tag2index` writes for `spec`.
pub(crate) fn index_rows<S: TagSource + ?Sized>(
    h: &S,
    spec: &IndexSpec,
    order: KeyByteOrder,
    mut emit: impl FnMut(&[u8], u32),
) {
    let tag = spec.tag;
    let td = match h.get(tag) {
        Some(td) if td.count > 0 => td,
        _ if tag == TAG_GROUP => {
            // "XXX preserve legacy behavior"
            emit(b"Unknown", 0);
            return;
        }
        _ => return,
    };

    let req_flags = if tag == TAG_REQUIRENAME {
        h.get(TAG_REQUIREFLAGS).map(|t| u32_array(&t))
    } else {
        None
    };
    let trig_index = match tag {
        TAG_FILETRIGGERNAME => h.get(TAG_FILETRIGGERINDEX).map(|t| u32_array(&t)),
        TAG_TRANSFILETRIGGERNAME => h.get(TAG_TRANSFILETRIGGERINDEX).map(|t| u32_array(&t)),
        _ => None,
    };

    let rich_tag = matches!(
        tag,
        TAG_REQUIRENAME
            | TAG_CONFLICTNAME
            | TAG_SUGGESTNAME
            | TAG_SUPPLEMENTNAME
            | TAG_RECOMMENDNAME
            | TAG_ENHANCENAME
    );

    match td.ty {
        TYPE_STRING_ARRAY => {
            let all: Vec<&[u8]> = strings(td.data, td.count).collect();
            for (i, &key) in all.iter().enumerate() {
                let idx = match tag {
                    TAG_FILETRIGGERNAME | TAG_TRANSFILETRIGGERNAME => {
                        // rpm reads the parallel index array unchecked;
                        // without one there is nothing sane to store.
                        match trig_index.as_ref().and_then(|v| v.get(i)) {
                            Some(&v) => v,
                            None => continue,
                        }
                    }
                    _ => i as u32,
                };
                let skip = match tag {
                    // Install-only prerequisites are not indexed.
                    TAG_REQUIRENAME => req_flags
                        .as_ref()
                        .and_then(|v| v.get(i))
                        .is_some_and(|&f| is_transient_req(f)),
                    // Each trigger target once.
                    TAG_TRIGGERNAME => all[..i].contains(&key),
                    _ => false,
                };
                if skip {
                    continue;
                }
                emit(key, idx);
                if rich_tag && key.first() == Some(&b'(') {
                    for sub in rich_dep_keys(key) {
                        emit(&sub, idx);
                    }
                }
            }
        }
        TYPE_STRING | TYPE_I18NSTRING => {
            // headerGet on an i18n string returns one string: the one for
            // the current locale, the first one in the C locale.
            if let Some(s) = strings(td.data, 1).next() {
                emit(s, 0);
            }
        }
        TYPE_BIN => emit(td.data, 0),
        TYPE_CHAR | TYPE_INT8 | TYPE_INT16 | TYPE_INT32 | TYPE_INT64 => {
            let size = match td.ty {
                TYPE_INT16 => 2,
                TYPE_INT32 => 4,
                TYPE_INT64 => 8,
                _ => 1,
            };
            for (i, be) in td.data.chunks_exact(size).enumerate() {
                let mut key = be.to_vec();
                if order == KeyByteOrder::Little {
                    key.reverse();
                }
                emit(&key, i as u32);
            }
        }
        _ => {}
    }
}

/// The extra keys rpm's `updateRichDep` (lib/rpmdb.c) indexes for the rich
/// dependency `dep`, besides the whole string: every simple name inside it,
/// prefixed with `!` where it sits in a condition (after `if`/`unless`, the
/// sign flipping again in nested conditions), an `else` repeating its
/// condition's names with the other sign, `rpmlib(...)` names left out;
/// sorted byte-wise and de-duplicated. None if rpm's parser rejects it.
/// rpm's database parser ignores text after the closing parenthesis and
/// skips rpmbuild's context rules, hence [`DepExpr::parse_index`].
pub(crate) fn rich_dep_keys(dep: &[u8]) -> Vec<Vec<u8>> {
    // Header strings are bytes, the grammar works on text: a string that is
    // not UTF-8 goes through Latin-1, one char per byte and back.
    let latin1: String;
    let text = match std::str::from_utf8(dep) {
        Ok(text) => text,
        Err(_) => {
            latin1 = dep.iter().map(|&b| char::from(b)).collect();
            &latin1
        }
    };
    let Ok(expr) = DepExpr::parse_index(text) else {
        return Vec::new();
    };
    let mut names: Vec<(bool, &str)> = Vec::new();
    rich_names(&expr, false, &mut names);
    let mut keys: Vec<Vec<u8>> = names
        .into_iter()
        .map(|(negated, name)| {
            let mut key = vec![if negated { b'!' } else { b' ' }];
            if text.as_ptr() == dep.as_ptr() {
                key.extend_from_slice(name.as_bytes());
            } else {
                // Latin-1 back to bytes: every char is below 256.
                key.extend(name.chars().map(|c| c as u8));
            }
            key
        })
        .collect();
    // rpm sorts with the sign in front (' ' before '!'), then drops the ' '.
    keys.sort();
    keys.dedup();
    for key in &mut keys {
        if key[0] == b' ' {
            key.remove(0);
        }
    }
    keys
}

/// The names of `expr` in rpm's order, each with its sign.
fn rich_names<'e>(expr: &'e DepExpr, negated: bool, out: &mut Vec<(bool, &'e str)>) {
    match expr {
        DepExpr::Dep(d) => {
            if !(d.name.len() > 7 && d.name.starts_with("rpmlib(")) {
                out.push((negated, &d.name));
            }
        }
        DepExpr::And(v) | DepExpr::Or(v) | DepExpr::With(v) => {
            v.iter().for_each(|e| rich_names(e, negated, out));
        }
        DepExpr::Without(a, b) => {
            rich_names(a, negated, out);
            rich_names(b, negated, out);
        }
        DepExpr::If(then, cond, otherwise) | DepExpr::Unless(then, cond, otherwise) => {
            rich_names(then, negated, out);
            let cond_start = out.len();
            rich_names(cond, !negated, out);
            if let Some(otherwise) = otherwise {
                for i in cond_start..out.len() {
                    let (sign, name) = out[i];
                    out.push((!sign, name));
                }
                rich_names(otherwise, negated, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(s: &str) -> Vec<String> {
        rich_dep_keys(s.as_bytes())
            .into_iter()
            .map(|k| String::from_utf8(k).unwrap())
            .collect()
    }

    #[test]
    fn rich_keys() {
        assert_eq!(keys("(a or b)"), ["a", "b"]);
        assert_eq!(keys("(b >= 1.0 and a < 2)"), ["a", "b"]);
        assert_eq!(keys("(a if b)"), ["a", "!b"]);
        assert_eq!(keys("(a unless b)"), ["a", "!b"]);
        assert_eq!(keys("(a if b else c)"), ["a", "b", "c", "!b"]);
        assert_eq!(keys("(a if (b if c))"), ["a", "c", "!b"]);
        assert_eq!(
            keys("(a if (b if c) else d)"),
            ["a", "b", "c", "d", "!b", "!c"]
        );
        assert_eq!(keys("(a or (b and rpmlib(Foo)))"), ["a", "b"]);
        assert_eq!(keys("(a or a)"), ["a"]);
        assert_eq!(keys("(foo(x86-64) with bar)"), ["bar", "foo(x86-64)"]);
        assert_eq!(keys("(a)"), ["a"]);
        // rpm's database parser: no context rules, text after `)` ignored.
        assert_eq!(keys("((a if b) or c)"), ["a", "c", "!b"]);
        assert_eq!(keys("(a or b) junk"), ["a", "b"]);
        // Latin-1 bytes survive.
        assert_eq!(
            rich_dep_keys(b"(caf\xe9 or b)"),
            [b"b".to_vec(), b"caf\xe9".to_vec()]
        );
    }

    #[test]
    fn unparseable_rich_gives_no_keys() {
        for s in [
            "(a or)",
            "(a and b or c)",
            "(a bogus b)",
            "(a",
            "()",
            "(a = )",
            "(a with (b and c))",
        ] {
            assert!(keys(s).is_empty(), "{s}");
        }
    }

    #[test]
    fn transient_requires() {
        // rpmlib(...) requires: RPMLIB|LESS|EQUAL
        assert!(is_transient_req(16777226));
        // plain find-requires output
        assert!(!is_transient_req(16384));
        // Requires(pre): dropped; Requires(pre,postun): kept
        assert!(is_transient_req(SENSE_SCRIPT_PRE));
        assert!(!is_transient_req(SENSE_SCRIPT_PRE | SENSE_SCRIPT_POSTUN));
        // Requires(meta) stays
        assert!(!is_transient_req(SENSE_SCRIPT_PRE | SENSE_META));
        // legacy PreReq alone is not install-only
        assert!(!is_transient_req(SENSE_PREREQ));
    }
}
