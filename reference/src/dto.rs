//! Turning stored entries and tasks into the generated answer types.

use fileops_api::runtime::{Dialect, EntryId};
use fileops_api::types::{
    Employee, File, FileEntry, FileEntryType, FileOperation, FileShare, FileStatus, FileType,
    Folder, FolderType, PathPart, PathStep,
};

use crate::clock::api_date;
use crate::engine::Task;
use crate::store::{Entry, EntryKey, Root, Store};

fn person(store: &Store, entry: &Entry) -> Option<Employee> {
    let user = store.users.get(&entry.owner)?;
    Some(Employee {
        id: Some(user.guid.clone()),
        display_name: Some(user.name.clone()),
        title: None,
        avatar: None,
        avatar_original: None,
        avatar_max: None,
        avatar_medium: None,
        avatar_small: Some("/static/images/default_user_photo_size_32-32.png".into()),
        profile_url: Some(format!("/accounts/view/{}", user.name)),
        has_avatar: Some(false),
        is_anonim: Some(false),
    })
}

fn root_type(store: &Store, id: EntryKey) -> FolderType {
    match store.root_of(id) {
        Root::My => FolderType::User,
        Root::Trash => FolderType::Trash,
    }
}

fn root_id(store: &Store, id: EntryKey) -> Option<EntryId> {
    Some(EntryId::Int(store.top(id)))
}

/// The document type of an extension.
pub fn file_type(title: &str) -> FileType {
    match title
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("docx" | "doc" | "odt" | "rtf" | "txt" | "docxf") => FileType::Document,
        Some("xlsx" | "xls" | "ods" | "csv") => FileType::Spreadsheet,
        Some("pptx" | "ppt" | "odp") => FileType::Presentation,
        Some("pdf") => FileType::Pdf,
        Some("zip" | "rar" | "7z") => FileType::Archive,
        Some("png" | "jpg" | "jpeg" | "gif") => FileType::Image,
        _ => FileType::Unknown,
    }
}

fn human_size(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes} bytes")
    } else {
        format!("{:.2} KB", bytes as f64 / 1024.0)
    }
}

/// A stored file as the API shows it.
pub fn file(store: &Store, entry: &Entry, viewer: Option<u32>) -> File {
    file_at(store, entry, entry.current(), viewer)
}

/// A stored file as the API shows one of its versions (`history`, `?version=`).
pub fn file_at(
    store: &Store,
    entry: &Entry,
    current: Option<&crate::store::Version>,
    viewer: Option<u32>,
) -> File {
    let new = viewer.is_some_and(|v| entry.new_for.contains(&v));
    File {
        id: Some(EntryId::Int(entry.id)),
        title: Some(entry.title.clone()),
        access: Some(FileShare::None),
        shared: Some(false),
        created: Some(api_date(entry.created)),
        created_by: person(store, entry),
        updated: Some(api_date(entry.updated)),
        updated_by: person(store, entry),
        root_folder_type: Some(root_type(store, entry.id)),
        root_folder_id: root_id(store, entry.id),
        provider_item: None,
        provider_key: None,
        provider_id: None,
        deny_download: Some(false),
        deny_sharing: Some(false),
        file_entry_type: Some(FileEntryType::File),
        folder_id: entry.parent.map(EntryId::Int),
        version: current.map(|v| v.number),
        version_group: current.map(|v| v.group),
        content_length: current.map(|v| human_size(v.content.len())),
        pure_content_length: current.map(|v| v.content.len() as i64),
        file_status: Some(if new {
            FileStatus::IS_NEW
        } else {
            FileStatus::NONE
        }),
        view_url: Some(format!("/filehandler.ashx?action=view&fileid={}", entry.id)),
        web_url: Some(format!("/doceditor?fileid={}", entry.id)),
        file_type: Some(file_type(&entry.title)),
        file_exst: entry
            .title
            .rfind('.')
            .map(|dot| entry.title[dot..].to_ascii_lowercase()),
        comment: current.map(|v| v.comment.clone()),
        encrypted: None,
        thumbnail_url: None,
        locked: Some(false),
    }
}

