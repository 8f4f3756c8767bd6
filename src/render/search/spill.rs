//! The documents of a build's rendered pages kept in a file until the index is built, instead
//! of in memory: at 10,000 pages they are about 35 MiB of text, held through the checks (when
//! the page models are alive, the build's peak) if kept in memory.
//!
//! The file is created in the search cache's folder and unlinked at once (only its open handle
//! keeps it), so nothing is left behind, even by a killed build; a build that cannot create it
//! keeps its documents in memory instead.

use std::fs::File;
use std::os::unix::fs::FileExt;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use super::Doc;

/// An unlinked file that documents are appended to from several threads and read back from.
#[derive(Debug)]
pub struct Spill {
    file: File,
    /// Where the next document goes.
    end: AtomicU64,
}

/// Where one document is in a [`Spill`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spilled {
    /// Offset of its title in the file.
    at: u64,
    /// Bytes of its title.
    title: u64,
    /// Bytes of its text (after the title).
    text: u64,
}

impl Spill {
    /// A new spill file in `dir` (created when missing).
    ///
    /// Errors: the folder or file cannot be created.
    pub fn create(dir: &Path) -> std::io::Result<Spill> {
        std::fs::create_dir_all(dir)?;
        crate::cache::remove_stale_temps(dir);
        let path = dir.join(format!("spill.tmp{}", std::process::id()));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)?;
        std::fs::remove_file(&path)?;
        Ok(Spill {
            file,
            end: AtomicU64::new(0),
        })
    }

    /// Writes `doc`'s title and text (its site path is the caller's to keep).
    ///
    /// Errors: the file cannot be written.
    pub fn put(&self, doc: &Doc) -> std::io::Result<Spilled> {
        let (title, text) = (doc.title.len() as u64, doc.text.len() as u64);
        let at = self.end.fetch_add(title + text, Ordering::Relaxed);
        self.file.write_all_at(doc.title.as_bytes(), at)?;
        self.file.write_all_at(doc.text.as_bytes(), at + title)?;
        Ok(Spilled { at, title, text })
    }

    /// The document at `spilled`, with site path `url`.
    ///
    /// Errors: the file cannot be read, or what was written is not UTF-8 any more.
    pub fn get(&self, url: String, spilled: Spilled) -> std::io::Result<Doc> {
        let mut bytes = vec![0; usize::try_from(spilled.title + spilled.text).unwrap_or(0)];
        self.file.read_exact_at(&mut bytes, spilled.at)?;
        let text = bytes.split_off(spilled.title as usize);
        let utf8 = |b: Vec<u8>| String::from_utf8(b).map_err(std::io::Error::other);
        Ok(Doc {
            url,
            title: utf8(bytes)?,
            text: utf8(text)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_read_back_and_the_file_is_not_left() {
        let dir = tempfile::tempdir().unwrap();
        let spill = Spill::create(dir.path()).unwrap();
        let docs: Vec<Doc> = (0..3)
            .map(|i| Doc {
                url: format!("p{i}.html"),
                title: format!("Title é {i}"),
                text: "word ".repeat(i * 100),
            })
            .collect();
        let at: Vec<Spilled> = docs.iter().map(|d| spill.put(d).unwrap()).collect();
        for (doc, at) in docs.iter().zip(at).rev() {
            assert_eq!(&spill.get(doc.url.clone(), at).unwrap(), doc);
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
