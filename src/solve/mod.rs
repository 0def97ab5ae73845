//! Dependency resolution over a [`Pool`](crate::repo::Pool) with resolvo.
