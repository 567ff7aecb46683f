//! Dicts: reference-counted hash tables keeping their insertion order, as CPython's.
//!
//! A dict is a meminfo whose data is a [`DictHeader`]. Its entries sit in insertion order in
//! one buffer (each: a state word, the key's hash, the key's slots, the value's slots, laid out
//! as entry-point slots: see `ferrojit_runtime::lists`); an open-addressing index maps hashes to
//! entries. Keys are compared and hashed by their bytes: compiled code writes each key into
//! zeroed slots in a canonical form (so that `0.0` and `-0.0` are one key), so equal numbers
//! have equal bytes; except the key's strings, which compare and hash by their text. A key's
//! other meminfo pointers are jitclass instances of classes without `__eq__` and `__hash__`,
//! which Python compares by identity: the pointer's bytes. The dict holds a reference to each
//! string and instance of its keys.
//!
//! Keys whose equality is a compiled `__eq__` (instances of classes defining `__hash__` or
//! `__eq__`, and tuples holding them) are never hashed nor compared here: compiled code
//! computes the hash, walks the entries of that hash ([`ferrojit_rt_dict_candidate`]) calling
//! its own equality on each, and inserts a key it did not find with its hash
//! ([`ferrojit_rt_dict_insert_new`]). The runtime's own work (growing, deleting) uses only the
//! stored hashes and positions, never key equality, so it serves both kinds of keys.
//!
//! Invariants: entries below `used` are live (state 1) or deleted (state 0, their value
//! released and zeroed); `len` counts the live ones; the index holds, for every live entry, its
//! position + 1 at the first free-or-matching probe of its hash, [`DELETED`] where an entry was
//! removed, 0 where none ever was; so every live entry of a hash lies on that hash's probe path
//! before its first empty slot. Keys of live entries are distinct. A live entry's value is
//! owned by the dict, or null while compiled code stores it right after inserting the key.

use crate::lists::Boxing;
use crate::memory::{alloc_with_drop, data, release, MemInfo};
use std::alloc::{alloc_zeroed, dealloc, realloc, Layout};

#[repr(C)]
pub struct DictHeader {
    pub len: i64,
    pub used: i64,
    pub entries: *mut u8,
    pub entry_size: i64,
    pub key_size: i64,
    pub capacity: i64,
    pub index: *mut i64,
    pub mask: i64,
    /// `[count, offset...]`: byte offsets, from the start of an entry's key, of the meminfo
    /// pointers of the key (offsets below `key_size`) and of the value (the others), in
    /// increasing order (the heap descriptor of the type `(key, value)`); a key's offset has
    /// [`IDENTITY_KEY`] added when the pointer is an instance (compared by identity), and is a
    /// string's otherwise. A constant of the compiled code, or null when neither holds any.
    pub heap: *const i64,
    /// As a list's: set by every change, for reflection.
    pub dirty: i64,
    /// As a list's: the Python dict this one was made from, during the call that made it.
    pub parent: *mut std::ffi::c_void,
    /// As a list's: whether the dict is a typed one and which Python object boxes it.
    pub boxing: Boxing,
}

/// Byte offsets of header fields compiled code reads inline, and of an entry's parts.
pub const LEN_OFFSET: u64 = 0;
pub const ENTRIES_OFFSET: u64 = 16;
pub const ENTRY_SIZE_OFFSET: u64 = 24;
pub const DIRTY_OFFSET: u64 = 72;
/// The key's slots start this many bytes into an entry (after the state and the hash).
pub const KEY_OFFSET: u64 = 16;

const DELETED: i64 = -1;

/// Added to the offset of a key's meminfo pointer in [`DictHeader::heap`] when it is a
/// jitclass instance, which hashes and compares by identity (its pointer) rather than as a
/// string (offsets are multiples of 8, so the low bits are free).
pub const IDENTITY_KEY: i64 = 1;

/// # Safety
/// `meminfo` is a live dict made by [`ferrojit_rt_dict_new`].
pub unsafe fn header<'a>(meminfo: *mut MemInfo) -> &'a mut DictHeader {
    &mut *(data(meminfo) as *mut DictHeader)
}

