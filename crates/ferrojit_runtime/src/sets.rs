//! Sets: reference-counted hash tables laid out as CPython 3.11's (`Objects/setobject.c`), so
//! that a compiled set iterates, prints and pops its items in the order CPython's set of the
//! same history would.
//!
//! A set is a meminfo whose data is a [`SetHeader`]. Its entries are the hash table itself:
//! `mask + 1` slots (at least [`MIN_SIZE`]), each a state word ([`UNUSED`], [`LIVE`] or
//! [`DUMMY`], the mark a removal leaves), the key's hash and the key's slots, laid out as a
//! dict's entries without a value (so that compiled code reads `len`, keys and positions as it
//! reads a dict's: see `ferrojit_runtime::dicts`). A position is a slot; iteration walks the
//! slots in order. Keys compare as a dict's keys (their bytes, strings by text); keys whose
//! equality is a compiled `__eq__` are compared by compiled code, which walks the candidates
//! of a hash ([`ferrojit_rt_set_candidate`]) and adds a key it did not find
//! ([`ferrojit_rt_set_insert_new`]).
//!
//! The hash of a key is CPython's `hash()` of it, computed by compiled code (and by the
//! dispatcher, from the Python object, for sets packed from Python), so that keys take
//! CPython's slots. Keys CPython hashes by identity (jitclass instances without `__hash__`)
//! or that compiled code cannot hash (datetimes) are passed with the hash [`NO_HASH`]: the
//! runtime then hashes their bytes (their order is no CPython order to follow).
//!
//! What follows CPython step by step, because it decides the order: the probe sequence of
//! [`probe_path`]; an add takes the last dummy met on its key's path before the first unused
//! slot, else that unused slot, and only the latter counts in `fill` and may grow the table
//! (when `fill * 5 >= mask * 3`, to hold `used * 4` or `used * 2` past 50000); growing
//! re-inserts the live entries in slot order, each at the first unused slot of its path; a
//! removal leaves a dummy; `pop` walks from its finger; `clear` returns to the minimal table and
//! keeps the finger; [`ferrojit_rt_set_merge`] is `set_merge` (copies, unions, updates).
//!
//! Invariants: `len` counts the live entries, `fill` the live and dummy ones; `fill < mask + 1`
//! (an unused slot ends every walk); every live key lies on its hash's path before the first
//! unused slot; live keys are distinct; the set holds a reference to each string and instance
//! of its live keys.

use crate::dicts::{hash_key, key_meminfo, key_meminfos, keys_equal, KeyLayout, KEY_OFFSET};
use crate::lists::Boxing;
use crate::memory::{alloc_with_drop, data, release, MemInfo};
use crate::{raise, ExcInfo};
use std::alloc::{alloc_zeroed, dealloc, Layout};

#[repr(C)]
pub struct SetHeader {
    /// CPython's `used`: the live entries.
    pub len: i64,
    /// The live and dummy entries.
    pub fill: i64,
    /// The table: `mask + 1` entries of `entry_size` bytes.
    pub entries: *mut u8,
    pub entry_size: i64,
    pub key_size: i64,
    pub mask: i64,
    /// Where `pop` starts looking (CPython's `finger`), taken modulo the table's size.
    pub finger: i64,
    /// As a dict's (`DictHeader::heap`): the key's meminfo pointers.
    pub heap: *const i64,
    /// As a list's: set by every change, for reflection.
    pub dirty: i64,
    /// As a list's: the Python set this one was made from, during the call that made it.
    pub parent: *mut std::ffi::c_void,
    /// As a dict's (sets are never typed containers; kept so that the header reads alike).
    pub boxing: Boxing,
}

// Compiled code reads a set's length and entries at a dict's offsets.
const _: () = assert!(std::mem::offset_of!(SetHeader, len) as u64 == crate::dicts::LEN_OFFSET);
const _: () = assert!(std::mem::offset_of!(SetHeader, entries) as u64 == crate::dicts::ENTRIES_OFFSET);

/// Byte offset of the changed flag in the header.
pub const DIRTY_OFFSET: u64 = std::mem::offset_of!(SetHeader, dirty) as u64;

/// The hash compiled code passes for a key CPython's hash does not order (see the module's
/// comment): never a CPython hash, which is never -1.
pub const NO_HASH: i64 = -1;

