//! The dependency grammar, with every rule set. Besides "no panic", it checks
//! what dep.rs documents:
//! - the rule sets nest: what rpmbuild's rules accept (`parse`, `parse_for`)
//!   the header rules accept, and what those accept the index rules accept,
//!   always as the same AST;
//! - `parse` accepts exactly what `parse_for` accepts as a Requires or as a
//!   Conflicts; `Dep::parse` accepts what `parse` accepts;
//! - Display is canonical: its text re-parses to the same AST and prints the
//!   same again.
#![no_main]

use libfuzzer_sys::{fuzz_target, Corpus};
use rootsmith::rpm::{Dep, DepExpr, DepKind};

fuzz_target!(|data: &[u8]| -> Corpus {
    // Dependencies are strings; other bytes are not worth keeping.
    let Ok(text) = std::str::from_utf8(data) else {
        return Corpus::Reject;
    };
    let full = DepExpr::parse(text);
    let header = DepExpr::parse_header(text);
    let index = DepExpr::parse_index(text);

    if let Ok(e) = &full {
        assert_eq!(header.as_ref(), Ok(e), "header rules reject {text:?}");
    }
    if let Ok(e) = &header {
        assert_eq!(index.as_ref(), Ok(e), "index rules reject {text:?}");
    }

    let mut requires_or_conflicts = false;
    for kind in DepKind::ALL {
        if let Ok(e) = DepExpr::parse_for(text, kind) {
            assert_eq!(full.as_ref(), Ok(&e), "{kind:?} accepts {text:?}");
            requires_or_conflicts |= matches!(kind, DepKind::Requires | DepKind::Conflicts);
        }
    }
    assert_eq!(
        full.is_ok(),
        requires_or_conflicts,
        "parse vs parse_for(Requires|Conflicts) on {text:?}"
    );

    match (&full, Dep::parse(text)) {
        (Ok(DepExpr::Dep(d)), Ok(dep)) => assert_eq!(d, &dep, "{text:?}"),
        (Ok(e), Ok(dep)) => assert_eq!(dep, Dep::unversioned(text), "{e:?}"),
        (Err(a), Err(b)) => assert_eq!(a, &b),
        (a, b) => panic!("DepExpr::parse {a:?} but Dep::parse {b:?} on {text:?}"),
    }

    if let Ok(e) = &full {
        let canonical = e.to_string();
        let again = DepExpr::parse(&canonical);
        assert_eq!(again.as_ref(), Ok(e), "{text:?} prints as {canonical:?}");
        assert_eq!(again.unwrap().to_string(), canonical);
    }
    // The header and index rules accept more; their canonical text is read
    // back by the header rules (nothing follows it).
    for e in [&header, &index].into_iter().flatten() {
        let canonical = e.to_string();
        assert_eq!(
            DepExpr::parse_header(&canonical).as_ref(),
            Ok(e),
            "{text:?} prints as {canonical:?}"
        );
        let _ = (e.operands(), e.is_rich());
    }
    Corpus::Keep
});
