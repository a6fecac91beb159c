//! Requests built from an operation's catalogue data alone: its method, path template,
//! parameters and body shape, in the target dialect. Nothing here names an operation.
//!
//! How values are chosen:
//! - **Entry ids** are values of shape `EntryId`, and integers whose name ends in `Id`/`Ids`
//!   (DocSpace's `deleteversion` takes `fileId` as a plain int, reference §2a). They get fresh
//!   entries, picked by **the one naming convention the builder relies on**: a name containing
//!   `dest` takes the destination folder, one containing `folder` the source folder, any other
//!   (`fileIds`, `fileId`, `templateId`) the file. A list of ids holds one id.
//! - Booleans are `false`, enums their first variant in the dialect written in the dialect's
//!   wire form (a number where the dialect writes numbers, so `{operationType}` becomes `0`
//!   and never a literal route like `move`, reference §5), other integers and numbers `1`
//!   (`0` is out of range for DocSpace's `count`, reference §13.2), strings the fill's text
//!   (a GUID-like operation id, reference §6), lists of anything but ids `[]` (for
//!   `deleteversion`'s `versions`, `[]` deletes the whole file, §13.8, so a request that
//!   should have been refused has a visible effect).
//! - Required values are always sent; optional ones only when they are entry ids (the
//!   selection an operation acts on, unless the fill asks for none) or the value under
//!   test, so every other optional value takes the server's default.
//! - Only top-level parameters and body fields are slots a check may replace; header
//!   parameters are not sent (the catalogue has none).

use fileops_api::runtime::operation::{OperationInfo, ParamInfo, ParamLocation};
use fileops_api::runtime::shape::{EnumShape, EnumWire, Field, ObjectShape, Shape};
use fileops_api::runtime::Dialect;
use serde_json::{json, Value};

/// A date for `Date` values (the dialects' own format, reference §7).
const A_DATE: &str = "2026-01-01T00:00:00.0000000Z";

/// The entries a request may name.
#[derive(Debug, Clone, Copy)]
pub struct Entries {
    /// A file.
    pub file: i64,
    /// A source folder.
    pub folder: i64,
    /// A destination folder (not inside `folder`).
    pub dest: i64,
}

impl Entries {
    /// The entry a value named `name` takes, by the naming convention above.
    pub fn named(&self, name: &str) -> i64 {
        let name = name.to_ascii_lowercase();
        if name.contains("dest") {
            self.dest
        } else if name.contains("folder") {
            self.folder
        } else {
            self.file
        }
    }
}

/// What a request is filled with.
#[derive(Debug, Clone)]
pub struct Fill {
    /// Entries for id values; without them optional ids are left out and an operation that
    /// requires one cannot be built.
    pub entries: Option<Entries>,
    /// Whether optional ids (the selection) are sent; without them an operation acts on an
    /// empty selection.
    pub select: bool,
    /// The text of every string value.
    pub text: String,
}

/// A top-level parameter or body field: what a check may replace.
#[derive(Debug, Clone, Copy)]
pub enum Slot {
    /// A parameter.
    Param(&'static ParamInfo),
    /// A field of the body object.
    Field(&'static Field),
}

/// Where a slot travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A header (not sent).
    Header,
    /// The JSON body.
    Body,
}

impl PartialEq for Slot {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Slot::Param(a), Slot::Param(b)) => std::ptr::eq(*a, *b),
            (Slot::Field(a), Slot::Field(b)) => std::ptr::eq(*a, *b),
            _ => false,
        }
    }
}

impl Slot {
    /// Its name on the wire in `dialect`.
    pub fn name(self, dialect: &Dialect) -> &'static str {
        match self {
            Slot::Param(p) => p.name,
            Slot::Field(f) => f.wire_name(dialect.name),
        }
    }

    /// Its value's shape.
    pub fn shape(self) -> &'static Shape {
        match self {
            Slot::Param(p) => p.shape,
            Slot::Field(f) => f.shape,
        }
    }

    /// Where it travels.
    pub fn place(self) -> Place {
        match self {
            Slot::Param(p) => match p.location {
                ParamLocation::Path => Place::Path,
                ParamLocation::Query => Place::Query,
                ParamLocation::Header => Place::Header,
            },
            Slot::Field(_) => Place::Body,
        }
    }
}

/// A value replacing one slot's.
#[derive(Debug, Clone)]
pub struct Replace {
    /// The slot.
    pub slot: Slot,
    /// Its value (text for parameters: strings as they are, lists repeated).
    pub value: Value,
}

/// A request ready to send.
#[derive(Debug, Clone)]
pub struct Built {
    /// The method.
    pub method: &'static str,
    /// The path with its query string.
    pub path: String,
    /// The JSON body, if the operation takes one.
    pub body: Option<String>,
}