/// The states of a slot.
const UNUSED: i64 = 0;
const LIVE: i64 = 1;
const DUMMY: i64 = -1;

/// CPython's `PySet_MINSIZE`, `LINEAR_PROBES` and `PERTURB_SHIFT`.
const MIN_SIZE: i64 = 8;
const LINEAR_PROBES: u64 = 9;
const PERTURB_SHIFT: u32 = 5;

impl KeyLayout for SetHeader {
    fn heap(&self) -> *const i64 {
        self.heap
    }
    fn key_size(&self) -> i64 {
        self.key_size
    }
}

/// # Safety
/// `meminfo` is a live set made by [`ferrojit_rt_set_new`].
pub unsafe fn header<'a>(meminfo: *mut MemInfo) -> &'a mut SetHeader {
    &mut *(data(meminfo) as *mut SetHeader)
}

fn table_layout(slots: i64, entry_size: i64) -> Option<Layout> {
    let bytes = usize::try_from(slots).ok()?.checked_mul(usize::try_from(entry_size).ok()?)?;
    Layout::from_size_align(bytes, 8).ok()
}

/// A zeroed table of `slots` entries (all unused), or null.
fn new_table(slots: i64, entry_size: i64) -> *mut u8 {
    match table_layout(slots, entry_size) {
        // SAFETY: a non-zero size (slots >= 8, entries >= 16 bytes).
        Some(layout) => unsafe { alloc_zeroed(layout) },
        None => std::ptr::null_mut(),
    }
}

/// A new empty set of keys of `key_size` bytes (a multiple of 8) with the minimal table;
/// `heap` describes the key's meminfo pointers. Null when the memory cannot be had.
#[no_mangle]
pub extern "C" fn ferrojit_rt_set_new(key_size: i64, heap: *const i64) -> *mut MemInfo {
    let entry_size = KEY_OFFSET as i64 + key_size;
    let entries = new_table(MIN_SIZE, entry_size);
    if entries.is_null() {
        return std::ptr::null_mut();
    }
    let meminfo = alloc_with_drop(std::mem::size_of::<SetHeader>(), Some(drop_set));
    if meminfo.is_null() {
        // SAFETY: allocated above with this layout.
        unsafe { dealloc(entries, table_layout(MIN_SIZE, entry_size).expect("valid at allocation")) };
        return meminfo;
    }
    let set = SetHeader {
        len: 0,
        fill: 0,
        entries,
        entry_size,
        key_size,
        mask: MIN_SIZE - 1,
        finger: 0,
        heap,
        dirty: 0,
        parent: std::ptr::null_mut(),
        boxing: Boxing::PLAIN,
    };
    // SAFETY: the data of a fresh meminfo sized for the header.
    unsafe { (data(meminfo) as *mut SetHeader).write(set) };
    meminfo
}

unsafe fn entry(s: &SetHeader, i: i64) -> *mut u8 {
    s.entries.add((i * s.entry_size) as usize)
}

unsafe fn state(s: &SetHeader, i: i64) -> i64 {
    *(entry(s, i) as *const i64)
}

unsafe fn stored_hash(s: &SetHeader, i: i64) -> i64 {
    *(entry(s, i).add(8) as *const i64)
}

unsafe fn key_of<'a>(s: &SetHeader, i: i64) -> &'a [u8] {
    std::slice::from_raw_parts(entry(s, i).add(KEY_OFFSET as usize), s.key_size as usize)
}

/// Releases the strings and instances of the key of entry `i` (the entry is being removed).
unsafe fn release_key(s: &SetHeader, i: i64) {
    let key = entry(s, i).add(KEY_OFFSET as usize);
    for &offset in key_meminfos(s) {
        release(key_meminfo(key, offset));
    }
}

/// Takes the set's own references to the key of entry `i` (just copied in).
unsafe fn hold_key(s: &SetHeader, i: i64) {
    let key = entry(s, i).add(KEY_OFFSET as usize);
    for &offset in key_meminfos(s) {
        crate::memory::ferrojit_rt_incref(key_meminfo(key, offset));
    }
}

unsafe fn drop_set(data: *mut u8) {
    let s = &*(data as *const SetHeader);
    for i in 0..=s.mask {
        if state(s, i) == LIVE {
            release_key(s, i);
        }
    }
    dealloc(s.entries, table_layout(s.mask + 1, s.entry_size).expect("valid at allocation"));
}

