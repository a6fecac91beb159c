//! JSON Schema validation of a JSON value, each error turned into a classified [`Violation`].

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use jsonschema::error::ValidationErrorKind as K;
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use super::convert::ENUM_MARK;
use super::{join, Rule, Severity, Violation};

/// How deep union errors are opened up (variants of variants...) before giving up.
const UNION_DEPTH: usize = 8;
/// How many `$ref` hops a type question follows (schemas may be recursive).
const REF_DEPTH: usize = 32;

/// The converted document and validators compiled from it, one per schema pointer.
pub(super) struct Schemas {
    root: Value,
    /// Integer enum values other families know, by schema name.
    pub(super) known: BTreeMap<String, BTreeSet<i64>>,
    /// Validators by the pointer of their schema in `root`; compiled on first use.
    cache: Mutex<HashMap<String, Arc<Validator>>>,
}

impl Schemas {
    pub(super) fn new(root: Value) -> Self {
        Self {
            root,
            known: BTreeMap::new(),
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Compiles the `count` response schemas up front, so a bad document fails early.
    pub(super) fn compile_responses(&self, count: usize) -> Result<(), String> {
        for index in 0..count {
            self.validator(&response_pointer(index))
                .map_err(|e| format!("response schema #{index}: {e}"))?;
        }
        Ok(())
    }

    /// The violations of `value` against response schema `index`.
    pub(super) fn check_response(&self, index: usize, value: &Value) -> Vec<Violation> {
        self.check(&response_pointer(index), value, "", 0)
    }

    fn validator(&self, pointer: &str) -> Result<Arc<Validator>, String> {
        // A poisoned lock only means another judge panicked mid-insert; the map is still usable.
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = cache.get(pointer) {
            return Ok(Arc::clone(found));
        }
        let mut root = self.root.clone();
        if let Value::Object(map) = &mut root {
            map.insert("$ref".into(), Value::String(format!("#{pointer}")));
        }
        let compiled = jsonschema::draft7::options()
            .should_validate_formats(true)
            .build(&root)
            .map_err(|e| e.to_string())?;
        let compiled = Arc::new(compiled);
        cache.insert(pointer.to_owned(), Arc::clone(&compiled));
        Ok(compiled)
    }

    /// Validates `instance` against the schema at `pointer`; `base` prefixes the pointers.
    fn check(&self, pointer: &str, instance: &Value, base: &str, depth: usize) -> Vec<Violation> {
        let validator = match self.validator(pointer) {
            Ok(v) => v,
            Err(e) => {
                let message = format!("the judge cannot compile the schema at {pointer}: {e}");
                return vec![Violation::fail(Rule::Types, base, message)];
            }
        };
        let errors: Vec<ValidationError<'_>> = validator.iter_errors(instance).collect();
        errors
            .iter()
            .flat_map(|e| self.classify(e, pointer, base, depth))
            .collect()
    }

    fn classify(
        &self,
        e: &ValidationError<'_>,
        root: &str,
        base: &str,
        depth: usize,
    ) -> Vec<Violation> {
        let at = format!("{base}{}", e.instance_path.as_str());
        let rule = match &e.kind {
            K::Enum { .. } | K::Constant { .. } => {
                return vec![self.enum_violation(e, root, at)];
            }
            K::Required { property } => return vec![required(property, at)],
            K::AnyOf | K::OneOfNotValid => return self.union(e, root, at, depth),
            K::Minimum { .. }
            | K::Maximum { .. }
            | K::ExclusiveMinimum { .. }
            | K::ExclusiveMaximum { .. }
            | K::MinLength { .. }
            | K::MaxLength { .. }
            | K::MinItems { .. }
            | K::MaxItems { .. } => Rule::Range,
            K::Pattern { .. } | K::Format { .. } | K::BacktrackLimitExceeded { .. } => Rule::Format,
            _ => Rule::Types,
        };
        vec![Violation::fail(rule, at, e.to_string())]
    }

    /// An enum miss: fail, or warn for an integer no family knows (see [`super::Judge`]).
    fn enum_violation(&self, e: &ValidationError<'_>, root: &str, at: String) -> Violation {
        let node = self.locate(root, e.schema_path.as_str()).1;
        let mark = node.and_then(|n| n.get(ENUM_MARK));
        let (Some(mark), Some(value)) = (mark, e.instance.as_i64()) else {
            return Violation::fail(Rule::EnumDomain, at, e.to_string());
        };
        let name = mark.get("name").and_then(Value::as_str).unwrap_or_default();
        let domain = domain(node, mark);
        if self.known_for(name).is_some_and(|set| set.contains(&value)) {
            let message = format!(
                "{value} is not a {name} value in this family ({domain}); another family uses it"
            );
            return Violation::fail(Rule::EnumDomain, at, message);
        }
        Violation {
            rule: Rule::EnumDomain,
            severity: Severity::Warn,
            pointer: at,
            message: format!(
                "{value} is not a {name} value any known family uses ({domain}): a newer server?"
            ),
        }
    }

    /// The values other families know for an enum, the name matched exactly, else without
    /// regard to case (families spell some keys differently: `operation`, `Operation`).
    fn known_for(&self, name: &str) -> Option<&BTreeSet<i64>> {
        self.known.get(name).or_else(|| {
            let mut same = self
                .known
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case(name));
            same.next().map(|(_, values)| values)
        })
    }

    /// A value no variant of a union took: a type error when no variant takes its JSON type,
    /// else the errors of the variant it comes closest to.
    fn union(
        &self,
        e: &ValidationError<'_>,
        root: &str,
        at: String,
        depth: usize,
    ) -> Vec<Violation> {
        let (pointer, node) = self.locate(root, e.schema_path.as_str());
        let variants = node
            .and_then(|n| n.get("anyOf").or_else(|| n.get("oneOf")))
            .and_then(Value::as_array);
        let Some(variants) = variants else {
            return vec![Violation::fail(Rule::Types, at, e.to_string())];
        };
        let kind = json_kind(&e.instance);
        let labels: Vec<String> = variants.iter().map(|v| self.label(v, 0)).collect();
        let tried = match component_name(&pointer) {
            Some(name) => format!("{name} ({})", labels.join(" | ")),
            None => labels.join(" | "),
        };
        let generic = || {
            let shown = short(&e.instance);
            Violation::fail(
                Rule::Types,
                at.clone(),
                format!("{kind} {shown} fits none of: {tried}"),
            )
        };
        let candidates: Vec<usize> = (0..variants.len())
            .filter(|i| self.accepts(&variants[*i], kind, 0))
            .collect();
        if candidates.is_empty() || depth >= UNION_DEPTH {
            return vec![generic()];
        }
        let keyword = if node.is_some_and(|n| n.get("anyOf").is_some()) {
            "anyOf"
        } else {
            "oneOf"
        };
        let best = candidates
            .iter()
            .map(|i| {
                let here = format!("{pointer}/{keyword}/{i}");
                (*i, self.check(&here, &e.instance, &at, depth + 1))
            })
            .min_by_key(|(_, found)| {
                let fails = found
                    .iter()
                    .filter(|v| v.severity == Severity::Fail)
                    .count();
                (fails, found.len())
            });
        match best {
            Some((i, found)) if !found.is_empty() => found
                .into_iter()
                .map(|mut v| {
                    v.message = format!("{} (read as {}, one of: {tried})", v.message, labels[i]);
                    v
                })
                .collect(),
            _ => vec![generic()],
        }
    }

    /// The pointer of the schema holding a failed keyword, and that schema, following the
    /// error's schema path from the validator rooted at `root` (a `$ref` to it).
    fn locate(&self, root: &str, schema_path: &str) -> (String, Option<&Value>) {
        let mut segments: Vec<String> = schema_path
            .split('/')
            .skip(1)
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
            .collect();
        segments.pop(); // the keyword itself
        let mut pointer: Option<String> = None;
        for segment in segments {
            pointer = Some(match (&pointer, segment.as_str()) {
                (None, "$ref") => root.to_owned(),
                (Some(p), "$ref") => match self
                    .node(p)
                    .and_then(|n| n.get("$ref"))
                    .and_then(Value::as_str)
                {
                    Some(target) => target.trim_start_matches('#').to_owned(),
                    None => join(p, "$ref"),
                },
                (p, s) => join(p.as_deref().unwrap_or_default(), s),
            });
        }
        let pointer = pointer.unwrap_or_else(|| root.to_owned());
        let node = self.node(&pointer);
        (pointer, node)
    }

    fn node(&self, pointer: &str) -> Option<&Value> {
        self.root.pointer(pointer)
    }

    fn resolve<'s>(&'s self, node: &'s Value, depth: usize) -> Option<&'s Value> {
        match node.get("$ref").and_then(Value::as_str) {
            Some(target) if depth < REF_DEPTH => {
                let next = self.node(target.trim_start_matches('#'))?;
                self.resolve(next, depth + 1)
            }
            Some(_) => None,
            None => Some(node),
        }
    }

    /// Whether a schema can take some value of JSON type `kind` (ignoring everything else).
    fn accepts(&self, node: &Value, kind: &str, depth: usize) -> bool {
        let Some(node) = self.resolve(node, depth) else {
            return true;
        };
        let fits = |t: &Value| {
            t.as_str()
                .is_some_and(|t| t == kind || (t == "number" && kind == "integer"))
        };
        let mut ok = match node.get("type") {
            Some(Value::Array(types)) => types.iter().any(fits),
            Some(t) => fits(t),
            None => node
                .get("enum")
                .and_then(Value::as_array)
                .is_none_or(|values| values.iter().any(|v| json_kind(v) == kind)),
        };
        if let Some(Value::Array(all)) = node.get("allOf") {
            ok &= all.iter().all(|s| self.accepts(s, kind, depth + 1));
        }
        if let Some(Value::Array(any)) = node.get("anyOf") {
            ok &= any.iter().any(|s| self.accepts(s, kind, depth + 1));
        }
        ok
    }

    /// A short name for a variant in messages: the component, else its type.
    fn label(&self, node: &Value, depth: usize) -> String {
        if let Some(target) = node.get("$ref").and_then(Value::as_str) {
            let name = target.rsplit('/').next().unwrap_or(target);
            let nullable = target.starts_with("#/nullables/");
            return if nullable {
                format!("{name} or null")
            } else {
                name.to_owned()
            };
        }
        match node.get("type") {
            Some(Value::String(t)) if t == "array" && depth < REF_DEPTH => {
                match node.get("items") {
                    Some(items) => format!("array of {}", self.label(items, depth + 1)),
                    None => "array".into(),
                }
            }
            Some(Value::String(t)) => t.clone(),
            Some(Value::Array(types)) => {
                let names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
                names.join(" or ")
            }
            _ if node.get("properties").is_some() => "object".into(),
            _ if depth < REF_DEPTH => match node.get("anyOf").and_then(Value::as_array) {
                Some(any) => {
                    let names: Vec<String> = any.iter().map(|s| self.label(s, depth + 1)).collect();
                    format!("({})", names.join(" | "))
                }
                None => "any value".into(),
            },
            _ => "any value".into(),
        }
    }
}

/// The component a converted schema pointer is the root of (`/definitions/EntryId`).
fn component_name(pointer: &str) -> Option<&str> {
    let rest = pointer
        .strip_prefix("/definitions/")
        .or_else(|| pointer.strip_prefix("/nullables/"))?;
    (!rest.contains('/')).then_some(rest)
}

fn response_pointer(index: usize) -> String {
    format!("/responses/{index}")
}

/// A missing key: an envelope key at the root, else an ordinary required key.
fn required(property: &Value, at: String) -> Violation {
    let key = property
        .as_str()
        .map_or_else(|| property.to_string(), str::to_owned);
    let rule = if at.is_empty() {
        Rule::Envelope
    } else {
        Rule::Required
    };
    Violation::fail(
        rule,
        join(&at, &key),
        format!("the required key `{key}` is missing"),
    )
}

/// `0 Move, 1 Copy, ...`: an enum's values with their names where known.
fn domain(node: Option<&Value>, mark: &Value) -> String {
    let values = node
        .and_then(|n| n.get("enum"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let names = mark
        .get("names")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let shown: Vec<String> = values
        .iter()
        .filter(|v| !v.is_null())
        .enumerate()
        .map(|(i, v)| match names.get(i).and_then(Value::as_str) {
            Some(name) => format!("{v} {name}"),
            None => v.to_string(),
        })
        .collect();
    format!("it knows {}", shown.join(", "))
}

/// The JSON type of a value, `integer` for whole numbers.
fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0) => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A value shown in a message, cut to a readable length.
fn short(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= 60 {
        return text;
    }
    let cut: String = text.chars().take(57).collect();
    format!("{cut}...")
}
