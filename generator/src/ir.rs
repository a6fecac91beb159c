//! The intermediate representation: everything emit needs, and nothing from openapiv3.
//!
//! Order is deterministic: types sorted by name, operations by operationId, fields and
//! variants in schema order (which is the wire order).

pub use fileops_vocabulary::{
    AnonymousAnswer, AnonymousSetting, BodyKind, CountRule, EnumWire, ErrorField, ErrorKey, Format,
    MediaRefusal, NullStyle, ObjectCount, ParamLocation as Location, SuccessKey, ValidationStyle,
};

/// The whole API.
#[derive(Debug, Clone, PartialEq)]
pub struct Ir {
    /// The dialects, in schema order.
    pub dialects: Vec<DialectDef>,
    /// The open facts, in schema order.
    pub open_facts: Vec<OpenFactDef>,
    /// The named types, sorted by Rust name.
    pub types: Vec<TypeDef>,
    /// The operations, sorted by operationId.
    pub operations: Vec<Operation>,
    /// The component schemas that stand for runtime types (`x-fileops-type`), sorted by
    /// schema name: what a projection needs to describe them.
    pub runtime_types: Vec<RuntimeTypeDef>,
}

/// A component schema that stands for a hand-written runtime type.
#[derive(Debug, Clone, PartialEq)]
pub struct RuntimeTypeDef {
    /// The schema name.
    pub schema_name: String,
    /// The runtime type it stands for.
    pub ty: TypeRef,
    /// Its description.
    pub doc: Option<String>,
    /// Its bounds and formats.
    pub constraints: Constraints,
}

/// What a schema says about a value beyond its type: bounds, lengths, patterns, formats.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// Inclusive lower bound of a number.
    pub minimum: Option<f64>,
    /// Inclusive upper bound of a number.
    pub maximum: Option<f64>,
    /// Shortest string.
    pub min_length: Option<usize>,
    /// Longest string.
    pub max_length: Option<usize>,
    /// A regular expression a string matches.
    pub pattern: Option<String>,
    /// The OpenAPI `format` (`int32`, `uuid`...).
    pub format: Option<String>,
}

impl Constraints {
    /// Whether nothing is constrained.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A reference to a type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    /// A generated type, by Rust name.
    Named(String),
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f64`.
    F64,
    /// `String`.
    String,
    /// The runtime's `EntryId`.
    EntryId,
    /// The runtime's `ApiDateTime`.
    Date,
    /// The runtime's `ApiError`.
    ApiError,
    /// The runtime's `ProblemDetails`.
    ProblemDetails,
    /// The runtime's `Link`.
    Link,
    /// Anything (`serde_json::Value`).
    Any,
    /// A list.
    Vec(Box<TypeRef>),
    /// A map keyed by strings.
    Map(Box<TypeRef>),
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name.
    pub name: String,
    /// The schema name (or the made-up path for inline schemas).
    pub schema_name: String,
    /// Rustdoc text.
    pub doc: Option<String>,
    /// What it is.
    pub kind: TypeKind,
    /// Bounds and formats of the schema itself (a flag set's `minimum`).
    pub constraints: Constraints,
}

/// The kinds of named types.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object.
    Struct(Vec<FieldDef>),
    /// An enum with string/int duality.
    Enum(EnumDef),
    /// A flag set.
    Flags(EnumDef),
    /// One of several types.
    OneOf(Vec<VariantDef>),
    /// Another name for a type.
    Alias(TypeRef),
}

/// One field of a struct.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDef {
    /// The Rust field name (may be `r#type`).
    pub ident: String,
    /// The canonical key.
    pub wire: String,
    /// Rustdoc text.
    pub doc: Option<String>,
    /// The value type (without `Option`).
    pub ty: TypeRef,
    /// Whether the key is required.
    pub required: bool,
    /// Whether null is allowed.
    pub nullable: bool,
    /// Per-dialect keys that differ from `wire`.
    pub wire_names: Vec<(String, String)>,
    /// Dialects that have the field (empty = all).
    pub dialects: Vec<String>,
    /// Dialects that always write the key although the schema does not require it
    /// (`x-fileops-always-written`; `Some(empty)` = all).
    pub always_written: Option<Vec<String>>,
    /// Bounds and formats of an inline property schema.
    pub constraints: Constraints,
}

impl FieldDef {
    /// Whether `dialect` always writes the key.
    pub fn written_by(&self, dialect: &str) -> bool {
        self.required
            || self
                .always_written
                .as_ref()
                .is_some_and(|d| d.is_empty() || d.iter().any(|x| x == dialect))
    }

