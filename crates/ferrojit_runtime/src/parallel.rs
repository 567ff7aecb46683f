//! The thread pool that runs parallel loops (`prange`, parallel ufuncs), on rayon.
//!
//! **Threads.** A loop runs on `n` threads: the thread that called it, which runs chunks
//! itself (as the callers of Numba's OpenMP and TBB layers do), and `n - 1` helpers from the
//! pool. `n` is as many threads as the process may use (see [`usable_cores`]), or
//! `FERROJIT_NUM_THREADS` (else `NUMBA_NUM_THREADS`) when set; the pool has `n - 1` threads,
//! none when `n` is 1. [`set_num_threads`] lowers the number a calling thread's parallel loops
//! use (Numba's `set_num_threads`, which is per thread too, the caller counted): a loop is cut
//! into chunks for that many threads, and each thread takes the next chunk no thread has taken
//! until none is left. One pool serves every Python thread, so calls from several threads at
//! once share its threads instead of oversubscribing the cores; each caller runs its own
//! loop's chunks. [`get_thread_id`] numbers the threads running one loop 0 (the caller, as
//! Numba's main thread) to `n - 1`.
//!
//! **The caller does not wait for sleeping helpers.** Waking a pool thread that went to sleep
//! takes about 100 µs on a virtual machine: the caller starts on the chunks at once, and
//! helpers join as they wake. A helper that wakes after the caller took the last chunk does
//! nothing, and the call has returned by then: each helper announces itself before it touches
//! the loop, and the caller, once it finds no chunk left, waits only for the helpers that
//! announced themselves (see [`Helpers`]). rayon cannot withdraw a job it was given, and its
//! scopes (`in_place_scope`) wait for every job spawned in them, so a scope would make each
//! call wait for the helpers' wake-up even when the caller ran every chunk. Measured on the
//! 2-core development machine (medians of 200-3000 calls, the old and new builds run
//! alternately, at loads from 0.3 to 7), a loop summing 1000 floats took 2 µs back to back and
//! 45-62 µs after a 50 ms pause (22-30 µs of which the call itself takes after a pause, with
//! no loop; about 20 µs the wake-up call for the helper); when the caller waited for the pool,
//! 15-23 µs and 80-185 µs (the longer the quieter the machine), and with `in_place_scope`
//! 16-20 µs and 74-94 µs.
//!
//! **Nested parallelism.** Code running a chunk (the caller's own chunks too) is inside the
//! loop: a parallel loop or whole-array operation it starts runs serially on its thread, as
//! Numba's nested parallel code does.
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
//! threads share what the loop reads, so while any loop runs (until its caller and every
//! helper that joined it are done), [`regions_running`] is nonzero and the counting functions
//! use atomic instructions.

use crate::ExcInfo;
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::Thread;

/// Chunks a loop is cut into per thread, at most (see the module documentation).
pub const CHUNKS_PER_THREAD: i64 = 4;

/// The fewest elements a whole-array map or reduction must have to run on the pool (see
/// [`ferrojit_rt_parallel_array_chunks`]): 2^17.
///
/// Measured with `bench/run_thresholds.py` on the 2-core development machine (quiet): each
/// kernel compiled with `parallel=True` (this threshold at 0) and serially, in one process,
/// called alternately, medians of 41 calls each. Parallel/serial time ratios, three runs, at
/// 2^14 / 2^16 / 2^17 / 2^18 / 2^20 elements: `a * b + c` 1.2-2.2 / 0.95-1.03 / 0.28-0.33 /
/// 0.43 / 0.52-0.54; `a += b` 1.3-1.5 / 1.17-1.22 / 0.88-0.93 / 0.28-0.67 / 0.46-0.51;
/// `(a * b).sum()` 1.3-1.7 / 1.15-1.38 / 0.59-0.87 / 0.58-0.69 / 0.54-0.61; `a.max()`
/// 1.2-1.7 / 0.89-1.03 / 0.71-0.72 / 0.69-0.71 / 0.52-0.60; `np.sin(a)` 1.1-1.2 / 0.70-0.74 /
/// 0.47-0.65 / 0.46-0.53 / 0.50-0.56. From 2^17 every kernel gains; at 2^16 the cheap ones
/// lose up to 38%. (Entering the pool costs about 2 µs when its threads are awake and 50 µs
/// after they went to sleep, since the caller runs chunks itself and wakes one helper, which
/// wakes the others; when the caller waited for the whole pool it cost 10-15 and 100 µs, and
/// the threshold measured then was 2^20.)
pub const ARRAY_THRESHOLD: i64 = 1 << 17;

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
    /// While this thread runs a parallel loop's chunks: its number among the loop's threads
    /// ([`get_thread_id`]).
    static LOOP_THREAD: Cell<Option<usize>> = const { Cell::new(None) };
}

