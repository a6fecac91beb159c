//! A borrowed element tree of an XML document: names and text point into the input
//! wherever they need no unescaping, and every node lives in one flat arena.
//!
//! Only what Newtonsoft's JSON→XML conversion carries is kept: element names, their text
//! and whether they were written self-closing (`<x />`, its null or empty object).
//! Attributes, comments and processing instructions are skipped, as [`super::read`] does.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::resolve_reference;
use crate::runtime::error::DecodeError;

/// An element of a [`Tree`]; only meaningful with the tree that made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NodeId(usize);

/// One element.
#[derive(Debug, Clone)]
pub struct Node<'x> {
    name: Cow<'x, str>,
    text: Cow<'x, str>,
    empty: bool,
    /// Where the ids of the children sit in [`Tree::child_ids`].
    children: std::ops::Range<usize>,
}

impl<'x> Node<'x> {
    fn new(name: Cow<'x, str>, empty: bool) -> Self {
        Self {
            name,
            text: Cow::Borrowed(""),
            empty,
            children: 0..0,
        }
    }

    fn leaf(name: &'x str, text: &'x str) -> Self {
        Self {
            name: Cow::Borrowed(field_name(name)),
            text: Cow::Borrowed(text),
            empty: false,
            children: 0..0,
        }
    }
}

/// A parsed document: the nodes in document order, and one shared list of child ids in
/// which each node's children are a contiguous run.
#[derive(Debug, Clone)]
pub struct Tree<'x> {
    nodes: Vec<Node<'x>>,
    child_ids: Vec<NodeId>,
    root: NodeId,
}

/// One element being read, and where its children start on the pending-children stack.
struct Open {
    id: NodeId,
    mark: usize,
}

/// The parser's state between events.
struct Builder<'x> {
    nodes: Vec<Node<'x>>,
    child_ids: Vec<NodeId>,
    /// The children of every open element, innermost last, moved to `child_ids` as each
    /// element ends so that a node's children stay contiguous there.
    pending: Vec<NodeId>,
    stack: Vec<Open>,
    root: Option<NodeId>,
}

impl<'x> Builder<'x> {
    fn new(capacity: usize) -> Self {
        Self {
            nodes: Vec::with_capacity(capacity),
            child_ids: Vec::with_capacity(capacity),
            pending: Vec::new(),
            stack: Vec::new(),
            root: None,
        }
    }

    /// Adds an element under the innermost open one (or as the root).
    fn add(&mut self, name: Cow<'x, str>, empty: bool) -> NodeId {
        let id = NodeId(self.nodes.len());
        self.nodes.push(Node::new(name, empty));
        match self.stack.last() {
            Some(parent) => {
                // A parent's text is never read, so what it gathered so far can go.
                if self.pending.len() == parent.mark {
                    self.nodes[parent.id.0].text = Cow::Borrowed("");
                }
                self.pending.push(id);
            }
            None if empty => self.root = Some(id),
            None => {}
        }
        id
    }

    fn start(&mut self, name: Cow<'x, str>) {
        let id = self.add(name, false);
        let mark = self.pending.len();
        self.stack.push(Open { id, mark });
    }

    fn end(&mut self) -> Result<(), String> {
        let open = self.stack.pop().ok_or("an end tag without a start tag")?;
        let from = self.child_ids.len();
        self.child_ids.extend(self.pending.drain(open.mark..));
        self.nodes[open.id.0].children = from..self.child_ids.len();
        if self.stack.is_empty() {
            self.root = Some(open.id);
        }
        Ok(())
    }

    /// The element text now goes to: the innermost open one, unless it has children (a
    /// parent's text is never read).
    fn text_target(&self) -> Option<NodeId> {
        let open = self.stack.last()?;
        (self.pending.len() == open.mark).then_some(open.id)
    }

    /// Whether text now goes to an element at all.
    fn wants_text(&self) -> bool {
        self.text_target().is_some()
    }

