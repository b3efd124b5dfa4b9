//! Files the people using the app upload: held per session, counted against
//! quotas, in memory when small and in temporary files when large.
//!
//! The browser `PUT`s each file to its widget's upload URL
//! (`server/uploads.rs`), which streams it into an [`Upload`] here: the
//! limits are checked as the bytes arrive, so a file over a limit is refused
//! at the first byte past it and nothing of it is kept. A finished upload
//! becomes an [`UploadedFile`] the session holds until the person removes it
//! from the widget, the widget leaves the page, or the session ends.
//!
//! - **Isolation.** Each session is an owner with its own random upload
//!   token (never the session id, and not the payload store's owner token,
//!   which every media URL shows). An upload names the token and a widget
//!   the token's page shows; a file is found only under the owner and
//!   widget it was uploaded to.
//! - **Quotas.** Bytes are counted per file (the widget's limit), per
//!   session and over all sessions, and those in memory separately. The
//!   counts are atomics that each file's [`Charge`] gives back when the last
//!   handle to the file is dropped, so a run still reading a file keeps it
//!   counted.
//! - **Memory.** A file is kept in memory up to [`SPILL_BYTES`] while the
//!   memory quota allows; beyond that it goes to a temporary file (created
//!   new, readable by this user only, deleted when the file is dropped), so
//!   many sessions uploading at once cannot exhaust memory.

mod spill;

pub(crate) use spill::sweep_orphans;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use crate::protocol::{UploadedFileRef, WidgetId};

/// Files larger than this go to a temporary file.
pub const SPILL_BYTES: u64 = 4 << 20;
/// Bytes written to a temporary file at once.
const WRITE_BATCH: usize = 1 << 20;
/// The longest file name taken, in bytes.
pub const MAX_NAME_BYTES: usize = 255;

/// Why an upload was refused.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UploadError {
    /// The token or the widget is not one of a live page's upload widgets.
    #[error("this upload is not for a file uploader on your page")]
    NotAllowed,
    /// The file name is empty, too long, or holds path separators or
    /// control characters.
    #[error("the file name {0:?} is not allowed (no path separators or control characters, at most 255 bytes)")]
    BadName(String),
    /// The type is not one the widget accepts.
    #[error("{name}: file type not allowed (accepts {accept})")]
    WrongType {
        /// The file's name.
        name: String,
        /// What the widget accepts.
        accept: String,
    },
    /// The file is larger than the widget's limit.
    #[error("{name} is over the limit of {}", human_bytes(*limit))]
    TooLarge {
        /// The file's name.
        name: String,
        /// The limit in bytes.
        limit: u64,
    },
    /// The session's uploads would exceed its quota.
    #[error("{name} does not fit: this session already holds {} of uploads (at most {}); remove some files first", human_bytes(*held), human_bytes(*limit))]
    SessionQuota {
        /// The file's name.
        name: String,
        /// Bytes the session holds.
        held: u64,
        /// The quota.
        limit: u64,
    },
    /// The file alone is larger than a session's quota: removing files
    /// would not make room for it.
    #[error("{name} is larger than this session may upload in all ({})", human_bytes(*limit))]
    OverSessionQuota {
        /// The file's name.
        name: String,
        /// The quota.
        limit: u64,
    },
    /// All sessions' uploads would exceed the server's quota.
    #[error("the server holds as many uploads as it may ({}); try again later", human_bytes(*limit))]
    ServerQuota {
        /// The quota.
        limit: u64,
    },
    /// The body ended before its announced length, or broke off.
    #[error("the upload of {0} was cut off")]
    Truncated(String),
    /// Writing the temporary file failed.
    #[error("the upload could not be stored: {0}")]
    Io(#[from] std::io::Error),
}

/// `1.5 MB`, `200 MB`, `12 B`: sizes as people read them (units of 1024,
/// labelled as browsers and Streamlit label them).
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if value.fract() < 0.05 || value >= 100.0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// The server-wide limits (from `ServerConfig`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct UploadLimits {
    /// Per file (a widget may ask for less).
    pub(crate) max_file: u64,
    /// Per session.
    pub(crate) per_session: u64,
    /// Over all sessions.
    pub(crate) total: u64,
    /// In memory, over all sessions.
    pub(crate) memory: u64,
}

