//! XML answers: a small quick-xml tree reader with positions, and the schema-guided reading
//! of that tree into the JSON value Newtonsoft converted it from (reference §4b).
//!
//! Newtonsoft writes the JSON `{"result": answer}` as XML: children in key order; an array as
//! one sibling per item named after the property (so one item looks like a single element and
//! an empty array writes nothing); null (and `{}`) as `<x />`; `""` as `<x></x>`; booleans as
//! `true`/`false`; numbers as invariant text. Reading back needs the schema to tell a one-item
//! list from a single value and a number from a string.

use quick_xml::events::Event;
use quick_xml::Reader;
use serde_json::{Map, Number, Value};

use super::wire::position;
use super::{join, Rule, Violation};

/// How many `$ref` hops the reader follows when looking a schema up.
const REF_DEPTH: usize = 32;
/// How deep elements may nest: serde_json's limit for JSON, and a bound on the reader's
/// recursion, so a hostile body cannot overflow the stack.
const MAX_DEPTH: usize = 128;

/// One element of the document.
#[derive(Debug)]
pub(super) struct Element {
    name: String,
    children: Vec<Element>,
    text: String,
    /// Written `<x />`: null (or `{}`), unlike `<x></x>`, the empty string.
    self_closing: bool,
    line: usize,
    column: usize,
}

impl Element {
    fn new(name: String, self_closing: bool, (line, column): (usize, usize)) -> Self {
        Self {
            name,
            children: Vec::new(),
            text: String::new(),
            self_closing,
            line,
            column,
        }
    }

    fn place(&self) -> String {
        format!("line {}, column {}", self.line, self.column)
    }
}

/// Parses the document into its root element; an error is the message for `wire.syntax`,
/// with the line and column.
pub(super) fn parse(text: &str) -> Result<Element, String> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut lines = Lines::new(text);
    let offset = |o: u64| usize::try_from(o).unwrap_or(usize::MAX);
    let malformed = |o: u64, what: &dyn std::fmt::Display| {
        let (line, column) = position(text, offset(o));
        format!("malformed XML at line {line}, column {column}: {what}")
    };
    loop {
        let start = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| malformed(reader.error_position(), &e))?;
        match event {
            Event::Start(_) | Event::Empty(_) if stack.is_empty() && root.is_some() => {
                return Err(malformed(start, &"a second root element"));
            }
            Event::Start(_) if stack.len() >= MAX_DEPTH => {
                return Err(malformed(
                    start,
                    &format!("elements nested deeper than {MAX_DEPTH}"),
                ));
            }
            Event::Start(tag) => {
                stack.push(Element::new(name(&tag)?, false, lines.at(offset(start))))
            }
            Event::Empty(tag) => {
                let element = Element::new(name(&tag)?, true, lines.at(offset(start)));
                attach(&mut stack, &mut root, element);
            }
            Event::Text(t) => {
                let text = t.xml10_content();
                match stack.last_mut() {
                    Some(open) => open.text.push_str(&text),
                    None if text.trim().is_empty() => {}
                    None => return Err(malformed(start, &"text outside the root element")),
                }
            }
            // quick-xml reports `&amp;` and `&#x2F;` as events of their own.
            Event::GeneralRef(reference) => {
                let text = fileops_api::runtime::xml::resolve_reference(&reference)
                    .map_err(|e| malformed(start, &e))?;
                match stack.last_mut() {
                    Some(open) => open.text.push_str(&text),
                    None => return Err(malformed(start, &"a reference outside the root element")),
                }
            }
            Event::CData(c) => {
                let data = c.into_inner().into_owned();
                match stack.last_mut() {
                    Some(open) => open.text.push_str(&data),
                    None => return Err(malformed(start, &"CDATA outside the root element")),
                }
            }
            Event::End(_) => {
                // The reader checks that end tags match, so an End always has an open element.
                if let Some(element) = stack.pop() {
                    attach(&mut stack, &mut root, element);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(format!(
            "malformed XML: the document ends inside <{}> opened at {}",
            open.name,
            open.place()
        ));
    }
    root.ok_or_else(|| "malformed XML: no root element".to_owned())
}

/// Lines and columns of offsets met front to back, each counted from the previous one, so
/// placing every element of a large document stays linear.
struct Lines<'t> {
    text: &'t str,
    offset: usize,
    line: usize,
    column: usize,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text,
            offset: 0,
            line: 1,
            column: 1,
        }
    }

    fn at(&mut self, offset: usize) -> (usize, usize) {
        let mut end = offset.min(self.text.len());
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        if end < self.offset {
            return position(self.text, end);
        }
        for c in self.text[self.offset..end].chars() {
            if c == '\n' {
                self.line += 1;
                self.column = 1;
            } else {
                self.column += 1;
            }
        }
        self.offset = end;
        (self.line, self.column)
    }
}

fn name(tag: &quick_xml::events::BytesStart<'_>) -> Result<String, String> {
    Ok(tag.name().as_ref().to_owned())
}

