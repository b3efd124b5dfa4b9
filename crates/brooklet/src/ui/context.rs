//! What a run's `Ui` reaches of its session and of the app.
//!
//! A [`SessionContext`] is the part of a session that runs read and write:
//! the outbox (page and waker), the stores, the query parameters and the
//! session's share of the app ([`AppShared`]). The session layer above owns
//! it together with the rerun state machine, which a `Ui` never touches
//! directly: `ui.rerun()` unwinds to the driver, and the few requests that
//! must come from elsewhere (a worker's `ui.rerun()`, a `SessionHandle`) go
//! through the [`SessionHost`] trait the session implements.
//!
//! Every lock here is taken inside a closure accessor (`with_widgets`,
//! `with_fragments`, `Outbox::with_page`), so no guard leaves this module.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Weak};

use super::Ui;
use crate::config::{Config, ErrorDetails};
use crate::data::registry::{ChartRegistry, FrameRegistry, OwnerRegistry};
use crate::data::series::ChartData;
use crate::data::view::FrameView;
use crate::page::Outbox;
use crate::payload::{PayloadError, PayloadId, PayloadRef, PayloadStore};
use crate::run::{Run, SessionTag};
use crate::runtime::pool::ScriptPool;
use crate::runtime::workers::WorkerSlots;
use crate::store::fragments::Fragments;
use crate::store::widgets::WidgetStore;
use crate::store::SessionState;
use crate::sync::lock;
use crate::ui::widgets::LazyDownload;
use crate::uploads::{Rules, UploadLimits, UploadStore, UploadedFile};

/// The app function as the runtime holds it.
pub(crate) type AppFn = dyn Fn(&Ui) + Send + Sync + 'static;

/// A widget callback (`on_change`, `on_click`).
pub(crate) type Callback = Arc<dyn Fn(&Ui) + Send + Sync + 'static>;

/// A fragment's body.
pub(crate) type FragmentFn = Arc<dyn Fn(&Ui) + Send + Sync + 'static>;

/// What every session of one app shares.
pub(crate) struct AppShared {
    pub(crate) app: Arc<AppFn>,
    /// The script threads that run the app.
    pub(crate) pool: ScriptPool,
    /// Counts `ui.spawn` workers against their caps.
    pub(crate) workers: WorkerSlots,
    /// Large payloads (media), shared by all sessions.
    pub(crate) payloads: PayloadStore,
    /// The dataframe grids each session's page shows.
    pub(crate) frames: FrameRegistry,
    /// The simple charts each session's page shows.
    pub(crate) charts: ChartRegistry,
    /// The downloads made when clicked that each session's page shows.
    pub(crate) downloads: OwnerRegistry<LazyDownload>,
    /// The files each session's upload widgets hold.
    pub(crate) uploads: UploadStore,
    /// How much of an app error the page shows.
    pub(crate) error_details: ErrorDetails,
    /// Stack size of script threads and workers.
    pub(crate) stack_bytes: usize,
    /// How long a cancelled run may go on before it is logged.
    pub(crate) stuck_run_warning: std::time::Duration,
}

impl AppShared {
    /// The shared parts of an app configured by `config`. Fails only when
    /// the OS has no randomness for the payload store's secret key.
    pub(crate) fn new(
        app: Arc<AppFn>,
        config: &Config,
    ) -> Result<Arc<AppShared>, getrandom::Error> {
        let runner = &config.runner;
        Ok(Arc::new(AppShared {
            app,
            pool: ScriptPool::new(runner.max_threads, runner.stack_bytes, "brooklet-script"),
            workers: WorkerSlots::new(runner.max_workers, runner.max_workers_per_session),
            payloads: PayloadStore::with_page_cap(
                config.server.max_media_bytes,
                config.server.max_media_bytes_per_session,
            )?,
            frames: FrameRegistry::default(),
            charts: ChartRegistry::default(),
            downloads: OwnerRegistry::default(),
            uploads: UploadStore::new(UploadLimits::from_config(&config.server)),
            error_details: config.client.show_error_details,
            stack_bytes: runner.stack_bytes,
            stuck_run_warning: runner.stuck_run_warning,
        }))
    }
}

/// What the `Ui` layer may ask of the session that owns a context.
pub(crate) trait SessionHost: Send + Sync {
    /// Rerun the whole app (as if the person had interacted); `false` when
    /// no tab is connected.
    fn request_rerun(&self) -> bool;

    /// `run` called `ui.rerun()`: rerun the whole app, unless `run` has
    /// been cancelled or has ended meanwhile (a Stop, a newer event, the tab
    /// leaving), decided under the session's control lock.
    fn rerun_after(&self, run: &Run);
}

