//! Lowering schemas into named types and type references.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, OpenAPI, ReferenceOr, Schema, SchemaKind, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

use super::constraints;
use super::extensions::Reader;
use crate::diag::{join, Diagnostic, Diagnostics};
use crate::ir::{
    Constraints, EnumDef, EnumVariant, EnumWire, FieldDef, RuntimeTypeDef, TypeDef, TypeKind,
    TypeRef, VariantDef,
};
use crate::naming::{field_name, type_name, unique, variant_name};
use fileops_vocabulary::Word;

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

    /// What a schema defines when it is given the name `name`.
    fn define(&mut self, name: &str, schema: &Schema, at: &str) -> TypeKind {
        let ext = &schema.schema_data.extensions;
        if schema.schema_data.discriminator.is_some() {
            self.out.push(Diagnostic::warning(
                join(at, "discriminator"),
                "`discriminator` is ignored; variants are told apart by x-fileops-variant-keys or by kind",
            ));
        }
        if self.ext.switch(ext, "x-fileops-flags", at, self.out) {
            return self.flags(schema, at);
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::Integer(i)) if !i.enumeration.is_empty() => {
                let values: Vec<i64> = i.enumeration.iter().flatten().copied().collect();
                TypeKind::Enum(self.int_enum(&values, ext, EnumWire::Integer, at))
            }
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                let names: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
                TypeKind::Enum(self.string_enum(&names, ext, at))
            }
            SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => {
                TypeKind::Struct(self.fields(name, &o.properties, &o.required, ext, at))
            }
            SchemaKind::Any(a) if !a.properties.is_empty() => {
                TypeKind::Struct(self.fields(name, &a.properties, &a.required, ext, at))
            }
            SchemaKind::OneOf { one_of: members } | SchemaKind::AnyOf { any_of: members } => {
                self.union(name, members, schema, at)
            }
            SchemaKind::Any(a) if !a.one_of.is_empty() || !a.any_of.is_empty() => {
                let members = if a.one_of.is_empty() {
                    &a.any_of
                } else {
                    &a.one_of
                };
                self.union(name, members, schema, at)
            }
            SchemaKind::AllOf { all_of } => self.all_of(name, all_of, schema, at),
            SchemaKind::Any(a) if !a.all_of.is_empty() => self.all_of(name, &a.all_of, schema, at),
            _ => TypeKind::Alias(self.scalar(name, schema, at)),
        }
    }

    /// Schemas that need no named type of their own.
    fn scalar(&mut self, name: &str, schema: &Schema, at: &str) -> TypeRef {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(_)) => TypeRef::String,
            SchemaKind::Type(Type::Integer(i)) => match i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            },
            SchemaKind::Type(Type::Number(_)) => TypeRef::F64,
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Array(a)) => match &a.items {
                Some(items) => TypeRef::Vec(Box::new(self.boxed_ref(
                    items,
                    &format!("{name}Item"),
                    &join(at, "items"),
                ))),
                None => TypeRef::Vec(Box::new(TypeRef::Any)),
            },
            SchemaKind::Type(Type::Object(o)) => {
                self.map(name, o.additional_properties.as_ref(), at)
            }
            SchemaKind::Not { .. } => {
                self.out.push(Diagnostic::warning(
                    at,
                    "`not` is not supported; the value is kept as serde_json::Value",
                ));
                TypeRef::Any
            }
            SchemaKind::Any(a) => match (a.typ.as_deref(), &a.items) {
                (Some("string"), _) => TypeRef::String,
                (Some("integer"), _) => TypeRef::I64,
                (Some("number"), _) => TypeRef::F64,
                (Some("boolean"), _) => TypeRef::Bool,
                (Some("array") | None, Some(items)) => TypeRef::Vec(Box::new(self.boxed_ref(
                    items,
                    &format!("{name}Item"),
                    &join(at, "items"),
                ))),
                _ => self.map(name, a.additional_properties.as_ref(), at),
            },
            _ => TypeRef::Any,
        }
    }

    fn map(&mut self, name: &str, extra: Option<&AdditionalProperties>, at: &str) -> TypeRef {
        match extra {
            Some(AdditionalProperties::Schema(s)) => {
                let here = join(at, "additionalProperties");
                TypeRef::Map(Box::new(self.schema_ref(s, &format!("{name}Value"), &here)))
            }
            _ => TypeRef::Any,
        }
    }

    fn fields(
        &mut self,
        owner: &str,
        props: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        ext: &IndexMap<String, Value>,
        at: &str,
    ) -> Vec<FieldDef> {
        let wire_names = self.ext.wire_names(ext, at, self.out);
        let dialects = self
            .ext
            .list_map(ext, "x-fileops-property-dialects", at, true, self.out);
        let always = self
            .ext
            .list_map(ext, "x-fileops-always-written", at, true, self.out);
        for key in wire_names
            .keys()
            .chain(dialects.keys())
            .chain(always.keys())
        {
            if !props.contains_key(key) {
                self.out.push(Diagnostic::error(
                    at,
                    format!("an extension names `{key}`, which is not a property here"),
                ));
            }
        }
        let mut used = BTreeSet::new();
        props
            .iter()
            .map(|(key, prop)| {
                let here = join(&join(at, "properties"), key);
                let ty = self.boxed_ref(prop, &format!("{owner}{}", type_name(key)), &here);
                let (doc, nullable, limits) = match prop {
                    ReferenceOr::Item(s) => (
                        s.schema_data.description.clone(),
                        s.schema_data.nullable,
                        constraints::of(s),
                    ),
                    ReferenceOr::Reference { reference } => (
                        self.resolve(reference)
                            .and_then(|(_, s)| s.schema_data.description.clone()),
                        false,
                        Constraints::default(),
                    ),
                };
                FieldDef {
                    ident: unique(field_name(key), &mut used),
                    wire: key.clone(),
                    doc,
                    ty,
                    required: required.contains(key),
                    nullable,
                    wire_names: wire_names.get(key).cloned().unwrap_or_default(),
                    dialects: dialects.get(key).cloned().unwrap_or_default(),
                    always_written: always.get(key).cloned(),
                    constraints: limits,
                }
            })
            .collect()
    }

    fn all_of(
        &mut self,
        name: &str,
        members: &[ReferenceOr<Schema>],
        outer: &Schema,
        at: &str,
    ) -> TypeKind {
        if let [only] = members {
            return TypeKind::Alias(self.schema_ref(only, name, &join(at, "allOf/0")));
        }
        let mut props = IndexMap::new();
        let mut required = Vec::new();
        let mut ext = outer.schema_data.extensions.clone();
        for (i, member) in members.iter().enumerate() {
            let here = format!("{at}/allOf/{i}");
            self.collect(member, &mut props, &mut required, &mut ext, &here, 0);
        }
        TypeKind::Struct(self.fields(name, &props, &required, &ext, at))
    }

    /// Gathers the properties an allOf member contributes, following references.
    fn collect(
        &mut self,
        member: &ReferenceOr<Schema>,
        props: &mut IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &mut Vec<String>,
        ext: &mut IndexMap<String, Value>,
        at: &str,
        depth: usize,
    ) {
        let schema = match member {
            ReferenceOr::Reference { reference } => match self.resolve(reference) {
                Some((_, s)) => s,
                None => return,
            },
            ReferenceOr::Item(s) => s,
        };
        for (k, v) in &schema.schema_data.extensions {
            if MERGED.contains(&k.as_str()) {
                merge_object(ext, k, v);
            }
        }
        let (own, own_required) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (&o.properties, &o.required),
            SchemaKind::Any(a) if !a.properties.is_empty() => (&a.properties, &a.required),
            SchemaKind::AllOf { all_of } if depth < 16 => {
                for (i, inner) in all_of.iter().enumerate() {
                    self.collect(
                        inner,
                        props,
                        required,
                        ext,
                        &format!("{at}/allOf/{i}"),
                        depth + 1,
                    );
                }
                return;
            }
            _ => {
                self.out.push(Diagnostic::warning(
                    at,
                    "an allOf member that is not an object is ignored",
                ));
                return;
            }
        };
        for (k, v) in own {
            props.insert(k.clone(), v.clone());
        }
        required.extend(own_required.iter().cloned());
    }

    fn union(
        &mut self,
        name: &str,
        members: &[ReferenceOr<Schema>],
        outer: &Schema,
        at: &str,
    ) -> TypeKind {
        let resolved: Vec<Option<&Schema>> = members
            .iter()
            .map(|m| match m {
                ReferenceOr::Reference { reference } => self.resolve(reference).map(|(_, s)| s),
                ReferenceOr::Item(s) => Some(s),
            })
            .collect();
        if let Some(kind) = self.enum_union(&resolved, &outer.schema_data.extensions, at) {
            return kind;
        }
        if is_id_union(&resolved) {
            return TypeKind::Alias(TypeRef::EntryId);
        }
        if let [only] = members {
            return TypeKind::Alias(self.schema_ref(only, name, &format!("{at}/oneOf/0")));
        }
        let keys = self.ext.list_map(
            &outer.schema_data.extensions,
            "x-fileops-variant-keys",
            at,
            false,
            self.out,
        );
        let variant_dialects = self.ext.list_map(
            &outer.schema_data.extensions,
            "x-fileops-variant-dialects",
            at,
            true,
            self.out,
        );
        let mut used = BTreeSet::new();
        let variants: Vec<VariantDef> = members
            .iter()
            .enumerate()
            .map(|(i, member)| {
                let here = format!("{at}/oneOf/{i}");
                let (wire, ty) = match member {
                    ReferenceOr::Reference { reference } => {
                        let wire = reference.rsplit('/').next().unwrap_or("Variant").to_owned();
                        (wire, self.type_of_ref(reference, &here))
                    }
                    ReferenceOr::Item(s) => {
                        let wire = format!("Variant{i}");
                        let ty = self.inline(s, &format!("{name}{wire}"), &here);
                        (wire, ty)
                    }
                };
                VariantDef {
                    ident: unique(variant_name(&wire), &mut used),
                    keys: keys.get(&wire).cloned().unwrap_or_default(),
                    dialects: variant_dialects.get(&wire).cloned().unwrap_or_default(),
                    wire,
                    ty,
                }
            })
            .collect();
        for (extension, names) in [
            ("x-fileops-variant-keys", keys.keys()),
            ("x-fileops-variant-dialects", variant_dialects.keys()),
        ] {
            for key in names {
                if !variants.iter().any(|v| &v.wire == key) {
                    self.out.push(Diagnostic::error(
                        join(at, extension),
                        format!("`{key}` is not one of the variants"),
                    ));
                }
            }
        }
        TypeKind::OneOf(variants)
    }

    /// Upstream's enum style: `oneOf: [{type: string, enum: names}, {type: integer, enum: numbers}]`.
    fn enum_union(
        &mut self,
        members: &[Option<&Schema>],
        ext: &IndexMap<String, Value>,
        at: &str,
    ) -> Option<TypeKind> {
        let mut names = None;
        let mut numbers = None;
        for member in members.iter().copied() {
            let member = member?;
            match &member.schema_kind {
                SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                    names = Some(s.enumeration.iter().flatten().cloned().collect::<Vec<_>>());
                }
                SchemaKind::Type(Type::Integer(i)) if !i.enumeration.is_empty() => {
                    let member_ext = &member.schema_data.extensions;
                    let values: Vec<i64> = i.enumeration.iter().flatten().copied().collect();
                    numbers = Some((values, member_ext.get("x-enum-varnames").cloned()));
                }
                _ => return None,
            }
        }
        let wire = match ext.get("x-enum-type").and_then(Value::as_str) {
            Some("string") => EnumWire::Name,
            Some(_) => EnumWire::Integer,
            None if numbers.is_some() => EnumWire::Integer,
            None => EnumWire::Name,
        };
        Some(TypeKind::Enum(match (numbers, names) {
            (Some((values, varnames)), _) => {
                let mut merged = ext.clone();
                if let Some(v) = varnames {
                    merged.insert("x-enum-varnames".into(), v);
                }
                self.int_enum(&values, &merged, wire, at)
            }
            (None, Some(names)) => self.string_enum(&names, ext, at),
            (None, None) => return None,
        }))
    }

    fn int_enum(
        &mut self,
        values: &[i64],
        ext: &IndexMap<String, Value>,
        wire: EnumWire,
        at: &str,
    ) -> EnumDef {
        let names = self.varnames(ext, values.len(), at);
        let pairs = values
            .iter()
            .enumerate()
            .map(|(i, v)| {
                (
                    names
                        .as_ref()
                        .map_or_else(|| v.to_string(), |n| n[i].clone()),
                    *v,
                )
            })
            .collect();
        self.enum_def(pairs, ext, wire, at)
    }

    fn string_enum(
        &mut self,
        names: &[String],
        ext: &IndexMap<String, Value>,
        at: &str,
    ) -> EnumDef {
        let pairs = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), i as i64))
            .collect();
        self.enum_def(pairs, ext, EnumWire::Name, at)
    }

    fn flags(&mut self, schema: &Schema, at: &str) -> TypeKind {
        let ext = &schema.schema_data.extensions;
        let values: Vec<i64> = ext
            .get("x-fileops-flag-values")
            .and_then(Value::as_array)
            .map(|v| v.iter().filter_map(Value::as_i64).collect())
            .unwrap_or_default();
        if values.is_empty() {
            self.out.push(Diagnostic::error(
                at,
                "x-fileops-flags needs x-fileops-flag-values",
            ));
        }
        TypeKind::Flags(self.int_enum(&values, ext, EnumWire::Integer, at))
    }

    fn varnames(
        &mut self,
        ext: &IndexMap<String, Value>,
        len: usize,
        at: &str,
    ) -> Option<Vec<String>> {
        let names: Vec<String> = ext
            .get("x-enum-varnames")?
            .as_array()?
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        if names.len() == len {
            Some(names)
        } else {
            self.out.push(Diagnostic::warning(
                join(at, "x-enum-varnames"),
                format!(
                    "{} names for {len} values; the values name the variants",
                    names.len()
                ),
            ));
            None
        }
    }

    fn enum_def(
        &mut self,
        pairs: Vec<(String, i64)>,
        ext: &IndexMap<String, Value>,
        wire: EnumWire,
        at: &str,
    ) -> EnumDef {
        let variant_dialects =
            self.ext
                .list_map(ext, "x-fileops-variant-dialects", at, true, self.out);
        let wire_by_dialect = self
            .ext
            .by_dialect(ext, "x-fileops-enum-wire", at, self.out)
            .into_iter()
            .filter_map(|(d, form)| match EnumWire::from_word(&form) {
                Ok(wire) => Some((d, wire)),
                Err(unknown) => {
                    self.out.push(Diagnostic::error(
                        join(at, "x-fileops-enum-wire"),
                        unknown.to_string(),
                    ));
                    None
                }
            })
            .collect();
        let unknown_by_dialect = self
            .ext
            .by_dialect(ext, "x-fileops-enum-unknown", at, self.out);
        // The variants every enum gets for values the schema does not list.
        let mut used: BTreeSet<String> = ["Unlisted", "UnlistedName"]
            .into_iter()
            .map(String::from)
            .collect();
        let variants: Vec<EnumVariant> = pairs
            .into_iter()
            .map(|(wire, value)| EnumVariant {
                ident: unique(variant_name(&wire), &mut used),
                dialects: variant_dialects.get(&wire).cloned().unwrap_or_default(),
                wire,
                value,
            })
            .collect();
        for name in variant_dialects.keys() {
            if !variants.iter().any(|v| &v.wire == name) {
                self.out.push(Diagnostic::error(
                    join(at, "x-fileops-variant-dialects"),
                    format!("`{name}` is not a variant"),
                ));
            }
        }
        for (_, name) in &unknown_by_dialect {
            if !variants.iter().any(|v| &v.wire == name) {
                self.out.push(Diagnostic::error(
                    join(at, "x-fileops-enum-unknown"),
                    format!("`{name}` is not a variant"),
                ));
            }
        }
        EnumDef {
            variants,
            wire,
            wire_by_dialect,
            unknown_by_dialect,
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

/// `oneOf: [{type: integer}, {type: string}]` without enums: an entry id.
fn is_id_union(members: &[Option<&Schema>]) -> bool {
    let mut kinds = BTreeSet::new();
    for member in members {
        match member.map(|m| &m.schema_kind) {
            Some(SchemaKind::Type(Type::Integer(i))) if i.enumeration.is_empty() => {
                kinds.insert("integer")
            }
            Some(SchemaKind::Type(Type::String(s))) if s.enumeration.is_empty() => {
                kinds.insert("string")
            }
            _ => return false,
        };
    }
    kinds.len() == 2
}

fn merge_object(target: &mut IndexMap<String, Value>, key: &str, value: &Value) {
    let entry = target
        .entry(key.to_owned())
        .or_insert_with(|| Value::Object(Default::default()));
    if let (Value::Object(into), Value::Object(from)) = (entry, value) {
        for (k, v) in from {
            into.insert(k.clone(), v.clone());
        }
    }
}
