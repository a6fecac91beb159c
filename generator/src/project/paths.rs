//! The paths of a projection: the dialect's operations with their parameters, bodies and
//! every answer they give, plus the `.xml` routes of a family that serves XML.

use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

use super::components::{constrain, describe, in_list, Components, Side};
use super::envelopes;
use crate::ir::{
    AnonymousAnswer, BodyKind, DialectDef, Format, Ir, Location, Operation, Param, Response,
};
use fileops_vocabulary::RequestBinding;

/// Every path item of the dialect, sorted by path.
pub fn paths(ir: &Ir, d: &DialectDef, c: &mut Components<'_>) -> Map<String, Value> {
    let served: Vec<&Operation> = ir
        .operations
        .iter()
        .filter(|op| in_list(&op.dialects, &d.name))
        .collect();
    // Answers first, so that request-only types keep their own component names.
    let answers: Vec<Map<String, Value>> = served.iter().map(|op| responses(op, c)).collect();
    let mut items: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for (op, answers) in served.into_iter().zip(answers) {
        let mut operation = head(op, d);
        let parameters = parameters(op, c);
        if !parameters.is_empty() {
            operation.insert("parameters".into(), Value::Array(parameters));
        }
        if let Some(body) = &op.body {
            let schema = c.schema(&body.ty, Side::Body);
            let content: Map<String, Value> = body_media(d)
                .iter()
                .map(|m| ((*m).to_owned(), json!({ "schema": schema })))
                .collect();
            let mut request = json!({
                "required": body.required,
                "content": content,
            });
            describe(&mut request, body.doc.as_deref());
            operation.insert("requestBody".into(), request);
        }
        let method = op.method.to_ascii_lowercase();
        if let Some(suffix) = xml_suffix(op, d) {
            let mut xml = operation.clone();
            xml.insert("operationId".into(), json!(format!("{}Xml", op.id)));
            xml.insert("responses".into(), Value::Object(as_xml(&answers)));
            // A JSON body is answered in JSON even on an XML route (reference §4b): the XML
            // route takes the family's other body media.
            if let Some(request) = xml.get_mut("requestBody") {
                if let Some(content) = request.get_mut("content").and_then(Value::as_object_mut) {
                    content.remove("application/json");
                }
            }
            items
                .entry(format!("{}{suffix}", op.path))
                .or_default()
                .insert(method.clone(), Value::Object(xml));
        }
        operation.insert("responses".into(), Value::Object(answers));
        items
            .entry(op.path.clone())
            .or_default()
            .insert(method, Value::Object(operation));
    }
    items
        .into_iter()
        .map(|(path, item)| (path, Value::Object(item)))
        .collect()
}

/// The media types a family binds request bodies from (reference §2a, §2c).
fn body_media(d: &DialectDef) -> &'static [&'static str] {
    match d.behaviour.request_binding {
        RequestBinding::JsonBody => &["application/json"],
        RequestBinding::NameValue => &[
            "application/json",
            "application/x-www-form-urlencoded",
            "multipart/form-data",
            "text/xml",
        ],
    }
}

/// The operation's id, words and security.
fn head(op: &Operation, d: &DialectDef) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("operationId".into(), json!(op.id));
    if let Some(doc) = &op.doc {
        let (summary, description) = doc.split_once("\n\n").unwrap_or((doc.as_str(), ""));
        out.insert("summary".into(), json!(summary.trim()));
        if !description.trim().is_empty() {
            out.insert("description".into(), json!(description.trim()));
        }
    }
    if op.anonymous_answer(d) != AnonymousAnswer::Unauthorized {
        let challenges = op
            .responses
            .iter()
            .any(|r| r.kind == BodyKind::Unauthorized && in_list(&r.dialects, &d.name));
        // A token is optional where the family also answers anonymous callers, and not
        // used at all where the operation never challenges (the login itself).
        let security = if challenges {
            json!([{}, {"Token": []}])
        } else {
            json!([])
        };
        out.insert("security".into(), security);
    }
    out
}