/// Numba's `set_num_threads`: the number of threads the calling thread's parallel loops use,
/// itself included, from 1 to the pool's size.
pub fn set_num_threads(n: usize) -> Result<(), String> {
    let size = pool_size();
    if n < 1 || n > size {
        return Err(format!("The number of threads must be between 1 and {size}"));
    }
    NUM_THREADS.with(|c| c.set(n));
    Ok(())
}

/// Numba's `get_num_threads`: the threads the calling thread's parallel loops use. Inside a
/// loop's chunks, the loop's caller's count (Numba's helpers take their caller's too).
pub fn get_num_threads() -> usize {
    match NUM_THREADS.with(Cell::get) {
        0 => pool_size(),
        n => n,
    }
}

/// Numba's `get_thread_id`: the number of the calling thread among the threads running the
/// parallel loop whose chunk it runs, from 0 (the loop's caller) to the loop's
/// [`get_num_threads`] less one, distinct among them; 0 outside parallel loops.
pub fn get_thread_id() -> usize {
    LOOP_THREAD.with(Cell::get).unwrap_or(0)
}

/// Whether the calling thread runs a chunk of a parallel loop (its caller's chunks included):
/// parallel code it starts there runs serially.
pub fn inside_parallel_loop() -> bool {
    LOOP_THREAD.with(Cell::get).is_some()
}

/// Makes the current thread one of a loop's threads, numbered `id`, while alive, with its
/// caller's thread count when `num_threads` is given (a helper's); then restores what it was
/// (a pool thread helps many loops, one after the other).
struct LoopThread {
    id: Option<usize>,
    num_threads: Option<usize>,
}

impl LoopThread {
    fn enter(id: usize, num_threads: Option<usize>) -> LoopThread {
        LoopThread {
            id: LOOP_THREAD.with(|c| c.replace(Some(id))),
            num_threads: num_threads.map(|n| NUM_THREADS.with(|c| c.replace(n))),
        }
    }
}

impl Drop for LoopThread {
    fn drop(&mut self) {
        LOOP_THREAD.with(|c| c.set(self.id));
        if let Some(n) = self.num_threads {
            NUM_THREADS.with(|c| c.set(n));
        }
    }
}

/// The pool of helpers: one thread fewer than [`pool_size`] (each loop's caller is the
/// other), none for one thread or when the threads cannot be made (the caller then runs every
/// chunk). Made on first use, and again in a child process after `fork`.
fn helper_pool() -> Option<Arc<rayon::ThreadPool>> {
    static POOL: Mutex<Option<(u32, Option<Arc<rayon::ThreadPool>>)>> = Mutex::new(None);
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
    let helpers = pool_size() - 1;
    let pool = (helpers > 0)
        .then(|| rayon::ThreadPoolBuilder::new().num_threads(helpers).thread_name(|i| format!("ferrojit-{}", i + 1)).build().ok().map(Arc::new))
        .flatten();
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

/// What runs one chunk: `chunk(c, lo, hi)`, an exception as `Err`.
pub type ChunkFn<'a> = dyn Fn(i64, i64, i64) -> Result<(), (u32, String)> + Sync + 'a;

/// One run of a loop's chunks, shared by the threads running them.
struct Chunks<'a> {
    trip: i64,
    count: i64,
    chunk: &'a ChunkFn<'a>,
    /// The next chunk no thread has taken.
    next: AtomicI64,
    failed: AtomicBool,
    first: Mutex<Option<Failure>>,
}