/// The part of one session that its runs read and write.
pub(crate) struct SessionContext {
    tag: SessionTag,
    shared: Arc<AppShared>,
    /// The page and its outgoing queue.
    pub(crate) outbox: Arc<Outbox>,
    widgets: Mutex<WidgetStore<Callback>>,
    fragments: Mutex<Fragments<FragmentFn>>,
    /// The session state.
    pub(crate) state: SessionState,
    /// The query parameters (see `QueryParams`, which shares them).
    query: Arc<Mutex<Vec<(String, String)>>>,
    /// This session's owner token in the payload store and the frame
    /// registry (random; never the session id). It is in every media,
    /// grid, chart and download URL the page shows, so it only lets its
    /// holder read what the page shows.
    payload_owner: String,
    /// This session's token in the upload store (random, and not the
    /// owner token): the one secret that lets a request put files into
    /// this tab's widgets. It appears only in the upload widgets' URLs,
    /// never in a link a person might copy and share.
    upload_token: String,
    /// Whether the page may reference payloads: only then does the end of a
    /// full run touch the (app-wide) store, keeping it off the rerun path of
    /// pages that show none.
    shows_payloads: AtomicBool,
    /// The payloads the page shows, by the run that drew them.
    shown_payloads: Mutex<ShownPayloads>,
    /// Whether the page may show grids (as `shows_payloads`).
    shows_grids: AtomicBool,
    /// Whether the page may show simple charts (as `shows_payloads`).
    shows_charts: AtomicBool,
    /// Whether the page may show lazy downloads (as `shows_payloads`).
    shows_downloads: AtomicBool,
    /// Whether the page may show upload widgets (as `shows_payloads`).
    shows_uploaders: AtomicBool,
    /// The session, for the requests in [`SessionHost`].
    host: Weak<dyn SessionHost>,
}

/// What the page shows of the payload store: what the last full run drew
/// (plus what runs cancelled or stopped since drew: they leave the page as
/// it is), and what each fragment's latest finished run drew. A fragment's
/// rerun replaces its own set; the full run's set keeps what fragments drew
/// in that run until the next full run, so a fragment leaves at most one
/// stale picture held (an enclosing fragment's set may hold one more).
#[derive(Default)]
struct ShownPayloads {
    full_run: HashSet<PayloadId>,
    fragments: HashMap<String, HashSet<PayloadId>>,
}

impl std::fmt::Debug for SessionContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionContext")
            .field("tag", &self.tag)
            .finish_non_exhaustive()
    }
}

impl Drop for SessionContext {
    fn drop(&mut self) {
        // The tables and media this tab showed may now be evicted.
        self.shared.payloads.release_owner(&self.payload_owner);
        self.shared.frames.release_owner(&self.payload_owner);
        self.shared.charts.release_owner(&self.payload_owner);
        self.shared.downloads.release_owner(&self.payload_owner);
        self.shared.uploads.release_owner(&self.upload_token);
    }
}

impl SessionContext {
    /// The context of a new session owned by `host`, with its owner token
    /// in the payload store and its upload token.
    pub(crate) fn new(
        shared: Arc<AppShared>,
        payload_owner: String,
        upload_token: String,
        host: Weak<dyn SessionHost>,
    ) -> SessionContext {
        SessionContext {
            tag: SessionTag::next(),
            shared,
            outbox: Arc::default(),
            widgets: Mutex::default(),
            fragments: Mutex::default(),
            state: SessionState::default(),
            query: Arc::default(),
            payload_owner,
            upload_token,
            shows_payloads: AtomicBool::new(false),
            shown_payloads: Mutex::default(),
            shows_grids: AtomicBool::new(false),
            shows_charts: AtomicBool::new(false),
            shows_downloads: AtomicBool::new(false),
            shows_uploaders: AtomicBool::new(false),
            host,
        }
    }

    /// The session's name for logs.
    pub(crate) fn tag(&self) -> SessionTag {
        self.tag
    }

    /// What every session of the app shares.
    pub(crate) fn shared(&self) -> &AppShared {
        &self.shared
    }

    /// The query parameters as the app reads and writes them.
    pub(crate) fn query_params(&self) -> crate::store::QueryParams {
        crate::store::QueryParams::new(self.query.clone(), Arc::downgrade(&self.outbox))
    }

    /// Run `f` with the query parameters.
    pub(crate) fn with_query<R>(&self, f: impl FnOnce(&mut Vec<(String, String)>) -> R) -> R {
        f(&mut lock(&self.query))
    }

    /// Run `f` with the widget store.
    pub(crate) fn with_widgets<R>(&self, f: impl FnOnce(&mut WidgetStore<Callback>) -> R) -> R {
        f(&mut lock(&self.widgets))
    }