/// The hash a key is stored with: CPython's, as given, or for [`NO_HASH`] one of its bytes
/// (never -1 either, as CPython's).
unsafe fn effective_hash(s: &SetHeader, key: &[u8], hash: i64) -> i64 {
    if hash != NO_HASH {
        return hash;
    }
    match hash_key(s, key) {
        -1 => -2,
        h => h,
    }
}

/// The slots CPython visits for `hash` in a table of `mask + 1` (`set_lookkey`,
/// `set_add_entry`, `set_insert_clean`): from `hash & mask`, the slot and the
/// [`LINEAR_PROBES`] after it when they all lie before the table's end (else the slot alone),
/// then the next start `(i * 5 + 1 + perturb) & mask`, `perturb` shifted down each time.
/// Endless (an unused slot ends every walk).
fn probe_path(hash: i64, mask: i64) -> impl Iterator<Item = i64> {
    let mask = mask as u64;
    let mut start = hash as u64 & mask;
    let mut perturb = hash as u64;
    let mut at = start;
    let mut end = if start + LINEAR_PROBES <= mask { start + LINEAR_PROBES } else { start };
    std::iter::from_fn(move || {
        let slot = at;
        if at < end {
            at += 1;
        } else {
            perturb >>= PERTURB_SHIFT;
            start = (start.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
            at = start;
            end = if start + LINEAR_PROBES <= mask { start + LINEAR_PROBES } else { start };
        }
        Some(slot as i64)
    })
}

/// Where the key at `key` (hash `hash`) is, or where an add puts it: `Ok(slot)` when found,
/// `Err(slot)` for the last dummy met before the first unused slot, else that unused slot.
unsafe fn probe(s: &SetHeader, hash: i64, key: Option<&[u8]>) -> Result<i64, i64> {
    let mut dummy = None;
    for slot in probe_path(hash, s.mask) {
        match state(s, slot) {
            UNUSED => return Err(dummy.unwrap_or(slot)),
            DUMMY => dummy = Some(slot),
            _ => {
                if let Some(key) = key {
                    if stored_hash(s, slot) == hash && keys_equal(s, key_of(s, slot), key) {
                        return Ok(slot);
                    }
                }
            }
        }
    }
    unreachable!("a probe path is endless")
}

/// Writes the entry of a key not in the set at `slot` (from [`probe`]), taking the set's
/// references to its strings and instances; grows the table as CPython does after filling an
/// unused slot. The key's slot after that, or -2 when the table cannot grow.
unsafe fn add_at(meminfo: *mut MemInfo, slot: i64, key: &[u8], hash: i64) -> i64 {
    let s = header(meminfo);
    let was_unused = state(s, slot) == UNUSED;
    let e = entry(s, slot);
    *(e as *mut i64) = LIVE;
    *(e.add(8) as *mut i64) = hash;
    std::ptr::copy_nonoverlapping(key.as_ptr(), e.add(KEY_OFFSET as usize), key.len());
    hold_key(s, slot);
    s.len += 1;
    s.dirty = 1;
    if !was_unused {
        return slot;
    }
    s.fill += 1;
    if s.fill * 5 < s.mask * 3 {
        return slot;
    }
    let minused = if s.len > 50000 { s.len * 2 } else { s.len * 4 };
    if resize(s, minused).is_none() {
        return -2;
    }
    // The key's new slot: the live entry of its bytes on its path.
    match probe(s, hash, Some(key)) {
        Ok(slot) => slot,
        Err(_) => unreachable!("a key re-inserted by the resize"),
    }
}

/// CPython's `set_insert_clean`: the first unused slot of `hash`'s path (the table has no
/// dummies on it, and the key is not there).
unsafe fn clean_slot(s: &SetHeader, hash: i64) -> i64 {
    probe_path(hash, s.mask).find(|&slot| state(s, slot) == UNUSED).expect("a probe path is endless")
}

/// CPython's `set_table_resize`: a table of the smallest power of two above `minused` (at least
/// [`MIN_SIZE`]) holding the live entries, re-inserted in slot order. None (the set unchanged)
/// when the memory cannot be had.
unsafe fn resize(s: &mut SetHeader, minused: i64) -> Option<()> {
    let mut size = MIN_SIZE;
    while size <= minused {
        size = size.checked_mul(2)?;
    }
    if size == MIN_SIZE && s.mask == MIN_SIZE - 1 && s.fill == s.len {
        // CPython keeps a minimal table without dummies as it is.
        return Some(());
    }
    let table = new_table(size, s.entry_size);
    if table.is_null() {
        return None;
    }
    let (old, old_slots) = (s.entries, s.mask + 1);
    s.entries = table;
    s.mask = size - 1;
    for i in 0..old_slots {
        let from = old.add((i * s.entry_size) as usize);
        if *(from as *const i64) == LIVE {
            let slot = clean_slot(s, *(from.add(8) as *const i64));
            std::ptr::copy_nonoverlapping(from, entry(s, slot), s.entry_size as usize);
        }
    }
    s.fill = s.len;
    dealloc(old, table_layout(old_slots, s.entry_size)?);
    Some(())
}

/// The slot of the key at `key` (`key_size` bytes) of hash `hash` (see [`NO_HASH`]), or -1.
///
/// # Safety
/// `meminfo` is a live set whose keys the runtime compares (see the module's comment); `key`
/// points to `key_size` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_set_find(meminfo: *mut MemInfo, key: *const u8, hash: i64) -> i64 {
    let s = header(meminfo);
    let key = std::slice::from_raw_parts(key, s.key_size as usize);
    probe(s, effective_hash(s, key, hash), Some(key)).unwrap_or(-1)
}

