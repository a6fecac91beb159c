//! Matching a request's method and path to an operation of the catalogue.
//!
//! Upstream routes ignore case and prefer literal segments over templates
//! (`fileops/move` over `fileops/{operationType}`). The table is built once per router, so a
//! request compares only the templates of its own method and segment count, without
//! allocating per candidate.

use axum::http::Method;
use percent_encoding::percent_decode_str;
use std::borrow::Cow;
use std::collections::HashMap;

use super::dialect::Dialect;
use super::operation::OperationInfo;

/// One segment of a path template.
#[derive(Debug)]
enum Segment {
    /// Must equal the request's segment, in any case.
    Literal(&'static str),
    /// Takes any non-empty segment as the named parameter.
    Param(&'static str),
}

/// An operation's template, split once.
#[derive(Debug)]
struct Route {
    method: Method,
    segments: Vec<Segment>,
    operation: &'static OperationInfo,
}

impl Route {
    fn matches(&self, method: &Method, segments: &[Cow<'_, str>]) -> bool {
        self.method == *method
            && self.segments.iter().zip(segments).all(|(t, s)| match t {
                Segment::Literal(literal) => literal.eq_ignore_ascii_case(s),
                Segment::Param(_) => !s.is_empty(),
            })
    }
}

/// The operations a dialect serves, by segment count, most literal first.
#[derive(Debug)]
pub struct Routes {
    by_length: HashMap<usize, Vec<Route>>,
}

/// A matched operation and its path parameters by template name, percent-decoded.
pub type Matched = (&'static OperationInfo, Vec<(&'static str, String)>);

impl Routes {
    /// The routes of the operations `dialect` has in `catalogue`.
    pub fn new(catalogue: &'static [OperationInfo], dialect: &Dialect) -> Self {
        let mut by_length: HashMap<usize, Vec<Route>> = HashMap::new();
        for operation in catalogue.iter().filter(|op| dialect.is_in(op.dialects)) {
            // The catalogue is generated from the schema, whose methods are HTTP's; one that
            // is not cannot be requested, so it gets no route.
            let Ok(method) = Method::from_bytes(operation.method.to_ascii_uppercase().as_bytes())
            else {
                continue;
            };
            let segments: Vec<Segment> = operation.path.split('/').map(segment).collect();
            by_length.entry(segments.len()).or_default().push(Route {
                method,
                segments,
                operation,
            });
        }
        for routes in by_length.values_mut() {
            // Stable: among equally literal templates the catalogue's order decides.
            routes.sort_by_key(|r| {
                std::cmp::Reverse(
                    r.segments
                        .iter()
                        .filter(|s| matches!(s, Segment::Literal(_)))
                        .count(),
                )
            });
        }
        Self { by_length }
    }

    /// The operation `method` and `path` name, with its path parameters.
    pub fn find(&self, method: &Method, path: &str) -> Option<Matched> {
        let segments: Vec<Cow<'_, str>> = path
            .trim_end_matches('/')
            .split('/')
            .map(|s| percent_decode_str(s).decode_utf8_lossy())
            .collect();
        let route = self
            .by_length
            .get(&segments.len())?
            .iter()
            .find(|route| route.matches(method, &segments))?;
        let params = route
            .segments
            .iter()
            .zip(segments)
            .filter_map(|(t, s)| match t {
                Segment::Param(name) => Some((*name, s.into_owned())),
                Segment::Literal(_) => None,
            })
            .collect();
        Some((route.operation, params))
    }
}

fn segment(text: &'static str) -> Segment {
    match text.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
        Some(name) => Segment::Param(name),
        None => Segment::Literal(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialects::DOCSPACE;
    use crate::operations::CATALOGUE;

    fn find(method: Method, path: &str) -> Option<(&'static str, Vec<(&'static str, String)>)> {
        Routes::new(&CATALOGUE, &DOCSPACE)
            .find(&method, path)
            .map(|(op, params)| (op.path, params))
    }

    #[test]
    fn a_literal_segment_wins_over_a_template() {
        assert_eq!(
            find(Method::GET, "/api/2.0/files/@my"),
            Some(("/api/2.0/files/@my", vec![]))
        );
        assert_eq!(
            find(Method::GET, "/api/2.0/files/42"),
            Some(("/api/2.0/files/{folderId}", vec![("folderId", "42".into())]))
        );
    }

    #[test]
    fn literals_match_in_any_case_and_parameters_are_decoded() {
        let (path, _) = find(Method::PUT, "/API/2.0/Files/FILEOPS/move/").expect("matched");
        assert_eq!(path, "/api/2.0/files/fileops/move");
        assert_eq!(
            find(Method::GET, "/api/2.0/files/file/a%20B/history"),
            Some((
                "/api/2.0/files/file/{fileId}/history",
                vec![("fileId", "a B".into())]
            ))
        );
    }

    #[test]
    fn another_method_length_or_an_empty_parameter_matches_nothing() {
        assert_eq!(find(Method::PATCH, "/api/2.0/files/fileops/move"), None);
        assert_eq!(
            find(Method::GET, "/api/2.0/files/fileops/move/extra/x"),
            None
        );
        assert_eq!(find(Method::GET, "/api/2.0/files/file//history"), None);
    }
}
