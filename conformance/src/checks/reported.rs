//! What a finished move or copy lists in `files` and `folders` (reference §13.6).
//!
//! Each case runs in a fresh scene: a source folder with `a.docx`, `b.docx`, a folder `F`
//! (holding `inner.docx`) and a folder `G`; a destination already holding `b.docx` and a
//! folder `G`. Reported entries are named by what they are: a source by its title, `dst` the
//! destination, `old X` what was already there, `new X` an entry the operation created at the
//! destination, and `unrelated N` anything else.

use fileops_api::client::Client;
use fileops_api::runtime::{EntryId, ReportedEntries};
use fileops_api::types::{BatchRequest, FileConflictResolveType as Resolve, FileOperation};

use crate::context::Ctx;
use crate::outcome::{Outcome, Step};
use crate::profile;

/// One request of the scene.
#[derive(Debug, Clone)]
struct Case {
    name: &'static str,
    copy: bool,
    resolve: Resolve,
    files: &'static [&'static str],
    folders: &'static [&'static str],
}

const fn case(
    name: &'static str,
    copy: bool,
    resolve: Resolve,
    files: &'static [&'static str],
    folders: &'static [&'static str],
) -> Case {
    Case {
        name,
        copy,
        resolve,
        files,
        folders,
    }
}

const FILE_COPY: Case = case("file copy", true, Resolve::Skip, &["a.docx"], &[]);
const FILE_MOVE: Case = case("file move", false, Resolve::Skip, &["a.docx"], &[]);
const OVERWRITE_COPY: Case = case("overwrite copy", true, Resolve::Overwrite, &["b.docx"], &[]);
const OVERWRITE_MOVE: Case = case(
    "overwrite move",
    false,
    Resolve::Overwrite,
    &["b.docx"],
    &[],
);
const SKIP: Case = case("skip", true, Resolve::Skip, &["b.docx"], &[]);
const FOLDER_COPY: Case = case("folder copy", true, Resolve::Skip, &[], &["F"]);
const FOLDER_MOVE: Case = case("folder move", false, Resolve::Skip, &[], &["F"]);
const MERGE_COPY: Case = case("merge copy", true, Resolve::Skip, &[], &["G"]);
const MIXED_COPY: Case = case("mixed copy", true, Resolve::Skip, &["a.docx"], &["F"]);
const DUPLICATE_COPY: Case = case("duplicate copy", true, Resolve::Duplicate, &["b.docx"], &[]);
const DUPLICATE_MOVE: Case = case(
    "duplicate move",
    false,
    Resolve::Duplicate,
    &["b.docx"],
    &[],
);

/// What a case reported, named.
#[derive(Debug, PartialEq, Eq)]
struct Reported {
    files: Vec<String>,
    folders: Vec<String>,
}

/// The scene's entries by name.
struct Scene {
    known: Vec<(i64, String)>,
    dst: i64,
}

impl Scene {
    fn id(&self, name: &str) -> Option<i64> {
        self.known
            .iter()
            .find(|(_, n)| n == name)
            .map(|(id, _)| *id)
    }
}

async fn scene(ctx: &Ctx, name: &str) -> Step<Scene> {
    let src = ctx.scratch(&format!("reported-{name}-src")).await?;
    let dst = ctx.scratch(&format!("reported-{name}-dst")).await?;
    let mut known = vec![(src, "src".to_owned()), (dst, "dst".to_owned())];
    for title in ["a.docx", "b.docx"] {
        known.push((ctx.create_file(src, title).await?, title.to_owned()));
    }
    let f = ctx.create_folder(src, "F").await?;
    ctx.create_file(f, "inner.docx").await?;
    known.push((f, "F".into()));
    known.push((ctx.create_folder(src, "G").await?, "G".into()));
    known.push((ctx.create_file(dst, "b.docx").await?, "old b.docx".into()));
    known.push((ctx.create_folder(dst, "G").await?, "old G".into()));
    Ok(Scene { known, dst })
}

/// Runs `case` in a fresh scene and names what the finished operation lists.
async fn observe(ctx: &Ctx, case: Case) -> Step<Reported> {
    let scene = scene(ctx, &case.name.replace(' ', "-")).await?;
    let ids = |names: &[&str]| -> Vec<EntryId> {
        names
            .iter()
            .filter_map(|n| scene.id(n))
            .map(EntryId::Int)
            .collect()
    };
    let body = BatchRequest {
        folder_ids: ids(case.folders),
        file_ids: ids(case.files),
        dest_folder_id: EntryId::Int(scene.dst),
        conflict_resolve_type: Some(case.resolve),
        delete_after: None,
        content: None,
        to_fill_out: None,
        return_single_operation: None,
    };
    let client: Client = ctx.api();
    let started = super::start_transfer(&client, case.copy, body).await?;
    let finished = ctx.wait(&client, &started.id).await?;
    let listing = ctx.listing(scene.dst).await?;
    let at_dst: Vec<i64> = listing
        .files
        .iter()
        .filter_map(|f| f.id.as_ref()?.as_int())
        .chain(
            listing
                .folders
                .iter()
                .filter_map(|f| f.id.as_ref()?.as_int()),
        )
        .collect();
    Ok(name_all(&scene, &at_dst, &finished))
}

