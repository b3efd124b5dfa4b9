//! Which grids each session's page shows: the only per-session memory a
//! dataframe costs (a name and a shared handle), and the session isolation
//! of window requests and CSV downloads (a session reaches only its own).

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use super::view::FrameView;

/// Grids by owner token (a session's random token, never its id), then by
/// grid key. One per app.
#[derive(Debug, Default)]
pub(crate) struct FrameRegistry {
    owners: Mutex<HashMap<String, HashMap<String, FrameView>>>,
}

impl FrameRegistry {
    /// `owner`'s page shows `view`.
    pub(crate) fn show(&self, owner: &str, view: FrameView) {
        crate::sync::lock(&self.owners)
            .entry(owner.to_owned())
            .or_default()
            .insert(view.key.clone(), view);
    }

    /// `owner`'s page shows only the grids in `keep` now.
    pub(crate) fn retain(&self, owner: &str, keep: &HashSet<String>) {
        let mut owners = crate::sync::lock(&self.owners);
        if let Some(grids) = owners.get_mut(owner) {
            grids.retain(|key, _| keep.contains(key));
            if grids.is_empty() {
                owners.remove(owner);
            }
        }
    }

    /// The owner is gone (its session ended).
    pub(crate) fn release_owner(&self, owner: &str) {
        crate::sync::lock(&self.owners).remove(owner);
    }

    /// The grid `key` on `owner`'s page.
    pub(crate) fn get(&self, owner: &str, key: &str) -> Option<FrameView> {
        crate::sync::lock(&self.owners)
            .get(owner)
            .and_then(|grids| grids.get(key))
            .cloned()
    }

    /// Replace the frame of grid `key` on `owner`'s page by `frame`, if it
    /// still holds `expected` (rows appended by `add_rows`: two appends at
    /// once must not lose rows). `None` when the page does not show the
    /// grid; `Some(false)` when another append came first (try again).
    pub(crate) fn swap_frame(
        &self,
        owner: &str,
        key: &str,
        expected: &super::Frame,
        frame: super::Frame,
    ) -> Option<bool> {
        let mut owners = crate::sync::lock(&self.owners);
        let view = owners.get_mut(owner)?.get_mut(key)?;
        if !view.frame.shares(expected) {
            return Some(false);
        }
        view.frame = frame;
        Some(true)
    }

    /// Grids shown, over all owners (for tests).
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
        registry.show("one", a.clone());
        registry.show("two", b.clone());
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
