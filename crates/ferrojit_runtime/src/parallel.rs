//! The thread pool that runs parallel loops (`prange`, parallel ufuncs), on rayon.
//!
//! **Threads.** The pool has as many threads as the process may use (see [`usable_cores`]), or
//! `FERROJIT_NUM_THREADS` (else `NUMBA_NUM_THREADS`) when set. [`set_num_threads`] lowers the
//! number a calling thread's parallel loops use (Numba's `set_num_threads`, which is per
//! thread too): a loop is cut into chunks for that many threads, and rayon's work stealing
//! balances them. One pool serves every Python thread, so calls from several threads at once
//! share its threads instead of oversubscribing the cores.
//!
//! **Chunks.** A loop of `n` iterations is cut into at most [`CHUNKS_PER_THREAD`] contiguous
//! chunks per thread (more chunks than threads: a chunk that takes longer, as in Mandelbrot's
//! rows, does not hold the others up). The cut depends only on `n` and the thread count, never
//! on timing, so a floating-point reduction, combined chunk by chunk in order, gives the same
//! result on every run.
//!
//! **fork.** A child process has none of its parent's threads: the pool is made again, the
//! first time the child uses it (the parent's is leaked, as its threads do not exist).
//!
//! **Whole arrays.** Element-wise maps and reductions of whole arrays in functions compiled
//! with `parallel=True` run here too, cut along one dimension (see `ferrojit_codegen`'s
//! `parallel_maps`), when they have at least [`array_threshold`] elements: below that the
//! pool's start-up costs more than the threads save, and the serial loop runs.
//!
//! **Reference counts.** Compiled code counts references without atomic instructions, which is
//! sound while each allocation is used by one thread (see `memory`). Inside a parallel loop the
//! threads share what the loop reads, so while any loop runs, [`regions_running`] is nonzero
//! and the counting functions use atomic instructions.

use crate::ExcInfo;
use rayon::prelude::*;
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// Chunks a loop is cut into per thread, at most (see the module documentation).
pub const CHUNKS_PER_THREAD: i64 = 4;

/// The fewest elements a whole-array map or reduction must have to run on the pool (see
/// [`ferrojit_rt_parallel_array_chunks`]): 2^20.
///
/// Measured on the 2-core development machine (a KVM guest, shared with other builds, so only
/// when its load was below 1.5): each kernel compiled with `parallel=True` (and this
/// threshold at 0) and serially, in one process, the two called alternately, medians of 41
/// pairs. The parallel/serial time ratios, at 2^16 / 2^18 / 2^20 / 2^21 elements:
/// `a * b + c` 1.52 / 1.11 / 1.00-1.19 / 0.92; `a += b` 1.65 / 1.29 / 1.08 / 0.94;
/// `(a * b).sum()` 1.65 / 1.54 / 1.11-1.15 / 0.95; `a.max()` 1.92 / 1.21 / 1.07 / 0.63;
/// `np.sin(a)` 1.27 / 0.72 / 0.81-1.01 / 0.57. Below 2^18 everything lost: entering the pool
/// costs 10-15 µs when its threads are awake and about 100 µs after they went to sleep
/// (waking an idle virtual CPU is slow), and called between other work, as here, they sleep.
/// From 2^20 every kernel ran at most 20% slower and the compute-bound ones up to 1.75x
/// faster; the memory-bound ones (the cheap maps and sums) barely gain on this machine at any
/// size. The threshold is where none loses more than that.
pub const ARRAY_THRESHOLD: i64 = 1 << 20;

static ARRAY_THRESHOLD_NOW: AtomicI64 = AtomicI64::new(ARRAY_THRESHOLD);

/// The current threshold of whole-array operations ([`ARRAY_THRESHOLD`] unless changed).
pub fn array_threshold() -> i64 {
    ARRAY_THRESHOLD_NOW.load(Ordering::Relaxed)
}