fn name_all(scene: &Scene, at_dst: &[i64], op: &FileOperation) -> Reported {
    let name = |id: Option<&EntryId>, title: Option<&String>| -> String {
        let Some(id) = id.and_then(EntryId::as_int) else {
            return format!("unrelated {id:?}");
        };
        if let Some((_, known)) = scene.known.iter().find(|(k, _)| *k == id) {
            return known.clone();
        }
        if at_dst.contains(&id) {
            return format!("new {}", title.map_or("?", String::as_str));
        }
        format!("unrelated {id}")
    };
    let mut files: Vec<String> = op
        .files
        .iter()
        .flatten()
        .map(|f| name(f.id.as_ref(), f.title.as_ref()))
        .collect();
    let mut folders: Vec<String> = op
        .folders
        .iter()
        .flatten()
        .map(|f| name(f.id.as_ref(), f.title.as_ref()))
        .collect();
    files.sort();
    folders.sort();
    Reported { files, folders }
}

/// What one case may and must list in each family: the result must be there, and nothing
/// but the sources, the destination and the results may be.
struct Bounds {
    case: Case,
    must_files: &'static [&'static str],
    may_files: &'static [&'static str],
    may_folders: &'static [&'static str],
}

/// reference §13.6, both families: a copy lists its result (alone on DocSpace, after its
/// source on Workspace), also in a mixed request; a skipped file lists neither itself nor
/// the file it clashed with; nothing but the sources, the destination and the results is
/// listed (whether the destination is, for files, is open).
const BOUNDS: &[Bounds] = &[
    Bounds {
        case: FILE_COPY,
        must_files: &["new a.docx"],
        may_files: &["a.docx", "new a.docx"],
        may_folders: &["dst"],
    },
    Bounds {
        case: SKIP,
        must_files: &[],
        may_files: &[],
        may_folders: &["dst"],
    },
    Bounds {
        case: MIXED_COPY,
        must_files: &["new a.docx"],
        may_files: &["a.docx", "new a.docx"],
        may_folders: &["F", "dst", "new F"],
    },
];

/// reference §13.6: the reported entries stay within what both families' rules allow.
pub async fn entries(ctx: &Ctx) -> Step<Outcome> {
    let mut problems = Vec::new();
    for bound in BOUNDS {
        let got = observe(ctx, bound.case.clone()).await?;
        let name = bound.case.name;
        for must in bound.must_files {
            if !got.files.iter().any(|f| f == must) {
                problems.push(format!(
                    "{name}: files must list {must}, got {:?}",
                    got.files
                ));
            }
        }
        let stray = |list: &[String], may: &[&str]| -> Vec<String> {
            list.iter()
                .filter(|e| !may.contains(&e.as_str()))
                .cloned()
                .collect()
        };
        for (key, list, may) in [
            ("files", &got.files, bound.may_files),
            ("folders", &got.folders, bound.may_folders),
        ] {
            let extra = stray(list, may);
            if !extra.is_empty() {
                problems.push(format!(
                    "{name}: {key} lists {extra:?}, which neither family reports here (allowed: {may:?})"
                ));
            }
        }
    }
    Ok(verdict(problems))
}

/// One case's exact answer in one reading.
struct Exact {
    case: Case,
    files: &'static [&'static str],
    folders: &'static [&'static str],
}

const fn exact(
    case: Case,
    files: &'static [&'static str],
    folders: &'static [&'static str],
) -> Exact {
    Exact {
        case,
        files,
        folders,
    }
}

/// DocSpace (§13.6, code reading): the destination and top-level results; the file phase
/// replaces all, so a mixed request loses its folders (§13.10: not seen in a test).
const LAST_PHASE: &[Exact] = &[
    exact(FILE_COPY, &["new a.docx"], &[]),
    exact(FILE_MOVE, &["a.docx"], &[]),
    exact(OVERWRITE_COPY, &["old b.docx"], &[]),
    exact(OVERWRITE_MOVE, &["old b.docx"], &[]),
    exact(SKIP, &[], &[]),
    exact(FOLDER_COPY, &[], &["dst", "new F"]),
    exact(FOLDER_MOVE, &[], &["F", "dst"]),
    exact(MERGE_COPY, &[], &["dst", "old G"]),
    exact(DUPLICATE_COPY, &["new b (1).docx"], &[]),
    exact(DUPLICATE_MOVE, &["b.docx"], &[]),
    exact(MIXED_COPY, &["new a.docx"], &[]),
];

