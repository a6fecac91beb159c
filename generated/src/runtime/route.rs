//! Matching a request's method and path to an operation of the catalogue.
//!
//! Upstream routes ignore case and prefer literal segments over templates
//! (`fileops/move` over `fileops/{operationType}`). The table is built once per router, so a
//! request compares only the templates of its own method and segment count, without
//! allocating per candidate.

use axum::http::Method;
use percent_encoding::percent_decode_str;

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
    segments: Vec<Segment>,
    operation: &'static OperationInfo,
}

impl Route {
    /// Whether the route takes the path's segments (as many as it has).
    ///
    /// Templates share their leading segments (`/api/2.0/files/`), so comparing from the
    /// end tells them apart soonest.
    fn matches(&self, segments: &[&str]) -> bool {
        self.segments
            .iter()
            .zip(segments)
            .rev()
            .all(|(t, s)| match t {
                Segment::Literal(literal) => same_segment(literal, s),
                Segment::Param(_) => !s.is_empty(),
            })
    }
}

/// Whether a request's (still encoded) path segment is a template's literal, in any case.
fn same_segment(literal: &str, raw: &str) -> bool {
    if raw.contains('%') {
        literal.eq_ignore_ascii_case(&percent_decode_str(raw).decode_utf8_lossy())
    } else {
        literal.eq_ignore_ascii_case(raw)
    }
}

/// The most segments a path is split into without allocating; no template has nearly as
/// many, so a longer path matches nothing.
const MAX_SEGMENTS: usize = 32;

/// The operations a dialect serves, by method and segment count, most literal first.
#[derive(Debug)]
pub struct Routes {
    /// Per method, entry `n` holds the routes of `n` segments.
    by_method: Vec<(Method, Vec<Vec<Route>>)>,
}

/// A matched operation and its path parameters by template name, percent-decoded.
pub type Matched = (&'static OperationInfo, Vec<(&'static str, String)>);

impl Routes {
    /// The routes of the operations `dialect` has in `catalogue`.
    pub fn new(catalogue: &'static [OperationInfo], dialect: &Dialect) -> Self {
        let mut by_method: Vec<(Method, Vec<Vec<Route>>)> = Vec::new();
        for operation in catalogue.iter().filter(|op| dialect.is_in(op.dialects)) {
            // The catalogue is generated from the schema, whose methods are HTTP's; one that
            // is not cannot be requested, so it gets no route.
            let Ok(method) = Method::from_bytes(operation.method.to_ascii_uppercase().as_bytes())
            else {
                continue;
            };
            let segments: Vec<Segment> = operation.path.split('/').map(segment).collect();
            if segments.len() > MAX_SEGMENTS {
                continue;
            }
            let at = match by_method.iter().position(|(m, _)| *m == method) {
                Some(at) => at,
                None => {
                    by_method.push((method, Vec::new()));
                    by_method.len() - 1
                }
            };
            let by_length = &mut by_method[at].1;
            if by_length.len() <= segments.len() {
                by_length.resize_with(segments.len() + 1, Vec::new);
            }
            by_length[segments.len()].push(Route {
                segments,
                operation,
            });
        }
        for routes in by_method.iter_mut().flat_map(|(_, r)| r) {
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
        Self { by_method }
    }

    /// The operation `method` and `path` name, with its path parameters.
    pub fn find(&self, method: &Method, path: &str) -> Option<Matched> {
        let (_, by_length) = self.by_method.iter().find(|(m, _)| m == method)?;
        let mut split = [""; MAX_SEGMENTS];
        let mut count = 0;
        for segment in path.trim_end_matches('/').split('/') {
            *split.get_mut(count)? = segment;
            count += 1;
        }
        let segments = &split[..count];
        let route = by_length
            .get(count)?
            .iter()
            .find(|route| route.matches(segments))?;
        let params = route
            .segments
            .iter()
            .zip(segments)
            .filter_map(|(t, s)| match t {
                Segment::Param(name) => Some((
                    *name,
                    percent_decode_str(s).decode_utf8_lossy().into_owned(),
                )),
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
    fn encoded_literals_match_their_text() {
        let (path, _) = find(Method::PUT, "/api/2.0/files/fileops/%6Dove").expect("matched");
        assert_eq!(path, "/api/2.0/files/fileops/move");
    }

    #[test]
    fn another_method_length_or_an_empty_parameter_matches_nothing() {
        assert_eq!(find(Method::PATCH, "/api/2.0/files/fileops/move"), None);
        assert_eq!(
            find(Method::GET, "/api/2.0/files/fileops/move/extra/x"),
            None
        );
        assert_eq!(find(Method::GET, "/api/2.0/files/file//history"), None);
        assert_eq!(find(Method::GET, &"/a".repeat(MAX_SEGMENTS + 1)), None);
    }
}
