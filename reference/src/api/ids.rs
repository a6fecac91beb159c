//! How a request's caller and ids are read and resolved against the store, so that every
//! handler treats an unknown token, an unknown entry and a third-party id alike.

use fileops_api::runtime::{
    AnonymousAnswer, AnonymousSetting, ApiError, EntryId, ErrorAnswer, RequestContext,
};

use super::answers::answer_at;
use crate::engine::{Outcome, Owner};
use crate::ops::{self, Source};
use crate::store::{EntryKey, Refusal, Store, UserId};
use crate::Reference;

/// Who is calling: a known account, an anonymous caller, or a token nobody has.
pub(super) enum Caller {
    User(UserId),
    Anonymous,
    Unknown,
}

/// An id from a request, as upstream reads it (reference §2a, §2c, §6): a number or a
/// numeric string names one of the portal's own entries; any other string is a third-party
/// id, and with no third-party storage connected here it matches nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Key {
    /// One of the portal's own entries.
    Portal(EntryKey),
    /// A third-party id: nothing here has it.
    Foreign,
}

impl Key {
    pub(super) fn of(id: &EntryId) -> Self {
        id.as_int().map_or(Key::Foreign, Key::Portal)
    }

    /// The portal's entry, or `missing`: what a lookup that finds nothing refuses with.
    pub(super) fn or(self, missing: Refusal) -> Result<EntryKey, Refusal> {
        match self {
            Key::Portal(id) => Ok(id),
            Key::Foreign => Err(missing),
        }
    }

    /// The folder a request names; a third-party id is refused as an unknown folder is.
    pub(super) fn folder(id: &EntryId) -> Result<EntryKey, Refusal> {
        Self::of(id).or(Refusal::FolderNotFound)
    }

    /// The file a request names; a third-party id is refused as an unknown file is.
    pub(super) fn file(id: &EntryId) -> Result<EntryKey, Refusal> {
        Self::of(id).or(Refusal::FileNotFound)
    }
}

/// One entry a request names, and whether it names it as a folder.
#[derive(Debug, Clone, Copy)]
pub(super) struct Slot {
    pub(super) key: Key,
    pub(super) folder: bool,
}

impl Slot {
    /// The entry as an `ops` source; `None` for a third-party id, which the `ops` code (keyed
    /// by the portal's own ids) never sees.
    pub(super) fn source(self) -> Option<Source> {
        match self.key {
            Key::Portal(id) => Some(Source {
                id,
                folder: self.folder,
            }),
            Key::Foreign => None,
        }
    }

    pub(super) fn exists(self, store: &Store, user: UserId) -> bool {
        self.source().is_some_and(|s| ops::exists(store, user, s))
    }

    /// What upstream refuses with, or reports, when this entry is not there.
    pub(super) fn missing(self) -> Refusal {
        if self.folder {
            Refusal::FolderNotFound
        } else {
            Refusal::FileNotFound
        }
    }

    /// A third-party id's step in an operation: the lookup finds nothing and says so, as
    /// for any unknown entry (reference §13.6, §13.7).
    pub(super) fn not_found(self) -> Outcome {
        Outcome {
            error: Some(self.missing().message()),
            ..Outcome::default()
        }
    }
}

/// The entries a request names in upstream's order (folders first, then files), third-party
/// ids kept in their place, so that what they cause (a refusal up front, an error in the
/// operation) comes where it comes for any unknown entry.
pub(super) struct Named(pub(super) Vec<Slot>);

