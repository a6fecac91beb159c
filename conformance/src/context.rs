//! What checks work with: the target server, typed clients in any format and enum encoding,
//! and test data in a uniquely named work folder in My documents (removed afterwards).

use fileops_api::client::Client;
use fileops_api::operations::*;
use fileops_api::runtime::client::{ClientConfig, ClientError, EnumEncoding, Exchange, Sent};
use fileops_api::runtime::{Dialect, EntryId, Format, OpenFact};
use fileops_api::types::{FileOperation, FolderContent, NewFile, NewFolder};
use std::ffi::OsString;
use std::fmt::Debug;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::answers::AnswerLog;
use crate::outcome::{Evidence, Outcome, Step};
use crate::transport::{self, CaFile};

/// The server under check. Build one with [`Target::builder`]: [`TargetBuilder::build`]
/// checks the settings and makes the one HTTP client (TLS trust, timeouts, connection pool)
/// that every request of the run goes through; changing a field afterwards does not
/// rebuild it.
#[derive(Clone)]
pub struct Target {
    /// Its base address.
    pub base_url: String,
    /// The dialect it claims to speak.
    pub dialect: &'static Dialect,
    /// A user's token.
    pub token: String,
    /// A second user's token, for isolation checks.
    pub token2: Option<String>,
    /// How long an operation may take before it counts as hung.
    pub timeout: Duration,
    /// Seed for generated cases.
    pub seed: u64,
    /// How many generated cases a property check runs.
    pub cases: u32,
    /// How long one request may take, connection included.
    pub request_timeout: Duration,
    /// A PEM file of extra CA certificates to trust (a private CA).
    pub ca_cert: Option<std::path::PathBuf>,
    /// Skip TLS certificate verification.
    pub insecure: bool,
    /// Run only the checks that change nothing on the server (a production portal): no work
    /// folder, no entries, no operations, and no listing of the caller's operations, which
    /// would take finished results from the portal's own clients (§9: read once).
    pub read_only: bool,
    /// Built by [`TargetBuilder::build`]; `None` only inside the builder.
    http: Option<reqwest::Client>,
}

impl Debug for Target {
    // By hand, so that a token never shows in a debug print.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target")
            .field("base_url", &self.base_url)
            .field("dialect", &self.dialect.name)
            .field("token", &"$FILEOPS_TOKEN")
            .field("token2", &self.token2.as_ref().map(|_| "$FILEOPS_TOKEN2"))
            .field("timeout", &self.timeout)
            .field("seed", &self.seed)
            .field("cases", &self.cases)
            .field("request_timeout", &self.request_timeout)
            .field("ca_cert", &self.ca_cert)
            .field("insecure", &self.insecure)
            .field("read_only", &self.read_only)
            .finish_non_exhaustive()
    }
}

impl Target {
    /// A target at `base_url` speaking `dialect`, with the defaults: no tokens, operations
    /// may take 30 s, requests 30 s, seed 20261122, 16 cases per property check.
    pub fn builder(base_url: impl Into<String>, dialect: &'static Dialect) -> TargetBuilder {
        TargetBuilder {
            target: Target {
                base_url: base_url.into(),
                dialect,
                token: String::new(),
                token2: None,
                timeout: Duration::from_secs(30),
                seed: 20261122,
                cases: 16,
                request_timeout: Duration::from_secs(30),
                ca_cert: None,
                insecure: false,
                read_only: false,
                http: None,
            },
        }
    }

    /// The HTTP client every request to this target is sent with (clients share its
    /// connection pool).
    pub fn http(&self) -> reqwest::Client {
        self.http.clone().unwrap_or_default()
    }
}

/// Builds a [`Target`]; [`TargetBuilder::build`] checks it.
#[derive(Debug, Clone)]
pub struct TargetBuilder {
    target: Target,
}

