//! Instances of jitclasses: reference-counted records of fields.
//!
//! An instance is a meminfo (see [`crate::memory`]) whose data is an [`InstanceHeader`]
//! followed, at [`FIELDS_OFFSET`], by the fields laid out as the slots of a compiled entry point
//! (every scalar in 8 bytes: `Type::leaves` of the tuple of the field types), as a list's items
//! are, so that boxing and unboxing a field reuse the argument and result code. Compiled code
//! reads and writes fields inline; only making an instance calls the runtime.
//!
//! Invariant: every field slot holds either a value whose references the instance owns or
//! zeros (a null meminfo, which reference counting skips). A new instance is all zeros, so an
//! instance freed before its `__init__` stored every field (an exception) releases exactly
//! what it holds. The header's `heap` descriptor says where the fields' meminfo pointers are:
//! `[count, offset_0, offset_1, ...]` in bytes from the first field, or null when none holds
//! one; it lives as long as the process (a constant of compiled code, or leaked by the binding
//! crate for its class).

use crate::memory::{allocate_zeroed_with_drop, release, MemInfo};

#[repr(C)]
pub struct InstanceHeader {
    pub heap: *const i64,
    /// The Python object that boxes the instance while one does (a borrowed pointer: the
    /// object holds a reference to the instance and clears this when it dies), null when none
    /// does; so that an instance reaching Python twice is the same object both times. Only
    /// code holding the GIL reads or writes it; compiled code never touches it.
    pub wrapper: *mut std::ffi::c_void,
}

/// Byte offset, from the start of the meminfo's data, of the first field.
pub const FIELDS_OFFSET: u64 = std::mem::size_of::<InstanceHeader>() as u64;

/// A new instance with `size` bytes of zeroed fields and the meminfo descriptor `heap`, one
/// reference; null when the memory cannot be had (compiled code raises `MemoryError`).
#[no_mangle]
pub extern "C" fn ferrojit_rt_instance_new(size: i64, heap: *const i64) -> *mut MemInfo {
    let Ok(size) = usize::try_from(size) else { return std::ptr::null_mut() };
    let meminfo = allocate_zeroed_with_drop(FIELDS_OFFSET as usize + size, drop_instance);
    if meminfo.is_null() {
        return meminfo;
    }
    // SAFETY: the data of a fresh meminfo sized for the header and the fields.
    unsafe { (crate::memory::data(meminfo) as *mut InstanceHeader).write(InstanceHeader { heap, wrapper: std::ptr::null_mut() }) };
    meminfo
}

/// The header of the instance `meminfo`.
///
/// # Safety
/// `meminfo` is a live instance made by [`ferrojit_rt_instance_new`].
pub unsafe fn header<'a>(meminfo: *mut MemInfo) -> &'a mut InstanceHeader {
    &mut *(crate::memory::data(meminfo) as *mut InstanceHeader)
}

/// The address of the first field of the instance `meminfo`.
///
/// # Safety
/// `meminfo` is a live instance made by [`ferrojit_rt_instance_new`].
pub unsafe fn fields(meminfo: *mut MemInfo) -> *mut u8 {
    crate::memory::data(meminfo).add(FIELDS_OFFSET as usize)
}

/// The destructor of an instance's data: releases the references its fields hold.
unsafe fn drop_instance(data: *mut u8) {
    let header = &*(data as *const InstanceHeader);
    if header.heap.is_null() {
        return;
    }
    let count = *header.heap as usize;
    let offsets = std::slice::from_raw_parts(header.heap.add(1), count);
    let fields = data.add(FIELDS_OFFSET as usize);
    for &offset in offsets {
        release(*(fields.add(offset as usize) as *const *mut MemInfo));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::memory::{ferrojit_rt_alloc, live_allocations};

    #[test]
    fn an_instance_releases_what_its_fields_hold() {
        let _serial = crate::memory::allocation_test_lock();
        let before = live_allocations();
        // Fields (float64, array meminfo at leaf 1, ...): one meminfo at byte 8.
        static HEAP: [i64; 2] = [1, 8];
        let instance = ferrojit_rt_instance_new(32, HEAP.as_ptr());
        assert!(!instance.is_null());
        unsafe {
            let f = fields(instance);
            assert!((0..32).all(|i| *f.add(i) == 0), "fields start zeroed");
            *(f.add(8) as *mut *mut MemInfo) = ferrojit_rt_alloc(16);
            assert_eq!(live_allocations(), before + 2);
            release(instance);
        }
        assert_eq!(live_allocations(), before);
        // An instance freed before its fields were stored releases nothing.
        let empty = ferrojit_rt_instance_new(16, HEAP.as_ptr());
        unsafe { release(empty) };
        assert_eq!(live_allocations(), before);
    }
}
