//! Listings for the book.