fn entries_layout(capacity: i64, entry_size: i64) -> Option<Layout> {
    let bytes = usize::try_from(capacity).ok()?.checked_mul(usize::try_from(entry_size).ok()?)?;
    Layout::from_size_align(bytes.max(8), 8).ok()
}

fn index_layout(slots: i64) -> Option<Layout> {
    Layout::array::<i64>(usize::try_from(slots).ok()?).ok()
}

/// The hash of a key without strings, from its bytes (the index uses the low bits).
fn hash_bytes(key: &[u8]) -> i64 {
    hash_words(key.chunks_exact(8).map(|w| u64::from_le_bytes(w.try_into().expect("8 bytes"))))
}

/// The hash of a key given as its 8-byte words (keys are whole words): each word mixed in by
/// one multiplication, then murmur3's finalizer, so that nearby ints spread over the table.
fn hash_words(words: impl Iterator<Item = u64>) -> i64 {
    let mut h: u64 = 0x9e37_79b9_7f4a_7c15;
    for w in words {
        h = (h ^ w).wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 32;
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h as i64
}

/// A new empty dict of entries of `key_size` and `value_size` bytes (multiples of 8) with room
/// for `hint` entries; `heap` describes the key's and the value's meminfo pointers (see
/// [`DictHeader::heap`]).
/// Null when the memory cannot be had.
#[no_mangle]
pub extern "C" fn ferrojit_rt_dict_new(key_size: i64, value_size: i64, heap: *const i64, hint: i64) -> *mut MemInfo {
    let entry_size = KEY_OFFSET as i64 + key_size + value_size;
    let capacity = hint.max(8);
    let slots = ((capacity * 3 / 2).max(8) as u64).next_power_of_two() as i64;
    let (Some(el), Some(il)) = (entries_layout(capacity, entry_size), index_layout(slots)) else { return std::ptr::null_mut() };
    // SAFETY: non-zero sizes.
    let (entries, index) = unsafe { (alloc_zeroed(el), alloc_zeroed(il) as *mut i64) };
    if entries.is_null() || index.is_null() {
        // SAFETY: each was allocated with its layout when not null.
        unsafe {
            if !entries.is_null() {
                dealloc(entries, el);
            }
            if !index.is_null() {
                dealloc(index as *mut u8, il);
            }
        }
        return std::ptr::null_mut();
    }
    let meminfo = alloc_with_drop(std::mem::size_of::<DictHeader>(), Some(drop_dict));
    if meminfo.is_null() {
        // SAFETY: as above.
        unsafe {
            dealloc(entries, el);
            dealloc(index as *mut u8, il);
        }
        return meminfo;
    }
    let dict = DictHeader {
        len: 0,
        used: 0,
        entries,
        entry_size,
        key_size,
        capacity,
        index,
        mask: slots - 1,
        heap,
        dirty: 0,
        parent: std::ptr::null_mut(),
        boxing: Boxing::PLAIN,
    };
    // SAFETY: the data of a fresh meminfo sized for the header.
    unsafe { (data(meminfo) as *mut DictHeader).write(dict) };
    meminfo
}

/// Marks a dict just made by compiled code (`Dict()`, `Dict.empty(k, v)`) as typed.
///
/// # Safety
/// `meminfo` is a live dict.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_dict_mark_typed(meminfo: *mut MemInfo) {
    let d = header(meminfo);
    d.boxing.typed = 1;
    // A typed dict has no parent (see `ferrojit_rt_list_mark_typed`).
    d.parent = std::ptr::null_mut();
}

unsafe fn entry(d: &DictHeader, i: i64) -> *mut u8 {
    d.entries.add((i * d.entry_size) as usize)
}

unsafe fn key_of<'a>(d: &DictHeader, i: i64) -> &'a [u8] {
    std::slice::from_raw_parts(entry(d, i).add(KEY_OFFSET as usize), d.key_size as usize)
}

/// The byte offsets (from the key's start) of the meminfo pointers of an entry: the key's
/// strings first (below `key_size`), then the value's.
unsafe fn heap_offsets<'a>(d: &impl KeyLayout) -> &'a [i64] {
    let heap = d.heap();
    if heap.is_null() {
        return &[];
    }
    std::slice::from_raw_parts(heap.add(1), *heap as usize)
}