    /// Appends a piece of text to the innermost open element, unless it has children
    /// (then its text is ignored anyway).
    fn text(&mut self, piece: Cow<'x, str>) {
        let Some(id) = self.text_target() else {
            return;
        };
        let text = &mut self.nodes[id.0].text;
        match text {
            _ if text.is_empty() => *text = piece,
            Cow::Owned(joined) => joined.push_str(&piece),
            Cow::Borrowed(first) => {
                // Room for a few more pieces: `a &amp; b` comes as three.
                let mut joined = String::with_capacity(2 * (first.len() + piece.len()));
                joined.push_str(first);
                joined.push_str(&piece);
                *text = Cow::Owned(joined);
            }
        }
    }

    fn finish(self) -> Result<Tree<'x>, DecodeError> {
        if !self.stack.is_empty() {
            return Err(DecodeError::new(
                "",
                "malformed XML: the document ends inside an element",
            ));
        }
        let root = self
            .root
            .ok_or_else(|| DecodeError::new("", "malformed XML: no root element"))?;
        Ok(Tree {
            nodes: self.nodes,
            child_ids: self.child_ids,
            root,
        })
    }
}

impl<'x> Tree<'x> {
    /// Parses a document. Errors are those of [`super::read`]: `malformed XML at byte N:
    /// …`, `… the document ends inside an element`, `… no root element`.
    pub fn parse(text: &'x str) -> Result<Self, DecodeError> {
        let mut reader = Reader::from_str(text);
        // A guess from typical answers (about one element per 40 bytes) saves regrowing.
        let mut builder = Builder::new(text.len() / 40 + 1);
        loop {
            let at = reader.buffer_position();
            let event = reader.read_event().map_err(|e| malformed(at, &e))?;
            match event {
                Event::Start(start) => builder.start(element_name(text, &start)),
                Event::Empty(empty) => {
                    builder.add(element_name(text, &empty), true);
                }
                Event::End(_) => builder.end().map_err(|e| malformed(at, &e))?,
                // Whitespace between elements is most of the text: it is not even decoded.
                Event::Text(t) if builder.wants_text() => builder.text(t.xml10_content()),
                Event::Text(_) => {}
                // quick-xml reports `&amp;` and `&#x2F;` as events of their own.
                Event::GeneralRef(reference) => {
                    let resolved = reference_text(&reference).map_err(|e| malformed(at, &e))?;
                    builder.text(resolved);
                }
                Event::CData(c) => builder.text(c.into_inner()),
                Event::Eof => break,
                _ => {}
            }
        }
        builder.finish()
    }

    /// A tree whose root (named `root`) has one leaf child per pair, in order: the fields
    /// of a form or query string. A name ending in `[]` (PHP-style lists) loses the suffix.
    pub fn from_pairs(root: &'x str, pairs: &'x [(String, String)]) -> Self {
        let mut nodes = Vec::with_capacity(pairs.len() + 1);
        nodes.push(Node {
            children: 0..pairs.len(),
            ..Node::new(Cow::Borrowed(root), false)
        });
        nodes.extend(pairs.iter().map(|(name, text)| Node::leaf(name, text)));
        Self {
            nodes,
            child_ids: (1..=pairs.len()).map(NodeId).collect(),
            root: NodeId(0),
        }
    }

    /// Adds one leaf child to the root per pair whose name (without `[]`, ignoring ASCII
    /// case) names no child the root had before this call: what is already there wins.
    pub fn add_missing(&mut self, pairs: &'x [(String, String)]) {
        let existing = self.existing_names();
        let missing: Vec<_> = pairs
            .iter()
            .filter(|(name, _)| existing.find(field_name(name)).is_none())
            .collect();
        if missing.is_empty() {
            return;
        }
        self.move_root_children_to_end();
        let root = self.root.0;
        for (name, text) in missing {
            self.child_ids.push(NodeId(self.nodes.len()));
            self.nodes.push(Node::leaf(name, text));
        }
        let node = &mut self.nodes[root];
        node.children.end = self.child_ids.len();
        node.empty = false;
        node.text = Cow::Borrowed("");
    }

