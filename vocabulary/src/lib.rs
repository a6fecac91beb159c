//! # fileops-vocabulary
//!
//! Every concept the generator reads from a schema and the runtime acts on, defined once:
//! the generator parses the schema's words into these types (feature `serde`), keeps them in
//! its IR and emits them as paths to the same types, which the runtime re-exports. A word
//! the schema misspells is an error that lists the words allowed, never another rule.

#![forbid(unsafe_code)]

use std::fmt;

/// A closed set of schema words, each naming one variant.
pub trait Word: Sized + Copy + 'static {
    /// The type's name, as the runtime exports it.
    const TYPE: &'static str;
    /// Every variant, in declaration order.
    const ALL: &'static [Self];
    /// The schema word.
    fn word(self) -> &'static str;
    /// The Rust variant's name (what generated code names).
    fn variant(self) -> &'static str;
    /// The variant a schema word names.
    fn from_word(word: &str) -> Result<Self, UnknownWord> {
        Self::ALL
            .iter()
            .copied()
            .find(|v| v.word() == word)
            .ok_or_else(|| UnknownWord {
                kind: Self::TYPE,
                word: word.to_owned(),
                allowed: Self::ALL.iter().map(|v| v.word()).collect(),
            })
    }
}

/// A schema word that names no variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownWord {
    /// The type it was read as.
    pub kind: &'static str,
    /// What the schema says.
    pub word: String,
    /// The words allowed.
    pub allowed: Vec<&'static str>,
}

impl fmt::Display for UnknownWord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a {} (allowed: {})",
            self.word,
            self.kind,
            self.allowed.join(", ")
        )
    }
}

impl std::error::Error for UnknownWord {}

/// Defines a word enum: its variants with their schema words, [`Word`], `Display` (the word)
/// and, with feature `serde`, `Deserialize` from the word.
macro_rules! words {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $word:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vmeta])* $variant,)+ }

        impl Word for $name {
            const TYPE: &'static str = stringify!($name);
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            fn word(self) -> &'static str {
                match self { $(Self::$variant => $word,)+ }
            }
            fn variant(self) -> &'static str {
                match self { $(Self::$variant => stringify!($variant),)+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.word())
            }
        }

        impl std::str::FromStr for $name {
            type Err = UnknownWord;
            fn from_str(word: &str) -> Result<Self, UnknownWord> {
                Self::from_word(word)
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let word = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                Self::from_word(&word).map_err(serde::de::Error::custom)
            }
        }
    };
}

words! {
    /// A body format a dialect can answer in.
    pub enum Format {
        /// `application/json`.
        Json = "json",
        /// `text/xml`, produced the way Newtonsoft's JSON→XML conversion does.
        Xml = "xml",
    }
}

words! {
    /// What a dialect does with a nullable value that is null.
    pub enum NullStyle {
        /// Leave the key out (System.Text.Json `WhenWritingNull`).
        Omit = "omit",
        /// Write `null` (Newtonsoft with `EmitDefaultValue = true`).
        Write = "write",
    }
}

words! {
    /// How the success envelope's `count` is computed.
    pub enum CountRule {
        /// Always 1 (DocSpace fileops lists stream an `IAsyncEnumerable`, which it does not
        /// count).
        One = "one",
        /// The payload's length (1 for a single object).
        Length = "length",
        /// The payload's length, and the key left out when it is 0.
        LengthOmitZero = "length-omit-zero",
    }
}

words! {
    /// How the success envelope counts a payload that is a single object (a list is counted
    /// by the [`CountRule`]).
    pub enum ObjectCount {
        /// 1.
        One = "one",
        /// The object's own `count` member when it has one (a folder listing's page size,
        /// Community Server's `Binder.GetCollectionCount`), else 1.
        OwnCount = "own-count",
        /// No `count` at all.
        None = "none",
    }
}

