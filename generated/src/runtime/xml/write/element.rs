//! Writing one value as element(s): the serde [`Serializer`](ser::Serializer) for a value
//! and its sequences, maps and structs.

use std::fmt::Display;

use quick_xml::escape::partial_escape;
use serde::ser::{self, Serialize};

use super::key::Key;
use super::{close_tag, empty_element, number_element, open_tag, text_element, WriteError};

/// Writes `value` as the element(s) `name` at `depth`, naming the element in its errors.
pub(super) fn child<T: Serialize + ?Sized>(
    out: &mut String,
    name: &str,
    depth: usize,
    value: &T,
) -> Result<(), WriteError> {
    value
        .serialize(Element { out, name, depth })
        .map_err(|e| e.under(name))
}
/// An element that closes around a variant's content (`{variant: …}` in serde_json terms).
#[derive(Clone, Copy)]
struct Wrapper<'a> {
    name: &'a str,
    depth: usize,
}

impl Wrapper<'_> {
    fn close(self, out: &mut String) {
        close_tag(out, self.name, self.depth);
    }
}

/// Writes one value as the element(s) `name` at `depth`.
struct Element<'a> {
    out: &'a mut String,
    name: &'a str,
    depth: usize,
}

impl<'a> Element<'a> {
    fn number(self, number: impl Display) -> Result<(), WriteError> {
        number_element(self.out, self.name, self.depth, number)
    }

    /// serde_json writes a non-finite float as null.
    fn float(self, value: f64) -> Result<(), WriteError> {
        match serde_json::Number::from_f64(value) {
            Some(number) => self.number(number),
            None => self.null(),
        }
    }

    fn null(self) -> Result<(), WriteError> {
        empty_element(self.out, self.name, self.depth);
        Ok(())
    }

    fn text(self, text: &str) -> Result<(), WriteError> {
        text_element(self.out, self.name, self.depth, &partial_escape(text));
        Ok(())
    }

    /// Opens `<name>` for a variant, whose content goes one level deeper.
    fn wrap(self) -> (&'a mut String, Wrapper<'a>) {
        open_tag(self.out, self.name, self.depth);
        let wrapper = Wrapper {
            name: self.name,
            depth: self.depth,
        };
        (self.out, wrapper)
    }

    fn object(self, wrapper: Option<Wrapper<'a>>) -> Object<'a> {
        Object {
            out: self.out,
            name: self.name,
            depth: self.depth,
            opened: false,
            key: String::new(),
            wrapper,
        }
    }

    fn seq(self, wrapper: Option<Wrapper<'a>>) -> Seq<'a> {
        Seq {
            out: self.out,
            name: self.name,
            depth: self.depth,
            wrapper,
        }
    }

    /// serde_json keeps integers only within `i64`/`u64`.
    fn out_of_range(self, what: impl Display) -> WriteError {
        WriteError::new(
            format!("the integer {what} is out of the range of a JSON number (i64/u64)"),
            self.name,
        )
    }
}

impl<'a> ser::Serializer for Element<'a> {
    type Ok = ();
    type Error = WriteError;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Seq<'a>;
    type SerializeMap = Object<'a>;
    type SerializeStruct = Object<'a>;
    type SerializeStructVariant = Object<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), WriteError> {
        self.text(if v { "true" } else { "false" })
    }

    fn serialize_i8(self, v: i8) -> Result<(), WriteError> {
        self.number(v)
    }

    fn serialize_i16(self, v: i16) -> Result<(), WriteError> {
        self.number(v)
    }

    fn serialize_i32(self, v: i32) -> Result<(), WriteError> {
        self.number(v)
    }

    fn serialize_i64(self, v: i64) -> Result<(), WriteError> {
        self.number(v)
    }

    fn serialize_i128(self, v: i128) -> Result<(), WriteError> {
        if u64::try_from(v).is_ok() || i64::try_from(v).is_ok() {
            self.number(v)
        } else {
            Err(self.out_of_range(v))
        }
    }

    fn serialize_u8(self, v: u8) -> Result<(), WriteError> {
        self.number(v)
    }

    fn serialize_u16(self, v: u16) -> Result<(), WriteError> {
        self.number(v)
    }

    fn serialize_u32(self, v: u32) -> Result<(), WriteError> {
        self.number(v)
    }

    fn serialize_u64(self, v: u64) -> Result<(), WriteError> {
        self.number(v)
    }

    fn serialize_u128(self, v: u128) -> Result<(), WriteError> {
        if u64::try_from(v).is_ok() {
            self.number(v)
        } else {
            Err(self.out_of_range(v))
        }
    }

    /// As serde_json's `Value` does: the `f32` widened to `f64`, printed as an `f64`.
    fn serialize_f32(self, v: f32) -> Result<(), WriteError> {
        self.float(f64::from(v))
    }

    fn serialize_f64(self, v: f64) -> Result<(), WriteError> {
        self.float(v)
    }

    fn serialize_char(self, v: char) -> Result<(), WriteError> {
        self.text(v.encode_utf8(&mut [0; 4]))
    }

    fn serialize_str(self, v: &str) -> Result<(), WriteError> {
        self.text(v)
    }

    /// serde_json makes bytes an array of numbers, so they are sibling elements.
    fn serialize_bytes(self, v: &[u8]) -> Result<(), WriteError> {
        v.iter()
            .try_for_each(|byte| number_element(self.out, self.name, self.depth, byte))
    }

    fn serialize_none(self) -> Result<(), WriteError> {
        self.null()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), WriteError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), WriteError> {
        self.null()
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), WriteError> {
        self.null()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), WriteError> {
        self.text(variant)
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
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        let (out, wrapper) = self.wrap();
        child(out, variant, wrapper.depth + 1, value)?;
        wrapper.close(out);
        Ok(())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Seq<'a>, WriteError> {
        Ok(self.seq(None))
    }

