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