fn attach(stack: &mut [Element], root: &mut Option<Element>, element: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None => *root = Some(element),
    }
}

/// What a schema says about the value at one place, `$ref`s followed and `allOf` merged.
#[derive(Default)]
struct View<'d> {
    ty: Option<&'d str>,
    nullable: bool,
    properties: Vec<(&'d str, &'d Value)>,
    items: Option<&'d Value>,
    additional: Option<&'d Value>,
    variants: Vec<&'d Value>,
}

impl<'d> View<'d> {
    fn property(&self, name: &str) -> Option<&'d Value> {
        let own = self.properties.iter().find(|(k, _)| *k == name);
        own.map(|(_, s)| *s)
            .or(self.additional.filter(|a| a.is_object()))
    }

    fn is_array(&self) -> bool {
        self.ty == Some("array")
    }

    fn is_object(&self) -> bool {
        self.ty == Some("object") || (self.ty.is_none() && !self.properties.is_empty())
    }
}

/// Reads an element tree into JSON, guided by the OpenAPI schemas, collecting `wire.xml`
/// violations.
pub(super) struct Guide<'d> {
    components: &'d Map<String, Value>,
    found: Vec<Violation>,
}

impl<'d> Guide<'d> {
    pub(super) fn new(components: &'d Map<String, Value>) -> Self {
        Self {
            components,
            found: Vec::new(),
        }
    }

    /// The JSON reading of the document and the XML violations found on the way.
    pub(super) fn read(
        mut self,
        root: &Element,
        schema: Option<&'d Value>,
    ) -> (Value, Vec<Violation>) {
        if root.name != "result" {
            self.xml(
                "",
                format!(
                    "the root element is <{}>; Newtonsoft writes <result>",
                    root.name
                ),
            );
        }
        let value = self.value(root, schema, "");
        (value, self.found)
    }

    fn xml(&mut self, pointer: &str, message: String) {
        self.found
            .push(Violation::fail(Rule::Xml, pointer, message));
    }

    fn view(&self, schema: &'d Value, depth: usize) -> View<'d> {
        let mut view = View::default();
        self.merge(&mut view, schema, depth);
        view
    }

    fn merge(&self, view: &mut View<'d>, schema: &'d Value, depth: usize) {
        if depth > REF_DEPTH {
            return;
        }
        if schema.get("nullable") == Some(&Value::Bool(true)) {
            view.nullable = true;
        }
        if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
            if let Some(next) = self.component(target) {
                self.merge(view, next, depth + 1);
            }
            return;
        }
        self.merge_type(view, schema);
        if let Some(Value::Object(properties)) = schema.get("properties") {
            view.properties
                .extend(properties.iter().map(|(k, v)| (k.as_str(), v)));
        }
        view.items = view.items.or(schema.get("items"));
        view.additional = view.additional.or(schema.get("additionalProperties"));
        for member in list(schema, "allOf") {
            self.merge(view, member, depth + 1);
        }
        view.variants.extend(list(schema, "anyOf"));
        view.variants.extend(list(schema, "oneOf"));
    }

    fn merge_type(&self, view: &mut View<'d>, schema: &'d Value) {
        match schema.get("type") {
            Some(Value::String(t)) => view.ty = view.ty.or(Some(t.as_str())),
            Some(Value::Array(types)) => {
                view.nullable |= types.iter().any(|t| t == "null");
                let first = types
                    .iter()
                    .filter_map(Value::as_str)
                    .find(|t| *t != "null");
                view.ty = view.ty.or(first);
            }
            _ => {}
        }
        if view.ty.is_none() {
            // An untyped enum takes the type of its values.
            let values = schema.get("enum").and_then(Value::as_array);
            let first = values.and_then(|v| v.iter().find(|x| !x.is_null()));
            view.ty = first.map(|v| match v {
                Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
                Value::Number(_) => "number",
                Value::Bool(_) => "boolean",
                _ => "string",
            });
        }
    }

