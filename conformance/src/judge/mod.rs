//! One strict judge of server answers, driven by a projected OpenAPI 3.0.3 document.
//!
//! [`Judge::new`] takes one family's plain OpenAPI document (as a `serde_json::Value`) and the
//! family's [`WireRules`]; [`Judge::judge`] takes one captured [`Answer`] (operation, HTTP
//! status, content type, body) and returns every [`Violation`], each naming its [`Rule`], a
//! [`Severity`] and a JSON pointer into the answer. A faithful answer gives none.
//!
//! What is judged, in order:
//! 1. the status is documented for the operation ([`Rule::Status`]);
//! 2. the body fits the documented content: empty when none is documented, else a documented
//!    media type ([`Rule::ContentType`]);
//! 3. the body parses: UTF-8, then JSON or XML, with the parser's line and column
//!    ([`Rule::Syntax`]);
//! 4. XML is read schema-guided into JSON the way Newtonsoft wrote it ([`Rule::Xml`]);
//! 5. the JSON value fits the schema, converted to JSON Schema (draft 7), each error
//!    classified by keyword ([`Rule::Types`], [`Rule::EnumDomain`], [`Rule::Range`],
//!    [`Rule::Format`], [`Rule::Required`], [`Rule::Envelope`]);
//! 6. the wire rules JSON Schema cannot say: `\/` escaping ([`Rule::Escaping`]), `statusCode`
//!    equal to the HTTP status and the family's `count` rule ([`Rule::Envelope`]).
//!
//! Only one violation is kept per rule and pointer, and one that another explains at the same
//! pointer is dropped (an enum miss on a string, a `Types` error after an XML one, an enum miss
//! on `statusCode` after the envelope's own).

mod convert;
mod schema;
mod wire;
mod xml;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use fileops_api::runtime::Dialect;
pub use fileops_api::runtime::{CountRule, Format, ObjectCount};
use serde_json::{Map, Value};

use schema::Schemas;

/// A check a violation breaks, each with a stable id ([`Rule::id`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// `wire.syntax`: the body is not UTF-8, JSON or XML.
    Syntax,
    /// `wire.types`: a value has the wrong JSON type (or fits no variant of a union).
    Types,
    /// `wire.enum-domain`: a value outside an `enum` (or `const`).
    EnumDomain,
    /// `wire.range`: a number or a length outside its bounds.
    Range,
    /// `wire.format`: a string that breaks its `pattern` or `format` (dates, for one).
    Format,
    /// `wire.required`: a required key is missing below the envelope.
    Required,
    /// `wire.envelope`: a missing envelope key, `statusCode` unlike the HTTP status, a wrong
    /// `count`, or a text body outside its documented values.
    Envelope,
    /// `wire.escaping`: a `/` not written `\/` where the family escapes it.
    Escaping,
    /// `wire.xml`: XML that Newtonsoft's conversion would not write.
    Xml,
    /// `wire.status`: the status (or the operation) is not documented.
    Status,
    /// `wire.content-type`: a body where none is documented, or an undocumented media type.
    ContentType,
}

impl Rule {
    /// Every rule, in declaration order.
    pub const ALL: [Rule; 11] = [
        Rule::Syntax,
        Rule::Types,
        Rule::EnumDomain,
        Rule::Range,
        Rule::Format,
        Rule::Required,
        Rule::Envelope,
        Rule::Escaping,
        Rule::Xml,
        Rule::Status,
        Rule::ContentType,
    ];

    /// The stable check id, e.g. `wire.enum-domain`.
    pub fn id(self) -> &'static str {
        match self {
            Rule::Syntax => "wire.syntax",
            Rule::Types => "wire.types",
            Rule::EnumDomain => "wire.enum-domain",
            Rule::Range => "wire.range",
            Rule::Format => "wire.format",
            Rule::Required => "wire.required",
            Rule::Envelope => "wire.envelope",
            Rule::Escaping => "wire.escaping",
            Rule::Xml => "wire.xml",
            Rule::Status => "wire.status",
            Rule::ContentType => "wire.content-type",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// How bad a violation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The answer breaks the documented wire.
    Fail,
    /// Probably fine on a newer server (an enum value no known family uses).
    Warn,
}

/// One problem with an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The rule broken.
    pub rule: Rule,
    /// Fail or warn.
    pub severity: Severity,
    /// A JSON pointer into the answer (for XML, into its JSON reading); `""` is the root,
    /// and a missing key points at the key.
    pub pointer: String,
    /// What is wrong, for people.
    pub message: String,
}

