//! Named types: structs, enums with string/int duality, flag sets, one-ofs and aliases,
//! each with its static wire shape.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::tokens::{
    dialect_list, dialect_name, dialect_pairs, doc, ident, rust_type, shape_of, shape_static,
    str_list,
};
use crate::ir::{EnumDef, EnumWire, FieldDef, Holding, Ir, TypeDef, TypeKind, TypeRef, VariantDef};
use crate::naming::static_name;

/// Each type's items, one type at a time.
pub fn emit(ir: &Ir) -> impl Iterator<Item = TokenStream> + '_ {
    ir.types.iter().map(|def| type_def(def, ir))
}

fn type_def(def: &TypeDef, ir: &Ir) -> TokenStream {
    match &def.kind {
        TypeKind::Struct(fields) => structure(def, fields, ir),
        TypeKind::Enum(e) => enumeration(def, e),
        TypeKind::Flags(e) => flags(def, e),
        TypeKind::OneOf(variants) => one_of(def, variants, ir),
        TypeKind::Alias(target) => {
            let name = ident(&def.name);
            let docs = doc(def.doc.as_deref());
            let target = rust_type(target);
            quote!(#docs pub type #name = #target;)
        }
    }
}

/// The `Model` impl, with `methods` overriding the trait's defaults.
fn model_impl(def: &TypeDef, shape: TokenStream, methods: TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let shape_name = shape_static(&def.name, "SHAPE");
    quote! {
        impl super::runtime::Model for #name {
            const SHAPE: &'static super::runtime::Shape = &#shape_name;
            #methods
        }
        #[doc(hidden)]
        pub static #shape_name: super::runtime::Shape = #shape;
    }
}

fn structure(def: &TypeDef, fields: &[FieldDef], ir: &Ir) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc(def.doc.as_deref());
    let members = fields.iter().map(|f| field(def, f));
    let object_name = shape_static(&def.name, "OBJECT");
    let schema_name = &def.schema_name;
    let field_shapes = fields.iter().map(|f| field_shape(f, ir));
    let mut methods = serialize_wire(def, fields, &object_name);
    methods.extend(own_count(fields));
    let model = model_impl(
        def,
        quote!(super::runtime::Shape::Object(&#object_name)),
        methods,
    );
    let serialize = serialize_impl(def, fields, &object_name);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, serde::Deserialize)]
        #[serde(rename = #schema_name)]
        pub struct #name { #(#members)* }
        #serialize
        #model
        static #object_name: super::runtime::ObjectShape = super::runtime::ObjectShape {
            name: #schema_name,
            fields: &[#(#field_shapes),*],
        };
    }
}

