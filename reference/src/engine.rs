//! The operation engine: every fileops request becomes a background task with an id,
//! progress, `processed`, `error`, `finished` and `status`, run in per-user queues of ten
//! and listed by the dialect's lifecycle rules (read-once, retention, terminate).

use fileops_api::runtime::{CancelError, Dialect, RetentionFrom, SuccessError, Terminate};
use fileops_api::types::{DistributedTaskStatus, FileOperationType};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use tokio::sync::Semaphore;

use crate::clock::Clock;
use crate::gate::Gate;
use crate::store::{EntryKey, Store};

/// Who owns a task: an account, or the anonymous session.
pub type Owner = Option<u32>;

/// How many tasks of a queue run at once per owner (upstream registers queues of 10).
pub const PARALLEL_PER_QUEUE: usize = 10;

/// The queues upstream keeps, one per manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Queue {
    /// Move and copy.
    MoveCopy,
    /// Delete, empty trash and delete versions.
    Delete,
    /// Duplicate.
    Duplicate,
    /// Bulk download.
    Download,
    /// Mark as read.
    MarkAsRead,
}

impl Queue {
    /// The queue an operation kind runs in.
    pub fn of(kind: &FileOperationType) -> Option<Queue> {
        match kind {
            FileOperationType::Move | FileOperationType::Copy => Some(Queue::MoveCopy),
            FileOperationType::Delete => Some(Queue::Delete),
            FileOperationType::Duplicate => Some(Queue::Duplicate),
            FileOperationType::Download => Some(Queue::Download),
            FileOperationType::MarkAsRead => Some(Queue::MarkAsRead),
            FileOperationType::Import
            | FileOperationType::Convert
            | FileOperationType::Unlisted(_)
            | FileOperationType::UnlistedName(_) => None,
        }
    }
}

/// One operation's state.
#[derive(Debug, Clone)]
pub struct Task {
    /// GUID.
    pub id: String,
    /// Owner.
    pub owner: Owner,
    /// Kind.
    pub kind: FileOperationType,
    /// Progress 0..100, never falling.
    pub progress: i32,
    /// Items processed (nested ones included).
    pub processed: i64,
    /// Items to process.
    pub total: i64,
    /// Error message, if any.
    pub error: Option<String>,
    /// Whether it has finished.
    pub finished: bool,
    /// Task status.
    pub status: DistributedTaskStatus,
    /// Whether the finished result stays listed once (`!deleteAfter`).
    pub hold: bool,
    /// Result files.
    pub files: Vec<EntryKey>,
    /// Result folders.
    pub folders: Vec<EntryKey>,
    /// Download address.
    pub url: Option<String>,
    /// Last change (clock ms).
    pub last_change: u64,
    /// Completion (clock ms).
    pub completed_at: Option<u64>,
    cancel: Arc<AtomicBool>,
}

impl Task {
    /// Whether the task is a download.
    pub fn is_download(&self) -> bool {
        self.kind == FileOperationType::Download
    }
}

/// What processing one item did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Items processed.
    pub processed: i64,
    /// Files to report.
    pub files: Vec<EntryKey>,
    /// Folders to report.
    pub folders: Vec<EntryKey>,
    /// An error to report (the last one wins).
    pub error: Option<String>,
    /// Replace the reported entries instead of adding (DocSpace's file phase).
    pub replace: bool,
    /// A download address.
    pub url: Option<String>,
    /// The work is through: no further units run (for work that counts its own steps).
    pub done: bool,
}

/// A unit of work: runs under the store lock.
pub type Work = Box<dyn FnMut(&mut Store, usize) -> Outcome + Send>;

/// An operation to queue.
pub struct Job {
    /// Owner.
    pub owner: Owner,
    /// Kind.
    pub kind: FileOperationType,
    /// Whether the finished result stays listed once.
    pub hold: bool,
    /// Items to process, nested ones included (the progress denominator).
    pub weight: i64,
    /// Work units (`work` is called with 0..units, or until it says it is done).
    pub units: usize,
    /// The work.
    pub work: Work,
}

/// All tasks, the dialect's rules, the clock and the pacing gate.
pub struct Engine {
    /// Fault: list every owner's operations to everyone.
    pub shared_operations: bool,
    /// Fault: keep reporting finished operations.
    pub read_once_broken: bool,
    /// Fault: terminate cancels every user's operations.
    pub terminate_others: bool,
    /// Fault: terminate the other family's way.
    pub terminate_flipped: bool,
    /// Time a download spends on each unit (see `Config::archive_pace`).
    pub archive_pace: std::time::Duration,
    /// Operations of at most this weight finish before their start is answered (see
    /// `Config::instant_up_to`).
    pub instant_up_to: i64,
    dialect: &'static Dialect,
    clock: Arc<dyn Clock>,
    gate: Arc<Gate>,
    tasks: Mutex<Vec<Task>>,
    queues: Mutex<HashMap<(Owner, Queue), Arc<Semaphore>>>,
}

