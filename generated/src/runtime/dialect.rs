//! One server family's wire rules, as data.
//!
//! The generator fills these from the schema's `x-fileops-dialects`; code that must behave
//! per dialect reads a field here instead of testing which dialect it is. The words the
//! rules are made of come from [`fileops_vocabulary`], where the generator reads them too.

pub use fileops_vocabulary::{
    AnonymousAnswer, AnonymousSetting, Behaviour, CancelError, CountRule, ErrorField, ErrorKey,
    Format, MediaRefusal, NullStyle, ObjectCount, ReportedEntries, RequestBinding, RetentionFrom,
    SuccessError, SuccessKey, Terminate, UnknownDestination, UnqueuedTypes, ValidationStyle,
};

/// The answer to a request without a valid token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unauthorized {
    /// HTTP status.
    pub status: u16,
    /// Content type of the body, if there is a body.
    pub content_type: Option<&'static str>,
    /// Other content types real servers send the same answer with (a checker accepts them).
    pub also_content_types: &'static [&'static str],
    /// The body text (empty for none); with `envelope`, the error message.
    pub body: &'static str,
    /// Whether the body is the dialect's error envelope.
    pub envelope: bool,
    /// Whether a rejected `Basic` or `Bearer` header is answered with a `WWW-Authenticate`
    /// challenge.
    pub challenge: bool,
}

/// The wire rules of one server family.
///
/// A plain value: a variant with another reading of an open fact
/// ([`OpenFact::with`](super::OpenFact::with)) is a copy with one field changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    pub success_keys: &'static [SuccessKey],
    /// How `count` is computed for a list.
    pub count: CountRule,
    /// How `count` is computed for a single object.
    pub object_count: ObjectCount,
    /// Whether the success envelope carries `links`.
    pub links: bool,
    /// Keys of the error envelope in the order they are written.
    pub error_keys: &'static [ErrorKey],
    /// Keys of the error object in the order they are written.
    pub error_fields: &'static [ErrorField],
    /// What a null error field becomes (`type`, `stack`); `Omit` also drops a zero `hresult`.
    pub error_nulls: NullStyle,
    /// How binding failures are answered.
    pub validation: ValidationStyle,
    /// How a body of a media type the operation does not bind is refused (415).
    pub unsupported_media: MediaRefusal,
    /// The answer to an unauthenticated request.
    pub unauthorized: Unauthorized,
    /// The success status of a POST (DocSpace 200, Workspace 201).
    pub post_status: u16,
    /// How the server family runs operations (used by emulators and checkers).
    pub behaviour: Behaviour,
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

    /// Whether a list of dialect names includes this dialect (an empty list includes none).
    #[inline]
    pub fn is_in_strict(&self, names: &[&str]) -> bool {
        names.iter().any(|name| same_name(name, self.name))
    }

    /// Whether a list of dialect names (empty = all) includes this dialect.
    #[inline]
    pub fn is_in(&self, names: &[&str]) -> bool {
        names.is_empty() || names.iter().any(|name| same_name(name, self.name))
    }
}

/// Looks up a value keyed by dialect name in a small table.
pub(crate) fn lookup<'a, T>(table: &'a [(&'static str, T)], dialect: &Dialect) -> Option<&'a T> {
    table
        .iter()
        .find(|(name, _)| same_name(name, dialect.name))
        .map(|(_, value)| value)
}

/// A dialect name's text, from the static bytes that hold it (generated `dialects::names`:
/// the name then has the address of that static, the same wherever it is used).
pub const fn name_in(bytes: &'static [u8]) -> &'static str {
    match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => panic!("a dialect name is not UTF-8"),
    }
}

/// Whether two dialect names are the same.
///
/// Shape tables are searched by dialect name for every value written. Generated tables
/// hold each name from one static (`dialects::names`), so the address settles a match
/// at once; the text decides for names from anywhere else.
#[inline]
pub fn same_name(a: &str, b: &str) -> bool {
    std::ptr::eq(a, b) || a == b
}
