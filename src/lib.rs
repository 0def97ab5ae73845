//! rootsmith: compose container images for RPM-based distributions.
//!
//! One module per pipeline stage; data flows one way:
//! config → plan → repo → solve → fetch → rootfs → rpmdb → image → publish,
//! with `engine` running the plan and `evr` holding pure version logic.

pub mod clock;
pub mod config;
pub mod demo;
pub mod engine;
pub mod evr;
pub mod fetch;
pub mod image;
pub mod plan;
pub mod publish;
pub mod repo;
pub mod rootfs;
pub mod rpmdb;
pub mod solve;
