//! One module per subcommand.

pub mod export;
pub mod gen_corpus;
pub mod import;
pub mod import_efiction;
pub mod reindex;
pub mod serve;
pub mod tags;
pub mod users;
