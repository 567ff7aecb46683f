//! Reference-counted memory for arrays (and lists) created by compiled code.
//!
//! One allocation holds a [`MemInfo`] header followed (64-byte aligned) by the array data (or
//! a list's header, see [`crate::lists`]). A
//! meminfo starts with one reference; compiled code adds one for every local that holds the
//! array and drops them when the locals are overwritten or the function returns; an ndarray
//! returned to Python owns one through its base object. The allocation is freed when the count
//! reaches zero.
//!
//! Arrays passed in from Python are borrowed: their meminfo field holds the ndarray's address
//! with the low bit set ([`is_borrowed`]); reference counting ignores such values, and null.
//!
//! A borrowed array stored where it may outlive the call (a list item, a dict value: see
//! [`ferrojit_rt_own_array`]) becomes owned: a small allocation holding a reference to the
//! ndarray, released with it.
//!
//! Threads: a meminfo is reachable from one thread while compiled code holds it. Compiled code
//! gets arrays from Python only as borrowed ones (even arrays it made earlier: the ndarray is
//! passed, tagged), and it hands a meminfo to Python only by returning it, after which no
//! compiled code touches it again. So the counting functions compiled code calls
//! ([`ferrojit_rt_incref`], [`ferrojit_rt_decref`]) use plain (relaxed) loads and stores, with
//! no locked instruction; only owners on the Python side, which may drop on any thread holding
//! the GIL, use the atomic [`release`].

use std::alloc::{alloc, alloc_zeroed, dealloc, Layout};
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};

#[repr(C)]
pub struct MemInfo {
    refcount: AtomicUsize,
    /// Bytes of data after the header.
    size: usize,
    /// Run on the data when the last reference goes, before the memory is freed: what a value
    /// holding other allocations (a list's items) releases. `None` for arrays.
    drop_data: Option<unsafe fn(*mut u8)>,
    /// The alignment the allocation was made with, which freeing it must give again.
    align: usize,
}

/// The data starts this many bytes after the start of the allocation (a cache line).
pub const DATA_OFFSET: usize = 64;

/// Arrays from this size on are aligned to a cache line (for vector loads); smaller ones to
/// 16 bytes, enough for every element type and cheaper to allocate.
const CACHE_LINE_FROM: usize = 4096;

static LIVE: AtomicI64 = AtomicI64::new(0);
static MADE: AtomicI64 = AtomicI64::new(0);

/// Allocations not yet freed: for leak tests.
pub fn live_allocations() -> i64 {
    LIVE.load(Ordering::Relaxed)
}

/// Allocations made so far, freed or not: for tests that code allocates nothing.
pub fn allocations_made() -> i64 {
    MADE.load(Ordering::Relaxed)
}

/// The number of references to a live meminfo and the bytes of its data (for a value that
/// may change in place when it holds the only reference).
///
/// # Safety
/// `meminfo` is live and not borrowed.
pub unsafe fn references_and_size(meminfo: *const MemInfo) -> (usize, usize) {
    ((*meminfo).refcount.load(Ordering::Relaxed), (*meminfo).size)
}

pub fn is_borrowed(meminfo: *const MemInfo) -> bool {
    meminfo.is_null() || (meminfo as usize) & 1 == 1
}

fn layout_for(size: usize) -> Option<Layout> {
    let align = if size >= CACHE_LINE_FROM { DATA_OFFSET } else { 16 };
    Layout::from_size_align(DATA_OFFSET.checked_add(size)?, align).ok()
}

/// A new meminfo with `size` bytes of (uninitialised) data and one reference; null when the
/// size is impossible or the allocation fails (generated code raises `MemoryError`).
#[no_mangle]
pub extern "C" fn ferrojit_rt_alloc(size: usize) -> *mut MemInfo {
    alloc_with_drop(size, None)
}

/// As [`ferrojit_rt_alloc`], the data all zero bytes (`np.zeros`): the allocator's cleared
/// memory, which for a large array is fresh pages from the system, zero already, so that no
/// pass over the array clears it (NumPy's `calloc`).
#[no_mangle]
pub extern "C" fn ferrojit_rt_alloc_zeroed(size: usize) -> *mut MemInfo {
    allocate(size, None, true)
}

/// As [`ferrojit_rt_alloc`], with a destructor run on the data before it is freed.
pub fn alloc_with_drop(size: usize, drop_data: Option<unsafe fn(*mut u8)>) -> *mut MemInfo {
    allocate(size, drop_data, false)
}