    /// The root's child names, as a lookup that owns its keys (the tree is changed next).
    fn existing_names(&self) -> NameIndex<'_> {
        let mut index = NameIndex::default();
        for &id in self.children(self.root) {
            index.find_or_insert(self.name(id));
        }
        index
    }

    /// Makes the root's run of children the last one in `child_ids`, so it can grow.
    fn move_root_children_to_end(&mut self) {
        let range = self.nodes[self.root.0].children.clone();
        if range.end == self.child_ids.len() {
            return;
        }
        let from = self.child_ids.len();
        self.child_ids.extend_from_within(range);
        self.nodes[self.root.0].children = from..self.child_ids.len();
    }

    /// The root element.
    pub fn root(&self) -> NodeId {
        self.root
    }

    /// The root element's name.
    pub fn root_name(&self) -> &str {
        self.name(self.root)
    }

    /// An element's name, as written (with any namespace prefix).
    pub fn name(&self, id: NodeId) -> &str {
        &self.nodes[id.0].name
    }

    /// An element's text, unescaped and untrimmed; empty for an element with children.
    pub fn text(&self, id: NodeId) -> &str {
        &self.nodes[id.0].text
    }

    /// The text as stored: borrowed from the input unless it had to be unescaped or joined.
    pub fn text_cow(&self, id: NodeId) -> &Cow<'x, str> {
        &self.nodes[id.0].text
    }

    /// Whether the element was written self-closing (`<x />`).
    pub fn is_empty(&self, id: NodeId) -> bool {
        self.nodes[id.0].empty
    }

    /// An element's children, in document order.
    pub fn children(&self, id: NodeId) -> &[NodeId] {
        &self.child_ids[self.nodes[id.0].children.clone()]
    }
}

/// The text of a reference, as [`resolve_reference`] has it; the five predefined
/// entities, which escaped answers are full of, without its allocations.
fn reference_text(reference: &str) -> Result<Cow<'static, str>, String> {
    let text = match reference {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        other => return resolve_reference(other).map(Cow::Owned),
    };
    Ok(Cow::Borrowed(text))
}

/// A form field's name without the `[]` some clients add to list fields.
fn field_name(name: &str) -> &str {
    name.strip_suffix("[]").unwrap_or(name)
}

/// The element's name, borrowed from the input when it lies there.
fn element_name<'x>(text: &'x str, start: &BytesStart<'_>) -> Cow<'x, str> {
    let name: &str = start.name().into_inner();
    match within(text, name.as_bytes()) {
        Some(slice) => Cow::Borrowed(slice),
        None => Cow::Owned(name.to_owned()),
    }
}

/// `bytes` as a slice of `text`, if that is the memory they are in.
///
/// quick-xml lends an element's name only for as long as the event lives, but a string
/// reader lends it from its input; finding it there by address (and checking the slice
/// is whole characters) keeps names borrowed for the tree's lifetime, and stays right
/// should the reader ever copy instead.
fn within<'x>(text: &'x str, bytes: &[u8]) -> Option<&'x str> {
    let start = (bytes.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    let slice = text.get(start..start.checked_add(bytes.len())?)?;
    (slice.as_ptr() == bytes.as_ptr()).then_some(slice)
}

fn malformed(at: u64, e: &dyn std::fmt::Display) -> DecodeError {
    DecodeError::new("", format!("malformed XML at byte {at}: {e}"))
}

/// A name compared and hashed ignoring ASCII case.
#[derive(Debug, Clone, Copy)]
struct Folded<'a>(&'a str);

impl PartialEq for Folded<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(other.0)
    }
}

impl Eq for Folded<'_> {}

impl Hash for Folded<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Lower-cased in chunks: one hasher call per chunk, not per byte.
        let mut chunk = [0u8; 32];
        for piece in self.0.as_bytes().chunks(chunk.len()) {
            let lower = &mut chunk[..piece.len()];
            lower.copy_from_slice(piece);
            lower.make_ascii_lowercase();
            state.write(lower);
        }
        state.write_u8(0xff);
    }
}

