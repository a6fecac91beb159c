//! Unions: `oneOf`/`anyOf` lowered to one-ofs, entry ids or enums.

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use std::collections::BTreeSet;

use super::Lowering;
use crate::diag::{join, Diagnostic};
use crate::ir::{TypeKind, TypeRef, VariantDef};
use crate::naming::{unique, variant_name};

impl<'a> Lowering<'a> {
    pub(super) fn union(
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
