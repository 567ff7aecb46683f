//! The compiled specialisations of one dispatcher: appended rarely (on compilation), read on
//! every call. Reading must cost next to nothing, so the first [`FAST`] entries live in
//! write-once slots read with one atomic load each (a plain load on x86-64); later ones, rare,
//! sit behind a mutex.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

const FAST: usize = 16;

pub struct Overloads<T> {
    slots: [OnceLock<Arc<T>>; FAST],
    len: AtomicUsize,
    rest: Mutex<Vec<Arc<T>>>,
    /// Serialises appends, so that slots fill in order.
    append: Mutex<()>,
}

impl<T> Default for Overloads<T> {
    fn default() -> Self {
        Overloads { slots: std::array::from_fn(|_| OnceLock::new()), len: AtomicUsize::new(0), rest: Mutex::new(Vec::new()), append: Mutex::new(()) }
    }
}

impl<T> Overloads<T> {
    pub fn push(&self, item: Arc<T>) {
        let _serial = self.append.lock().unwrap_or_else(|p| p.into_inner());
        let n = self.len.load(Ordering::Relaxed);
        if n < FAST {
            let _ = self.slots[n].set(item);
        } else {
            self.rest.lock().unwrap_or_else(|p| p.into_inner()).push(item);
        }
        // Publishes the slot written above to readers that load `len`.
        self.len.store(n + 1, Ordering::Release);
    }

    /// The first entry for which `pred` holds, in the order they were added.
    pub fn find(&self, pred: impl FnMut(&T) -> bool) -> Option<Arc<T>> {
        self.find_ref(pred).map(|found| match found {
            Found::Slot(item) => item.clone(),
            Found::Rest(item) => item,
        })
    }

    /// As [`Overloads::find`], without touching the reference count of an entry in the
    /// write-once slots (an atomic increment and decrement, the dearest part of a call's
    /// dispatch): those stay in place as long as `self`, so a borrow suffices.
    pub fn find_ref(&self, mut pred: impl FnMut(&T) -> bool) -> Option<Found<'_, T>> {
        let n = self.len.load(Ordering::Acquire);
        for slot in &self.slots[..n.min(FAST)] {
            if let Some(item) = slot.get() {
                if pred(item) {
                    return Some(Found::Slot(item));
                }
            }
        }
        if n > FAST {
            return self.rest.lock().unwrap_or_else(|p| p.into_inner()).iter().find(|i| pred(i)).cloned().map(Found::Rest);
        }
        None
    }

    /// All entries, in the order they were added.
    pub fn snapshot(&self) -> Vec<Arc<T>> {
        let n = self.len.load(Ordering::Acquire);
        let mut out: Vec<Arc<T>> = self.slots[..n.min(FAST)].iter().filter_map(|s| s.get().cloned()).collect();
        if n > FAST {
            out.extend(self.rest.lock().unwrap_or_else(|p| p.into_inner()).iter().cloned());
        }
        out
    }
}

/// An entry found by [`Overloads::find_ref`].
pub enum Found<'a, T> {
    Slot(&'a Arc<T>),
    Rest(Arc<T>),
}

impl<T> std::ops::Deref for Found<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        match self {
            Found::Slot(item) => item,
            Found::Rest(item) => item,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_past_the_fast_slots() {
        let o = Overloads::default();
        for i in 0..40 {
            o.push(Arc::new(i));
        }
        assert_eq!(o.snapshot().iter().map(|i| **i).collect::<Vec<_>>(), (0..40).collect::<Vec<_>>());
        assert_eq!(o.find(|i| *i == 3).map(|i| *i), Some(3));
        assert_eq!(o.find(|i| *i == 33).map(|i| *i), Some(33));
        assert_eq!(o.find(|i| *i == 99), None);
        assert_eq!(o.find_ref(|i| *i == 5).map(|i| *i), Some(5));
        assert_eq!(o.find_ref(|i| *i == 35).map(|i| *i), Some(35));
    }
}
