//! Envelopes: keys, status codes, the operation key, JSON/XML parity.

use fileops_api::operations::*;
use fileops_api::runtime::client::EnumEncoding;
use fileops_api::runtime::{codec, EntryId, Format};
use fileops_api::types::FolderContent;
use serde_json::Value;

use crate::context::{answer, evidence, failed, Ctx};
use crate::outcome::{Outcome, Step};
use crate::profile;

fn json_of<T>(exchange: &fileops_api::runtime::client::Exchange<T>) -> Step<Value> {
    serde_json::from_slice(&exchange.body)
        .map_err(|e| failed(format!("the body is not JSON: {e}"), exchange))
}

pub async fn success_keys(ctx: &Ctx) -> Step<Outcome> {
    let (_, exchange) = answer(
        ctx.api()
            .get_my_folder(&GetMyFolderRequest {
                start_index: None,
                count: None,
            })
            .await,
    )?;
    let body = json_of(&exchange)?;
    let Some(map) = body.as_object() else {
        return Ok(failed("the envelope is not an object", &exchange));
    };
    let allowed = words(ctx.target.dialect.success_keys);
    if let Some(extra) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Ok(failed(
            format!("unexpected envelope key `{extra}` (the dialect writes {allowed:?})"),
            &exchange,
        ));
    }
    if map.get("status") != Some(&Value::from(0))
        || map.get("statusCode") != Some(&Value::from(exchange.status))
    {
        return Ok(failed(
            "status must be 0 and statusCode equal to the HTTP status",
            &exchange,
        ));
    }
    if !map.contains_key("response") {
        return Ok(failed("the envelope has no response", &exchange));
    }
    if ctx.target.dialect.links && !map.get("links").is_some_and(Value::is_array) {
        return Ok(failed("the dialect's envelope carries links", &exchange));
    }
    Ok(Outcome::Pass)
}

pub async fn error_keys(ctx: &Ctx) -> Step<Outcome> {
    let exchange = ctx
        .api()
        .get_file_info(&GetFileInfoRequest {
            file_id: EntryId::Int(2_000_000_000),
            version: None,
        })
        .await
        .map_err(|e| Outcome::Error {
            message: e.to_string(),
        })?;
    if !(400..500).contains(&exchange.status) {
        return Ok(failed("an unknown file must be a 4xx", &exchange));
    }
    let body = json_of(&exchange)?;
    let ok = body["status"] == 1
        && body["statusCode"] == exchange.status
        && body["error"]["message"].is_string();
    if !ok {
        return Ok(failed(
            "expected {status: 1, statusCode, error: {message}}",
            &exchange,
        ));
    }
    let dialect = ctx.target.dialect;
    let (error_keys, error_fields) = (words(dialect.error_keys), words(dialect.error_fields));
    let keys_ok = body
        .as_object()
        .is_some_and(|m| m.keys().all(|k| error_keys.contains(&k.as_str())));
    let error = body["error"].as_object().cloned().unwrap_or_default();
    if !keys_ok || error.keys().any(|k| !error_fields.contains(&k.as_str())) {
        return Ok(failed(
            format!(
                "the envelope keys must be {error_keys:?} and the error keys among {error_fields:?}"
            ),
            &exchange,
        ));
    }
    let nulls_written = error.values().any(Value::is_null);
    let what = format!("error members {:?}", error.keys().collect::<Vec<_>>());
    // How unfilled members are written is open for DocSpace (reference §4a).
    let facts = profile::setting(&["error-envelope/error-nulls"]);
    let nulls_ok = ctx.fits(&facts, &what, |d| match d.error_nulls {
        fileops_api::runtime::NullStyle::Omit => !nulls_written,
        fileops_api::runtime::NullStyle::Write => ["type", "stack"]
            .iter()
            .all(|k| !error_fields.contains(k) || error.contains_key(*k)),
    });
    Ok(if nulls_ok {
        Outcome::Pass
    } else {
        failed(
            format!(
                "the error object's nulls must follow the dialect ({:?})",
                dialect.error_nulls
            ),
            &exchange,
        )
    })
}

