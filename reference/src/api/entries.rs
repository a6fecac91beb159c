//! Folders and files as entries: listings, descriptions, version history, creation; and
//! signing in.

use fileops_api::operations::*;
use fileops_api::runtime::ApiError;
use fileops_api::types::{AuthToken, FolderContent};

use super::answers::answer_at;
use super::ids::{own_folder, Key};
use crate::store::{EntryKey, Refusal, Root, UserId};
use crate::{dto, Reference};

impl Reference {
    fn listing(
        &self,
        user: UserId,
        folder: EntryKey,
        start: Option<i32>,
        count: Option<i32>,
    ) -> Result<FolderContent, Refusal> {
        let store = self.store();
        let entry = store.folder(user, folder)?;
        let trash = store.users.get(&user).map(|u| u.trash);
        // Fault: a folder inside Trash is listed.
        if store.root_of(folder) == Root::Trash
            && Some(folder) != trash
            && !self.faults().trash_preview_allowed
        {
            return Err(Refusal::Forbidden(
                "You are not allowed to preview the elements in the Trash".into(),
            ));
        }
        let start = start.unwrap_or(0);
        if start < 0 || count.is_some_and(|c| c < 0) {
            return Err(Refusal::Invalid(
                "startIndex and count must not be negative".into(),
            ));
        }
        let total = store.child_count(folder);
        let page: Vec<_> = store
            .children_in_order(folder)
            .skip(start as usize)
            .take(count.map_or(usize::MAX, |c| c as usize))
            .collect();
        let files: Vec<_> = page
            .iter()
            .filter(|e| !e.is_folder())
            .map(|e| dto::file(&store, e, Some(user)))
            .collect();
        let folders: Vec<_> = page
            .iter()
            .filter(|e| e.is_folder())
            .map(|e| dto::folder(&store, e, Some(user)))
            .collect();
        let current = dto::folder(&store, entry, Some(user));
        Ok(FolderContent {
            count: Some((files.len() + folders.len()) as i32),
            files,
            folders,
            new: current.new,
            current: Some(current),
            path_parts: dto::path_parts(&store, folder, self.dialect()),
            start_index: Some(start),
            total: Some(total as i32),
        })
    }

    pub(super) fn my_folder(
        &self,
        user: UserId,
        request: GetMyFolderRequest,
    ) -> GetMyFolderResponse {
        let my = self.store().users[&user].my;
        match self.listing(user, my, request.start_index, request.count) {
            Ok(content) => GetMyFolderResponse::Ok(content),
            Err(refusal) => self.refuse(&refusal),
        }
    }

    pub(super) fn trash_folder(
        &self,
        user: UserId,
        request: GetTrashFolderRequest,
    ) -> GetTrashFolderResponse {
        let trash = self.store().users[&user].trash;
        match self.listing(user, trash, request.start_index, request.count) {
            Ok(content) => GetTrashFolderResponse::Ok(content),
            Err(refusal) => self.refuse(&refusal),
        }
    }

    pub(super) fn folder_content(
        &self,
        user: UserId,
        request: GetFolderByFolderIdRequest,
    ) -> GetFolderByFolderIdResponse {
        let found = Key::folder(&request.folder_id)
            .and_then(|folder| self.listing(user, folder, request.start_index, request.count));
        match found {
            Ok(content) => GetFolderByFolderIdResponse::Ok(content),
            Err(refusal) => self.refuse(&refusal),
        }
    }

    pub(super) fn folder_info(
        &self,
        user: UserId,
        request: GetFolderInfoRequest,
    ) -> GetFolderInfoResponse {
        let store = self.store();
        match Key::folder(&request.folder_id).and_then(|id| store.folder(user, id)) {
            Ok(entry) => GetFolderInfoResponse::Ok(dto::folder(&store, entry, Some(user))),
            Err(refusal) => self.refuse(&refusal),
        }
    }

    pub(super) fn new_folder(
        &self,
        user: UserId,
        request: CreateFolderRequest,
    ) -> CreateFolderResponse {
        let faults = self.faults();
        let title = if faults.titles_unsanitized {
            // Fault: the characters a title may not hold are kept.
            request.body.title.trim().to_owned()
        } else {
            clean_title(&request.body.title)
        };
        // Fault (create-anywhere): a title of any length is accepted.
        let too_long = request.body.title.chars().count() > 165 && !faults.create_anywhere;
        if title.is_empty() || too_long {
            return self.refuse(&Refusal::Invalid(
                "The title must not be empty or longer than 165 characters (Parameter 'title')"
                    .into(),
            ));
        }
        let now = self.now();
        let mut store = self.store();
        let created = Key::folder(&request.folder_id).and_then(|parent| {
            // Fault: a title a sibling folder has becomes the next free one (`x (1)`).
            let title = if faults.folder_titles_deduplicated {
                store.free_title(parent, &title, true)
            } else {
                title.clone()
            };
            if faults.create_anywhere {
                // Fault: a folder is created in Trash too.
                store.create_folder_anywhere(user, parent, &title, now)
            } else {
                store.create_folder(user, parent, &title, now)
            }
        });
        match created {
            Ok(id) => {
                let folder = dto::folder(&store, &store.entries[&id], Some(user));
                match self.dialect().post_status {
                    201 => CreateFolderResponse::Created(folder),
                    _ => CreateFolderResponse::Ok(folder),
                }
            }
            // Both families raise an unknown parent through `ErrorIf` (reference §13.4).
            Err(refusal) => self.refuse(&refusal.as_forbidden()),
        }
    }

