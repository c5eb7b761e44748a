//! Model answers for the workbook. Each module is one exercise and has the same
//! functions, with the same signatures, as its stub in the `exercises` crate.

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
