//! A [`serde::Serializer`] that writes Workspace XML straight from any `T: Serialize`.
//!
//! The output is what Newtonsoft writes for the JSON value serde_json would make of `T`
//! (see the module docs of [`super`]), but no `serde_json::Value` is built on the way: large
//! answers go from the model to the text in one pass.

use std::fmt::{self, Display, Write as _};

use quick_xml::escape::partial_escape;
use serde::ser::{self, Impossible, Serialize};

/// Writes `value` as the element `root`, Newtonsoft style, indented by two spaces.
///
/// A sequence at the root writes one sibling named `root` per item (an empty one writes
/// nothing), as Newtonsoft does for an array property.
pub fn to_string<T: Serialize + ?Sized>(root: &str, value: &T) -> Result<String, WriteError> {
    let mut out = String::with_capacity(256);
    write_into(&mut out, root, value)?;
    Ok(out)
}

/// Appends `value` as the element `root` to `out` (same rules as [`to_string`]).
///
/// On error `out` is left as it was, so a caller can reuse the buffer.
pub fn write_into<T: Serialize + ?Sized>(
    out: &mut String,
    root: &str,
    value: &T,
) -> Result<(), WriteError> {
    let start = out.len();
    child(out, root, 0, value).inspect_err(|_| out.truncate(start))
}

/// Something could not be written as XML: what, and (when known) under which element.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}{}", Under(.element.as_deref()))]
pub struct WriteError {
    message: String,
    element: Option<String>,
}

impl WriteError {
    fn new(message: impl Into<String>, element: &str) -> Self {
        Self {
            message: message.into(),
            element: Some(element.to_owned()),
        }
    }

    /// What could not be written.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The name of the innermost element being written when it failed, if known.
    pub fn element(&self) -> Option<&str> {
        self.element.as_deref()
    }

    /// Names the element unless an inner one was named already (the innermost is the
    /// most useful).
    fn under(mut self, element: &str) -> Self {
        if self.element.is_none() {
            self.element = Some(element.to_owned());
        }
        self
    }
}

impl ser::Error for WriteError {
    fn custom<T: Display>(msg: T) -> Self {
        Self {
            message: msg.to_string(),
            element: None,
        }
    }
}

/// Formats the optional element of a [`WriteError`].
struct Under<'a>(Option<&'a str>);

impl Display for Under<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(element) => write!(f, " (under the element <{element}>)"),
            None => Ok(()),
        }
    }
}

/// Writes `value` as the element(s) `name` at `depth`, naming the element in its errors.
fn child<T: Serialize + ?Sized>(
    out: &mut String,
    name: &str,
    depth: usize,
    value: &T,
) -> Result<(), WriteError> {
    value
        .serialize(Element { out, name, depth })
        .map_err(|e| e.under(name))
}

fn indent(out: &mut String, depth: usize) {
    const SPACES: &str = "                                                                ";
    let mut width = depth.saturating_mul(2);
    while width > 0 {
        let step = width.min(SPACES.len());
        out.push_str(&SPACES[..step]);
        width -= step;
    }
}

fn open_tag(out: &mut String, name: &str, depth: usize) {
    indent(out, depth);
    out.push('<');
    out.push_str(name);
    out.push_str(">\n");
}

fn close_tag(out: &mut String, name: &str, depth: usize) {
    indent(out, depth);
    out.push_str("</");
    out.push_str(name);
    out.push_str(">\n");
}

/// `<name />`: what null and an empty object write.
fn empty_element(out: &mut String, name: &str, depth: usize) {
    indent(out, depth);
    out.push('<');
    out.push_str(name);
    out.push_str(" />\n");
}

/// `<name>text</name>`, with `text` already escaped.
fn text_element(out: &mut String, name: &str, depth: usize, text: &str) {
    indent(out, depth);
    out.push('<');
    out.push_str(name);
    out.push('>');
    out.push_str(text);
    out.push_str("</");
    out.push_str(name);
    out.push_str(">\n");
}