    /// Whether `dialect` has the field at all.
    pub fn in_dialect(&self, dialect: &str) -> bool {
        self.dialects.is_empty() || self.dialects.iter().any(|x| x == dialect)
    }

    /// How the field is held in Rust.
    pub fn holding(&self) -> Holding {
        match (&self.ty, self.required, self.nullable) {
            (_, true, false) => Holding::Plain,
            (TypeRef::Vec(_), false, false) => Holding::DefaultVec,
            _ => Holding::Optional,
        }
    }
}

/// How a field's type is wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holding {
    /// `T`, the key required.
    Plain,
    /// `Vec<T>`, empty when the key is absent.
    DefaultVec,
    /// `Option<T>`.
    Optional,
}

/// An enum's variants and rules.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    /// The variants in schema order.
    pub variants: Vec<EnumVariant>,
    /// The default wire form.
    pub wire: EnumWire,
    /// Per-dialect wire forms.
    pub wire_by_dialect: Vec<(String, EnumWire)>,
    /// Per-dialect variant (wire name) that unknown input maps to.
    pub unknown_by_dialect: Vec<(String, String)>,
}

/// One enum variant.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// The Rust name.
    pub ident: String,
    /// The name on the wire.
    pub wire: String,
    /// The number.
    pub value: i64,
    /// Dialects that have it (empty = all).
    pub dialects: Vec<String>,
}

/// One variant of a one-of type.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantDef {
    /// The Rust name.
    pub ident: String,
    /// The schema name, for messages.
    pub wire: String,
    /// The variant's type.
    pub ty: TypeRef,
    /// Keys only this variant has, to tell it apart.
    pub keys: Vec<String>,
    /// Dialects that write this variant (empty = all).
    pub dialects: Vec<String>,
}

/// An operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The operationId.
    pub id: String,
    /// The method name in snake case.
    pub method_ident: String,
    /// The prefix of its request and response type names.
    pub type_prefix: String,
    /// The HTTP method in capitals.
    pub method: String,
    /// The path template.
    pub path: String,
    /// Rustdoc text.
    pub doc: Option<String>,
    /// Dialects that serve it (empty = all).
    pub dialects: Vec<String>,
    /// Dialects that serve it without a token.
    pub anonymous: Vec<String>,
    /// The behaviour setting that says what it answers a caller without a token, where
    /// that is an open fact.
    pub anonymous_setting: Option<AnonymousSetting>,
    /// Path, query and header parameters.
    pub params: Vec<Param>,
    /// The JSON body, if any.
    pub body: Option<Body>,
    /// The documented responses, by status.
    pub responses: Vec<Response>,
}

impl Operation {
    /// What the operation answers a caller without a valid token in dialect `d`.
    pub fn anonymous_answer(&self, d: &DialectDef) -> AnonymousAnswer {
        if self.anonymous.contains(&d.name) {
            return AnonymousAnswer::Served;
        }
        match self.anonymous_setting {
            Some(setting) => d.behaviour.anonymous(setting),
            None => AnonymousAnswer::Unauthorized,
        }
    }
}

/// A parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The Rust field name.
    pub ident: String,
    /// The name on the wire.
    pub wire: String,
    /// Where it travels.
    pub location: Location,
    /// Whether it must be given.
    pub required: bool,
    /// Its type.
    pub ty: TypeRef,
    /// Rustdoc text.
    pub doc: Option<String>,
    /// Dialects that read it (empty = all).
    pub dialects: Vec<String>,
    /// Whether `name[]` is accepted too.
    pub array_suffix: bool,
    /// The OpenAPI style.
    pub style: String,
    /// Bounds and formats of an inline parameter schema.
    pub constraints: Constraints,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// Its type.
    pub ty: TypeRef,
    /// Whether it must be given.
    pub required: bool,
    /// Rustdoc text.
    pub doc: Option<String>,
}

/// A documented response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The status (`None` for `default`).
    pub status: Option<u16>,
    /// The variant name in the response enum.
    pub variant: String,
    /// Rustdoc text.
    pub doc: Option<String>,
    /// How the body is made.
    pub kind: BodyKind,
    /// The payload type, if the variant carries one.
    pub payload: Option<TypeRef>,
    /// Dialects that answer this way (empty = all).
    pub dialects: Vec<String>,
    /// Media types with their dialects (empty = all).
    pub media: Vec<(String, Vec<String>)>,
    /// Open facts under whose readings alone the response exists: `(fact, readings)`,
    /// any one holding (empty = always).
    pub readings: Vec<(String, Vec<String>)>,
}

