//! Bounds, lengths, patterns and formats of a schema, for projections and checkers.

use openapiv3::{Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

use crate::ir::Constraints;

/// What `schema` states beyond its type.
pub fn of(schema: &Schema) -> Constraints {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Integer(i)) => Constraints {
            minimum: i.minimum.map(|v| v as f64),
            maximum: i.maximum.map(|v| v as f64),
            format: format(&i.format, |f| format!("{f:?}").to_ascii_lowercase()),
            ..Constraints::default()
        },
        SchemaKind::Type(Type::Number(n)) => Constraints {
            minimum: n.minimum,
            maximum: n.maximum,
            format: format(&n.format, |f| format!("{f:?}").to_ascii_lowercase()),
            ..Constraints::default()
        },
        SchemaKind::Type(Type::String(s)) => Constraints {
            min_length: s.min_length,
            max_length: s.max_length,
            pattern: s.pattern.clone(),
            format: format(&s.format, string_format),
            ..Constraints::default()
        },
        SchemaKind::Any(a) => Constraints {
            minimum: a.minimum,
            maximum: a.maximum,
            min_length: a.min_length,
            max_length: a.max_length,
            pattern: a.pattern.clone(),
            format: a.format.clone(),
        },
        _ => Constraints::default(),
    }
}

fn format<T>(value: &VariantOrUnknownOrEmpty<T>, name: impl Fn(&T) -> String) -> Option<String> {
    match value {
        VariantOrUnknownOrEmpty::Item(known) => Some(name(known)),
        VariantOrUnknownOrEmpty::Unknown(other) => Some(other.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn string_format(format: &StringFormat) -> String {
    match format {
        StringFormat::Date => "date",
        StringFormat::DateTime => "date-time",
        StringFormat::Password => "password",
        StringFormat::Byte => "byte",
        StringFormat::Binary => "binary",
    }
    .to_owned()
}