/// Changes the threshold of whole-array operations for the process (tests run the parallel
/// code on small arrays with 0; timings compare both versions); returns the previous one.
pub fn set_array_threshold(elements: i64) -> i64 {
    ARRAY_THRESHOLD_NOW.swap(elements.max(0), Ordering::Relaxed)
}

/// The C entry point of a compiled chunk: `i32 entry(ret_slots, exc, arg_slots)`, the entry
/// wrapper of a function whose last two parameters are the chunk's first and last-plus-one
/// iteration numbers.
pub type ChunkEntry = unsafe extern "C" fn(*mut i64, *mut ExcInfo, *mut i64) -> i32;

static REGIONS: AtomicUsize = AtomicUsize::new(0);

/// How many parallel regions the process has entered (see [`regions_entered`]).
static ENTERED: AtomicUsize = AtomicUsize::new(0);

/// How many parallel loops are running in the process (0 almost always): while any is, the
/// reference-counting functions use atomic instructions.
#[inline]
pub fn regions_running() -> bool {
    REGIONS.load(Ordering::Relaxed) != 0
}

/// How many parallel regions (runs of a loop or an array operation on the pool) the process
/// has entered: tests tell with it whether code ran on the pool or serially.
pub fn regions_entered() -> usize {
    ENTERED.load(Ordering::Relaxed)
}

/// Counts a running parallel region while alive.
struct Region;

impl Region {
    fn enter() -> Region {
        REGIONS.fetch_add(1, Ordering::SeqCst);
        ENTERED.fetch_add(1, Ordering::Relaxed);
        Region
    }
}

impl Drop for Region {
    fn drop(&mut self) {
        REGIONS.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The number of CPUs this process may run on: its affinity mask, lowered to the CPU quota of
/// its cgroup where one is set (a container limited to 2 CPUs on a 64-core host).
pub fn usable_cores() -> usize {
    let affinity = affinity_cpus().unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    match cgroup_quota() {
        Some(quota) => affinity.min(quota).max(1),
        None => affinity.max(1),
    }
}

fn affinity_cpus() -> Option<usize> {
    // SAFETY: a zeroed cpu_set_t is a valid empty set; the call fills it for this process.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
            return None;
        }
        Some(libc::CPU_COUNT(&set) as usize).filter(|&n| n > 0)
    }
}

/// The CPU quota of the process's cgroup, rounded up to whole CPUs: cgroup v2's `cpu.max`
/// (`"quota period"`, or `"max period"` for none), else v1's `cpu.cfs_quota_us` (-1 for none)
/// over `cpu.cfs_period_us`.
fn cgroup_quota() -> Option<usize> {
    let read = |path: &str| std::fs::read_to_string(path).ok();
    let quota = |q: i64, p: i64| (q > 0 && p > 0).then(|| ((q + p - 1) / p) as usize);
    if let Some(text) = read("/sys/fs/cgroup/cpu.max") {
        let mut fields = text.split_whitespace();
        let (q, p) = (fields.next()?, fields.next()?);
        return quota(q.parse().ok()?, p.parse().ok()?);
    }
    let q = read("/sys/fs/cgroup/cpu/cpu.cfs_quota_us")?.trim().parse().ok()?;
    let p = read("/sys/fs/cgroup/cpu/cpu.cfs_period_us")?.trim().parse().ok()?;
    quota(q, p)
}

/// The size of the pool: `FERROJIT_NUM_THREADS`, else `NUMBA_NUM_THREADS`, else
/// [`usable_cores`]. Read once; an unusable value is an error for the caller to report.
pub fn configured_threads() -> Result<usize, String> {
    static CONFIGURED: OnceLock<Result<usize, String>> = OnceLock::new();
    CONFIGURED
        .get_or_init(|| {
            for name in ["FERROJIT_NUM_THREADS", "NUMBA_NUM_THREADS"] {
                if let Ok(text) = std::env::var(name) {
                    return match text.trim().parse::<usize>() {
                        Ok(n) if n >= 1 => Ok(n),
                        _ => Err(format!("{name} must be a whole number of threads, at least 1 (it is {text:?})")),
                    };
                }
            }
            Ok(usable_cores())
        })
        .clone()
}