impl TargetBuilder {
    /// The first user's token (sent as given, or with `Bearer `).
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.target.token = token.into();
        self
    }

    /// The second user's token, for the isolation checks (they skip without one).
    pub fn token2(mut self, token: Option<String>) -> Self {
        self.target.token2 = token;
        self
    }

    /// How long an operation may take before it counts as hung.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.target.timeout = timeout;
        self
    }

    /// How long one request may take, connection included.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.target.request_timeout = timeout;
        self
    }

    /// The seed for generated cases.
    pub fn seed(mut self, seed: u64) -> Self {
        self.target.seed = seed;
        self
    }

    /// Generated cases per property check.
    pub fn cases(mut self, cases: u32) -> Self {
        self.target.cases = cases;
        self
    }

    /// Trust the CA certificates in this PEM file too.
    pub fn ca_cert(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.target.ca_cert = Some(path.into());
        self
    }

    /// Skip TLS certificate verification.
    pub fn insecure(mut self, insecure: bool) -> Self {
        self.target.insecure = insecure;
        self
    }

    /// Run only the checks that change nothing (see [`Target::read_only`]).
    pub fn read_only(mut self, read_only: bool) -> Self {
        self.target.read_only = read_only;
        self
    }

    /// The target, or why it cannot be used: the address must be a portal's base address
    /// (`http` or `https`, without the `/api/2.0` path), a token is needed, and the CA file
    /// (the [`ca_cert`](Self::ca_cert) one, else the one `SSL_CERT_FILE` names) must hold
    /// PEM certificates. Builds the HTTP client: the platform's trust store plus that file's
    /// certificates, every request (connection included) bounded by the request timeout.
    pub fn build(self) -> Result<Target, TargetError> {
        self.build_with(std::env::var_os("SSL_CERT_FILE"))
    }

    /// [`build`](Self::build) with the value of `SSL_CERT_FILE` given (tests do not touch
    /// the process environment).
    fn build_with(mut self, ssl_cert_file: Option<OsString>) -> Result<Target, TargetError> {
        transport::check_base_url(&self.target.base_url)?;
        if self.target.token.is_empty() {
            return Err(TargetError(
                "a token is needed: the first user's Authorization value (FILEOPS_TOKEN)".into(),
            ));
        }
        // Said here rather than by every request, and without showing the token.
        for (token, name) in [
            (Some(&self.target.token), "FILEOPS_TOKEN"),
            (self.target.token2.as_ref(), "FILEOPS_TOKEN2"),
        ] {
            if let Some(token) = token {
                if reqwest::header::HeaderValue::from_str(token).is_err() {
                    return Err(TargetError(format!(
                        "the token ({name}) holds characters an HTTP header cannot carry \
                         (a line break?)"
                    )));
                }
            }
        }
        let ca_file = match &self.target.ca_cert {
            Some(path) => Some(CaFile::Given(path.clone())),
            None => ssl_cert_file
                .filter(|v| !v.is_empty())
                .map(|v| CaFile::FromEnvironment(PathBuf::from(v))),
        };
        let http = transport::http_client(&transport::Settings {
            request_timeout: self.target.request_timeout,
            ca_file,
            insecure: self.target.insecure,
        })?;
        self.target.http = Some(http);
        Ok(self.target)
    }
}

/// Why a [`Target`] cannot be used: a bad address, an unreadable CA file, a missing token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetError(pub String);

impl std::fmt::Display for TargetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TargetError {}

/// A check's working context.
pub struct Ctx {
    /// The target.
    pub target: Target,
    /// The work folder for this run's data.
    pub work: i64,
    /// Every answer received, judged strictly against the dialect's projection.
    pub answers: Arc<AnswerLog>,
    http: reqwest::Client,
}

/// Evidence from an exchange.
pub fn evidence<T>(exchange: &Exchange<T>) -> Evidence {
    Evidence::new(&exchange.sent, exchange.status, &exchange.body)
}

