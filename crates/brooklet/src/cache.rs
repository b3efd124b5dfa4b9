//! Caches shared by every session: [`CacheData`] for values (cloned out to
//! each caller) and [`CacheResource`] for shared objects (one `Arc<T>` for
//! all), both on [moka](https://docs.rs/moka).
//!
//! A cache belongs to its *call site* (where `CacheData::new` or
//! `ui.cache_data` appears in the source) and a name, and is keyed by a hash
//! of the arguments. When several sessions ask for the same missing key at
//! once, the value is computed once and the others wait for it; meanwhile the
//! page's run indicator names the function ("Running load_rows(…)"). The
//! note is not an element, so a miss and a hit leave every element of the
//! page at the same place: nothing below a cache call is redrawn because
//! the value had to be computed.
//!
//! ```
//! use brooklet::prelude::*;
//! use brooklet::cache::CacheData;
//! use std::time::Duration;
//!
//! fn app(ui: &Ui) {
//!     let n = ui.slider("Rows", 1..=5);
//!     let rows = CacheData::new("load_rows")
//!         .ttl(Duration::from_secs(600))
//!         .get(ui, &n, || (0..n).map(|i| i * 10).collect::<Vec<i32>>());
//!     ui.write(format!("{rows:?}"));
//! }
//! # let mut at = brooklet::testing::AppTest::new(app);
//! # at.run().unwrap();
//! ```

use std::any::Any;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::panic::Location;
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};
use std::time::Duration;

use crate::ui::Ui;

/// A cache of any value type, with `clear` and `len` for the registry.
trait AnyCache: Send + Sync {
    fn as_any(&self) -> &dyn Any;
    fn clear(&self);
    fn len(&self) -> u64;
}

impl<V: Clone + Send + Sync + 'static> AnyCache for moka::sync::Cache<u64, V> {
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn clear(&self) {
        self.invalidate_all();
        self.run_pending_tasks();
    }
    fn len(&self) -> u64 {
        self.run_pending_tasks();
        self.entry_count()
    }
}

/// Where a cache lives: its kind, name and call site.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Site {
    resource: bool,
    /// The cached type: one call site in generic code may cache several.
    value_type: std::any::TypeId,
    name: String,
    file: &'static str,
    line: u32,
    column: u32,
}

/// Every cache of the process, by site.
static CACHES: LazyLock<Mutex<HashMap<Site, Arc<dyn AnyCache>>>> = LazyLock::new(Mutex::default);

fn caches() -> MutexGuard<'static, HashMap<Site, Arc<dyn AnyCache>>> {
    crate::sync::lock(&CACHES)
}

/// Options shared by both kinds.
#[derive(Clone, Debug)]
struct Options {
    name: String,
    location: &'static Location<'static>,
    ttl: Option<Duration>,
    max_entries: Option<u64>,
    spinner: bool,
    /// A resource cache (shared `Arc`s) rather than a data cache.
    resource: bool,
}

impl Options {
    fn new(name: String, location: &'static Location<'static>, resource: bool) -> Options {
        Options {
            name,
            location,
            ttl: None,
            max_entries: None,
            spinner: true,
            resource,
        }
    }