impl Violation {
    fn fail(rule: Rule, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            rule,
            severity: Severity::Fail,
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Fail => "FAIL",
            Severity::Warn => "WARN",
        };
        let at = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(f, "{level} {} at {at}: {}", self.rule, self.message)
    }
}

/// One captured answer.
#[derive(Debug, Clone, Copy)]
pub struct Answer<'a> {
    /// The `operationId`.
    pub operation: &'a str,
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type` header, if any (parameters such as `charset` are ignored).
    pub content_type: Option<&'a str>,
    /// The body as received.
    pub body: &'a [u8],
}

/// How a success envelope's `count` follows from its `response`: the rule for a list and
/// the rule for a single object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counting {
    /// The list rule.
    pub list: CountRule,
    /// The object rule.
    pub object: ObjectCount,
}

impl Counting {
    /// A list rule, objects counted as 1.
    pub fn list(list: CountRule) -> Self {
        Self {
            list,
            object: ObjectCount::One,
        }
    }
}

/// The wire rules the schema cannot say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireRules {
    /// Whether JSON strings write `/` as `\/` (Workspace, R7).
    pub escape_slash: bool,
    /// How `count` may relate to `response`: each reading the family allows (reference
    /// §4a, §4b, §13.2: open facts).
    pub counts: Vec<Counting>,
    /// Whether every envelope carries `statusCode`.
    pub status_code_key: bool,
}

impl From<&Dialect> for WireRules {
    /// The dialect's rules, with every reading of the open facts that change them.
    fn from(dialect: &Dialect) -> Self {
        let counts =
            fileops_api::runtime::open_fact::spread(dialect, fileops_api::open_facts::ALL, |d| {
                Counting {
                    list: d.count,
                    object: d.object_count,
                }
            });
        Self {
            escape_slash: dialect.escape_slash,
            counts,
            status_code_key: dialect
                .success_keys
                .contains(&fileops_api::runtime::SuccessKey::StatusCode)
                && dialect
                    .error_keys
                    .contains(&fileops_api::runtime::ErrorKey::StatusCode),
        }
    }
}

/// The media type a body format is answered with.
pub fn media_type(format: Format) -> &'static str {
    match format {
        Format::Json => "application/json",
        Format::Xml => "text/xml",
    }
}

/// How a media type's body is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Json,
    Xml,
    Text,
    /// Another media type: only the media type itself is judged.
    Other,
}

impl Kind {
    fn of(essence: &str) -> Kind {
        match essence {
            "application/json" | "text/json" => Kind::Json,
            "text/xml" | "application/xml" => Kind::Xml,
            "text/plain" | "text/html" => Kind::Text,
            e if e.ends_with("+json") => Kind::Json,
            e if e.ends_with("+xml") => Kind::Xml,
            _ => Kind::Other,
        }
    }
}

/// `base` extended by one JSON pointer segment, escaped.
fn join(base: &str, key: &str) -> String {
    format!("{base}/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// A media type's lower-case essence: `application/json; charset=UTF-8` → `application/json`.
fn essence(content_type: &str) -> String {
    content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// One documented media type of a response.
#[derive(Debug)]
struct Media {
    essence: String,
    kind: Kind,
    /// Index into the converted responses, and the OpenAPI schema (for reading XML).
    schema: Option<(usize, Value)>,
}

/// Which statuses a response entry covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Covers {
    Exact(u16),
    /// `2XX` and the like: the first digit.
    Range(u16),
    Default,
}

impl Covers {
    fn parse(key: &str) -> Option<Covers> {
        if key == "default" {
            return Some(Covers::Default);
        }
        if let Ok(code) = key.parse::<u16>() {
            return Some(Covers::Exact(code));
        }
        let upper = key.to_ascii_uppercase();
        let digit = upper.strip_suffix("XX")?.parse::<u16>().ok()?;
        (upper.len() == 3).then_some(Covers::Range(digit))
    }

    /// 0 for an exact match, 1 for a range, 2 for `default`; `None` when not covered.
    fn rank(self, status: u16) -> Option<u8> {
        match self {
            Covers::Exact(code) => (code == status).then_some(0),
            Covers::Range(digit) => (status / 100 == digit).then_some(1),
            Covers::Default => Some(2),
        }
    }
}

/// One documented response; no media types means no body.
#[derive(Debug)]
struct Response {
    covers: Covers,
    media: Vec<Media>,
    /// Whether an empty body is also the answer (`x-content-if-any`: in one reading of an
    /// open fact the family sends none, in another this content).
    empty_body: bool,
}

/// The judge of one server family's answers.
///
/// Enum values: a value refused by an integer enum that names a domain (an enum component,
/// an enum with a `title`, or an inline enum with `x-enum-varnames`) is a [`Severity::Fail`]
/// when another family knows it (see [`Judge::with_known_values`]) — it is wrong for this
/// family — and a [`Severity::Warn`] ("a newer server?") when no family knows it. Any other
/// enum miss (a string enum, the envelope's `status`) is a fail.
///
/// `Judge` is `Send + Sync`; validators for union variants are compiled on first use and
/// cached.
pub struct Judge {
    rules: WireRules,
    operations: BTreeMap<String, Vec<Response>>,
    components: Map<String, Value>,
    schemas: Schemas,
}

impl fmt::Debug for Judge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Judge")
            .field("rules", &self.rules)
            .field("operations", &self.operations.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Judge {
    /// Reads the document's operations and compiles every response schema.
    ///
    /// An error names what cannot be used: no `paths`, a schema that does not compile (a bad
    /// `pattern`, a dangling `$ref`).
    pub fn new(document: &Value, rules: WireRules) -> Result<Judge, String> {
        let read = Read::document(document)?;
        let schemas = Schemas::new(read.converted());
        schemas.compile_responses(read.bodies.len())?;
        let Read {
            operations,
            components,
            ..
        } = read;
        Ok(Judge {
            rules,
            operations,
            components,
            schemas,
        })
    }

    /// Tells the judge which integer enum values the other families know, by enum name: the
    /// enum's `title`, else the component's name for an enum component (`FileOperationType`),
    /// else `Component.property` for an inline enum with `x-enum-varnames`
    /// (`FileOperation.operation`; matched without regard to case). A refused value found
    /// here is a [`Severity::Fail`]; one not found is a [`Severity::Warn`].
    /// [`known_values`] builds the map from the other families' documents.
    pub fn with_known_values(mut self, known: BTreeMap<String, BTreeSet<i64>>) -> Judge {
        self.schemas.known = known;
        self
    }

    /// Whether the document has the operation.
    pub fn knows(&self, operation: &str) -> bool {
        self.operations.contains_key(operation)
    }

    /// Whether the document has the operation and documents the status for it (exactly, by
    /// a range such as `4XX`, or by `default`).
    pub fn documents(&self, operation: &str, status: u16) -> bool {
        self.response(operation, status).is_some()
    }

    fn response(&self, operation: &str, status: u16) -> Option<&Response> {
        self.operations
            .get(operation)?
            .iter()
            .filter_map(|r| r.covers.rank(status).map(|rank| (rank, r)))
            .min_by_key(|(rank, _)| *rank)
            .map(|(_, r)| r)
    }

    /// Judges one answer; empty when it is faithful. Never panics: an unknown operation or
    /// status is itself a [`Rule::Status`] violation.
    pub fn judge(&self, answer: &Answer<'_>) -> Vec<Violation> {
        let Some(response) = self.response(answer.operation, answer.status) else {
            return vec![self.undocumented(answer)];
        };
        if response.media.is_empty() {
            return no_content(answer.body);
        }
        if response.empty_body && answer.body.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        if let Some(media) = pick_media(response, answer, &mut out) {
            self.judge_body(media, answer, &mut out);
        }
        tidy(out)
    }

    fn undocumented(&self, answer: &Answer<'_>) -> Violation {
        let message = match self.operations.get(answer.operation) {
            None => format!("the document has no operation `{}`", answer.operation),
            Some(responses) => format!(
                "{} does not document status {} (documented: {})",
                answer.operation,
                answer.status,
                documented_statuses(responses)
            ),
        };
        Violation::fail(Rule::Status, "", message)
    }

    fn judge_body(&self, media: &Media, answer: &Answer<'_>, out: &mut Vec<Violation>) {
        let text = match std::str::from_utf8(answer.body) {
            Ok(text) => text,
            Err(e) => return out.push(wire::not_utf8(answer.body, &e)),
        };
        let value = match media.kind {
            Kind::Json => self.read_json(text, out),
            Kind::Xml => self.read_xml(text, media, out),
            Kind::Text => Some(Value::String(wire::trim_newline(text).to_owned())),
            Kind::Other => None,
        };
        let (Some(value), Some((index, _))) = (value, &media.schema) else {
            return;
        };
        let found = self.schemas.check_response(*index, &value);
        if media.kind == Kind::Text {
            out.extend(found.into_iter().map(wire::text_violation));
            return;
        }
        out.extend(found);
        out.extend(wire::envelope(&value, answer.status, &self.rules));
    }

    fn read_json(&self, text: &str, out: &mut Vec<Violation>) -> Option<Value> {
        let value: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                out.push(wire::malformed_json(&e));
                return None;
            }
        };
        if self.rules.escape_slash {
            out.extend(wire::escaping(text));
        }
        Some(value)
    }

    fn read_xml(&self, text: &str, media: &Media, out: &mut Vec<Violation>) -> Option<Value> {
        let root = match xml::parse(text) {
            Ok(root) => root,
            Err(e) => {
                out.push(Violation::fail(Rule::Syntax, "", e));
                return None;
            }
        };
        let schema = media.schema.as_ref().map(|(_, s)| s);
        let (value, found) = xml::Guide::new(&self.components).read(&root, schema);
        out.extend(found);
        Some(value)
    }
}

/// The integer enum values the documents (the other families' projections) know, named the
/// way [`Judge::with_known_values`] looks them up. Documents that cannot be read add nothing.
pub fn known_values(documents: &[&Value]) -> BTreeMap<String, BTreeSet<i64>> {
    let mut known = BTreeMap::new();
    for read in documents.iter().filter_map(|d| Read::document(d).ok()) {
        convert::marked_enums(&read.converted(), &mut known);
    }
    known
}

/// What a document says, read but not yet compiled.
struct Read {
    operations: BTreeMap<String, Vec<Response>>,
    components: Map<String, Value>,
    /// Every media schema, in the order `Media::schema` indexes them.
    bodies: Vec<Value>,
}

impl Read {
    fn document(document: &Value) -> Result<Read, String> {
        let paths = document
            .get("paths")
            .and_then(Value::as_object)
            .ok_or("the document has no `paths` object")?;
        let components = document
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut bodies = Vec::new();
        let mut operations = BTreeMap::new();
        for (id, responses) in operations_of(paths) {
            let read = read_responses(document, responses, &mut bodies);
            operations.insert(id, read);
        }
        Ok(Read {
            operations,
            components,
            bodies,
        })
    }

    /// The JSON Schema document the validators are compiled from.
    fn converted(&self) -> Value {
        let refs: Vec<&Value> = self.bodies.iter().collect();
        convert::document(&self.components, &refs)
    }
}

/// `(operationId, responses)` of every operation under `paths`.
fn operations_of(paths: &Map<String, Value>) -> Vec<(String, &Map<String, Value>)> {
    const METHODS: &[&str] = &[
        "get", "put", "post", "delete", "options", "head", "patch", "trace",
    ];
    let mut found = Vec::new();
    for item in paths.values().filter_map(Value::as_object) {
        for (method, op) in item {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let id = op.get("operationId").and_then(Value::as_str);
            let responses = op.get("responses").and_then(Value::as_object);
            if let (Some(id), Some(responses)) = (id, responses) {
                found.push((id.to_owned(), responses));
            }
        }
    }
    found
}

/// Reads one operation's responses, appending each media schema to `bodies`.
fn read_responses(
    document: &Value,
    responses: &Map<String, Value>,
    bodies: &mut Vec<Value>,
) -> Vec<Response> {
    let mut read = Vec::new();
    for (key, response) in responses {
        let Some(covers) = Covers::parse(key) else {
            continue;
        };
        let response = resolve_response(document, response);
        let optional = response.get("x-content-if-any").and_then(Value::as_object);
        let content = response
            .get("content")
            .and_then(Value::as_object)
            .or(optional);
        let media = content
            .into_iter()
            .flatten()
            .map(|(media_type, entry)| {
                let essence = essence(media_type);
                let schema = entry.get("schema").map(|s| {
                    bodies.push(s.clone());
                    (bodies.len() - 1, s.clone())
                });
                Media {
                    kind: Kind::of(&essence),
                    essence,
                    schema,
                }
            })
            .collect();
        let empty_body = optional.is_some();
        read.push(Response {
            covers,
            media,
            empty_body,
        });
    }
    read
}

/// A response object, through `$ref`s to `#/components/responses/...` (a dangling one reads
/// as a response without content).
fn resolve_response<'d>(document: &'d Value, mut response: &'d Value) -> &'d Value {
    // A bound on the hops, in case the refs form a loop.
    for _ in 0..32 {
        let Some(target) = response.get("$ref").and_then(Value::as_str) else {
            break;
        };
        match target.strip_prefix('#').and_then(|p| document.pointer(p)) {
            Some(next) => response = next,
            None => break,
        }
    }
    response
}

