//! What a schema defines: the dispatch by kind, and the schemas that need no type of their own.

use openapiv3::{
    AdditionalProperties, IntegerFormat, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty,
};

use super::Lowering;
use crate::diag::{join, Diagnostic};
use crate::ir::{EnumWire, TypeKind, TypeRef};

impl<'a> Lowering<'a> {
    /// What a schema defines when it is given the name `name`.
    pub(super) fn define(&mut self, name: &str, schema: &Schema, at: &str) -> TypeKind {
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
}