impl UploadLimits {
    pub(crate) fn from_config(server: &crate::config::ServerConfig) -> UploadLimits {
        const MIB: u64 = 1 << 20;
        UploadLimits {
            max_file: server.max_upload_mb.saturating_mul(MIB),
            per_session: server.max_session_upload_mb.saturating_mul(MIB),
            total: server.max_total_upload_mb.saturating_mul(MIB),
            memory: server.upload_memory_mb.saturating_mul(MIB),
        }
    }
}

/// What an upload widget takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rules {
    /// The largest file, in bytes.
    pub(crate) max_bytes: u64,
    /// Accepted types, normalised: extensions as `.csv`, MIME types
    /// lower-case; empty accepts any.
    pub(crate) accept: Vec<String>,
    /// Whether the widget holds several files. One that holds one drops
    /// the files it was given before and no run has seen yet (a photo
    /// taken again in a form) when a new one arrives.
    pub(crate) multiple: bool,
}

impl Rules {
    /// Whether a file named `name` of type `mime` is accepted.
    pub(crate) fn accepts(&self, name: &str, mime: &str) -> bool {
        if self.accept.is_empty() {
            return true;
        }
        let name = name.to_ascii_lowercase();
        let mime = mime
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        self.accept.iter().any(|rule| {
            if rule.starts_with('.') {
                name.ends_with(rule.as_str()) && name.len() > rule.len()
            } else if let Some(family) = rule.strip_suffix("/*") {
                mime.split('/').next() == Some(family)
            } else {
                *rule == mime
            }
        })
    }

    /// What it accepts, for messages.
    pub(crate) fn describe(&self) -> String {
        if self.accept.is_empty() {
            "any file".to_owned()
        } else {
            self.accept.join(", ")
        }
    }
}