/// `<name>number</name>`, formatted in place rather than through a temporary string.
fn number_element(
    out: &mut String,
    name: &str,
    depth: usize,
    number: impl Display,
) -> Result<(), WriteError> {
    indent(out, depth);
    out.push('<');
    out.push_str(name);
    out.push('>');
    write!(out, "{number}")
        .map_err(|_| WriteError::new("a number could not be formatted", name))?;
    out.push_str("</");
    out.push_str(name);
    out.push_str(">\n");
    Ok(())
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

/// Writes a map key as an element name, by serde_json's rules for object keys: strings,
/// numbers, booleans, chars, unit variants and newtypes of those.
struct Key<'a> {
    out: &'a mut String,
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use quick_xml::escape::partial_escape;
    use serde::Serialize;
    use serde_json::{json, Value};

    use super::{to_string, write_into};

    /// The writer this module replaced, kept verbatim as the reference for `Value`s.
    fn oracle(root: &str, value: &Value) -> String {
        fn element(out: &mut String, name: &str, value: &Value, depth: usize) {
            match value {
                Value::Array(items) => items
                    .iter()
                    .for_each(|item| element(out, name, item, depth)),
                Value::Null => leaf(out, name, None, depth),
                Value::Object(map) if map.is_empty() => leaf(out, name, None, depth),
                Value::Bool(b) => leaf(out, name, Some(if *b { "true" } else { "false" }), depth),
                Value::Number(n) => leaf(out, name, Some(&n.to_string()), depth),
                Value::String(s) => leaf(out, name, Some(&partial_escape(s)), depth),
                Value::Object(map) => {
                    indent(out, depth);
                    out.push('<');
                    out.push_str(name);
                    out.push_str(">\n");
                    for (key, child) in map {
                        element(out, key, child, depth + 1);
                    }
                    indent(out, depth);
                    out.push_str("</");
                    out.push_str(name);
                    out.push_str(">\n");
                }
            }
        }

        fn leaf(out: &mut String, name: &str, text: Option<&str>, depth: usize) {
            indent(out, depth);
            out.push('<');
            out.push_str(name);
            match text {
                None => out.push_str(" />\n"),
                Some(text) => {
                    out.push('>');
                    out.push_str(text);
                    out.push_str("</");
                    out.push_str(name);
                    out.push_str(">\n");
                }
            }
        }

        fn indent(out: &mut String, depth: usize) {
            (0..depth).for_each(|_| out.push_str("  "));
        }

        let mut out = String::with_capacity(256);
        element(&mut out, root, value, 0);
        out
    }

    /// Writes `value` directly, checks it against the oracle run on serde_json's `Value` of
    /// it, and returns the text.
    fn written<T: Serialize + ?Sized>(value: &T) -> String {
        let direct = to_string("result", value).expect("writes");
        let through_value = serde_json::to_value(value).expect("serde_json takes it");
        assert_eq!(
            direct,
            oracle("result", &through_value),
            "same as via Value"
        );
        direct
    }

    #[test]
    fn null_and_unit_are_empty_elements() {
        assert_eq!(written(&Value::Null), "<result />\n");
        assert_eq!(written(&()), "<result />\n");
        assert_eq!(written(&None::<i32>), "<result />\n");
        assert_eq!(written(&Some(3)), "<result>3</result>\n");
    }

    #[test]
    fn empty_object_is_an_empty_element() {
        assert_eq!(written(&json!({})), "<result />\n");
        assert_eq!(written(&BTreeMap::<String, i32>::new()), "<result />\n");
    }

    #[test]
    fn empty_string_has_both_tags() {
        assert_eq!(written(""), "<result></result>\n");
        assert_eq!(
            written(&json!({"a": ""})),
            "<result>\n  <a></a>\n</result>\n"
        );
    }

    #[test]
    fn empty_array_entry_still_opens_its_object() {
        assert_eq!(written(&json!({"a": []})), "<result>\n</result>\n");
        assert_eq!(
            written(&json!({"x": {"a": []}, "y": 1})),
            "<result>\n  <x>\n  </x>\n  <y>1</y>\n</result>\n"
        );
    }

    #[test]
    fn nested_arrays_flatten_into_siblings() {
        assert_eq!(
            written(&json!({"a": [1, [2, [], [3]], {"b": null}]})),
            "<result>\n  <a>1</a>\n  <a>2</a>\n  <a>3</a>\n  <a>\n    <b />\n  </a>\n</result>\n"
        );
    }

    #[test]
    fn text_escapes_markup() {
        assert_eq!(
            written("a<b>&c\"d'e"),
            "<result>a&lt;b&gt;&amp;c\"d'e</result>\n"
        );
        assert_eq!(written(&'<'), "<result>&lt;</result>\n");
        assert_eq!(written(&'é'), "<result>é</result>\n");
    }

    #[test]
    fn floats_print_as_serde_json_does() {
        assert_eq!(written(&1.5), "<result>1.5</result>\n");
        assert_eq!(written(&0.1), "<result>0.1</result>\n");
        assert_eq!(written(&1e300), "<result>1e+300</result>\n");
        assert_eq!(written(&-0.0), "<result>-0.0</result>\n");
        assert_eq!(written(&3.0), "<result>3.0</result>\n");
        assert_eq!(written(&0.1f32), written(&f64::from(0.1f32)));
        assert_eq!(written(&f64::NAN), "<result />\n");
        assert_eq!(written(&f32::INFINITY), "<result />\n");
    }

    #[test]
    fn integers_of_every_width() {
        assert_eq!(written(&-7i8), "<result>-7</result>\n");
        assert_eq!(
            written(&u64::MAX),
            format!("<result>{}</result>\n", u64::MAX)
        );
        assert_eq!(
            written(&i64::MIN),
            format!("<result>{}</result>\n", i64::MIN)
        );
        assert_eq!(written(&i128::from(i64::MIN)), written(&i64::MIN));
        assert_eq!(written(&u128::from(u64::MAX)), written(&u64::MAX));
        let too_big = to_string("result", &(u128::from(u64::MAX) + 1)).expect_err("refused");
        assert!(
            too_big.to_string().contains("out of the range"),
            "{too_big}"
        );
        assert_eq!(too_big.element(), Some("result"));
        assert!(to_string("result", &(i128::from(i64::MIN) - 1)).is_err());
    }

    #[test]
    fn booleans_are_lowercase_words() {
        assert_eq!(written(&true), "<result>true</result>\n");
        assert_eq!(
            written(&json!({"b": false})),
            "<result>\n  <b>false</b>\n</result>\n"
        );
    }

    #[test]
    fn bytes_are_sibling_numbers() {
        let bytes = serde_json::to_value(serde_bytes_like(b"\x01\xff")).expect("value");
        assert_eq!(bytes, json!([1, 255]));
        assert_eq!(
            to_string("b", &serde_bytes_like(b"\x01\xff")).expect("writes"),
            "<b>1</b>\n<b>255</b>\n"
        );
        assert_eq!(written(&serde_bytes_like(b"")), "");
    }

    /// A value that serializes through `serialize_bytes` (a `Vec<u8>` would be a sequence).
    fn serde_bytes_like(bytes: &[u8]) -> impl Serialize + '_ {
        struct Bytes<'a>(&'a [u8]);
        impl Serialize for Bytes<'_> {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_bytes(self.0)
            }
        }
        Bytes(bytes)
    }

    #[test]
    fn root_sequence_writes_siblings_named_root() {
        assert_eq!(
            written(&[json!(1), json!({"a": "x"})]),
            "<result>1</result>\n<result>\n  <a>x</a>\n</result>\n"
        );
        assert_eq!(written(&Vec::<i32>::new()), "");
        assert_eq!(
            written(&(1, "two")),
            "<result>1</result>\n<result>two</result>\n"
        );
    }

    #[derive(Serialize)]
    enum Shape {
        Point,
        Circle(f64),
        Pair(i32, i32),
        Nothing(),
        Rect { w: u32, h: u32 },
        Blank {},
    }

    #[test]
    fn enum_variants_as_serde_json_maps_them() {
        assert_eq!(written(&Shape::Point), "<result>Point</result>\n");
        assert_eq!(
            written(&Shape::Circle(2.5)),
            "<result>\n  <Circle>2.5</Circle>\n</result>\n"
        );
        assert_eq!(
            written(&Shape::Pair(1, 2)),
            "<result>\n  <Pair>1</Pair>\n  <Pair>2</Pair>\n</result>\n"
        );
        assert_eq!(written(&Shape::Nothing()), "<result>\n</result>\n");
        assert_eq!(
            written(&Shape::Rect { w: 3, h: 4 }),
            "<result>\n  <Rect>\n    <w>3</w>\n    <h>4</h>\n  </Rect>\n</result>\n"
        );
        assert_eq!(
            written(&Shape::Blank {}),
            "<result>\n  <Blank />\n</result>\n"
        );
        assert_eq!(
            written(&vec![Shape::Pair(1, 2), Shape::Point]),
            "<result>\n  <Pair>1</Pair>\n  <Pair>2</Pair>\n</result>\n<result>Point</result>\n"
        );
    }

    #[derive(Serialize)]
    struct Wrapped(Shape);

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Operation {
        id: String,
        progress: Option<u8>,
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<String>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        files: Vec<u32>,
        finished: bool,
        kind: Wrapped,
    }

    #[test]
    fn derived_struct_with_options_and_skips() {
        let op = Operation {
            id: "a&b".into(),
            progress: None,
            error: None,
            files: vec![],
            finished: true,
            kind: Wrapped(Shape::Point),
        };
        assert_eq!(
            written(&op),
            "<result>\n  <id>a&amp;b</id>\n  <progress />\n  <finished>true</finished>\n  \
             <kind>Point</kind>\n</result>\n"
        );
        let op = Operation {
            progress: Some(50),
            error: Some("<oops>".into()),
            files: vec![7, 8],
            ..op
        };
        assert_eq!(
            written(&op),
            "<result>\n  <id>a&amp;b</id>\n  <progress>50</progress>\n  \
             <error>&lt;oops&gt;</error>\n  <files>7</files>\n  <files>8</files>\n  \
             <finished>true</finished>\n  <kind>Point</kind>\n</result>\n"
        );
    }

    #[derive(Serialize)]
    struct AllSkipped {
        #[serde(skip_serializing_if = "Option::is_none")]
        a: Option<i32>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        b: Vec<i32>,
    }

    #[test]
    fn struct_without_written_fields_is_an_empty_element() {
        let inner = AllSkipped { a: None, b: vec![] };
        assert_eq!(written(&inner), "<result />\n");
        assert_eq!(
            written(&BTreeMap::from([("x", inner)])),
            "<result>\n  <x />\n</result>\n"
        );
    }

    #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
    enum Color {
        Red,
    }

    #[test]
    fn map_keys_follow_serde_json() {
        assert_eq!(
            written(&BTreeMap::from([(1, "one"), (-2, "minus")])),
            "<result>\n  <-2>minus</-2>\n  <1>one</1>\n</result>\n"
        );
        assert_eq!(
            written(&BTreeMap::from([(true, 1)])),
            "<result>\n  <true>1</true>\n</result>\n"
        );
        assert_eq!(
            written(&BTreeMap::from([('k', 1)])),
            "<result>\n  <k>1</k>\n</result>\n"
        );
        assert_eq!(
            written(&BTreeMap::from([(Color::Red, 1)])),
            "<result>\n  <Red>1</Red>\n</result>\n"
        );
        assert_eq!(
            written(&BTreeMap::from([(u128::MAX, 1)])),
            format!("<result>\n  <{0}>1</{0}>\n</result>\n", u128::MAX)
        );
    }

    #[test]
    fn unstringable_map_key_is_an_error() {
        let bytes = BTreeMap::from([(vec![1u8, 2], 3)]);
        let error = to_string("result", &under_files(&bytes)).expect_err("refused");
        assert_eq!(error.element(), Some("files"));
        assert!(error.message().contains("a sequence"), "{error}");
        assert_eq!(
            error.to_string(),
            "cannot write a map key that is a sequence: keys must be strings, numbers, \
             booleans or chars (under the element <files>)"
        );

        let tuple = BTreeMap::from([((1, 2), "x")]);
        let error = to_string("result", &tuple).expect_err("refused");
        assert!(error.message().contains("a tuple"), "{error}");
        assert_eq!(error.element(), Some("result"));
        assert!(
            serde_json::to_value(&tuple).is_err(),
            "serde_json refuses it too"
        );
    }

    /// Nests `map` under `files` so the error names an inner element.
    fn under_files<T: Serialize>(map: &T) -> impl Serialize + '_ {
        #[derive(Serialize)]
        struct Outer<'a, T> {
            ok: u8,
            files: &'a T,
        }
        Outer { ok: 1, files: map }
    }

    #[test]
    fn custom_error_names_the_innermost_element() {
        struct Fails;
        impl Serialize for Fails {
            fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
                Err(serde::ser::Error::custom("no way"))
            }
        }
        let error = to_string("result", &BTreeMap::from([("inner", Fails)])).expect_err("fails");
        assert_eq!(error.message(), "no way");
        assert_eq!(error.element(), Some("inner"));
        assert_eq!(error.to_string(), "no way (under the element <inner>)");
    }

    #[test]
    fn write_into_appends_and_leaves_the_buffer_on_error() {
        let mut out = String::from("<?xml?>\n");
        write_into(&mut out, "a", &1).expect("writes");
        assert_eq!(out, "<?xml?>\n<a>1</a>\n");
        let keys = BTreeMap::from([(vec![1u8], 1)]);
        let bad = under_files(&keys);
        assert!(write_into(&mut out, "a", &bad).is_err());
        assert_eq!(out, "<?xml?>\n<a>1</a>\n");
    }

    #[test]
    fn deep_nesting_indents_by_two_spaces_per_level() {
        let mut value = json!("x");
        for _ in 0..40 {
            value = json!({ "n": value });
        }
        written(&value);
    }

    fn any_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
                .map(Value::Number)),
            "[a-z<>&\"' \r\né€😀]{0,8}".prop_map(Value::String),
        ];
        leaf.prop_recursive(5, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
                prop::collection::vec(("[a-z]{1,6}", inner), 0..5)
                    .prop_map(|entries| Value::Object(entries.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn writes_every_value_as_the_old_writer_did(value in any_value()) {
            let direct = to_string("result", &value).expect("a Value always writes");
            prop_assert_eq!(direct, oracle("result", &value));
        }
    }
}