/// CPython's `set_add_entry`: the slot of the key at `key` (hash `hash`), added when missing;
/// -2 when the table cannot grow.
///
/// # Safety
/// As [`ferrojit_rt_set_find`].
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_set_insert(meminfo: *mut MemInfo, key: *const u8, hash: i64) -> i64 {
    let s = header(meminfo);
    let key = std::slice::from_raw_parts(key, s.key_size as usize);
    let hash = effective_hash(s, key, hash);
    match probe(s, hash, Some(key)) {
        Ok(slot) => slot,
        Err(slot) => add_at(meminfo, slot, key, hash),
    }
}

/// Adds the key at `key` of hash `hash`, which is not in the set (compiled code looked for it:
/// see [`ferrojit_rt_set_candidate`]): its slot; -2 when the table cannot grow.
///
/// # Safety
/// `meminfo` is a live set; `key` points to `key_size` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_set_insert_new(meminfo: *mut MemInfo, key: *const u8, hash: i64) -> i64 {
    let s = header(meminfo);
    let key = std::slice::from_raw_parts(key, s.key_size as usize);
    let slot = match probe(s, hash, None) {
        Ok(_) => unreachable!("no key matches without one to compare"),
        Err(slot) => slot,
    };
    add_at(meminfo, slot, key, hash)
}

/// The slot of the `n`-th (from 0) live entry of hash `hash` on that hash's path, or -1 when
/// there are no more: compiled code compares each with its key by the key's `__eq__`.
///
/// # Safety
/// `meminfo` is a live set.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_set_candidate(meminfo: *mut MemInfo, hash: i64, n: i64) -> i64 {
    let s = header(meminfo);
    let Ok(n) = usize::try_from(n) else { return -1 };
    probe_path(hash, s.mask)
        .take_while(|&slot| state(s, slot) != UNUSED)
        .filter(|&slot| state(s, slot) == LIVE && stored_hash(s, slot) == hash)
        .nth(n)
        .unwrap_or(-1)
}

/// Removes the live entry at `slot`, leaving a dummy (CPython's `set_discard_entry`).
///
/// # Safety
/// `meminfo` is a live set and `slot` one of its live entries.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_set_delete(meminfo: *mut MemInfo, slot: i64) {
    let s = header(meminfo);
    release_key(s, slot);
    let e = entry(s, slot);
    std::ptr::write_bytes(e, 0, s.entry_size as usize);
    *(e as *mut i64) = DUMMY;
    *(e.add(8) as *mut i64) = -1;
    s.len -= 1;
    s.dirty = 1;
}

/// The first live slot at `from` or after, or -1.
///
/// # Safety
/// `meminfo` is a live set.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_set_next(meminfo: *mut MemInfo, from: i64) -> i64 {
    let s = header(meminfo);
    (from.max(0)..=s.mask).find(|&i| state(s, i) == LIVE).unwrap_or(-1)
}

