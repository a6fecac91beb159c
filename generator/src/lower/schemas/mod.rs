//! Lowering schemas into named types and type references.

use indexmap::IndexMap;
use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

use super::constraints;
use super::extensions::Reader;
use crate::diag::{join, Diagnostic, Diagnostics};
use crate::ir::{Constraints, RuntimeTypeDef, TypeDef, TypeKind, TypeRef};
use crate::naming::{type_name, unique};
mod define;
mod enums;
mod objects;
mod unions;

const SCHEMAS: &str = "#/components/schemas/";

/// Property extensions that `allOf` members contribute to the merged object.
const MERGED: &[&str] = &[
    "x-fileops-wire-names",
    "x-fileops-property-dialects",
    "x-fileops-always-written",
];

/// What a component schema stands for.
#[derive(Debug, Clone)]
enum Role {
    /// A generated type with this Rust name.
    Named(String),
    /// A runtime type (`x-fileops-type`).
    Runtime(TypeRef),
    /// A success or error envelope (`x-fileops-envelope`): not a type of its own.
    Envelope(EnvelopeKind),
    /// A dialect's envelope shown to standard tools (`x-fileops-envelope-of`): no type.
    View,
}

/// The two envelope kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvelopeKind {
    /// The success envelope around a payload.
    Success,
    /// The error envelope.
    Error,
}

/// Lowering state: names handed out, types made, diagnostics.
pub struct Lowering<'a> {
    api: &'a OpenAPI,
    pub(super) ext: &'a mut Reader,
    pub(super) out: &'a mut Diagnostics,
    roles: BTreeMap<String, Role>,
    used: BTreeSet<String>,
    types: BTreeMap<String, TypeDef>,
    payloads: BTreeMap<String, TypeRef>,
    runtime: Vec<RuntimeTypeDef>,
}

impl<'a> Lowering<'a> {
    /// Starts lowering `api`.
    pub fn new(api: &'a OpenAPI, ext: &'a mut Reader, out: &'a mut Diagnostics) -> Self {
        Self {
            api,
            ext,
            out,
            roles: BTreeMap::new(),
            used: BTreeSet::new(),
            types: BTreeMap::new(),
            payloads: BTreeMap::new(),
            runtime: Vec::new(),
        }
    }

