//! Pure RPM rules, no I/O: version comparison, dependency ranges and the
//! dependency grammar, shared by the repo, solve and rpmdb stages.

pub mod evr;

pub use evr::{rpmvercmp, Cmp, Dep, Evr};
