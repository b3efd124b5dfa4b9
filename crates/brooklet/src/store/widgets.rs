//! What a session remembers about its widgets: the values the browser sent,
//! the callbacks the last run registered, and which form each submit button
//! belongs to.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde_json::Value;

use super::SessionState;
use crate::protocol::WidgetId;

/// Writes a keyed widget's new value (as sent by the browser) under its key.
pub(crate) type KeyMirror = Arc<dyn Fn(&Value, &SessionState) + Send + Sync + 'static>;

/// Widget values and callbacks of one session. `C` is the callback type
/// (`on_change`, `on_click`): the `Ui` layer's closures; the store only keeps
/// and hands them out, so it never needs to know what a `Ui` is.
pub(crate) struct WidgetStore<C> {
    values: HashMap<WidgetId, Value>,
    callbacks: HashMap<WidgetId, C>,
    key_mirrors: HashMap<WidgetId, KeyMirror>,
    /// Submit button id → id of its form.
    submit_forms: HashMap<WidgetId, String>,
    /// Widgets whose value changed since the last run began, in order (their
    /// `on_change` callbacks run before the next run's body).
    changed: Vec<WidgetId>,
    /// Trigger widgets (buttons) on the page, and whether each is disabled.
    triggers: HashMap<WidgetId, bool>,
    /// Value widgets drawn disabled: the browser cannot change them.
    disabled: HashSet<WidgetId>,
}

/// The most widget values one message may carry: far more than any page has,
/// few enough that a hostile message cannot make a session do much work.
pub(crate) const MAX_VALUES_PER_MESSAGE: usize = 10_000;

/// The callbacks due before a run, and the widgets whose change made them due.
pub(crate) struct DueCallbacks<C> {
    /// `on_change` of the widgets that changed.
    pub(crate) on_change: Vec<C>,
    /// `on_click` of the pressed button.
    pub(crate) on_click: Option<C>,
    pub(crate) changed: Vec<WidgetId>,
}

impl<C> Default for WidgetStore<C> {
    fn default() -> WidgetStore<C> {
        WidgetStore {
            values: HashMap::new(),
            callbacks: HashMap::new(),
            key_mirrors: HashMap::new(),
            submit_forms: HashMap::new(),
            changed: Vec::new(),
            triggers: HashMap::new(),
            disabled: HashSet::new(),
        }
    }
}

impl<C: Clone> WidgetStore<C> {
    /// The browser sent new values: store them, remembering which changed.
    /// Values for widgets this session never drew are ignored, so a client
    /// cannot grow the store (or the work per message) with made-up ids; so
    /// are values for widgets drawn disabled.
    pub(crate) fn update(&mut self, values: HashMap<WidgetId, Value>) {
        let mut already: HashSet<WidgetId> = self.changed.iter().cloned().collect();
        for (id, value) in values {
            if self.disabled.contains(&id) {
                continue;
            }
            let Some(current) = self.values.get_mut(&id) else {
                continue;
            };
            if *current != value {
                *current = value;
                if already.insert(id.clone()) {
                    self.changed.push(id);
                }
            }
        }
    }

    /// Put back widgets whose `on_change` did not get to run (their run was
    /// cancelled first).
    pub(crate) fn restore_changed(&mut self, ids: &[WidgetId]) {
        let mut restored: Vec<WidgetId> = ids
            .iter()
            .filter(|id| !self.changed.contains(id))
            .cloned()
            .collect();
        restored.append(&mut self.changed);
        self.changed = restored;
    }

    pub(crate) fn value(&self, id: &str) -> Option<&Value> {
        self.values.get(id)
    }

    pub(crate) fn store(&mut self, id: &str, value: Value) {
        self.values.insert(id.to_owned(), value);
    }

    pub(crate) fn set_callback(&mut self, id: &str, callback: Option<C>) {
        match callback {
            Some(callback) => self.callbacks.insert(id.to_owned(), callback),
            None => self.callbacks.remove(id),
        };
    }

    pub(crate) fn set_key_mirror(&mut self, id: &str, mirror: Option<KeyMirror>) {
        match mirror {
            Some(mirror) => self.key_mirrors.insert(id.to_owned(), mirror),
            None => self.key_mirrors.remove(id),
        };
    }

    /// A trigger widget (button) was drawn.
    pub(crate) fn register_trigger(&mut self, id: &str, disabled: bool) {
        self.triggers.insert(id.to_owned(), disabled);
    }

    /// Whether a press of `id` can be accepted: the page has that trigger
    /// widget (drawn by the last finished run or the run in progress) and it
    /// is not disabled.
    pub(crate) fn accepts_press(&self, id: &str) -> bool {
        self.triggers.get(id) == Some(&false)
    }

    /// Whether the value widget `id` was drawn disabled.
    pub(crate) fn set_disabled(&mut self, id: &str, disabled: bool) {
        if disabled {
            self.disabled.insert(id.to_owned());
        } else {
            self.disabled.remove(id);
        }
    }

    pub(crate) fn set_submit_form(&mut self, submit: &str, form: &str) {
        self.submit_forms.insert(submit.to_owned(), form.to_owned());
    }

    /// The form a submit button belongs to.
    pub(crate) fn form_of_submit(&self, submit: &str) -> Option<&str> {
        self.submit_forms.get(submit).map(String::as_str)
    }

