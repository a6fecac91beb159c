//! Lowering paths and operations: parameters, bodies and responses by status.

use indexmap::IndexMap;
use openapiv3::{
    OpenAPI, Operation as ApiOperation, Parameter, ParameterSchemaOrContent, QueryStyle,
    ReferenceOr, RequestBody, Response as ApiResponse, StatusCode,
};
use serde_json::Value;
use std::collections::BTreeSet;

use super::constraints;
use super::schemas::{EnvelopeKind, Lowering};
use crate::diag::{join, Diagnostic};
use crate::ir::{Body, BodyKind, Location, Operation, Param, Response, TypeRef};
use crate::naming::{field_name, type_name, unique, variant_name};

/// Lowers every operation, sorted by operationId.
pub fn lower(api: &OpenAPI, types: &mut Lowering<'_>) -> Vec<Operation> {
    let mut methods = BTreeSet::new();
    let mut prefixes = BTreeSet::new();
    let mut ops = Vec::new();
    for (path, item) in &api.paths.paths {
        let at = join("/paths", path);
        let ReferenceOr::Item(item) = item else {
            types.out.push(Diagnostic::warning(
                &at,
                "path item references are not supported; skipped",
            ));
            continue;
        };
        for (method, op) in item.iter() {
            let here = join(&at, method);
            let mut built = operation(api, types, path, method, op, &item.parameters, &here);
            built.method_ident = unique(field_name(&built.id), &mut methods);
            built.type_prefix = unique(type_name(&built.id), &mut prefixes);
            ops.push(built);
        }
    }
    ops.sort_by(|a, b| a.id.cmp(&b.id));
    ops
}

fn operation(
    api: &OpenAPI,
    types: &mut Lowering<'_>,
    path: &str,
    method: &str,
    op: &ApiOperation,
    shared: &[ReferenceOr<Parameter>],
    at: &str,
) -> Operation {
    let id = op
        .operation_id
        .clone()
        .unwrap_or_else(|| format!("{method} {path}"));
    let prefix = type_name(&id);
    let ext = &op.extensions;
    let dialects = types.ext.dialects(ext, "x-fileops-dialects", at, types.out);
    let anonymous = types
        .ext
        .dialects(ext, "x-fileops-anonymous", at, types.out);
    let anonymous_setting = types.ext.anonymous_setting(ext, at, types.out);
    let mut params = parameters(api, types, &prefix, op, shared, at);
    add_missing_path_params(types, path, &mut params, at);
    let body = op
        .request_body
        .as_ref()
        .and_then(|b| body(api, types, &prefix, b, &join(at, "requestBody")));
    let responses = responses(api, types, &prefix, op, at);
    let doc = match (&op.summary, &op.description) {
        (Some(s), Some(d)) => Some(format!("{s}\n\n{d}")),
        (s, d) => s.clone().or_else(|| d.clone()),
    };
    Operation {
        id,
        method_ident: String::new(),
        type_prefix: String::new(),
        method: method.to_ascii_uppercase(),
        path: path.to_owned(),
        doc,
        dialects,
        anonymous,
        anonymous_setting,
        params,
        body,
        responses,
    }
}