/// A stored folder as the API shows it.
pub fn folder(store: &Store, entry: &Entry, viewer: Option<u32>) -> Folder {
    let (files, folders) = store.count_below(entry.id);
    let new = store
        .children_in_order(entry.id)
        .filter(|c| viewer.is_some_and(|v| c.new_for.contains(&v)))
        .count();
    Folder {
        id: Some(EntryId::Int(entry.id)),
        title: Some(entry.title.clone()),
        access: Some(FileShare::None),
        shared: Some(false),
        created: Some(api_date(entry.created)),
        created_by: person(store, entry),
        updated: Some(api_date(entry.updated)),
        updated_by: person(store, entry),
        root_folder_type: Some(root_type(store, entry.id)),
        root_folder_id: root_id(store, entry.id),
        provider_item: None,
        provider_key: None,
        provider_id: None,
        deny_download: Some(false),
        deny_sharing: Some(false),
        file_entry_type: Some(FileEntryType::Folder),
        parent_id: Some(EntryId::Int(entry.parent.unwrap_or(0))),
        files_count: Some(files as i32),
        folders_count: Some(folders as i32),
        is_shareable: Some(false),
        is_favorite: Some(false),
        new: Some(new as i32),
    }
}

/// An entry as a file-or-folder.
pub fn entry(store: &Store, entry: &Entry, viewer: Option<u32>) -> FileEntry {
    if entry.is_folder() {
        FileEntry::Folder(folder(store, entry, viewer))
    } else {
        FileEntry::File(file(store, entry, viewer))
    }
}

/// The path parts of a listing: objects in DocSpace, bare ids elsewhere.
pub fn path_parts(store: &Store, id: EntryKey, dialect: &Dialect) -> Vec<PathPart> {
    store
        .path(id)
        .into_iter()
        .filter_map(|step| store.entries.get(&step))
        .map(|e| {
            if dialect.behaviour.path_parts_as_objects {
                PathPart::PathStep(PathStep {
                    id: Some(EntryId::Int(e.id)),
                    title: Some(e.title.clone()),
                    room_type: None,
                    folder_type: Some(if e.parent.is_none() {
                        root_type(store, e.id)
                    } else {
                        FolderType::Default
                    }),
                })
            } else {
                PathPart::EntryId(EntryId::Int(e.id))
            }
        })
        .collect()
}

/// A task as the API shows it. Deletes report no entries; entries that are gone are left out.
pub fn operation(store: &Store, task: &Task, viewer: Option<u32>) -> FileOperation {
    let is_delete = task.kind == fileops_api::types::FileOperationType::Delete;
    // Each entry once (Workspace reports a moved file as source and result, the same id).
    let mut seen = std::collections::HashSet::new();
    let files: Vec<File> = task
        .files
        .iter()
        .filter(|id| seen.insert(**id))
        .filter_map(|id| store.entries.get(id))
        .filter(|e| !e.is_folder())
        .map(|e| file(store, e, viewer))
        .collect();
    let folders: Vec<Folder> = task
        .folders
        .iter()
        .filter(|id| seen.insert(**id))
        .filter_map(|id| store.entries.get(id))
        .filter(|e| e.is_folder())
        .map(|e| folder(store, e, viewer))
        .collect();
    FileOperation {
        id: task.id.clone(),
        operation: Some(task.kind.clone()),
        progress: task.progress,
        error: task.error.clone(),
        processed: task.processed.to_string(),
        finished: task.finished,
        url: task.url.clone(),
        files: (!is_delete && !files.is_empty()).then_some(files),
        folders: (!is_delete && !folders.is_empty()).then_some(folders),
        status: Some(task.status.clone()),
    }
}