/// As [`ferrojit_rt_alloc_zeroed`], with a destructor run on the data before it is freed.
pub fn allocate_zeroed_with_drop(size: usize, drop_data: unsafe fn(*mut u8)) -> *mut MemInfo {
    allocate(size, Some(drop_data), true)
}

fn allocate(size: usize, drop_data: Option<unsafe fn(*mut u8)>, zeroed: bool) -> *mut MemInfo {
    // A zeroed allocation keeps to the allocator's own alignment: the system allocator then
    // clears it with `calloc`, which takes a large block as fresh pages, zero already, where
    // a larger alignment would clear it byte by byte.
    let layout = if zeroed { DATA_OFFSET.checked_add(size).and_then(|n| Layout::from_size_align(n, 16).ok()) } else { layout_for(size) };
    let Some(layout) = layout else { return std::ptr::null_mut() };
    // SAFETY: the layout has a non-zero size (it includes the header).
    let p = unsafe { if zeroed { alloc_zeroed(layout) } else { alloc(layout) } } as *mut MemInfo;
    if p.is_null() {
        return p;
    }
    // SAFETY: freshly allocated and large enough for the header.
    unsafe { p.write(MemInfo { refcount: AtomicUsize::new(1), size, drop_data, align: layout.align() }) };
    LIVE.fetch_add(1, Ordering::Relaxed);
    MADE.fetch_add(1, Ordering::Relaxed);
    if size >= HUGE_PAGES_FROM {
        advise_huge_pages(p as *mut u8, DATA_OFFSET + size);
    }
    p
}

/// Python's reference counting of objects, installed by the Python glue at import (the
/// runtime does not link against Python). Both take the GIL themselves when the thread does
/// not hold it.
pub struct PythonObjects {
    pub incref: unsafe fn(*mut std::ffi::c_void),
    pub decref: unsafe fn(*mut std::ffi::c_void),
}

static PYTHON_OBJECTS: std::sync::OnceLock<PythonObjects> = std::sync::OnceLock::new();

pub fn install_python_objects(objects: PythonObjects) {
    let _ = PYTHON_OBJECTS.set(objects);
}

/// The meminfo of an array value about to be stored where it may outlive the call that
/// borrowed it (a list item, a dict value, a typed container's item): a borrowed ndarray
/// (tagged pointer) becomes an allocation of its own that holds a reference to the ndarray,
/// with the one reference the store takes; any other meminfo is returned as it is (the store
/// has taken its reference already). Without the Python glue installed, or when the small
/// allocation fails, the value stays borrowed.
///
/// # Safety
/// `meminfo` is null, a live meminfo, or a tagged live ndarray.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_own_array(meminfo: *mut MemInfo) -> *mut MemInfo {
    if meminfo.is_null() || (meminfo as usize) & 1 == 0 {
        return meminfo;
    }
    let Some(python) = PYTHON_OBJECTS.get() else { return meminfo };
    let object = (meminfo as usize & !1) as *mut std::ffi::c_void;
    let owner = alloc_with_drop(std::mem::size_of::<usize>(), Some(release_owned_object));
    if owner.is_null() {
        return meminfo;
    }
    (python.incref)(object);
    (data(owner) as *mut *mut std::ffi::c_void).write(object);
    owner
}

/// The destructor of an owner made by [`ferrojit_rt_own_array`].
unsafe fn release_owned_object(data: *mut u8) {
    if let Some(python) = PYTHON_OBJECTS.get() {
        (python.decref)(*(data as *const *mut std::ffi::c_void));
    }
}

/// The Python object an owner made by [`ferrojit_rt_own_array`] holds, or None for any other
/// meminfo.
///
/// # Safety
/// `meminfo` is null, borrowed, or a live meminfo.
pub unsafe fn owned_object(meminfo: *mut MemInfo) -> Option<*mut std::ffi::c_void> {
    if is_borrowed(meminfo) || (*meminfo).drop_data.map(|f| f as *const () as usize) != Some(release_owned_object as *const () as usize) {
        return None;
    }
    Some(*(data(meminfo) as *const *mut std::ffi::c_void))
}

/// Allocations from this size on ask the kernel for transparent huge pages, as NumPy's own
/// allocator does for its arrays: a new 32 MB array then takes 16 page faults instead of
/// 8192 when it is first written.
const HUGE_PAGES_FROM: usize = 4 << 20;