impl<'a> Chunks<'a> {
    fn new(trip: i64, count: i64, chunk: &'a ChunkFn<'a>) -> Self {
        Chunks { trip, count, chunk, next: AtomicI64::new(0), failed: AtomicBool::new(false), first: Mutex::new(None) }
    }

    /// Runs the next chunk not taken, until none is left or one has failed.
    fn work(&self) {
        while !self.failed.load(Ordering::Relaxed) {
            let c = self.next.fetch_add(1, Ordering::Relaxed);
            if c >= self.count {
                return;
            }
            self.run(c);
        }
    }

    /// Runs chunk `c`, keeping its exception if it is the first; a panic is a `RuntimeError`
    /// (compiled code's frames are never unwound).
    fn run(&self, c: i64) {
        let (lo, hi) = chunk_bounds(self.trip, self.count, c);
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (self.chunk)(c, lo, hi)))
            .unwrap_or_else(|_| Err((crate::EXC_RUNTIME_ERROR, "a panic in a parallel loop (a bug in ferrojit)".to_string())));
        if let Err((kind, message)) = outcome {
            let mut first = self.first.lock().unwrap_or_else(|p| p.into_inner());
            if first.is_none() {
                *first = Some(Failure { kind, message });
            }
            self.failed.store(true, Ordering::Relaxed);
        }
    }

    fn outcome(self) -> Result<(), (u32, String)> {
        match self.first.into_inner().unwrap_or_else(|p| p.into_inner()) {
            Some(Failure { kind, message }) => Err((kind, message)),
            None => Ok(()),
        }
    }
}

/// What a loop's caller shares with the helper jobs it gives the pool. A job may start after
/// the call returned (its thread was asleep), so it holds this, not the loop: it reaches the
/// loop's [`Chunks`], on the caller's stack, only between announcing itself in `state` while
/// the loop is open and taking itself off, and the caller waits for every announced helper
/// before it returns.
struct Helpers {
    /// [`CLOSED`] once the caller found no chunk left, plus the number of helpers working.
    state: AtomicUsize,
    /// Unparked by the last announced helper to finish, once the loop is closed.
    caller: Thread,
    chunks: *const Chunks<'static>,
    /// The caller's [`get_num_threads`], which its helpers take on; the loop's threads are
    /// at most as many.
    num_threads: usize,
    /// The loop's threads: the caller and helpers 1 to `threads - 1`.
    threads: usize,
}

/// The bit of [`Helpers::state`] that closes the loop to helpers not yet announced.
const CLOSED: usize = 1 << (usize::BITS - 1);

// SAFETY: `chunks` is only read through, by announced helpers while the caller waits for them,
// and `Chunks` is `Sync` (its chunk function is).
unsafe impl Send for Helpers {}
unsafe impl Sync for Helpers {}

impl Helpers {
    /// A helper's job: numbered `id`, runs chunks unless the loop has closed. The caller
    /// gives the pool helper 1 only, which gives it the others: waking a sleeping thread
    /// costs the waker about 20 µs on a virtual machine, which the caller then spends on
    /// chunks (and a loop that ends before helper 1 wakes wakes no other thread).
    fn help(self: Arc<Self>, id: usize) {
        let mut state = self.state.load(Ordering::Acquire);
        loop {
            if state & CLOSED != 0 {
                return;
            }
            match self.state.compare_exchange_weak(state, state + 1, Ordering::Acquire, Ordering::Acquire) {
                Ok(_) => break,
                Err(now) => state = now,
            }
        }
        if id == 1 {
            for other in 2..self.threads {
                let helpers = self.clone();
                // On a pool thread: into this pool.
                rayon::spawn(move || helpers.help(other));
            }
        }
        {
            let _thread = LoopThread::enter(id, Some(self.num_threads));
            // SAFETY: announced while the loop was open, so the caller has not returned (see
            // `Helpers`).
            unsafe { &*self.chunks }.work();
        }
        // Release: the chunks' results and exception are the caller's once it sees the count.
        if self.state.fetch_sub(1, Ordering::AcqRel) == CLOSED + 1 {
            self.caller.unpark();
        }
    }

