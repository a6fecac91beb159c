//! Pacing for operation workers: open by default; tests can close it and let items through
//! one at a time to observe running operations deterministically.

use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::Semaphore;

/// A gate every worker passes before each item.
#[derive(Debug)]
pub struct Gate {
    open: AtomicBool,
    permits: Semaphore,
}

impl Default for Gate {
    fn default() -> Self {
        Self {
            open: AtomicBool::new(true),
            permits: Semaphore::new(0),
        }
    }
}

impl Gate {
    /// Stops workers before their next item.
    pub fn close(&self) {
        self.open.store(false, Ordering::SeqCst);
    }

    /// Lets workers run freely again.
    pub fn open(&self) {
        self.open.store(true, Ordering::SeqCst);
        self.permits.add_permits(Semaphore::MAX_PERMITS / 2);
    }

    /// Lets `n` more items through a closed gate.
    pub fn release(&self, n: usize) {
        self.permits.add_permits(n);
    }

    /// Waits until the worker may process its next item.
    pub async fn pass(&self) {
        if self.open.load(Ordering::SeqCst) {
            return;
        }
        if let Ok(permit) = self.permits.acquire().await {
            permit.forget();
        }
    }
}
