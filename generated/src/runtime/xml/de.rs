//! A [`serde::Deserializer`] over a [`Tree`] that shows it in the grouped model of
//! [`super::read`]: an element with children is a map from each child name (ignoring
//! ASCII case) to all its occurrences, a leaf is its text, `<x />` is unit.
//!
//! Nothing is coerced: text is always handed out as a string, whatever the target type
//! asks for. Turning `"12"` into a number or `"True"` into a bool is the business of a
//! layer wrapped around this one.

use std::borrow::Cow;

use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::forward_to_deserialize_any;

use super::tree::{NameIndex, NodeId, Tree};
use crate::runtime::error::DecodeError;

/// The root element of `tree`, to deserialize the whole document from.
pub fn root<'t>(tree: &'t Tree<'t>) -> Element<'t> {
    Element::new(tree, tree.root())
}

/// Every child of the root named `name` (ignoring ASCII case), possibly none: one query or
/// form parameter.
pub fn child<'t>(tree: &'t Tree<'t>, name: &str) -> Occurrences<'static, 't> {
    Occurrences::named(tree, tree.root(), name)
}

/// What an element holds, as the grouped model sees it.
#[derive(Debug, Clone, Copy)]
enum Kind<'t> {
    /// No element at all (the last of no occurrences): like `<x />`, but no items.
    Absent,
    /// `<x />`: Newtonsoft's null and empty object.
    Empty,
    Leaf(&'t str),
    Parent(&'t [NodeId]),
}

/// One element as a deserializer.
#[derive(Debug, Clone, Copy)]
pub struct Element<'t> {
    tree: &'t Tree<'t>,
    kind: Kind<'t>,
}

impl<'t> Element<'t> {
    /// The element `id` of `tree`.
    pub fn new(tree: &'t Tree<'t>, id: NodeId) -> Self {
        let children = tree.children(id);
        let kind = if !children.is_empty() {
            Kind::Parent(children)
        } else if tree.is_empty(id) {
            Kind::Empty
        } else {
            Kind::Leaf(tree.text(id))
        };
        Self { tree, kind }
    }

    fn absent(tree: &'t Tree<'t>) -> Self {
        Self {
            tree,
            kind: Kind::Absent,
        }
    }

    /// The children as a map; none for a leaf or `<x />`, which is how Newtonsoft writes
    /// an empty object.
    fn children(&self) -> Children<'t> {
        match self.kind {
            Kind::Parent(ids) => Children::new(self.tree, ids),
            _ => Children::new(self.tree, &[]),
        }
    }
}

impl<'t> de::Deserializer<'t> for Element<'t> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.kind {
            Kind::Absent | Kind::Empty => visitor.visit_unit(),
            Kind::Leaf(text) => visitor.visit_borrowed_str(text),
            Kind::Parent(_) => visitor.visit_map(self.children()),
        }
    }

    fn deserialize_option<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.kind {
            Kind::Absent | Kind::Empty => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_map<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_map(self.children())
    }

    fn deserialize_struct<V: Visitor<'t>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.deserialize_map(visitor)
    }

    /// A one-item array is written as a single element, so an element is a list of one.
    fn deserialize_seq<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.kind {
            Kind::Absent => visitor.visit_seq(One(None)),
            _ => visitor.visit_seq(One(Some(self))),
        }
    }

    fn deserialize_tuple<V: Visitor<'t>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'t>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'t>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        visitor.visit_newtype_struct(self)
    }

    /// A leaf names a unit variant; an element with children is an externally tagged
    /// variant (its first child names it).
    fn deserialize_enum<V: Visitor<'t>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        match self.kind {
            Kind::Leaf(text) => visitor.visit_enum(BorrowedStrDeserializer::new(text)),
            Kind::Parent(_) => visitor.visit_enum(MapAccessDeserializer::new(self.children())),
            Kind::Absent | Kind::Empty => self.deserialize_any(visitor),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        <W: Visitor<'t>>
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct identifier
    }
}

/// The sequence of a single element (or of none, for an absent one).
struct One<'t>(Option<Element<'t>>);

impl<'t> SeqAccess<'t> for One<'t> {
    type Error = DecodeError;

    fn next_element_seed<S: DeserializeSeed<'t>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, DecodeError> {
        self.0.take().map(|item| seed.deserialize(item)).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(usize::from(self.0.is_some()))
    }
}

