//! Pure RPM rules, no I/O: version comparison, dependency ranges and the
//! dependency grammar, shared by the repo, solve and rpmdb stages.

pub mod arch;
pub mod dep;
pub mod evr;

pub use arch::{known_arches, ArchPolicy, UnknownArch};
pub use dep::{DepError, DepExpr};
pub use evr::{rpmvercmp, Cmp, Dep, Evr};
