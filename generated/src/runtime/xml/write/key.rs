//! Writing a map key as an element name.

use std::fmt::{Display, Write as _};

use serde::ser::{self, Impossible, Serialize};

use super::WriteError;

/// Writes a map key as an element name, by serde_json's rules for object keys: strings,
/// numbers, booleans, chars, unit variants and newtypes of those.
pub(super) struct Key<'a> {
    pub(super) out: &'a mut String,
}

impl Key<'_> {
    fn display(self, value: impl Display) -> Result<(), WriteError> {
        write!(self.out, "{value}")
            .map_err(|_| ser::Error::custom("a map key could not be formatted"))
    }
}

/// A map key serde_json refuses, so the XML cannot have it either.
fn bad_key(found: &str) -> WriteError {
    ser::Error::custom(format!(
        "cannot write a map key that is {found}: \
         keys must be strings, numbers, booleans or chars"
    ))
}

impl ser::Serializer for Key<'_> {
    type Ok = ();
    type Error = WriteError;
    type SerializeSeq = Impossible<(), WriteError>;
    type SerializeTuple = Impossible<(), WriteError>;
    type SerializeTupleStruct = Impossible<(), WriteError>;
    type SerializeTupleVariant = Impossible<(), WriteError>;
    type SerializeMap = Impossible<(), WriteError>;
    type SerializeStruct = Impossible<(), WriteError>;
    type SerializeStructVariant = Impossible<(), WriteError>;

    fn serialize_bool(self, v: bool) -> Result<(), WriteError> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }

    fn serialize_i8(self, v: i8) -> Result<(), WriteError> {
        self.display(v)
    }

    fn serialize_i16(self, v: i16) -> Result<(), WriteError> {
        self.display(v)
    }

    fn serialize_i32(self, v: i32) -> Result<(), WriteError> {
        self.display(v)
    }

    fn serialize_i64(self, v: i64) -> Result<(), WriteError> {
        self.display(v)
    }

    fn serialize_i128(self, v: i128) -> Result<(), WriteError> {
        self.display(v)
    }

    fn serialize_u8(self, v: u8) -> Result<(), WriteError> {
        self.display(v)
    }

    fn serialize_u16(self, v: u16) -> Result<(), WriteError> {
        self.display(v)
    }

    fn serialize_u32(self, v: u32) -> Result<(), WriteError> {
        self.display(v)
    }

    fn serialize_u64(self, v: u64) -> Result<(), WriteError> {
        self.display(v)
    }

    fn serialize_u128(self, v: u128) -> Result<(), WriteError> {
        self.display(v)
    }

    /// serde_json prints an `f32` key with `f32` precision (unlike an `f32` value), and
    /// its JSON writer is the one public way to get that text.
    fn serialize_f32(self, v: f32) -> Result<(), WriteError> {
        if !v.is_finite() {
            return Err(bad_key("a non-finite float"));
        }
        let text = serde_json::to_string(&v).map_err(ser::Error::custom)?;
        self.out.push_str(&text);
        Ok(())
    }

    fn serialize_f64(self, v: f64) -> Result<(), WriteError> {
        match serde_json::Number::from_f64(v) {
            Some(number) => self.display(number),
            None => Err(bad_key("a non-finite float")),
        }
    }

    fn serialize_char(self, v: char) -> Result<(), WriteError> {
        self.out.push(v);
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result<(), WriteError> {
        self.out.push_str(v);
        Ok(())
    }

    fn serialize_bytes(self, _v: &[u8]) -> Result<(), WriteError> {
        Err(bad_key("a byte array"))
    }

    fn serialize_none(self) -> Result<(), WriteError> {
        Err(bad_key("an absent option"))
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), WriteError> {
        Err(bad_key("an option"))
    }

    fn serialize_unit(self) -> Result<(), WriteError> {
        Err(bad_key("a unit"))
    }

    fn serialize_unit_struct(self, name: &'static str) -> Result<(), WriteError> {
        Err(bad_key(&format!("the unit struct {name}")))
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), WriteError> {
        self.out.push_str(variant);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _value: &T,
    ) -> Result<(), WriteError> {
        Err(bad_key(&format!("the newtype variant {name}::{variant}")))
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, WriteError> {
        Err(bad_key("a sequence"))
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, WriteError> {
        Err(bad_key("a tuple"))
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, WriteError> {
        Err(bad_key(&format!("the tuple struct {name}")))
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, WriteError> {
        Err(bad_key(&format!("the tuple variant {name}::{variant}")))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, WriteError> {
        Err(bad_key("a map"))
    }

    fn serialize_struct(
        self,
        name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, WriteError> {
        Err(bad_key(&format!("the struct {name}")))
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, WriteError> {
        Err(bad_key(&format!("the struct variant {name}::{variant}")))
    }
}