/// All occurrences of one child name under one parent, in document order.
#[derive(Debug, Clone)]
pub struct Occurrences<'a, 't> {
    tree: &'t Tree<'t>,
    ids: Cow<'a, [NodeId]>,
}

impl<'a, 't> Occurrences<'a, 't> {
    /// The given elements of `tree`, taken as occurrences of one name.
    pub fn new(tree: &'t Tree<'t>, ids: Cow<'a, [NodeId]>) -> Self {
        Self { tree, ids }
    }

    /// Every child of `parent` named `name`, ignoring ASCII case.
    pub fn named(tree: &'t Tree<'t>, parent: NodeId, name: &str) -> Self {
        let ids = tree
            .children(parent)
            .iter()
            .copied()
            .filter(|&id| tree.name(id).eq_ignore_ascii_case(name))
            .collect();
        Self::new(tree, Cow::Owned(ids))
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The last occurrence: what a field that is not a list reads.
    fn last(&self) -> Element<'t> {
        match self.ids.last() {
            Some(&id) => Element::new(self.tree, id),
            None => Element::absent(self.tree),
        }
    }

    fn items(self) -> Items<'a, 't> {
        Items {
            tree: self.tree,
            ids: self.ids,
            next: 0,
        }
    }
}

/// Defers a method to the last occurrence.
macro_rules! to_last {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {$(
        fn $method<V: Visitor<'t>>(
            self,
            $($arg: $ty,)*
            visitor: V,
        ) -> Result<V::Value, DecodeError> {
            self.last().$method($($arg,)* visitor)
        }
    )*};
}