/// Normalise an accepted-types list: `csv`, `.CSV` → `.csv`; MIME types
/// lower-case. A wildcard for everything (`*`, `*/*`, `.*`) makes the list
/// empty: any file.
pub(crate) fn normalise_accept<S: AsRef<str>>(types: impl IntoIterator<Item = S>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in types {
        let t = t.as_ref().trim().to_ascii_lowercase();
        if matches!(t.as_str(), "*" | "*/*" | ".*") {
            return Vec::new();
        }
        if t.is_empty() {
            continue;
        }
        let t = if t.contains('/') || t.starts_with('.') {
            t
        } else {
            format!(".{t}")
        };
        if !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

/// The usage counters: all sessions' bytes and those in memory.
#[derive(Debug, Default)]
struct Usage {
    total: AtomicU64,
    memory: AtomicU64,
}

/// Bytes counted against quotas, given back when dropped.
#[derive(Debug)]
struct Charge {
    usage: Arc<Usage>,
    session: Arc<AtomicU64>,
    /// Counted in total and session.
    bytes: u64,
    /// Of those, counted as in memory.
    memory: u64,
}

impl Drop for Charge {
    fn drop(&mut self) {
        self.usage.total.fetch_sub(self.bytes, Ordering::AcqRel);
        self.usage.memory.fetch_sub(self.memory, Ordering::AcqRel);
        self.session.fetch_sub(self.bytes, Ordering::AcqRel);
    }
}

/// Add `n` to `counter` unless that passes `limit`; the value before.
fn try_add(counter: &AtomicU64, n: u64, limit: u64) -> Result<u64, u64> {
    counter.fetch_update(Ordering::AcqRel, Ordering::Acquire, |held| {
        held.checked_add(n).filter(|sum| *sum <= limit)
    })
}

/// A temporary file, deleted when dropped.
#[derive(Debug)]
struct TempFile {
    path: PathBuf,
    /// The folder it is in, kept while it is (see `spill`).
    _dir: Arc<spill::SpillDir>,
}

impl TempFile {
    /// A new, empty file only this user can read, in the store's spill
    /// folder.
    fn create(spill: &spill::Spill) -> std::io::Result<(TempFile, std::fs::File)> {
        let dir = spill.dir()?;
        let name = crate::payload::random_hex().map_err(std::io::Error::other)?;
        let path = dir.path().join(name);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(&path)?;
        Ok((TempFile { path, _dir: dir }, file))
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        // Before the folder goes (fields drop after this).
        let _ = std::fs::remove_file(&self.path);
    }
}

#[derive(Debug)]
enum Content {
    Memory(Arc<[u8]>),
    Disk(TempFile),
}

#[derive(Debug)]
struct FileData {
    id: String,
    name: String,
    mime: String,
    size: u64,
    content: Content,
    _charge: Charge,
}

/// A file the person uploaded, as a run reads it.
///
/// Cheap to clone (one shared handle). The bytes are in memory or in a
/// temporary file (large files); [`bytes`](UploadedFile::bytes) reads them
/// whole, [`reader`](UploadedFile::reader) streams them.
///
/// ```
/// use brooklet::prelude::*;
///
/// fn app(ui: &Ui) {
///     if let Some(file) = ui.file_uploader("Upload a CSV", &["csv"]) {
///         ui.caption(format!("{} ({} bytes, {})", file.name(), file.size(), file.mime()));
///         let text = String::from_utf8_lossy(&file.bytes().unwrap()).into_owned();
///         ui.code(text);
///     }
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # at.file_uploader("Upload a CSV").upload("a.csv", "text/csv", b"x,y\n1,2\n").run().unwrap();
/// # assert_eq!(at.texts("caption"), vec!["a.csv (8 bytes, text/csv)"]);
/// ```
#[derive(Debug, Clone)]
pub struct UploadedFile(Arc<FileData>);

impl UploadedFile {
    /// Its name, as the person's browser gave it (no path).
    pub fn name(&self) -> &str {
        &self.0.name
    }
    /// Its MIME type, as the browser gave it (`application/octet-stream`
    /// when it gave none).
    pub fn mime(&self) -> &str {
        &self.0.mime
    }
    /// Its size in bytes.
    pub fn size(&self) -> u64 {
        self.0.size
    }
    /// The server's id of it (random; the widget's value names it).
    pub fn id(&self) -> &str {
        &self.0.id
    }
    /// Whether it is kept in a temporary file rather than in memory.
    pub fn is_on_disk(&self) -> bool {
        matches!(self.0.content, Content::Disk(_))
    }
    /// All its bytes (read from its temporary file when it has one).
    pub fn bytes(&self) -> std::io::Result<Arc<[u8]>> {
        match &self.0.content {
            Content::Memory(bytes) => Ok(bytes.clone()),
            Content::Disk(file) => Ok(Arc::from(std::fs::read(&file.path)?)),
        }
    }
    /// Its bytes as a stream, without holding them all in memory. The
    /// reader keeps the file (and its temporary file) alive while it reads.
    pub fn reader(&self) -> std::io::Result<Box<dyn Read + Send>> {
        match &self.0.content {
            Content::Memory(bytes) => Ok(Box::new(std::io::Cursor::new(bytes.clone()))),
            Content::Disk(file) => Ok(Box::new(KeepAlive {
                inner: std::io::BufReader::new(std::fs::File::open(&file.path)?),
                _file: self.clone(),
            })),
        }
    }

    /// Its text, if it is UTF-8 (a CSV, a text file).
    pub fn text(&self) -> std::io::Result<String> {
        String::from_utf8(self.bytes()?.to_vec())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }
    /// What the widget's value holds for it.
    pub(crate) fn reference(&self) -> UploadedFileRef {
        UploadedFileRef::new(&self.0.id, &self.0.name, self.0.size, &self.0.mime)
    }
}

/// A reader of a file on disk that holds the file's handle, so that the
/// temporary file outlives the reader.
struct KeepAlive<R> {
    inner: R,
    _file: UploadedFile,
}

impl<R: Read> Read for KeepAlive<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf)
    }
}

/// A file held by a session, under the widget it was uploaded to.
#[derive(Debug)]
struct Held {
    widget: WidgetId,
    file: UploadedFile,
    /// Whether a run has seen it in the widget's value. A committed file
    /// that leaves the value is deleted; one never committed (an upload in
    /// a form not yet submitted) waits.
    committed: bool,
}

#[derive(Debug, Default)]
struct Owner {
    usage: Arc<AtomicU64>,
    widgets: HashMap<WidgetId, Rules>,
    files: HashMap<String, Held>,
}

/// The uploads of every session; one per app. Cheap to clone.
#[derive(Debug, Clone)]
pub(crate) struct UploadStore {
    owners: Arc<Mutex<HashMap<String, Owner>>>,
    usage: Arc<Usage>,
    limits: UploadLimits,
    /// Where files over `SPILL_BYTES` go.
    spill: Arc<spill::Spill>,
}