    fn components(&self) -> Option<&'a IndexMap<String, ReferenceOr<Schema>>> {
        self.api.components.as_ref().map(|c| &c.schemas)
    }

    /// Lowers every component schema.
    pub fn lower_components(&mut self) {
        let Some(schemas) = self.components() else {
            return;
        };
        for (name, schema) in schemas {
            let role = self.role(name, schema);
            if let (Role::Runtime(ty), ReferenceOr::Item(s)) = (&role, schema) {
                self.runtime.push(RuntimeTypeDef {
                    schema_name: name.clone(),
                    ty: ty.clone(),
                    doc: s.schema_data.description.clone(),
                    constraints: runtime_constraints(s),
                });
            }
            self.roles.insert(name.clone(), role);
        }
        for (name, schema) in schemas {
            let at = join("/components/schemas", name);
            let Some(Role::Named(rust)) = self.roles.get(name).cloned() else {
                continue;
            };
            let schema = match schema {
                ReferenceOr::Item(s) => s,
                ReferenceOr::Reference { reference } => {
                    let target = self.type_of_ref(reference, &at);
                    let kind = TypeKind::Alias(target);
                    self.insert(rust, name, None, kind, Constraints::default());
                    continue;
                }
            };
            let kind = self.define(&rust, schema, &at);
            let doc = schema.schema_data.description.clone();
            self.insert(rust, name, doc, kind, constraints::of(schema));
        }
    }

    fn role(&mut self, name: &str, schema: &ReferenceOr<Schema>) -> Role {
        let at = join("/components/schemas", name);
        let ReferenceOr::Item(schema) = schema else {
            return Role::Named(unique(type_name(name), &mut self.used));
        };
        let ext = &schema.schema_data.extensions;
        if let Some(kind) = ext.get("x-fileops-type") {
            let runtime = match kind.as_str() {
                Some("entry-id") => Some(TypeRef::EntryId),
                Some("api-date-time") => Some(TypeRef::Date),
                Some("api-error") => Some(TypeRef::ApiError),
                Some("problem-details") => Some(TypeRef::ProblemDetails),
                Some("link") => Some(TypeRef::Link),
                _ => None,
            };
            match runtime {
                Some(t) => return Role::Runtime(t),
                None => self.out.push(Diagnostic::error(
                    join(&at, "x-fileops-type"),
                    "unknown runtime type (entry-id, api-date-time, api-error, problem-details, link)",
                )),
            }
        }
        if ext.contains_key("x-fileops-envelope-of") {
            return Role::View;
        }
        match ext.get("x-fileops-envelope") {
            Some(Value::String(kind)) if kind == "success" => {
                return Role::Envelope(EnvelopeKind::Success)
            }
            Some(Value::String(kind)) if kind == "error" => {
                return Role::Envelope(EnvelopeKind::Error)
            }
            Some(other) => self.out.push(Diagnostic::error(
                join(&at, "x-fileops-envelope"),
                format!("unknown envelope kind {other} (success, error)"),
            )),
            None => {}
        }
        Role::Named(unique(type_name(name), &mut self.used))
    }

    fn insert(
        &mut self,
        rust: String,
        schema_name: &str,
        doc: Option<String>,
        kind: TypeKind,
        constraints: Constraints,
    ) {
        self.types.insert(
            rust.clone(),
            TypeDef {
                name: rust,
                schema_name: schema_name.to_owned(),
                doc,
                kind,
                constraints,
            },
        );
    }

    /// The types made, in name order, and the runtime types by schema name.
    pub fn finish(self) -> (Vec<TypeDef>, Vec<RuntimeTypeDef>) {
        let mut runtime = self.runtime;
        runtime.sort_by(|a, b| a.schema_name.cmp(&b.schema_name));
        (self.types.into_values().collect(), runtime)
    }

    /// The component schema a `$ref` names, with its name.
    fn resolve(&self, reference: &str) -> Option<(&'a str, &'a Schema)> {
        let name = reference.strip_prefix(SCHEMAS)?;
        let mut seen = 0;
        let mut current = self.components()?.get_key_value(name)?;
        loop {
            match current.1 {
                ReferenceOr::Item(schema) => return Some((current.0.as_str(), schema)),
                ReferenceOr::Reference { reference } if seen < 16 => {
                    seen += 1;
                    current = self
                        .components()?
                        .get_key_value(reference.strip_prefix(SCHEMAS)?)?;
                }
                ReferenceOr::Reference { .. } => return None,
            }
        }
    }

    /// How an envelope reference is answered: its kind and payload type.
    pub fn envelope(&mut self, reference: &str) -> Option<(EnvelopeKind, Option<TypeRef>)> {
        let name = reference.strip_prefix(SCHEMAS)?;
        let Some(Role::Envelope(kind)) = self.roles.get(name).cloned() else {
            return None;
        };
        if kind == EnvelopeKind::Error {
            return Some((kind, Some(TypeRef::ApiError)));
        }
        if let Some(found) = self.payloads.get(name) {
            return Some((kind, Some(found.clone())));
        }
        let at = join("/components/schemas", name);
        let (_, schema) = self.resolve(reference)?;
        let payload = self.envelope_payload(name, schema, &at);
        if let Some(p) = &payload {
            self.payloads.insert(name.to_owned(), p.clone());
        }
        Some((kind, payload))
    }

    fn envelope_payload(&mut self, name: &str, schema: &'a Schema, at: &str) -> Option<TypeRef> {
        let members: &[ReferenceOr<Schema>] = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of,
            _ => &[],
        };
        for (i, member) in members.iter().enumerate() {
            let ReferenceOr::Item(member) = member else {
                continue;
            };
            let props = match &member.schema_kind {
                SchemaKind::Type(Type::Object(o)) => &o.properties,
                SchemaKind::Any(a) => &a.properties,
                _ => continue,
            };
            if let Some(response) = props.get("response") {
                let here = format!("{at}/allOf/{i}/properties/response");
                return Some(self.boxed_ref(
                    response,
                    &format!("{}Response", type_name(name)),
                    &here,
                ));
            }
        }
        self.out.push(Diagnostic::error(
            at,
            "a success envelope needs an allOf member with a `response` property",
        ));
        None
    }

    /// The type a `$ref` stands for.
    pub fn type_of_ref(&mut self, reference: &str, at: &str) -> TypeRef {
        let Some(name) = reference.strip_prefix(SCHEMAS) else {
            self.out.push(
                Diagnostic::warning(
                    at,
                    "only schema references are typed; this one becomes serde_json::Value",
                )
                .with_target(reference),
            );
            return TypeRef::Any;
        };
        match self.roles.get(name) {
            Some(Role::Named(rust)) => TypeRef::Named(rust.clone()),
            Some(Role::Runtime(t)) => t.clone(),
            Some(Role::Envelope(_) | Role::View) => TypeRef::Any,
            None => {
                self.out
                    .push(Diagnostic::error(at, "`$ref` points at nothing").with_target(reference));
                TypeRef::Any
            }
        }
    }

    /// The type of a boxed schema or reference (properties and items).
    pub fn boxed_ref(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        context: &str,
        at: &str,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.type_of_ref(reference, at),
            ReferenceOr::Item(s) => self.inline(s, context, at),
        }
    }

    /// The type of a schema or reference (members, parameters, bodies).
    pub fn schema_ref(&mut self, schema: &ReferenceOr<Schema>, context: &str, at: &str) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.type_of_ref(reference, at),
            ReferenceOr::Item(s) => self.inline(s, context, at),
        }
    }

    /// The type of an inline schema; named types it needs are called after `context`.
    pub fn inline(&mut self, schema: &Schema, context: &str, at: &str) -> TypeRef {
        let name = unique(type_name(context), &mut self.used);
        match self.define(&name, schema, at) {
            TypeKind::Alias(target) => {
                self.used.remove(&name);
                target
            }
            kind => {
                self.insert(
                    name.clone(),
                    context,
                    schema.schema_data.description.clone(),
                    kind,
                    constraints::of(schema),
                );
                TypeRef::Named(name)
            }
        }
    }
}

/// A runtime type's bounds: its own, or for a union (an entry id) those of its string member,
/// which say how a third-party id looks.
fn runtime_constraints(schema: &Schema) -> Constraints {
    let members = match &schema.schema_kind {
        SchemaKind::OneOf { one_of: m } | SchemaKind::AnyOf { any_of: m } => m.as_slice(),
        _ => return constraints::of(schema),
    };
    members
        .iter()
        .find_map(|m| match m {
            ReferenceOr::Item(s) if matches!(s.schema_kind, SchemaKind::Type(Type::String(_))) => {
                Some(constraints::of(s))
            }
            _ => None,
        })
        .unwrap_or_default()
}