fn pool_size() -> usize {
    configured_threads().unwrap_or_else(|_| usable_cores())
}

thread_local! {
    /// The threads this thread's parallel loops use ([`set_num_threads`]); 0: all of them.
    static NUM_THREADS: Cell<usize> = const { Cell::new(0) };
}

/// Numba's `set_num_threads`: the number of threads the calling thread's parallel loops use,
/// from 1 to the pool's size.
pub fn set_num_threads(n: usize) -> Result<(), String> {
    let size = pool_size();
    if n < 1 || n > size {
        return Err(format!("The number of threads must be between 1 and {size}"));
    }
    NUM_THREADS.with(|c| c.set(n));
    Ok(())
}

/// Numba's `get_num_threads`: the threads the calling thread's parallel loops use.
pub fn get_num_threads() -> usize {
    match NUM_THREADS.with(Cell::get) {
        0 => pool_size(),
        n => n,
    }
}

/// Numba's `get_thread_id`: the index of the pool thread running the caller, 0 outside the
/// pool.
pub fn get_thread_id() -> usize {
    rayon::current_thread_index().unwrap_or(0)
}

/// The pool, made on first use, and again in a child process after `fork`.
fn pool() -> Arc<rayon::ThreadPool> {
    static POOL: Mutex<Option<(u32, Arc<rayon::ThreadPool>)>> = Mutex::new(None);
    let pid = std::process::id();
    let mut slot = POOL.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((owner, pool)) = slot.as_ref() {
        if *owner == pid {
            return pool.clone();
        }
    }
    if let Some((_, stale)) = slot.take() {
        // The parent's pool: its threads do not exist here, and dropping it would wait on them.
        std::mem::forget(stale);
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(pool_size())
        .thread_name(|i| format!("ferrojit-{i}"))
        .build()
        .map(Arc::new)
        .unwrap_or_else(|_| Arc::new(rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a pool of one thread")));
    *slot = Some((pid, pool.clone()));
    pool
}

/// The chunks a loop of `trip` iterations is cut into for the calling thread (0 for none).
pub fn chunk_count(trip: i64) -> i64 {
    if trip <= 0 {
        return 0;
    }
    trip.min(get_num_threads() as i64 * CHUNKS_PER_THREAD)
}

/// The iterations `[lo, hi)` of chunk `c` of `chunks` over `trip`: contiguous, in order,
/// sizes differing by at most one.
pub fn chunk_bounds(trip: i64, chunks: i64, c: i64) -> (i64, i64) {
    let bound = |k: i64| ((k as i128 * trip as i128) / chunks as i128) as i64;
    (bound(c), bound(c + 1))
}

/// The first exception raised by a chunk (in time), copied out of the thread that raised it.
struct Failure {
    kind: u32,
    message: String,
}

/// Runs `chunk(c, lo, hi)` for each of the `chunks` chunks of a loop of `trip` iterations on
/// the pool, and returns when all have run. `chunk` returns an exception as `Err`; the first
/// one stops the chunks not yet started and is returned (the others are dropped). A panic in a
/// chunk is returned as a `RuntimeError` (the pool's threads never unwind into compiled code).
pub fn run_chunks(trip: i64, chunks: i64, chunk: &(dyn Fn(i64, i64, i64) -> Result<(), (u32, String)> + Sync)) -> Result<(), (u32, String)> {
    if chunks <= 0 {
        return Ok(());
    }
    let _region = Region::enter();
    let failed = AtomicBool::new(false);
    let first: Mutex<Option<Failure>> = Mutex::new(None);
    let run_one = |c: i64| {
        if failed.load(Ordering::Relaxed) {
            return;
        }
        let (lo, hi) = chunk_bounds(trip, chunks, c);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| chunk(c, lo, hi)))
            .unwrap_or_else(|_| Err((crate::EXC_RUNTIME_ERROR, "a panic in a parallel loop (a bug in ferrojit)".to_string())));
        if let Err((kind, message)) = outcome {
            let mut first = first.lock().unwrap_or_else(|p| p.into_inner());
            if first.is_none() {
                *first = Some(Failure { kind, message });
            }
            failed.store(true, Ordering::Relaxed);
        }
    };
    if chunks == 1 {
        run_one(0);
    } else {
        pool().install(|| (0..chunks as usize).into_par_iter().with_max_len(1).for_each(|c| run_one(c as i64)));
    }
    match first.into_inner().unwrap_or_else(|p| p.into_inner()) {
        Some(Failure { kind, message }) => Err((kind, message)),
        None => Ok(()),
    }
}

/// The number of chunks compiled code cuts a `prange` loop of `trip` iterations into (see
/// [`chunk_count`]); it makes room for as many partial results before calling
/// [`ferrojit_rt_parallel_for`].
#[no_mangle]
pub extern "C" fn ferrojit_rt_parallel_chunks(trip: i64) -> i64 {
    chunk_count(trip)
}

/// The number of chunks a whole-array map or reduction of `size` elements, cut along a
/// dimension of length `trip`, runs in on the pool; 0 when it should run serially: it has
/// fewer than [`array_threshold`] elements, the calling thread's loops use one thread, or the
/// caller already runs on the pool (inside a `prange` loop, whose iterations are the
/// parallelism: as Numba's, nested parallel code runs serially).
#[no_mangle]
pub extern "C" fn ferrojit_rt_parallel_array_chunks(size: i64, trip: i64) -> i64 {
    if size < array_threshold().max(1) || trip < 2 || get_num_threads() < 2 || rayon::current_thread_index().is_some() {
        return 0;
    }
    chunk_count(trip)
}

/// Runs a compiled `prange` loop: for each chunk `c` of `chunks` over `trip` iterations,
/// calls `entry(rets + c * ret_stride, exc, args')` where `args'` is a copy of the
/// `arg_slots` slots at `args` whose last two slots are the chunk's bounds. Returns 0, or 1
/// with the first exception raised in `exc` (its message now this thread's).
///
/// # Safety
/// `entry` is a chunk entry for exactly these slots; `args` holds `arg_slots` slots (at least
/// two); `rets` has room for `chunks` results `ret_stride` bytes apart; `exc` points to an
/// `ExcInfo`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_parallel_for(entry: ChunkEntry, args: *const i64, arg_slots: i64, trip: i64, chunks: i64, rets: *mut u8, ret_stride: i64, exc: *mut ExcInfo) -> i32 {
    let template = std::slice::from_raw_parts(args, arg_slots as usize).to_vec();
    // Raw pointers are not `Sync`; the chunks write disjoint results.
    let rets = rets as usize;
    let chunk = |c: i64, lo: i64, hi: i64| -> Result<(), (u32, String)> {
        let mut slots = template.clone();
        let n = slots.len();
        slots[n - 2] = lo;
        slots[n - 1] = hi;
        let mut chunk_exc = ExcInfo::default();
        let ret = (rets + (c * ret_stride) as usize) as *mut i64;
        // SAFETY: as the caller promises.
        let status = unsafe { entry(ret, &mut chunk_exc, slots.as_mut_ptr()) };
        if status == 0 {
            return Ok(());
        }
        // SAFETY: the chunk filled `chunk_exc` as compiled code does; its message may live in
        // this thread's storage, so it is copied now.
        Err((chunk_exc.kind, unsafe { chunk_exc.message() }.to_string()))
    };
    match run_chunks(trip, chunks, &chunk) {
        Ok(()) => 0,
        Err((kind, message)) => {
            crate::raise_formatted(exc, kind, message);
            crate::STATUS_EXCEPTION
        }
    }
}

