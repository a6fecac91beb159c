use super::answers::answer_at;
use super::*;
use crate::store::EntryKey;
use fileops_api::dialects::{DOCSPACE, WORKSPACE};
use fileops_api::runtime::{ApiError, Dialect, EntryId, Format};
use fileops_api::types::{BatchRequest, FileOperation};

fn context(dialect: &'static Dialect) -> RequestContext {
    RequestContext {
        dialect,
        format: Format::Json,
        authorization: Some("alice-token".into()),
    }
}

fn foreign() -> EntryId {
    EntryId::Str("sbox-987654-|Documents|nothing.docx".into())
}

/// A reference whose first user has a file and a folder in My documents.
fn setup(dialect: &'static Dialect) -> (Reference, EntryKey, EntryKey) {
    let reference = Reference::new(crate::Config::demo(dialect));
    let (file, folder) = {
        let mut store = reference.store();
        let user = store.user_by_token("alice-token").map(|u| (u.id, u.my));
        let (user, my) = user.expect("a demo user");
        let file = store.create_file(user, my, "ours.docx", Vec::new(), "Created", 0);
        let folder = store.create_folder(user, my, "dest", 0);
        (file.expect("a file"), folder.expect("a folder"))
    };
    (reference, file, folder)
}

fn batch(folders: Vec<EntryId>, files: Vec<EntryId>, dest: EntryId) -> MoveBatchItemsRequest {
    MoveBatchItemsRequest {
        body: BatchRequest {
            folder_ids: folders,
            file_ids: files,
            dest_folder_id: dest,
            conflict_resolve_type: None,
            delete_after: None,
            content: None,
            to_fill_out: None,
            return_single_operation: Some(true),
        },
    }
}

/// The operation a move started, once it is finished.
async fn finished(reference: &Reference, answer: MoveBatchItemsResponse) -> FileOperation {
    let MoveBatchItemsResponse::Ok(started) = answer else {
        panic!("not queued: {answer:?}");
    };
    let id = started.last().map(|op| op.id.clone());
    for _ in 0..400 {
        let request = GetOperationStatusesRequest { id: id.clone() };
        let context = context(reference.dialect());
        if let GetOperationStatusesResponse::Ok(list) =
            reference.get_operation_statuses(context, request).await
        {
            if let Some(op) = list.into_iter().find(|op| op.finished) {
                return op;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    panic!("the move did not finish");
}

fn parent(reference: &Reference, id: EntryKey) -> Option<EntryKey> {
    reference.store().entries.get(&id).and_then(|e| e.parent)
}

#[test]
fn an_undocumented_status_falls_back_to_403_then_to_the_lowest() {
    let error = || ApiError::new("refused");
    let answer: MoveBatchItemsResponse = answer_at(404, error());
    assert_eq!(answer, MoveBatchItemsResponse::NotFound(error()));
    let answer: MoveBatchItemsResponse = answer_at(409, error());
    assert_eq!(answer, MoveBatchItemsResponse::Forbidden(error()));
    let answer: GetTrashFolderResponse = answer_at(403, error());
    assert_eq!(answer, GetTrashFolderResponse::BadRequest(error()));
}

#[tokio::test]
async fn docspace_refuses_a_third_party_source_or_destination_up_front() {
    let (reference, file, folder) = setup(&DOCSPACE);
    let missing =
        MoveBatchItemsResponse::NotFound(ApiError::new("The required folder was not found"));
    // A source folder nobody has reaches DocSpace's null folder: 500 ([DS-T], §13.6).
    let request = batch(
        vec![foreign()],
        vec![EntryId::Int(file)],
        EntryId::Int(folder),
    );
    let answer = reference
        .move_batch_items(context(&DOCSPACE), request)
        .await;
    assert_eq!(
        answer,
        MoveBatchItemsResponse::InternalServerError(ApiError::new(
            "Object reference not set to an instance of an object."
        ))
    );
    let request = batch(Vec::new(), vec![EntryId::Int(file)], foreign());
    let answer = reference
        .move_batch_items(context(&DOCSPACE), request)
        .await;
    assert_eq!(answer, missing);
    assert_eq!(parent(&reference, file), parent(&reference, folder));
}

#[tokio::test]
async fn workspace_ends_with_no_effect_or_with_the_not_found_error() {
    let (reference, file, folder) = setup(&WORKSPACE);
    let my = parent(&reference, folder);
    let request = batch(Vec::new(), vec![EntryId::Int(file)], foreign());
    let answer = reference
        .move_batch_items(context(&WORKSPACE), request)
        .await;
    let op = finished(&reference, answer).await;
    assert_eq!((op.error, parent(&reference, file)), (None, my));

    let files = vec![EntryId::Int(file), foreign()];
    let request = batch(Vec::new(), files, EntryId::Int(folder));
    let answer = reference
        .move_batch_items(context(&WORKSPACE), request)
        .await;
    let op = finished(&reference, answer).await;
    assert_eq!(op.error.as_deref(), Some("The required file was not found"));
    assert_eq!(parent(&reference, file), Some(folder));
}
