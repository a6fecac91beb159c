//! One server family's wire rules, as data.
//!
//! The generator fills these from the schema's `x-fileops-dialects`; code that must behave
//! per dialect reads a field here instead of testing which dialect it is.

/// A body format a dialect can answer in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `application/json`.
    Json,
    /// `text/xml`, produced the way Newtonsoft's JSON→XML conversion does.
    Xml,
}

/// What a dialect does with a nullable value that is null.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NullStyle {
    /// Leave the key out (System.Text.Json `WhenWritingNull`).
    Omit,
    /// Write `null` (Newtonsoft with `EmitDefaultValue = true`).
    Write,
}

/// How the success envelope's `count` is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountRule {
    /// Always 1 (DocSpace fileops lists stream an `IAsyncEnumerable`, which it does not count).
    One,
    /// The payload's length (1 for a single object).
    Length,
    /// The payload's length, and the key left out when it is 0.
    LengthOmitZero,
}

/// How a request-binding failure is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidationStyle {
    /// The success envelope around RFC 9110 problem details, with `status` 1.
    ProblemDetails,
    /// The ordinary error envelope.
    ErrorEnvelope,
}

/// The answer to a request without a valid token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unauthorized {
    /// HTTP status.
    pub status: u16,
    /// Content type of the body, if there is a body.
    pub content_type: Option<&'static str>,
    /// Other content types real servers send the same answer with (a checker accepts them).
    pub also_content_types: &'static [&'static str],
    /// The body text (empty for none).
    pub body: &'static str,
}

/// The wire rules of one server family.
#[derive(Debug, PartialEq, Eq)]
pub struct Dialect {
    /// The short name used in the schema (`docspace`, `workspace`, `r7`).
    pub name: &'static str,
    /// A name for people.
    pub title: &'static str,
    /// Body formats the dialect answers in (JSON first).
    pub formats: &'static [Format],
    /// Path suffixes that select XML (`.xml`).
    pub xml_suffixes: &'static [&'static str],
    /// Path suffixes that select JSON explicitly (`.json`).
    pub json_suffixes: &'static [&'static str],
    /// What a null nullable value becomes.
    pub nulls: NullStyle,
    /// Whether JSON strings escape `/` as `\/` (DataContract style).
    pub escape_slash: bool,
    /// Keys of the success envelope in the order they are written.
    pub success_keys: &'static [&'static str],
    /// How `count` is computed.
    pub count: CountRule,
    /// Whether the success envelope carries `links`.
    pub links: bool,
    /// Keys of the error envelope in the order they are written.
    pub error_keys: &'static [&'static str],
    /// Keys of the error object in the order they are written.
    pub error_fields: &'static [&'static str],
    /// What a null error field becomes (`type`, `stack`); `Omit` also drops a zero `hresult`.
    pub error_nulls: NullStyle,
    /// How binding failures are answered.
    pub validation: ValidationStyle,
    /// The answer to an unauthenticated request.
    pub unauthorized: Unauthorized,
    /// The success status of a POST (DocSpace 200, Workspace 201).
    pub post_status: u16,
    /// How the server family runs operations (used by emulators and checkers).
    pub behaviour: Behaviour,
}

/// What `terminate` does to the caller's operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Terminate {
    /// Drop them from the listing at once (DocSpace).
    Remove,
    /// Signal them; they stay listed and finish later (Workspace).
    Signal,
}

/// From when an unread task's retention is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetentionFrom {
    /// Its last change (DocSpace's cleaner).
    LastChange,
    /// Its completion (Workspace).
    Completion,
}

/// What `error` holds on an operation that went well.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuccessError {
    /// `""`.
    Empty,
    /// `null`.
    Null,
}

/// How a server binds a request's fields (reference §2a, §2c).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestBinding {
    /// DocSpace's `[FromBody]`: a JSON body only; anything else is 415.
    JsonBody,
    /// Community Server's `NameValueCollection`: the query string and a JSON, XML, form or
    /// multipart body merged, names in any case, repeated keys and `name[]` as lists, every
    /// value a text converted to its field's type.
    NameValue,
}

/// What a finished move, copy or duplicate lists in `files` and `folders` (reference §13.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportedEntries {
    /// DocSpace: the destination folder, then each top-level folder's result; the file phase
    /// replaces everything with the files' results, so a mixed request lists only files.
    LastPhase,
    /// Workspace: each handled source before its result, accumulated; a folder adds the
    /// destination first, a merge-copy only the destination.
    SourcesAndResults,
}

/// How a server family runs operations: the rules the reference notes give per dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Behaviour {
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
    pub download_handler: &'static str,
    /// How request fields are bound.
    pub request_binding: RequestBinding,
    /// The status for an unknown file or folder id (DocSpace 404, Workspace 403).
    pub missing_entry_status: u16,
    /// The status for bad credentials at login (DocSpace 401, Workspace 500).
    pub bad_credentials_status: u16,
}

impl Dialect {
    /// Whether the dialect can answer in `format`.
    pub fn supports(&self, format: Format) -> bool {
        self.formats.contains(&format)
    }

    /// The format a request path selects, and the path without its format suffix.
    ///
    /// A path without a known suffix is JSON.
    pub fn format_for_path<'p>(&self, path: &'p str) -> (Format, &'p str) {
        for suffix in self.xml_suffixes {
            if let Some(stripped) = path.strip_suffix(suffix) {
                return (Format::Xml, stripped);
            }
        }
        for suffix in self.json_suffixes {
            if let Some(stripped) = path.strip_suffix(suffix) {
                return (Format::Json, stripped);
            }
        }
        (Format::Json, path)
    }

    /// Whether a list of dialect names (empty = all) includes this dialect.
    pub fn is_in(&self, names: &[&str]) -> bool {
        names.is_empty() || names.contains(&self.name)
    }
}

/// Looks up a value keyed by dialect name in a small table.
pub(crate) fn lookup<'a, T>(table: &'a [(&'static str, T)], dialect: &Dialect) -> Option<&'a T> {
    table
        .iter()
        .find(|(name, _)| *name == dialect.name)
        .map(|(_, value)| value)
}