/// What the key helpers read of a table (a dict's, or a set's: `crate::sets`): the size of its
/// keys and the descriptor of its meminfo pointers ([`DictHeader::heap`]).
pub(crate) trait KeyLayout {
    fn heap(&self) -> *const i64;
    fn key_size(&self) -> i64;
}

impl KeyLayout for DictHeader {
    fn heap(&self) -> *const i64 {
        self.heap
    }
    fn key_size(&self) -> i64 {
        self.key_size
    }
}

/// The offsets (flagged, see [`IDENTITY_KEY`]) of the key's meminfo pointers within a key.
pub(crate) unsafe fn key_meminfos<'a>(d: &impl KeyLayout) -> &'a [i64] {
    let all = heap_offsets(d);
    &all[..all.iter().take_while(|&&o| o < d.key_size()).count()]
}

/// The offsets of the key's strings within a key (its meminfo pointers that are not
/// instances), ascending.
unsafe fn key_strings(d: &impl KeyLayout) -> impl Iterator<Item = i64> + Clone {
    key_meminfos(d).iter().copied().filter(|o| o & IDENTITY_KEY == 0)
}

/// The meminfo pointer at the flagged `offset` of the key at `key`.
pub(crate) unsafe fn key_meminfo(key: *const u8, offset: i64) -> *mut MemInfo {
    *(key.add((offset & !IDENTITY_KEY) as usize) as *const *mut MemInfo)
}

/// The hash of a key: of its bytes, its strings' slots standing for their texts' hashes.
pub(crate) unsafe fn hash_key(d: &impl KeyLayout, key: &[u8]) -> i64 {
    let strings = key_strings(d);
    if strings.clone().next().is_none() {
        return hash_bytes(key);
    }
    // Offsets of strings are ascending: walk them beside the words.
    let mut next_string = strings.peekable();
    hash_words(key.chunks_exact(8).enumerate().map(|(i, w)| {
        if next_string.peek() == Some(&(8 * i as i64)) {
            next_string.next();
            crate::strings::ferrojit_rt_str_hash(*(w.as_ptr() as *const *mut MemInfo)) as u64
        } else {
            u64::from_le_bytes(w.try_into().expect("8 bytes"))
        }
    }))
}

/// Whether two keys are equal: their bytes, but their strings by text.
pub(crate) unsafe fn keys_equal(d: &impl KeyLayout, a: &[u8], b: &[u8]) -> bool {
    let strings = key_strings(d);
    if strings.clone().next().is_none() {
        return a == b;
    }
    let mut from = 0;
    for offset in strings {
        let at = offset as usize;
        let text = |k: &[u8]| *(k.as_ptr().add(at) as *const *mut MemInfo);
        if a[from..at] != b[from..at] || !crate::strings::equal(text(a), text(b)) {
            return false;
        }
        from = at + 8;
    }
    a[from..] == b[from..]
}

/// Releases the value of entry `i` and zeroes it.
unsafe fn release_value(d: &DictHeader, i: i64) {
    let key = entry(d, i).add(KEY_OFFSET as usize);
    for &offset in &heap_offsets(d)[key_meminfos(d).len()..] {
        release(*(key.add(offset as usize) as *const *mut MemInfo));
    }
    std::ptr::write_bytes(key.add(d.key_size as usize), 0, (d.entry_size - KEY_OFFSET as i64 - d.key_size) as usize);
}

/// Releases the strings and instances of the key of entry `i` (the entry is being removed).
unsafe fn release_key(d: &DictHeader, i: i64) {
    let key = entry(d, i).add(KEY_OFFSET as usize);
    for &offset in key_meminfos(d) {
        release(key_meminfo(key, offset));
    }
}

unsafe fn drop_dict(data: *mut u8) {
    let d = &*(data as *const DictHeader);
    for i in 0..d.used {
        if *(entry(d, i) as *const i64) == 1 {
            release_value(d, i);
            release_key(d, i);
        }
    }
    dealloc(d.entries, entries_layout(d.capacity, d.entry_size).expect("valid at allocation"));
    dealloc(d.index as *mut u8, index_layout(d.mask + 1).expect("valid at allocation"));
}