/// The operation's slots in `dialect`: its parameters, then its body object's fields.
pub fn slots(op: &'static OperationInfo, dialect: &Dialect) -> Vec<Slot> {
    let params = op
        .params
        .iter()
        .filter(|p| dialect.is_in(p.dialects))
        .map(Slot::Param);
    let fields: Vec<Slot> = match op.body {
        Some(Shape::Object(object)) => object
            .fields
            .iter()
            .filter(|f| dialect.is_in(f.dialects))
            .map(Slot::Field)
            .collect(),
        _ => Vec::new(),
    };
    params.chain(fields).collect()
}

/// Whether a slot holds entry ids (one or a list), by shape and the naming convention.
pub fn holds_ids(name: &str, shape: &Shape) -> bool {
    match shape {
        Shape::EntryId => true,
        Shape::Integer => name.ends_with("Id") || name.ends_with("Ids"),
        Shape::Array(inner) => !matches!(inner, Shape::Array(_)) && holds_ids(name, inner),
        _ => false,
    }
}

/// Whether a slot holds exactly one entry id (a destination, a parent, a file).
pub fn holds_one_id(name: &str, shape: &Shape) -> bool {
    holds_ids(name, shape) && !matches!(shape, Shape::Array(_))
}

/// Whether the operation names any entry in `dialect`.
pub fn names_entries(op: &'static OperationInfo, dialect: &Dialect) -> bool {
    slots(op, dialect)
        .iter()
        .any(|s| holds_ids(s.name(dialect), s.shape()))
}

/// The request for `op` in `dialect`, with `replace` instead of one slot's value; `None`
/// when a required value cannot be made (an id without entries, a path segment left open).
pub fn build(
    op: &'static OperationInfo,
    dialect: &Dialect,
    fill: &Fill,
    replace: Option<&Replace>,
) -> Option<Built> {
    let mut path = op.path.to_owned();
    let mut query = Vec::new();
    for param in op.params.iter().filter(|p| dialect.is_in(p.dialects)) {
        let Some(value) = slot_value(Slot::Param(param), dialect, fill, replace)? else {
            continue;
        };
        match param.location {
            ParamLocation::Path => {
                let segment = encode(&texts(&value).join(","));
                path = path.replace(&format!("{{{}}}", param.name), &segment);
            }
            ParamLocation::Query => query.extend(
                texts(&value)
                    .iter()
                    .map(|t| format!("{}={}", encode(param.name), encode(t))),
            ),
            ParamLocation::Header => {}
        }
    }
    if path.contains('{') {
        return None;
    }
    if !query.is_empty() {
        path = format!("{path}?{}", query.join("&"));
    }
    let body = match op.body {
        None => None,
        Some(Shape::Object(object)) => Some(object_value(object, dialect, fill, replace)?),
        Some(other) => Some(value("body", other, dialect, fill)?),
    };
    Some(Built {
        method: op.method,
        path,
        body: body.map(|b| b.to_string()),
    })
}

/// A slot's value: the replacement, the built value, or `Some(None)` when it is left out.
fn slot_value(
    slot: Slot,
    dialect: &Dialect,
    fill: &Fill,
    replace: Option<&Replace>,
) -> Option<Option<Value>> {
    if let Some(r) = replace.filter(|r| r.slot == slot) {
        return Some(Some(r.value.clone()));
    }
    let required = match slot {
        Slot::Param(p) => p.required,
        Slot::Field(f) => f.required,
    };
    let (name, shape) = (slot.name(dialect), slot.shape());
    if required || (holds_ids(name, shape) && fill.select && fill.entries.is_some()) {
        value(name, shape, dialect, fill).map(Some)
    } else {
        Some(None)
    }
}

fn object_value(
    object: &'static ObjectShape,
    dialect: &Dialect,
    fill: &Fill,
    replace: Option<&Replace>,
) -> Option<Value> {
    let mut map = serde_json::Map::new();
    for field in object.fields.iter().filter(|f| dialect.is_in(f.dialects)) {
        if let Some(v) = slot_value(Slot::Field(field), dialect, fill, replace)? {
            map.insert(field.wire_name(dialect.name).to_owned(), v);
        }
    }
    Some(Value::Object(map))
}