/// Distinct names ignoring ASCII case, numbered in order of first appearance.
///
/// Scanning a short list beats hashing for the few dozen names of an object; past
/// [`NameIndex::SCAN_LIMIT`] names a hash map keeps a crafted body with thousands of
/// distinct names from costing a scan per name.
#[derive(Debug, Default)]
pub(super) struct NameIndex<'a> {
    names: Vec<&'a str>,
    hashed: Option<HashMap<Folded<'a>, usize>>,
}

impl<'a> NameIndex<'a> {
    const SCAN_LIMIT: usize = 64;

    /// The number of a name already seen.
    pub(super) fn find(&self, name: &str) -> Option<usize> {
        match &self.hashed {
            Some(map) => map.get(&Folded(name)).copied(),
            None => self.names.iter().position(|n| n.eq_ignore_ascii_case(name)),
        }
    }

    /// The number of a name, numbering it if it is new.
    pub(super) fn find_or_insert(&mut self, name: &'a str) -> usize {
        if let Some(found) = self.find(name) {
            return found;
        }
        let number = self.names.len();
        self.names.push(name);
        match &mut self.hashed {
            Some(map) => {
                map.insert(Folded(name), number);
            }
            None if self.names.len() > Self::SCAN_LIMIT => {
                let map = self.names.iter().enumerate().map(|(i, n)| (Folded(n), i));
                self.hashed = Some(map.collect());
            }
            None => {}
        }
        number
    }

    /// How many distinct names there are.
    pub(super) fn len(&self) -> usize {
        self.names.len()
    }

