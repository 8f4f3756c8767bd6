//! A cache file of records by SHA-256 key (`.stepbook-cache/facts.bin`, `checks.bin`): mapped
//! and read whole when a run starts, written whole (atomically) when the run made or dropped a
//! record.
//!
//! The file (integers little-endian):
//!
//! ```text
//! magic      16 bytes, naming the file's kind
//! version    u32
//! crc32      u32 of what follows
//! records    postcard of a sequence of (key [u8; 32], record)
//! ```
//!
//! A missing, damaged or older file reads as empty, and failing to write one never fails a
//! run: the records are made again.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustc_hash::FxHashMap;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A record's key: SHA-256 of everything the record was made from.
pub type Key = [u8; 32];

/// The records of one cache file as read, and the ones a run keeps for the next.
#[derive(Debug)]
pub struct RecordFile<T> {
    path: PathBuf,
    magic: &'static [u8; 16],
    version: u32,
    old: FxHashMap<Key, Arc<T>>,
}

impl<T: Serialize + DeserializeOwned + Send + Sync + 'static> RecordFile<T> {
    /// Reads the file `name` of `root`'s cache folder (empty when missing or not trusted).
    pub fn open(root: &Path, name: &str, magic: &'static [u8; 16], version: u32) -> Self {
        let path = root.join(crate::cache::DIR).join(name);
        crate::cache::wait_for_writes(Some(&path));
        // Mapped, not read: the records are decoded straight from the kernel's page cache.
        let old = crate::cache::map(&path)
            .ok()
            .and_then(|bytes| read(&bytes, magic, version))
            .unwrap_or_default();
        RecordFile {
            path,
            magic,
            version,
            old,
        }
    }

    /// The record of `key`, when the file held one.
    pub fn get(&self, key: &Key) -> Option<&Arc<T>> {
        self.old.get(key)
    }

    /// Number of records the file held.
    pub fn len(&self) -> usize {
        self.old.len()
    }

    /// True when the cache folder the file goes in exists or could be made (never in a folder
    /// [`crate::cache::never_create_in`] names).
    fn writable(&self) -> bool {
        self.path
            .parent()
            .and_then(Path::parent)
            .is_some_and(crate::cache::create_dir)
    }

    /// True when the file held no record.
    pub fn is_empty(&self) -> bool {
        self.old.is_empty()
    }

    /// [`RecordFile::store`] for records given encoded (postcard, as `T` encodes), or `None`
    /// for a record the file held under that key (kept as it was).
    pub fn store_encoded(self, records: Vec<(Key, Option<Vec<u8>>)>) {
        let same = records.len() == self.old.len()
            && records
                .iter()
                .all(|(k, r)| r.is_none() && self.old.contains_key(k));
        if same || !self.writable() {
            return;
        }
        // Only the old records kept as they were go to the writing thread; the others are
        // freed now, not when the file is written (with a stale cache, every record: about
        // 15 MiB of page facts at 10,000 pages, held while the build renders).
        let RecordFile {
            path,
            magic,
            version,
            mut old,
        } = self;
        let kept: FxHashMap<Key, Arc<T>> = records
            .iter()
            .filter(|(_, r)| r.is_none())
            .filter_map(|(k, _)| Some((*k, old.remove(k)?)))
            .collect();
        drop(old);
        crate::cache::write_in_background(path.clone(), move || {
            // postcard's encoding of a sequence of (key, record): a length, then each pair.
            let mut body = Vec::new();
            varint(&mut body, records.len() as u64);
            for (key, record) in &records {
                let encoded;
                let bytes = match record {
                    Some(bytes) => bytes,
                    None => {
                        let Some(Ok(b)) = kept.get(key).map(|r| postcard::to_allocvec(&**r)) else {
                            return;
                        };
                        encoded = b;
                        &encoded
                    }
                };
                body.extend_from_slice(key);
                body.extend_from_slice(bytes);
            }
            let _ = crate::cache::write_atomically_with(&path, |w| {
                w.write_all(magic)?;
                w.write_all(&version.to_le_bytes())?;
                w.write_all(&crate::cache::checksum(&body).to_le_bytes())?;
                w.write_all(&body)
            });
        });
    }

    /// Writes `records` (this run's, by key) on a thread of its own
    /// ([`crate::cache::write_in_background`]) unless they are exactly the records read.
    /// Errors are ignored (the next run makes the records again).
    pub fn store(self, records: Vec<(Key, Arc<T>)>) {
        let same = records.len() == self.old.len()
            && records
                .iter()
                .all(|(k, r)| self.old.get(k).is_some_and(|o| Arc::ptr_eq(o, r)));
        if same || !self.writable() {
            return;
        }
        // The old records are freed now, not when the file is written (`records` holds every
        // one still used).
        let RecordFile {
            path,
            magic,
            version,
            old,
        } = self;
        drop(old);
        crate::cache::write_in_background(path.clone(), move || {
            let body: Vec<(&Key, &T)> = records.iter().map(|(k, r)| (k, &**r)).collect();
            let Ok(body) = postcard::to_allocvec(&body) else {
                return;
            };
            let _ = crate::cache::write_atomically_with(&path, |w| {
                w.write_all(magic)?;
                w.write_all(&version.to_le_bytes())?;
                w.write_all(&crate::cache::checksum(&body).to_le_bytes())?;
                w.write_all(&body)
            });
        });
    }
}

