//! The page as the browser shows it, and the queue of changes on their way.
//!
//! Every element a run draws goes through [`Page::place`]: the page compares
//! it with what the browser already has at that path and queues a `set` only
//! when it differs. That is how "deltas, not pages" works: an unchanged
//! element costs one comparison and no bytes.
//!
//! The queue coalesces: a second `set` for a path that is still waiting to be
//! sent replaces the first one in place. A progress bar updated a million
//! times while the client is slow therefore occupies one slot, and the queue
//! can never hold more `set`s than the page has elements.
//!
//! Allocation of child indices happens under the same lock as queueing, so
//! two threads appending to one container produce ops in index order.

mod outbox;

use std::collections::HashMap;

pub(crate) use outbox::Outbox;

use crate::protocol::{DeltaOp, Element, Path, RunStatus, ServerMessage};

/// One element as the browser has it.
#[derive(Debug, Clone)]
struct Node {
    el: Element,
    children: Vec<Node>,
}

/// A message waiting in the queue; deltas stay open for coalescing.
#[derive(Debug)]
enum Queued {
    Message(ServerMessage),
    Delta {
        run: u64,
        ops: Vec<DeltaOp>,
        /// Position in `ops` of the pending `set` for each path.
        sets: HashMap<Path, usize>,
    },
}

/// Why an element could not be placed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum PlaceError {
    /// The parent path does not exist or is not a block.
    NoParent,
}

/// The browser's element tree, the current run's bookkeeping and the
/// outgoing queue of one session.
#[derive(Debug, Default)]
pub(crate) struct Page {
    roots: [Vec<Node>; 2],
    /// Children drawn so far by the current run, per block path.
    counts: HashMap<Path, u32>,
    /// Blocks whose count grew since the last flush (for `seen` ops).
    grown: Vec<Path>,
    /// The run in progress, if any.
    run: Option<u64>,
    /// The block a fragment run draws in (`None` for a full run).
    scope: Option<Path>,
    /// After a reconnect the browser may show things we never sent: the next
    /// finished run then truncates every block it drew, not only the ones we
    /// know shrank.
    browser_unknown: bool,
    queue: Vec<Queued>,
    /// Set when the queue holds something that should go out without waiting
    /// for the run to pause (run finished, errors, session messages).
    urgent: bool,
    /// Bumped by every change to the queue; the writer compares it to tell
    /// whether the run is still drawing.
    version: u64,
    /// The writer must be woken: the first change since the last flush, or
    /// something urgent arrived. Draws in between need no wake-up.
    wake: bool,
    /// The writer was woken since the last flush.
    notified: bool,
    /// A heartbeat answer is due (one, however many heartbeats arrived).
    heartbeat_due: bool,
}

/// Past this many queued messages (a tab that stopped reading while runs go
/// on, e.g. from a background job's reruns), the queue is dropped and the
/// browser resynchronised with the next run: memory stays bounded.
const MAX_QUEUED: usize = 4096;

impl Page {
    /// Forget everything the browser had (a new connection): the next run
    /// sends every element again.
    pub(crate) fn reset(&mut self, browser_keeps_dom: bool) {
        self.roots = [Vec::new(), Vec::new()];
        self.counts.clear();
        self.grown.clear();
        self.queue.clear();
        self.browser_unknown = browser_keeps_dom;
        self.urgent = false;
    }

    /// Queue a message that is not a delta.
    pub(crate) fn push_message(&mut self, message: ServerMessage) {
        self.flush_seen();
        self.queue.push(Queued::Message(message));
        self.urgent = true;
        self.wake = true;
        self.notified = true;
        self.version += 1;
    }

    /// Something changed: the first change since the last flush wakes the
    /// writer; later ones only bump the version it watches.
    fn changed(&mut self) {
        self.version += 1;
        if !self.notified {
            self.notified = true;
            self.wake = true;
        }
    }

