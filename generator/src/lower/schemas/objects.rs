//! Objects: properties lowered to fields, and `allOf` members merged into one object.

use indexmap::IndexMap;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;
use std::collections::BTreeSet;

use super::{Lowering, MERGED};
use crate::diag::{join, Diagnostic};
use crate::ir::{Constraints, FieldDef, TypeKind};
use crate::lower::constraints;
use crate::naming::{field_name, type_name, unique};

impl<'a> Lowering<'a> {
    pub(super) fn fields(
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

    pub(super) fn all_of(
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
