//! The generated types read leniently and write per dialect with fileops-api's runtime, in a
//! crate that pulls no HTTP stack.

use fileops_api::dialects;
use fileops_api::runtime::{codec, Format, Success};
use fileops_example_own_spec::shelf::types::{Shelf, ShelfKind};

#[test]
fn generated_types_read_leniently_and_write_per_dialect() {
    let shelf: Shelf = codec::decode_json(br#"{"ID":"7","Kind":"pinned"}"#, None).expect("reads");
    assert_eq!(shelf.id, 7);
    assert_eq!(shelf.kind, ShelfKind::Pinned);
    let text = codec::encode_success(
        &Success::ok(shelf.clone()),
        &dialects::WORKSPACE,
        Format::Xml,
    )
    .expect("writes");
    assert!(text.contains("<kind>1</kind>"), "{text}");
    let read: Success<Shelf> =
        codec::decode_success(text.as_bytes(), Format::Xml, Some(&dialects::WORKSPACE))
            .expect("reads back");
    assert_eq!(read.response, shelf);
}

#[test]
fn a_kind_the_spec_does_not_list_is_kept() {
    let shelf: Shelf = codec::decode_json(br#"{"id":1,"kind":9}"#, None).expect("reads");
    assert_eq!(shelf.kind, ShelfKind::Unlisted(9));
    assert!(codec::encode_json(&shelf, &dialects::DOCSPACE)
        .expect("writes")
        .contains("\"kind\":9"));
}