/// The typed answer of an exchange, or a failure naming what was expected.
pub fn answer<T: Clone + Debug>(
    exchange: Result<Exchange<T>, impl std::fmt::Display>,
) -> Step<(T, Exchange<T>)> {
    let exchange = exchange.map_err(|e| Outcome::Error {
        message: e.to_string(),
    })?;
    match exchange.answer.clone() {
        Ok(answer) => Ok((answer, exchange)),
        Err(problem) => Err(Outcome::fail(
            format!("the answer does not read as documented: {problem}"),
            vec![evidence(&exchange)],
        )),
    }
}

/// A failure showing one exchange.
pub fn failed<T>(message: impl Into<String>, exchange: &Exchange<T>) -> Outcome {
    Outcome::fail(message, vec![evidence(exchange)])
}

impl Ctx {
    /// A context without a work folder yet.
    pub fn new(target: Target) -> Self {
        Self {
            answers: Arc::new(AnswerLog::new(target.dialect)),
            http: target.http(),
            target,
            work: 0,
        }
    }

    /// A client for the main user.
    pub fn client(&self, format: Format, enums: EnumEncoding) -> Client {
        self.client_for(Some(self.target.token.clone()), format, enums)
    }

    /// A JSON client for the main user, enums in the dialect's own form.
    pub fn api(&self) -> Client {
        self.client(Format::Json, EnumEncoding::Wire)
    }

    /// A client with any authorization (or none).
    pub fn client_for(
        &self,
        authorization: Option<String>,
        format: Format,
        enums: EnumEncoding,
    ) -> Client {
        Client::new(ClientConfig {
            base_url: self.target.base_url.clone(),
            dialect: self.target.dialect,
            authorization,
            format,
            enums,
            observer: Some(self.answers.observer()),
            http: Some(self.http.clone()),
        })
    }