fn parameters(op: &Operation, c: &mut Components<'_>) -> Vec<Value> {
    let d = c.dialect();
    op.params
        .iter()
        .filter(|p| in_list(&p.dialects, &d.name))
        .map(|p| parameter(p, c))
        .collect()
}

fn parameter(p: &Param, c: &mut Components<'_>) -> Value {
    let mut schema = c.schema(&p.ty, Side::Param);
    constrain(&mut schema, &p.constraints);
    let location = match p.location {
        Location::Path => "path",
        Location::Query => "query",
        Location::Header => "header",
    };
    let mut out = json!({
        "name": p.wire,
        "in": location,
        "required": p.required,
        "schema": schema,
    });
    if p.location == Location::Query && matches!(p.ty, crate::ir::TypeRef::Vec(_)) {
        out["style"] = json!("form");
        out["explode"] = json!(true);
    }
    let mut doc = p.doc.clone().unwrap_or_default();
    if p.array_suffix {
        doc = format!("{doc} The name may also carry `[]`.")
            .trim()
            .to_owned();
    }
    describe(
        &mut out,
        Some(&doc).filter(|d| !d.is_empty()).map(|d| d.as_str()),
    );
    out
}

fn responses(op: &Operation, c: &mut Components<'_>) -> Map<String, Value> {
    let d = c.dialect();
    op.responses
        .iter()
        .filter(|r| r.given_by(d))
        .map(|r| {
            let key = r.status.map_or("default".to_owned(), |s| s.to_string());
            (key, response(r, c))
        })
        .collect()
}

fn response(r: &Response, c: &mut Components<'_>) -> Value {
    let description = r.doc.clone().unwrap_or_else(|| "An answer.".into());
    let json_body = |schema: Value| json!({"application/json": {"schema": schema}});
    let content = match r.kind {
        BodyKind::Unauthorized => return envelopes::unauthorized(c),
        BodyKind::Empty => None,
        BodyKind::Envelope => {
            let payload = r
                .payload
                .as_ref()
                .map_or(json!({}), |p| c.schema(p, Side::Answer));
            Some(json_body(envelopes::success(c, r.status, payload)))
        }
        BodyKind::Error => Some(json_body(envelopes::any_error(c, r.status))),
        BodyKind::Plain => {
            let payload = r
                .payload
                .as_ref()
                .map_or(json!({}), |p| c.schema(p, Side::Answer));
            Some(json_body(payload))
        }
        BodyKind::Text => Some(json!({"text/plain": {"schema": {"type": "string"}}})),
    };
    let mut out = json!({"description": description});
    if let Some(content) = content {
        out["content"] = content;
    }
    out
}

/// The suffix of the XML route, for a family that serves XML on every route (reference
/// §1b), where the operation answers XML and, if it takes a body, the family binds bodies
/// of other media than JSON (a JSON request is answered in JSON, §4b).
fn xml_suffix<'d>(op: &Operation, d: &'d DialectDef) -> Option<&'d str> {
    let xml = d.formats.contains(&Format::Xml);
    let answers_xml = op.responses.iter().any(|r| {
        in_list(&r.dialects, &d.name)
            && r.media
                .iter()
                .any(|(m, ds)| m.contains("xml") && in_list(ds, &d.name))
    });
    let other_bodies = body_media(d).len() > 1;
    (xml && (op.body.is_none() || other_bodies) && answers_xml)
        .then(|| d.xml_suffixes.first().map(String::as_str))
        .flatten()
}

/// The same answers as XML: Newtonsoft's conversion of the JSON under `<result>`.
fn as_xml(answers: &Map<String, Value>) -> Map<String, Value> {
    answers
        .iter()
        .map(|(status, answer)| {
            let mut answer = answer.clone();
            if let Some(schema) = answer.pointer("/content/application~1json/schema").cloned() {
                let mut schema = schema;
                schema["xml"] = json!({"name": "result"});
                answer["content"] = json!({"text/xml": {"schema": schema}});
            }
            (status.clone(), answer)
        })
        .collect()
}