words! {
    /// How a request body of a media type the operation does not bind is refused (415).
    pub enum MediaRefusal {
        /// The success envelope around plain RFC 9110 problem details, `status` 0 (the
        /// envelope sets 1 only around validation problem details).
        ProblemDetails = "problem-details",
        /// The success envelope around problem details with `status` 1, as for a binding
        /// failure.
        ValidationProblemDetails = "validation-problem-details",
        /// The ordinary error envelope (a `NotSupportedException`).
        ErrorEnvelope = "error-envelope",
    }
}

words! {
    /// What a caller without a valid token gets from an operation that may serve anonymous
    /// callers.
    pub enum AnonymousAnswer {
        /// Served, as an empty external-share session.
        Served = "served",
        /// The dialect's 401, as any protected operation.
        Unauthorized = "unauthorized",
        /// 403 "Access denied" in the error envelope.
        AccessDenied = "access-denied",
        /// The dialect's missing-entry status in the error envelope.
        NotFound = "not-found",
    }
}

words! {
    /// Which behaviour setting says what an operation answers a caller without a token.
    pub enum AnonymousSetting {
        /// `anonymous-folder-listing`: a folder's listing.
        FolderListing = "anonymous-folder-listing",
        /// `anonymous-folder-info`: a folder's information.
        FolderInfo = "anonymous-folder-info",
        /// `anonymous-file-reads`: a file's information and history.
        FileReads = "anonymous-file-reads",
        /// `anonymous-operations`: listing and terminating operations, bulk download.
        Operations = "anonymous-operations",
    }
}

words! {
    /// What `error` a cancelled (signalled) operation finishes with.
    pub enum CancelError {
        /// "The operation was canceled".
        Message = "message",
        /// None (the cancellation is swallowed).
        None = "none",
    }
}

words! {
    /// What a move or copy toward an unknown destination does.
    pub enum UnknownDestination {
        /// Refused before queuing with the missing-entry status.
        Refused = "refused",
        /// Queued; it finishes with no error and no effect.
        Silent = "silent",
        /// Queued; it finishes with an error and no effect.
        OperationError = "operation-error",
    }
}

words! {
    /// What listing operations of a kind that has no queue (`Import`, `Convert`) answers.
    pub enum UnqueuedTypes {
        /// 400 in the error envelope (`ArgumentOutOfRangeException`).
        BadRequest = "bad-request",
        /// An empty list.
        EmptyList = "empty-list",
    }
}

words! {
    /// How a request-binding failure is answered.
    pub enum ValidationStyle {
        /// The success envelope around RFC 9110 problem details, with `status` 1.
        ProblemDetails = "problem-details",
        /// The ordinary error envelope.
        ErrorEnvelope = "error-envelope",
    }
}

words! {
    /// A key of the success envelope.
    pub enum SuccessKey {
        /// The payload.
        Response = "response",
        /// How many items the payload holds, by the dialect's [`CountRule`].
        Count = "count",
        /// The total of a paged listing.
        Total = "total",
        /// The request, as DocSpace repeats it.
        Links = "links",
        /// 0 for success.
        Status = "status",
        /// The HTTP status.
        StatusCode = "statusCode",
        /// Workspace paging: where the page starts.
        StartIndex = "startIndex",
        /// Workspace paging: where the next page starts.
        NextIndex = "nextIndex",
    }
}

words! {
    /// A key of the error envelope.
    pub enum ErrorKey {
        /// The error object.
        Error = "error",
        /// 1 for an error.
        Status = "status",
        /// The HTTP status.
        StatusCode = "statusCode",
    }
}

words! {
    /// A key of the error object.
    pub enum ErrorField {
        /// The exception message.
        Message = "message",
        /// The exception type.
        Type = "type",
        /// The stack trace.
        Stack = "stack",
        /// The HRESULT.
        Hresult = "hresult",
        /// Extra data (Workspace).
        Data = "data",
    }
}

words! {
    /// What `terminate` does to the caller's operations.
    pub enum Terminate {
        /// Drop them from the listing at once (DocSpace).
        Remove = "remove",
        /// Signal them; they stay listed and finish later (Workspace).
        Signal = "signal",
    }
}

words! {
    /// From when an unread task's retention is counted.
    pub enum RetentionFrom {
        /// Its last change (DocSpace's cleaner).
        LastChange = "last-change",
        /// Its completion (Workspace).
        Completion = "completion",
    }
}