    /// Whether `fits` holds for the target's dialect in some combination of the readings of
    /// `facts` (in the dialect itself when none concerns it): how a check accepts every
    /// reading the reference notes allow. What the answer showed of each fact goes into the
    /// behaviour profile, `what` saying what was seen.
    pub fn fits(
        &self,
        facts: &[&'static OpenFact],
        what: &str,
        fits: impl Fn(&Dialect) -> bool,
    ) -> bool {
        let found = crate::profile::consistent(self.target.dialect, facts, &fits);
        if found.is_empty() {
            return fits(self.target.dialect);
        }
        let some = found.iter().all(|(_, readings)| !readings.is_empty());
        for (fact, readings) in found {
            if !readings.is_empty() && readings.len() < fact.readings.len() {
                self.answers.saw(fact, readings, what.to_owned());
            }
        }
        some
    }

    /// Creates the uniquely named work folder in My documents; a read-only run only reads
    /// My documents, which shows that the server answers and takes the token.
    pub async fn setup(&mut self) -> Step<()> {
        let my = self.my_folder().await?;
        if self.target.read_only {
            return Ok(());
        }
        let title = format!("fileops-conformance-{}", uuid::Uuid::new_v4().simple());
        self.work = self.create_folder(my, &title).await?;
        Ok(())
    }

    /// Removes the work folder for good (also after failures).
    pub async fn teardown(&self) -> Step<()> {
        if self.work == 0 {
            return Ok(());
        }
        let body = fileops_api::types::DeleteBatchRequest {
            folder_ids: vec![EntryId::Int(self.work)],
            file_ids: Vec::new(),
            delete_after: Some(true),
            immediately: Some(true),
            return_single_operation: None,
        };
        let (_, _) = answer(
            self.api()
                .delete_batch_items(&DeleteBatchItemsRequest { body })
                .await,
        )?;
        Ok(())
    }

    /// The caller's My documents id.
    pub async fn my_folder(&self) -> Step<i64> {
        my_folder_with(&self.api()).await
    }

    /// Creates a folder; its id.
    pub async fn create_folder(&self, parent: i64, title: &str) -> Step<i64> {
        self.writable()?;
        create_folder_with(&self.api(), parent, title).await
    }

    /// Creates a file (give titles ending in `.docx` so the server keeps them); its id.
    pub async fn create_file(&self, parent: i64, title: &str) -> Step<i64> {
        self.writable()?;
        create_file_with(&self.api(), parent, title).await
    }

    /// A backstop behind the selection: a read-only run creates nothing, even should a
    /// check that writes be marked read-only by mistake.
    fn writable(&self) -> Step<()> {
        if self.target.read_only {
            return Err(Outcome::Error {
                message: "this check would create an entry, and the run is read-only".into(),
            });
        }
        Ok(())
    }

    /// A fresh folder inside the work folder.
    pub async fn scratch(&self, title: &str) -> Step<i64> {
        self.create_folder(self.work, title).await
    }

    /// A folder's listing.
    pub async fn listing(&self, folder: i64) -> Step<FolderContent> {
        let request = GetFolderByFolderIdRequest {
            folder_id: EntryId::Int(folder),
            start_index: None,
            count: None,
        };
        let (resp, exchange) = answer(self.api().get_folder_by_folder_id(&request).await)?;
        match resp {
            GetFolderByFolderIdResponse::Ok(content) => Ok(content),
            other => Err(failed(
                format!("listing folder {folder} answered {other:?}"),
                &exchange,
            )),
        }
    }

    /// Titles of a folder's files, sorted.
    pub async fn file_titles(&self, folder: i64) -> Step<Vec<String>> {
        let mut titles: Vec<String> = self
            .listing(folder)
            .await?
            .files
            .into_iter()
            .filter_map(|f| f.title)
            .collect();
        titles.sort();
        Ok(titles)
    }

    /// Polls the listing until operation `id` is reported finished, within the timeout;
    /// a hung operation is a failure showing its last state.
    pub async fn wait(&self, client: &Client, id: &str) -> Step<FileOperation> {
        let deadline = tokio::time::Instant::now() + self.target.timeout;
        let mut last = None;
        loop {
            let (resp, exchange) = answer(
                client
                    .get_operation_statuses(&GetOperationStatusesRequest { id: None })
                    .await,
            )?;
            let GetOperationStatusesResponse::Ok(ops) = resp else {
                return Err(failed("listing operations failed", &exchange));
            };
            if let Some(op) = ops.into_iter().find(|o| o.id == id) {
                if op.finished {
                    return Ok(op);
                }
                last = Some((op, exchange));
            } else if let Some(op) = last.is_none().then(|| self.handed_out(id)).flatten() {
                // Finished and handed out before this wait began (§5 read-once).
                return Ok(op);
            } else if last.is_some() {
                return Err(Outcome::fail(
                    format!("operation {id} left the listing without being reported finished"),
                    Vec::new(),
                ));
            }
            if tokio::time::Instant::now() > deadline {
                let message = format!(
                    "operation {id} did not finish within {:?}; last state: {:?}",
                    self.target.timeout,
                    last.as_ref().map(|(o, _)| o)
                );
                return Err(Outcome::fail(
                    message,
                    last.map(|(_, e)| vec![evidence(&e)]).unwrap_or_default(),
                ));
            }
            // Pacing between polls of a remote server, not synchronisation.
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// Operation `id` as an earlier answer listed it finished, read as the client reads it.
    fn handed_out(&self, id: &str) -> Option<FileOperation> {
        let op = self.answers.handed_out(id)?;
        let text = serde_json::to_vec(&op).ok()?;
        fileops_api::runtime::codec::decode_json(&text, Some(self.target.dialect)).ok()
    }

    /// Sends a raw request (for input the typed client cannot express); status and body.
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        authorized: bool,
    ) -> Step<(Sent, u16, Vec<u8>)> {
        let token = authorized.then_some(self.target.token.as_str());
        let answer = self.raw_as(method, path, body, token).await?;
        Ok((answer.sent, answer.status, answer.body))
    }

    /// Sends a raw request with any `Authorization` value (none for `None`); the whole
    /// answer, headers included.
    pub async fn raw_as(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        authorization: Option<&str>,
    ) -> Step<RawAnswer> {
        let media = body.map(|_| "application/json");
        self.raw_typed(
            method,
            path,
            body.map(|b| (media.unwrap_or_default(), b)),
            authorization,
        )
        .await
    }

    /// Sends a raw request with a body of any media type (`(content type, text)`).
    pub async fn raw_typed(
        &self,
        method: &str,
        path: &str,
        body: Option<(&str, &str)>,
        authorization: Option<&str>,
    ) -> Step<RawAnswer> {
        let mut headers = Vec::new();
        if let Some(value) = authorization {
            headers.push(("Authorization".to_owned(), value.to_owned()));
        }
        self.raw_with(method, path, headers, body).await
    }

    /// Sends a raw request with these headers (and, for a body, its `Content-Type`).
    pub async fn raw_with(
        &self,
        method: &str,
        path: &str,
        mut headers: Vec<(String, String)>,
        body: Option<(&str, &str)>,
    ) -> Step<RawAnswer> {
        let url = format!("{}{path}", self.target.base_url.trim_end_matches('/'));
        if let Some((media, _)) = body {
            headers.push(("Content-Type".to_owned(), media.to_owned()));
        }
        let body = body.map(|(_, text)| text);
        let sent = Sent {
            method: method.to_owned(),
            url: url.clone(),
            headers: headers.clone(),
            body: body.map(str::to_owned),
        };
        let mut request = self
            .http
            .request(method.parse().unwrap_or(reqwest::Method::GET), &url);
        for (k, v) in &headers {
            request = request.header(k, v);
        }
        if let Some(body) = body {
            request = request.body(body.to_owned());
        }
        let response = request
            .send()
            .await
            .map_err(|e| Outcome::transport(&ClientError::from_reqwest(sent.clone(), &e)))?;
        let status = response.status().as_u16();
        let answer_headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| Outcome::transport(&ClientError::from_reqwest(sent.clone(), &e)))?;
        self.answers
            .observe_raw(&sent, status, &answer_headers, &bytes);
        Ok(RawAnswer {
            sent,
            status,
            headers: answer_headers,
            body: bytes.to_vec(),
        })
    }
}

/// The answer to a raw request.
#[derive(Debug, Clone)]
pub struct RawAnswer {
    /// What was sent.
    pub sent: Sent,
    /// The HTTP status.
    pub status: u16,
    /// The answer's headers.
    pub headers: Vec<(String, String)>,
    /// The answer's body.
    pub body: Vec<u8>,
}

impl RawAnswer {
    /// Evidence of this exchange.
    pub fn evidence(&self) -> Evidence {
        Evidence::new(&self.sent, self.status, &self.body)
    }

