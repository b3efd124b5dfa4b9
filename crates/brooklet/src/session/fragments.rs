//! The fragments a session's last full run drew: what to call, where its
//! block is, and when its `run_every` timer is next due.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::protocol::Path;
use crate::ui::Ui;

/// A fragment's body.
pub(crate) type FragmentFn = Arc<dyn Fn(&Ui) + Send + Sync + 'static>;

/// One registered fragment.
#[derive(Clone)]
pub(crate) struct Fragment {
    pub(crate) body: FragmentFn,
    /// The path of its block.
    pub(crate) path: Path,
    pub(crate) every: Option<Duration>,
    next_due: Option<Instant>,
    /// The full run that last drew it.
    drawn_in: u64,
}

/// The fragments of one session, by id.
#[derive(Default)]
pub(crate) struct Fragments {
    by_id: HashMap<String, Fragment>,
}

impl Fragments {
    /// A full (`full_run = Some(id)`) or fragment run drew fragment `id`.
    pub(crate) fn register(
        &mut self,
        id: &str,
        body: FragmentFn,
        path: Path,
        every: Option<Duration>,
        full_run: Option<u64>,
    ) {
        let now = Instant::now();
        let entry = self
            .by_id
            .entry(id.to_string())
            .or_insert_with(|| Fragment {
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

    pub(crate) fn get(&self, id: &str) -> Option<Fragment> {
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
