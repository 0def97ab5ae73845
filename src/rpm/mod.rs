//! Pure RPM rules, no I/O: version comparison, dependency ranges, the
//! dependency grammar, the arch policy and file capabilities, shared by the
//! repo, solve, rootfs and rpmdb stages.

pub mod arch;
pub mod caps;
pub mod dep;
pub mod evr;

pub use arch::{colors_differ, host_arch, known_arches, ArchPolicy, UnknownArch};
pub use caps::{CapsError, FileCaps};
pub use dep::{Cmp, Dep, DepError, DepErrorReason, DepExpr, DepKind};
pub use evr::{rpmvercmp, Evr};
