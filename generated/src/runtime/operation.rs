//! The operation catalogue: what the generator knows about each operation, as data, for
//! routers, clients and checkers.

use super::shape::Shape;

use super::dialect::{AnonymousAnswer, AnonymousSetting, Dialect};

pub use fileops_vocabulary::{BodyKind, ParamLocation};

/// One parameter.
#[derive(Debug)]
pub struct ParamInfo {
    /// The name on the wire.
    pub name: &'static str,
    /// Where it travels.
    pub location: ParamLocation,
    /// Whether it must be given.
    pub required: bool,
    /// Its value's shape.
    pub shape: &'static Shape,
    /// Dialects that read it (empty = all).
    pub dialects: &'static [&'static str],
    /// Whether list values may also be sent under `name[]`.
    pub array_suffix: bool,
    /// The OpenAPI style (`form`, `simple`, `deepObject`...).
    pub style: &'static str,
}

/// One documented response.
#[derive(Debug)]
pub struct ResponseInfo {
    /// The HTTP status (`None` for `default`).
    pub status: Option<u16>,
    /// How the body is made.
    pub kind: BodyKind,
    /// The payload shape, for envelopes and plain bodies.
    pub payload: Option<&'static Shape>,
    /// Dialects that answer this way (empty = all).
    pub dialects: &'static [&'static str],
    /// Media types, each with the dialects that use it (empty = all).
    pub media: &'static [(&'static str, &'static [&'static str])],
    /// Open facts under whose readings alone the answer exists, `(fact, readings)`, any
    /// one holding (empty = always). A checker accepts every reading, so it takes such an
    /// answer as documented; an emulator gives it only in those readings.
    pub readings: &'static [(&'static str, &'static [&'static str])],
}

/// One operation.
#[derive(Debug)]
pub struct OperationInfo {
    /// The operationId.
    pub id: &'static str,
    /// The HTTP method in capitals.
    pub method: &'static str,
    /// The path template.
    pub path: &'static str,
    /// Dialects that serve it (empty = all).
    pub dialects: &'static [&'static str],
    /// Dialects that serve it without a token.
    pub anonymous: &'static [&'static str],
    /// The behaviour setting that says what it answers a caller without a token, where that
    /// is an open fact.
    pub anonymous_setting: Option<AnonymousSetting>,
    /// The parameters.
    pub params: &'static [ParamInfo],
    /// The body's shape, if it takes one.
    pub body: Option<&'static Shape>,
    /// Whether the body must be given.
    pub body_required: bool,
    /// The documented responses.
    pub responses: &'static [ResponseInfo],
}

impl OperationInfo {
    /// What the operation answers a caller without a valid token in `dialect`: served when
    /// the dialect is among `anonymous`, else what `anonymous_setting` says, else the
    /// dialect's 401.
    pub fn anonymous_answer(&self, dialect: &Dialect) -> AnonymousAnswer {
        if dialect.is_in_strict(self.anonymous) {
            return AnonymousAnswer::Served;
        }
        match self.anonymous_setting {
            Some(setting) => dialect.behaviour.anonymous(setting),
            None => AnonymousAnswer::Unauthorized,
        }
    }

    /// Whether a caller without a valid token gets past the dialect's 401 (the handler
    /// then answers it).
    pub fn lets_in_anonymous(&self, dialect: &Dialect) -> bool {
        self.anonymous_answer(dialect) != AnonymousAnswer::Unauthorized
    }
}