    /// Queue the answer to a heartbeat (coalesced: one per flush).
    pub(crate) fn heartbeat(&mut self) {
        self.heartbeat_due = true;
        self.urgent = true;
        self.wake = true;
        self.notified = true;
    }

    /// Whether the writer needs a wake-up for what was queued since the last
    /// call (clears the flag).
    pub(crate) fn take_wake(&mut self) -> bool {
        std::mem::take(&mut self.wake)
    }

    /// The queue's change counter.
    pub(crate) fn version(&self) -> u64 {
        self.version
    }

    /// A run begins: its counts start at zero. A fragment run (`scope` is
    /// its block) draws only inside that block.
    pub(crate) fn begin_run(&mut self, run: u64, scope: Option<Path>) {
        self.counts.clear();
        self.grown.clear();
        match &scope {
            None => {
                self.counts.insert(vec![0], 0);
                self.counts.insert(vec![1], 0);
            }
            Some(block) => {
                self.counts.insert(block.clone(), 0);
            }
        }
        if self.queue.len() > MAX_QUEUED {
            // Nobody has read for a long time: start the browser over.
            let before = (self.urgent, self.wake, self.notified);
            self.reset(true);
            (self.urgent, self.wake, self.notified) = before;
        }
        self.scope = scope.clone();
        self.run = Some(run);
        // Run-started alone need not wake the writer: the first elements
        // follow within microseconds, and they travel together. Whatever was
        // already queued (a previous run's end) keeps its urgency.
        let before = (self.urgent, self.wake, self.notified);
        self.push_message(ServerMessage::RunStarted { run, scope });
        (self.urgent, self.wake, self.notified) = before;
    }

    /// A run ends. A completed (or failed) run removes what it did not
    /// draw; a cancelled or stopped one leaves the page as it is (what it did
    /// not draw stays stale in the browser) for the next run.
    pub(crate) fn end_run(&mut self, run: u64, status: RunStatus) {
        if self.run != Some(run) {
            return;
        }
        if matches!(status, RunStatus::Complete | RunStatus::Error) {
            match self.scope.take() {
                Some(mut block) => self.truncate_block(&mut block, false),
                None => {
                    let force = std::mem::take(&mut self.browser_unknown);
                    for root in 0..2u32 {
                        let mut path = vec![root];
                        self.truncate_block(&mut path, force);
                    }
                }
            }
        }
        self.scope = None;
        self.run = None;
        self.push_message(ServerMessage::RunFinished { run, status });
    }

    /// Whether `run` is the run in progress.
    pub(crate) fn is_current(&self, run: u64) -> bool {
        self.run == Some(run)
    }

    /// Append `el` to the block at `parent`, returning the new element's path.
    pub(crate) fn append(
        &mut self,
        run: u64,
        parent: &[u32],
        el: Element,
    ) -> Result<Path, PlaceError> {
        debug_assert!(self.is_current(run));
        let index = *self.counts.get(parent).ok_or(PlaceError::NoParent)?;
        let mut path = Vec::with_capacity(parent.len() + 1);
        path.extend_from_slice(parent);
        path.push(index);
        self.place(run, &path, el)?;
        Ok(path)
    }

