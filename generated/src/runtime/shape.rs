//! Static descriptions of the generated types, used to read leniently, to write per
//! dialect and to read XML back schema-guided.

/// The wire shape of a value.
#[derive(Debug)]
pub enum Shape {
    /// `true`/`false`.
    Bool,
    /// An integer.
    Integer,
    /// A floating-point number.
    Number,
    /// A string.
    String,
    /// A file or folder id: a number or a string.
    EntryId,
    /// An `ApiDateTime` string.
    Date,
    /// Anything (kept as JSON).
    Any,
    /// An enum with string/int duality.
    Enum(&'static EnumShape),
    /// A list.
    Array(&'static Shape),
    /// A map from strings to values.
    Map(&'static Shape),
    /// An object with known fields.
    Object(&'static ObjectShape),
    /// One of several shapes.
    OneOf(&'static OneOfShape),
}

pub use fileops_vocabulary::EnumWire;

use super::dialect::same_name;

/// An enum's variants and per-dialect rules.
#[derive(Debug)]
pub struct EnumShape {
    /// The schema name, used in error messages.
    pub name: &'static str,
    /// `(wire name, number)` per variant; flag sets use the same table.
    pub variants: &'static [(&'static str, i64)],
    /// Whether the value is a sum of flags rather than one variant.
    pub flags: bool,
    /// The wire form when the dialect has no entry in `wire_by_dialect`.
    pub wire: EnumWire,
    /// Per-dialect wire forms.
    pub wire_by_dialect: &'static [(&'static str, EnumWire)],
    /// Per-dialect variant an unknown input maps to (instead of an error).
    pub unknown_by_dialect: &'static [(&'static str, &'static str)],
    /// Variants only some dialects have: `(wire name, dialects)`.
    pub variant_dialects: &'static [(&'static str, &'static [&'static str])],
}

impl EnumShape {
    /// The number of the variant with this name (any case).
    #[inline]
    pub fn value_of(&self, name: &str) -> Option<i64> {
        self.variants
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| *v)
    }

    /// The form the enum is written in by `dialect`.
    #[inline]
    pub fn wire_in(&self, dialect: &str) -> EnumWire {
        self.wire_by_dialect
            .iter()
            .find(|(d, _)| same_name(d, dialect))
            .map_or(self.wire, |(_, w)| *w)
    }

    /// Whether the variant with this number exists in `dialect`.
    #[inline]
    pub fn in_dialect(&self, value: i64, dialect: &str) -> bool {
        let Some(name) = self.name_of(value) else {
            return false;
        };
        self.variant_dialects
            .iter()
            .find(|(n, _)| *n == name)
            .is_none_or(|(_, dialects)| dialects.iter().any(|d| same_name(d, dialect)))
    }

    /// The name of the variant with this number.
    #[inline]
    pub fn name_of(&self, value: i64) -> Option<&'static str> {
        self.variants
            .iter()
            .find(|(_, v)| *v == value)
            .map(|(n, _)| *n)
    }
}

/// One field of an object.
#[derive(Debug)]
pub struct Field {
    /// The canonical key (what the schema names it).
    pub name: &'static str,
    /// Per-dialect keys that differ from `name` (DocSpace `Operation`).
    pub wire_names: &'static [(&'static str, &'static str)],
    /// Dialects that have this field (empty = all).
    pub dialects: &'static [&'static str],
    /// Whether the schema allows `null`.
    pub nullable: bool,
    /// Whether the key must be present.
    pub required: bool,
    /// The value's shape.
    pub shape: &'static Shape,
}

impl Field {
    /// The key this field has in `dialect`.
    #[inline]
    pub fn wire_name(&self, dialect: &str) -> &'static str {
        self.wire_names
            .iter()
            .find(|(d, _)| same_name(d, dialect))
            .map_or(self.name, |(_, n)| *n)
    }

    /// Whether `key` names this field in some dialect (any case).
    pub fn matches(&self, key: &str) -> bool {
        self.name.eq_ignore_ascii_case(key)
            || self
                .wire_names
                .iter()
                .any(|(_, n)| n.eq_ignore_ascii_case(key))
    }
}

/// An object's fields, in wire order.
#[derive(Debug)]
pub struct ObjectShape {
    /// The schema name, used in error messages.
    pub name: &'static str,
    /// The fields in the order they are written.
    pub fields: &'static [Field],
}

impl ObjectShape {
    /// The field a key names (exact match first, then any case).
    pub fn field(&self, key: &str) -> Option<&'static Field> {
        self.position(key, 0).map(|i| &self.fields[i])
    }

    /// The index of the field a key names (exact match first, then any case), trying
    /// `expected` first: senders write fields in schema order, so one comparison usually
    /// settles it.
    pub fn position(&self, key: &str, expected: usize) -> Option<usize> {
        match self.fields.get(expected) {
            Some(field) if field.name == key => Some(expected),
            _ => self
                .fields
                .iter()
                .position(|f| f.name == key)
                .or_else(|| self.fields.iter().position(|f| f.matches(key))),
        }
    }
}

/// The variants of a `oneOf`/`anyOf`.
#[derive(Debug)]
pub struct OneOfShape {
    /// The schema name, used in error messages.
    pub name: &'static str,
    /// `(variant name, shape, keys only this variant has)`, in order of preference.
    pub variants: &'static [(&'static str, &'static Shape, &'static [&'static str])],
}

impl Shape {
    /// Whether values of this shape are JSON objects.
    pub fn is_object(&self) -> bool {
        matches!(self, Shape::Object(_) | Shape::Map(_) | Shape::Any)
    }
}