impl Engine {
    /// An engine for `dialect`.
    pub fn new(dialect: &'static Dialect, clock: Arc<dyn Clock>, gate: Arc<Gate>) -> Self {
        Self {
            shared_operations: false,
            read_once_broken: false,
            terminate_others: false,
            terminate_flipped: false,
            archive_pace: std::time::Duration::ZERO,
            instant_up_to: 0,
            dialect,
            clock,
            gate,
            tasks: Mutex::new(Vec::new()),
            queues: Mutex::new(HashMap::new()),
        }
    }

    fn tasks(&self) -> MutexGuard<'_, Vec<Task>> {
        self.tasks.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Now, by the engine's clock.
    pub fn now(&self) -> u64 {
        self.clock.now_ms()
    }

    /// What `error` holds on success in this dialect.
    fn success_error(&self) -> Option<String> {
        match self.dialect.behaviour.success_error {
            SuccessError::Empty => Some(String::new()),
            SuccessError::Null => None,
        }
    }

    /// Whether the owner has an unfinished download (a second one is refused).
    pub fn has_running_download(&self, owner: Owner) -> bool {
        self.tasks()
            .iter()
            .any(|t| t.owner == owner && t.is_download() && !t.finished)
    }

    /// Queues a task and starts its worker; returns the task id.
    pub fn start(self: &Arc<Self>, store: Arc<parking_lot::Mutex<Store>>, job: Job) -> String {
        let Job {
            owner,
            kind,
            hold,
            weight,
            units,
            work,
        } = job;
        let id = uuid::Uuid::new_v4().to_string();
        let now = self.now();
        let cancel = Arc::new(AtomicBool::new(false));
        self.tasks().push(Task {
            id: id.clone(),
            owner,
            kind: kind.clone(),
            progress: 0,
            processed: 0,
            total: weight.max(1),
            error: self.success_error(),
            finished: false,
            status: DistributedTaskStatus::Created,
            hold,
            files: Vec::new(),
            folders: Vec::new(),
            url: None,
            last_change: now,
            completed_at: None,
            cancel: cancel.clone(),
        });
        if self.instant_up_to > 0 && weight <= self.instant_up_to {
            self.run_now(&store, &id, units, work);
            return id;
        }
        let queue = Queue::of(&kind).unwrap_or(Queue::Delete);
        let permits = self
            .queues
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry((owner, queue))
            .or_insert_with(|| Arc::new(Semaphore::new(PARALLEL_PER_QUEUE)))
            .clone();
        let engine = self.clone();
        let task_id = id.clone();
        // A free slot is taken at once, so the answer to the request already says Running;
        // only a task that must wait for a slot is reported as Created.
        let slot = permits.clone().try_acquire_owned().ok();
        if slot.is_some() {
            self.update(&id, |t| t.status = DistributedTaskStatus::Running);
        }
        tokio::spawn(async move {
            let _permit = match slot {
                Some(permit) => permit,
                None => match permits.acquire_owned().await {
                    Ok(permit) => permit,
                    Err(_) => return,
                },
            };
            engine.update(&task_id, |t| t.status = DistributedTaskStatus::Running);
            let pace = if kind == FileOperationType::Download {
                engine.archive_pace
            } else {
                std::time::Duration::ZERO
            };
            engine
                .run(store, &task_id, units, work, &cancel, pace)
                .await;
        });
        id
    }

    async fn run(
        &self,
        store: Arc<parking_lot::Mutex<Store>>,
        id: &str,
        items: usize,
        mut work: Work,
        cancel: &AtomicBool,
        pace: std::time::Duration,
    ) {
        self.update(id, |t| t.status = DistributedTaskStatus::Running);
        for index in 0..items {
            self.gate.pass().await;
            if cancel.load(Ordering::SeqCst) {
                break;
            }
            let outcome = {
                let mut store = store.lock();
                let outcome = work(&mut store, index);
                // Handed straight to a request that waits for the store: a plain unlock lets
                // this loop take the lock again before a woken request runs, which starved
                // requests for hundreds of milliseconds behind a large copy.
                parking_lot::MutexGuard::unlock_fair(store);
                outcome
            };
            let done = outcome.done;
            self.update(id, |t| apply(t, outcome));
            if done {
                break;
            }
            if pace.is_zero() {
                tokio::task::yield_now().await;
            } else {
                // The emulated store's reading time, outside the lock.
                tokio::time::sleep(pace).await;
            }
        }
        self.finish(id, cancel.load(Ordering::SeqCst));
    }

    /// Runs a job's work to its end at once, before the request that started it is answered
    /// (a fast server, see `Config::instant_up_to`).
    fn run_now(&self, store: &parking_lot::Mutex<Store>, id: &str, items: usize, mut work: Work) {
        for index in 0..items {
            let outcome = work(&mut store.lock(), index);
            let done = outcome.done;
            self.update(id, |t| apply(t, outcome));
            if done {
                break;
            }
        }
        self.finish(id, false);
    }