impl UploadStore {
    pub(crate) fn new(limits: UploadLimits) -> UploadStore {
        UploadStore {
            owners: Arc::default(),
            usage: Arc::default(),
            limits,
            spill: Arc::new(spill::Spill::new(std::env::temp_dir())),
        }
    }

    /// The server-wide limits.
    pub(crate) fn limits(&self) -> UploadLimits {
        self.limits
    }

    /// `owner`'s page shows the upload widget `widget` taking `rules`.
    pub(crate) fn allow(&self, owner: &str, widget: &str, rules: Rules) {
        let mut owners = crate::sync::lock(&self.owners);
        let entry = owners.entry(owner.to_owned()).or_default();
        entry.widgets.insert(widget.to_owned(), rules);
    }

    /// `owner`'s page shows upload widget `widget` disabled: it takes no
    /// new files until it is enabled again, but the files it holds stay
    /// (a disabled widget keeps its value, like any other).
    pub(crate) fn disallow(&self, owner: &str, widget: &str) {
        let mut owners = crate::sync::lock(&self.owners);
        if let Some(entry) = owners.get_mut(owner) {
            entry.widgets.remove(widget);
        }
    }

    /// `owner`'s page shows only the upload widgets in `keep` now: the
    /// others' files go.
    pub(crate) fn retain_widgets(&self, owner: &str, keep: &std::collections::HashSet<String>) {
        let mut removed = Vec::new();
        {
            let mut owners = crate::sync::lock(&self.owners);
            if let Some(entry) = owners.get_mut(owner) {
                entry.widgets.retain(|widget, _| keep.contains(widget));
                let gone: Vec<String> = entry
                    .files
                    .iter()
                    .filter(|(_, held)| !keep.contains(&held.widget))
                    .map(|(id, _)| id.clone())
                    .collect();
                for id in gone {
                    removed.extend(entry.files.remove(&id));
                }
            }
        }
        // Files (and their temporary files) are dropped outside the lock.
        drop(removed);
    }

    /// The session is gone: every file it holds goes.
    pub(crate) fn release_owner(&self, owner: &str) {
        let removed = crate::sync::lock(&self.owners).remove(owner);
        // Files (and temporary files) are dropped outside the lock.
        drop(removed);
    }

    /// The files of `widget` named by `ids` (in that order; unknown ids are
    /// skipped), now committed; committed files of the widget not named
    /// are deleted.
    pub(crate) fn commit(&self, owner: &str, widget: &str, ids: &[String]) -> Vec<UploadedFile> {
        let mut removed = Vec::new();
        let files = {
            let mut owners = crate::sync::lock(&self.owners);
            let Some(entry) = owners.get_mut(owner) else {
                return Vec::new();
            };
            let stale: Vec<String> = entry
                .files
                .iter()
                .filter(|(id, held)| held.widget == widget && held.committed && !ids.contains(id))
                .map(|(id, _)| id.clone())
                .collect();
            for id in stale {
                removed.extend(entry.files.remove(&id));
            }
            ids.iter()
                .filter_map(|id| {
                    let held = entry.files.get_mut(id)?;
                    if held.widget != widget {
                        return None;
                    }
                    held.committed = true;
                    Some(held.file.clone())
                })
                .collect()
        };
        drop(removed);
        files
    }

    /// Delete a file of `owner`'s `widget` (the person removed it, or
    /// replaced it before it was committed). Whether there was one.
    pub(crate) fn remove(&self, owner: &str, widget: &str, id: &str) -> bool {
        let removed = {
            let mut owners = crate::sync::lock(&self.owners);
            let Some(entry) = owners.get_mut(owner) else {
                return false;
            };
            match entry.files.get(id) {
                Some(held) if held.widget == widget => entry.files.remove(id),
                _ => None,
            }
        };
        removed.is_some()
    }

