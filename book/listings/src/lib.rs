//! Listings for the book that are not exercises. Every listing the book shows is a
//! region of one of these files, so it compiles and its test runs it on loopback.

pub mod tcp_lines;
pub mod udp_hello;
