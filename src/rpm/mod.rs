//! Pure RPM rules, no I/O: version comparison, dependency ranges and the
//! dependency grammar, shared by the repo, solve and rpmdb stages.

pub mod dep;
pub mod evr;

pub use dep::{Cmp, Dep, DepError, DepErrorReason, DepExpr, DepKind};
pub use evr::{rpmvercmp, Evr};
