//! The hand-written runtime the generated code plugs into.
//!
//! Nothing here names a generated item: generated types describe themselves through
//! [`Model`] (a static [`Shape`]) and [`WireEnum`]/[`WireFlags`], and the dialects are
//! [`Dialect`] values the generator builds from the schema's `x-fileops-dialects`.

pub mod answer;
#[cfg(feature = "server")]
pub mod binding;
pub mod buffer;
#[cfg(feature = "client")]
pub mod client;
pub mod codec;
pub mod context;
pub mod date;
pub mod dialect;
pub mod entry_id;
pub mod envelope;
pub mod error;
pub mod json;
pub mod lenient;
pub mod model;
pub mod one_of;
pub mod open_fact;
pub mod operation;
#[cfg(feature = "server")]
pub mod route;
#[cfg(feature = "server")]
pub mod server;
pub mod shape;
pub mod wire;
pub mod wire_enum;
pub mod xml;

pub use answer::ErrorAnswer;
pub use context::RequestContext;
pub use date::ApiDateTime;
pub use dialect::{
    AnonymousAnswer, AnonymousSetting, Behaviour, CancelError, CountRule, Dialect, ErrorField,
    ErrorKey, Format, MediaRefusal, NullStyle, ObjectCount, ReportedEntries, RequestBinding,
    RetentionFrom, SuccessError, SuccessKey, Terminate, Unauthorized, UnknownDestination,
    UnqueuedTypes, ValidationStyle,
};
pub use entry_id::EntryId;
pub use envelope::{
    ApiError, ErrorEnvelope, ErrorWire, Link, ProblemDetails, Success, SuccessWire,
};
pub use error::{DecodeError, EncodeError};
pub use fileops_vocabulary::{UnknownWord, Word};
pub use model::Model;
pub use open_fact::{OpenFact, Reading, ReadingError};
pub use operation::{BodyKind, ParamLocation};
pub use shape::{EnumShape, EnumWire, Field, ObjectShape, OneOfShape, Shape};
pub use wire_enum::{WireEnum, WireFlags};
