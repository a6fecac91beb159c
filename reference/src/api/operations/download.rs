//! Bulk downloads: the operation that packs the named entries, and where the package is
//! served.

use fileops_api::operations::*;
use fileops_api::runtime::EntryId;
use fileops_api::types::FileOperationType as Kind;

use crate::api::ids::Named;
use crate::engine::{Job, Outcome, Work};
use crate::ops::download;
use crate::store::{Refusal, Store, UserId};
use crate::Reference;

impl Reference {
    /// Where finished downloads are served (the other family's path under the fault).
    pub(crate) fn download_handler(&self) -> &'static str {
        let own = self.dialect().behaviour.download_handler;
        if !self.faults().download_handler_foreign {
            return own;
        }
        fileops_api::dialects::ALL
            .iter()
            .map(|d| d.behaviour.download_handler)
            .find(|h| *h != own)
            .unwrap_or(own)
    }

    /// DocSpace serves bulkdownload anonymously, scoped to the caller's external-share
    /// session (reference §8): here no entry is shared, so an empty request lists the
    /// session's (no) downloads and anything else is not downloadable (§13.8, 404).
    pub(in crate::api) fn anonymous_download(
        &self,
        body: &fileops_api::types::DownloadRequest,
    ) -> BulkDownloadResponse {
        let nothing = body.file_ids.is_empty()
            && body.folder_ids.is_empty()
            && body.file_convert_ids.is_empty();
        if nothing {
            return BulkDownloadResponse::Ok(self.list(None, &[Kind::Download], None));
        }
        let refusal = if body.file_ids.is_empty() && body.file_convert_ids.is_empty() {
            Refusal::FolderNotFound
        } else {
            Refusal::FileNotFound
        };
        self.refuse(&refusal)
    }

    pub(in crate::api) fn start_download(
        &self,
        owner: UserId,
        body: fileops_api::types::DownloadRequest,
    ) -> BulkDownloadResponse {
        if self.engine().has_running_download(Some(owner)) && !self.faults().downloads_concurrent {
            return self.refuse(&Refusal::Forbidden("Too many downloads.".into()));
        }
        let converted = body.file_convert_ids.iter().map(|item| item.key.clone());
        let files: Vec<EntryId> = body.file_ids.iter().cloned().chain(converted).collect();
        let named = Named::of(&body.folder_ids, &files);
        if named.is_empty() {
            if self.dialect().behaviour.validate_up_front {
                return BulkDownloadResponse::Ok(self.list(Some(owner), &[Kind::Download], None));
            }
            return self.refuse(&Refusal::Forbidden("Bad request.".into()));
        }
        let none_found = named.none_found();
        // Fault: a download of nothing the portal has is queued anyway.
        if self.dialect().behaviour.validate_up_front
            && !named.0.iter().any(|s| s.exists(&self.store(), owner))
            && !self.faults().download_nothing_accepted
        {
            return self.refuse(&none_found);
        }
        // Fault: a download of one file is packed into a zip.
        let always_archive = self.dialect().behaviour.single_file_download_is_archive
            || self.faults().single_download_zipped;
        let now = self.now();
        let downloads = self.downloads();
        let base = self.base_url();
        let handler = self.download_handler();
        // One unit per entry read, the last one also packs: progress moves in steps.
        let units = named.weight(&self.store()).max(1) as usize;
        let sources = named.sources();
        let work: Work = Box::new(move |store: &mut Store, unit| {
            let mut outcome = Outcome {
                processed: 1,
                ..Outcome::default()
            };
            if unit + 1 < units {
                return outcome;
            }
            match download::pack(store, owner, &sources, always_archive, now) {
                Some(package) => {
                    let token = uuid::Uuid::new_v4().simple().to_string();
                    let name = percent_encoding::utf8_percent_encode(
                        &package.name,
                        percent_encoding::NON_ALPHANUMERIC,
                    );
                    outcome.url = Some(format!(
                        "{base}{handler}?action=bulk&filename={name}&key={token}"
                    ));
                    downloads
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .insert(token, package);
                }
                None => outcome.error = Some(none_found.message()),
            }
            outcome
        });
        BulkDownloadResponse::Ok(self.queue(
            Job {
                owner: Some(owner),
                kind: Kind::Download,
                hold: true,
                weight: units as i64,
                units,
                work,
            },
            body.return_single_operation,
        ))
    }
}
