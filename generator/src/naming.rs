//! The only place identifiers are made: heck for case, keywords, invalid characters and
//! clashes.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

const KEYWORDS: [&str; 51] = [
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: [&str; 5] = ["crate", "self", "Self", "super", "_"];

/// Keeps letters, digits and separators, so heck sees word boundaries.
fn clean(raw: &str) -> String {
    raw.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect()
}

fn guard(name: String, fallback: &str, digit_prefix: &str) -> String {
    let name = if name.is_empty() {
        fallback.to_owned()
    } else {
        name
    };
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{digit_prefix}{name}")
    } else {
        name
    }
}

/// A type or variant name (`UpperCamelCase`).
pub fn type_name(raw: &str) -> String {
    let name = guard(clean(raw).to_upper_camel_case(), "Unnamed", "T");
    if name == "Self" {
        "Self_".to_owned()
    } else {
        name
    }
}

/// An enum variant name; numbers get a `V` prefix (`V0`), negatives `Minus`.
pub fn variant_name(raw: &str) -> String {
    let prefixed = match raw.strip_prefix('-') {
        Some(rest) => format!("Minus {rest}"),
        None => raw.to_owned(),
    };
    let name = guard(clean(&prefixed).to_upper_camel_case(), "Empty", "V");
    if name == "Self" {
        "Self_".to_owned()
    } else {
        name
    }
}

/// A field, parameter or method name (`snake_case`, raw identifier for keywords).
pub fn field_name(raw: &str) -> String {
    let name = guard(clean(raw).to_snake_case(), "field", "n");
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// A static's name (`SHOUTY_SNAKE_CASE`).
pub fn static_name(raw: &str) -> String {
    guard(clean(raw).to_shouty_snake_case(), "UNNAMED", "N")
}

/// Makes `name` unique among `used` by appending 2, 3... and records it.
pub fn unique(name: String, used: &mut BTreeSet<String>) -> String {
    let bare = name.trim_start_matches("r#").to_owned();
    if used.insert(bare.clone()) {
        return name;
    }
    let mut n = 2;
    loop {
        let candidate = format!(
            "{bare}{}{n}",
            if bare.ends_with(|c: char| c.is_ascii_digit()) {
                "_"
            } else {
                ""
            }
        );
        if used.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_and_digits() {
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("2fa"), "n2fa");
        assert_eq!(field_name("fileIds[]"), "file_ids");
        assert_eq!(type_name("file-operation dto"), "FileOperationDto");
        assert_eq!(type_name("Self"), "Self_");
        assert_eq!(variant_name("DEFAULT"), "Default");
        assert_eq!(variant_name("0"), "V0");
        assert_eq!(variant_name("-1"), "Minus1");
        assert_eq!(static_name("FileOperation"), "FILE_OPERATION");
    }

    #[test]
    fn clashes_get_numbers() {
        let mut used = BTreeSet::new();
        assert_eq!(unique(field_name("Operation"), &mut used), "operation");
        assert_eq!(unique(field_name("operation"), &mut used), "operation2");
        assert_eq!(unique("v1".into(), &mut used), "v1");
        assert_eq!(unique("v1".into(), &mut used), "v1_2");
    }
}