    /// Start an upload of `name` (`mime`) to `owner`'s `widget`.
    /// `announced` is the body's length when the request says it.
    pub(crate) fn start(
        &self,
        owner: &str,
        widget: &str,
        name: &str,
        mime: &str,
        announced: Option<u64>,
    ) -> Result<Upload, UploadError> {
        check_name(name)?;
        let (rules, session) = {
            let owners = crate::sync::lock(&self.owners);
            let entry = owners.get(owner).ok_or(UploadError::NotAllowed)?;
            let rules = entry.widgets.get(widget).ok_or(UploadError::NotAllowed)?;
            (rules.clone(), entry.usage.clone())
        };
        if !rules.accepts(name, mime) {
            return Err(UploadError::WrongType {
                name: name.to_owned(),
                accept: rules.describe(),
            });
        }
        let max_bytes = rules.max_bytes.min(self.limits.max_file);
        if announced.is_some_and(|len| len > max_bytes) {
            return Err(UploadError::TooLarge {
                name: name.to_owned(),
                limit: max_bytes,
            });
        }
        // Refused before the first byte when it cannot fit (the count is
        // taken again, atomically, as the bytes arrive).
        if announced.is_some_and(|len| len > self.limits.per_session) {
            return Err(UploadError::OverSessionQuota {
                name: name.to_owned(),
                limit: self.limits.per_session,
            });
        }
        let held = session.load(Ordering::Acquire);
        if announced.is_some_and(|len| held.saturating_add(len) > self.limits.per_session) {
            return Err(UploadError::SessionQuota {
                name: name.to_owned(),
                held,
                limit: self.limits.per_session,
            });
        }
        let mime = if mime.trim().is_empty() {
            "application/octet-stream".to_owned()
        } else {
            mime.chars().filter(|c| !c.is_control()).take(200).collect()
        };
        Ok(Upload {
            multiple: rules.multiple,
            store: self.clone(),
            owner: owner.to_owned(),
            widget: widget.to_owned(),
            name: name.to_owned(),
            mime,
            max_bytes,
            charge: Charge {
                usage: self.usage.clone(),
                session,
                bytes: 0,
                memory: 0,
            },
            memory: Vec::new(),
            disk: None,
            pending: Vec::new(),
        })
    }

    /// Put a whole file in at once (for `AppTest`, and captures made on
    /// the server).
    pub(crate) fn put(
        &self,
        owner: &str,
        widget: &str,
        name: &str,
        mime: &str,
        bytes: &[u8],
    ) -> Result<UploadedFileRef, UploadError> {
        let mut upload = self.start(owner, widget, name, mime, Some(bytes.len() as u64))?;
        for chunk in bytes.chunks(64 * 1024) {
            upload.push(chunk)?;
            if upload.wants_flush() {
                upload.flush()?;
            }
        }
        upload.finish()
    }

    /// Bytes held over all sessions and in memory (for tests).
    #[cfg(test)]
    pub(crate) fn usage(&self) -> (u64, u64) {
        (
            self.usage.total.load(Ordering::Acquire),
            self.usage.memory.load(Ordering::Acquire),
        )
    }
}

/// A file name as uploads take it.
fn check_name(name: &str) -> Result<(), UploadError> {
    let bad = name.trim().is_empty()
        || name.len() > MAX_NAME_BYTES
        || name == "."
        || name == ".."
        || name
            .chars()
            .any(|c| c == '/' || c == '\\' || c.is_control());
    if bad {
        Err(UploadError::BadName(name.chars().take(300).collect()))
    } else {
        Ok(())
    }
}

/// An upload on its way in.
#[derive(Debug)]
pub(crate) struct Upload {
    store: UploadStore,
    owner: String,
    widget: String,
    name: String,
    mime: String,
    max_bytes: u64,
    charge: Charge,
    memory: Vec<u8>,
    disk: Option<(TempFile, std::fs::File)>,
    /// Bytes for the temporary file, written in batches.
    pending: Vec<u8>,
    /// Whether the widget holds several files.
    multiple: bool,
}

impl Upload {
    /// The next bytes of the body. An error ends the upload; dropping it
    /// gives back what it counted and deletes its temporary file.
    pub(crate) fn push(&mut self, chunk: &[u8]) -> Result<(), UploadError> {
        let n = chunk.len() as u64;
        let size = self.charge.bytes + n;
        if size > self.max_bytes {
            return Err(UploadError::TooLarge {
                name: self.name.clone(),
                limit: self.max_bytes,
            });
        }
        let limits = self.store.limits;
        if size > limits.per_session {
            return Err(UploadError::OverSessionQuota {
                name: self.name.clone(),
                limit: limits.per_session,
            });
        }
        let own = self.charge.bytes;
        try_add(&self.charge.session, n, limits.per_session).map_err(|held| {
            UploadError::SessionQuota {
                name: self.name.clone(),
                // What the session held besides this file.
                held: held.saturating_sub(own),
                limit: limits.per_session,
            }
        })?;
        if try_add(&self.store.usage.total, n, limits.total).is_err() {
            self.charge.session.fetch_sub(n, Ordering::AcqRel);
            return Err(UploadError::ServerQuota {
                limit: limits.total,
            });
        }
        self.charge.bytes = size;
        if self.disk.is_none() {
            let fits =
                size <= SPILL_BYTES && try_add(&self.store.usage.memory, n, limits.memory).is_ok();
            if fits {
                self.charge.memory += n;
                self.memory.extend_from_slice(chunk);
                return Ok(());
            }
            self.spill()?;
        }
        self.pending.extend_from_slice(chunk);
        Ok(())
    }

