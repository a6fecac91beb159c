//! The facts register (`conformance/facts.yaml`) is whole and honest: every fact has checks
//! that exist and run for its families, or a reason; at least 85% of the observable facts are
//! checked; and the README states the register's totals.

use fileops_conformance::facts::{self, Coverage};

#[test]
fn every_fact_is_checked_or_says_why() {
    let register = facts::register().expect("the register reads");
    let problems = facts::problems(&register);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_section_of_the_notes_is_in_the_register_and_most_facts_are_checked() {
    let register = facts::register().expect("the register reads");
    for section in [
        "§1a", "§1b", "§1c", "§2a", "§2b", "§2c", "§3a", "§3b", "§3c", "§4a", "§4b", "§5", "§6",
        "§7", "§8", "§9", "§13.1", "§13.2", "§13.3", "§13.4", "§13.5", "§13.6", "§13.7", "§13.8",
    ] {
        assert!(
            register.iter().any(|f| f.section() == section),
            "no fact of {section}"
        );
    }
    let coverage = Coverage::of(&register);
    println!("{}", coverage.line());
    assert!(coverage.percent() >= 85.0, "{}", coverage.line());
}

#[test]
fn the_readme_states_the_totals() {
    let register = facts::register().expect("the register reads");
    let line = Coverage::of(&register).line();
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("the README");
    assert!(
        readme.contains(&line),
        "README.md must state the register's totals as `list --facts` prints them:\n{line}"
    );
}
