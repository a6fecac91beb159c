//! Enums and flags: values, variant names, and how they go on the wire.

use indexmap::IndexMap;
use openapiv3::{Schema, SchemaKind, Type};
use serde_json::Value;
use std::collections::BTreeSet;

use super::Lowering;
use crate::diag::{join, Diagnostic};
use crate::ir::{EnumDef, EnumVariant, EnumWire, TypeKind};
use crate::naming::{unique, variant_name};
use fileops_vocabulary::Word;

impl<'a> Lowering<'a> {
    /// Upstream's enum style: `oneOf: [{type: string, enum: names}, {type: integer, enum: numbers}]`.
    pub(super) fn enum_union(
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

    pub(super) fn int_enum(
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

    pub(super) fn string_enum(
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

    pub(super) fn flags(&mut self, schema: &Schema, at: &str) -> TypeKind {
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