pub async fn operation_key(ctx: &Ctx) -> Step<Outcome> {
    let file = ctx.create_file(ctx.work, "envelope-key.docx").await?;
    let super::Started { id, exchange, .. } =
        super::start_delete(ctx, &[file], true, false).await?;
    let body = json_of(&exchange)?;
    // The dialect's key comes from the schema's data (x-fileops-wire-names), not a name test.
    let fileops_api::runtime::Shape::Object(shape) =
        <fileops_api::types::FileOperation as fileops_api::runtime::Model>::SHAPE
    else {
        return Ok(Outcome::Error {
            message: "FileOperation is not an object shape".into(),
        });
    };
    let Some(field) = shape.field("operation") else {
        return Ok(Outcome::Error {
            message: "FileOperation has no operation field".into(),
        });
    };
    let mine = field.wire_name(ctx.target.dialect.name);
    let others: Vec<&str> = std::iter::once(field.name)
        .chain(field.wire_names.iter().map(|(_, n)| *n))
        .filter(|n| *n != mine)
        .collect();
    let op = body["response"]
        .as_array()
        .and_then(|a| a.iter().find(|o| o["id"] == id.as_str()))
        .cloned();
    ctx.wait(&ctx.api(), &id).await?;
    match op {
        Some(op)
            if op.get(mine).is_some_and(Value::is_number)
                && others.iter().all(|k| op.get(*k).is_none()) =>
        {
            Ok(Outcome::Pass)
        }
        _ => Ok(failed(
            format!("the operation kind must be a number under `{mine}` (not {others:?})"),
            &exchange,
        )),
    }
}

pub async fn xml_parity(ctx: &Ctx) -> Step<Outcome> {
    let request = GetFolderByFolderIdRequest {
        folder_id: EntryId::Int(ctx.work),
        start_index: None,
        count: None,
    };
    ctx.create_file(ctx.work, "parity.docx").await?;
    let (_, json) = answer(ctx.api().get_folder_by_folder_id(&request).await)?;
    let xml = ctx
        .client(Format::Xml, EnumEncoding::Wire)
        .get_folder_by_folder_id(&request)
        .await
        .map_err(|e| Outcome::Error {
            message: e.to_string(),
        })?;
    if !xml
        .header("content-type")
        .is_some_and(|t| t.contains("xml"))
        || !xml.text().trim_start().starts_with("<result>")
    {
        return Ok(failed(
            "a `.xml` path must answer with a <result> XML document",
            &xml,
        ));
    }
    let dialect = Some(ctx.target.dialect);
    let from_json = codec::decode_success::<FolderContent>(&json.body, Format::Json, dialect);
    let from_xml = codec::decode_success::<FolderContent>(&xml.body, Format::Xml, dialect);
    match (from_json, from_xml) {
        (Ok(a), Ok(b)) if a.response == b.response => Ok(Outcome::Pass),
        (Ok(a), Ok(b)) => Ok(Outcome::fail(
            format!(
                "the XML reads back different from the JSON (read schema-guided; - JSON, + XML):\n{}",
                crate::diff::debug(&a.response, &b.response)
            ),
            vec![evidence(&json), evidence(&xml)],
        )),
        (_, Err(e)) => Ok(failed(
            format!("the XML does not read schema-guided: {e}"),
            &xml,
        )),
        (Err(e), _) => Ok(failed(format!("the JSON does not read: {e}"), &json)),
    }
}

/// reference §1b, §4b: every Workspace route answers XML under `.xml`, write routes too, when
/// the request body is not JSON: each write that names entries (sent with an empty form, so
/// it queues nothing) and terminate answer a `<result>` document that reads, schema-guided,
/// as the same answer does in JSON.
pub async fn xml_writes(ctx: &Ctx) -> Step<Outcome> {
    let dialect = ctx.target.dialect;
    let writes = fileops_api::operations::CATALOGUE.iter().filter(|op| {
        op.method == "PUT"
            && dialect.is_in(op.dialects)
            && (op.body.is_some() || op.path.ends_with("/terminate"))
    });
    let mut tried = 0;
    for op in writes {
        tried += 1;
        if let Some(problem) = xml_write_parity(ctx, op.path).await? {
            return Ok(problem);
        }
    }
    // §4b: a request whose body is JSON is answered in JSON, even on an XML route.
    let json_body = ("application/json", "{}");
    let path = "/api/2.0/files/fileops/terminate.xml";
    let answer = ctx
        .raw_typed("PUT", path, Some(json_body), Some(&ctx.target.token))
        .await?;
    if tried > 0
        && !answer
            .header("content-type")
            .is_some_and(|t| t.contains("json"))
    {
        return Ok(Outcome::fail(
            "a JSON request to an `.xml` route is answered in JSON",
            vec![answer.evidence()],
        ));
    }
    Ok(if tried == 0 {
        Outcome::skip("the family serves no write route")
    } else {
        Outcome::Pass
    })
}