impl<'t> de::Deserializer<'t> for Occurrences<'_, 't> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match &self.ids[..] {
            [] => visitor.visit_unit(),
            [only] => Element::new(self.tree, *only).deserialize_any(visitor),
            _ => visitor.visit_seq(self.items()),
        }
    }

    fn deserialize_option<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match &self.ids[..] {
            [] => visitor.visit_none(),
            [only] if self.tree.is_empty(*only) => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_seq<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_seq(self.items())
    }

    /// A tuple is an array to Newtonsoft, so its items are the occurrences too.
    fn deserialize_tuple<V: Visitor<'t>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'t>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'t>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_unit()
    }

    to_last! {
        deserialize_bool(); deserialize_i8(); deserialize_i16(); deserialize_i32();
        deserialize_i64(); deserialize_i128(); deserialize_u8(); deserialize_u16();
        deserialize_u32(); deserialize_u64(); deserialize_u128(); deserialize_f32();
        deserialize_f64(); deserialize_char(); deserialize_str(); deserialize_string();
        deserialize_bytes(); deserialize_byte_buf(); deserialize_unit();
        deserialize_identifier(); deserialize_map();
        deserialize_unit_struct(name: &'static str);
        deserialize_newtype_struct(name: &'static str);
        deserialize_struct(name: &'static str, fields: &'static [&'static str]);
        deserialize_enum(name: &'static str, variants: &'static [&'static str]);
    }
}

/// The occurrences as a sequence of elements.
struct Items<'a, 't> {
    tree: &'t Tree<'t>,
    ids: Cow<'a, [NodeId]>,
    next: usize,
}

impl<'t> SeqAccess<'t> for Items<'_, 't> {
    type Error = DecodeError;

    fn next_element_seed<S: DeserializeSeed<'t>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, DecodeError> {
        let Some(&id) = self.ids.get(self.next) else {
            return Ok(None);
        };
        self.next += 1;
        seed.deserialize(Element::new(self.tree, id)).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.ids.len() - self.next)
    }
}

/// An element's children grouped by name (ignoring ASCII case), as a map from each name's
/// first spelling to its occurrences, in order of first appearance.
struct Children<'t> {
    tree: &'t Tree<'t>,
    keys: Vec<&'t str>,
    /// The children regrouped so each name's occurrences are contiguous (in document
    /// order); borrowed from the tree when they already are.
    members: Cow<'t, [NodeId]>,
    /// Group `g` is `members[bounds[g]..bounds[g + 1]]`.
    bounds: Vec<usize>,
    /// How many keys have been handed out.
    given: usize,
}

impl<'t> Children<'t> {
    fn new(tree: &'t Tree<'t>, ids: &'t [NodeId]) -> Self {
        Self::in_runs(tree, ids).unwrap_or_else(|| Self::regrouped(tree, ids))
    }

    /// The usual case, each name's occurrences one run (Newtonsoft writes an array's
    /// items together): the groups are the runs, and the children stay where they are.
    fn in_runs(tree: &'t Tree<'t>, ids: &'t [NodeId]) -> Option<Self> {
        let mut names = NameIndex::default();
        let mut bounds = Vec::with_capacity(ids.len() + 1);
        let mut run: Option<&str> = None;
        for (at, &id) in ids.iter().enumerate() {
            let name = tree.name(id);
            if run.is_some_and(|run| run.eq_ignore_ascii_case(name)) {
                continue;
            }
            // A name seen before, after another: not in runs.
            if names.find_or_insert(name) < bounds.len() {
                return None;
            }
            run = Some(name);
            bounds.push(at);
        }
        bounds.push(ids.len());
        Some(Self {
            tree,
            keys: names.into_names(),
            members: Cow::Borrowed(ids),
            bounds,
            given: 0,
        })
    }

    /// Any order: the children sorted by group, in document order within each.
    fn regrouped(tree: &'t Tree<'t>, ids: &'t [NodeId]) -> Self {
        let mut names = NameIndex::default();
        let group_of: Vec<usize> = ids
            .iter()
            .map(|&id| names.find_or_insert(tree.name(id)))
            .collect();
        let mut counts = vec![0; names.len()];
        for &group in &group_of {
            counts[group] += 1;
        }
        let bounds = prefix_sums(&counts);
        Self {
            tree,
            keys: names.into_names(),
            members: Cow::Owned(regroup(ids, &group_of, &bounds)),
            bounds,
            given: 0,
        }
    }
}

/// `[0, c0, c0 + c1, …]`: where each group starts, and the end.
fn prefix_sums(counts: &[usize]) -> Vec<usize> {
    let mut bounds = Vec::with_capacity(counts.len() + 1);
    let mut total = 0;
    bounds.push(total);
    for count in counts {
        total += count;
        bounds.push(total);
    }
    bounds
}

/// A counting sort of `ids` by group, keeping document order within each group.
fn regroup(ids: &[NodeId], group_of: &[usize], bounds: &[usize]) -> Vec<NodeId> {
    let mut members = ids.to_vec();
    let mut slot = bounds.to_vec();
    for (&id, &group) in ids.iter().zip(group_of) {
        members[slot[group]] = id;
        slot[group] += 1;
    }
    members
}

impl<'t> MapAccess<'t> for Children<'t> {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'t>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DecodeError> {
        let Some(&key) = self.keys.get(self.given) else {
            return Ok(None);
        };
        self.given += 1;
        seed.deserialize(BorrowedStrDeserializer::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'t>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, DecodeError> {
        let group = self
            .given
            .checked_sub(1)
            .ok_or_else(|| DecodeError::new("", "a map value was asked for before its key"))?;
        let range = self.bounds[group]..self.bounds[group + 1];
        let ids = Cow::Borrowed(&self.members[range]);
        seed.deserialize(Occurrences::new(self.tree, ids))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.keys.len() - self.given)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;
    use serde_json::{json, Value};

    use super::*;

    fn read<'t, T: Deserialize<'t>>(tree: &'t Tree<'t>) -> Result<T, DecodeError> {
        T::deserialize(root(tree))
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Inner {
        b: String,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct S {
        a: String,
        #[serde(default)]
        list: Vec<String>,
        opt: Option<String>,
        nested: Option<Inner>,
    }

    fn s(text: &str) -> S {
        read(&Tree::parse(text).unwrap()).unwrap()
    }

    #[test]
    fn derived_struct() {
        let got = s("<result><a>x</a><list>1</list><list>2</list><opt />\
                     <nested><b>y</b></nested></result>");
        let want = S {
            a: "x".into(),
            list: vec!["1".into(), "2".into()],
            opt: None,
            nested: Some(Inner { b: "y".into() }),
        };
        assert_eq!(got, want);
    }

    #[test]
    fn one_item_and_absent_lists() {
        assert_eq!(s("<r><a>x</a><list>1</list></r>").list, ["1"]);
        let absent = s("<r><a>x</a></r>");
        assert!(absent.list.is_empty());
        assert_eq!((absent.opt, absent.nested), (None, None));
    }

    #[test]
    fn repeated_names_need_not_be_consecutive() {
        let got = s("<r><list>1</list><a>x</a><list>2</list><opt>o</opt><list>3</list></r>");
        assert_eq!(got.list, ["1", "2", "3"]);
        assert_eq!(got.opt.as_deref(), Some("o"));
    }

    #[test]
    fn names_group_ignoring_ascii_case() {
        let tree = Tree::parse("<r><ids>1</ids><IDS>2</IDS><x>a</x><Ids>3</Ids></r>").unwrap();
        let map: BTreeMap<String, Value> = read(&tree).unwrap();
        assert_eq!(map.len(), 2);
        assert_eq!(map["ids"], json!(["1", "2", "3"]));

        let body = [("fileIds".to_string(), "1".to_string())];
        let query = [("FILEIDS[]".to_string(), "2".to_string())];
        let both: Vec<_> = body.iter().chain(&query).cloned().collect();
        let form = Tree::from_pairs("form", &both);
        let ids: Vec<String> = Vec::deserialize(child(&form, "fileids")).unwrap();
        assert_eq!(ids, ["1", "2"]);
        assert!(child(&form, "missing").is_empty());
        let none: Option<String> = Option::deserialize(child(&form, "missing")).unwrap();
        assert_eq!(none, None);
    }

    #[test]
    fn empty_text_is_some_and_self_closing_is_none() {
        assert_eq!(s("<r><a>x</a><opt></opt></r>").opt.as_deref(), Some(""));
        assert_eq!(s("<r><a>x</a><opt /></r>").opt, None);
        let tree = Tree::parse("<r><a /></r>").unwrap();
        let a: Option<Vec<String>> = Option::deserialize(child(&tree, "a")).unwrap();
        assert_eq!(a, None);
    }

    #[test]
    fn a_field_that_is_no_list_takes_the_last_occurrence() {
        assert_eq!(s("<r><a>first</a><a>last</a></r>").a, "last");
    }

    #[test]
    fn leaves_and_empty_elements_are_empty_objects() {
        #[derive(Debug, Deserialize, PartialEq, Default)]
        #[serde(default)]
        struct D {
            x: Option<String>,
        }
        let tree = Tree::parse("<r><e /><l>text</l></r>").unwrap();
        let e: D = D::deserialize(child(&tree, "e")).unwrap();
        let l: D = D::deserialize(child(&tree, "l")).unwrap();
        assert_eq!((e, l), (D::default(), D::default()));
    }

    #[test]
    fn no_coercion_text_stays_text() {
        let tree = Tree::parse("<r><n>12</n></r>").unwrap();
        let err = u32::deserialize(child(&tree, "n")).unwrap_err();
        assert_eq!(err.pointer, "");
        assert!(err.message.contains("invalid type: string \"12\""), "{err}");
        let text: &str = Deserialize::deserialize(child(&tree, "n")).unwrap();
        assert_eq!(text, "12");
    }

    #[test]
    fn enums_from_text_and_from_a_tagged_child() {
        #[derive(Debug, Deserialize, PartialEq)]
        enum E {
            Plain,
            Wrapped { v: String },
        }
        let tree = Tree::parse("<r><e>Plain</e><w><Wrapped><v>1</v></Wrapped></w></r>").unwrap();
        assert_eq!(E::deserialize(child(&tree, "e")).unwrap(), E::Plain);
        let wrapped = E::deserialize(child(&tree, "w")).unwrap();
        assert_eq!(wrapped, E::Wrapped { v: "1".into() });
    }

    #[test]
    fn missing_field_is_a_decode_error() {
        let tree = Tree::parse("<r><list>1</list></r>").unwrap();
        let err = read::<S>(&tree).unwrap_err();
        assert_eq!(err, DecodeError::new("", "missing field `a`"));
    }

    /// The old grouped value with single occurrences unwrapped, like conform's
    /// `xml_to_plain`.
    fn plain(value: Value) -> Value {
        match value {
            Value::Array(mut items) if items.len() == 1 => plain(items.remove(0)),
            Value::Array(items) => Value::Array(items.into_iter().map(plain).collect()),
            Value::Object(map) => {
                Value::Object(map.into_iter().map(|(k, v)| (k, plain(v))).collect())
            }
            v => v,
        }
    }

    const ENVELOPE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<result>
  <count>2</count>
  <response>
    <id>1</id>
    <title>a &amp; b</title>
    <createdBy>
      <id>u1</id>
      <displayName>Ann</displayName>
      <avatarSmall />
    </createdBy>
    <tags>x</tags>
    <tags>y</tags>
    <comment></comment>
  </response>
  <response>
    <id>2</id>
    <title><![CDATA[<b>]]></title>
    <createdBy>
      <id>u2</id>
      <displayName>Bob</displayName>
      <avatarSmall>/a.png</avatarSmall>
    </createdBy>
    <tags>z</tags>
    <meta />
  </response>
  <status>0</status>
  <statusCode>200</statusCode>
</result>
"#;

    #[test]
    fn any_view_equals_the_old_grouped_view_ungrouped() {
        let docs = [
            ENVELOPE,
            "<result><count>0</count><status>0</status><statusCode>200</statusCode></result>",
            "<result />",
            "<result></result>",
            "<result>  text  </result>",
            "<r><a><b><c>deep</c></b></a><a>flat</a><e /></r>",
            "<r><x>1</x><y>2</y><x>3</x></r>",
            "<r>\r\n<a>line\r\nbreak</a>\r\n</r>",
        ];
        for doc in docs {
            let (_, old) = super::super::read(doc).unwrap();
            let tree = Tree::parse(doc).unwrap();
            let new = Value::deserialize(root(&tree)).unwrap();
            assert_eq!(new, plain(old), "{doc}");
        }
    }

    #[test]
    fn the_envelope_reads_into_structs() {
        #[derive(Debug, Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Envelope {
            count: String,
            response: Vec<Value>,
            status_code: String,
        }
        let tree = Tree::parse(ENVELOPE).unwrap();
        let envelope: Envelope = read(&tree).unwrap();
        assert_eq!(
            (envelope.count.as_str(), envelope.status_code.as_str()),
            ("2", "200")
        );
        assert_eq!(envelope.response[1]["createdBy"]["avatarSmall"], "/a.png");
        assert_eq!(envelope.response[0]["tags"], json!(["x", "y"]));
        assert_eq!(envelope.response[1]["meta"], Value::Null);
    }

    #[test]
    fn malformed_input_errors_without_panicking() {
        let bad = [
            "<r><a>1</b></r>",
            "<r>&nope;</r>",
            "<r><a>1</a>",
            "<r",
            "",
            "</r>",
        ];
        for doc in bad {
            assert!(Tree::parse(doc).is_err(), "{doc}");
        }
        // Every truncation of a real answer either fails to parse or reads.
        for end in 0..ENVELOPE.len() {
            let Some(prefix) = ENVELOPE.get(..end) else {
                continue;
            };
            if let Ok(tree) = Tree::parse(prefix) {
                let _ = Value::deserialize(root(&tree));
            }
        }
    }

    #[test]
    fn many_siblings_group_in_order() {
        let mut doc = String::from("<result><count>1000</count>");
        for i in 0..1000 {
            doc.push_str(&format!(
                "<response><id>{i}</id><f{}>v</f{}></response>",
                i % 50,
                i % 50
            ));
        }
        doc.push_str("<status>0</status><other>a</other><Response><id>x</id></Response></result>");
        let tree = Tree::parse(&doc).unwrap();
        let map: BTreeMap<String, Value> = read(&tree).unwrap();
        let responses = map["response"].as_array().unwrap();
        assert_eq!(responses.len(), 1001);
        assert_eq!(responses[999]["id"], "999");
        assert_eq!(responses[1000]["id"], "x");
        assert_eq!(map.len(), 4);

        let wide: String = (0..200).map(|i| format!("<k{i}>{i}</k{i}>")).collect();
        let wide = format!("<r>{wide}<K7>again</K7></r>");
        let tree = Tree::parse(&wide).unwrap();
        let map: BTreeMap<String, Value> = read(&tree).unwrap();
        assert_eq!(map.len(), 200);
        assert_eq!(map["k7"], json!(["7", "again"]));
    }
}
