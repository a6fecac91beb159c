//! Unified diffs for failure messages. When a check finds two documents that should be
//! equal (an XML answer read back against its JSON twin, a listing before and after), the
//! message shows what differs as a line-based diff of both sides, pretty-printed first, so a
//! one-field difference reads as a few lines instead of two whole documents.

use std::fmt::Debug;

use serde_json::Value;
use similar::TextDiff;

/// Lines of unchanged context around each change.
const CONTEXT: usize = 3;

/// A unified diff of two texts, line by line, headed `--- expected` / `+++ got`, with
/// [`CONTEXT`] lines around each change; empty when the texts are equal.
pub fn unified(expected: &str, got: &str) -> String {
    // A missing final newline would show as a change ("\ No newline at end of file") on
    // the last line of either side; both sides end in one so only real changes show.
    let expected = with_newline(expected);
    let got = with_newline(got);
    if expected == got {
        return String::new();
    }
    TextDiff::from_lines(expected.as_str(), got.as_str())
        .unified_diff()
        .context_radius(CONTEXT)
        .header("expected", "got")
        .to_string()
}

/// A unified diff of two JSON values, each pretty-printed (one key or item per line, keys in
/// the documents' own order).
pub fn json(expected: &Value, got: &Value) -> String {
    let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string());
    unified(&pretty(expected), &pretty(got))
}

/// A unified diff of two values' pretty `Debug` forms (`{:#?}`, one field per line): for
/// typed documents, whose `Debug` shows every field the comparison looks at.
pub fn debug<T: Debug + ?Sized>(expected: &T, got: &T) -> String {
    unified(&format!("{expected:#?}"), &format!("{got:#?}"))
}

fn with_newline(text: &str) -> String {
    let mut text = text.to_owned();
    if !text.ends_with('\n') {
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A listing with `n` files, large enough that printing it whole would be long.
    fn listing(n: usize) -> Value {
        let files: Vec<Value> = (0..n)
            .map(|i| json!({"id": i, "title": format!("f{i}.docx"), "version": 1, "shared": false}))
            .collect();
        json!({"status": 0, "response": {"files": files, "total": n}})
    }

    #[test]
    fn a_one_field_change_gives_a_short_diff_naming_that_field() {
        let expected = listing(30);
        let mut got = expected.clone();
        got["response"]["files"][17]["version"] = json!(2);
        let diff = json(&expected, &got);
        assert!(diff.starts_with("--- expected\n+++ got\n@@ "), "{diff}");
        let changed: Vec<&str> = diff
            .lines()
            .filter(|l| (l.starts_with('-') || l.starts_with('+')) && !l.starts_with("---"))
            .filter(|l| !l.starts_with("+++"))
            .collect();
        assert_eq!(
            changed,
            ["-        \"version\": 1,", "+        \"version\": 2,"],
            "{diff}"
        );
        // The title next to the change is context; the other 29 files are not shown.
        assert!(diff.contains("\"title\": \"f17.docx\""), "{diff}");
        assert!(!diff.contains("f3.docx"), "{diff}");
        let whole = serde_json::to_string_pretty(&expected).expect("json");
        assert!(
            diff.lines().count() <= 12 && whole.lines().count() > 150,
            "{diff}"
        );
    }

    #[test]
    fn equal_documents_give_no_diff() {
        assert_eq!(json(&listing(3), &listing(3)), "");
        assert_eq!(unified("a\nb", "a\nb\n"), "");
        assert_eq!(debug(&[1, 2], &[1, 2]), "");
    }

    #[test]
    fn a_debug_diff_is_line_based_per_field() {
        #[derive(Debug)]
        #[allow(dead_code)] // read through Debug only
        struct Op {
            id: &'static str,
            progress: u8,
            finished: bool,
        }
        let diff = debug(
            &Op {
                id: "a",
                progress: 100,
                finished: true,
            },
            &Op {
                id: "a",
                progress: 40,
                finished: true,
            },
        );
        assert!(
            diff.contains("\n-    progress: 100,\n+    progress: 40,\n"),
            "{diff}"
        );
        assert!(diff.contains("     finished: true,\n"), "{diff}");
    }

    #[test]
    fn an_extra_last_line_is_an_addition_not_a_newline_change() {
        let diff = unified("a\nb", "a\nb\nc");
        assert!(diff.contains("+c\n"), "{diff}");
        assert!(!diff.contains("No newline"), "{diff}");
    }
}