/// One write route in XML and in JSON; a failure if the XML is not the JSON's conversion.
/// Operations of other checks may finish between the two requests, so the pair is tried
/// again (up to three times) while the two answers list different operations.
async fn xml_write_parity(ctx: &Ctx, path: &str) -> Step<Option<Outcome>> {
    type Ops = Vec<fileops_api::types::FileOperation>;
    let form = ("application/x-www-form-urlencoded", "");
    let token = Some(ctx.target.token.as_str());
    let dialect = Some(ctx.target.dialect);
    let mut last = None;
    for _ in 0..3 {
        let xml = ctx
            .raw_typed("PUT", &format!("{path}.xml"), Some(form), token)
            .await?;
        let json = ctx
            .raw_typed("PUT", &format!("{path}.json"), Some(form), token)
            .await?;
        let is_xml = xml
            .header("content-type")
            .is_some_and(|t| t.contains("xml"))
            && String::from_utf8_lossy(&xml.body)
                .trim_start()
                .starts_with("<result>");
        if !is_xml {
            let message =
                format!("PUT {path}.xml with a form body must answer a <result> XML document");
            return Ok(Some(Outcome::fail(message, vec![xml.evidence()])));
        }
        if xml.status != json.status {
            let message = format!(
                "PUT {path} answered {} in XML and {} in JSON",
                xml.status, json.status
            );
            return Ok(Some(Outcome::fail(
                message,
                vec![json.evidence(), xml.evidence()],
            )));
        }
        let same = if (200..300).contains(&xml.status) {
            let a =
                codec::decode_success::<Ops>(&json.body, Format::Json, dialect).map(|s| s.response);
            let b =
                codec::decode_success::<Ops>(&xml.body, Format::Xml, dialect).map(|s| s.response);
            match (a, b) {
                (Ok(a), Ok(b)) => (a == b)
                    .then_some(())
                    .ok_or_else(|| crate::diff::debug(&a, &b)),
                (_, Err(e)) | (Err(e), _) => Err(format!("the answer does not read: {e}")),
            }
        } else {
            let a = codec::decode_error(&json.body, Format::Json, dialect);
            let b = codec::decode_error(&xml.body, Format::Xml, dialect);
            match (a, b) {
                (Ok(a), Ok(b)) if a.message() == b.message() => Ok(()),
                (Ok(a), Ok(b)) => Err(format!("messages {:?} and {:?}", a.message(), b.message())),
                (_, Err(e)) | (Err(e), _) => Err(format!("the error does not read: {e}")),
            }
        };
        match same {
            Ok(()) => return Ok(None),
            Err(difference) => last = Some((difference, xml, json)),
        }
    }
    Ok(last.map(|(difference, xml, json)| {
        Outcome::fail(
            format!("PUT {path}: the XML reads back different from the JSON (read schema-guided; - JSON, + XML):\n{difference}"),
            vec![json.evidence(), xml.evidence()],
        )
    }))
}

async fn xml_listing(
    ctx: &Ctx,
    folder: i64,
) -> Step<fileops_api::runtime::client::Exchange<GetFolderByFolderIdResponse>> {
    let request = GetFolderByFolderIdRequest {
        folder_id: EntryId::Int(folder),
        start_index: None,
        count: None,
    };
    ctx.client(Format::Xml, EnumEncoding::Wire)
        .get_folder_by_folder_id(&request)
        .await
        .map_err(|e| Outcome::Error {
            message: e.to_string(),
        })
}

pub async fn xml_booleans(ctx: &Ctx) -> Step<Outcome> {
    let exchange = xml_listing(ctx, ctx.work).await?;
    let text = exchange.text();
    if !text.contains(">false<") && !text.contains(">true<") {
        return Ok(failed(
            "the listing should carry booleans (shared, isShareable...)",
            &exchange,
        ));
    }
    Ok(if text.contains(">True<") || text.contains(">False<") {
        failed("XML booleans must be lowercase true/false", &exchange)
    } else {
        Outcome::Pass
    })
}

pub async fn xml_empty_list(ctx: &Ctx) -> Step<Outcome> {
    let empty = ctx.scratch("empty-xml").await?;
    let exchange = xml_listing(ctx, empty).await?;
    let (_, value) = fileops_api::runtime::xml::read(&exchange.text())
        .map_err(|e| failed(e.to_string(), &exchange))?;
    let response = value["response"][0].clone();
    Ok(match response.as_object() {
        Some(map) if map.contains_key("files") || map.contains_key("folders") => failed(
            "an empty list must write no element (found <files> or <folders>)",
            &exchange,
        ),
        Some(_) => Outcome::Pass,
        None => failed("the answer has no <response>", &exchange),
    })
}

/// The schema words of a dialect's key list, as they appear on the wire.
fn words<W: fileops_api::runtime::Word>(list: &[W]) -> Vec<&'static str> {
    list.iter().map(|w| w.word()).collect()
}
