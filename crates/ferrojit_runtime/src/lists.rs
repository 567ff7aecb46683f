//! Lists: reference-counted, growable vectors of items of one type.
//!
//! A list is a meminfo (see [`crate::memory`]) whose data is a [`ListHeader`]; the items live in
//! a separate buffer that grows by reallocation, so that the list's own address (what every
//! holder keeps) never changes. An item takes `slot` bytes laid out as the slots of a compiled
//! entry point (every scalar of the item in 8 bytes: `Type::leaves`), so that boxing and
//! unboxing items reuse the argument and result code.
//!
//! Invariant: every item slot below `len` holds either a value whose references the list owns
//! or zeros (a null meminfo, which reference counting skips). New slots start zeroed, so a list
//! freed midway through filling (an exception) releases exactly what it holds. The header's
//! `heap` descriptor says where in an item its meminfo pointers are: a constant of the compiled
//! code, `[count, offset_0, offset_1, ...]` in bytes, or null when items hold none.

use crate::memory::{alloc_with_drop, data, release, MemInfo};
use std::alloc::{alloc_zeroed, dealloc, realloc, Layout};

#[repr(C)]
pub struct ListHeader {
    pub len: i64,
    pub capacity: i64,
    pub items: *mut u8,
    /// Bytes per item: a multiple of 8.
    pub slot: i64,
    pub heap: *const i64,
    /// Set by every change to the list; the dispatcher writes a changed list argument back to
    /// the caller's Python list (Numba's reflection), and clears it.
    pub dirty: i64,
    /// The Python list this list was made from (an argument), valid only during the call that
    /// made it, for reflection; null for lists made by compiled code and for typed lists.
    pub parent: *mut std::ffi::c_void,
    /// Whether the list is a typed one and which Python object boxes it (see [`Boxing`]).
    pub boxing: Boxing,
}

/// How a container (list, dict or set) goes back to Python, kept at the end of its header
/// (after every field compiled code reads inline).
///
/// A *plain* container (`typed == 0`) is Numba's reflected one: a Python list or dict argument
/// is copied in and written back after the call, and one made by compiled code becomes a new
/// Python list or dict. A *typed* container (`typed == 1`: `ferrojit.typed.List`/`Dict`) is
/// shared, never copied: the Python object that boxes it owns one reference to it, passing it
/// to compiled code passes the meminfo itself, and boxing it gives back that very object.
///
/// Invariants: `typed` is set when the container is made and never changes; at most one Python
/// object boxes a typed container at a time, and `wrapper` names it while it lives (a borrowed
/// pointer: the object holds a reference to the container, so the container outlives it, and
/// it clears the field when it dies), null when none does. Only code holding the GIL reads or
/// writes `wrapper`; compiled code never touches either field.
#[repr(C)]
pub struct Boxing {
    pub typed: i64,
    pub wrapper: *mut std::ffi::c_void,
}

impl Boxing {
    pub const PLAIN: Boxing = Boxing { typed: 0, wrapper: std::ptr::null_mut() };
}

/// Byte offsets, from the start of the meminfo's data, of the header fields compiled code reads
/// and writes inline.
pub const LEN_OFFSET: u64 = 0;
pub const CAPACITY_OFFSET: u64 = 8;
pub const ITEMS_OFFSET: u64 = 16;
pub const DIRTY_OFFSET: u64 = 40;

/// The header of the list `meminfo`.
///
/// # Safety
/// `meminfo` is a live list made by [`ferrojit_rt_list_new`].
pub unsafe fn header<'a>(meminfo: *mut MemInfo) -> &'a mut ListHeader {
    &mut *(data(meminfo) as *mut ListHeader)
}

fn items_layout(capacity: i64, slot: i64) -> Option<Layout> {
    let bytes = usize::try_from(capacity).ok()?.checked_mul(usize::try_from(slot).ok()?)?;
    Layout::from_size_align(bytes.max(8), 8).ok()
}

/// A new list of `len` zeroed items of `slot` bytes with the meminfo descriptor `heap`; null
/// when the memory cannot be had (compiled code raises `MemoryError`).
#[no_mangle]
pub extern "C" fn ferrojit_rt_list_new(slot: i64, heap: *const i64, len: i64) -> *mut MemInfo {
    let Some(layout) = items_layout(len, slot) else { return std::ptr::null_mut() };
    // SAFETY: the layout's size is at least 8.
    let items = unsafe { alloc_zeroed(layout) };
    if items.is_null() {
        return std::ptr::null_mut();
    }
    let meminfo = alloc_with_drop(std::mem::size_of::<ListHeader>(), Some(drop_list));
    if meminfo.is_null() {
        // SAFETY: just allocated with this layout.
        unsafe { dealloc(items, layout) };
        return meminfo;
    }
    let list = ListHeader { len, capacity: len, items, slot, heap, dirty: 0, parent: std::ptr::null_mut(), boxing: Boxing::PLAIN };
    // SAFETY: the data of a fresh meminfo sized for the header.
    unsafe { (data(meminfo) as *mut ListHeader).write(list) };
    meminfo
}