    /// The caller's end of the loop: closes it to helpers not yet started and waits for those
    /// still working.
    fn close(&self) {
        if self.state.fetch_or(CLOSED, Ordering::AcqRel) != 0 {
            // `park` may return early; the state tells.
            while self.state.load(Ordering::Acquire) != CLOSED {
                std::thread::park();
            }
        }
    }
}

/// Closes a loop to its helpers when dropped, also if the caller unwinds (the loop's chunks
/// must outlive every helper that reached them).
struct Closing<'a>(&'a Helpers);

impl Drop for Closing<'_> {
    fn drop(&mut self) {
        self.0.close();
    }
}

/// Runs `chunk(c, lo, hi)` for each of the `chunks` chunks of a loop of `trip` iterations on
/// this thread and the pool's helpers ([`get_num_threads`] threads at most), and returns when
/// all have run. `chunk` returns an exception as `Err`; the first one stops the chunks not yet
/// started and is returned (the others are dropped). A panic in a chunk is returned as a
/// `RuntimeError` (no thread unwinds into compiled code). Inside a loop's chunk, the chunks
/// run serially on this thread.
pub fn run_chunks(trip: i64, chunks: i64, chunk: &ChunkFn<'_>) -> Result<(), (u32, String)> {
    if chunks <= 0 {
        return Ok(());
    }
    let run = Chunks::new(trip, chunks, chunk);
    if inside_parallel_loop() {
        run.work();
        return run.outcome();
    }
    let _region = Region::enter();
    let threads = get_num_threads().min(usize::try_from(chunks).unwrap_or(usize::MAX));
    let pool = if threads > 1 { helper_pool() } else { None };
    {
        let _caller = LoopThread::enter(0, None);
        match pool {
            Some(pool) => {
                let helpers = Arc::new(Helpers {
                    state: AtomicUsize::new(0),
                    caller: std::thread::current(),
                    chunks: &run as *const Chunks<'_> as *const Chunks<'static>,
                    num_threads: get_num_threads(),
                    threads,
                });
                let _closing = Closing(&helpers);
                let first = helpers.clone();
                pool.spawn(move || first.help(1));
                run.work();
            }
            None => run.work(),
        }
    }
    run.outcome()
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
/// caller runs a parallel loop's chunk (inside a `prange` loop, whose iterations are the
/// parallelism: as Numba's, nested parallel code runs serially).
#[no_mangle]
pub extern "C" fn ferrojit_rt_parallel_array_chunks(size: i64, trip: i64) -> i64 {
    if size < array_threshold().max(1) || trip < 2 || get_num_threads() < 2 || inside_parallel_loop() {
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
    use std::collections::HashMap;
    use std::thread::ThreadId;
    use std::time::Duration;

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

    /// Runs a loop of `chunks` chunks, each sleeping `pause` (so that sleeping helpers wake and
    /// take some) and recording where it ran: (chunk, get_thread_id(), the thread, its
    /// get_num_threads(), regions_running(), inside_parallel_loop()).
    fn record_loop(chunks: i64, pause: Duration) -> Vec<(i64, usize, ThreadId, usize, bool, bool)> {
        let seen = Mutex::new(Vec::new());
        run_chunks(chunks, chunks, &|c, _, _| {
            std::thread::sleep(pause);
            seen.lock().unwrap().push((c, get_thread_id(), std::thread::current().id(), get_num_threads(), regions_running(), inside_parallel_loop()));
            Ok(())
        })
        .unwrap();
        let mut seen = seen.into_inner().unwrap();
        seen.sort_by_key(|r| r.0);
        assert_eq!(seen.iter().map(|r| r.0).collect::<Vec<_>>(), (0..chunks).collect::<Vec<_>>());
        seen
    }

    #[test]
    fn the_caller_is_thread_0_and_each_number_one_thread() {
        let threads = get_num_threads();
        let caller = std::thread::current().id();
        let seen = record_loop(threads as i64 * CHUNKS_PER_THREAD, Duration::from_millis(3));
        let mut owners = HashMap::new();
        for &(_, id, thread, num_threads, running, inside) in &seen {
            assert!(id < threads, "thread {id} of {threads}");
            assert_eq!(id == 0, thread == caller);
            assert_eq!(*owners.entry(id).or_insert(thread), thread, "two threads numbered {id}");
            // Helpers take their caller's thread count; the loop counts as running on each.
            assert_eq!(num_threads, threads);
            assert!(running && inside);
        }
        assert_eq!(get_thread_id(), 0);
        assert!(!inside_parallel_loop());
    }

    #[test]
    fn one_thread_runs_every_chunk_on_the_caller() {
        let before = get_num_threads();
        set_num_threads(1).unwrap();
        let seen = record_loop(chunk_count(1000), Duration::ZERO);
        set_num_threads(before).unwrap();
        let caller = std::thread::current().id();
        assert!(seen.iter().all(|&(_, id, thread, n, running, _)| id == 0 && thread == caller && n == 1 && running));
    }

    #[test]
    fn nested_loops_run_serially_on_their_thread() {
        let outer = Mutex::new(Vec::new());
        run_chunks(8, 8, &|_, _, _| {
            let (id, thread) = (get_thread_id(), std::thread::current().id());
            let inner = Mutex::new(Vec::new());
            run_chunks(100, 5, &|c, _, _| {
                inner.lock().unwrap().push((c, get_thread_id(), std::thread::current().id()));
                Ok(())
            })
            .unwrap();
            let inner = inner.into_inner().unwrap();
            outer.lock().unwrap().push(inner == (0..5).map(|c| (c, id, thread)).collect::<Vec<_>>());
            Ok(())
        })
        .unwrap();
        assert_eq!(outer.into_inner().unwrap(), vec![true; 8]);
    }

    /// The first failure is returned whichever thread's chunk raised it: the caller's (0) or
    /// a helper's. A helper takes chunks only once awake, so a loop may run without one.
    #[test]
    fn failures_of_the_callers_and_the_helpers_chunks() {
        if pool_size() < 2 {
            return;
        }
        for failing in [0, 1] {
            let raised = (0..50).any(|_| {
                let ran = AtomicUsize::new(0);
                let outcome = run_chunks(64, 64, &|c, _, _| {
                    ran.fetch_add(1, Ordering::Relaxed);
                    std::thread::sleep(Duration::from_millis(1));
                    if get_thread_id() == failing {
                        return Err((crate::EXC_VALUE_ERROR, format!("chunk {c}")));
                    }
                    Ok(())
                });
                match outcome {
                    Ok(()) => false,
                    Err((kind, message)) => {
                        assert!(kind == crate::EXC_VALUE_ERROR && message.starts_with("chunk "));
                        // The chunks not started when it failed were skipped.
                        assert!(ran.load(Ordering::Relaxed) < 64);
                        true
                    }
                }
            });
            assert!(raised, "no chunk ran on thread {failing}");
        }
    }

    #[test]
    fn loops_from_several_threads_at_once() {
        let trip = 10_000i64;
        std::thread::scope(|s| {
            for t in 0..8 {
                s.spawn(move || {
                    if t % 2 == 1 {
                        set_num_threads(1).unwrap();
                    }
                    for _ in 0..50 {
                        let sum = AtomicI64::new(0);
                        let ids = AtomicBool::new(true);
                        run_chunks(trip, chunk_count(trip), &|_, lo, hi| {
                            sum.fetch_add((lo..hi).sum::<i64>(), Ordering::Relaxed);
                            if get_thread_id() >= get_num_threads() {
                                ids.store(false, Ordering::Relaxed);
                            }
                            Ok(())
                        })
                        .unwrap();
                        assert_eq!(sum.into_inner(), trip * (trip - 1) / 2);
                        assert!(ids.into_inner());
                    }
                });
            }
        });
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
