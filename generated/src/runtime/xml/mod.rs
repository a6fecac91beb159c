//! XML the way Workspace makes it: Newtonsoft's JSON→XML conversion of the JSON answer
//! wrapped as `{"result": …}`.
//!
//! Writing: child elements in key order; an array becomes one sibling per item named after
//! the property (so a one-item array looks like a single element and an empty array writes
//! nothing); null is an empty element `<x />`; an empty string is `<x></x>`; booleans are
//! `true`/`false`. Reading groups children by name into arrays of occurrences and leaves
//! the rest to the schema-guided [`crate::runtime::lenient`].

use quick_xml::escape::unescape;
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

/// Reads an XML document into its root name and grouped value: an element with children
/// is an object mapping each child name to the array of its occurrences; a leaf is its
/// text; `<x />` is null. (The codecs read the [`tree::Tree`] directly; this view is for
/// judging a document against a schema.)
pub fn read(text: &str) -> Result<(String, Value), DecodeError> {
    let tree = tree::Tree::parse(text)?;
    Ok((tree.root_name().to_owned(), grouped(&tree, tree.root())))
}

fn grouped(tree: &tree::Tree<'_>, id: tree::NodeId) -> Value {
    let children = tree.children(id);
    if tree.is_empty(id) {
        return Value::Null;
    }
    if children.is_empty() {
        return Value::String(tree.text(id).to_owned());
    }
    let mut map = Map::new();
    for &child in children {
        let occurrences = map
            .entry(tree.name(child).to_owned())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(items) = occurrences {
            items.push(grouped(tree, child));
        }
    }
    Value::Object(map)
}

/// The text of an entity or character reference (`amp`, `#x2F`, without `&` and `;`): the
/// XML-predefined entities and character references; anything else is an error.
pub fn resolve_reference(reference: &str) -> Result<String, String> {
    unescape(&format!("&{reference};"))
        .map(|text| text.into_owned())
        .map_err(|e| e.to_string())
}