    /// Put `el` at `path` (a fresh append or an overwrite of a slot the run
    /// already drew), queueing a `set` if the browser has something else there.
    pub(crate) fn place(&mut self, run: u64, path: &[u32], el: Element) -> Result<(), PlaceError> {
        let (parent, index) = match path.split_last() {
            Some((index, parent)) if !parent.is_empty() => (parent, *index),
            _ => return Err(PlaceError::NoParent),
        };
        let drawn = *self.counts.get(parent).ok_or(PlaceError::NoParent)?;
        if index > drawn {
            return Err(PlaceError::NoParent);
        }
        if index == drawn {
            self.counts.insert(parent.to_vec(), drawn + 1);
            self.grown.push(parent.to_vec());
            // A `seen` is due at the next flush, even if nothing changed.
            self.changed();
        }
        let is_block = el.is_block();
        let kind = el.kind();
        let siblings = self.children_mut(parent).ok_or(PlaceError::NoParent)?;
        let changed = match siblings.get_mut(index as usize) {
            Some(node) if node.el == el => false,
            Some(node) => {
                if node.el.kind() != kind || !is_block {
                    node.children.clear();
                }
                node.el = el.clone();
                true
            }
            None => {
                // `index <= drawn <= siblings.len()` is kept by construction,
                // but after a reset the browser list may be shorter.
                let at = (index as usize).min(siblings.len());
                siblings.insert(
                    at,
                    Node {
                        el: el.clone(),
                        children: Vec::new(),
                    },
                );
                true
            }
        };
        if is_block {
            // A block drawn (again) in this run starts with no children drawn.
            self.counts.insert(path.to_vec(), 0);
        } else {
            self.forget_counts_below(path);
        }
        if changed {
            self.queue_set(run, path.to_vec(), el);
        }
        Ok(())
    }

    /// Append `rows` to the `table` element at `path` (drawn by this run).
    /// A `set` of the table still queued takes them in; otherwise an
    /// `add_rows` op carries only them.
    pub(crate) fn add_table_rows(
        &mut self,
        run: u64,
        path: &[u32],
        rows: Vec<Vec<serde_json::Value>>,
    ) -> Result<(), PlaceError> {
        let (parent, index) = match path.split_last() {
            Some((index, parent)) if !parent.is_empty() => (parent, *index as usize),
            _ => return Err(PlaceError::NoParent),
        };
        let node = self
            .children_mut(parent)
            .and_then(|siblings| siblings.get_mut(index))
            .ok_or(PlaceError::NoParent)?;
        let Element::Table { rows: shown, .. } = &mut node.el else {
            return Err(PlaceError::NoParent);
        };
        shown.extend(rows.iter().cloned());
        self.changed();
        if let Some(Queued::Delta { run: r, ops, sets }) = self.queue.last_mut() {
            if *r == run {
                if let Some(DeltaOp::Set {
                    el: Element::Table { rows: queued, .. },
                    ..
                }) = sets.get(path).and_then(|&at| ops.get_mut(at))
                {
                    queued.extend(rows);
                    return Ok(());
                }
            }
        }
        self.push_op(
            run,
            DeltaOp::AddRows {
                path: path.to_vec(),
                rows,
            },
        );
        Ok(())
    }

    /// Take everything queued, as the messages of one frame, or `None` when
    /// the queue is empty.
    pub(crate) fn take_frame(&mut self) -> Option<Vec<ServerMessage>> {
        self.flush_seen();
        self.urgent = false;
        self.wake = false;
        self.notified = false;
        if std::mem::take(&mut self.heartbeat_due) {
            self.queue.push(Queued::Message(ServerMessage::Heartbeat));
        }
        if self.queue.is_empty() {
            return None;
        }
        let messages = self
            .queue
            .drain(..)
            .map(|queued| match queued {
                Queued::Message(message) => message,
                Queued::Delta { run, ops, .. } => ServerMessage::Delta { run, ops },
            })
            .collect();
        Some(messages)
    }

    /// Whether something urgent waits (the writer should not linger).
    pub(crate) fn is_urgent(&self) -> bool {
        self.urgent
    }

    /// Whether anything waits to be sent.
    pub(crate) fn has_pending(&self) -> bool {
        !self.queue.is_empty() || !self.grown.is_empty() || self.heartbeat_due
    }

    // ----- internals -----

    fn children_mut(&mut self, path: &[u32]) -> Option<&mut Vec<Node>> {
        let (root, rest) = path.split_first()?;
        let mut children = self.roots.get_mut(*root as usize)?;
        for index in rest {
            let node = children.get_mut(*index as usize)?;
            if !node.el.is_block() {
                return None;
            }
            children = &mut node.children;
        }
        Some(children)
    }