    fn site<V: 'static>(&self) -> Site {
        Site {
            resource: self.resource,
            value_type: std::any::TypeId::of::<V>(),
            name: self.name.clone(),
            file: self.location.file(),
            line: self.location.line(),
            column: self.location.column(),
        }
    }

    /// The cache of this site for values `V`, created on first use.
    fn cache<V: Clone + Send + Sync + 'static>(&self) -> moka::sync::Cache<u64, V> {
        let site = self.site::<V>();
        let mut all = caches();
        if let Some(existing) = all.get(&site) {
            if let Some(cache) = existing
                .as_any()
                .downcast_ref::<moka::sync::Cache<u64, V>>()
            {
                return cache.clone();
            }
        }
        let mut builder = moka::sync::Cache::builder();
        if let Some(ttl) = self.ttl {
            builder = builder.time_to_live(ttl);
        }
        if let Some(max) = self.max_entries {
            builder = builder.max_capacity(max);
        }
        let cache: moka::sync::Cache<u64, V> = builder.build();
        all.insert(site, Arc::new(cache.clone()));
        cache
    }

    fn key<A: Hash + ?Sized>(args: &A) -> u64 {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        args.hash(&mut hasher);
        hasher.finish()
    }

    /// Name the function beside the run indicator while `work` runs, if
    /// the value is missing (computed here or by another session right now).
    /// Not an element: a miss must leave the page's elements where a hit
    /// leaves them.
    fn with_spinner<R>(&self, ui: &Ui, missing: bool, work: impl FnOnce() -> R) -> R {
        if !(missing && self.spinner) {
            return work();
        }
        let _note = ui.status_note(format!("Running {}(…)", self.name));
        work()
    }

    /// Whether `site` is this cache's place (of any value type).
    fn is_at(&self, site: &Site) -> bool {
        site.resource == self.resource
            && site.name == self.name
            && site.file == self.location.file()
            && site.line == self.location.line()
            && site.column == self.location.column()
    }

    fn clear(&self) {
        for (site, cache) in caches().iter() {
            if self.is_at(site) {
                cache.clear();
            }
        }
    }

    fn len(&self) -> u64 {
        caches()
            .iter()
            .filter(|(site, _)| self.is_at(site))
            .map(|(_, cache)| cache.len())
            .sum()
    }
}

/// A cache of values: each caller gets its own clone. See the
/// [module docs](self).
#[derive(Clone, Debug)]
#[must_use = "use it with `.get(ui, &args, || ..)`"]
pub struct CacheData {
    options: Options,
}

impl CacheData {
    /// The data cache named `name` at this call site.
    #[track_caller]
    pub fn new(name: impl Into<String>) -> CacheData {
        CacheData {
            options: Options::new(name.into(), Location::caller(), false),
        }
    }

    /// The value for `args`: from the cache, or computed by `compute` (once,
    /// however many sessions ask at the same time).
    pub fn get<A, T>(&self, ui: &Ui, args: &A, compute: impl FnOnce() -> T) -> T
    where
        A: Hash + ?Sized,
        T: Clone + Send + Sync + 'static,
    {
        let cache = self.options.cache::<T>();
        let key = Options::key(args);
        let missing = !cache.contains_key(&key);
        self.options
            .with_spinner(ui, missing, || cache.get_with(key, compute))
    }

    /// Like [`CacheData::get`] for fallible work: an `Err` is returned (to
    /// every caller waiting for it) and not cached, so the next call tries
    /// again.
    pub fn try_get<A, T, E>(
        &self,
        ui: &Ui,
        args: &A,
        compute: impl FnOnce() -> Result<T, E>,
    ) -> Result<T, Arc<E>>
    where
        A: Hash + ?Sized,
        T: Clone + Send + Sync + 'static,
        E: Send + Sync + 'static,
    {
        let cache = self.options.cache::<T>();
        let key = Options::key(args);
        let missing = !cache.contains_key(&key);
        self.options
            .with_spinner(ui, missing, || cache.try_get_with(key, compute))
    }
}

/// A cache of shared resources (database pools, models, clients): every
/// caller gets the same `Arc<T>`. See the [module docs](self).
///
/// ```
/// use brooklet::prelude::*;
/// use brooklet::cache::CacheResource;
///
/// struct Pool; // e.g. a database connection pool
///
/// fn app(ui: &Ui) {
///     let pool = CacheResource::new("pool").get(ui, &(), || Pool);
///     let again = CacheResource::new("pool").get(ui, &(), || Pool);
///     // Different call sites are different caches; the same site shares.
///     # let _ = (pool, again);
/// }
/// ```
#[derive(Clone, Debug)]
#[must_use = "use it with `.get(ui, &args, || ..)`"]
pub struct CacheResource {
    options: Options,
}

impl CacheResource {
    /// The resource cache named `name` at this call site.
    #[track_caller]
    pub fn new(name: impl Into<String>) -> CacheResource {
        CacheResource {
            options: Options::new(name.into(), Location::caller(), true),
        }
    }