    /// The callbacks due before the next run: `on_change` of every widget
    /// that changed, then `on_click` of the pressed button. The new values of
    /// changed keyed widgets are written under their keys first, so the
    /// callbacks see them.
    pub(crate) fn take_due_callbacks(
        &mut self,
        trigger: Option<&str>,
        state: &SessionState,
    ) -> DueCallbacks<C> {
        let changed = std::mem::take(&mut self.changed);
        for id in &changed {
            if let (Some(mirror), Some(raw)) = (self.key_mirrors.get(id), self.values.get(id)) {
                mirror(raw, state);
            }
        }
        let on_change = changed
            .iter()
            .filter_map(|id| self.callbacks.get(id).cloned())
            .collect();
        let on_click = trigger.and_then(|id| self.callbacks.get(id)).cloned();
        DueCallbacks {
            on_change,
            on_click,
            changed,
        }
    }

    /// After a finished full run: forget widgets it did not draw.
    pub(crate) fn retain_drawn(&mut self, drawn: &HashSet<WidgetId>) {
        self.values.retain(|id, _| drawn.contains(id));
        self.callbacks.retain(|id, _| drawn.contains(id));
        self.key_mirrors.retain(|id, _| drawn.contains(id));
        self.submit_forms.retain(|id, _| drawn.contains(id));
        self.triggers.retain(|id, _| drawn.contains(id));
        self.disabled.retain(|id| drawn.contains(id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn values(items: &[(&str, Value)]) -> HashMap<WidgetId, Value> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn values_of_unknown_or_disabled_widgets_are_ignored() {
        let mut store = WidgetStore::<()>::default();
        store.store("on", json!(false));
        store.store("off", json!(false));
        store.set_disabled("off", true);
        store.update(values(&[
            ("on", json!(true)),
            ("off", json!(true)),
            ("ghost", json!(1)),
        ]));
        assert_eq!(store.value("on"), Some(&json!(true)));
        assert_eq!(
            store.value("off"),
            Some(&json!(false)),
            "disabled keeps its value"
        );
        assert_eq!(store.value("ghost"), None);
        assert_eq!(store.changed, vec!["on".to_owned()]);
    }

    #[test]
    fn changed_widgets_are_remembered_once_in_order_and_restored_first() {
        let mut store = WidgetStore::<()>::default();
        for id in ["a", "b", "c"] {
            store.store(id, json!(0));
        }
        store.update(values(&[("b", json!(1))]));
        store.update(values(&[("a", json!(1))]));
        store.update(values(&[("b", json!(2))]));
        store.update(values(&[("c", json!(0))])); // unchanged: not a change
        assert_eq!(store.changed, vec!["b".to_owned(), "a".to_owned()]);
        let due = store.take_due_callbacks(None, &SessionState::default());
        assert_eq!(due.changed, vec!["b".to_owned(), "a".to_owned()]);
        assert!(store.changed.is_empty(), "taken");
        // A change arrives, then the run that took b and a is cancelled
        // before their callbacks ran: they come back first.
        store.update(values(&[("c", json!(5))]));
        store.restore_changed(&due.changed);
        assert_eq!(
            store.changed,
            vec!["b".to_owned(), "a".to_owned(), "c".to_owned()]
        );
    }

    #[test]
    fn due_callbacks_are_the_changed_widgets_then_the_pressed_button() {
        let mut store = WidgetStore::<&'static str>::default();
        store.store("name", json!(""));
        store.store("plain", json!(""));
        store.set_callback("name", Some("on_change name"));
        store.set_callback("go", Some("on_click go"));
        store.update(values(&[("name", json!("Ada")), ("plain", json!("x"))]));
        let due = store.take_due_callbacks(Some("go"), &SessionState::default());
        assert_eq!(
            due.on_change,
            vec!["on_change name"],
            "plain has no callback"
        );
        assert_eq!(due.on_click, Some("on_click go"));
        let due = store.take_due_callbacks(None, &SessionState::default());
        assert!(
            due.on_change.is_empty() && due.on_click.is_none(),
            "once per change"
        );
    }

    #[test]
    fn a_keyed_widgets_new_value_is_in_session_state_before_its_callback() {
        let mut store = WidgetStore::<()>::default();
        let state = SessionState::default();
        store.store("w", json!(1));
        let mirror: KeyMirror = Arc::new(|raw: &Value, state: &SessionState| {
            state.mirror_widget("count", raw.as_i64().unwrap_or_default());
        });
        store.set_key_mirror("w", Some(mirror));
        store.update(values(&[("w", json!(7))]));
        let _due = store.take_due_callbacks(None, &state);
        assert_eq!(state.get::<i64>("count"), Some(7));
    }

    #[test]
    fn a_finished_full_run_forgets_what_it_did_not_draw() {
        let mut store = WidgetStore::<()>::default();
        store.store("kept", json!(1));
        store.store("gone", json!(1));
        store.set_callback("gone", Some(()));
        store.set_submit_form("gone", "form");
        let drawn: HashSet<WidgetId> = ["kept".to_owned()].into();
        store.retain_drawn(&drawn);
        assert_eq!(store.value("kept"), Some(&json!(1)));
        assert_eq!(store.value("gone"), None);
        assert_eq!(store.form_of_submit("gone"), None);
        // A value sent for a widget that left the page is not kept for
        // when it comes back.
        store.update(values(&[("gone", json!(9))]));
        assert_eq!(store.value("gone"), None);
    }

    #[test]
    fn presses_are_accepted_only_for_enabled_buttons_on_the_page() {
        let mut store = WidgetStore::<()>::default();
        store.register_trigger("go", false);
        store.register_trigger("locked", true);
        assert!(store.accepts_press("go"));
        assert!(!store.accepts_press("locked"));
        assert!(!store.accepts_press("made-up"));
        store.retain_drawn(&HashSet::new());
        assert!(!store.accepts_press("go"), "gone with the run that drew it");
    }
}