/// Marks the whole pages inside `[start, start + len)` as wanting huge pages (Linux), where
/// the system leaves that choice to programs (`transparent_hugepage` set to `madvise`). Only
/// advice: errors (an old kernel, huge pages turned off) are ignored, as NumPy ignores them.
fn advise_huge_pages(start: *mut u8, len: usize) {
    #[cfg(target_os = "linux")]
    {
        const PAGE: usize = 4096;
        let skip = (PAGE - start as usize % PAGE) % PAGE;
        if len > skip {
            // SAFETY: the range starts inside one live allocation (the kernel rounds its end up
            // to a page, as with NumPy's advice); madvise gives advice and touches no data.
            unsafe { libc::madvise(start.add(skip) as *mut libc::c_void, len - skip, libc::MADV_HUGEPAGE) };
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (start, len);
}

/// A generator's state (see `ferrojit_codegen`'s generator lowering): `size` bytes of zeroed
/// data starting with the generator function's compiled `drop` (run with the data when the
/// last reference goes: it releases what the suspended generator holds), its `next_entry`
/// (what Python calls to resume it) and its `adopt` (see [`ferrojit_rt_generator_adopt`]),
/// then its own fields. Null when the allocation fails.
#[no_mangle]
pub extern "C" fn ferrojit_rt_generator_new(size: usize, drop: GeneratorFunction, next_entry: *const u8, adopt: GeneratorFunction) -> *mut MemInfo {
    let m = alloc_with_drop(size.max(GENERATOR_HEADER), Some(drop_generator));
    if !m.is_null() {
        // SAFETY: a new allocation of at least `GENERATOR_HEADER` bytes of data.
        unsafe {
            let d = data(m);
            std::ptr::write_bytes(d, 0, size.max(GENERATOR_HEADER));
            (d as *mut GeneratorFunction).write(drop);
            (d.add(8) as *mut *const u8).write(next_entry);
            (d.add(16) as *mut GeneratorFunction).write(adopt);
        }
    }
    m
}

/// A generator function's compiled `drop` or `adopt`, run on its state's data.
pub type GeneratorFunction = unsafe extern "C" fn(*mut u8);

/// The bytes of a generator's state before its own fields: its `drop`, `next_entry` and
/// `adopt`.
pub const GENERATOR_HEADER: usize = 24;

/// Makes a suspended generator that is about to outlive the call that made it (returned to
/// Python) independent of the arrays it borrows from that call's arguments: each borrowed
/// array its state holds (its arguments' arrays, and views of them) is adopted (see
/// [`ferrojit_rt_own_array`]), as are those of the generators it holds. The state's
/// compiled `adopt` does the walk. Arrays inside lists and dicts the state holds stay
/// borrowed.
///
/// # Safety
/// `meminfo` is a live generator state, or null or borrowed (ignored); the arrays it borrows
/// are alive.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_generator_adopt(meminfo: *mut MemInfo) {
    if is_borrowed(meminfo) {
        return;
    }
    let d = data(meminfo);
    let adopt = (d.add(16) as *const GeneratorFunction).read();
    adopt(d);
}

/// Runs the compiled destructor a generator's state starts with.
unsafe fn drop_generator(data: *mut u8) {
    let drop = (data as *const GeneratorFunction).read();
    drop(data);
}

/// The `next_entry` of a generator's state made by [`ferrojit_rt_generator_new`].
///
/// # Safety
/// `meminfo` is a live generator state.
pub unsafe fn generator_next_entry(meminfo: *mut MemInfo) -> *const u8 {
    (data(meminfo).add(8) as *const *const u8).read()
}

/// The data of a meminfo made by [`ferrojit_rt_alloc`].
///
/// # Safety
/// `meminfo` is a live, owned meminfo.
pub unsafe fn data(meminfo: *mut MemInfo) -> *mut u8 {
    (meminfo as *mut u8).add(DATA_OFFSET)
}

/// Adds a reference (compiled code only: see the module documentation on threads).
///
/// # Safety
/// `meminfo` is null, borrowed, or a live meminfo.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_incref(meminfo: *mut MemInfo) {
    if !is_borrowed(meminfo) {
        let count = &(*meminfo).refcount;
        if crate::parallel::regions_running() {
            count.fetch_add(1, Ordering::Relaxed);
        } else {
            count.store(count.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
        }
    }
}

/// Drops a reference, freeing the memory with the last (compiled code only: see the module
/// documentation on threads).
///
/// # Safety
/// `meminfo` is null, borrowed, or a live meminfo this caller holds a reference to.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_decref(meminfo: *mut MemInfo) {
    if is_borrowed(meminfo) {
        return;
    }
    let count = &(*meminfo).refcount;
    let left = if crate::parallel::regions_running() {
        // Acquire-release, as `release`: the last holder sees every other thread's writes.
        count.fetch_sub(1, Ordering::AcqRel) - 1
    } else {
        let left = count.load(Ordering::Relaxed) - 1;
        count.store(left, Ordering::Relaxed);
        left
    };
    if left == 0 {
        free(meminfo);
    }
}