/// Marks a list as typed: one just made by compiled code (`List()`, `List.empty_list(t)`),
/// or one stored into a jitclass's field of a typed-list type. A typed list has no parent: a
/// list argument stored so is the instance's from then on, and is not written back to the
/// caller's Python list (whose pointer would outlive the call that made it valid).
///
/// # Safety
/// `meminfo` is a live list.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_list_mark_typed(meminfo: *mut MemInfo) {
    let list = header(meminfo);
    list.boxing.typed = 1;
    list.parent = std::ptr::null_mut();
}

/// Releases the references held by items `[from, to)`.
unsafe fn release_items(list: &ListHeader, from: i64, to: i64) {
    if list.heap.is_null() {
        return;
    }
    let count = *list.heap as usize;
    let offsets = std::slice::from_raw_parts(list.heap.add(1), count);
    for i in from..to {
        let item = list.items.add((i * list.slot) as usize);
        for &offset in offsets {
            release(*(item.add(offset as usize) as *const *mut MemInfo));
        }
    }
}

/// The destructor of a list's data: releases its items and frees their buffer.
unsafe fn drop_list(data: *mut u8) {
    let list = &*(data as *const ListHeader);
    release_items(list, 0, list.len);
    let layout = items_layout(list.capacity, list.slot).expect("layout was valid at allocation");
    dealloc(list.items, layout);
}

/// Replaces the `remove` items at `at` by `insert` zeroed ones (releasing the removed items and
/// moving the ones after them), growing the buffer when needed: every change of a list's
/// length (append, insert, pop, del, clear, slice assignment) is one splice. Returns 0, or -1
/// (changing nothing) when the memory cannot be had.
///
/// # Safety
/// `meminfo` is a live list; `0 <= at`, `0 <= remove`, `at + remove <= len`, `0 <= insert`
/// (compiled code checks these before calling).
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_list_splice(meminfo: *mut MemInfo, at: i64, remove: i64, insert: i64) -> i64 {
    let list = header(meminfo);
    let Some(new_len) = (list.len - remove).checked_add(insert) else { return -1 };
    if new_len > list.capacity && grow(list, new_len).is_none() {
        return -1;
    }
    release_items(list, at, at + remove);
    let slot = list.slot as usize;
    let tail = (list.len - at - remove) as usize;
    if remove != insert && tail > 0 {
        std::ptr::copy(list.items.add((at + remove) as usize * slot), list.items.add((at + insert) as usize * slot), tail * slot);
    }
    std::ptr::write_bytes(list.items.add(at as usize * slot), 0, insert as usize * slot);
    list.len = new_len;
    list.dirty = 1;
    0
}

/// Grows the buffer to hold at least `needed` items, doubling it at least (amortised constant
/// time per append).
unsafe fn grow(list: &mut ListHeader, needed: i64) -> Option<()> {
    let capacity = needed.max(list.capacity.checked_mul(2)?).max(4);
    let old = items_layout(list.capacity, list.slot)?;
    let new = items_layout(capacity, list.slot)?;
    let items = realloc(list.items, old, new.size());
    if items.is_null() {
        return None;
    }
    list.items = items;
    list.capacity = capacity;
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::{ferrojit_rt_alloc, ferrojit_rt_incref, live_allocations};

    #[test]
    fn splices_keep_items_and_release_removed_references() {
        let _serial = crate::memory::allocation_test_lock();
        let before = live_allocations();
        // Items of two slots whose second holds a meminfo.
        static HEAP: [i64; 2] = [1, 8];
        let list = ferrojit_rt_list_new(16, HEAP.as_ptr(), 0);
        let inner = ferrojit_rt_alloc(8);
        unsafe {
            for k in 0..10 {
                assert_eq!(ferrojit_rt_list_splice(list, k, 0, 1), 0);
                let h = header(list);
                let item = h.items.add(16 * k as usize);
                *(item as *mut i64) = k;
                ferrojit_rt_incref(inner);
                *(item.add(8) as *mut *mut MemInfo) = inner;
            }
            // Remove items 2..5 and open two zeroed ones in their place.
            assert_eq!(ferrojit_rt_list_splice(list, 2, 3, 2), 0);
            let h = header(list);
            assert_eq!(h.len, 9);
            let firsts: Vec<i64> = (0..9).map(|i| *(h.items.add(16 * i) as *const i64)).collect();
            assert_eq!(firsts, [0, 1, 0, 0, 5, 6, 7, 8, 9]);
            assert_eq!(h.dirty, 1);
            release(list);
            // The list held 7 references to `inner` and dropped them all.
            assert_eq!(live_allocations(), before + 1);
            release(inner);
        }
        assert_eq!(live_allocations(), before);
    }
}
