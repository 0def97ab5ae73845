//! rootsmith: compose container images for RPM-based distributions.
//!
//! One module per pipeline stage; data flows one way:
//! config → plan → repo → solve → fetch → rootfs → rpmdb → image → publish,
//! with `engine` running the plan and `rpm` holding the pure RPM rules
//! (versions, dependency grammar) the stages share. `query` answers
//! questions about a loaded pool (`rootsmith repoquery`).

pub mod clock;
pub mod config;
pub mod demo;
pub mod engine;
pub mod fetch;
pub mod image;
pub mod plan;
pub mod publish;
pub mod query;
pub mod repo;
pub mod rootfs;
pub mod rpm;
pub mod rpmdb;
pub mod solve;
