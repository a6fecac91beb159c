//! Error answers built from a status: `from_error` gives the variant the operation documents
//! for that status, and nothing for a status it does not document with an `ApiError`.

use fileops_api::operations::*;
use fileops_api::runtime::{ApiError, ErrorAnswer};

fn error() -> ApiError {
    ApiError::new("The required folder was not found")
}

#[test]
fn from_error_builds_the_documented_variant() {
    assert_eq!(
        MoveBatchItemsResponse::from_error(404, error()),
        Some(MoveBatchItemsResponse::NotFound(error()))
    );
    assert_eq!(
        MoveBatchItemsResponse::from_error(403, error()),
        Some(MoveBatchItemsResponse::Forbidden(error()))
    );
    assert_eq!(
        AuthenticateMeResponse::from_error(401, error()),
        Some(AuthenticateMeResponse::Unauthorized(error()))
    );
}

#[test]
fn from_error_is_none_for_an_undocumented_status() {
    // 418 is documented nowhere; 200 carries a payload, 401 no body, 409 and 400 are not
    // documented.
    assert_eq!(MoveBatchItemsResponse::from_error(418, error()), None);
    assert_eq!(MoveBatchItemsResponse::from_error(200, error()), None);
    assert_eq!(MoveBatchItemsResponse::from_error(401, error()), None);
    assert_eq!(GetFileHistoryResponse::from_error(409, error()), None);
    assert_eq!(GetOperationStatusesResponse::from_error(400, error()), None);
}

/// Every listed status builds an answer with that status, the list is ascending, and the
/// first error answer is the one at the lowest status.
fn consistent<R: ErrorAnswer + PartialEq + std::fmt::Debug>(status: fn(&R) -> u16) {
    let statuses = R::error_statuses();
    assert!(!statuses.is_empty());
    assert!(statuses.windows(2).all(|w| w[0] < w[1]), "{statuses:?}");
    for &s in statuses {
        let answer = R::from_error(s, error());
        assert_eq!(answer.as_ref().map(status), Some(s));
    }
    assert_eq!(
        Some(R::first_error(error())),
        R::from_error(statuses[0], error())
    );
}

#[test]
fn the_trait_agrees_with_the_enums() {
    consistent::<MoveBatchItemsResponse>(MoveBatchItemsResponse::status);
    consistent::<GetFileHistoryResponse>(GetFileHistoryResponse::status);
    consistent::<AuthenticateMeResponse>(AuthenticateMeResponse::status);
    consistent::<GetTrashFolderResponse>(GetTrashFolderResponse::status);
    assert_eq!(
        <GetFileInfoResponse as ErrorAnswer>::error_statuses(),
        &[400, 403, 404]
    );
}
