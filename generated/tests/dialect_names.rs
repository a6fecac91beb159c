//! Every generated table names a dialect by the one static of its name
//! (`dialects::names`), so the runtime's address check settles every match; a table
//! that held a copy would still read right, only slower, and this test would fail.

use fileops_api::dialects;
use fileops_api::operations::CATALOGUE;
use fileops_api::runtime::{dialect::same_name, Shape};

fn assert_shared(names: &[&str], whose: &str) {
    for name in names {
        assert!(
            dialects::ALL.iter().any(|d| std::ptr::eq(d.name, *name)),
            "{whose}: the dialect name {name:?} is not the shared static"
        );
    }
}

fn walk(shape: &'static Shape, seen: &mut Vec<*const Shape>) {
    if seen.contains(&(shape as *const Shape)) {
        return;
    }
    seen.push(shape);
    match shape {
        Shape::Array(item) | Shape::Map(item) => walk(item, seen),
        Shape::Object(object) => {
            for field in object.fields {
                assert_shared(field.dialects, field.name);
                let keys: Vec<_> = field.wire_names.iter().map(|(d, _)| *d).collect();
                assert_shared(&keys, field.name);
                walk(field.shape, seen);
            }
        }
        Shape::OneOf(one) => one.variants.iter().for_each(|(_, s, _)| walk(s, seen)),
        Shape::Enum(e) => {
            let keyed: Vec<_> = (e.wire_by_dialect.iter().map(|(d, _)| *d))
                .chain(e.unknown_by_dialect.iter().map(|(d, _)| *d))
                .collect();
            assert_shared(&keyed, e.name);
            for (_, names) in e.variant_dialects {
                assert_shared(names, e.name);
            }
        }
        _ => {}
    }
}

#[test]
fn every_table_holds_the_shared_dialect_names() {
    let mut seen = Vec::new();
    let mut tables = 0;
    for op in CATALOGUE.iter() {
        assert_shared(op.dialects, op.id);
        assert_shared(op.anonymous, op.id);
        for param in op.params {
            assert_shared(param.dialects, param.name);
            walk(param.shape, &mut seen);
        }
        for response in op.responses {
            assert_shared(response.dialects, op.id);
            for (_, names) in response.media {
                assert_shared(names, op.id);
            }
            response
                .payload
                .into_iter()
                .for_each(|s| walk(s, &mut seen));
        }
        op.body.into_iter().for_each(|s| walk(s, &mut seen));
        tables += 1;
    }
    assert!(tables > 0 && seen.len() > 10, "the walk reached the shapes");
}

#[test]
fn names_from_elsewhere_still_compare_by_text() {
    let copy = String::from(dialects::DOCSPACE.name);
    assert!(!std::ptr::eq(copy.as_str(), dialects::DOCSPACE.name));
    assert!(same_name(&copy, dialects::DOCSPACE.name));
    assert!(!same_name(&copy, dialects::WORKSPACE.name));
    assert!(dialects::DOCSPACE.is_in(&[copy.as_str()]));
}
