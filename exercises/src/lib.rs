//! The workbook: one module per exercise. Open the file an exercise names, replace each
//! `todo!()` with your code, and run `cargo test -p exercises` to see how it behaves on
//! real sockets. `solutions` has the same files, done, to compare with afterwards.

// Until you fill them in, the stubs leave parameters, imports and fields unused.
#![allow(unused_variables, unused_imports, unused_mut, dead_code)]
// An untouched `&mut Vec` parameter looks to clippy as if a slice would do.
#![allow(clippy::ptr_arg)]

pub mod chat_semantics;
pub mod chat_server;
pub mod chat_syntax;
pub mod chat_timing;
pub mod checksum;
pub mod cidr;
pub mod cli;
pub mod dns_query;
pub mod file_server;
pub mod file_transfer;
pub mod frames;
pub mod http_client;
pub mod ipv4_parse;
pub mod mac;
pub mod nat;
pub mod ports;
pub mod smtp_client;
pub mod special_addresses;
pub mod tcp_client;
pub mod tcp_server;
pub mod udp_echo;
pub mod udp_ping;
pub mod udp_receiver;
pub mod udp_sender;
