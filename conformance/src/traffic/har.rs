//! Reading HAR 1.2 files (browsers' developer tools, mitmproxy, Charles, schemathesis) one
//! entry at a time: a recording of 100 MB is streamed, never held whole.

use base64::Engine as _;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use std::fmt;
use std::io::{Read, Write};

/// One recorded exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// Its place in the file (1-based).
    pub index: usize,
    /// The request's method.
    pub method: String,
    /// The request's full URL.
    pub url: String,
    /// The request's headers.
    pub request_headers: Vec<(String, String)>,
    /// The request's body, as text, if it had one.
    pub request_body: Option<String>,
    /// The answer's status.
    pub status: u16,
    /// The answer's headers.
    pub headers: Vec<(String, String)>,
    /// The answer's body, decoded from base64 where the file says so.
    pub body: Vec<u8>,
}

/// Why a HAR file could not be read.
#[derive(Debug)]
pub struct HarError(pub String);

impl fmt::Display for HarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Deserialize)]
struct Entry {
    request: Request,
    response: Response,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Request {
    method: String,
    url: String,
    #[serde(default)]
    headers: Vec<Header>,
    #[serde(default)]
    post_data: Option<PostData>,
}

#[derive(Deserialize)]
struct PostData {
    #[serde(default)]
    text: Option<String>,
}

#[derive(Deserialize)]
struct Response {
    status: i64,
    #[serde(default)]
    headers: Vec<Header>,
    #[serde(default)]
    content: Option<Content>,
}

#[derive(Deserialize)]
struct Content {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    encoding: Option<String>,
}

#[derive(Deserialize)]
struct Header {
    name: String,
    value: String,
}

fn pairs(headers: Vec<Header>) -> Vec<(String, String)> {
    headers.into_iter().map(|h| (h.name, h.value)).collect()
}

impl Entry {
    fn recorded(self, index: usize) -> Result<Recorded, String> {
        let status = u16::try_from(self.response.status).map_err(|_| {
            format!(
                "entry {index}: status {} is no HTTP status",
                self.response.status
            )
        })?;
        let content = self.response.content;
        let text = content
            .as_ref()
            .and_then(|c| c.text.as_deref())
            .unwrap_or("");
        let base64 = content
            .as_ref()
            .and_then(|c| c.encoding.as_deref())
            .is_some_and(|e| e.eq_ignore_ascii_case("base64"));
        let body = if base64 {
            base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .map_err(|e| format!("entry {index}: the answer's base64 body: {e}"))?
        } else {
            text.as_bytes().to_vec()
        };
        Ok(Recorded {
            index,
            method: self.request.method,
            url: self.request.url,
            request_headers: pairs(self.request.headers),
            request_body: self.request.post_data.and_then(|p| p.text),
            status,
            headers: pairs(self.response.headers),
            body,
        })
    }
}

/// Calls `each` with every entry of the HAR document `reader` holds, in order; how many
/// there were.
pub fn read(reader: impl Read, each: &mut dyn FnMut(Recorded)) -> Result<usize, HarError> {
    let mut deserializer = serde_json::Deserializer::from_reader(std::io::BufReader::new(reader));
    let mut count = 0;
    Document {
        each,
        count: &mut count,
    }
    .deserialize(&mut deserializer)
    .map_err(|e| HarError(format!("not a HAR 1.2 document: {e}")))?;
    deserializer
        .end()
        .map_err(|e| HarError(format!("not a HAR 1.2 document: {e}")))?;
    Ok(count)
}

/// The walk down `log.entries`, one entry handed out at a time.
struct Document<'a> {
    each: &'a mut dyn FnMut(Recorded),
    count: &'a mut usize,
}

/// Which level of the document a [`Document`] is reading.
enum Level {
    Root,
    Log,
}

struct Walk<'a, 'b> {
    document: &'b mut Document<'a>,
    level: Level,
}

impl<'de> DeserializeSeed<'de> for Document<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(mut self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(Walk {
            document: &mut self,
            level: Level::Root,
        })
    }
}

impl<'de> Visitor<'de> for Walk<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.level {
            Level::Root => f.write_str("an object with `log`"),
            Level::Log => f.write_str("`log`: an object with `entries`"),
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut found = false;
        while let Some(key) = map.next_key::<String>()? {
            match (&self.level, key.as_str()) {
                (Level::Root, "log") => {
                    map.next_value_seed(Nested {
                        document: &mut *self.document,
                        level: Level::Log,
                    })?;
                    found = true;
                }
                (Level::Log, "entries") => {
                    map.next_value_seed(Entries(&mut *self.document))?;
                    found = true;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !found {
            let missing = match self.level {
                Level::Root => "log",
                Level::Log => "log.entries",
            };
            return Err(de::Error::missing_field(missing));
        }
        Ok(())
    }
}

/// A nested level of the walk.
struct Nested<'a, 'b> {
    document: &'b mut Document<'a>,
    level: Level,
}

impl<'de> DeserializeSeed<'de> for Nested<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(Walk {
            document: self.document,
            level: self.level,
        })
    }
}

/// `log.entries`: each element read and handed out before the next.
struct Entries<'a, 'b>(&'b mut Document<'a>);

impl<'de> DeserializeSeed<'de> for Entries<'_, '_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Entries<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("`entries`: an array of exchanges")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(entry) = seq.next_element::<Entry>()? {
            *self.0.count += 1;
            let recorded = entry.recorded(*self.0.count).map_err(de::Error::custom)?;
            (self.0.each)(recorded);
        }
        Ok(())
    }
}

/// Writes a HAR 1.2 document one entry at a time (what a proxy or a test recorded).
pub struct HarWriter<W: Write> {
    out: W,
    entries: usize,
}