/// The index slots on the probe path of `hash`, in order, endless (the index always has
/// empty slots, so every walk that stops at the first empty one ends).
fn probe_path(hash: i64, mask: i64) -> impl Iterator<Item = usize> {
    let mut slot = (hash as u64 & mask as u64) as usize;
    let mut perturb = hash as u64;
    std::iter::from_fn(move || {
        let at = slot;
        perturb >>= 5;
        slot = ((slot as u64).wrapping_mul(5).wrapping_add(perturb).wrapping_add(1) & mask as u64) as usize;
        Some(at)
    })
}

/// The positions of the live entries of hash `hash`, in the order of its probe path.
unsafe fn entries_of_hash(d: &DictHeader, hash: i64) -> impl Iterator<Item = i64> + '_ {
    probe_path(hash, d.mask)
        .map(|slot| *d.index.add(slot))
        .take_while(|&at| at != 0)
        .filter(|&at| at != DELETED)
        .map(|at| at - 1)
        .filter(move |&i| *(entry(d, i).add(8) as *const i64) == hash)
}

/// The index slot of `key` (hash `hash`): where it is, or where it would go (the first deleted
/// slot met, else the empty one that ends the probe); and whether it is there.
unsafe fn probe(d: &DictHeader, hash: i64, key: &[u8]) -> (usize, bool) {
    let mut free = None;
    for slot in probe_path(hash, d.mask) {
        let at = *d.index.add(slot);
        if at == 0 {
            return (free.unwrap_or(slot), false);
        }
        if at == DELETED {
            free.get_or_insert(slot);
        } else {
            let i = at - 1;
            if *(entry(d, i).add(8) as *const i64) == hash && keys_equal(d, key_of(d, i), key) {
                return (slot, true);
            }
        }
    }
    unreachable!("a probe path is endless")
}

/// The index slot where a key of hash `hash` that is not in the dict goes: the first deleted
/// or empty slot of its path.
unsafe fn free_slot(d: &DictHeader, hash: i64) -> usize {
    probe_path(hash, d.mask).find(|&slot| matches!(*d.index.add(slot), 0 | DELETED)).expect("a probe path is endless")
}

/// The position of the entry of the key at `key` (`key_size` bytes), or -1.
///
/// # Safety
/// `meminfo` is a live dict whose keys the runtime compares (see the module's comment); `key`
/// points to `key_size` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_dict_find(meminfo: *mut MemInfo, key: *const u8) -> i64 {
    let d = header(meminfo);
    let key = std::slice::from_raw_parts(key, d.key_size as usize);
    match probe(d, hash_key(d, key), key) {
        (slot, true) => *d.index.add(slot) - 1,
        _ => -1,
    }
}

/// The position of the `n`-th (from 0) live entry of hash `hash`, in probe order, or -1 when
/// there are no more: compiled code compares each with its key by the key's `__eq__`.
///
/// # Safety
/// `meminfo` is a live dict.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_dict_candidate(meminfo: *mut MemInfo, hash: i64, n: i64) -> i64 {
    let d = header(meminfo);
    usize::try_from(n).ok().and_then(|n| entries_of_hash(d, hash).nth(n)).unwrap_or(-1)
}

/// The position of the entry of the key at `key`, made (with a null value, appended in
/// insertion order) when there is none; -2 when the memory cannot be had.
///
/// # Safety
/// As [`ferrojit_rt_dict_find`].
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_dict_insert(meminfo: *mut MemInfo, key: *const u8) -> i64 {
    let d = header(meminfo);
    let key = std::slice::from_raw_parts(key, d.key_size as usize);
    let hash = hash_key(d, key);
    match probe(d, hash, key) {
        (slot, true) => {
            d.dirty = 1;
            *d.index.add(slot) - 1
        }
        (slot, false) => append(meminfo, slot, key, hash),
    }
}

/// Appends an entry for the key at `key` of hash `hash`, which is not in the dict (compiled
/// code looked for it: see [`ferrojit_rt_dict_candidate`]): its position, its value null; -2
/// when the memory cannot be had.
///
/// # Safety
/// `meminfo` is a live dict; `key` points to `key_size` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_dict_insert_new(meminfo: *mut MemInfo, key: *const u8, hash: i64) -> i64 {
    let d = header(meminfo);
    let key = std::slice::from_raw_parts(key, d.key_size as usize);
    append(meminfo, free_slot(d, hash), key, hash)
}