    /// Run `f` with the fragments the page has.
    pub(crate) fn with_fragments<R>(&self, f: impl FnOnce(&mut Fragments<FragmentFn>) -> R) -> R {
        f(&mut lock(&self.fragments))
    }

    /// `run` called `ui.rerun()` (see [`SessionHost::rerun_after`]).
    pub(crate) fn rerun_after(&self, run: &Run) {
        if let Some(host) = self.host.upgrade() {
            host.rerun_after(run);
        }
    }

    /// Ask the session to rerun the whole app; `false` when it is gone or no
    /// tab is connected.
    pub(crate) fn request_rerun(&self) -> bool {
        match self.host.upgrade() {
            Some(host) => host.request_rerun(),
            None => false,
        }
    }

    /// Store `bytes` in the app-wide payload store for this session's page.
    pub(crate) fn put_payload(
        &self,
        bytes: Vec<u8>,
        content_type: &'static str,
    ) -> Result<(PayloadId, PayloadRef), PayloadError> {
        self.shows_payloads.store(true, Ordering::Relaxed);
        self.shared
            .payloads
            .put(&self.payload_owner, bytes, content_type)
    }

    /// The page shows the grid `view`: window requests and CSV downloads
    /// of this session may read it. Returns where its CSV is downloaded.
    pub(crate) fn show_grid(&self, view: FrameView) -> String {
        let url = format!("/_brooklet/frame/{}/{}.csv", self.payload_owner, view.key);
        self.shows_grids.store(true, Ordering::Relaxed);
        self.shared
            .frames
            .show(&self.payload_owner, view.key.clone(), view);
        url
    }

    /// The grid `key` on this session's page.
    pub(crate) fn grid(&self, key: &str) -> Option<FrameView> {
        self.shared.frames.get(&self.payload_owner, key)
    }

    /// Swap the frame of grid `key` (see `OwnerRegistry::update`).
    pub(crate) fn swap_grid_frame(
        &self,
        key: &str,
        expected: &crate::data::Frame,
        frame: crate::data::Frame,
    ) -> Option<bool> {
        self.shared.frames.update(&self.payload_owner, key, |view| {
            if !view.frame.shares(expected) {
                return false;
            }
            view.frame = frame;
            true
        })
    }

    /// The page shows the simple chart `data`: this session's points
    /// requests may read it. Returns where its points are fetched.
    pub(crate) fn show_chart(&self, data: Arc<ChartData>) -> String {
        let url = format!("/_brooklet/chart/{}/{}.bin", self.payload_owner, data.key);
        self.shows_charts.store(true, Ordering::Relaxed);
        self.shared
            .charts
            .show(&self.payload_owner, data.key.clone(), data);
        url
    }

    /// The simple chart `key` on this session's page.
    pub(crate) fn chart(&self, key: &str) -> Option<Arc<ChartData>> {
        self.shared.charts.get(&self.payload_owner, key)
    }

    /// Replace the data of chart `key` by `data` if it still holds
    /// `expected` (see `OwnerRegistry::update`).
    pub(crate) fn swap_chart(
        &self,
        key: &str,
        expected: &Arc<ChartData>,
        data: Arc<ChartData>,
    ) -> Option<bool> {
        self.shared
            .charts
            .update(&self.payload_owner, key, |entry| {
                if !Arc::ptr_eq(entry, expected) {
                    return false;
                }
                *entry = data;
                true
            })
    }

    /// A full run finished drawing `drawn` charts: the page shows only those.
    pub(crate) fn retain_charts(&self, drawn: &std::collections::HashSet<String>) {
        let shows = !drawn.is_empty();
        if self.shows_charts.swap(shows, Ordering::Relaxed) {
            self.shared.charts.retain(&self.payload_owner, drawn);
        }
    }

    /// The page shows a download button `id` whose file is made when
    /// clicked: this session's download requests may make it. Returns
    /// where the browser downloads it.
    pub(crate) fn show_download(&self, id: &str, download: LazyDownload) -> String {
        self.shows_downloads.store(true, Ordering::Relaxed);
        self.shared
            .downloads
            .show(&self.payload_owner, id.to_owned(), download);
        format!("/_brooklet/download/{}/{id}", self.payload_owner)
    }

    /// Download button `id` is drawn disabled: whatever it offered before
    /// is withdrawn at once (not at the end of the next full run), so no
    /// request can make its file.
    pub(crate) fn hide_download(&self, id: &str) {
        if self.shows_downloads.load(Ordering::Relaxed) {
            self.shared.downloads.hide(&self.payload_owner, id);
        }
    }