/// `Model::own_count` for an object with an integer `count` member (a folder listing's page
/// size, which Community Server's envelope repeats).
fn own_count(fields: &[FieldDef]) -> TokenStream {
    let Some(f) = fields
        .iter()
        .find(|f| f.wire == "count" && matches!(f.ty, TypeRef::I32 | TypeRef::I64))
    else {
        return TokenStream::new();
    };
    let member = ident(&f.ident);
    let value = match f.holding() {
        Holding::Plain => quote!(Some(i64::from(self.#member))),
        _ => quote!(self.#member.map(i64::from)),
    };
    quote! {
        fn own_count(&self) -> Option<i64> {
            #value
        }
    }
}

/// `Serialize` with the keys taken from the shape table: the wire writer then knows each
/// field by address, without comparing names, and the schema name reaches the serializer,
/// so a one-of's variant is known on writing. An absent optional value is skipped, so
/// writing it costs nothing.
fn serialize_impl(def: &TypeDef, fields: &[FieldDef], object_name: &Ident) -> TokenStream {
    let name = ident(&def.name);
    let schema_name = &def.schema_name;
    let count = proc_macro2::Literal::usize_unsuffixed(fields.len());
    let writes = fields.iter().enumerate().map(|(i, f)| {
        let member = ident(&f.ident);
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        match f.holding() {
            Holding::Optional => quote!(optional(&mut out, keys[#i].name, &self.#member)?;),
            Holding::Plain | Holding::DefaultVec => {
                quote!(out.serialize_field(keys[#i].name, &self.#member)?;)
            }
        }
    });
    let keys = (!fields.is_empty()).then(|| quote!(let keys = #object_name.fields;));
    let optional = fields
        .iter()
        .any(|f| f.holding() == Holding::Optional)
        .then(|| {
            quote!(
                use super::runtime::model::write_optional as optional;
            )
        });
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct;
                #optional
                #keys
                let mut out = serializer.serialize_struct(#schema_name, #count)?;
                #(#writes)*
                out.end()
            }
        }
    }
}

/// A `Model::serialize_wire` method with this body; `dialect` names the dialect parameter
/// (`_` where the body does not read it).
fn serialize_wire_fn(dialect: TokenStream, body: TokenStream) -> TokenStream {
    quote! {
        fn serialize_wire<S: serde::Serializer>(
            &self,
            serializer: S,
            #dialect: &super::runtime::Dialect,
        ) -> Result<S::Ok, S::Error> {
            #body
        }
    }
}

/// `Model::serialize_wire`: each field written in the dialect's form by its own type, with
/// its rules (key, dialects, nulls) taken from the shape table by position, so writing
/// looks nothing up by key.
fn serialize_wire(def: &TypeDef, fields: &[FieldDef], object_name: &Ident) -> TokenStream {
    let schema_name = &def.schema_name;
    let count = proc_macro2::Literal::usize_unsuffixed(fields.len());
    // A field every dialect has under one name needs no look-up when written.
    let common = |f: &FieldDef| f.dialects.is_empty() && f.wire_names.is_empty();
    let writes = fields.iter().enumerate().map(|(i, f)| {
        let member = ident(&f.ident);
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        let write = if common(f) {
            quote!(common)
        } else {
            quote!(field)
        };
        quote!(#write(&mut out, &keys[#i], &self.#member, dialect)?;)
    });
    let imports = [
        fields
            .iter()
            .any(common)
            .then(|| quote!(write_common_field as common)),
        fields
            .iter()
            .any(|f| !common(f))
            .then(|| quote!(write_field as field)),
    ];
    let imports = imports.into_iter().flatten();
    let prelude = (!fields.is_empty()).then(|| {
        quote! {
            use super::runtime::model::{#(#imports),*};
            let keys = #object_name.fields;
        }
    });
    let dialect = if fields.is_empty() {
        quote!(_)
    } else {
        quote!(dialect)
    };
    serialize_wire_fn(
        dialect,
        quote! {
            use serde::ser::SerializeStruct;
            #prelude
            let mut out = serializer.serialize_struct(#schema_name, #count)?;
            #(#writes)*
            out.end()
        },
    )
}

fn field(owner: &TypeDef, f: &FieldDef) -> TokenStream {
    let name = ident(&f.ident);
    let wire = &f.wire;
    let docs = doc(f.doc.as_deref());
    let mut ty = rust_type(&f.ty);
    if f.ty == TypeRef::Named(owner.name.clone()) {
        ty = quote!(Box<#ty>);
    }
    let (ty, attr) = match f.holding() {
        Holding::Plain => (ty, quote!(#[serde(rename = #wire)])),
        Holding::DefaultVec => (ty, quote!(#[serde(rename = #wire, default)])),
        Holding::Optional => (
            quote!(Option<#ty>),
            quote!(#[serde(rename = #wire, default)]),
        ),
    };
    quote!(#docs #attr pub #name: #ty,)
}

fn field_shape(f: &FieldDef, ir: &Ir) -> TokenStream {
    let name = &f.wire;
    let wire_names = dialect_pairs(&f.wire_names);
    let dialects = dialect_list(&f.dialects);
    let nullable = f.nullable;
    let required = f.required;
    let shape = shape_of(&f.ty, ir);
    quote! {
        super::runtime::Field {
            name: #name,
            wire_names: #wire_names,
            dialects: #dialects,
            nullable: #nullable,
            required: #required,
            shape: #shape,
        }
    }
}

fn enum_shape(def: &TypeDef, e: &EnumDef, is_flags: bool) -> TokenStream {
    let shape_name = shape_static(&def.name, "ENUM");
    let schema_name = &def.schema_name;
    let variants = e.variants.iter().map(|v| {
        let (wire, value) = (&v.wire, v.value);
        quote!((#wire, #value))
    });
    let wire = wire_form(e.wire);
    let by_dialect = e.wire_by_dialect.iter().map(|(d, w)| {
        let d = dialect_name(d);
        let w = wire_form(*w);
        quote!((#d, #w))
    });
    let unknown = dialect_pairs(&e.unknown_by_dialect);
    let variant_dialects = e
        .variants
        .iter()
        .filter(|v| !v.dialects.is_empty())
        .map(|v| {
            let wire = &v.wire;
            let dialects = dialect_list(&v.dialects);
            quote!((#wire, #dialects))
        });
    quote! {
        #[doc(hidden)]
        pub static #shape_name: super::runtime::EnumShape = super::runtime::EnumShape {
            name: #schema_name,
            variants: &[#(#variants),*],
            flags: #is_flags,
            wire: #wire,
            wire_by_dialect: &[#(#by_dialect),*],
            unknown_by_dialect: #unknown,
            variant_dialects: &[#(#variant_dialects),*],
        };
    }
}

fn wire_form(w: EnumWire) -> TokenStream {
    super::tokens::word(w)
}

fn enumeration(def: &TypeDef, e: &EnumDef) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc(def.doc.as_deref());
    let idents: Vec<_> = e.variants.iter().map(|v| ident(&v.ident)).collect();
    let variant_docs = e.variants.iter().map(|v| {
        let text = match v.dialects.as_slice() {
            [] => format!("`{}` ({}).", v.wire, v.value),
            only => format!("`{}` ({}); only in {}.", v.wire, v.value, only.join(", ")),
        };
        doc(Some(&text))
    });
    let wires = e.variants.iter().map(|v| &v.wire);
    let values = e.variants.iter().map(|v| v.value);
    let shape_name = shape_static(&def.name, "ENUM");
    let shape = enum_shape(def, e, false);
    let model = model_impl(
        def,
        quote!(super::runtime::Shape::Enum(&#shape_name)),
        serialize_wire_fn(
            quote!(dialect),
            quote!(super::runtime::wire_enum::serialize_in(
                self, serializer, dialect
            )),
        ),
    );
    let listed_docs = doc(Some(
        "A number the schema does not list (a newer server's value), kept as received.",
    ));
    let named_docs = doc(Some(
        "A name the schema does not list (a newer server's value), kept as received.",
    ));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variant_docs #idents,)*
            #listed_docs
            Unlisted(i64),
            #named_docs
            UnlistedName(Box<str>),
        }
        impl super::runtime::WireEnum for #name {
            const SHAPE: &'static super::runtime::EnumShape = &#shape_name;
            const ALL: &'static [Self] = &[#(Self::#idents),*];
            fn value(&self) -> Option<i64> {
                match self {
                    #(Self::#idents => Some(#values),)*
                    Self::Unlisted(value) => Some(*value),
                    Self::UnlistedName(_) => None,
                }
            }
            fn wire_name(&self) -> Option<&str> {
                match self {
                    #(Self::#idents => Some(#wires),)*
                    Self::Unlisted(_) => None,
                    Self::UnlistedName(name) => Some(name),
                }
            }
            fn unlisted(value: i64) -> Self {
                Self::Unlisted(value)
            }
            fn unlisted_name(name: &str) -> Self {
                Self::UnlistedName(name.into())
            }
        }
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                super::runtime::wire_enum::serialize(self, serializer)
            }
        }
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                super::runtime::wire_enum::deserialize(deserializer)
            }
        }
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                super::runtime::wire_enum::display(self, f)
            }
        }
        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Ok(<Self as super::runtime::WireEnum>::parse(text))
            }
        }
        #shape
        #model
    }
}

fn flags(def: &TypeDef, e: &EnumDef) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc(def.doc.as_deref());
    let consts = e.variants.iter().map(|v| {
        let c = ident(&static_name(&v.wire));
        let value = v.value;
        let d = doc(Some(&format!("`{}` ({}).", v.wire, v.value)));
        quote!(#d pub const #c: Self = Self(#value);)
    });
    let shape_name = shape_static(&def.name, "ENUM");
    let shape = enum_shape(def, e, true);
    // A flag set is a number in every dialect.
    let model = model_impl(
        def,
        quote!(super::runtime::Shape::Enum(&#shape_name)),
        serialize_wire_fn(
            quote!(_),
            quote!(serde::Serialize::serialize(self, serializer)),
        ),
    );
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        pub struct #name(pub i64);
        impl #name {
            #(#consts)*
            /// Whether every flag of `other` is set.
            pub fn contains(self, other: Self) -> bool {
                self.0 & other.0 == other.0
            }
        }
        impl std::ops::BitOr for #name {
            type Output = Self;
            fn bitor(self, other: Self) -> Self {
                Self(self.0 | other.0)
            }
        }
        impl super::runtime::WireFlags for #name {
            const SHAPE: &'static super::runtime::EnumShape = &#shape_name;
            fn from_bits(bits: i64) -> Self {
                Self(bits)
            }
            fn bits(self) -> i64 {
                self.0
            }
        }
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.0)
            }
        }
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                super::runtime::wire_enum::deserialize_flags(deserializer)
            }
        }
        #shape
        #model
    }
}

fn one_of(def: &TypeDef, variants: &[VariantDef], ir: &Ir) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc(def.doc.as_deref());
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.ident)).collect();
    let types: Vec<_> = variants.iter().map(|v| rust_type(&v.ty)).collect();
    let indexes = 0..variants.len();
    let one_of_name = shape_static(&def.name, "ONE_OF");
    let schema_name = &def.schema_name;
    let entries = variants.iter().map(|v| {
        let wire = &v.wire;
        let shape = shape_of(&v.ty, ir);
        let keys = str_list(&v.keys);
        quote!((#wire, #shape, #keys))
    });
    // Each variant writes itself in the dialect's form, as its own type (a one-of without
    // variants has no values, and keeps the default).
    let serialize_wire = (!variants.is_empty()).then(|| {
        serialize_wire_fn(
            quote!(dialect),
            quote! {
                match self {
                    #(Self::#idents(value) => super::runtime::Model::serialize_wire(value, serializer, dialect),)*
                }
            },
        )
    });
    let model = model_impl(
        def,
        quote!(super::runtime::Shape::OneOf(&#one_of_name)),
        serialize_wire.unwrap_or_default(),
    );
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        pub enum #name { #(#idents(#types),)* }
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                use serde::de::{Error as _, IntoDeserializer as _};
                // The variant is told by its keys, so the value is held until they are known.
                let content = <super::runtime::buffer::Content as serde::Deserialize>::deserialize(deserializer)?;
                match super::runtime::one_of::pick_content(&content, &#one_of_name).map_err(D::Error::custom)? {
                    #(#indexes => serde::Deserialize::deserialize(content.into_deserializer()).map(Self::#idents),)*
                    other => Err(D::Error::custom(format!("no variant {other}"))),
                }
            }
        }
        #model
        static #one_of_name: super::runtime::OneOfShape = super::runtime::OneOfShape {
            name: #schema_name,
            variants: &[#(#entries),*],
        };
    }
}
