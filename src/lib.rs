//! rootsmith: compose container images for RPM-based distributions.
//!
//! One module per pipeline stage; data flows one way:
//! config → plan → repo → solve → fetch → rootfs → rpmdb → image → publish,
//! with `engine` running the plan and `evr` holding pure version logic.

pub mod evr;
pub mod repo;
pub mod rpmdb;
pub mod solve;
