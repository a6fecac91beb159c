//! String/int duality: every accepted encoding of every variant of every enum decodes to
//! that variant, in JSON and in XML text.

mod support;

use fileops_api::runtime::{codec, Format, Shape, WireEnum, WireFlags};
use fileops_api::types::*;
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// How a variant may be sent.
#[derive(Debug, Clone)]
enum Encoding {
    Number,
    NumericString,
    Name(Vec<bool>),
}

fn encoding() -> impl Strategy<Value = Encoding> {
    prop_oneof![
        Just(Encoding::Number),
        Just(Encoding::NumericString),
        prop::collection::vec(any::<bool>(), 32).prop_map(Encoding::Name),
    ]
}

fn encode<E: WireEnum>(variant: &E, how: &Encoding) -> Value {
    let number = variant.value().expect("a listed variant has a number");
    match how {
        Encoding::Number => Value::from(number),
        Encoding::NumericString => Value::String(number.to_string()),
        Encoding::Name(mask) => Value::String(
            variant
                .wire_name()
                .expect("a listed variant has a name")
                .chars()
                .zip(mask.iter().cycle())
                .map(|(c, upper)| {
                    if *upper {
                        c.to_ascii_uppercase()
                    } else {
                        c.to_ascii_lowercase()
                    }
                })
                .collect(),
        ),
    }
}

/// JSON through serde, and XML text through the schema-guided reader, both give `variant`.
fn check<
    E: WireEnum + DeserializeOwned + PartialEq + std::fmt::Debug + fileops_api::runtime::Model,
>(
    index: usize,
    how: &Encoding,
) -> Result<(), TestCaseError> {
    let variant = E::ALL[index % E::ALL.len()].clone();
    let sent = encode(&variant, how);
    let read: E =
        serde_json::from_value(sent.clone()).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(read, variant.clone());
    let text = match &sent {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    // The same text as an XML leaf, read as Workspace's XML is read.
    let xml = format!("<v>{}</v>", quick_xml::escape::escape(&text));
    let read: E = codec::decode(xml.as_bytes(), Format::Xml, None)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(read, variant);
    Ok(())
}

proptest! {
    #![proptest_config(support::proptest_config(256))]

    #[test]
    fn every_encoding_of_every_variant_decodes(index in 0usize..64, how in encoding()) {
        check::<FileOperationType>(index, &how)?;
        check::<FileConflictResolveType>(index, &how)?;
        check::<DistributedTaskStatus>(index, &how)?;
        check::<CheckDestFolderResult>(index, &how)?;
        check::<FileShare>(index, &how)?;
        check::<FolderType>(index, &how)?;
        check::<FileEntryType>(index, &how)?;
        check::<FileType>(index, &how)?;
    }

    #[test]
    fn flag_sets_decode_from_numbers_and_names(bits in prop::collection::vec(any::<bool>(), 9)) {
        let shape = FileStatus::SHAPE;
        let chosen: Vec<(&str, i64)> = shape.variants[1..].iter().zip(&bits).filter(|(_, on)| **on).map(|(v, _)| *v).collect();
        let value = chosen.iter().fold(0, |acc, (_, v)| acc | v);
        let names = chosen.iter().map(|(n, _)| n.to_ascii_lowercase()).collect::<Vec<_>>().join(", ");
        let from_number: FileStatus = serde_json::from_value(Value::from(value)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let from_names: FileStatus = serde_json::from_value(Value::String(if names.is_empty() { "None".into() } else { names })).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(from_number.bits(), value);
        prop_assert_eq!(from_names.bits(), value);
    }
}

#[test]
fn the_wire_name_of_every_variant_is_the_schema_name() {
    assert!(matches!(FileOperationType::SHAPE.variants.len(), 8));
    assert_eq!(DistributedTaskStatus::Failted.wire_name(), Some("Failted"));
    assert_eq!(FolderType::Trash.wire_name(), Some("TRASH"));
    assert_eq!(FolderType::Trash.value(), Some(3));
    assert!(matches!(
        <FileShare as fileops_api::runtime::Model>::SHAPE,
        Shape::Enum(_)
    ));
    assert!(
        !FileOperationType::SHAPE.in_dialect(7, "workspace"),
        "Duplicate is DocSpace-only"
    );
    assert!(FileOperationType::SHAPE.in_dialect(7, "docspace"));
}
