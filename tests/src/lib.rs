//! The workbook's grader.
//!
//! Every check lives once, in `tests/checks/`, and is compiled into the `grade` test of
//! both `exercises` and `solutions`, which hand this crate their binary and their
//! checks. A check drives the code under test in-process (through [`Session::call`])
//! or as a whole program on loopback (through [`Session::start`] and
//! [`Session::run_to_end`]), talks to it with reference peers written with plain
//! std::net ([`peer`]), and words what went wrong for the learner.

pub mod dns;
pub mod harness;
pub mod http;
pub mod peer;
pub mod ping;
pub mod program;
pub mod progress;
pub mod registry;
pub mod results;
pub mod session;
pub mod smtp;
pub mod texts;
pub mod transfer;

pub use harness::{Check, Verdict, run};
pub use session::{Failure, Session, WAIT};
