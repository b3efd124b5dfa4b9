//! Typed session state: values that survive reruns, one map per session.

use std::any::Any;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

/// Why a session-state read failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    /// The key holds a value of another type.
    #[error(
        "session state `{key}` holds a value of type `{}`, not `{}`",
        short_type_name(stored),
        short_type_name(requested)
    )]
    WrongType {
        /// The key.
        key: String,
        /// The type stored under it.
        stored: &'static str,
        /// The type asked for.
        requested: &'static str,
    },
    /// The key belongs to a widget that this run has already drawn: its value
    /// can only be set before the widget is drawn (or in its callback).
    #[error(
        "session state `{key}` belongs to a widget that this run has already drawn; \
         set it before the widget is drawn, or in the widget's on_change callback"
    )]
    WidgetAlreadyDrawn {
        /// The key.
        key: String,
    },
}

/// A type's name as written in app code: `alloc::string::String` is
/// `String`, `alloc::vec::Vec<core::option::Option<i64>>` is
/// `Vec<Option<i64>>` (module paths dropped, generics kept).
fn short_type_name(full: &str) -> String {
    let mut out = String::with_capacity(full.len());
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        out.push_str(word.rsplit("::").next().unwrap_or(word));
        word.clear();
    };
    for c in full.chars() {
        if c.is_alphanumeric() || c == '_' || c == ':' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Show a misuse of session state in the page of the run in progress (or
/// log it off a run's thread).
fn report(error: StateError) {
    crate::run::diagnostics::report(crate::run::AppError::message(error.to_string()));
}

struct Entry {
    value: Box<dyn Any + Send + Sync>,
    type_name: &'static str,
}

/// The session state of one browser tab: typed values by key that survive
/// reruns (and reconnects), but not a reload of the page.
///
/// Get it from [`Ui::state`](crate::Ui::state). It is a cheap handle
/// (`Clone + Send + Sync`). No lock is held while your closures run, so they
/// may use the state (and the `Ui`) freely.
///
/// ```
/// # use brooklet::prelude::*;
/// fn app(ui: &Ui) {
///     if ui.button("Increment").clicked() {
///         ui.state().update("count", || 0_i64, |count| *count += 1);
///     }
///     let count: i64 = ui.state().get("count").unwrap_or(0);
///     ui.text(format!("Count: {count}"));
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # at.button("Increment").click().run().unwrap();
/// # assert_eq!(at.state().get::<i64>("count"), Some(1));
/// ```
#[derive(Clone, Default)]
pub struct SessionState {
    inner: Arc<Mutex<Inner>>,
}

/// Puts a value taken out by `update` back when dropped while still holding
/// it, i.e. when the update's closure unwound.
struct PutBack<'a, T: Send + Sync + 'static> {
    state: &'a SessionState,
    key: &'a str,
    value: Option<T>,
}

impl<T: Send + Sync + 'static> Drop for PutBack<'_, T> {
    fn drop(&mut self) {
        if let Some(value) = self.value.take() {
            self.state.lock().put_clean(self.key, value);
        }
    }
}

impl Inner {
    /// Store a widget's value under its key: not an app's override.
    fn put_clean<S: Send + Sync + 'static>(&mut self, key: &str, value: S) {
        self.map.insert(
            key.to_owned(),
            Entry {
                value: Box::new(value),
                type_name: std::any::type_name::<S>(),
            },
        );
        self.dirty.remove(key);
    }
}

#[derive(Default)]
struct Inner {
    map: HashMap<String, Entry>,
    /// Keys set by the app since their widget last drew them: the widget
    /// shows (and returns) the value set.
    dirty: HashSet<String>,
    /// Keys of keyed widgets drawn in the current run: setting them now is
    /// an error.
    drawn: HashSet<String>,
    /// Keys that belong to keyed widgets.
    widget_keys: HashSet<String>,
}

impl std::fmt::Debug for SessionState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = self.lock();
        let mut keys: Vec<_> = inner
            .map
            .iter()
            .map(|(k, e)| (k.clone(), e.type_name))
            .collect();
        keys.sort();
        f.debug_map().entries(keys).finish()
    }
}

