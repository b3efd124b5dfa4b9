//! What each session's page shows of the data kept on the server: its
//! dataframe grids and its simple charts. This is the only per-session
//! memory they cost (a key and a shared handle), and the session isolation
//! of window, points and CSV requests (a session reaches only its own).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use super::series::ChartData;
use super::view::FrameView;

/// The grids each page shows.
pub(crate) type FrameRegistry = OwnerRegistry<FrameView>;
/// The simple charts each page shows, by chart key.
pub(crate) type ChartRegistry = OwnerRegistry<Arc<ChartData>>;

/// Entries by owner token (a session's random token, never its id), then
/// by key. One per app and kind.
#[derive(Debug)]
pub(crate) struct OwnerRegistry<T> {
    owners: Mutex<HashMap<String, HashMap<String, T>>>,
}

impl<T> Default for OwnerRegistry<T> {
    fn default() -> Self {
        OwnerRegistry {
            owners: Mutex::default(),
        }
    }
}

impl<T: Clone> OwnerRegistry<T> {
    /// `owner`'s page shows `entry` under `key`.
    pub(crate) fn show(&self, owner: &str, key: String, entry: T) {
        crate::sync::lock(&self.owners)
            .entry(owner.to_owned())
            .or_default()
            .insert(key, entry);
    }

    /// `owner`'s page shows only the entries in `keep` now.
    pub(crate) fn retain(&self, owner: &str, keep: &HashSet<String>) {
        self.prune(owner, |key| keep.contains(key));
    }

    /// `owner`'s page no longer offers `key` (a download button drawn
    /// disabled).
    pub(crate) fn hide(&self, owner: &str, key: &str) {
        self.prune(owner, |shown| shown != key);
    }

    /// Keep `owner`'s entries whose key passes `keep`; an owner left with
    /// none is forgotten.
    fn prune(&self, owner: &str, keep: impl Fn(&str) -> bool) {
        let mut owners = crate::sync::lock(&self.owners);
        if let Some(entries) = owners.get_mut(owner) {
            entries.retain(|key, _| keep(key));
            if entries.is_empty() {
                owners.remove(owner);
            }
        }
    }

    /// The owner is gone (its session ended).
    pub(crate) fn release_owner(&self, owner: &str) {
        crate::sync::lock(&self.owners).remove(owner);
    }

    /// The entry `key` on `owner`'s page.
    pub(crate) fn get(&self, owner: &str, key: &str) -> Option<T> {
        crate::sync::lock(&self.owners)
            .get(owner)
            .and_then(|entries| entries.get(key))
            .cloned()
    }

    /// Change the entry `key` on `owner`'s page with `change`, which
    /// returns whether it changed it (rows appended by `add_rows`: two
    /// appends at once must not lose rows, so `change` checks that the
    /// entry is still the one it appended to). `None` when the page does
    /// not show the entry.
    pub(crate) fn update(
        &self,
        owner: &str,
        key: &str,
        change: impl FnOnce(&mut T) -> bool,
    ) -> Option<bool> {
        let mut owners = crate::sync::lock(&self.owners);
        let entry = owners.get_mut(owner)?.get_mut(key)?;
        Some(change(entry))
    }

    /// Entries shown, over all owners (for tests).
    #[cfg(test)]
    pub(crate) fn count(&self) -> usize {
        crate::sync::lock(&self.owners)
            .values()
            .map(HashMap::len)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::columns::resolve;
    use crate::data::Frame;

    fn view(n: u32) -> FrameView {
        let frame = Frame::from_rows(&[n]).expect("rows");
        let resolved = resolve(&frame, &[], None, false).expect("resolves");
        FrameView {
            frame,
            columns: resolved.columns,
            key: resolved.key,
        }
    }

    #[test]
    fn owners_see_only_their_grids_until_they_go() {
        let registry = FrameRegistry::default();
        let (a, b) = (view(1), view(2));
        registry.show("one", a.key.clone(), a.clone());
        registry.show("two", b.key.clone(), b.clone());
        assert!(registry.get("one", &a.key).is_some());
        assert!(
            registry.get("one", &b.key).is_none(),
            "another session's grid"
        );
        registry.retain("one", &HashSet::new());
        assert!(registry.get("one", &a.key).is_none());
        registry.release_owner("two");
        assert_eq!(registry.count(), 0);
    }
}
