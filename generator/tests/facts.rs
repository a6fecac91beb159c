//! `schema/README.md` lists the open facts exactly as the schema states them.

#[test]
fn the_schema_readme_lists_every_open_fact() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema");
    let spec = std::fs::read_to_string(dir.join("fileops.yaml")).expect("the schema");
    let readme = std::fs::read_to_string(dir.join("README.md")).expect("its README");
    let table = fileops_codegen::facts(&spec).expect("the schema analyses");
    let (_, rest) = readme
        .split_once("<!-- open-facts:begin -->\n")
        .expect("the README marks the table's start");
    let (listed, _) = rest
        .split_once("<!-- open-facts:end -->")
        .expect("the README marks the table's end");
    assert!(
        listed == table,
        "schema/README.md's table differs from the schema; replace it with the output of \
         `cargo run -p fileops-codegen -- facts schema/fileops.yaml`:\n{table}"
    );
    assert!(table.starts_with(&format!("{} open facts", table.matches("\n| `").count())));
}