impl Response {
    /// Whether dialect `d` (with the readings it shows) gives this answer: it is among the
    /// response's dialects and, where the response depends on open facts that concern `d`,
    /// one of them shows a listed reading.
    pub fn given_by(&self, d: &DialectDef) -> bool {
        let listed = self.dialects.is_empty() || self.dialects.contains(&d.name);
        let mut concerned = self
            .readings
            .iter()
            .filter_map(|(fact, names)| {
                let (_, shown) = d.readings.iter().find(|(f, _)| f == fact)?;
                Some(names.contains(shown))
            })
            .peekable();
        listed && (concerned.peek().is_none() || concerned.any(|holds| holds))
    }
}

/// A dialect's rules: the runtime's `Dialect` with owned text.
#[derive(Debug, Clone, PartialEq)]
pub struct DialectDef {
    /// Short name.
    pub name: String,
    /// Name for people.
    pub title: String,
    /// Body formats, JSON first.
    pub formats: Vec<Format>,
    /// Path suffixes selecting XML.
    pub xml_suffixes: Vec<String>,
    /// Path suffixes selecting JSON.
    pub json_suffixes: Vec<String>,
    /// Null style.
    pub nulls: NullStyle,
    /// Whether `/` is escaped in JSON strings.
    pub escape_slash: bool,
    /// Success envelope keys in order.
    pub success_keys: Vec<SuccessKey>,
    /// How `count` is computed for a list.
    pub count: CountRule,
    /// How `count` is computed for a single object.
    pub object_count: ObjectCount,
    /// Whether `links` is written.
    pub links: bool,
    /// Error envelope keys in order.
    pub error_keys: Vec<ErrorKey>,
    /// Error object keys in order.
    pub error_fields: Vec<ErrorField>,
    /// Null style inside the error object.
    pub error_nulls: NullStyle,
    /// How binding failures are answered.
    pub validation: ValidationStyle,
    /// How a body of an unbound media type is refused (415).
    pub unsupported_media: MediaRefusal,
    /// Status of the unauthenticated answer.
    pub unauthorized_status: u16,
    /// Its content type.
    pub unauthorized_content_type: Option<String>,
    /// Other content types real servers send it with.
    pub unauthorized_also: Vec<String>,
    /// Its body.
    pub unauthorized_body: String,
    /// Whether it is the error envelope (with the body as its message).
    pub unauthorized_envelope: bool,
    /// Whether a rejected Basic or Bearer header gets a `WWW-Authenticate` challenge.
    pub unauthorized_challenge: bool,
    /// Success status of a POST.
    pub post_status: u16,
    /// How the family runs operations.
    pub behaviour: Behaviour,
    /// The reading of each open fact that concerns it: `(fact, reading)`.
    pub readings: Vec<(String, String)>,
}

/// A point on which the reference notes are not certain, with every reading they allow.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenFactDef {
    /// Its id (the key in `x-fileops-open-facts`).
    pub id: String,
    /// The fact in one line.
    pub title: String,
    /// The sections of the reference notes it rests on (`§4a`).
    pub sections: Vec<String>,
    /// Why it is open.
    pub why: String,
    /// The dialects it concerns.
    pub dialects: Vec<String>,
    /// The dialect-table key its readings set (`behaviour/success-error`).
    pub setting: String,
    /// Every reading, in schema order.
    pub readings: Vec<ReadingDef>,
}

impl OpenFactDef {
    /// The reading a dialect (or a variant of one) shows.
    pub fn reading_of(&self, d: &DialectDef) -> Option<&ReadingDef> {
        let (_, name) = d.readings.iter().find(|(fact, _)| *fact == self.id)?;
        self.readings.iter().find(|r| r.name == *name)
    }

    /// Whether the fact concerns the dialect.
    pub fn concerns(&self, dialect: &str) -> bool {
        self.dialects.iter().any(|d| d == dialect)
    }

    /// The dialect with reading `reading` of this fact, if the fact concerns it.
    pub fn variant<'r>(&self, dialect: &str, reading: &'r ReadingDef) -> Option<&'r DialectDef> {
        let index = self.dialects.iter().position(|d| d == dialect)?;
        reading.variants.get(index)
    }
}

/// One reading of an open fact.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadingDef {
    /// Its name.
    pub name: String,
    /// What a server of this reading does.
    pub says: String,
    /// The value it gives the setting.
    pub value: serde_json::Value,
    /// Each concerned dialect with this reading, in the fact's dialect order.
    pub variants: Vec<DialectDef>,
    /// The dialects whose table holds this reading (their default).
    pub default_in: Vec<String>,
}

/// How a server family runs operations, read from the dialect table's `behaviour` block.
pub type Behaviour = fileops_vocabulary::Behaviour<String>;