impl<W: Write> HarWriter<W> {
    /// Starts the document.
    pub fn new(mut out: W) -> std::io::Result<Self> {
        let creator = serde_json::json!({
            "name": "fileops-conformance",
            "version": env!("CARGO_PKG_VERSION"),
        });
        write!(
            out,
            r#"{{"log":{{"version":"1.2","creator":{creator},"pages":[],"entries":["#
        )?;
        Ok(HarWriter { out, entries: 0 })
    }

    /// Adds one exchange; a body that is not UTF-8 is written in base64.
    pub fn entry(&mut self, recorded: &Recorded) -> std::io::Result<()> {
        let headers = |pairs: &[(String, String)]| -> Vec<Value> {
            pairs
                .iter()
                .map(|(name, value)| serde_json::json!({"name": name, "value": value}))
                .collect()
        };
        let media = |pairs: &[(String, String)]| {
            pairs
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
                .map_or(String::new(), |(_, v)| v.clone())
        };
        let mut content = serde_json::json!({
            "size": recorded.body.len(),
            "mimeType": media(&recorded.headers),
        });
        match std::str::from_utf8(&recorded.body) {
            Ok(text) => content["text"] = Value::from(text),
            Err(_) => {
                content["text"] =
                    Value::from(base64::engine::general_purpose::STANDARD.encode(&recorded.body));
                content["encoding"] = Value::from("base64");
            }
        }
        let mut request = serde_json::json!({
            "method": recorded.method,
            "url": recorded.url,
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": headers(&recorded.request_headers),
            "queryString": [],
            "headersSize": -1,
            "bodySize": recorded.request_body.as_ref().map_or(0, String::len),
        });
        if let Some(text) = &recorded.request_body {
            request["postData"] = serde_json::json!({
                "mimeType": media(&recorded.request_headers),
                "text": text,
            });
        }
        let entry = serde_json::json!({
            "startedDateTime": crate::report::rfc3339(std::time::SystemTime::now()),
            "time": 0,
            "request": request,
            "response": {
                "status": recorded.status,
                "statusText": "",
                "httpVersion": "HTTP/1.1",
                "cookies": [],
                "headers": headers(&recorded.headers),
                "content": content,
                "redirectURL": "",
                "headersSize": -1,
                "bodySize": recorded.body.len(),
            },
            "cache": {},
            "timings": {"send": 0, "wait": 0, "receive": 0},
        });
        if self.entries > 0 {
            self.out.write_all(b",")?;
        }
        serde_json::to_writer(&mut self.out, &entry)?;
        self.entries += 1;
        Ok(())
    }

    /// Ends the document; the writer.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.out.write_all(b"]}}")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Result<Vec<Recorded>, HarError> {
        let mut out = Vec::new();
        read(text.as_bytes(), &mut |r| out.push(r))?;
        Ok(out)
    }

    #[test]
    fn entries_are_read_in_order_with_text_and_base64_bodies() {
        let har = r#"{"log":{"version":"1.2","creator":{"name":"x","version":"1"},"pages":[],
          "entries":[
            {"startedDateTime":"2026-01-01T00:00:00Z","time":1,
             "request":{"method":"GET","url":"https://p/api/2.0/files/fileops","headers":[{"name":"Authorization","value":"t"}],"httpVersion":"HTTP/1.1"},
             "response":{"status":200,"headers":[{"name":"Content-Type","value":"application/json"}],"content":{"size":2,"mimeType":"application/json","text":"[]"}},
             "timings":{}},
            {"request":{"method":"PUT","url":"https://p/api/2.0/files/fileops/delete","postData":{"mimeType":"application/json","text":"{}"}},
             "response":{"status":200,"content":{"text":"eyJhIjoxfQ==","encoding":"base64"}}}
          ]}}"#;
        let entries = all(har).expect("reads");
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].index, 1);
        assert_eq!(entries[0].body, b"[]");
        assert_eq!(
            entries[0].request_headers,
            vec![("Authorization".into(), "t".into())]
        );
        assert_eq!(entries[1].method, "PUT");
        assert_eq!(entries[1].request_body.as_deref(), Some("{}"));
        assert_eq!(entries[1].body, br#"{"a":1}"#);
    }

    #[test]
    fn what_is_not_a_har_says_where() {
        let e = all(r#"{"entries":[]}"#).expect_err("no log").0;
        assert!(e.contains("log"), "{e}");
        let e = all(r#"{"log":{"entries":[{"request":{}}]}}"#)
            .expect_err("no method")
            .0;
        assert!(e.contains("method"), "{e}");
        let e = all(r#"{"log":{"entries":[{"request":{"method":"GET","url":"u"},"response":{"status":200,"content":{"text":"@@","encoding":"base64"}}}]}}"#)
            .expect_err("bad base64")
            .0;
        assert!(e.contains("entry 1") && e.contains("base64"), "{e}");
        assert!(all("[1,2]").is_err());
        // What the writer writes reads back as it was.
        let recorded = Recorded {
            index: 1,
            method: "GET".into(),
            url: "http://p/api/2.0/files/fileops".into(),
            request_headers: vec![("Authorization".into(), "t".into())],
            request_body: None,
            status: 200,
            headers: vec![("Content-Type".into(), "application/zip".into())],
            body: vec![0, 159, 146, 150],
        };
        let mut writer = HarWriter::new(Vec::new()).expect("starts");
        writer.entry(&recorded).expect("writes");
        writer.entry(&recorded).expect("writes");
        let text = String::from_utf8(writer.finish().expect("ends")).expect("utf8");
        let back = all(&text).expect("reads");
        assert_eq!(back.len(), 2);
        assert_eq!(
            back[1],
            Recorded {
                index: 2,
                ..recorded
            }
        );
        assert!(all(r#"{"log":{"entries":[]}} trailing"#).is_err());
    }
}
