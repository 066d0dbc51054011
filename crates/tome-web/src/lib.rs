//! The website.
