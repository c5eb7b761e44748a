//! The workbook: one module per exercise. Open the file an exercise names, replace each
//! `todo!()` with your code, and run `cargo test -p exercises` to see how it behaves on
//! real sockets. `solutions` has the same files, done, to compare with afterwards.

// Until you fill them in, the stubs leave parameters and imports unused.
#![allow(unused_variables, unused_imports, unused_mut)]

pub mod cli;
pub mod file_server;
pub mod http_client;
pub mod smtp_client;
pub mod tcp_client;
pub mod tcp_server;
pub mod udp_receiver;
pub mod udp_sender;