impl SessionState {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // State values are plain data; a panic elsewhere cannot leave the map
        // half-updated, so a poisoned lock is still safe to use.
        crate::sync::lock(&self.inner)
    }

    /// A copy of the value under `key`, or `None` when there is none.
    ///
    /// Reading a key as another type than it holds is a mistake in the app:
    /// it returns `None`, logs the mismatch, and shows it as an error in the
    /// page when called during a run. Use [`SessionState::try_get`] to handle
    /// it yourself.
    pub fn get<T: Clone + Send + Sync + 'static>(&self, key: &str) -> Option<T> {
        match self.try_get(key) {
            Ok(value) => value,
            Err(error) => {
                report(error);
                None
            }
        }
    }

    /// Like [`SessionState::get`], with a type mismatch as an error.
    pub fn try_get<T: Clone + Send + Sync + 'static>(
        &self,
        key: &str,
    ) -> Result<Option<T>, StateError> {
        let inner = self.lock();
        let Some(entry) = inner.map.get(key) else {
            return Ok(None);
        };
        match entry.value.downcast_ref::<T>() {
            Some(value) => Ok(Some(value.clone())),
            None => Err(StateError::WrongType {
                key: key.to_owned(),
                stored: entry.type_name,
                requested: std::any::type_name::<T>(),
            }),
        }
    }

    /// Store `value` under `key`, replacing what was there (of any type).
    ///
    /// For the key of a keyed widget this sets the widget's value: the
    /// widget shows it when it is drawn next. Once this run has drawn the
    /// widget, setting its key is a mistake; it is reported in the page and
    /// nothing changes (use [`SessionState::try_set`] to handle it).
    pub fn set<T: Send + Sync + 'static>(&self, key: impl Into<String>, value: T) {
        if let Err(error) = self.try_set(key, value) {
            report(error);
        }
    }

    /// Like [`SessionState::set`], with the error returned.
    pub fn try_set<T: Send + Sync + 'static>(
        &self,
        key: impl Into<String>,
        value: T,
    ) -> Result<(), StateError> {
        let key = key.into();
        let mut inner = self.lock();
        if inner.drawn.contains(&key) {
            return Err(StateError::WidgetAlreadyDrawn { key });
        }
        inner.dirty.insert(key.clone());
        let replaced = inner.map.insert(
            key,
            Entry {
                value: Box::new(value),
                type_name: std::any::type_name::<T>(),
            },
        );
        // The old value's `Drop` is app code: run it after unlocking.
        drop(inner);
        drop(replaced);
        Ok(())
    }

    /// Change the value under `key` in place, inserting `default()` first when
    /// the key is missing (or holds another type, which is reported as in
    /// [`SessionState::get`]). Returns what `f` returns.
    pub fn update<T, R>(
        &self,
        key: &str,
        default: impl FnOnce() -> T,
        f: impl FnOnce(&mut T) -> R,
    ) -> R
    where
        T: Send + Sync + 'static,
    {
        // Take the value out so that no lock is held while `f` runs; a guard
        // puts it back if `f` unwinds (a panic, or a cancelled run).
        let taken = {
            let mut inner = self.lock();
            if inner.drawn.contains(key) {
                drop(inner);
                let error = StateError::WidgetAlreadyDrawn {
                    key: key.to_owned(),
                };
                report(error);
                return f(&mut default());
            }
            match inner.map.get(key) {
                Some(entry) if !entry.value.is::<T>() => {
                    // Another type lives here: report it and leave it alone.
                    let error = StateError::WrongType {
                        key: key.to_owned(),
                        stored: entry.type_name,
                        requested: std::any::type_name::<T>(),
                    };
                    drop(inner);
                    report(error);
                    return f(&mut default());
                }
                _ => inner.map.remove(key),
            }
        };
        let value: T = match taken.map(|entry| entry.value.downcast::<T>()) {
            Some(Ok(boxed)) => *boxed,
            _ => default(),
        };
        let mut guard = PutBack {
            state: self,
            key,
            value: Some(value),
        };
        let result = match guard.value.as_mut() {
            Some(value) => f(value),
            None => unreachable!("the guard holds the value until here"),
        };
        if let Some(value) = guard.value.take() {
            self.set(key, value);
        }
        result
    }

    /// The value under `key`, inserting `default()` first when it is missing.
    pub fn get_or_insert_with<T: Clone + Send + Sync + 'static>(
        &self,
        key: &str,
        default: impl FnOnce() -> T,
    ) -> T {
        self.update(key, default, |value| value.clone())
    }

    /// Remove `key`; returns whether it was there.
    pub fn remove(&self, key: &str) -> bool {
        let mut inner = self.lock();
        inner.dirty.remove(key);
        let removed = inner.map.remove(key);
        drop(inner);
        removed.is_some()
    }

    /// Whether `key` holds a value.
    pub fn contains(&self, key: &str) -> bool {
        self.lock().map.contains_key(key)
    }

    /// The keys, sorted.
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.lock().map.keys().cloned().collect();
        keys.sort();
        keys
    }

    // ----- keyed widgets -----

    /// A run begins: no keyed widget has been drawn in it yet.
    pub(crate) fn begin_run(&self) {
        self.lock().drawn.clear();
    }

    /// The value the app set for a keyed widget since the widget last drew
    /// it, if any (taken: it applies once).
    pub(crate) fn take_widget_override<S: Clone + Send + Sync + 'static>(
        &self,
        key: &str,
    ) -> Option<Result<S, StateError>> {
        let mut inner = self.lock();
        if !inner.dirty.remove(key) {
            return None;
        }
        let entry = inner.map.get(key)?;
        Some(match entry.value.downcast_ref::<S>() {
            Some(value) => Ok(value.clone()),
            None => Err(StateError::WrongType {
                key: key.to_owned(),
                stored: entry.type_name,
                requested: std::any::type_name::<S>(),
            }),
        })
    }

    /// A keyed widget was drawn with `value`: mirror it under its key.
    pub(crate) fn sync_widget<S: Send + Sync + 'static>(&self, key: &str, value: S) {
        let mut inner = self.lock();
        inner.put_clean(key, value);
        inner.drawn.insert(key.to_owned());
        inner.widget_keys.insert(key.to_owned());
    }

    /// The browser changed a keyed widget: mirror its new value under the
    /// key before callbacks run (no check: the widget is not drawn yet).
    pub(crate) fn mirror_widget<S: Send + Sync + 'static>(&self, key: &str, value: S) {
        self.lock().put_clean(key, value);
    }

    /// After a finished full run: the keys of keyed widgets it did not draw
    /// are removed with their widgets.
    pub(crate) fn forget_widget_keys_except(&self, drawn: &HashSet<String>) {
        let mut inner = self.lock();
        let gone: Vec<String> = inner
            .widget_keys
            .iter()
            .filter(|k| !drawn.contains(*k))
            .cloned()
            .collect();
        for key in gone {
            inner.map.remove(&key);
            inner.dirty.remove(&key);
            inner.widget_keys.remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_errors_name_types_as_the_app_writes_them() {
        assert_eq!(short_type_name("alloc::string::String"), "String");
        assert_eq!(
            short_type_name("alloc::vec::Vec<core::option::Option<i64>>"),
            "Vec<Option<i64>>"
        );
        assert_eq!(short_type_name("(i32, &str)"), "(i32, &str)");
        let state = SessionState::default();
        state.set("name", "Ada".to_owned());
        let error = state.try_get::<i64>("name").expect_err("wrong type");
        assert_eq!(
            error.to_string(),
            "session state `name` holds a value of type `String`, not `i64`"
        );
    }

    #[test]
    fn typed_get_set_update_remove() {
        let state = SessionState::default();
        assert_eq!(state.get::<i64>("n"), None);
        state.set("n", 41_i64);
        assert_eq!(
            state.update(
                "n",
                || 0_i64,
                |n| {
                    *n += 1;
                    *n
                }
            ),
            42
        );
        assert_eq!(state.get::<i64>("n"), Some(42));
        assert!(state.contains("n"));
        assert_eq!(state.keys(), vec!["n".to_owned()]);
        assert!(state.remove("n"));
        assert!(!state.contains("n"));
    }

    #[test]
    fn an_update_whose_closure_panics_keeps_the_value() {
        let state = SessionState::default();
        state.set("log", vec![1, 2, 3]);
        let unwound = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            state.update("log", Vec::new, |log: &mut Vec<i32>| {
                log.push(4);
                panic!("in the middle of an update");
            })
        }));
        assert!(unwound.is_err());
        assert_eq!(state.get::<Vec<i32>>("log"), Some(vec![1, 2, 3, 4]));
        // A type mismatch leaves the stored value alone.
        state.update("log", || 0_u8, |n| *n += 1);
        assert_eq!(state.get::<Vec<i32>>("log"), Some(vec![1, 2, 3, 4]));
    }

    #[test]
    fn wrong_type_is_an_error_not_a_panic() {
        let state = SessionState::default();
        state.set("name", String::from("Ada"));
        let err = state.try_get::<i64>("name").expect_err("type mismatch");
        assert!(
            err.to_string().contains("of type `String`, not `i64`"),
            "{err}"
        );
        assert_eq!(state.get::<i64>("name"), None);
    }
}
