//! Writing per dialect, straight from a type's canonical serde form.
//!
//! [`Wire`] wraps a value and its static [`Shape`]; serializing it hands the value a
//! serializer adaptor that renames keys, leaves out other dialects' fields and the nulls
//! the dialect omits, and writes enums in the dialect's form, before anything reaches the
//! output format (JSON or XML). No intermediate value is built.

use serde::ser::{
    self, Impossible, Serialize, SerializeMap, SerializeSeq, SerializeStruct,
    SerializeStructVariant, SerializeTuple, SerializeTupleStruct, SerializeTupleVariant,
    Serializer,
};
use std::fmt;

use super::dialect::{Dialect, NullStyle};
use super::one_of;
use super::shape::{EnumShape, EnumWire, Field, ObjectShape, OneOfShape, Shape};

/// A value of `shape`, serialized in `dialect`'s wire form.
pub struct Wire<'a, T: ?Sized> {
    value: &'a T,
    shape: &'static Shape,
    dialect: &'a Dialect,
}

impl<'a, T: ?Sized> Wire<'a, T> {
    /// Wraps `value`, whose canonical form has `shape`.
    pub fn new(value: &'a T, shape: &'static Shape, dialect: &'a Dialect) -> Self {
        Self {
            value,
            shape,
            dialect,
        }
    }
}

impl<T: Serialize + ?Sized> Serialize for Wire<'_, T> {
    #[inline]
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(Adaptor {
            inner: serializer,
            shape: self.shape,
            dialect: self.dialect,
        })
    }
}

/// The serializer a value sees: forwards to `inner`, rewriting per `shape` and `dialect`.
struct Adaptor<'a, S> {
    inner: S,
    shape: &'static Shape,
    dialect: &'a Dialect,
}

impl<'a, S> Adaptor<'a, S> {
    fn wrap<'v, T: ?Sized>(&self, value: &'v T, shape: &'static Shape) -> Wire<'v, T>
    where
        'a: 'v,
    {
        Wire::new(value, shape, self.dialect)
    }

    /// A one-of's object variant named `name` (generated structs carry their schema name,
    /// so the variant is known before any field is written).
    fn struct_variant(one: &OneOfShape, name: &str) -> Option<&'static ObjectShape> {
        one.variants.iter().find_map(|(_, shape, _)| match shape {
            Shape::Object(object) if object.name == name => Some(*object),
            _ => None,
        })
    }

    fn enum_rule(&self) -> Option<(&'static EnumShape, EnumWire)> {
        match self.shape {
            Shape::Enum(e) if !e.flags => Some((e, e.wire_in(self.dialect.name))),
            _ => None,
        }
    }
}

/// Forwards scalar methods to a one-of's scalar variant, the rest to `inner`.
macro_rules! scalars {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(#[inline]
        fn $method(self, v: $ty) -> Result<S::Ok, S::Error> {
            match self.shape {
                Shape::OneOf(one) => Adaptor {
                    shape: one_of::scalar_shape(one),
                    ..self
                }
                .$method(v),
                _ => self.inner.$method(v),
            }
        })*
    };
}

impl<'a, S: Serializer> Serializer for Adaptor<'a, S> {
    type Ok = S::Ok;
    type Error = S::Error;
    type SerializeSeq = Items<'a, S::SerializeSeq>;
    type SerializeTuple = Items<'a, S::SerializeTuple>;
    type SerializeTupleStruct = Items<'a, S::SerializeTupleStruct>;
    type SerializeTupleVariant = Items<'a, S::SerializeTupleVariant>;
    type SerializeMap = Entries<'a, S::SerializeMap>;
    type SerializeStruct = Fields<'a, S::SerializeStruct>;
    type SerializeStructVariant = Items<'a, S::SerializeStructVariant>;

    scalars! {
        serialize_bool(bool), serialize_i8(i8), serialize_i16(i16), serialize_i32(i32),
        serialize_u8(u8), serialize_u16(u16), serialize_u32(u32), serialize_u64(u64),
        serialize_f32(f32), serialize_f64(f64), serialize_char(char), serialize_bytes(&[u8]),
    }

    #[inline]
    fn serialize_i64(self, v: i64) -> Result<S::Ok, S::Error> {
        match (self.shape, self.enum_rule()) {
            (Shape::OneOf(one), _) => Adaptor {
                shape: one_of::scalar_shape(one),
                ..self
            }
            .serialize_i64(v),
            (_, Some((e, EnumWire::Name))) => match e.name_of(v) {
                Some(name) => self.inner.serialize_str(name),
                None => self.inner.serialize_i64(v),
            },
            _ => self.inner.serialize_i64(v),
        }
    }