    /// The first spelling of every name, in order of first appearance.
    pub(super) fn into_names(self) -> Vec<&'a str> {
        self.names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Tree<'_> {
        Tree::parse(text).unwrap()
    }

    fn names<'a>(tree: &'a Tree<'_>, id: NodeId) -> Vec<&'a str> {
        tree.children(id).iter().map(|&c| tree.name(c)).collect()
    }

    fn texts<'a>(tree: &'a Tree<'_>, id: NodeId) -> Vec<&'a str> {
        tree.children(id).iter().map(|&c| tree.text(c)).collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn error(text: &str) -> String {
        Tree::parse(text).unwrap_err().message
    }

    #[test]
    fn parse_keeps_structure_and_order() {
        let tree = parse("<r><a>1</a><b><c>2</c></b><a /><d></d></r>");
        let root = tree.root();
        assert_eq!(tree.root_name(), "r");
        assert_eq!(names(&tree, root), ["a", "b", "a", "d"]);
        let kids = tree.children(root);
        assert_eq!(tree.text(kids[0]), "1");
        assert!(!tree.is_empty(kids[0]));
        assert_eq!(names(&tree, kids[1]), ["c"]);
        assert!(tree.is_empty(kids[2]));
        assert_eq!(tree.text(kids[3]), "");
        assert!(!tree.is_empty(kids[3]));
    }

    #[test]
    fn parse_matches_read_errors() {
        for bad in ["<r><a>1</b></r>", "<r>&nope;</r>", "<r><a", "</r>"] {
            let message = error(bad);
            assert!(message.contains("at byte"), "{bad}: {message}");
            let old = super::super::read(bad).unwrap_err().message;
            assert_eq!(message, old, "{bad}");
        }
        assert_eq!(
            error("<r><a>1</a>"),
            "malformed XML: the document ends inside an element"
        );
        assert_eq!(error(""), "malformed XML: no root element");
        assert_eq!(error("just text"), "malformed XML: no root element");
    }

    #[test]
    fn references_and_cdata_are_text() {
        let tree = parse("<r><a>x &amp; y&#x2F;z</a><b><![CDATA[<not> &amp;]]></b></r>");
        assert_eq!(texts(&tree, tree.root()), ["x & y/z", "<not> &amp;"]);
    }

    #[test]
    fn every_kind_of_reference_reads_as_read_does() {
        let doc = "<r><a>&lt;&gt;&quot;&apos;&amp;&#65;&#x42; tail</a></r>";
        let tree = parse(doc);
        assert_eq!(texts(&tree, tree.root()), ["<>\"'&AB tail"]);
        let (_, old) = super::super::read(doc).unwrap();
        assert_eq!(old["a"][0], "<>\"'&AB tail");
    }

    #[test]
    fn unescaped_text_and_names_are_borrowed() {
        let tree = parse("<r><a> spaced </a><b>x&amp;y</b><c><![CDATA[raw]]></c></r>");
        let kids = tree.children(tree.root());
        assert!(matches!(tree.text_cow(kids[0]), Cow::Borrowed(" spaced ")));
        assert!(matches!(tree.text_cow(kids[1]), Cow::Owned(_)));
        assert!(matches!(tree.text_cow(kids[2]), Cow::Borrowed("raw")));
        assert!(tree
            .nodes
            .iter()
            .all(|n| matches!(n.name, Cow::Borrowed(_))));
    }

    #[test]
    fn parent_text_is_dropped() {
        let tree = parse("<r>\n  <a>1</a>\n  tail\n</r>");
        assert_eq!(tree.text(tree.root()), "");
        assert_eq!(names(&tree, tree.root()), ["a"]);
    }

    #[test]
    fn self_closing_root() {
        let tree = parse("<?xml version=\"1.0\"?><r />");
        assert!(tree.is_empty(tree.root()));
        assert!(tree.children(tree.root()).is_empty());
    }

    #[test]
    fn from_pairs_strips_list_suffix() {
        let fields = pairs(&[("fileIds[]", "1"), ("fileIds[]", "2"), ("title", "t[]")]);
        let tree = Tree::from_pairs("form", &fields);
        assert_eq!(tree.root_name(), "form");
        assert_eq!(names(&tree, tree.root()), ["fileIds", "fileIds", "title"]);
        assert_eq!(texts(&tree, tree.root()), ["1", "2", "t[]"]);
    }

    #[test]
    fn add_missing_lets_the_body_win() {
        let body = pairs(&[("Title", "body"), ("ids", "1")]);
        let query = pairs(&[
            ("title", "query"),
            ("ids[]", "9"),
            ("new", "a"),
            ("NEW", "b"),
        ]);
        let mut tree = Tree::from_pairs("form", &body);
        tree.add_missing(&query);
        assert_eq!(names(&tree, tree.root()), ["Title", "ids", "new", "NEW"]);
        assert_eq!(texts(&tree, tree.root()), ["body", "1", "a", "b"]);
    }

    #[test]
    fn add_missing_grows_a_parsed_root() {
        let query = pairs(&[("a", "q"), ("b", "q")]);
        let mut tree = parse("<r><a>1</a><o><x>2</x></o></r>");
        tree.add_missing(&query);
        assert_eq!(names(&tree, tree.root()), ["a", "o", "b"]);
        let o = tree.children(tree.root())[1];
        assert_eq!(names(&tree, o), ["x"]);

        // A later top-level element is the root, as for `read`; its (empty) run of
        // children is not the last one, so it moves before growing.
        let mut empty = parse("<first><x /></first><r />");
        assert_eq!(empty.root_name(), "r");
        empty.add_missing(&query);
        assert!(!empty.is_empty(empty.root()));
        assert_eq!(texts(&empty, empty.root()), ["q", "q"]);
    }

    #[test]
    fn name_index_switches_to_hashing() {
        let names: Vec<String> = (0..100).map(|i| format!("Name{i}")).collect();
        let mut index = NameIndex::default();
        for (i, name) in names.iter().enumerate() {
            assert_eq!(index.find_or_insert(name), i);
        }
        assert!(index.hashed.is_some());
        assert_eq!(index.find("NAME42"), Some(42));
        assert_eq!(index.find("name100"), None);
        assert_eq!(index.len(), 100);
        assert_eq!(index.into_names(), names);
    }
}