fn parameters(
    api: &OpenAPI,
    types: &mut Lowering<'_>,
    prefix: &str,
    op: &ApiOperation,
    shared: &[ReferenceOr<Parameter>],
    at: &str,
) -> Vec<Param> {
    let mut by_key: IndexMap<(String, &'static str), (Parameter, String)> = IndexMap::new();
    let sources = shared
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let path_item = at.rsplit_once('/').map_or(at, |(item, _)| item);
            (p, format!("{path_item}/parameters/{i}"))
        })
        .chain(
            op.parameters
                .iter()
                .enumerate()
                .map(|(i, p)| (p, format!("{at}/parameters/{i}"))),
        );
    for (param, here) in sources {
        let section = api.components.as_ref().map(|c| &c.parameters);
        let Some(param) = component(types, param, section, "#/components/parameters/", &here)
        else {
            continue;
        };
        let location = match &param {
            Parameter::Query { .. } => "query",
            Parameter::Path { .. } => "path",
            Parameter::Header { .. } => "header",
            Parameter::Cookie { .. } => "cookie",
        };
        by_key.insert(
            (param.parameter_data_ref().name.clone(), location),
            (param, here),
        );
    }
    let mut used = BTreeSet::from(["body".to_owned()]);
    by_key
        .into_values()
        .filter_map(|(param, here)| {
            let (location, style) = match &param {
                Parameter::Query { style, .. } => (Location::Query, query_style(style)),
                Parameter::Path { .. } => (Location::Path, "simple"),
                Parameter::Header { .. } => (Location::Header, "simple"),
                Parameter::Cookie { .. } => {
                    types.out.push(Diagnostic::warning(
                        &here,
                        "cookie parameters are not supported; skipped",
                    ));
                    return None;
                }
            };
            let data = param.parameter_data_ref();
            let context = format!("{prefix}{}", type_name(&data.name));
            let limits = match &data.format {
                ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => constraints::of(s),
                _ => Default::default(),
            };
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(s) => {
                    types.schema_ref(s, &context, &join(&here, "schema"))
                }
                ParameterSchemaOrContent::Content(content) => {
                    match content.values().find_map(|m| m.schema.as_ref()) {
                        Some(s) => types.schema_ref(s, &context, &join(&here, "content")),
                        None => TypeRef::String,
                    }
                }
            };
            let dialects =
                types
                    .ext
                    .dialects(&data.extensions, "x-fileops-dialects", &here, types.out);
            Some(Param {
                ident: unique(field_name(&data.name), &mut used),
                wire: data.name.clone(),
                location,
                required: data.required || location == Location::Path,
                ty,
                doc: data.description.clone(),
                dialects,
                array_suffix: data
                    .extensions
                    .get("x-fileops-array-suffix")
                    .and_then(Value::as_bool)
                    == Some(true),
                style: style.to_owned(),
                constraints: limits,
            })
        })
        .collect()
}

fn query_style(style: &QueryStyle) -> &'static str {
    match style {
        QueryStyle::Form => "form",
        QueryStyle::SpaceDelimited => "spaceDelimited",
        QueryStyle::PipeDelimited => "pipeDelimited",
        QueryStyle::DeepObject => "deepObject",
    }
}

fn add_missing_path_params(
    types: &mut Lowering<'_>,
    path: &str,
    params: &mut Vec<Param>,
    at: &str,
) {
    let names: Vec<&str> = path
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect();
    for name in names {
        if params
            .iter()
            .any(|p| p.location == Location::Path && p.wire == name)
        {
            continue;
        }
        types.out.push(Diagnostic::warning(
            at,
            format!("path parameter `{name}` is not declared; it is read as a string"),
        ));
        let mut used: BTreeSet<String> = params.iter().map(|p| p.ident.clone()).collect();
        params.push(Param {
            ident: unique(field_name(name), &mut used),
            wire: name.to_owned(),
            location: Location::Path,
            required: true,
            ty: TypeRef::String,
            doc: None,
            dialects: Vec::new(),
            array_suffix: false,
            style: "simple".into(),
            constraints: Default::default(),
        });
    }
}

/// Resolves an item or a `#/components/{section}/NAME` reference to a clone of the item.
fn component<T: Clone>(
    types: &mut Lowering<'_>,
    item: &ReferenceOr<T>,
    section: Option<&IndexMap<String, ReferenceOr<T>>>,
    prefix: &str,
    at: &str,
) -> Option<T> {
    match item {
        ReferenceOr::Item(found) => Some(found.clone()),
        ReferenceOr::Reference { reference } => {
            let found = reference
                .strip_prefix(prefix)
                .and_then(|name| section?.get(name));
            match found {
                Some(ReferenceOr::Item(found)) => Some(found.clone()),
                _ => {
                    types.out.push(
                        Diagnostic::error(
                            at,
                            format!("`$ref` does not resolve to an entry of {prefix}"),
                        )
                        .with_target(reference),
                    );
                    None
                }
            }
        }
    }
}

/// Media types that carry JSON.
fn is_json(media: &str) -> bool {
    let media = media.split(';').next().unwrap_or(media).trim();
    media == "application/json"
        || media == "text/json"
        || media.ends_with("+json")
        || media == "*/*"
}