    fn serialize_tuple(self, _len: usize) -> Result<Seq<'a>, WriteError> {
        Ok(self.seq(None))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Seq<'a>, WriteError> {
        Ok(self.seq(None))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Seq<'a>, WriteError> {
        let (out, wrapper) = self.wrap();
        let inner = Element {
            out,
            name: variant,
            depth: wrapper.depth + 1,
        };
        Ok(inner.seq(Some(wrapper)))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Object<'a>, WriteError> {
        Ok(self.object(None))
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Object<'a>, WriteError> {
        Ok(self.object(None))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Object<'a>, WriteError> {
        let (out, wrapper) = self.wrap();
        let inner = Element {
            out,
            name: variant,
            depth: wrapper.depth + 1,
        };
        Ok(inner.object(Some(wrapper)))
    }
}

/// A sequence: every item is an element of the sequence's own name, and an item that is
/// itself a sequence flattens into more siblings.
struct Seq<'a> {
    out: &'a mut String,
    name: &'a str,
    depth: usize,
    wrapper: Option<Wrapper<'a>>,
}

impl Seq<'_> {
    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        child(self.out, self.name, self.depth, value)
    }

    fn finish(self) -> Result<(), WriteError> {
        if let Some(wrapper) = self.wrapper {
            wrapper.close(self.out);
        }
        Ok(())
    }
}

/// The four serde sequence traits, all writing each item as a sibling element.
macro_rules! seq_impls {
    ($($trait:ident::$method:ident),* $(,)?) => {
        $(impl ser::$trait for Seq<'_> {
            type Ok = ();
            type Error = WriteError;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
                self.item(value)
            }

            fn end(self) -> Result<(), WriteError> {
                self.finish()
            }
        })*
    };
}

seq_impls! {
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field,
}

/// A map or struct: one child element per entry, one level deeper.
///
/// The open tag waits for the first entry, because an object without entries is `<name />`;
/// an entry that writes nothing (an empty array) still counts, as it does for Newtonsoft.
struct Object<'a> {
    out: &'a mut String,
    name: &'a str,
    depth: usize,
    opened: bool,
    /// The current map key; reused across entries so a map allocates once, not per key.
    key: String,
    wrapper: Option<Wrapper<'a>>,
}

impl Object<'_> {
    fn start_entry(&mut self) {
        if !self.opened {
            open_tag(self.out, self.name, self.depth);
            self.opened = true;
        }
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), WriteError> {
        self.start_entry();
        child(self.out, key, self.depth + 1, value)
    }

    fn finish(self) -> Result<(), WriteError> {
        if self.opened {
            close_tag(self.out, self.name, self.depth);
        } else {
            empty_element(self.out, self.name, self.depth);
        }
        if let Some(wrapper) = self.wrapper {
            wrapper.close(self.out);
        }
        Ok(())
    }
}

impl ser::SerializeMap for Object<'_> {
    type Ok = ();
    type Error = WriteError;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), WriteError> {
        self.start_entry();
        self.key.clear();
        key.serialize(Key { out: &mut self.key })
            .map_err(|e| e.under(self.name))
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), WriteError> {
        child(self.out, &self.key, self.depth + 1, value)
    }

    fn end(self) -> Result<(), WriteError> {
        self.finish()
    }
}

impl ser::SerializeStruct for Object<'_> {
    type Ok = ();
    type Error = WriteError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        self.field(key, value)
    }

    fn end(self) -> Result<(), WriteError> {
        self.finish()
    }
}

impl ser::SerializeStructVariant for Object<'_> {
    type Ok = ();
    type Error = WriteError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), WriteError> {
        self.field(key, value)
    }

    fn end(self) -> Result<(), WriteError> {
        self.finish()
    }
}
