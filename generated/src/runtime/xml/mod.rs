//! XML the way Workspace makes it: Newtonsoft's JSON→XML conversion of the JSON answer
//! wrapped as `{"result": …}`.
//!
//! Writing: child elements in key order; an array becomes one sibling per item named after
//! the property (so a one-item array looks like a single element and an empty array writes
//! nothing); null is an empty element `<x />`; an empty string is `<x></x>`; booleans are
//! `true`/`false`. Reading groups children by name into arrays of occurrences and leaves
//! the rest to the schema-guided [`crate::runtime::lenient`].

use quick_xml::escape::unescape;
use quick_xml::events::Event;
use quick_xml::Reader;
use serde_json::{Map, Value};

use super::error::DecodeError;

pub mod de;
pub mod tree;
mod write;

pub use write::{to_string, write_into, WriteError};

/// Writes `value` as the element `root`, indented by two spaces like .NET's `XDocument`.
///
/// A `Value` always writes (its keys are strings and its numbers fit); the error is there for
/// [`to_string`]'s sake.
pub fn write(root: &str, value: &Value) -> Result<String, WriteError> {
    to_string(root, value)
}

/// One open element while reading.
struct Open {
    name: String,
    children: Map<String, Value>,
    text: String,
}

impl Open {
    fn new(name: String) -> Self {
        Self {
            name,
            children: Map::new(),
            text: String::new(),
        }
    }

    fn add(&mut self, name: String, value: Value) {
        match self
            .children
            .entry(name)
            .or_insert_with(|| Value::Array(Vec::new()))
        {
            Value::Array(items) => items.push(value),
            _ => unreachable!("children are always arrays of occurrences"),
        }
    }

    fn close(self) -> (String, Value) {
        let value = if self.children.is_empty() {
            Value::String(self.text)
        } else {
            Value::Object(self.children)
        };
        (self.name, value)
    }
}

/// Reads an XML document into its root name and grouped value: an element with children
/// is an object mapping each child name to the array of its occurrences; a leaf is its
/// text; `<x />` is null.
pub fn read(text: &str) -> Result<(String, Value), DecodeError> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Open> = Vec::new();
    let mut root = None;
    loop {
        let at = reader.buffer_position();
        let event = reader.read_event().map_err(|e| malformed(at, &e))?;
        match event {
            Event::Start(start) => stack.push(Open::new(start.name().as_ref().to_owned())),
            Event::Empty(empty) => {
                let name = empty.name().as_ref().to_owned();
                match stack.last_mut() {
                    Some(parent) => parent.add(name, Value::Null),
                    None => root = Some((name, Value::Null)),
                }
            }
            Event::Text(t) => {
                if let Some(open) = stack.last_mut() {
                    open.text.push_str(&t.xml10_content());
                }
            }
            // quick-xml reports `&amp;` and `&#x2F;` as events of their own.
            Event::GeneralRef(reference) => {
                let resolved = resolve_reference(&reference).map_err(|e| malformed(at, &e))?;
                if let Some(open) = stack.last_mut() {
                    open.text.push_str(&resolved);
                }
            }
            Event::CData(c) => {
                if let Some(open) = stack.last_mut() {
                    open.text.push_str(&c.into_inner());
                }
            }
            Event::End(_) => {
                let (name, value) = stack.pop().expect("the reader checks nesting").close();
                match stack.last_mut() {
                    Some(parent) => parent.add(name, value),
                    None => root = Some((name, value)),
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(DecodeError::new(
            "",
            "malformed XML: the document ends inside an element",
        ));
    }
    root.ok_or_else(|| DecodeError::new("", "malformed XML: no root element"))
}

/// The text of an entity or character reference (`amp`, `#x2F`, without `&` and `;`): the
/// XML-predefined entities and character references; anything else is an error.
pub fn resolve_reference(reference: &str) -> Result<String, String> {
    unescape(&format!("&{reference};"))
        .map(|text| text.into_owned())
        .map_err(|e| e.to_string())
}

fn malformed(at: u64, e: &dyn std::fmt::Display) -> DecodeError {
    DecodeError::new("", format!("malformed XML at byte {at}: {e}"))
}
