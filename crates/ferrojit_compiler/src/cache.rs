//! The on-disk cache of machine code (`cache=True`).
//!
//! An entry is keyed by a SHA-256 over everything the code depends on: the ferrojit version and
//! build (a hash of the compiler's sources, see `build.rs`), the host CPU and its features, the
//! compiler options, the argument and return types, and each compiled function's fingerprint
//! (its source and every global it read, so editing a callee or changing a global constant
//! invalidates it). Programs that embed process-local addresses (frozen global arrays) are
//! never cached.
//!
//! File layout: `FJC2`, then length-prefixed entry symbol, return type and objects (one
//! field each: one object, or two when the pool functions were compiled apart), then the
//! SHA-256 of everything before it. A file that fails any check is ignored (and rewritten
//! after compiling). Files are written to a temporary name and renamed into place, so
//! concurrent writers leave one complete entry.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 4] = b"FJC2";

/// A cached entry: what `codegen::load_objects` needs, plus the return type as a check.
pub struct Entry {
    pub symbol: String,
    pub ret: String,
    pub objects: Vec<Vec<u8>>,
}

pub fn key(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The cache file for `function` under `dir`.
pub fn path(dir: &Path, function: &str, key: &str) -> PathBuf {
    let name: String = function.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    dir.join(format!("{name}-{}.fjc", &key[..24]))
}

pub fn read(path: &Path) -> Option<Entry> {
    let bytes = std::fs::read(path).ok()?;
    let (payload, checksum) = bytes.split_at(bytes.len().checked_sub(32)?);
    if Sha256::digest(payload).as_slice() != checksum || !payload.starts_with(MAGIC) {
        return None;
    }
    let mut rest = &payload[4..];
    let symbol = String::from_utf8(take_field(&mut rest)?).ok()?;
    let ret = String::from_utf8(take_field(&mut rest)?).ok()?;
    let mut objects = Vec::new();
    while !rest.is_empty() {
        objects.push(take_field(&mut rest)?);
    }
    (!objects.is_empty()).then_some(Entry { symbol, ret, objects })
}

/// The length-prefixed field at the start of `rest`, which moves past it.
fn take_field(rest: &mut &[u8]) -> Option<Vec<u8>> {
    let len = u64::from_le_bytes(rest.get(..8)?.try_into().ok()?) as usize;
    let value = rest.get(8..8usize.checked_add(len)?)?.to_vec();
    *rest = &rest[8 + len..];
    Some(value)
}

/// Writes an entry and says whether it was written; failures (read-only directory, full
/// disk) only mean no caching.
pub fn write(path: &Path, entry: &Entry) -> bool {
    let mut payload = MAGIC.to_vec();
    for field in [entry.symbol.as_bytes(), entry.ret.as_bytes()].into_iter().chain(entry.objects.iter().map(|o| o.as_slice())) {
        payload.extend((field.len() as u64).to_le_bytes());
        payload.extend(field);
    }
    let checksum = Sha256::digest(&payload);
    payload.extend(checksum.as_slice());
    let Some(dir) = path.parent() else { return false };
    if std::fs::create_dir_all(dir).is_err() {
        return false;
    }
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let unique = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = path.with_extension(format!("tmp.{}.{unique}", std::process::id()));
    if std::fs::write(&tmp, &payload).is_err() {
        return false;
    }
    if std::fs::rename(&tmp, path).is_err() {
        let _ = std::fs::remove_file(&tmp);
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_corruption() {
        let dir = std::env::temp_dir().join(format!("ferrojit-cache-test-{}", std::process::id()));
        let p = path(&dir, "f<locals>.g", &key(&["a", "b"]));
        assert!(p.file_name().unwrap().to_str().unwrap().starts_with("f_locals__g-"));
        write(&p, &Entry { symbol: "sym".into(), ret: "int64".into(), objects: vec![vec![1, 2, 3], vec![4]] });
        let e = read(&p).unwrap();
        assert_eq!((e.symbol.as_str(), e.ret.as_str(), e.objects), ("sym", "int64", vec![vec![1u8, 2, 3], vec![4]]));
        // Truncated and flipped files are rejected.
        let bytes = std::fs::read(&p).unwrap();
        std::fs::write(&p, &bytes[..bytes.len() - 5]).unwrap();
        assert!(read(&p).is_none());
        let mut flipped = bytes.clone();
        flipped[10] ^= 1;
        std::fs::write(&p, &flipped).unwrap();
        assert!(read(&p).is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn keys_separate_their_parts() {
        assert_ne!(key(&["ab", "c"]), key(&["a", "bc"]));
    }
}
