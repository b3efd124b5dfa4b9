//! The fragments a session's last full run drew: what to call, where its
//! block is, and when its `run_every` timer is next due.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::protocol::Path;

/// One registered fragment; `F` is its body (the `Ui` layer's closure).
#[derive(Clone)]
pub(crate) struct Fragment<F> {
    pub(crate) body: F,
    /// The path of its block.
    pub(crate) path: Path,
    pub(crate) every: Option<Duration>,
    next_due: Option<Instant>,
    /// The full run that last drew it.
    drawn_in: u64,
}

/// The fragments of one session, by id.
pub(crate) struct Fragments<F> {
    by_id: HashMap<String, Fragment<F>>,
}

impl<F> Default for Fragments<F> {
    fn default() -> Fragments<F> {
        Fragments {
            by_id: HashMap::new(),
        }
    }
}

impl<F: Clone> Fragments<F> {
    /// A full (`full_run = Some(id)`) or fragment run drew fragment `id`.
    pub(crate) fn register(
        &mut self,
        id: &str,
        body: F,
        path: Path,
        every: Option<Duration>,
        full_run: Option<u64>,
    ) {
        let now = Instant::now();
        let entry = self.by_id.entry(id.to_owned()).or_insert_with(|| Fragment {
            body: body.clone(),
            path: path.clone(),
            every,
            next_due: None,
            drawn_in: full_run.unwrap_or_default(),
        });
        if entry.every != every || entry.next_due.is_none() {
            entry.next_due = every.map(|every| now + every);
        }
        entry.body = body;
        entry.path = path;
        entry.every = every;
        if let Some(run) = full_run {
            entry.drawn_in = run;
        }
    }

    pub(crate) fn get(&self, id: &str) -> Option<Fragment<F>> {
        self.by_id.get(id).cloned()
    }

    /// After a finished full run: fragments it did not draw are dropped,
    /// with their timers.
    pub(crate) fn retain_drawn_in(&mut self, run: u64) {
        self.by_id.retain(|_, fragment| fragment.drawn_in == run);
    }

    /// When the next timer is due.
    pub(crate) fn next_due(&self) -> Option<Instant> {
        self.by_id.values().filter_map(|f| f.next_due).min()
    }

    /// The fragments whose timers are due at `now`; their timers restart.
    pub(crate) fn take_due(&mut self, now: Instant) -> Vec<String> {
        let mut due = Vec::new();
        for (id, fragment) in &mut self.by_id {
            if let (Some(at), Some(every)) = (fragment.next_due, fragment.every) {
                if at <= now {
                    // Skip missed ticks instead of bursting to catch up.
                    let mut next = at + every;
                    while next <= now {
                        next += every;
                    }
                    fragment.next_due = Some(next);
                    due.push(id.clone());
                }
            }
        }
        due.sort();
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVERY: Duration = Duration::from_millis(30);

    /// The `run_every` timers without a real wait: `take_due` is given the
    /// time, so the test picks it.
    #[test]
    fn timers_fire_when_due_skip_missed_ticks_and_go_with_their_fragment() {
        let mut fragments: Fragments<()> = Fragments::default();
        let before = Instant::now();
        fragments.register("f", (), vec![0, 1], Some(EVERY), Some(1));
        let after = Instant::now();
        assert!(fragments.take_due(before).is_empty(), "not due at once");
        let due = fragments.next_due().expect("a timer");
        assert!(before + EVERY <= due && due <= after + EVERY);

        assert_eq!(fragments.take_due(due), vec!["f".to_owned()]);
        assert_eq!(
            fragments.next_due(),
            Some(due + EVERY),
            "the timer restarts"
        );
        // Ten periods late: one tick, not ten, and the next one in the future.
        let late = due + EVERY * 10;
        assert_eq!(fragments.take_due(late), vec!["f".to_owned()]);
        assert!(fragments.take_due(late).is_empty());
        assert!(fragments.next_due().is_some_and(|next| next > late));

        // Drawn again by the next full run: the timer keeps its phase.
        let next = fragments.next_due();
        fragments.register("f", (), vec![0, 1], Some(EVERY), Some(2));
        assert_eq!(fragments.next_due(), next);
        // A full run that did not draw it drops it, timer and all.
        fragments.retain_drawn_in(3);
        assert!(fragments.get("f").is_none());
        assert_eq!(fragments.next_due(), None);
        assert!(fragments.take_due(late + EVERY * 100).is_empty());
    }
}