words! {
    /// What `error` holds on an operation that went well.
    pub enum SuccessError {
        /// `""`.
        Empty = "empty",
        /// `null`.
        Null = "null",
    }
}

words! {
    /// How a server binds a request's fields (reference §2a, §2c).
    pub enum RequestBinding {
        /// DocSpace's `[FromBody]`: a JSON body only; anything else is 415.
        JsonBody = "json-body",
        /// Community Server's `NameValueCollection`: the query string and a JSON, XML, form or
        /// multipart body merged, names in any case, repeated keys and `name[]` as lists,
        /// every value a text converted to its field's type.
        NameValue = "name-value",
    }
}

words! {
    /// What a finished move, copy or duplicate lists in `files` and `folders` (reference
    /// §13.6).
    pub enum ReportedEntries {
        /// DocSpace: the destination folder, then each top-level folder's result; the file
        /// phase replaces everything with the files' results, so a mixed request lists only
        /// files.
        LastPhase = "last-phase",
        /// DocSpace without the loss: the destination, each top-level folder's result, then
        /// the files' results, accumulated.
        AllPhases = "all-phases",
        /// Workspace: each handled source before its result, accumulated; a folder adds the
        /// destination first, a merge-copy only the destination.
        SourcesAndResults = "sources-and-results",
        /// As `sources-and-results`, with the destination listed first for every request
        /// that handled something, files too.
        SourcesResultsAndDestination = "sources-results-and-destination",
    }
}

words! {
    /// How an enum is written on the wire.
    pub enum EnumWire {
        /// As its number.
        Integer = "integer",
        /// As its name.
        Name = "name",
    }
}

words! {
    /// Where a parameter travels.
    pub enum ParamLocation {
        /// A path segment.
        Path = "path",
        /// The query string.
        Query = "query",
        /// A header.
        Header = "header",
    }
}

words! {
    /// How a response body is made.
    pub enum BodyKind {
        /// The success envelope around a payload.
        Envelope = "envelope",
        /// The error envelope.
        Error = "error",
        /// The dialect's unauthenticated answer.
        Unauthorized = "unauthorized",
        /// JSON without an envelope.
        Plain = "plain",
        /// Text.
        Text = "text",
        /// Nothing.
        Empty = "empty",
    }
}

