//! A [`serde::Serializer`] that writes Workspace XML straight from any `T: Serialize`.
//!
//! The output is what Newtonsoft writes for the JSON value serde_json would make of `T`
//! (see the module docs of [`super`]), but no `serde_json::Value` is built on the way: large
//! answers go from the model to the text in one pass.

use std::fmt::{self, Display, Write as _};

use serde::ser::{self, Serialize};

mod element;
mod key;
#[cfg(test)]
mod tests;

use element::child;

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