    #[inline]
    fn serialize_str(self, v: &str) -> Result<S::Ok, S::Error> {
        match (self.shape, self.enum_rule()) {
            (Shape::OneOf(one), _) => Adaptor {
                shape: one_of::scalar_shape(one),
                ..self
            }
            .serialize_str(v),
            // A listed name is written in the dialect's form and the schema's spelling;
            // an unlisted one as it came.
            (_, Some((e, wire))) => match (wire, e.value_of(v)) {
                (EnumWire::Integer, Some(n)) => self.inner.serialize_i64(n),
                (EnumWire::Name, Some(n)) => self.inner.serialize_str(e.name_of(n).unwrap_or(v)),
                (_, None) => self.inner.serialize_str(v),
            },
            _ => self.inner.serialize_str(v),
        }
    }

    #[inline]
    fn serialize_none(self) -> Result<S::Ok, S::Error> {
        self.inner.serialize_none()
    }

    #[inline]
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<S::Ok, S::Error> {
        let wire = self.wrap(value, self.shape);
        self.inner.serialize_some(&wire)
    }

    fn serialize_unit(self) -> Result<S::Ok, S::Error> {
        self.inner.serialize_unit()
    }

    fn serialize_unit_struct(self, name: &'static str) -> Result<S::Ok, S::Error> {
        self.inner.serialize_unit_struct(name)
    }

    fn serialize_unit_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
    ) -> Result<S::Ok, S::Error> {
        self.inner.serialize_unit_variant(name, index, variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        let wire = self.wrap(value, self.shape);
        self.inner.serialize_newtype_struct(name, &wire)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<S::Ok, S::Error> {
        self.inner
            .serialize_newtype_variant(name, index, variant, value)
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Self::SerializeSeq, S::Error> {
        Ok(Items::new(
            self.inner.serialize_seq(len)?,
            self.shape,
            self.dialect,
        ))
    }

    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, S::Error> {
        Ok(Items::new(
            self.inner.serialize_tuple(len)?,
            self.shape,
            self.dialect,
        ))
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, S::Error> {
        let inner = self.inner.serialize_tuple_struct(name, len)?;
        Ok(Items::new(inner, self.shape, self.dialect))
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, S::Error> {
        let inner = self
            .inner
            .serialize_tuple_variant(name, index, variant, len)?;
        Ok(Items::new(inner, &Shape::Any, self.dialect))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Self::SerializeMap, S::Error> {
        let item = match self.shape {
            Shape::Map(item) => item,
            _ => &Shape::Any,
        };
        Ok(Entries {
            inner: self.inner.serialize_map(len)?,
            item,
            dialect: self.dialect,
        })
    }

    fn serialize_struct(
        self,
        name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, S::Error> {
        let object = match self.shape {
            Shape::Object(object) => Some(*object),
            Shape::OneOf(one) => Self::struct_variant(one, name),
            _ => None,
        };
        Ok(Fields {
            inner: self.inner.serialize_struct(name, len)?,
            object,
            next: 0,
            dialect: self.dialect,
        })
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, S::Error> {
        let inner = self
            .inner
            .serialize_struct_variant(name, index, variant, len)?;
        Ok(Items::new(inner, &Shape::Any, self.dialect))
    }

    fn is_human_readable(&self) -> bool {
        self.inner.is_human_readable()
    }
}

/// The items of a sequence (or the fields of something the shapes do not describe).
pub struct Items<'a, S> {
    inner: S,
    item: &'static Shape,
    dialect: &'a Dialect,
}

impl<'a, S> Items<'a, S> {
    fn new(inner: S, shape: &'static Shape, dialect: &'a Dialect) -> Self {
        let item = match shape {
            Shape::Array(item) => item,
            _ => &Shape::Any,
        };
        Self {
            inner,
            item,
            dialect,
        }
    }

    fn wire<'v, T: ?Sized>(&self, value: &'v T) -> Wire<'v, T>
    where
        'a: 'v,
    {
        Wire::new(value, self.item, self.dialect)
    }
}

macro_rules! items {
    ($($trait:ident::$method:ident),* $(,)?) => {
        $(impl<S: $trait> $trait for Items<'_, S> {
            type Ok = S::Ok;
            type Error = S::Error;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), S::Error> {
                let wire = self.wire(value);
                self.inner.$method(&wire)
            }

            fn end(self) -> Result<S::Ok, S::Error> {
                self.inner.end()
            }
        })*
    };
}

items! {
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field,
}

impl<S: SerializeStructVariant> SerializeStructVariant for Items<'_, S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        self.inner.serialize_field(key, value)
    }

    fn end(self) -> Result<S::Ok, S::Error> {
        self.inner.end()
    }
}

/// The entries of a map: keys as they are, values of the map's item shape.
pub struct Entries<'a, S> {
    inner: S,
    item: &'static Shape,
    dialect: &'a Dialect,
}

impl<S: SerializeMap> SerializeMap for Entries<'_, S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), S::Error> {
        self.inner.serialize_key(key)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), S::Error> {
        self.inner
            .serialize_value(&Wire::new(value, self.item, self.dialect))
    }

    fn end(self) -> Result<S::Ok, S::Error> {
        self.inner.end()
    }
}