/// The slot `pop` takes (CPython's `set_pop`): the first live one from the finger on, round
/// the table; the finger moves past it. -1 when the set is empty. Compiled code reads the key
/// and removes the entry.
///
/// # Safety
/// `meminfo` is a live set.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_set_pop_slot(meminfo: *mut MemInfo) -> i64 {
    let s = header(meminfo);
    if s.len == 0 {
        return -1;
    }
    let mut slot = s.finger & s.mask;
    while state(s, slot) != LIVE {
        slot = if slot == s.mask { 0 } else { slot + 1 };
    }
    s.finger = slot + 1;
    slot
}

/// Removes every entry, the table back to the minimal one (CPython's `set_clear_internal`,
/// which keeps the finger).
///
/// # Safety
/// `meminfo` is a live set.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_set_clear(meminfo: *mut MemInfo) {
    let s = header(meminfo);
    for i in 0..=s.mask {
        if state(s, i) == LIVE {
            release_key(s, i);
        }
    }
    if s.mask == MIN_SIZE - 1 {
        std::ptr::write_bytes(s.entries, 0, (MIN_SIZE * s.entry_size) as usize);
    } else {
        let table = new_table(MIN_SIZE, s.entry_size);
        if table.is_null() {
            // Keep the larger table, emptied: still a valid set.
            std::ptr::write_bytes(s.entries, 0, ((s.mask + 1) * s.entry_size) as usize);
        } else {
            dealloc(s.entries, table_layout(s.mask + 1, s.entry_size).expect("valid at allocation"));
            s.entries = table;
            s.mask = MIN_SIZE - 1;
        }
    }
    s.len = 0;
    s.fill = 0;
    s.dirty = 1;
}

/// CPython's `set_swap_bodies`: `a` and `b` (two sets of one type) exchange their tables, so
/// that `a` becomes the set `b` was, in its order (`intersection_update`, `&=`).
///
/// # Safety
/// `a` and `b` are live sets of one type.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_set_swap_bodies(a: *mut MemInfo, b: *mut MemInfo) -> i64 {
    let (a, b) = (header(a), header(b));
    std::mem::swap(&mut a.len, &mut b.len);
    std::mem::swap(&mut a.fill, &mut b.fill);
    std::mem::swap(&mut a.entries, &mut b.entries);
    std::mem::swap(&mut a.mask, &mut b.mask);
    std::mem::swap(&mut a.finger, &mut b.finger);
    a.dirty = 1;
    b.dirty = 1;
    0
}

/// The start of CPython's `set_merge` of `other` into `s` (two sets of one type): the table
/// grown once for both, then, when `s` is empty, `other`'s entries copied (slot for slot when
/// the tables are alike and `other` has no dummies, else re-inserted in slot order). Returns 1
/// when done, 0 when `s` was not empty and compiled code must add `other`'s items one by one,
/// in slot order (which compares keys as the set does); raises `MemoryError` (returning -1).
///
/// # Safety
/// `s` and `other` are live sets of one type.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_set_merge(s: *mut MemInfo, other: *mut MemInfo, exc: *mut ExcInfo) -> i64 {
    if s == other || header(other).len == 0 {
        return 1;
    }
    let (so, o) = (header(s), header(other));
    if (so.fill + o.len) * 5 >= so.mask * 3 && resize(so, (so.len + o.len) * 2).is_none() {
        raise(exc, crate::strings::EXC_MEMORY_ERROR, "cannot allocate memory for the set");
        return -1;
    }
    if so.fill != 0 {
        return 0;
    }
    if so.mask == o.mask && o.fill == o.len {
        for i in 0..=o.mask {
            if state(o, i) == LIVE {
                std::ptr::copy_nonoverlapping(entry(o, i), entry(so, i), so.entry_size as usize);
                hold_key(so, i);
            }
        }
    } else {
        for i in 0..=o.mask {
            if state(o, i) == LIVE {
                let slot = clean_slot(so, stored_hash(o, i));
                std::ptr::copy_nonoverlapping(entry(o, i), entry(so, slot), so.entry_size as usize);
                hold_key(so, slot);
            }
        }
    }
    so.len = o.len;
    so.fill = o.len;
    so.dirty = 1;
    1
}