    /// The shared resource for `args`, created by `create` once.
    pub fn get<A, T>(&self, ui: &Ui, args: &A, create: impl FnOnce() -> T) -> Arc<T>
    where
        A: Hash + ?Sized,
        T: Send + Sync + 'static,
    {
        self.get_validated(ui, args, create, |_| true)
    }

    /// Like [`CacheResource::get`], checking a cached resource with
    /// `validate` on each hit: one that fails (a closed connection, say) is
    /// dropped and created anew.
    pub fn get_validated<A, T>(
        &self,
        ui: &Ui,
        args: &A,
        create: impl FnOnce() -> T,
        validate: impl Fn(&T) -> bool,
    ) -> Arc<T>
    where
        A: Hash + ?Sized,
        T: Send + Sync + 'static,
    {
        let cache = self.options.cache::<Arc<T>>();
        let key = Options::key(args);
        if let Some(existing) = cache.get(&key) {
            if validate(&existing) {
                return existing;
            }
            cache.invalidate(&key);
        }
        self.options
            .with_spinner(ui, true, || cache.get_with(key, || Arc::new(create())))
    }
}

/// The options both kinds of cache share.
macro_rules! cache_options {
    ($($ty:ident),*) => {$(
        impl $ty {
            /// Forget entries this long after they were made.
            pub fn ttl(mut self, ttl: Duration) -> $ty {
                self.options.ttl = Some(ttl);
                self
            }

            /// Keep at most this many entries (least recently used go first).
            pub fn max_entries(mut self, max: u64) -> $ty {
                self.options.max_entries = Some(max);
                self
            }

            /// Whether to show a spinner naming the cache while an entry is
            /// made (default true).
            pub fn show_spinner(mut self, show: bool) -> $ty {
                self.options.spinner = show;
                self
            }

            /// Forget every entry of this cache.
            pub fn clear(&self) {
                self.options.clear();
            }

            /// How many entries this cache holds now.
            pub fn len(&self) -> u64 {
                self.options.len()
            }

            /// Whether this cache holds no entry.
            pub fn is_empty(&self) -> bool {
                self.len() == 0
            }
        }
    )*};
}

cache_options!(CacheData, CacheResource);

/// Forget every cached value (all [`CacheData`] caches), in every session.
pub fn clear_data() {
    for (site, cache) in caches().iter() {
        if !site.resource {
            cache.clear();
        }
    }
}

/// Drop every cached resource (all [`CacheResource`] caches).
pub fn clear_resources() {
    for (site, cache) in caches().iter() {
        if site.resource {
            cache.clear();
        }
    }
}

/// Clear the caches named `name`, wherever they are; returns how many.
pub fn clear_named(name: &str) -> usize {
    let all = caches();
    let matching: Vec<&Arc<dyn AnyCache>> = all
        .iter()
        .filter(|(s, _)| s.name == name)
        .map(|(_, c)| c)
        .collect();
    for cache in &matching {
        cache.clear();
    }
    matching.len()
}

impl Ui {
    /// Cache the result of `compute` for `args`, shared by every session:
    /// shorthand for `CacheData::new(name).get(self, args, compute)`.
    ///
    /// ```
    /// use brooklet::prelude::*;
    /// fn app(ui: &Ui) {
    ///     let squares = ui.cache_data("squares", &10, || (0..10).map(|i| i * i).collect::<Vec<u32>>());
    ///     ui.write(format!("{squares:?}"));
    /// }
    /// ```
    #[track_caller]
    pub fn cache_data<A, T>(&self, name: &str, args: &A, compute: impl FnOnce() -> T) -> T
    where
        A: Hash + ?Sized,
        T: Clone + Send + Sync + 'static,
    {
        CacheData::new(name).get(self, args, compute)
    }

    /// One shared `Arc<T>` for every session: shorthand for
    /// `CacheResource::new(name).get(self, &(), create)`.
    #[track_caller]
    pub fn cache_resource<T: Send + Sync + 'static>(
        &self,
        name: &str,
        create: impl FnOnce() -> T,
    ) -> Arc<T> {
        CacheResource::new(name).get(self, &(), create)
    }
}