    fn component(&self, target: &str) -> Option<&'d Value> {
        let name = target.strip_prefix("#/components/schemas/")?;
        self.components.get(name)
    }

    /// The view for an element, its unions resolved to the variants the element fits best
    /// and merged in (an `allOf` may mix plain members with unions).
    fn view_for(&self, el: &Element, schema: Option<&'d Value>, many: bool) -> View<'d> {
        let Some(schema) = schema else {
            return View::default();
        };
        let mut view = self.view(schema, 0);
        for _ in 0..REF_DEPTH {
            let variants = std::mem::take(&mut view.variants);
            let Some(chosen) = self.choose(el, &variants, many) else {
                break;
            };
            self.merge(&mut view, chosen, 0);
        }
        view
    }

    /// The variant an element (or, with `many`, a run of same-named elements) fits best.
    fn choose(&self, el: &Element, variants: &[&'d Value], many: bool) -> Option<&'d Value> {
        let views: Vec<View<'d>> = variants.iter().map(|v| self.view(v, 0)).collect();
        let pick = |fits: &dyn Fn(&View<'d>) -> bool| views.iter().position(fits);
        let index = if many {
            pick(&|v| v.is_array())
        } else if !el.children.is_empty() {
            let names: Vec<&str> = el.children.iter().map(|c| c.name.as_str()).collect();
            let score = |v: &View<'d>| {
                let known = names
                    .iter()
                    .filter(|n| v.properties.iter().any(|(k, _)| k == *n));
                known.count()
            };
            let objects = (0..views.len()).filter(|i| views[*i].is_object());
            objects.max_by_key(|i| (score(&views[*i]), usize::MAX - i))
        } else {
            pick(&|v| scalar_fits(v.ty, &el.text))
        };
        variants.get(index.unwrap_or(0)).copied()
    }

    /// One element's value.
    fn value(&mut self, el: &Element, schema: Option<&'d Value>, at: &str) -> Value {
        let view = self.view_for(el, schema, false);
        if !el.children.is_empty() {
            if !el.text.trim().is_empty() {
                let text = el.text.trim().to_owned();
                self.xml(
                    at,
                    format!(
                        "<{}> at {} has text `{text}` beside child elements",
                        el.name,
                        el.place()
                    ),
                );
            }
            return self.object(el, &view, at);
        }
        if el.self_closing {
            // `<x />` is null, or `{}` where only an object can be.
            return if view.is_object() && !view.nullable {
                Value::Object(Map::new())
            } else {
                Value::Null
            };
        }
        self.scalar(el, view.ty, at)
    }

    fn object(&mut self, el: &Element, view: &View<'d>, at: &str) -> Value {
        let mut groups: Vec<(&str, Vec<&Element>)> = Vec::new();
        for child in &el.children {
            match groups.iter_mut().find(|(name, _)| *name == child.name) {
                Some((_, run)) => run.push(child),
                None => groups.push((&child.name, vec![child])),
            }
        }
        let mut map = Map::new();
        for (name, run) in groups {
            let here = join(at, name);
            let value = self.property(&run, view.property(name), &here);
            map.insert(name.to_owned(), value);
        }
        // An empty array writes no element: an absent array property was `[]`.
        for (name, schema) in &view.properties {
            if !map.contains_key(*name) && self.view(schema, 0).is_array() {
                map.insert((*name).to_owned(), Value::Array(Vec::new()));
            }
        }
        Value::Object(map)
    }

    /// The value of a run of same-named sibling elements.
    fn property(&mut self, run: &[&Element], schema: Option<&'d Value>, at: &str) -> Value {
        let Some(first) = run.first() else {
            return Value::Null;
        };
        let view = self.view_for(first, schema, run.len() > 1);
        if view.is_array() {
            let lone_null = run.len() == 1 && first.self_closing && first.children.is_empty();
            if lone_null && view.nullable {
                return Value::Null;
            }
            return self.items(run, view.items, at);
        }
        if run.len() == 1 {
            return self.value(first, schema, at);
        }
        if schema.is_some() {
            let places: Vec<String> = run.iter().map(|e| e.place()).collect();
            self.xml(
                at,
                format!(
                    "<{}> occurs {} times ({}), but it is not a list",
                    first.name,
                    run.len(),
                    places.join("; ")
                ),
            );
        }
        self.items(run, schema, at)
    }

    fn items(&mut self, run: &[&Element], schema: Option<&'d Value>, at: &str) -> Value {
        let items = run
            .iter()
            .enumerate()
            .map(|(i, el)| self.value(el, schema, &join(at, &i.to_string())))
            .collect();
        Value::Array(items)
    }

    /// A leaf's text as the schema's scalar type; text that does not parse stays a string so
    /// the schema reports the type.
    fn scalar(&mut self, el: &Element, ty: Option<&str>, at: &str) -> Value {
        let text = el.text.as_str();
        match ty {
            Some("integer") if is_integer(text) => number(text),
            Some("number") if is_number(text) => number(text),
            Some("boolean") => match text {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => {
                    self.xml(
                        at,
                        format!(
                            "<{}> at {}: XML booleans are `true`/`false`, not `{text}`",
                            el.name,
                            el.place()
                        ),
                    );
                    Value::String(text.to_owned())
                }
            },
            _ => Value::String(text.to_owned()),
        }
    }
}

fn list<'d>(schema: &'d Value, key: &str) -> impl Iterator<Item = &'d Value> {
    schema
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

/// Invariant integer text as .NET writes it: `-?(0|[1-9][0-9]*)`.
fn is_integer(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
}

/// Number text in JSON's grammar (which the invariant culture's output fits).
fn is_number(text: &str) -> bool {
    text.trim() == text && serde_json::from_str::<Number>(text).is_ok()
}

fn number(text: &str) -> Value {
    serde_json::from_str::<Number>(text)
        .map_or_else(|_| Value::String(text.to_owned()), Value::Number)
}

fn scalar_fits(ty: Option<&str>, text: &str) -> bool {
    match ty {
        Some("integer") => is_integer(text),
        Some("number") => is_number(text),
        Some("boolean") => text == "true" || text == "false",
        Some("string") | None => true,
        _ => false,
    }
}