    pub(super) fn new_file(&self, user: UserId, request: CreateFileRequest) -> CreateFileResponse {
        let body = request.body;
        let faults = self.faults();
        let raw = clean_title(&body.title);
        // Fault (create-anywhere): a title of any length is accepted.
        let too_long = body.title.chars().count() > 165 && !faults.create_anywhere;
        if raw.is_empty() || too_long {
            return self.refuse(&Refusal::Invalid(
                "The title must not be empty or longer than 165 characters (Parameter 'title')"
                    .into(),
            ));
        }
        // Fault (extension-kept): the title is kept as asked.
        let title = if body.enable_external_ext.unwrap_or(false) || faults.extension_kept {
            raw
        } else {
            new_file_title(&raw)
        };
        let now = self.now();
        let mut store = self.store();
        let nowhere =
            Key::folder(&request.folder_id).map_or(true, |id| !store.entries.contains_key(&id));
        let parent = match own_folder(&store, user, &request.folder_id) {
            Ok(parent) if store.root_of(parent) != Root::Trash => parent,
            // Fault (create-anywhere): a file is created in Trash too, and one in a folder
            // that does not exist lands in My documents.
            Ok(parent) if faults.create_anywhere => parent,
            Err(_) if faults.create_anywhere && nowhere => store.users[&user].my,
            _ => return self.refuse(&Refusal::Forbidden("Access denied".into())),
        };
        let template = body.template_id.as_ref().map(Key::file);
        let template = template.map(|t| t.and_then(|t| store.file(user, t)));
        let content = match template {
            Some(Ok(entry)) => entry
                .current()
                .map(|v| v.content.clone())
                .unwrap_or_default(),
            // An unknown template is refused through `ErrorIf` (reference §13.5).
            Some(Err(refusal)) => return self.refuse(&refusal.as_forbidden()),
            None => blank(&title),
        };
        match store.create_file(user, parent, &title, content, "Created", now) {
            Ok(id) => {
                let file = dto::file(&store, &store.entries[&id], Some(user));
                match self.dialect().post_status {
                    201 => CreateFileResponse::Created(file),
                    _ => CreateFileResponse::Ok(file),
                }
            }
            Err(refusal) => self.refuse(&refusal.as_forbidden()),
        }
    }

    pub(super) fn file_info(
        &self,
        user: UserId,
        request: GetFileInfoRequest,
    ) -> GetFileInfoResponse {
        let store = self.store();
        let found = Key::file(&request.file_id)
            .and_then(|id| store.file(user, id))
            .and_then(|entry| match request.version {
                None => Ok((entry, entry.current())),
                Some(number) => entry
                    .version(number)
                    .map(|v| (entry, Some(v)))
                    .ok_or(Refusal::FileNotFound),
            });
        match found {
            Ok((entry, version)) => {
                GetFileInfoResponse::Ok(dto::file_at(&store, entry, version, Some(user)))
            }
            Err(refusal) => self.refuse(&refusal),
        }
    }

    pub(super) fn file_history(
        &self,
        user: UserId,
        request: GetFileHistoryRequest,
    ) -> GetFileHistoryResponse {
        let store = self.store();
        match Key::file(&request.file_id).and_then(|id| store.file(user, id)) {
            Ok(entry) => GetFileHistoryResponse::Ok(
                entry
                    .versions()
                    .iter()
                    .rev()
                    .map(|v| dto::file_at(&store, entry, Some(v), Some(user)))
                    .collect(),
            ),
            Err(refusal) => self.refuse(&refusal.as_forbidden()),
        }
    }

    pub(super) fn authenticate(&self, request: AuthenticateMeRequest) -> AuthenticateMeResponse {
        let body = request.body;
        let found = {
            let store = self.store();
            store
                .users
                .values()
                .find(|u| u.name.eq_ignore_ascii_case(&body.user_name) && u.token == body.password)
                .map(|u| u.token.clone())
        };
        let Some(token) = found else {
            let error = ApiError::new("User authentication failed");
            return answer_at(self.dialect().behaviour.bad_credentials_status, error);
        };
        let answer = AuthToken {
            token: Some(token),
            expires: Some(crate::clock::api_date(self.now() + 24 * 3600 * 1000).to_string()),
            sms: None,
            tfa: None,
        };
        match self.dialect().behaviour.login_status {
            201 => AuthenticateMeResponse::Created(answer),
            _ => AuthenticateMeResponse::Ok(answer),
        }
    }
}

/// Titles as both servers store them: invalid characters replaced, cut to 170 characters.
pub fn clean_title(title: &str) -> String {
    title
        .trim()
        .chars()
        .map(|c| if "\t*+:\"<>?|\\/".contains(c) { '_' } else { c })
        .take(170)
        .collect()
}

/// The title a new file gets: the type's own extension replaces a known one, `.docx` is
/// appended otherwise (reference §13.5).
pub fn new_file_title(title: &str) -> String {
    let internal = |ext: &str| match dto::file_type(&format!("x.{ext}")) {
        fileops_api::types::FileType::Document => Some(".docx"),
        fileops_api::types::FileType::Spreadsheet => Some(".xlsx"),
        fileops_api::types::FileType::Presentation => Some(".pptx"),
        fileops_api::types::FileType::Pdf => Some(".pdf"),
        _ => None,
    };
    match title.rsplit_once('.') {
        Some((_, "docxf")) => title.to_owned(),
        Some((stem, ext)) => match internal(&ext.to_ascii_lowercase()) {
            Some(own) => format!("{stem}{own}"),
            None => format!("{title}.docx"),
        },
        None => format!("{title}.docx"),
    }
}

/// The blank content of a new document (its size is what `pureContentLength` shows).
fn blank(title: &str) -> Vec<u8> {
    format!("fileops reference blank document: {title}").into_bytes()
}
