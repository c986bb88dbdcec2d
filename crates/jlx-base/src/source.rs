//! The source map: every file (or REPL input, or `-e` string) jlx has read,
//! so spans can be turned into `file:line:col` at error time only.
//!
//! Invariant: files are never removed; a `FileId` stays valid for the process.

use crate::span::{FileId, Span};
use parking_lot::RwLock;
use std::sync::Arc;

/// One source text with its display name and line start offsets.
#[derive(Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
    line_starts: Vec<u32>,
}

impl SourceFile {
    pub fn new(name: String, text: String) -> SourceFile {
        let mut line_starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i as u32 + 1);
            }
        }
        SourceFile { name, text, line_starts }
    }

    /// 1-based line number of a byte offset.
    pub fn line_of(&self, offset: u32) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// 1-based (line, column in chars) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let line = self.line_of(offset);
        let start = self.line_starts[line - 1] as usize;
        let end = (offset as usize).min(self.text.len());
        let col = self.text.get(start..end).map(|s| s.chars().count()).unwrap_or(0) + 1;
        (line, col)
    }
}

/// All sources read so far. Cheap to clone (shared).
#[derive(Clone, Default, Debug)]
pub struct SourceMap {
    files: Arc<RwLock<Vec<Arc<SourceFile>>>>,
}

impl SourceMap {
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    pub fn add(&self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        let mut files = self.files.write();
        files.push(Arc::new(SourceFile::new(name.into(), text.into())));
        FileId(files.len() as u32 - 1)
    }

    pub fn get(&self, id: FileId) -> Arc<SourceFile> {
        self.files.read()[id.0 as usize].clone()
    }

    /// `name:line` for stack traces.
    pub fn describe(&self, span: Span) -> String {
        let f = self.get(span.file);
        format!("{}:{}", f.name, f.line_of(span.start))
    }
}