/// The fields of a generated struct, written under the dialect's keys.
pub struct Fields<'a, S> {
    inner: S,
    object: Option<&'static ObjectShape>,
    /// Where the next field is expected: fields arrive in shape order, so the lookup is
    /// one comparison in the usual case.
    next: usize,
    dialect: &'a Dialect,
}

impl<S> Fields<'_, S> {
    /// The field `key` names, trying the next one in shape order first.
    fn field(&mut self, key: &'static str) -> Option<&'static Field> {
        let object = self.object?;
        let index = match object.fields.get(self.next) {
            // Generated types write their keys from the shape table, so the address settles
            // it; other types are compared by name.
            Some(field) if std::ptr::eq(field.name, key) || field.name == key => self.next,
            _ => object.fields.iter().position(|f| f.name == key)?,
        };
        self.next = index + 1;
        Some(&object.fields[index])
    }
}

impl<S: SerializeStruct> SerializeStruct for Fields<'_, S> {
    type Ok = S::Ok;
    type Error = S::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        let Some(field) = self.field(key) else {
            return self.inner.serialize_field(key, value);
        };
        let dialect = self.dialect;
        // A required, non-nullable field is never null: no need to look.
        let may_be_null = field.nullable || !field.required;
        if !dialect.is_in(field.dialects)
            || (may_be_null && !writes_null(field, dialect) && is_null(value))
        {
            return self.inner.skip_field(key);
        }
        self.inner.serialize_field(
            field.wire_name(dialect.name),
            &Wire::new(value, field.shape, dialect),
        )
    }

    /// A skipped field is an absent value: `null` where the dialect writes the field's nulls.
    fn skip_field(&mut self, key: &'static str) -> Result<(), S::Error> {
        let dialect = self.dialect;
        match self.field(key) {
            Some(field) if writes_null(field, dialect) && dialect.is_in(field.dialects) => self
                .inner
                .serialize_field(field.wire_name(dialect.name), &None::<()>),
            _ => self.inner.skip_field(key),
        }
    }

    fn end(self) -> Result<S::Ok, S::Error> {
        self.inner.end()
    }
}

/// Whether `dialect` writes this field's null as `null` (else it leaves the key out).
pub(crate) fn writes_null(field: &Field, dialect: &Dialect) -> bool {
    field.nullable && dialect.nulls == NullStyle::Write
}

/// Whether a value serializes as null (`None`, unit), without writing it anywhere.
pub fn is_null<T: Serialize + ?Sized>(value: &T) -> bool {
    value.serialize(NullProbe).unwrap_or(false)
}

/// Answers "is this null?" and stops at the first sign that it is not.
struct NullProbe;

/// Stops the probe at a compound value (it is not null).
#[derive(Debug)]
struct NotNull;

impl fmt::Display for NotNull {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not null")
    }
}

impl std::error::Error for NotNull {}

impl ser::Error for NotNull {
    fn custom<T: fmt::Display>(_: T) -> Self {
        NotNull
    }
}

macro_rules! not_null {
    ($($method:ident($($ty:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $ty),*) -> Result<bool, NotNull> {
            Ok(false)
        })*
    };
}

impl Serializer for NullProbe {
    type Ok = bool;
    type Error = NotNull;
    type SerializeSeq = Impossible<bool, NotNull>;
    type SerializeTuple = Impossible<bool, NotNull>;
    type SerializeTupleStruct = Impossible<bool, NotNull>;
    type SerializeTupleVariant = Impossible<bool, NotNull>;
    type SerializeMap = Impossible<bool, NotNull>;
    type SerializeStruct = Impossible<bool, NotNull>;
    type SerializeStructVariant = Impossible<bool, NotNull>;

    not_null! {
        serialize_bool(bool), serialize_i8(i8), serialize_i16(i16), serialize_i32(i32),
        serialize_i64(i64), serialize_u8(u8), serialize_u16(u16), serialize_u32(u32),
        serialize_u64(u64), serialize_f32(f32), serialize_f64(f64), serialize_char(char),
        serialize_str(&str), serialize_bytes(&[u8]),
        serialize_unit_variant(&'static str, u32, &'static str),
    }

    fn serialize_none(self) -> Result<bool, NotNull> {
        Ok(true)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<bool, NotNull> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<bool, NotNull> {
        Ok(true)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<bool, NotNull> {
        Ok(true)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<bool, NotNull> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<bool, NotNull> {
        Ok(false)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotNull> {
        Err(NotNull)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotNull> {
        Err(NotNull)
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NotNull> {
        Err(NotNull)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NotNull> {
        Err(NotNull)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotNull> {
        Err(NotNull)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, NotNull> {
        Err(NotNull)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NotNull> {
        Err(NotNull)
    }
}