/// Appends `n` as postcard's length prefix (unsigned LEB128).
fn varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// The records of a file's bytes; `None` when it is not a sound file of this kind and version.
fn read<T: DeserializeOwned>(
    bytes: &[u8],
    magic: &[u8; 16],
    version: u32,
) -> Option<FxHashMap<Key, Arc<T>>> {
    let body = crate::cache::checked_body(bytes, magic, version)?;
    postcard::from_bytes::<Records<T>>(body).ok().map(|r| r.0)
}

/// The sequence of `(key, record)` pairs a file holds, read into a map as it is decoded (no
/// vector of every record first).
struct Records<T>(FxHashMap<Key, Arc<T>>);

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Records<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Records<T>, D::Error> {
        struct Visitor<T>(std::marker::PhantomData<T>);
        impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for Visitor<T> {
            type Value = Records<T>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a sequence of (key, record)")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Records<T>, A::Error> {
                // The count comes from the file: room for at most a million records up front.
                let n = seq.size_hint().unwrap_or(0).min(1 << 20);
                let mut map = FxHashMap::with_capacity_and_hasher(n, Default::default());
                while let Some((key, record)) = seq.next_element::<(Key, T)>()? {
                    map.insert(key, Arc::new(record));
                }
                Ok(Records(map))
            }
        }
        d.deserialize_seq(Visitor(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAGIC: &[u8; 16] = b"stepbook-test\n\0\0";

    #[test]
    fn records_round_trip_and_damage_reads_as_empty() {
        let dir = tempfile::tempdir().unwrap();
        let file: RecordFile<Vec<String>> = RecordFile::open(dir.path(), "t.bin", MAGIC, 1);
        assert!(file.is_empty());
        file.store(vec![([7; 32], Arc::new(vec!["a".to_string()]))]);
        let file: RecordFile<Vec<String>> = RecordFile::open(dir.path(), "t.bin", MAGIC, 1);
        assert_eq!(file.len(), 1);
        assert_eq!(**file.get(&[7; 32]).unwrap(), vec!["a".to_string()]);
        file.store_encoded(vec![
            ([7; 32], None),
            (
                [8; 32],
                Some(postcard::to_allocvec(&vec!["b".to_string()]).unwrap()),
            ),
        ]);
        let file: RecordFile<Vec<String>> = RecordFile::open(dir.path(), "t.bin", MAGIC, 1);
        assert_eq!(file.len(), 2);
        assert_eq!(**file.get(&[7; 32]).unwrap(), vec!["a".to_string()]);
        assert_eq!(**file.get(&[8; 32]).unwrap(), vec!["b".to_string()]);
        let older: RecordFile<Vec<String>> = RecordFile::open(dir.path(), "t.bin", MAGIC, 2);
        assert!(older.is_empty());
        let path = dir.path().join(crate::cache::DIR).join("t.bin");
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, bytes).unwrap();
        let damaged: RecordFile<Vec<String>> = RecordFile::open(dir.path(), "t.bin", MAGIC, 1);
        assert!(damaged.is_empty());
    }
}
