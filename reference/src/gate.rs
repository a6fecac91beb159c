//! Pacing for operation workers: open by default; tests can close it and let items through
//! one at a time to observe running operations deterministically.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use tokio::sync::Notify;

/// A gate every worker passes before each item.
#[derive(Debug)]
pub struct Gate {
    open: AtomicBool,
    released: AtomicUsize,
    changed: Notify,
}

impl Default for Gate {
    fn default() -> Self {
        Self {
            open: AtomicBool::new(true),
            released: AtomicUsize::new(0),
            changed: Notify::new(),
        }
    }
}

impl Gate {
    /// Stops workers before their next item.
    pub fn close(&self) {
        self.open.store(false, Ordering::SeqCst);
    }

    /// Lets workers run freely again (any number of times).
    pub fn open(&self) {
        self.open.store(true, Ordering::SeqCst);
        self.changed.notify_waiters();
    }

    /// Lets `n` more items through a closed gate.
    pub fn release(&self, n: usize) {
        self.released.fetch_add(n, Ordering::SeqCst);
        self.changed.notify_waiters();
    }

    /// Waits until the worker may process its next item.
    pub async fn pass(&self) {
        loop {
            // Registered before looking, so a change made meanwhile still wakes us.
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if self.open.load(Ordering::SeqCst) {
                return;
            }
            let take = |n: usize| n.checked_sub(1);
            if self
                .released
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, take)
                .is_ok()
            {
                return;
            }
            changed.await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Gate;

    #[tokio::test]
    async fn opening_twice_and_releasing_are_safe() {
        let gate = Gate::default();
        gate.open();
        gate.open();
        gate.pass().await;
        gate.close();
        gate.release(1);
        gate.pass().await;
        gate.open();
        gate.pass().await;
    }
}
