//! How a handler's result becomes the operation's documented answer: a refusal at the
//! family's status, tasks as the operations the caller sees.

use fileops_api::runtime::{ApiError, ErrorAnswer};
use fileops_api::types::{FileOperation, FileOperationType as Kind};

use crate::engine::Owner;
use crate::store::Refusal;
use crate::{dto, Reference};

/// The status upstream answers a refusal with when the operation documents no answer at the
/// refusal's own status: 403, as it answers whatever it raises as an `InvalidOperationException`
/// or a `SecurityException` (reference §4a, §13.2-§13.5).
const FALLBACK_STATUS: u16 = 403;

/// `R`'s documented answer at `status`. An operation that does not document `status` answers
/// at [`FALLBACK_STATUS`] and, if it does not document that either, at its lowest documented
/// error status, so the choice depends only on the operation's documented answers.
pub(in crate::api) fn answer_at<R: ErrorAnswer>(status: u16, error: ApiError) -> R {
    let documented = |s: &u16| R::error_statuses().contains(s);
    [status, FALLBACK_STATUS]
        .into_iter()
        .find(documented)
        .and_then(|s| R::from_error(s, error.clone()))
        .unwrap_or_else(|| R::first_error(error))
}

impl Reference {
    pub(super) fn answer(
        &self,
        owner: Owner,
        tasks: Vec<crate::engine::Task>,
    ) -> Vec<FileOperation> {
        let store = self.store();
        tasks
            .iter()
            .map(|t| dto::operation(&store, t, owner))
            .collect()
    }

    pub(super) fn list(
        &self,
        owner: Owner,
        kinds: &[Kind],
        single: Option<&str>,
    ) -> Vec<FileOperation> {
        let tasks = self.engine().list(owner, kinds, single);
        self.answer(owner, tasks)
    }

    pub(super) fn status(&self, refusal: &Refusal) -> u16 {
        match refusal {
            Refusal::FolderNotFound | Refusal::FileNotFound => {
                self.dialect().behaviour.missing_entry_status
            }
            Refusal::Invalid(_) => 400,
            Refusal::Failed(_) => 500,
            Refusal::IntoItself | Refusal::Forbidden(_) => 403,
        }
    }

    /// The operation's documented answer to a refusal: the refusal is mapped to this
    /// family's status here, once, and the variant comes from the operation's data.
    pub(super) fn refuse<R: ErrorAnswer>(&self, refusal: &Refusal) -> R {
        answer_at(self.status(refusal), ApiError::new(refusal.message()))
    }
}