    /// Whether enough bytes wait for the temporary file that the caller
    /// should [`flush`](Upload::flush) them (off the async workers).
    pub(crate) fn wants_flush(&self) -> bool {
        self.pending.len() >= WRITE_BATCH
    }

    /// Move what is in memory to a new temporary file.
    fn spill(&mut self) -> Result<(), UploadError> {
        let (temp, file) = TempFile::create(&self.store.spill)?;
        self.disk = Some((temp, file));
        self.pending = std::mem::take(&mut self.memory);
        self.store
            .usage
            .memory
            .fetch_sub(self.charge.memory, Ordering::AcqRel);
        self.charge.memory = 0;
        Ok(())
    }

    /// Write the pending bytes to the temporary file (a blocking write of
    /// about a batch; the HTTP handler calls it in `block_in_place`).
    pub(crate) fn flush(&mut self) -> Result<(), UploadError> {
        if let Some((_, file)) = &mut self.disk {
            file.write_all(&self.pending)?;
            self.pending.clear();
        }
        Ok(())
    }

    /// The body ended: the file is the session's, under a new random id.
    pub(crate) fn finish(mut self) -> Result<UploadedFileRef, UploadError> {
        self.flush()?;
        let id = crate::payload::random_hex().map_err(std::io::Error::other)?;
        let content = match self.disk.take() {
            // No fsync: the file lives only as long as the session needs it.
            Some((temp, file)) => {
                drop(file);
                Content::Disk(temp)
            }
            None => Content::Memory(Arc::from(std::mem::take(&mut self.memory))),
        };
        let charge = Charge {
            usage: self.charge.usage.clone(),
            session: self.charge.session.clone(),
            bytes: std::mem::take(&mut self.charge.bytes),
            memory: std::mem::take(&mut self.charge.memory),
        };
        let file = UploadedFile(Arc::new(FileData {
            id: id.clone(),
            name: std::mem::take(&mut self.name),
            mime: std::mem::take(&mut self.mime),
            size: charge.bytes,
            content,
            _charge: charge,
        }));
        let reference = file.reference();
        let mut replaced = Vec::new();
        let mut owners = crate::sync::lock(&self.store.owners);
        let entry = owners
            .get_mut(&self.owner)
            .filter(|entry| entry.widgets.contains_key(&self.widget))
            // The session ended, or its page dropped the widget, meanwhile.
            .ok_or(UploadError::NotAllowed)?;
        if !self.multiple {
            let stale: Vec<String> = entry
                .files
                .iter()
                .filter(|(_, held)| held.widget == self.widget && !held.committed)
                .map(|(id, _)| id.clone())
                .collect();
            for id in stale {
                replaced.extend(entry.files.remove(&id));
            }
        }
        entry.files.insert(
            id,
            Held {
                widget: std::mem::take(&mut self.widget),
                file,
                committed: false,
            },
        );
        drop(owners);
        drop(replaced);
        Ok(reference)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(max_file: u64, per_session: u64, total: u64, memory: u64) -> UploadStore {
        UploadStore::new(UploadLimits {
            max_file,
            per_session,
            total,
            memory,
        })
    }

    fn rules(max_bytes: u64, accept: &[&str]) -> Rules {
        Rules {
            max_bytes,
            accept: normalise_accept(accept),
            multiple: true,
        }
    }

    #[test]
    fn accepted_types() {
        let r = rules(10, &["CSV", ".tsv", "image/*", "application/json"]);
        assert_eq!(
            r.accept,
            vec![".csv", ".tsv", "image/*", "application/json"]
        );
        assert!(r.accepts("A.CSV", ""));
        assert!(r.accepts("x.bin", "image/png"));
        assert!(r.accepts("x", "application/json; charset=utf-8"));
        assert!(!r.accepts("x.txt", "text/plain"));
        assert!(
            !r.accepts(".csv", "text/plain"),
            "a bare extension is no name"
        );
        assert!(rules(10, &[]).accepts("anything", ""));
        assert!(
            rules(10, &["csv", "*"]).accept.is_empty(),
            "a wildcard takes anything"
        );
        assert!(rules(10, &["*/*"]).accepts("x.bin", "application/octet-stream"));
    }

    #[test]
    fn names_with_paths_or_control_characters_are_refused() {
        for name in ["", " ", "..", "a/b.csv", "a\\b", "a\nb", &"x".repeat(256)] {
            assert!(check_name(name).is_err(), "{name:?}");
        }
        assert!(check_name("résumé 2024.csv").is_ok());
    }

    #[test]
    fn only_the_owner_and_widget_reach_a_file() {
        let s = store(100, 1000, 1000, 1000);
        s.allow("a", "w1", rules(100, &[]));
        s.allow("b", "w1", rules(100, &[]));
        let r = s
            .put("a", "w1", "x.txt", "text/plain", b"hello")
            .expect("stored");
        assert_eq!(r.size, 5);
        assert!(s
            .commit("b", "w1", std::slice::from_ref(&r.file_id))
            .is_empty());
        assert!(s
            .commit("a", "w2", std::slice::from_ref(&r.file_id))
            .is_empty());
        let files = s.commit("a", "w1", std::slice::from_ref(&r.file_id));
        assert_eq!(files.len(), 1);
        assert_eq!(&*files[0].bytes().expect("bytes"), b"hello");
        assert!(matches!(
            s.put("a", "nope", "x", "", b"1"),
            Err(UploadError::NotAllowed)
        ));
        assert!(matches!(
            s.put("zzz", "w1", "x", "", b"1"),
            Err(UploadError::NotAllowed)
        ));
    }

    #[test]
    fn limits_are_checked_while_streaming_and_nothing_is_kept() {
        let s = store(10, 15, 100, 1000);
        s.allow("a", "w", rules(1000, &[]));
        let mut up = s.start("a", "w", "big.bin", "", None).expect("starts");
        up.push(b"12345678").expect("fits");
        let err = up.push(b"abc").expect_err("over the file limit");
        assert!(
            matches!(err, UploadError::TooLarge { limit: 10, .. }),
            "{err}"
        );
        assert_eq!(err.to_string(), "big.bin is over the limit of 10 B");
        drop(up);
        assert_eq!(s.usage(), (0, 0), "given back");
        // Announced too large: refused before any byte.
        assert!(matches!(
            s.start("a", "w", "x", "", Some(11)),
            Err(UploadError::TooLarge { .. })
        ));
        // The session quota.
        let first = s.put("a", "w", "one", "", b"1234567890").expect("fits");
        let err = s
            .put("a", "w", "two", "", b"123456")
            .expect_err("session quota");
        assert!(matches!(err, UploadError::SessionQuota { .. }), "{err}");
        assert_eq!(
            err.to_string(),
            "two does not fit: this session already holds 10 B of uploads (at most 15 B); \
             remove some files first"
        );
        assert_eq!(s.usage().0, 10);
        // Removing the file gives its bytes back.
        assert!(s.remove("a", "w", &first.file_id));
        assert_eq!(s.usage(), (0, 0));
        // A file larger than the whole quota (but within its widget's
        // limit): removing files would not help.
        let s = store(100, 15, 100, 1000);
        s.allow("a", "w", rules(1000, &[]));
        let err = s
            .start("a", "w", "huge", "", Some(16))
            .expect_err("over the quota alone");
        assert_eq!(
            err.to_string(),
            "huge is larger than this session may upload in all (15 B)"
        );
        // Also when the session holds files already (removing them would
        // not help either), and when the body does not say its length.
        s.put("a", "w", "small", "", b"12").expect("fits");
        let err = s
            .start("a", "w", "huge", "", Some(16))
            .expect_err("over the quota alone");
        assert!(
            matches!(err, UploadError::OverSessionQuota { limit: 15, .. }),
            "{err}"
        );
        let mut up = s.start("a", "w", "stream", "", None).expect("starts");
        up.push(&[0; 10]).expect("fits beside the small file");
        let err = up.push(&[0; 6]).expect_err("over the quota alone");
        assert!(matches!(err, UploadError::OverSessionQuota { .. }), "{err}");
        drop(up);
        assert_eq!(s.usage().0, 2, "only the small file is held");
    }

    #[test]
    fn the_server_quota_covers_all_sessions() {
        let s = store(100, 100, 12, 1000);
        s.allow("a", "w", rules(100, &[]));
        s.allow("b", "w", rules(100, &[]));
        s.put("a", "w", "x", "", &[1; 10]).expect("fits");
        let err = s.put("b", "w", "y", "", &[1; 10]).expect_err("server full");
        assert!(
            matches!(err, UploadError::ServerQuota { limit: 12 }),
            "{err}"
        );
        s.release_owner("a");
        s.put("b", "w", "y", "", &[1; 10]).expect("room again");
    }

    #[test]
    fn large_files_spill_to_a_temporary_file_that_goes_with_them() {
        let s = store(64 << 20, 64 << 20, 64 << 20, 64 << 20);
        s.allow("a", "w", rules(64 << 20, &[]));
        let big = vec![7u8; (SPILL_BYTES + 10) as usize];
        let r = s.put("a", "w", "big.bin", "", &big).expect("stored");
        let files = s.commit("a", "w", std::slice::from_ref(&r.file_id));
        let file = files[0].clone();
        assert!(file.is_on_disk());
        assert_eq!(s.usage(), (big.len() as u64, 0), "nothing in memory");
        let Content::Disk(temp) = &file.0.content else {
            unreachable!("on disk")
        };
        let path = temp.path.clone();
        assert!(path.exists());
        let mut read = Vec::new();
        file.reader()
            .expect("opens")
            .read_to_end(&mut read)
            .expect("reads");
        assert_eq!(read, big);
        // Committing a list without it deletes it once no run holds it.
        s.commit("a", "w", &[]);
        assert!(path.exists(), "still held by this test");
        drop(files);
        drop(file);
        assert!(!path.exists());
        assert_eq!(s.usage(), (0, 0));
    }

    #[test]
    fn the_memory_quota_sends_small_files_to_disk_too() {
        let s = store(1000, 1000, 1000, 4);
        s.allow("a", "w", rules(1000, &[]));
        let r = s.put("a", "w", "x", "", b"0123456789").expect("stored");
        let files = s.commit("a", "w", &[r.file_id]);
        assert!(files[0].is_on_disk());
        assert_eq!(s.usage(), (10, 0));
    }

    #[test]
    fn uncommitted_files_wait_and_dropped_widgets_lose_theirs() {
        let s = store(100, 100, 100, 100);
        s.allow("a", "w", rules(100, &[]));
        let one = s.put("a", "w", "1", "", b"1").expect("stored");
        let two = s.put("a", "w", "2", "", b"2").expect("stored");
        // A run sees only `one` (`two` waits in a form): `two` stays.
        assert_eq!(
            s.commit("a", "w", std::slice::from_ref(&one.file_id)).len(),
            1
        );
        assert_eq!(
            s.commit("a", "w", std::slice::from_ref(&two.file_id)).len(),
            1
        );
        assert!(
            s.commit("a", "w", std::slice::from_ref(&one.file_id))
                .is_empty(),
            "removed once left"
        );
        s.retain_widgets("a", &Default::default());
        assert_eq!(s.usage().0, 0);
    }

    #[test]
    fn a_widget_of_one_file_drops_the_uncommitted_one_it_replaces() {
        let s = store(100, 100, 100, 100);
        s.allow(
            "a",
            "w",
            Rules {
                multiple: false,
                ..rules(100, &[])
            },
        );
        s.put("a", "w", "1.jpg", "", b"1").expect("stored");
        let two = s.put("a", "w", "2.jpg", "", b"22").expect("stored");
        assert_eq!(s.usage().0, 2, "the first, never committed, is gone");
        assert_eq!(s.commit("a", "w", &[two.file_id]).len(), 1);
        // Announced larger than the session has left: refused at once.
        let err = s
            .start("a", "w", "big", "", Some(99))
            .expect_err("does not fit");
        assert!(
            matches!(err, UploadError::SessionQuota { held: 2, .. }),
            "{err}"
        );
    }

    #[test]
    fn sizes_read_like_a_browser() {
        assert_eq!(human_bytes(12), "12 B");
        assert_eq!(human_bytes(1500), "1.5 KB");
        assert_eq!(human_bytes(200 << 20), "200 MB");
        assert_eq!(human_bytes(3 << 30), "3 GB");
    }
}