fn documented_statuses(responses: &[Response]) -> String {
    let names: Vec<String> = responses
        .iter()
        .map(|r| match r.covers {
            Covers::Exact(code) => code.to_string(),
            Covers::Range(digit) => format!("{digit}XX"),
            Covers::Default => "default".into(),
        })
        .collect();
    names.join(", ")
}

/// A response documented without content: the body must be empty.
fn no_content(body: &[u8]) -> Vec<Violation> {
    if body.is_empty() {
        return Vec::new();
    }
    vec![Violation::fail(
        Rule::ContentType,
        "",
        format!(
            "the response is documented without a body, but {} bytes came",
            body.len()
        ),
    )]
}

/// The documented media type the answer is judged as, if any.
///
/// Without a `Content-Type` the body is judged as the documented type it looks like (so one
/// missing header does not hide every other problem); an undocumented type stops there.
fn pick_media<'r>(
    response: &'r Response,
    answer: &Answer<'_>,
    out: &mut Vec<Violation>,
) -> Option<&'r Media> {
    let documented = || {
        let names: Vec<&str> = response.media.iter().map(|m| m.essence.as_str()).collect();
        names.join(", ")
    };
    match answer.content_type {
        Some(content_type) => {
            let essence = essence(content_type);
            let found = response.media.iter().find(|m| m.essence == essence);
            if found.is_none() {
                out.push(Violation::fail(
                    Rule::ContentType,
                    "",
                    format!(
                        "`{content_type}` is not documented here (documented: {})",
                        documented()
                    ),
                ));
            }
            found
        }
        None => {
            out.push(Violation::fail(
                Rule::ContentType,
                "",
                format!("no Content-Type (documented: {})", documented()),
            ));
            let sniffed = wire::sniff(answer.body);
            response
                .media
                .iter()
                .find(|m| m.kind == sniffed)
                .or_else(|| response.media.first())
        }
    }
}

/// Keeps one violation per rule and pointer, and drops what another violation at the same
/// pointer already explains: an enum miss after a `Types` error, a `Types` error after an
/// `Xml` one, an enum or range miss on an envelope key after the `Envelope` one.
fn tidy(found: Vec<Violation>) -> Vec<Violation> {
    let at =
        |rule: Rule, pointer: &str| found.iter().any(|v| v.rule == rule && v.pointer == pointer);
    let explained = |v: &Violation| match v.rule {
        // A projection may pin `statusCode` with an enum and bound `count`: the envelope
        // rule says the same, with the HTTP status or the payload length in the message.
        Rule::EnumDomain | Rule::Range if at(Rule::Envelope, &v.pointer) => true,
        Rule::EnumDomain => at(Rule::Types, &v.pointer) || at(Rule::Xml, &v.pointer),
        Rule::Types => at(Rule::Xml, &v.pointer),
        _ => false,
    };
    let mut seen = BTreeSet::new();
    let mut kept = Vec::new();
    for v in &found {
        if explained(v) || !seen.insert((v.rule, v.pointer.clone())) {
            continue;
        }
        kept.push(v.clone());
    }
    kept
}