    /// Marks a task finished: completed, or cancelled the dialect's way.
    fn finish(&self, id: &str, cancelled: bool) {
        let engine_says_canceled = self.dialect.behaviour.cancel_error == CancelError::Message;
        let now = self.now();
        self.update(id, |t| {
            t.finished = true;
            t.completed_at = Some(now);
            if cancelled {
                t.status = DistributedTaskStatus::Canceled;
                if engine_says_canceled {
                    t.error = Some("The operation was canceled".into());
                }
            } else {
                t.status = DistributedTaskStatus::Completed;
                t.progress = 100;
            }
        });
    }

    /// Changes a task if it is still listed (a removed task stays removed).
    fn update(&self, id: &str, change: impl FnOnce(&mut Task)) {
        let now = self.now();
        if let Some(task) = self.tasks().iter_mut().find(|t| t.id == id) {
            change(task);
            task.last_change = now;
        }
    }

    /// The owner's tasks of the given kinds as upstream lists them: expired ones dropped,
    /// finished ones handed out once (if held) and then dropped.
    pub fn list(&self, owner: Owner, kinds: &[FileOperationType], id: Option<&str>) -> Vec<Task> {
        let now = self.now();
        let behaviour = self.dialect.behaviour;
        let mut tasks = self.tasks();
        tasks.retain(|t| {
            !expired(
                t,
                now,
                behaviour.retention_from,
                behaviour.retention_seconds,
                behaviour.download_retention_seconds,
            )
        });
        let mut listed = Vec::new();
        let mut index = 0;
        while index < tasks.len() {
            let t = &mut tasks[index];
            let owned = t.owner == owner || self.shared_operations;
            let mine = owned && kinds.contains(&t.kind) && id.is_none_or(|id| id == t.id);
            if !mine {
                index += 1;
                continue;
            }
            let finished = t.finished;
            if finished {
                t.progress = 100;
            }
            if t.hold || t.progress != 100 {
                listed.push(t.clone());
            }
            if finished && !self.read_once_broken {
                tasks.remove(index);
            } else {
                index += 1;
            }
        }
        listed
    }

    /// Cancels the owner's tasks (all, or the one with `id`) the dialect's way, then lists
    /// what remains. Where cancelled tasks come back once (reference §9, a code reading), they
    /// are listed again, finished and cancelled, after this answer.
    pub fn terminate(
        &self,
        owner: Owner,
        id: Option<&str>,
        kinds: &[FileOperationType],
    ) -> Vec<Task> {
        let mut removed = Vec::new();
        {
            let mut tasks = self.tasks();
            let matches = |t: &Task| {
                (t.owner == owner || self.terminate_others) && id.is_none_or(|id| id == t.id)
            };
            for t in tasks.iter().filter(|t| matches(t)) {
                t.cancel.store(true, Ordering::SeqCst);
            }
            let remove = self.dialect.behaviour.terminate == Terminate::Remove;
            if remove != self.terminate_flipped {
                let (gone, kept) = tasks.drain(..).partition(|t| matches(t));
                *tasks = kept;
                removed = gone;
            }
        }
        let left = self.list(owner, kinds, None);
        if self.dialect.behaviour.terminated_reappear {
            let mut tasks = self.tasks();
            for mut t in removed.into_iter().filter(|t| !t.finished) {
                t.finished = true;
                t.status = DistributedTaskStatus::Canceled;
                t.hold = true;
                tasks.push(t);
            }
        }
        left
    }

    /// How many listed tasks have not finished yet.
    pub fn unfinished(&self) -> usize {
        self.tasks().iter().filter(|t| !t.finished).count()
    }

    /// Every task as it stands, listed or not, without reading any (for tests that compare
    /// the whole state).
    pub fn snapshot(&self) -> Vec<Task> {
        self.tasks().clone()
    }

    /// A task by id, as it stands (for the download handler and tests).
    pub fn peek(&self, id: &str) -> Option<Task> {
        self.tasks().iter().find(|t| t.id == id).cloned()
    }
}

fn apply(t: &mut Task, outcome: Outcome) {
    t.processed += outcome.processed;
    let progress = (100 * t.processed / t.total).min(100) as i32;
    t.progress = t.progress.max(progress);
    if outcome.replace {
        t.files = outcome.files;
        t.folders = outcome.folders;
    } else {
        t.files.extend(outcome.files);
        t.folders.extend(outcome.folders);
    }
    if outcome.error.is_some() {
        t.error = outcome.error;
    }
    if outcome.url.is_some() {
        t.url = outcome.url;
    }
}

fn expired(t: &Task, now: u64, from: RetentionFrom, secs: u64, download_secs: u64) -> bool {
    let keep = 1000 * if t.is_download() { download_secs } else { secs };
    let since = match from {
        RetentionFrom::LastChange => Some(t.last_change),
        RetentionFrom::Completion => t.completed_at,
    };
    since.is_some_and(|since| now.saturating_sub(since) > keep)
}