    /// A header's value (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_default()
    }
}

/// The My documents id of `client`'s user.
pub async fn my_folder_with(client: &Client) -> Step<i64> {
    let exchange = client
        .get_my_folder(&GetMyFolderRequest {
            start_index: None,
            count: None,
        })
        .await
        .map_err(unreachable)?;
    let typed = match &exchange.answer {
        Ok(GetMyFolderResponse::Ok(content)) => content
            .current
            .as_ref()
            .and_then(|c| c.id.as_ref()?.as_int()),
        _ => None,
    };
    typed
        .or_else(|| raw_id(&exchange, "/response/current/id"))
        .ok_or_else(|| failed("GET @my gives no numeric current.id", &exchange))
}

/// Creates a folder as `client`'s user; its id.
pub async fn create_folder_with(client: &Client, parent: i64, title: &str) -> Step<i64> {
    let request = CreateFolderRequest {
        folder_id: EntryId::Int(parent),
        body: NewFolder {
            title: title.to_owned(),
        },
    };
    let exchange = client.create_folder(&request).await.map_err(unreachable)?;
    let typed = match &exchange.answer {
        Ok(CreateFolderResponse::Ok(f) | CreateFolderResponse::Created(f)) => {
            f.id.as_ref().and_then(EntryId::as_int)
        }
        _ => None,
    };
    typed
        .or_else(|| raw_id(&exchange, "/response/id"))
        .ok_or_else(|| failed("creating a folder gives no numeric id", &exchange))
}