/// DocSpace without the loss: the destination first, then every result of either phase.
const ALL_PHASES: &[Exact] = &[
    exact(FILE_COPY, &["new a.docx"], &["dst"]),
    exact(FILE_MOVE, &["a.docx"], &["dst"]),
    exact(OVERWRITE_COPY, &["old b.docx"], &["dst"]),
    exact(OVERWRITE_MOVE, &["old b.docx"], &["dst"]),
    exact(SKIP, &[], &["dst"]),
    exact(FOLDER_COPY, &[], &["dst", "new F"]),
    exact(FOLDER_MOVE, &[], &["F", "dst"]),
    exact(MERGE_COPY, &[], &["dst", "old G"]),
    exact(DUPLICATE_COPY, &["new b (1).docx"], &["dst"]),
    exact(DUPLICATE_MOVE, &["b.docx"], &["dst"]),
    exact(MIXED_COPY, &["new a.docx"], &["dst", "new F"]),
];

/// Workspace (§13.6, code reading): each source before its result, a folder adding the
/// destination, entries gone or repeated dropped, a merge-copy only the destination.
const SOURCES_AND_RESULTS: &[Exact] = &[
    exact(FILE_COPY, &["a.docx", "new a.docx"], &[]),
    exact(FILE_MOVE, &["a.docx"], &[]),
    exact(OVERWRITE_COPY, &["b.docx", "old b.docx"], &[]),
    exact(OVERWRITE_MOVE, &["old b.docx"], &[]),
    exact(SKIP, &[], &[]),
    exact(FOLDER_COPY, &[], &["F", "dst", "new F"]),
    exact(FOLDER_MOVE, &[], &["F", "dst"]),
    exact(MERGE_COPY, &[], &["dst"]),
    exact(DUPLICATE_COPY, &["b.docx", "new b.docx"], &[]),
    exact(DUPLICATE_MOVE, &["b.docx"], &[]),
    exact(
        MIXED_COPY,
        &["a.docx", "new a.docx"],
        &["F", "dst", "new F"],
    ),
];

/// The same, the destination listed for every handled file too (the notes are silent on
/// it for files).
const SOURCES_RESULTS_AND_DESTINATION: &[Exact] = &[
    exact(FILE_COPY, &["a.docx", "new a.docx"], &["dst"]),
    exact(FILE_MOVE, &["a.docx"], &["dst"]),
    exact(OVERWRITE_COPY, &["b.docx", "old b.docx"], &["dst"]),
    exact(OVERWRITE_MOVE, &["old b.docx"], &["dst"]),
    exact(SKIP, &[], &[]),
    exact(FOLDER_COPY, &[], &["F", "dst", "new F"]),
    exact(FOLDER_MOVE, &[], &["F", "dst"]),
    exact(MERGE_COPY, &[], &["dst"]),
    exact(DUPLICATE_COPY, &["b.docx", "new b.docx"], &["dst"]),
    exact(DUPLICATE_MOVE, &["b.docx"], &["dst"]),
    exact(
        MIXED_COPY,
        &["a.docx", "new a.docx"],
        &["F", "dst", "new F"],
    ),
];

/// The exact lists of a reading.
fn table(reported: ReportedEntries) -> &'static [Exact] {
    match reported {
        ReportedEntries::LastPhase => LAST_PHASE,
        ReportedEntries::AllPhases => ALL_PHASES,
        ReportedEntries::SourcesAndResults => SOURCES_AND_RESULTS,
        ReportedEntries::SourcesResultsAndDestination => SOURCES_RESULTS_AND_DESTINATION,
    }
}

/// reference §13.6 (code reading, open facts): the lists for every conflict resolution,
/// single and mixed requests, are exactly one reading's; which one goes into the profile.
pub async fn per_family(ctx: &Ctx) -> Step<Outcome> {
    let mut got = Vec::new();
    for case in LAST_PHASE.iter().map(|e| e.case.clone()) {
        let reported = observe(ctx, case.clone()).await?;
        got.push((case.name, reported));
    }
    let matches = |reported: ReportedEntries| {
        table(reported)
            .iter()
            .zip(&got)
            .all(|(want, (_, seen))| seen.files == want.files && seen.folders == want.folders)
    };
    let facts = profile::setting(&["behaviour/reported-entries"]);
    let what = "what eleven moves and copies listed";
    if ctx.fits(&facts, what, |d| matches(d.behaviour.reported_entries)) {
        return Ok(Outcome::Pass);
    }
    let own = table(ctx.target.dialect.behaviour.reported_entries);
    let problems = own
        .iter()
        .zip(&got)
        .filter(|(want, (_, seen))| seen.files != want.files || seen.folders != want.folders)
        .map(|(want, (name, seen))| {
            format!(
                "{name}: files {:?} and folders {:?} (this family's default reading: files {:?} and folders {:?})",
                seen.files, seen.folders, want.files, want.folders
            )
        })
        .collect();
    Ok(verdict(problems))
}

fn verdict(problems: Vec<String>) -> Outcome {
    if problems.is_empty() {
        Outcome::Pass
    } else {
        Outcome::fail(problems.join("; "), Vec::new())
    }
}
