//! Which operation a request names, from its method and path as a person or a recording has
//! them: a full URL or a path, a portal's own prefix before `/api/`, a query, a `.json` or
//! `.xml` suffix. `validate --operation "PUT /api/2.0/files/fileops/terminate"` and the
//! judging of recorded traffic both start here.

use axum::http::Method;
use fileops_api::operations::CATALOGUE;
use fileops_api::runtime::operation::OperationInfo;
use fileops_api::runtime::route::Routes;
use fileops_api::runtime::{Dialect, Format};

/// A dialect's operations, ready to be looked up by method and path.
#[derive(Debug)]
pub struct Catalogue {
    dialect: &'static Dialect,
    routes: Routes,
}

/// The operation a request names.
#[derive(Debug, Clone)]
pub struct Named {
    /// The operation.
    pub operation: &'static OperationInfo,
    /// The format the path's suffix selects (JSON without one).
    pub format: Format,
    /// The path parameters, decoded.
    pub params: Vec<(&'static str, String)>,
}

impl Catalogue {
    /// The operations `dialect` serves.
    pub fn new(dialect: &'static Dialect) -> Self {
        Catalogue {
            dialect,
            routes: Routes::new(&CATALOGUE, dialect),
        }
    }

    /// The operation `method` and `target` (a URL or a path, with or without a query) name;
    /// `None` for a request outside the API (another API of the portal, a page, a file).
    pub fn find(&self, method: &str, target: &str) -> Option<Named> {
        let method = Method::from_bytes(method.trim().to_ascii_uppercase().as_bytes()).ok()?;
        let path = api_path(target)?;
        let (format, path) = self.dialect.format_for_path(path);
        let (operation, params) = self.routes.find(&method, path)?;
        Some(Named {
            operation,
            format,
            params,
        })
    }

    /// The operation `text` names: an operationId, or a method and a path
    /// (`PUT /api/2.0/files/fileops/terminate`).
    pub fn resolve(&self, text: &str) -> Result<&'static OperationInfo, String> {
        let text = text.trim();
        match text.split_once(char::is_whitespace) {
            Some((method, target)) => self
                .find(method, target.trim())
                .map(|named| named.operation)
                .ok_or_else(|| {
                    format!(
                        "{} serves no operation at {method} {} (see `list --operations`)",
                        self.dialect.name,
                        target.trim()
                    )
                }),
            None => CATALOGUE
                .iter()
                .find(|op| op.id == text && self.dialect.is_in(op.dialects))
                .ok_or_else(|| {
                    format!(
                        "{} has no operation {text} (an operationId or a method and path; see `list --operations`)",
                        self.dialect.name
                    )
                }),
        }
    }
}

/// The API part of a request target: from `/api/` on (a portal may sit under a prefix),
/// without scheme, host, query or fragment. `None` when the target is not under `/api/`.
pub fn api_path(target: &str) -> Option<&str> {
    let without_scheme = match target.find("://") {
        Some(at) => {
            let rest = &target[at + 3..];
            &rest[rest.find('/')?..]
        }
        None => target,
    };
    let path = without_scheme
        .split(['?', '#'])
        .next()
        .unwrap_or(without_scheme);
    let at = path.to_ascii_lowercase().find("/api/")?;
    Some(&path[at..])
}

#[cfg(test)]
mod tests {
    use super::*;
    use fileops_api::dialects::{DOCSPACE, WORKSPACE};

    #[test]
    fn a_target_loses_its_host_prefix_query_and_fragment() {
        assert_eq!(
            api_path("https://portal.example/office/api/2.0/files/fileops?x=1#y"),
            Some("/api/2.0/files/fileops")
        );
        assert_eq!(api_path("/API/2.0/files/@my"), Some("/API/2.0/files/@my"));
        assert_eq!(api_path("https://portal.example/"), None);
        assert_eq!(api_path("/static/app.js"), None);
    }

    #[test]
    fn a_method_and_path_name_the_operation_in_any_case_and_format() {
        let workspace = Catalogue::new(&WORKSPACE);
        let named = workspace
            .find(
                "put",
                "https://p.example/api/2.0/files/fileops/delete.xml?x=1",
            )
            .expect("named");
        assert_eq!(named.operation.id, "deleteBatchItems");
        assert_eq!(named.format, Format::Xml);
        let docspace = Catalogue::new(&DOCSPACE);
        let terminate = docspace
            .resolve("PUT /api/2.0/files/fileops/terminate")
            .expect("resolved");
        assert_eq!(terminate.id, "terminateAllTasks");
        let by_id = docspace
            .resolve("PUT /portal/api/2.0/files/fileops/terminate/abc")
            .expect("resolved");
        assert_eq!(by_id.id, "terminateTasks");
        assert_eq!(
            docspace.resolve("terminateTasks").expect("by id").id,
            "terminateTasks"
        );
        // Workspace has no terminate by id.
        assert!(Catalogue::new(&WORKSPACE)
            .resolve("terminateTasks")
            .is_err());
    }

    #[test]
    fn every_operation_is_named_by_its_own_method_and_path_in_every_family() {
        for dialect in fileops_api::dialects::ALL {
            let catalogue = Catalogue::new(dialect);
            for op in CATALOGUE.iter().filter(|op| dialect.is_in(op.dialects)) {
                let path: Vec<String> = op
                    .path
                    .split('/')
                    .map(|s| {
                        if s.starts_with('{') {
                            "7".into()
                        } else {
                            s.to_owned()
                        }
                    })
                    .collect();
                let text = format!("{} {}", op.method, path.join("/"));
                let named = catalogue.resolve(&text).expect("named");
                assert_eq!(named.id, op.id, "{} {text}", dialect.name);
            }
        }
    }

    #[test]
    fn an_unknown_route_or_id_says_what_was_asked() {
        let docspace = Catalogue::new(&DOCSPACE);
        let error = docspace
            .resolve("PATCH /api/2.0/files/fileops/move")
            .expect_err("unknown");
        assert!(
            error.contains("PATCH /api/2.0/files/fileops/move"),
            "{error}"
        );
        assert!(docspace
            .resolve("terminateEverything")
            .expect_err("unknown")
            .contains("terminateEverything"));
        assert!(docspace.find("GET", "/api/2.0/people/@self").is_none());
    }
}