/// Appends the entry of a key not in the dict, its index at `slot` (the key's free slot),
/// growing the dict first when it is full (which moves the slot).
unsafe fn append(meminfo: *mut MemInfo, slot: usize, key: &[u8], hash: i64) -> i64 {
    let d = header(meminfo);
    let mut slot = slot;
    if d.used == d.capacity || (d.used + 1) * 3 > (d.mask + 1) * 2 {
        if resize(d, (d.len + 1) * 2).is_none() {
            return -2;
        }
        slot = free_slot(d, hash);
    }
    let i = d.used;
    let e = entry(d, i);
    std::ptr::write_bytes(e, 0, d.entry_size as usize);
    *(e as *mut i64) = 1;
    *(e.add(8) as *mut i64) = hash;
    std::ptr::copy_nonoverlapping(key.as_ptr(), e.add(KEY_OFFSET as usize), key.len());
    // The dict's own references to the key's strings and instances.
    for &offset in key_meminfos(d) {
        crate::memory::ferrojit_rt_incref(key_meminfo(e.add(KEY_OFFSET as usize), offset));
    }
    *d.index.add(slot) = i + 1;
    d.used += 1;
    d.len += 1;
    d.dirty = 1;
    i
}

/// Rebuilds the entries (live ones only, in order) with room for `capacity` of them, and the
/// index for them.
unsafe fn resize(d: &mut DictHeader, capacity: i64) -> Option<()> {
    let capacity = capacity.max(8);
    let slots = ((capacity * 3 / 2 + 1) as u64).next_power_of_two() as i64;
    let el = entries_layout(capacity, d.entry_size)?;
    let il = index_layout(slots)?;
    // Compact the live entries to the front, in order.
    let mut w = 0;
    for r in 0..d.used {
        if *(entry(d, r) as *const i64) == 1 {
            if w != r {
                std::ptr::copy_nonoverlapping(entry(d, r), entry(d, w), d.entry_size as usize);
            }
            w += 1;
        }
    }
    let old_el = entries_layout(d.capacity, d.entry_size)?;
    let entries = if capacity == d.capacity { d.entries } else { realloc(d.entries, old_el, el.size()) };
    if entries.is_null() {
        d.used = w;
        return None;
    }
    let index = alloc_zeroed(il) as *mut i64;
    if index.is_null() {
        d.entries = entries;
        d.capacity = capacity;
        d.used = w;
        return None;
    }
    dealloc(d.index as *mut u8, index_layout(d.mask + 1)?);
    d.entries = entries;
    d.capacity = capacity;
    d.used = w;
    d.index = index;
    d.mask = slots - 1;
    // Keys are distinct: each goes to the first empty slot of its path.
    for i in 0..w {
        let hash = *(entry(d, i).add(8) as *const i64);
        *d.index.add(free_slot(d, hash)) = i + 1;
    }
    Some(())
}

/// Removes the live entry at position `i`, releasing its value.
///
/// # Safety
/// `meminfo` is a live dict and `i` one of its live entries.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_dict_delete(meminfo: *mut MemInfo, i: i64) {
    let d = header(meminfo);
    let hash = *(entry(d, i).add(8) as *const i64);
    // The entry's slot is the one on its hash's path that holds its position.
    let slot = probe_path(hash, d.mask).take_while(|&slot| *d.index.add(slot) != 0).find(|&slot| *d.index.add(slot) == i + 1);
    debug_assert!(slot.is_some());
    if let Some(slot) = slot {
        *d.index.add(slot) = DELETED;
    }
    release_value(d, i);
    release_key(d, i);
    *(entry(d, i) as *mut i64) = 0;
    d.len -= 1;
    d.dirty = 1;
}

/// The position of the first live entry at `from` or after, or -1.
///
/// # Safety
/// `meminfo` is a live dict.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_dict_next(meminfo: *mut MemInfo, from: i64) -> i64 {
    let d = header(meminfo);
    (from.max(0)..d.used).find(|&i| *(entry(d, i) as *const i64) == 1).unwrap_or(-1)
}

