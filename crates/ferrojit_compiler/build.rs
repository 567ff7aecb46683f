//! Gives the build an identity for the disk cache: a hash of the source of every crate that
//! decides what machine code is generated (all of `crates/`). A cached object made by another
//! build of the same version may call runtime functions this build no longer has, or differ in
//! behaviour, so it must not be found; keying on the version alone would find it.

use std::collections::hash_map::DefaultHasher;
use std::hash::Hasher;
use std::path::{Path, PathBuf};

fn main() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    println!("cargo:rerun-if-changed={}", crates.display());
    let mut files = Vec::new();
    collect_sources(&crates, &mut files);
    files.sort();
    let mut hasher = DefaultHasher::new();
    for file in &files {
        let relative = file.strip_prefix(&crates).unwrap_or(file);
        hasher.write(relative.to_string_lossy().as_bytes());
        hasher.write(&std::fs::read(file).unwrap_or_default());
    }
    println!("cargo:rustc-env=FERROJIT_BUILD_ID={:016x}", hasher.finish());
}

/// The `.rs` and `Cargo.toml` files under `dir`, skipping build output and test data.
fn collect_sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() {
            if name != "target" && name != "tests" && name != "resources" {
                collect_sources(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") || name == "Cargo.toml" {
            out.push(path);
        }
    }
}