/// Creates a file as `client`'s user (titles ending in `.docx` are kept); its id.
pub async fn create_file_with(client: &Client, parent: i64, title: &str) -> Step<i64> {
    let request = CreateFileRequest {
        folder_id: EntryId::Int(parent),
        body: NewFile {
            title: title.to_owned(),
            template_id: None,
            enable_external_ext: None,
        },
    };
    let (resp, exchange) = answer(client.create_file(&request).await)?;
    match resp {
        CreateFileResponse::Ok(f) | CreateFileResponse::Created(f) => {
            f.id.and_then(|id| id.as_int())
                .ok_or_else(|| failed("the new file has no numeric id", &exchange))
        }
        other => Err(failed(
            format!("creating a file answered {other:?}"),
            &exchange,
        )),
    }
}

/// A transport failure as the check's error.
fn unreachable(e: impl std::fmt::Display) -> Outcome {
    Outcome::Error {
        message: e.to_string(),
    }
}

/// An id read from the raw JSON body when the typed reading failed: the work folder must not
/// depend on answers that the `wire.*` checks judge anyway. A numeric string counts too.
fn raw_id<T>(exchange: &Exchange<T>, pointer: &str) -> Option<i64> {
    let body: serde_json::Value = serde_json::from_slice(&exchange.body).ok()?;
    match body.pointer(pointer)? {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// The id of the last operation in a list answer.
pub fn started(ops: &[FileOperation]) -> Option<String> {
    ops.last().map(|o| o.id.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use fileops_api::dialects::DOCSPACE;

    fn message(result: Result<Target, TargetError>) -> String {
        result.expect_err("refused").0
    }

    #[test]
    fn the_address_is_checked_first() {
        let m = message(
            Target::builder("https://p.example.com/api/2.0", &DOCSPACE)
                .token("t")
                .build_with(None),
        );
        assert!(m.contains("address, https://p.example.com"), "{m}");
    }

    #[test]
    fn a_missing_or_unsendable_token_is_refused_without_showing_it() {
        let m = message(Target::builder("http://127.0.0.1:1", &DOCSPACE).build_with(None));
        assert!(m.contains("a token is needed"), "{m}");
        let m = message(
            Target::builder("http://127.0.0.1:1", &DOCSPACE)
                .token("t")
                .token2(Some("secret\nline".into()))
                .build_with(None),
        );
        assert!(
            m.contains("FILEOPS_TOKEN2") && m.contains("cannot carry") && !m.contains("secret"),
            "{m}"
        );
    }

    #[test]
    fn the_given_ca_file_wins_over_ssl_cert_file() {
        let missing = |name: &str| std::env::temp_dir().join(format!("fileops-no-{name}.pem"));
        let m = message(
            Target::builder("https://127.0.0.1:1", &DOCSPACE)
                .token("t")
                .ca_cert(missing("given"))
                .build_with(Some(missing("env").into_os_string())),
        );
        assert!(m.contains("fileops-no-given.pem:"), "{m}");
        let m = message(
            Target::builder("https://127.0.0.1:1", &DOCSPACE)
                .token("t")
                .build_with(Some(missing("env").into_os_string())),
        );
        assert!(m.contains("fileops-no-env.pem (SSL_CERT_FILE)"), "{m}");
        // An empty SSL_CERT_FILE names no file.
        assert!(Target::builder("https://127.0.0.1:1", &DOCSPACE)
            .token("t")
            .build_with(Some(OsString::new()))
            .is_ok());
    }

    #[test]
    fn debug_shows_no_token() {
        let target = Target::builder("http://127.0.0.1:1", &DOCSPACE)
            .token("alice-token")
            .token2(Some("bob-token".into()))
            .build_with(None)
            .expect("builds");
        let debug = format!("{target:?}");
        assert!(
            !debug.contains("alice") && !debug.contains("bob"),
            "{debug}"
        );
        assert!(debug.contains("$FILEOPS_TOKEN2"), "{debug}");
    }
}
