//! Typed session state: values that survive reruns, one map per session.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

/// Why a session-state read failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StateError {
    /// The key holds a value of another type.
    #[error("session state `{key}` holds a `{stored}`, not a `{requested}`")]
    WrongType {
        /// The key.
        key: String,
        /// The type stored under it.
        stored: &'static str,
        /// The type asked for.
        requested: &'static str,
    },
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
    map: Arc<Mutex<HashMap<String, Entry>>>,
}

impl std::fmt::Debug for SessionState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let map = self.lock();
        let mut keys: Vec<_> = map.iter().map(|(k, e)| (k.clone(), e.type_name)).collect();
        keys.sort();
        f.debug_map().entries(keys).finish()
    }
}

impl SessionState {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        // State values are plain data; a panic elsewhere cannot leave the map
        // half-updated, so a poisoned lock is still safe to use.
        self.map
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
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
                crate::ui::report_error_in_current_run(&error.to_string());
                None
            }
        }
    }

    /// Like [`SessionState::get`], with a type mismatch as an error.
    pub fn try_get<T: Clone + Send + Sync + 'static>(
        &self,
        key: &str,
    ) -> Result<Option<T>, StateError> {
        let map = self.lock();
        let Some(entry) = map.get(key) else {
            return Ok(None);
        };
        match entry.value.downcast_ref::<T>() {
            Some(value) => Ok(Some(value.clone())),
            None => Err(StateError::WrongType {
                key: key.to_string(),
                stored: entry.type_name,
                requested: std::any::type_name::<T>(),
            }),
        }
    }

    /// Store `value` under `key`, replacing what was there (of any type).
    pub fn set<T: Send + Sync + 'static>(&self, key: impl Into<String>, value: T) {
        self.lock().insert(
            key.into(),
            Entry {
                value: Box::new(value),
                type_name: std::any::type_name::<T>(),
            },
        );
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
        // Take the value out so that no lock is held while `f` runs.
        let taken = self.lock().remove(key);
        let mut value: T = match taken.map(|e| (e.value.downcast::<T>(), e.type_name)) {
            Some((Ok(boxed), _)) => *boxed,
            Some((Err(_), stored)) => {
                let error = StateError::WrongType {
                    key: key.to_string(),
                    stored,
                    requested: std::any::type_name::<T>(),
                };
                crate::ui::report_error_in_current_run(&error.to_string());
                default()
            }
            None => default(),
        };
        let result = f(&mut value);
        self.set(key, value);
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
        self.lock().remove(key).is_some()
    }

    /// Whether `key` holds a value.
    pub fn contains(&self, key: &str) -> bool {
        self.lock().contains_key(key)
    }

    /// The keys, sorted.
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.lock().keys().cloned().collect();
        keys.sort();
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(state.keys(), vec!["n".to_string()]);
        assert!(state.remove("n"));
        assert!(!state.contains("n"));
    }

    #[test]
    fn wrong_type_is_an_error_not_a_panic() {
        let state = SessionState::default();
        state.set("name", String::from("Ada"));
        let err = state.try_get::<i64>("name").expect_err("type mismatch");
        assert!(err.to_string().contains("alloc::string::String"), "{err}");
        assert_eq!(state.get::<i64>("name"), None);
    }
}