/// Removes every entry.
///
/// # Safety
/// `meminfo` is a live dict.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_dict_clear(meminfo: *mut MemInfo) {
    let d = header(meminfo);
    for i in 0..d.used {
        if *(entry(d, i) as *const i64) == 1 {
            release_value(d, i);
            release_key(d, i);
        }
    }
    std::ptr::write_bytes(d.index, 0, (d.mask + 1) as usize);
    d.used = 0;
    d.len = 0;
    d.dirty = 1;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::live_allocations;

    #[test]
    fn insert_find_delete_keep_order() {
        let _serial = crate::memory::allocation_test_lock();
        let before = live_allocations();
        let d = ferrojit_rt_dict_new(8, 8, std::ptr::null(), 0);
        unsafe {
            for k in 0..100i64 {
                let i = ferrojit_rt_dict_insert(d, &k as *const i64 as *const u8);
                assert_eq!(i, k);
                *(entry(header(d), i).add(24) as *mut i64) = k * 10;
            }
            for k in (0..100i64).step_by(2) {
                let i = ferrojit_rt_dict_find(d, &k as *const i64 as *const u8);
                ferrojit_rt_dict_delete(d, i);
            }
            assert_eq!(header(d).len, 50);
            let missing = 4i64;
            assert_eq!(ferrojit_rt_dict_find(d, &missing as *const i64 as *const u8), -1);
            // Growing compacts the entries, keeping their order.
            for k in 100..300i64 {
                let i = ferrojit_rt_dict_insert(d, &k as *const i64 as *const u8);
                *(entry(header(d), i).add(24) as *mut i64) = k * 10;
            }
            let mut keys = Vec::new();
            let mut at = ferrojit_rt_dict_next(d, 0);
            while at >= 0 {
                let h = header(d);
                keys.push(*(entry(h, at).add(16) as *const i64));
                assert_eq!(*(entry(h, at).add(24) as *const i64), keys.last().unwrap() * 10);
                at = ferrojit_rt_dict_next(d, at + 1);
            }
            let expected: Vec<i64> = (1..100).step_by(2).chain(100..300).collect();
            assert_eq!(keys, expected);
            release(d);
        }
        assert_eq!(live_allocations(), before);
    }

    #[test]
    fn identity_keys_are_held_and_compiled_equality_finds_its_candidates() {
        let _serial = crate::memory::allocation_test_lock();
        let before = live_allocations();
        // Keys: one instance pointer each, compared by identity.
        static HEAP: [i64; 2] = [1, IDENTITY_KEY];
        let d = ferrojit_rt_dict_new(8, 0, HEAP.as_ptr(), 0);
        let objects: Vec<*mut MemInfo> = (0..20).map(|_| crate::memory::ferrojit_rt_alloc(8)).collect();
        unsafe {
            for (i, o) in objects.iter().enumerate() {
                assert_eq!(ferrojit_rt_dict_insert(d, o as *const *mut MemInfo as *const u8), i as i64);
            }
            assert_eq!(ferrojit_rt_dict_insert(d, &objects[3] as *const *mut MemInfo as *const u8), 3);
            assert_eq!(header(d).len, 20);
            // The dict holds each key: dropping ours leaves them alive.
            for &o in &objects {
                release(o);
            }
            assert_eq!(live_allocations(), before + 21);
            ferrojit_rt_dict_delete(d, 5);
            assert_eq!(live_allocations(), before + 20);
            release(d);
        }
        assert_eq!(live_allocations(), before);
        // Keys of one hash, as compiled code inserts them when it compares keys itself: every
        // one is a candidate of that hash, in insertion order (one probe path), through growth
        // and deletion.
        let d = ferrojit_rt_dict_new(8, 0, std::ptr::null(), 0);
        unsafe {
            for k in 0..30i64 {
                assert_eq!(ferrojit_rt_dict_insert_new(d, &k as *const i64 as *const u8, 7), k);
            }
            ferrojit_rt_dict_delete(d, 4);
            let candidates: Vec<i64> = (0..).map(|n| ferrojit_rt_dict_candidate(d, 7, n)).take_while(|&i| i >= 0).collect();
            assert_eq!(candidates, (0..30).filter(|&i| i != 4).collect::<Vec<i64>>());
            assert_eq!(ferrojit_rt_dict_candidate(d, 8, 0), -1);
            release(d);
        }
        assert_eq!(live_allocations(), before);
    }
}