/// Drops the reference a Python object owns (on any thread holding the GIL), atomically.
///
/// # Safety
/// `meminfo` is a live meminfo the caller holds a reference to.
pub unsafe fn release(meminfo: *mut MemInfo) {
    if is_borrowed(meminfo) {
        return;
    }
    if (*meminfo).refcount.fetch_sub(1, Ordering::Release) == 1 {
        std::sync::atomic::fence(Ordering::Acquire);
        free(meminfo);
    }
}

/// # Safety
/// `meminfo` is a live meminfo made by [`ferrojit_rt_alloc`] with no references left.
unsafe fn free(meminfo: *mut MemInfo) {
    if let Some(drop_data) = (*meminfo).drop_data {
        drop_data(data(meminfo));
    }
    let layout = Layout::from_size_align(DATA_OFFSET + (*meminfo).size, (*meminfo).align).expect("layout was valid at allocation");
    dealloc(meminfo as *mut u8, layout);
    LIVE.fetch_sub(1, Ordering::Relaxed);
}

/// Serialises the unit tests that allocate: those that count [`live_allocations`] see only
/// their own allocations (cargo runs tests on several threads).
#[cfg(test)]
pub(crate) fn allocation_test_lock() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refcounts_free_at_zero() {
        let _serial = allocation_test_lock();
        let before = live_allocations();
        let m = ferrojit_rt_alloc(100);
        assert!(!m.is_null());
        assert_eq!(unsafe { data(m) } as usize % 16, 0);
        let big = ferrojit_rt_alloc(1 << 20);
        assert_eq!(unsafe { data(big) } as usize % 64, 0);
        unsafe { ferrojit_rt_decref(big) };
        unsafe {
            ferrojit_rt_incref(m);
            ferrojit_rt_decref(m);
            assert_eq!(live_allocations(), before + 1);
            // A Python owner's reference, dropped atomically, frees it as well.
            release(m);
        }
        assert_eq!(live_allocations(), before);
        // Borrowed and null meminfos are ignored.
        unsafe {
            ferrojit_rt_incref(std::ptr::null_mut());
            ferrojit_rt_decref(0x1001 as *mut MemInfo);
            release(0x1001 as *mut MemInfo);
        }
    }
}

/// Copies the elements of one strided array into another of the same shape and element size,
/// in C order. Compiled code calls it on its rare paths (an operand that overlaps the array a
/// map writes is copied first), so that each such path is one call rather than a loop nest of
/// its own in every function.
///
/// # Safety
/// `dims` holds `3 * ndim` values: the shape, then the source's byte strides, then the
/// destination's; `src` and `dst` address arrays of that shape and those strides whose
/// elements are `itemsize` bytes long, and the two do not overlap.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_copy_elements(ndim: i64, dims: *const i64, src: *const u8, dst: *mut u8, itemsize: i64) {
    let ndim = ndim as usize;
    let dims = std::slice::from_raw_parts(dims, 3 * ndim);
    let (shape, rest) = dims.split_at(ndim);
    let (src_strides, dst_strides) = rest.split_at(ndim);
    if shape.iter().any(|&n| n <= 0) {
        return;
    }
    let itemsize = itemsize as usize;
    // An odometer over the index, with the two element addresses kept in step.
    let mut index = vec![0i64; ndim];
    let (mut s, mut d) = (src, dst);
    loop {
        std::ptr::copy_nonoverlapping(s, d, itemsize);
        let mut k = ndim;
        loop {
            if k == 0 {
                return;
            }
            k -= 1;
            index[k] += 1;
            s = s.offset(src_strides[k] as isize);
            d = d.offset(dst_strides[k] as isize);
            if index[k] < shape[k] {
                break;
            }
            s = s.offset(-(src_strides[k] * shape[k]) as isize);
            d = d.offset(-(dst_strides[k] * shape[k]) as isize);
            index[k] = 0;
        }
    }
}