/// [`get_num_threads`] for compiled code.
#[no_mangle]
pub extern "C" fn ferrojit_rt_get_num_threads() -> i64 {
    get_num_threads() as i64
}

/// [`get_thread_id`] for compiled code.
#[no_mangle]
pub extern "C" fn ferrojit_rt_get_thread_id() -> i64 {
    get_thread_id() as i64
}

/// [`set_num_threads`] for compiled code: 0, or `ValueError` in `exc`.
///
/// # Safety
/// `exc` points to an `ExcInfo`.
#[no_mangle]
pub unsafe extern "C" fn ferrojit_rt_set_num_threads(n: i64, exc: *mut ExcInfo) -> i64 {
    if let Err(message) = set_num_threads(usize::try_from(n).unwrap_or(0)) {
        crate::raise_formatted(exc, crate::EXC_VALUE_ERROR, message);
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_the_loop_in_order() {
        for trip in [1i64, 2, 7, 8, 9, 100, 1_000_003] {
            let chunks = chunk_count(trip);
            assert!(chunks >= 1 && chunks <= trip);
            let mut next = 0;
            for c in 0..chunks {
                let (lo, hi) = chunk_bounds(trip, chunks, c);
                assert_eq!(lo, next);
                assert!(hi > lo, "chunk {c} of {chunks} over {trip} is empty");
                next = hi;
            }
            assert_eq!(next, trip);
        }
        assert_eq!(chunk_count(0), 0);
        assert_eq!(chunk_count(-5), 0);
    }

    #[test]
    fn every_chunk_runs_once_and_the_first_failure_is_returned() {
        let trip = 1000;
        let chunks = chunk_count(trip).max(2);
        let seen = Mutex::new(vec![0; trip as usize]);
        run_chunks(trip, chunks, &|_, lo, hi| {
            let mut seen = seen.lock().unwrap();
            (lo..hi).for_each(|i| seen[i as usize] += 1);
            Ok(())
        })
        .unwrap();
        assert!(seen.into_inner().unwrap().iter().all(|&k| k == 1));
        let failure = run_chunks(trip, chunks, &|c, _, _| if c == 1 { Err((crate::EXC_VALUE_ERROR, "chunk 1".into())) } else { Ok(()) });
        assert_eq!(failure, Err((crate::EXC_VALUE_ERROR, "chunk 1".to_string())));
        let panic = run_chunks(trip, chunks, &|c, _, _| if c == 0 { panic!("boom") } else { Ok(()) });
        assert_eq!(panic.unwrap_err().0, crate::EXC_RUNTIME_ERROR);
    }

    #[test]
    fn thread_counts_stay_in_range() {
        let size = pool_size();
        assert!(size >= 1 && usable_cores() >= 1);
        assert!(set_num_threads(0).is_err());
        assert!(set_num_threads(size + 1).is_err());
        set_num_threads(1).unwrap();
        assert_eq!(get_num_threads(), 1);
        assert_eq!(chunk_count(1000), CHUNKS_PER_THREAD);
        set_num_threads(size).unwrap();
        assert_eq!(get_num_threads(), size);
    }

    #[test]
    fn small_or_nested_array_operations_stay_serial() {
        let threshold = array_threshold();
        assert_eq!(ferrojit_rt_parallel_array_chunks(threshold - 1, 1000), 0);
        assert_eq!(ferrojit_rt_parallel_array_chunks(threshold * 4, 1), 0);
        if get_num_threads() >= 2 {
            assert!(ferrojit_rt_parallel_array_chunks(threshold, 1000) >= 2);
            // On a pool thread (inside a parallel loop): serial.
            let nested = Mutex::new(Vec::new());
            run_chunks(2, 2, &|_, _, _| {
                nested.lock().unwrap().push(ferrojit_rt_parallel_array_chunks(threshold * 4, 1000));
                Ok(())
            })
            .unwrap();
            assert!(nested.into_inner().unwrap().iter().all(|&n| n == 0));
        }
    }
}