impl Named {
    pub(super) fn of(folders: &[EntryId], files: &[EntryId]) -> Self {
        let slot = |folder| {
            move |id: &EntryId| Slot {
                key: Key::of(id),
                folder,
            }
        };
        let folders = folders.iter().map(slot(true));
        Self(folders.chain(files.iter().map(slot(false))).collect())
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(super) fn len(&self) -> usize {
        self.0.len()
    }

    /// The portal's own entries as `ops` sources, in order.
    pub(super) fn sources(&self) -> Vec<Source> {
        self.0.iter().filter_map(|s| s.source()).collect()
    }

    /// Items for progress: the sources' weight, and one for each third-party id (what an
    /// entry that is not there weighs).
    pub(super) fn weight(&self, store: &Store) -> i64 {
        let foreign = self.0.iter().filter(|s| s.key == Key::Foreign).count();
        ops::weight(store, &self.sources()) + foreign as i64
    }

    /// The first entry that is not there for `user`, refused as upstream's up-front checks
    /// refuse it.
    pub(super) fn first_missing(&self, store: &Store, user: UserId) -> Option<Refusal> {
        self.0
            .iter()
            .find(|s| !s.exists(store, user))
            .map(|s| s.missing())
    }

    /// What a download of none of these says: files if any were named (reference §13.8).
    pub(super) fn none_found(&self) -> Refusal {
        if self.0.iter().any(|s| !s.folder) {
            Refusal::FileNotFound
        } else {
            Refusal::FolderNotFound
        }
    }
}

/// The folder a request names, when the caller has it.
pub(super) fn own_folder(store: &Store, user: UserId, id: &EntryId) -> Result<EntryKey, Refusal> {
    Key::folder(id).and_then(|folder| store.folder(user, folder).map(|_| folder))
}

impl Reference {
    pub(super) fn caller(&self, context: &RequestContext) -> Caller {
        match context.token() {
            None => Caller::Anonymous,
            Some(token) => match self.store().user_by_token(token) {
                Some(user) => Caller::User(user.id),
                None => Caller::Unknown,
            },
        }
    }

    pub(super) fn user(&self, context: &RequestContext) -> Option<UserId> {
        match self.caller(context) {
            Caller::User(id) => Some(id),
            _ => None,
        }
    }

    /// The account reading an entry, or the answer to a caller without a valid token (none,
    /// or one nobody has) as the dialect's `setting` says (reference §8, §13.2, §13.3): 401,
    /// or a refusal as for an entry it cannot see.
    pub(super) fn reader<R: ErrorAnswer>(
        &self,
        context: &RequestContext,
        setting: AnonymousSetting,
        missing: Refusal,
    ) -> Result<UserId, R> {
        if let Caller::User(id) = self.caller(context) {
            return Ok(id);
        }
        Err(match self.dialect().behaviour.anonymous(setting) {
            AnonymousAnswer::AccessDenied => answer_at(403, ApiError::new("Access denied")),
            AnonymousAnswer::Unauthorized => {
                R::unauthorized().unwrap_or_else(|| answer_at(401, ApiError::new("Unauthorized")))
            }
            AnonymousAnswer::NotFound | AnonymousAnswer::Served => self.refuse(&missing),
        })
    }

    /// The owner for the operation routes a family may serve anonymously: an account, or an
    /// anonymous caller's empty session; `Err` with the answer where the dialect turns such
    /// a caller away (reference §8, §9).
    pub(super) fn session<R: ErrorAnswer>(&self, context: &RequestContext) -> Result<Owner, R> {
        let unauthorized =
            || R::unauthorized().unwrap_or_else(|| answer_at(401, ApiError::new("Unauthorized")));
        // A token nobody has is no authentication at all: the caller is anonymous (§8).
        match self.caller(context) {
            Caller::User(id) => Ok(Some(id)),
            Caller::Unknown | Caller::Anonymous => match self
                .dialect()
                .behaviour
                .anonymous(AnonymousSetting::Operations)
            {
                AnonymousAnswer::Served => Ok(None),
                AnonymousAnswer::Unauthorized => Err(unauthorized()),
                AnonymousAnswer::AccessDenied | AnonymousAnswer::NotFound => {
                    Err(answer_at(403, ApiError::new("Access denied")))
                }
            },
        }
    }
}