    fn queue_set(&mut self, run: u64, path: Path, el: Element) {
        self.changed();
        let needs_new_delta =
            !matches!(self.queue.last(), Some(Queued::Delta { run: r, .. }) if *r == run);
        if needs_new_delta {
            self.queue.push(Queued::Delta {
                run,
                ops: Vec::new(),
                sets: HashMap::new(),
            });
        }
        let Some(Queued::Delta { ops, sets, .. }) = self.queue.last_mut() else {
            return;
        };
        let kind_changed = match sets.get(&path).and_then(|&at| ops.get(at)) {
            Some(DeltaOp::Set { el: old, .. }) => old.kind() != el.kind(),
            _ => false,
        };
        if kind_changed {
            // The browser will never see the queued element of the other
            // kind, so it cannot know that the block it holds at this path
            // lost its children (block → empty → block in one flush). Drop
            // what was queued for the old element and, for a block, say
            // explicitly that it starts empty. The new element takes the old
            // one's place in the queue: moved to the end, a freshly appended
            // slot would arrive after its later siblings and skip an index.
            Self::drop_queued_below(ops, sets, &path);
            ops.retain(|op| !matches!(op, DeltaOp::Truncate { path: p, .. } if *p == path));
            Self::reindex(ops, sets);
            let block = el.is_block();
            let at = sets.get(&path).copied().unwrap_or(ops.len());
            match ops.get_mut(at) {
                Some(DeltaOp::Set { el: slot, .. }) => *slot = el,
                _ => ops.insert(
                    at,
                    DeltaOp::Set {
                        path: path.clone(),
                        el,
                    },
                ),
            }
            if block {
                ops.insert(at + 1, DeltaOp::Truncate { path, len: 0 });
            }
            Self::reindex(ops, sets);
        } else if let Some(&at) = sets.get(&path) {
            if let Some(DeltaOp::Set { el: slot, .. }) = ops.get_mut(at) {
                *slot = el;
            }
        } else {
            sets.insert(path.clone(), ops.len());
            ops.push(DeltaOp::Set { path, el });
        }
    }

    /// Rebuild the path → position index of queued `set`s.
    fn reindex(ops: &[DeltaOp], sets: &mut HashMap<Path, usize>) {
        sets.clear();
        for (i, op) in ops.iter().enumerate() {
            if let DeltaOp::Set { path, .. } = op {
                sets.insert(path.clone(), i);
            }
        }
    }

    fn drop_queued_below(ops: &mut Vec<DeltaOp>, sets: &mut HashMap<Path, usize>, path: &[u32]) {
        let below = |p: &Path| p.len() > path.len() && p.starts_with(path);
        ops.retain(|op| match op {
            DeltaOp::Set { path: p, .. }
            | DeltaOp::Seen { path: p, .. }
            | DeltaOp::Truncate { path: p, .. }
            | DeltaOp::AddRows { path: p, .. } => !below(p),
        });
        Self::reindex(ops, sets);
    }

    /// Queue `seen` ops for the blocks that grew since the last flush.
    fn flush_seen(&mut self) {
        if self.grown.is_empty() {
            return;
        }
        let Some(run) = self.run else {
            self.grown.clear();
            return;
        };
        let mut grown = std::mem::take(&mut self.grown);
        grown.sort_unstable();
        grown.dedup();
        for path in grown {
            if let Some(&len) = self.counts.get(&path) {
                self.push_op(run, DeltaOp::Seen { path, len });
            }
        }
    }

    fn push_op(&mut self, run: u64, op: DeltaOp) {
        match self.queue.last_mut() {
            Some(Queued::Delta { run: r, ops, .. }) if *r == run => ops.push(op),
            _ => self.queue.push(Queued::Delta {
                run,
                ops: vec![op],
                sets: HashMap::new(),
            }),
        }
    }

