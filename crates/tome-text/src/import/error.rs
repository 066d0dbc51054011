//! Why a file could not be imported, each as one line naming the file.

use crate::decode::DecodeError;
use crate::nesting::NestingError;

/// An import failure. `Display` is "FILE: why", one line, for CLI output and JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("{file}: no such file")]
    Missing { file: String },
    #[error("{file}: is a directory, not a file")]
    Directory { file: String },
    #[error("{file}: the file is {}; the limit is {} MB", megabytes(*.bytes), super::MAX_IMPORT_BYTES / MB)]
    TooLarge { file: String, bytes: u64 },
    #[error("{file}: the file is empty")]
    Empty { file: String },
    #[error("{file}: this looks like a binary file, not a story ({why})")]
    Binary { file: String, why: String },
    #[error("{file}: {source}")]
    Undecodable { file: String, source: DecodeError },
    #[error("{file}: no paragraphs of story text found")]
    NoParagraphs { file: String },
    #[error("{file}: {source}")]
    TooDeep { file: String, source: NestingError },
    #[error("{file}: {source}")]
    FrontMatter {
        file: String,
        source: super::front_matter::FrontMatterError,
    },
    #[error("{file}: {source}")]
    Epub {
        file: String,
        source: super::epub::EpubError,
    },
    #[error(
        "{file}: this is an old binary Word document (.doc), which cannot be imported; open it in Word or LibreOffice and save it as .docx or .odt, then import that"
    )]
    OldWord { file: String },
    #[error(
        "{file}: this is a PDF, which cannot be imported (it keeps pages, not paragraphs); export the story from the program that made it as plain text, HTML or EPUB and import that"
    )]
    Pdf { file: String },
    #[error(
        "{file}: this is an RTF document, which cannot be imported yet; open it in a word processor and save it as Web Page (.html) or Plain Text (.txt), then import that"
    )]
    Rtf { file: String },
    #[error("{file}: could not be read: {message}")]
    Io { file: String, message: String },
}

const MB: u64 = 1024 * 1024;

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / MB as f64)
}

impl ImportError {
    /// The file the error is about, as the user named it.
    pub fn file(&self) -> &str {
        match self {
            ImportError::Missing { file }
            | ImportError::Directory { file }
            | ImportError::TooLarge { file, .. }
            | ImportError::Empty { file }
            | ImportError::Binary { file, .. }
            | ImportError::Undecodable { file, .. }
            | ImportError::NoParagraphs { file }
            | ImportError::TooDeep { file, .. }
            | ImportError::FrontMatter { file, .. }
            | ImportError::Epub { file, .. }
            | ImportError::OldWord { file }
            | ImportError::Pdf { file }
            | ImportError::Rtf { file }
            | ImportError::Io { file, .. } => file,
        }
    }
}
