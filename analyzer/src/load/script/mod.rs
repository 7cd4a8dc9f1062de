//! Architecture written as commands: `gcloud` (and `gsutil`) command lines in shell scripts,
//! Makefiles, Markdown code blocks, Cloud Build steps and GitHub Actions `run:` blocks.

pub(crate) mod chunk;
pub(crate) mod commands;
pub(crate) mod run;
pub(crate) mod shell;