    /// Remove, below `path`, what the finished run did not draw.
    fn truncate_block(&mut self, path: &mut Path, force: bool) {
        let drawn = self.counts.get(path.as_slice()).copied().unwrap_or(0);
        let Some(children) = self.children_mut(path) else {
            return;
        };
        let had = children.len();
        children.truncate(drawn as usize);
        let blocks: Vec<u32> = children
            .iter()
            .enumerate()
            .filter(|(_, node)| node.el.is_block())
            .map(|(i, _)| i as u32)
            .collect();
        if had > drawn as usize || force {
            let run = self.run.unwrap_or_default();
            self.push_op(
                run,
                DeltaOp::Truncate {
                    path: path.clone(),
                    len: drawn,
                },
            );
        }
        for index in blocks {
            path.push(index);
            self.truncate_block(path, force);
            path.pop();
        }
    }

    fn forget_counts_below(&mut self, path: &[u32]) {
        if self.counts.contains_key(path) {
            self.counts.retain(|p, _| !p.starts_with(path));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Element {
        Element::Text { text: s.into() }
    }

    fn ops_of(frame: &[ServerMessage]) -> Vec<DeltaOp> {
        frame
            .iter()
            .flat_map(|m| match m {
                ServerMessage::Delta { ops, .. } => ops.clone(),
                _ => Vec::new(),
            })
            .collect()
    }

    fn run(page: &mut Page, id: u64, texts: &[&str]) -> Vec<DeltaOp> {
        page.begin_run(id, None);
        for t in texts {
            page.append(id, &[0], text(t)).expect("append");
        }
        page.end_run(id, RunStatus::Complete);
        ops_of(&page.take_frame().expect("frame"))
    }

    #[test]
    fn rows_added_to_a_table_travel_alone_or_join_its_queued_set() {
        use serde_json::json;
        let table = |rows: Vec<Vec<serde_json::Value>>| Element::Table {
            columns: vec!["n".into()],
            rows,
            kinds: Vec::new(),
            align: Vec::new(),
        };
        let mut page = Page::default();
        page.begin_run(1, None);
        let path = page
            .append(1, &[0], table(vec![vec![json!("1")]]))
            .expect("append");
        // Still queued: the rows join the table's `set`.
        page.add_table_rows(1, &path, vec![vec![json!("2")]])
            .expect("a table");
        let ops = ops_of(&page.take_frame().expect("frame"));
        assert!(
            ops.contains(&DeltaOp::Set {
                path: path.clone(),
                el: table(vec![vec![json!("1")], vec![json!("2")]]),
            }),
            "{ops:?}"
        );
        // Sent already: only the new rows travel.
        page.add_table_rows(1, &path, vec![vec![json!("3")]])
            .expect("a table");
        let ops = ops_of(&page.take_frame().expect("frame"));
        assert_eq!(
            ops,
            vec![DeltaOp::AddRows {
                path: path.clone(),
                rows: vec![vec![json!("3")]],
            }]
        );
        assert!(
            page.add_table_rows(1, &[0, 9], vec![]).is_err(),
            "no table there"
        );
    }

    #[test]
    fn unchanged_elements_are_not_sent_again() {
        let mut page = Page::default();
        let first = run(&mut page, 1, &["a", "b", "c"]);
        assert_eq!(
            first
                .iter()
                .filter(|o| matches!(o, DeltaOp::Set { .. }))
                .count(),
            3
        );
        let second = run(&mut page, 2, &["a", "B", "c"]);
        // `seen` is not needed when the run finishes in the same frame: the
        // client un-fades everything on `run_finished`.
        assert_eq!(
            second,
            vec![DeltaOp::Set {
                path: vec![0, 1],
                el: text("B")
            }]
        );
    }

    #[test]
    fn a_finished_run_truncates_what_it_did_not_draw() {
        let mut page = Page::default();
        run(&mut page, 1, &["a", "b", "c"]);
        let ops = run(&mut page, 2, &["a"]);
        assert!(
            ops.contains(&DeltaOp::Truncate {
                path: vec![0],
                len: 1
            }),
            "{ops:?}"
        );
        // A cancelled run truncates nothing.
        page.begin_run(3, None);
        page.end_run(3, RunStatus::Cancelled);
        let ops = ops_of(&page.take_frame().expect("frame"));
        assert!(
            !ops.iter().any(|o| matches!(o, DeltaOp::Truncate { .. })),
            "{ops:?}"
        );
    }

    #[test]
    fn a_flush_during_a_run_confirms_unchanged_elements_with_seen() {
        let mut page = Page::default();
        run(&mut page, 1, &["a", "b"]);
        page.begin_run(2, None);
        page.append(2, &[0], text("a")).expect("append");
        page.append(2, &[0], text("b")).expect("append");
        let ops = ops_of(&page.take_frame().expect("frame"));
        assert_eq!(
            ops,
            vec![DeltaOp::Seen {
                path: vec![0],
                len: 2
            }]
        );
    }

    #[test]
    fn only_the_first_change_since_a_flush_wakes_the_writer() {
        let mut page = Page::default();
        run(&mut page, 1, &["a", "b"]);
        page.begin_run(2, None);
        assert!(!page.take_wake(), "run_started alone does not wake");
        page.append(2, &[0], text("a")).expect("append");
        assert!(
            page.take_wake(),
            "an unchanged element still needs a `seen`"
        );
        let version = page.version();
        page.append(2, &[0], text("B")).expect("append");
        assert!(!page.take_wake(), "later changes only bump the version");
        assert!(page.version() > version);
        page.take_frame();
        page.append(2, &[0], text("c")).expect("append");
        assert!(
            page.take_wake(),
            "the first change after a flush wakes again"
        );
        page.end_run(2, RunStatus::Complete);
        assert!(
            page.take_wake() && page.is_urgent(),
            "the end of a run is urgent"
        );
    }

    #[test]
    fn repeated_sets_of_one_path_coalesce() {
        let mut page = Page::default();
        page.begin_run(1, None);
        let path = page
            .append(
                1,
                &[0],
                Element::Progress {
                    value: 0.0,
                    text: None,
                },
            )
            .expect("append");
        for i in 1..=1000 {
            page.place(
                1,
                &path,
                Element::Progress {
                    value: i as f64 / 1000.0,
                    text: None,
                },
            )
            .expect("place");
        }
        let ops = ops_of(&page.take_frame().expect("frame"));
        assert_eq!(
            ops,
            vec![
                DeltaOp::Set {
                    path: vec![0, 0],
                    el: Element::Progress {
                        value: 1.0,
                        text: None
                    }
                },
                DeltaOp::Seen {
                    path: vec![0],
                    len: 1
                },
            ]
        );
    }

    #[test]
    fn blocks_keep_children_and_nested_truncation_works() {
        let mut page = Page::default();
        page.begin_run(1, None);
        let block = page
            .append(1, &[0], Element::Container { border: false })
            .expect("block");
        page.append(1, &block, text("x")).expect("child");
        page.append(1, &block, text("y")).expect("child");
        page.end_run(1, RunStatus::Complete);
        page.take_frame();

        page.begin_run(2, None);
        let block = page
            .append(2, &[0], Element::Container { border: false })
            .expect("block");
        page.append(2, &block, text("x")).expect("child");
        page.end_run(2, RunStatus::Complete);
        let ops = ops_of(&page.take_frame().expect("frame"));
        assert_eq!(
            ops,
            vec![DeltaOp::Truncate {
                path: vec![0, 0],
                len: 1
            }]
        );
    }

    #[test]
    fn replacing_a_block_with_another_kind_drops_its_queued_children() {
        let mut page = Page::default();
        page.begin_run(1, None);
        let slot = page.append(1, &[0], Element::Empty).expect("slot");
        page.place(1, &slot, Element::Container { border: false })
            .expect("block");
        page.append(1, &slot, text("inside")).expect("child");
        page.place(1, &slot, text("replaced")).expect("leaf");
        assert_eq!(page.append(1, &slot, text("x")), Err(PlaceError::NoParent));
        let ops = ops_of(&page.take_frame().expect("frame"));
        assert_eq!(
            ops,
            vec![
                DeltaOp::Set {
                    path: vec![0, 0],
                    el: text("replaced")
                },
                DeltaOp::Seen {
                    path: vec![0],
                    len: 1
                },
            ]
        );
    }

    #[test]
    fn a_block_replaced_through_a_coalesced_slot_starts_empty_in_the_browser() {
        // Run 1: a slot holding a container with three rows.
        let mut page = Page::default();
        page.begin_run(1, None);
        let slot = page.append(1, &[0], Element::Empty).expect("slot");
        page.place(1, &slot, Element::Container { border: false })
            .expect("block");
        for row in ["1", "2", "3"] {
            page.append(1, &slot, text(row)).expect("row");
        }
        page.end_run(1, RunStatus::Complete);
        page.take_frame();
        // Run 2, in one flush: empty the slot, then a container with one row.
        page.begin_run(2, None);
        let slot = page.append(2, &[0], Element::Empty).expect("slot");
        page.place(2, &slot, Element::Container { border: false })
            .expect("block");
        page.append(2, &slot, text("1")).expect("row");
        page.end_run(2, RunStatus::Complete);
        let ops = ops_of(&page.take_frame().expect("frame"));
        // The browser must drop rows 2 and 3: the container arrives with a
        // truncate to zero before its new row.
        let container = ops.iter().position(|op| {
            matches!(
                op,
                DeltaOp::Set {
                    el: Element::Container { .. },
                    ..
                }
            )
        });
        let truncate = ops.iter().position(|op| {
            *op == DeltaOp::Truncate {
                path: vec![0, 0],
                len: 0,
            }
        });
        let row = ops
            .iter()
            .position(|op| matches!(op, DeltaOp::Set { path, .. } if *path == vec![0, 0, 0]));
        assert!(container < truncate && truncate < row, "{ops:?}");
        assert!(container.is_some() && row.is_some(), "{ops:?}");
    }

    #[test]
    fn after_a_reset_with_kept_dom_the_first_run_truncates_everything_it_drew() {
        let mut page = Page::default();
        run(&mut page, 1, &["a", "b"]);
        page.reset(true);
        let ops = run(&mut page, 2, &["a"]);
        assert!(ops.contains(&DeltaOp::Set {
            path: vec![0, 0],
            el: text("a")
        }));
        assert!(ops.contains(&DeltaOp::Truncate {
            path: vec![0],
            len: 1
        }));
        assert!(ops.contains(&DeltaOp::Truncate {
            path: vec![1],
            len: 0
        }));
    }

    /// One step of a random session: what a run or its connection does.
    #[derive(Debug, Clone)]
    enum Step {
        /// A new full run begins (the previous one, if any, is cancelled).
        Begin,
        /// Append a text (`true`: a container) into the `n`-th block drawn so
        /// far in this run (modulo how many there are).
        Append(usize, u8, bool),
        /// Overwrite the `n`-th path drawn so far in this run with a text.
        Place(usize, u8),
        /// The run ends with this status.
        End(u8),
        /// The connection takes what is queued.
        Flush,
    }

    fn step() -> impl proptest::strategy::Strategy<Value = Step> {
        use proptest::prelude::*;
        prop_oneof![
            1 => Just(Step::Begin),
            6 => (any::<usize>(), 0u8..4, any::<bool>()).prop_map(|(n, t, b)| Step::Append(n, t, b)),
            2 => (any::<usize>(), 0u8..4).prop_map(|(n, t)| Step::Place(n, t)),
            1 => (0u8..3).prop_map(Step::End),
            2 => Just(Step::Flush),
        ]
    }

    /// The browser's side: apply ops as the front end does.
    fn apply(roots: &mut [Vec<Node>; 2], op: DeltaOp) {
        fn children<'a>(roots: &'a mut [Vec<Node>; 2], path: &[u32]) -> Option<&'a mut Vec<Node>> {
            let (root, rest) = path.split_first()?;
            let mut children = roots.get_mut(*root as usize)?;
            for index in rest {
                children = &mut children.get_mut(*index as usize)?.children;
            }
            Some(children)
        }
        match op {
            DeltaOp::Set { path, el } => {
                let (index, parent) = path.split_last().expect("a path");
                let siblings = children(roots, parent).expect("the parent exists");
                let index = *index as usize;
                assert!(index <= siblings.len(), "a set skips an index: {path:?}");
                if index == siblings.len() {
                    siblings.push(Node {
                        el,
                        children: Vec::new(),
                    });
                } else {
                    let node = &mut siblings[index];
                    if node.el.kind() != el.kind() || !el.is_block() {
                        node.children.clear();
                    }
                    node.el = el;
                }
            }
            DeltaOp::Truncate { path, len } => {
                if let Some(siblings) = children(roots, &path) {
                    siblings.truncate(len as usize);
                }
            }
            DeltaOp::AddRows { path, rows } => {
                let (index, parent) = path.split_last().expect("a path");
                let siblings = children(roots, parent).expect("the parent exists");
                match &mut siblings[*index as usize].el {
                    Element::Table { rows: shown, .. } => shown.extend(rows),
                    other => panic!("add_rows to a {}", other.kind()),
                }
            }
            DeltaOp::Seen { .. } => {}
        }
    }

