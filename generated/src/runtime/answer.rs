//! Error answers chosen by status, for code that builds answers without naming an operation.
//!
//! A server knows *why* it refuses (and so which status its family answers with); each
//! operation's response enum knows which statuses it documents. This trait joins the two, so
//! the mapping from a refusal to a status is written once instead of once per handler.

use super::envelope::ApiError;

/// The documented error answers of one operation, implemented by every generated response
/// enum that documents at least one answer carrying an [`ApiError`].
pub trait ErrorAnswer: Sized {
    /// The variant documented for `status` when it carries an [`ApiError`]; `None` when the
    /// operation documents no such answer for `status`.
    fn from_error(status: u16, error: ApiError) -> Option<Self>;

    /// The statuses [`from_error`](Self::from_error) answers, ascending and never empty.
    fn error_statuses() -> &'static [u16];

    /// The answer at the first (lowest) of [`error_statuses`](Self::error_statuses): always
    /// there, so generic code falling back from an undocumented status never has to fail.
    fn first_error(error: ApiError) -> Self;

    /// The dialect's answer to a caller without a valid token, where the operation documents
    /// it.
    fn unauthorized() -> Option<Self> {
        None
    }
}