/// The end of CPython's `set_difference_update`: when more than a quarter of the table is
/// dummies, the table rebuilt (as after an add). Raises `MemoryError` (returning -1).
///
/// # Safety
/// `meminfo` is a live set.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_set_purge_dummies(meminfo: *mut MemInfo, exc: *mut ExcInfo) -> i64 {
    let s = header(meminfo);
    if s.fill - s.len <= s.mask / 4 {
        return 0;
    }
    let minused = if s.len > 50000 { s.len * 2 } else { s.len * 4 };
    if resize(s, minused).is_none() {
        raise(exc, crate::strings::EXC_MEMORY_ERROR, "cannot allocate memory for the set");
        return -1;
    }
    0
}

/// Lays the set out as a CPython set's table: `states[i]` is [`LIVE`] (with `hashes[i]` and
/// the key's bytes at `keys + i * key_size`, the set taking references of its own), [`DUMMY`]
/// or [`UNUSED`] for each of `slots` (a power of two, at least [`MIN_SIZE`]), so that a set
/// packed from Python iterates and pops as that set does. The set must be empty with the
/// minimal table; false (the set unchanged) when the memory cannot be had.
///
/// # Safety
/// `meminfo` is a live empty set; the arrays hold `slots` items (`keys`: their keys' bytes).
pub unsafe fn adopt_layout(meminfo: *mut MemInfo, slots: i64, states: &[i64], hashes: &[i64], keys: &[u8], finger: i64) -> bool {
    let s = header(meminfo);
    let table = new_table(slots, s.entry_size);
    if table.is_null() {
        return false;
    }
    dealloc(s.entries, table_layout(s.mask + 1, s.entry_size).expect("valid at allocation"));
    s.entries = table;
    s.mask = slots - 1;
    s.finger = finger;
    let key_size = s.key_size as usize;
    for i in 0..slots {
        let e = entry(s, i);
        match states[i as usize] {
            LIVE => {
                *(e as *mut i64) = LIVE;
                *(e.add(8) as *mut i64) = hashes[i as usize];
                std::ptr::copy_nonoverlapping(keys.as_ptr().add(i as usize * key_size), e.add(KEY_OFFSET as usize), key_size);
                hold_key(s, i);
                s.len += 1;
                s.fill += 1;
            }
            DUMMY => {
                *(e as *mut i64) = DUMMY;
                *(e.add(8) as *mut i64) = -1;
                s.fill += 1;
            }
            _ => {}
        }
    }
    true
}

/// The states of a slot, for [`adopt_layout`].
pub const SLOT_LIVE: i64 = LIVE;
pub const SLOT_DUMMY: i64 = DUMMY;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::live_allocations;

    unsafe fn keys(s: *mut MemInfo) -> Vec<i64> {
        let mut out = Vec::new();
        let mut at = ferrojit_rt_set_next(s, 0);
        while at >= 0 {
            out.push(*(key_of(header(s), at).as_ptr() as *const i64));
            at = ferrojit_rt_set_next(s, at + 1);
        }
        out
    }

    #[test]
    fn small_ints_take_their_slots_and_collisions_probe_linearly() {
        let _serial = crate::memory::allocation_test_lock();
        let before = live_allocations();
        let s = ferrojit_rt_set_new(8, std::ptr::null());
        unsafe {
            // CPython: list({8, 3, 16, 1}) == [8, 16, 3, 1] (hash(n) == n, from slot n & 7; in
            // the minimal table no linear probes fit, so 16 goes on to slot 1, 1 to slot 6).
            for k in [8i64, 3, 16, 1] {
                assert!(ferrojit_rt_set_insert(s, &k as *const i64 as *const u8, k) >= 0);
            }
            assert_eq!(keys(s), vec![8, 16, 3, 1]);
            // Growth at the fifth item (fill * 5 >= mask * 3) re-inserts in slot order.
            for k in 100..200i64 {
                ferrojit_rt_set_insert(s, &k as *const i64 as *const u8, k);
            }
            let mut expected: Vec<i64> = [8i64, 3, 16, 1].into_iter().chain(100..200).collect();
            expected.sort_by_key(|&k| (k & 511, k));
            assert_eq!(keys(s), expected);
            let k = 150i64;
            let at = ferrojit_rt_set_find(s, &k as *const i64 as *const u8, k);
            ferrojit_rt_set_delete(s, at);
            assert_eq!(ferrojit_rt_set_find(s, &k as *const i64 as *const u8, k), -1);
            assert_eq!(header(s).len, 103);
            release(s);
        }
        assert_eq!(live_allocations(), before);
    }
}