    /// The page shows the upload widget `id` taking `rules`: this
    /// session's uploads may go to it. Returns where the browser uploads.
    pub(crate) fn allow_uploads(&self, id: &str, rules: Rules) -> String {
        self.shows_uploaders.store(true, Ordering::Relaxed);
        self.shared.uploads.allow(&self.upload_token, id, rules);
        self.upload_url(id)
    }

    /// Upload widget `id` is drawn disabled: it takes nothing now (rules
    /// from a run that drew it enabled are withdrawn), and keeps its files.
    pub(crate) fn disallow_uploads(&self, id: &str) -> String {
        self.shows_uploaders.store(true, Ordering::Relaxed);
        self.shared.uploads.disallow(&self.upload_token, id);
        self.upload_url(id)
    }

    /// Where the browser uploads to upload widget `id`.
    pub(crate) fn upload_url(&self, id: &str) -> String {
        format!("/_brooklet/upload/{}/{id}", self.upload_token)
    }

    /// How a run reads the value of upload widget `id`: the files the
    /// value names (see `UploadStore::commit`).
    pub(crate) fn upload_reader(
        &self,
        id: &str,
    ) -> impl Fn(&[String]) -> Vec<UploadedFile> + Send + Sync + 'static {
        let (store, owner, id) = (
            self.shared.uploads.clone(),
            self.upload_token.clone(),
            id.to_owned(),
        );
        move |ids: &[String]| store.commit(&owner, &id, ids)
    }

    /// Put a whole file into upload widget `id` (as an upload would; for
    /// `AppTest`).
    pub(crate) fn put_upload(
        &self,
        id: &str,
        name: &str,
        mime: &str,
        bytes: &[u8],
    ) -> Result<crate::protocol::UploadedFileRef, crate::uploads::UploadError> {
        self.shared
            .uploads
            .put(&self.upload_token, id, name, mime, bytes)
    }

    /// A full run finished drawing `drawn` upload widgets: the others'
    /// files go.
    pub(crate) fn retain_uploaders(&self, drawn: &std::collections::HashSet<String>) {
        let shows = !drawn.is_empty();
        if self.shows_uploaders.swap(shows, Ordering::Relaxed) {
            self.shared
                .uploads
                .retain_widgets(&self.upload_token, drawn);
        }
    }

    /// A full run finished drawing `drawn` lazy downloads: the page shows
    /// only those.
    pub(crate) fn retain_downloads(&self, drawn: &std::collections::HashSet<String>) {
        let shows = !drawn.is_empty();
        if self.shows_downloads.swap(shows, Ordering::Relaxed) {
            self.shared.downloads.retain(&self.payload_owner, drawn);
        }
    }

    /// A full run finished drawing `drawn` grids: the page shows only those.
    pub(crate) fn retain_grids(&self, drawn: &std::collections::HashSet<String>) {
        let shows = !drawn.is_empty();
        if self.shows_grids.swap(shows, Ordering::Relaxed) {
            self.shared.frames.retain(&self.payload_owner, drawn);
        }
    }

    /// A full run finished drawing `drawn` payloads: the page shows only
    /// those now, and the store may evict the others.
    pub(crate) fn retain_payloads(&self, drawn: HashSet<PayloadId>) {
        let shows = !drawn.is_empty();
        if self.shows_payloads.swap(shows, Ordering::Relaxed) {
            self.shared.payloads.retain(&self.payload_owner, &drawn);
            let mut shown = crate::sync::lock(&self.shown_payloads);
            shown.full_run = drawn;
            shown.fragments.clear();
        }
    }

    /// A run that was cancelled or stopped drew `drawn` payloads: it left
    /// the page as it was, with what it drew so far, so those stay held
    /// (with the full run's) until the next full run finishes.
    pub(crate) fn keep_payloads(&self, drawn: HashSet<PayloadId>) {
        if drawn.is_empty() || !self.shows_payloads.load(Ordering::Relaxed) {
            return;
        }
        crate::sync::lock(&self.shown_payloads)
            .full_run
            .extend(drawn);
    }

    /// A run of fragment `fragment` finished drawing `drawn` payloads: they
    /// replace what its last run drew. Without this, a fragment that reruns
    /// on a timer and draws a new picture each time would keep every
    /// picture it ever drew until the next full run.
    pub(crate) fn retain_fragment_payloads(&self, fragment: &str, drawn: HashSet<PayloadId>) {
        if !self.shows_payloads.load(Ordering::Relaxed) {
            return;
        }
        let mut shown = crate::sync::lock(&self.shown_payloads);
        shown.fragments.insert(fragment.to_owned(), drawn);
        let keep: HashSet<PayloadId> = shown
            .fragments
            .values()
            .flatten()
            .chain(&shown.full_run)
            .cloned()
            .collect();
        drop(shown);
        self.shared.payloads.retain(&self.payload_owner, &keep);
    }
}
