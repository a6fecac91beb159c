//! # fileops-conformance
//!
//! Checks any fileops server, by URL, against a dialect (DocSpace, Workspace, R7): envelopes,
//! enum string/int duality, ids and dates, authentication and isolation, the operation
//! lifecycle, the operations' effects and bad input. The checks are data
//! ([`catalogue::CATALOGUE`]); results are pass, fail, warn (a failed SHOULD), skip or error,
//! and every failure carries the requests as curl commands.

pub mod answers;
pub mod catalogue;
pub mod checks;
pub mod context;
pub mod detect;
pub mod diff;
pub mod embedded;
pub mod facts;
pub mod judge;
pub mod outcome;
pub mod pinning;
pub mod profile;
pub mod proxy;
pub mod report;
pub mod routes;
pub mod runner;
pub mod secrets;
pub mod traffic;
pub mod transport;
pub mod validate;