/// A valid value of `shape` for a slot named `name`.
fn value(name: &str, shape: &'static Shape, dialect: &Dialect, fill: &Fill) -> Option<Value> {
    if holds_ids(name, shape) {
        let id = fill.entries?.named(name);
        return Some(match shape {
            Shape::Array(_) => json!([id]),
            _ => json!(id),
        });
    }
    Some(match shape {
        Shape::Bool => Value::Bool(false),
        Shape::Integer | Shape::Number => json!(1),
        Shape::String => json!(fill.text),
        Shape::Date => json!(A_DATE),
        Shape::Enum(e) => first_variant(e, dialect)?,
        Shape::Array(_) => json!([]),
        Shape::Object(object) => object_value(object, dialect, fill, None)?,
        Shape::Map(_) | Shape::Any => json!({}),
        Shape::OneOf(one) => value(name, one.variants.first()?.1, dialect, fill)?,
        Shape::EntryId => return None,
    })
}

/// The enum's first variant that exists in the dialect, in the dialect's wire form.
fn first_variant(e: &EnumShape, dialect: &Dialect) -> Option<Value> {
    let (name, number) = e
        .variants
        .iter()
        .find(|(_, n)| e.in_dialect(*n, dialect.name))?;
    Some(match e.wire_in(dialect.name) {
        EnumWire::Integer => json!(number),
        EnumWire::Name => json!(name),
    })
}

/// A wrong-typed value both families refuse for `shape`, if it has one: a non-numeric text
/// for an integer (DocSpace's `AllowReadingFromString` reads numeric text only, §2a; Workspace's
/// converters fail, §2c), a word that is no boolean (§2a, §2c), an unknown name for an enum
/// unless the dialect maps unknown input to a variant (DocSpace's `FileShare`, §5). Entry ids
/// have none: DocSpace ignores odd kinds in id lists silently (§2a). An unknown *number* for
/// an enum is not sent either: .NET's `Enum.Parse` and System.Text.Json read any number into
/// an enum, and the notes establish no refusal.
pub fn wrong(shape: &Shape, dialect: &Dialect) -> Option<Value> {
    match shape {
        Shape::Integer | Shape::Number => Some(json!("not-a-number")),
        Shape::Bool => Some(json!("perhaps")),
        Shape::Enum(e) if e.unknown_by_dialect.iter().any(|(d, _)| *d == dialect.name) => None,
        Shape::Enum(_) => Some(json!("Teleport")),
        Shape::Array(inner) => wrong(inner, dialect).map(|v| json!([v])),
        _ => None,
    }
}

/// A value as parameter texts (a list gives one text per item).
fn texts(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(texts).collect(),
        Value::Null => Vec::new(),
        other => vec![other.to_string()],
    }
}

/// Percent-encodes everything but unreserved characters.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use fileops_api::dialects::{DOCSPACE, WORKSPACE};
    use fileops_api::operations::CATALOGUE;

    fn op(id: &str) -> &'static OperationInfo {
        CATALOGUE
            .iter()
            .find(|o| o.id == id)
            .expect("in the catalogue")
    }

    fn fill() -> Fill {
        Fill {
            entries: Some(Entries {
                file: 10,
                folder: 20,
                dest: 30,
            }),
            select: true,
            text: "op".into(),
        }
    }

    #[test]
    fn ids_follow_the_naming_convention() {
        let built = build(op("copyBatchItems"), &DOCSPACE, &fill(), None).expect("builds");
        let body: Value = serde_json::from_str(&built.body.expect("a body")).expect("json");
        assert_eq!(
            body,
            json!({"folderIds": [20], "fileIds": [10], "destFolderId": 30})
        );
    }

    #[test]
    fn path_enums_are_numbers_and_optional_values_stay_out() {
        let built = build(op("getOperationStatusesByType"), &DOCSPACE, &fill(), None);
        assert_eq!(built.expect("builds").path, "/api/2.0/files/fileops/0");
        let my = build(op("getMyFolder"), &WORKSPACE, &fill(), None).expect("builds");
        assert_eq!(my.path, "/api/2.0/files/@my");
    }

    #[test]
    fn a_required_id_without_entries_cannot_be_built() {
        let fill = Fill {
            entries: None,
            select: true,
            text: "op".into(),
        };
        assert!(build(op("getFolderInfo"), &DOCSPACE, &fill, None).is_none());
        let download = build(op("bulkDownload"), &DOCSPACE, &fill, None).expect("builds");
        assert_eq!(download.body.as_deref(), Some("{}"));
    }

    #[test]
    fn replaced_query_values_are_repeated_and_encoded() {
        let check = op("checkMoveOrCopyBatchItems");
        let slot = slots(check, &DOCSPACE)
            .into_iter()
            .find(|s| s.name(&DOCSPACE) == "deleteAfter")
            .expect("a slot");
        let replace = Replace {
            slot,
            value: json!("per haps"),
        };
        let built = build(check, &DOCSPACE, &fill(), Some(&replace)).expect("builds");
        assert_eq!(
            built.path,
            "/api/2.0/files/fileops/move?destFolderId=30&folderIds=20&fileIds=10&deleteAfter=per%20haps"
        );
    }
}
