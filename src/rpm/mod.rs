//! Pure RPM rules, no I/O: version comparison, dependency ranges, the
//! dependency grammar and the arch policy, shared by the repo, solve and
//! rpmdb stages.

pub mod arch;
pub mod dep;
pub mod evr;

pub use arch::{colors_differ, host_arch, known_arches, ArchPolicy, UnknownArch};
pub use dep::{Cmp, Dep, DepError, DepErrorReason, DepExpr, DepKind};
pub use evr::{rpmvercmp, Evr};