/// How a server family runs operations: the rules the reference notes give per dialect.
///
/// `S` is how text is held: `&'static str` in generated statics, `String` in the
/// generator, which reads the block from the schema's `behaviour` (feature `serde`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(rename_all = "kebab-case", deny_unknown_fields)
)]
pub struct Behaviour<S = &'static str> {
    /// What terminate does.
    pub terminate: Terminate,
    /// Seconds an unread task is kept.
    pub retention_seconds: u64,
    /// Seconds an unread download task is kept.
    pub download_retention_seconds: u64,
    /// From when retention is counted.
    pub retention_from: RetentionFrom,
    /// Whether sources and destination are checked before queuing (synchronous 403/404).
    pub validate_up_front: bool,
    /// Whether a Duplicate copy takes the next free title (`a (1).docx`).
    pub duplicate_renames: bool,
    /// What `error` holds on success.
    pub success_error: SuccessError,
    /// Whether the move/copy conflict check reports folders as well as files.
    pub conflicts_include_folders: bool,
    /// Whether a listing's `pathParts` are objects (DocSpace) rather than bare ids.
    pub path_parts_as_objects: bool,
    /// Whether emptying an empty Trash still queues an operation.
    pub empty_trash_always_queues: bool,
    /// Whether a download of one file is still packed into an archive.
    pub single_file_download_is_archive: bool,
    /// What finished moves, copies and duplicates report.
    pub reported_entries: ReportedEntries,
    /// The path below the portal's address of the handler serving finished downloads
    /// (DocSpace `/filehandler.ashx`, Workspace `/Products/Files/HttpHandlers/filehandler.ashx`).
    pub download_handler: S,
    /// How request fields are bound.
    pub request_binding: RequestBinding,
    /// The status for an unknown file or folder id (DocSpace 404, Workspace 403).
    pub missing_entry_status: u16,
    /// The status for bad credentials at login (DocSpace 401, Workspace 500).
    pub bad_credentials_status: u16,
    /// The status a move or copy checked up front answers for a source folder that does not
    /// exist (DocSpace 500, a null folder dereferenced; Workspace 403).
    pub unknown_source_folder_status: u16,
    /// The status of a successful login (DocSpace 200, Workspace 201).
    pub login_status: u16,
    /// Whether a cancelled operation comes back once, finished, in the next listing.
    pub terminated_reappear: bool,
    /// What error a signalled cancellation finishes with.
    pub cancel_error: CancelError,
    /// What a move or copy toward an unknown destination does.
    pub unknown_destination: UnknownDestination,
    /// What a caller without a token gets from listing a folder it cannot see.
    pub anonymous_folder_listing: AnonymousAnswer,
    /// What a caller without a token gets from a folder's information.
    pub anonymous_folder_info: AnonymousAnswer,
    /// What a caller without a token gets from a file's information and history.
    pub anonymous_file_reads: AnonymousAnswer,
    /// What a caller without a token gets from listing or terminating operations and from
    /// a bulk download.
    pub anonymous_operations: AnonymousAnswer,
    /// The status `checkdestfolder` answers for an unknown destination.
    pub checkdest_unknown_destination_status: u16,
    /// The status `checkdestfolder` answers for a destination outside every room (200: the
    /// verdict).
    pub checkdest_outside_rooms_status: u16,
    /// The status `duplicate` answers for an unknown file.
    pub duplicate_unknown_file_status: u16,
    /// Whether the `{operationType}` route reads kinds by name as well as by number.
    pub operation_type_names: bool,
    /// What listing the kinds without a queue answers.
    pub unqueued_operation_types: UnqueuedTypes,
    /// Whether mark-as-read lists the entries it handled in `files`/`folders`.
    pub mark_as_read_reports: bool,
    /// Whether deleting a file's versions with an empty list removes the file for good
    /// (rather than to Trash).
    pub empty_versions_for_good: bool,
}

impl<S> Behaviour<S> {
    /// What the setting `setting` says a caller without a token gets.
    pub fn anonymous(&self, setting: AnonymousSetting) -> AnonymousAnswer {
        match setting {
            AnonymousSetting::FolderListing => self.anonymous_folder_listing,
            AnonymousSetting::FolderInfo => self.anonymous_folder_info,
            AnonymousSetting::FileReads => self.anonymous_file_reads,
            AnonymousSetting::Operations => self.anonymous_operations,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_reads_back_as_its_variant() {
        fn round_trip<W: Word + PartialEq + fmt::Debug>() {
            for v in W::ALL {
                assert_eq!(W::from_word(v.word()), Ok(*v));
            }
        }
        round_trip::<Format>();
        round_trip::<NullStyle>();
        round_trip::<CountRule>();
        round_trip::<ValidationStyle>();
        round_trip::<SuccessKey>();
        round_trip::<ErrorKey>();
        round_trip::<ErrorField>();
        round_trip::<Terminate>();
        round_trip::<RetentionFrom>();
        round_trip::<SuccessError>();
        round_trip::<RequestBinding>();
        round_trip::<ReportedEntries>();
        round_trip::<ObjectCount>();
        round_trip::<MediaRefusal>();
        round_trip::<AnonymousAnswer>();
        round_trip::<AnonymousSetting>();
        round_trip::<CancelError>();
        round_trip::<UnknownDestination>();
        round_trip::<UnqueuedTypes>();
        round_trip::<EnumWire>();
        round_trip::<ParamLocation>();
        round_trip::<BodyKind>();
    }

    #[test]
    fn a_misspelt_word_is_an_error_listing_the_words() {
        let err = CountRule::from_word("lenght").expect_err("misspelt");
        assert_eq!(
            err.to_string(),
            "`lenght` is not a CountRule (allowed: one, length, length-omit-zero)"
        );
        assert_eq!(CountRule::LengthOmitZero.variant(), "LengthOmitZero");
    }
}