    fn same(a: &[Node], b: &[Node]) -> bool {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| x.el == y.el && same(&x.children, &y.children))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Whatever runs draw, cancel or finish, and whenever the connection
        /// flushes, the browser that applies every frame ends up with exactly
        /// the tree the server believes it has.
        #[test]
        fn the_browser_mirror_always_matches_the_page(steps in proptest::collection::vec(step(), 1..120)) {
            let mut page = Page::default();
            let mut browser: [Vec<Node>; 2] = [Vec::new(), Vec::new()];
            let mut run = 0u64;
            // Blocks and paths the current run drew.
            let mut blocks: Vec<Path> = Vec::new();
            let mut drawn: Vec<Path> = Vec::new();
            let flush = |page: &mut Page, browser: &mut [Vec<Node>; 2]| {
                for message in page.take_frame().unwrap_or_default() {
                    if let ServerMessage::Delta { ops, .. } = message {
                        ops.into_iter().for_each(|op| apply(browser, op));
                    }
                }
            };
            for step in steps {
                match step {
                    Step::Begin => {
                        if page.run.is_some() {
                            page.end_run(run, RunStatus::Cancelled);
                        }
                        run += 1;
                        page.begin_run(run, None);
                        blocks = vec![vec![0], vec![1]];
                        drawn.clear();
                    }
                    Step::Append(n, text, block) if page.is_current(run) => {
                        let parent = blocks[n % blocks.len()].clone();
                        let el = if block {
                            Element::Container { border: false }
                        } else {
                            Element::Text { text: format!("t{text}") }
                        };
                        let path = page.append(run, &parent, el).expect("appends");
                        if block {
                            blocks.push(path.clone());
                        }
                        drawn.push(path);
                    }
                    Step::Place(n, text) if page.is_current(run) && !drawn.is_empty() => {
                        let path = drawn[n % drawn.len()].clone();
                        // Overwriting a block drops its children.
                        blocks.retain(|b| !b.starts_with(&path));
                        page.place(run, &path, Element::Text { text: format!("p{text}") })
                            .expect("places");
                        drawn.retain(|d| !d.starts_with(&path) || *d == path);
                    }
                    Step::End(status) if page.is_current(run) => {
                        let status = [RunStatus::Complete, RunStatus::Error, RunStatus::Cancelled][status as usize];
                        page.end_run(run, status);
                    }
                    Step::Flush => flush(&mut page, &mut browser),
                    _ => {}
                }
            }
            flush(&mut page, &mut browser);
            proptest::prop_assert!(same(&browser[0], &page.roots[0]) && same(&browser[1], &page.roots[1]),
                "browser {:?}\npage {:?}", browser, page.roots);
        }
    }
}