fn body(
    api: &OpenAPI,
    types: &mut Lowering<'_>,
    prefix: &str,
    body: &ReferenceOr<RequestBody>,
    at: &str,
) -> Option<Body> {
    let section = api.components.as_ref().map(|c| &c.request_bodies);
    let body = component(types, body, section, "#/components/requestBodies/", at)?;
    let Some((media, schema)) = body
        .content
        .iter()
        .find(|(m, _)| is_json(m))
        .and_then(|(m, mt)| mt.schema.as_ref().map(|s| (m, s)))
    else {
        if !body.content.is_empty() {
            types.out.push(Diagnostic::warning(
                at,
                "only JSON request bodies are typed; this body is not part of the request type",
            ));
        }
        return None;
    };
    let here = format!("{}/schema", join(&join(at, "content"), media));
    Some(Body {
        ty: types.schema_ref(schema, &format!("{prefix}Body"), &here),
        required: body.required,
        doc: body.description.clone(),
    })
}

fn responses(
    api: &OpenAPI,
    types: &mut Lowering<'_>,
    prefix: &str,
    op: &ApiOperation,
    at: &str,
) -> Vec<Response> {
    let mut used = BTreeSet::new();
    let mut listed = Vec::new();
    for (code, r) in &op.responses.responses {
        match code {
            StatusCode::Code(c) => listed.push((Some(*c), r)),
            StatusCode::Range(_) => types.out.push(Diagnostic::warning(
                join(at, "responses"),
                format!("status range {code} is not typed; skipped"),
            )),
        }
    }
    listed
        .into_iter()
        .chain(op.responses.default.iter().map(|r| (None, r)))
        .filter_map(|(status, response)| {
            let key = status.map_or_else(|| "default".to_owned(), |c| c.to_string());
            let here = join(&join(at, "responses"), &key);
            let section = api.components.as_ref().map(|c| &c.responses);
            let response = component(types, response, section, "#/components/responses/", &here)?;
            let variant = unique(variant_name(&status_name(status)), &mut used);
            Some(self::response(
                types, prefix, status, variant, &response, &here,
            ))
        })
        .collect()
}

fn response(
    types: &mut Lowering<'_>,
    prefix: &str,
    status: Option<u16>,
    variant: String,
    r: &ApiResponse,
    at: &str,
) -> Response {
    let dialects = types
        .ext
        .dialects(&r.extensions, "x-fileops-dialects", at, types.out);
    let readings = types.ext.readings(&r.extensions, at, types.out);
    let media = r
        .content
        .iter()
        .map(|(m, mt)| {
            let here = join(&join(at, "content"), m);
            (
                m.clone(),
                types
                    .ext
                    .dialects(&mt.extensions, "x-fileops-dialects", &here, types.out),
            )
        })
        .collect();
    let (kind, payload) = if r
        .extensions
        .get("x-fileops-unauthorized")
        .and_then(Value::as_bool)
        == Some(true)
    {
        (BodyKind::Unauthorized, None)
    } else {
        body_kind(types, prefix, &variant, r, at)
    };
    Response {
        status,
        variant,
        doc: Some(r.description.clone()).filter(|d| !d.is_empty()),
        kind,
        payload,
        dialects,
        media,
        readings,
    }
}

fn body_kind(
    types: &mut Lowering<'_>,
    prefix: &str,
    variant: &str,
    r: &ApiResponse,
    at: &str,
) -> (BodyKind, Option<TypeRef>) {
    let json = r.content.iter().find(|(m, _)| is_json(m));
    if let Some((media, mt)) = json {
        let here = format!("{}/schema", join(&join(at, "content"), media));
        return match &mt.schema {
            Some(ReferenceOr::Reference { reference }) => match types.envelope(reference) {
                Some((EnvelopeKind::Success, payload)) => (BodyKind::Envelope, payload),
                Some((EnvelopeKind::Error, payload)) => (BodyKind::Error, payload),
                None => (BodyKind::Plain, Some(types.type_of_ref(reference, &here))),
            },
            Some(ReferenceOr::Item(s)) => (
                BodyKind::Plain,
                Some(types.inline(s, &format!("{prefix}{variant}Body"), &here)),
            ),
            None => (BodyKind::Plain, Some(TypeRef::Any)),
        };
    }
    if r.content.keys().any(|m| m.starts_with("text/")) {
        (BodyKind::Text, Some(TypeRef::String))
    } else if r.content.is_empty() {
        (BodyKind::Empty, None)
    } else {
        (BodyKind::Text, Some(TypeRef::String))
    }
}

/// The variant name for a status: its reason phrase.
fn status_name(status: Option<u16>) -> String {
    let Some(code) = status else {
        return "Default".into();
    };
    let reason = match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => return format!("Status {code}"),
    };
    reason.to_owned()
}
