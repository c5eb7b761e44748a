//! Model answers for the workbook. Each module is one exercise and has the same
//! functions, with the same signatures, as its stub in the `exercises` crate.

pub mod cli;
pub mod file_server;
pub mod http_client;
pub mod smtp_client;
pub mod tcp_client;
pub mod tcp_server;
pub mod udp_receiver;
pub mod udp_sender;
