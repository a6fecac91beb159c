//! Bulk download: a real zip archive (or the single file itself where the dialect does so)
//! served at the operation's `url` (reference §13.8).

use std::io::Write;

use crate::clock::civil_from_days;
use crate::store::{EntryKey, Kind, Store, UserId};

use super::Source;

/// A prepared download.
#[derive(Debug, Clone)]
pub struct Package {
    /// The file name offered.
    pub name: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Packs the sources: one file alone is served as itself unless `always_archive`; one folder
/// becomes `<title>.zip`; anything else `fileops-download-<date>.zip`.
pub fn pack(
    store: &Store,
    user: UserId,
    sources: &[Source],
    always_archive: bool,
    now: u64,
) -> Option<Package> {
    let found: Vec<Source> = sources
        .iter()
        .copied()
        .filter(|s| super::exists(store, user, *s))
        .collect();
    if found.is_empty() {
        return None;
    }
    if let ([only], false) = (found.as_slice(), always_archive) {
        if !only.folder {
            let entry = store.entries.get(&only.id)?;
            return Some(Package {
                name: entry.title.clone(),
                bytes: entry.current()?.content.clone(),
            });
        }
    }
    let name = match found.as_slice() {
        [only] if only.folder => format!("{}.zip", store.entries.get(&only.id)?.title),
        _ => {
            let (y, m, d) = civil_from_days((now / 86_400_000) as i64);
            format!("fileops-download-{y:04}-{m:02}-{d:02}.zip")
        }
    };
    let mut paths = Vec::new();
    for s in &found {
        collect(store, s.id, "", &mut paths);
    }
    Some(Package {
        name,
        bytes: zip(&paths).ok()?,
    })
}

/// Files below `id` with their archive paths; equal paths get ` (1)`, ` (2)`.
fn collect(store: &Store, id: EntryKey, prefix: &str, out: &mut Vec<(String, Vec<u8>)>) {
    let Some(entry) = store.entries.get(&id) else {
        return;
    };
    match &entry.kind {
        Kind::File { versions } => {
            let path = unique_path(out, &format!("{prefix}{}", entry.title));
            out.push((
                path,
                versions
                    .last()
                    .map(|v| v.content.clone())
                    .unwrap_or_default(),
            ));
        }
        Kind::Folder { .. } => {
            let prefix = format!("{prefix}{}/", entry.title);
            for child in store.children(id) {
                collect(store, child.id, &prefix, out);
            }
        }
    }
}

fn unique_path(taken: &[(String, Vec<u8>)], path: &str) -> String {
    let is_taken = |p: &str| taken.iter().any(|(t, _)| t == p);
    if !is_taken(path) {
        return path.to_owned();
    }
    let (stem, ext) = match path.rfind('.') {
        Some(dot) if dot > path.rfind('/').map_or(0, |s| s + 1) => (&path[..dot], &path[dot..]),
        _ => (path, ""),
    };
    (1..)
        .map(|n| format!("{stem} ({n}){ext}"))
        .find(|p| !is_taken(p))
        .unwrap_or_else(|| path.to_owned())
}

fn zip(files: &[(String, Vec<u8>)]) -> zip::result::ZipResult<Vec<u8>> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (path, bytes) in files {
        writer.start_file(path.as_str(), options)?;
        writer.write_all(bytes)?;
    }
    Ok(writer.finish()?.into_inner())
}
