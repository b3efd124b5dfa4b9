//! The app-wide store for large payloads: images, audio, video, PDFs,
//! subtitles, downloads of bytes the run has, and Vega-Lite chart data.
//! (Uploads are held per session in `crate::uploads`; dataframe rows and
//! chart points stay in their frames.)
//!
//! Bulk bytes do not ride inside JSON deltas, and they are not kept once per
//! session. An element carries a small [`PayloadRef`] (a URL); the bytes live
//! here once, however many sessions show them, and the browser fetches them
//! over HTTP (`/_brooklet/media/{owner}/{id}`).
//!
//! - **Content-addressed.** An entry's id is a 128-bit keyed hash of its
//!   bytes and content type (SipHash-1-3, keyed with 128 bits drawn from the
//!   OS when the store is made): equal
//!   bytes share one entry (and one id, so a rerun that draws the same table
//!   sends the same element and nothing is re-sent), and nobody can predict
//!   an id without having the bytes.
//! - **Referenced by owners.** Each session is an *owner* with its own random
//!   token (never the session id). An owner can fetch only entries it
//!   references, so one tab cannot read what another tab was shown even if it
//!   learnt the id.
//! - **Capped.** The store holds at most `max_bytes`. Entries no owner
//!   references are kept for reuse until space is needed, then evicted oldest
//!   first; entries some owner references are never evicted: when they fill
//!   the store, a new entry is refused ([`PayloadError::Full`]) and the page
//!   shows that error instead.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::Hasher;
use std::sync::{Arc, Mutex, MutexGuard};

use siphasher::sip128::{Hasher128, SipHasher13};

/// A stored payload's id: 32 hex digits.
pub(crate) type PayloadId = String;

pub use crate::protocol::PayloadRef;

/// Why a payload could not be stored or served.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum PayloadError {
    /// Entries that pages show fill the store.
    #[error(
        "the payload store is full: {needed} more bytes do not fit in its limit of {cap} bytes \
         while pages show what it holds (raise server.max_media_bytes)"
    )]
    Full { needed: usize, cap: usize },
    /// One page would reference more than its share.
    #[error(
        "this page would show {held} bytes of media and downloads, over its limit of {cap} \
         bytes (raise server.max_media_bytes_per_session)"
    )]
    PageFull { held: usize, cap: usize },
    /// No such entry for this owner.
    #[error("no such payload")]
    NotFound,
}

/// One stored payload.
struct Entry {
    bytes: Arc<[u8]>,
    content_type: &'static str,
    /// How many owners reference it.
    owners: usize,
    /// Its place in [`Inner::unreferenced`] while no owner references it.
    queued: Option<u64>,
}

#[derive(Default)]
struct Inner {
    entries: HashMap<PayloadId, Entry>,
    /// The entries no owner references, oldest first, by when they lost
    /// their last owner. An entry is in it exactly while its owner count
    /// is 0 (it leaves when referenced again), so it never holds more than
    /// the entries do, however often pages stop and start showing them.
    unreferenced: BTreeMap<u64, PayloadId>,
    /// The next place in `unreferenced`.
    next_place: u64,
    /// Owner token → the entries it references.
    owners: HashMap<String, HashSet<PayloadId>>,
    /// Bytes held.
    total: usize,
}

/// The store; one per app, shared by every session. Cheap to clone.
#[derive(Clone)]
pub(crate) struct PayloadStore {
    inner: Arc<Mutex<Inner>>,
    /// The secret key of the ids' hash.
    key: [u8; 16],
    max_bytes: usize,
    /// The most bytes one owner references (what its page shows, plus what
    /// the run in progress drew).
    max_per_owner: usize,
}

impl std::fmt::Debug for PayloadStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let inner = self.lock();
        f.debug_struct("PayloadStore")
            .field("entries", &inner.entries.len())
            .field("bytes", &inner.total)
            .field("max_bytes", &self.max_bytes)
            .finish()
    }
}

/// What [`PayloadStore::get`] hands the HTTP layer.
pub(crate) struct Payload {
    pub(crate) bytes: Arc<[u8]>,
    pub(crate) content_type: &'static str,
}

impl PayloadStore {
    #[cfg(test)]
    pub(crate) fn new(max_bytes: usize) -> PayloadStore {
        PayloadStore::with_page_cap(max_bytes, usize::MAX).expect("OS randomness")
    }

    /// A store of `max_bytes` in which one owner references at most
    /// `max_per_owner`. Fails only when the OS has no randomness for the
    /// ids' key: a guessable key would make ids predictable.
    pub(crate) fn with_page_cap(
        max_bytes: usize,
        max_per_owner: usize,
    ) -> Result<PayloadStore, getrandom::Error> {
        let mut key = [0u8; 16];
        getrandom::fill(&mut key)?;
        Ok(PayloadStore {
            inner: Arc::default(),
            key,
            max_bytes,
            max_per_owner,
        })
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        crate::sync::lock(&self.inner)
    }

    /// A new owner (one per session): a random token, at least 128 bits.
    pub(crate) fn new_owner(&self) -> Result<String, getrandom::Error> {
        let token = random_hex()?;
        self.lock().owners.insert(token.clone(), HashSet::new());
        Ok(token)
    }

    /// The id of `bytes` of `content_type`: SipHash-1-3's 128-bit output
    /// under the store's secret key. SipHash is a keyed pseudo-random
    /// function, so without the key nobody can predict an id or make two
    /// payloads share one. (A content type has no NUL byte, so the 0 between
    /// it and the bytes keeps the two apart.)
    fn id_of(&self, bytes: &[u8], content_type: &str) -> PayloadId {
        let mut hasher = SipHasher13::new_with_key(&self.key);
        hasher.write(content_type.as_bytes());
        hasher.write_u8(0);
        hasher.write(bytes);
        format!("{:032x}", hasher.finish128().as_u128())
    }

    /// Store `bytes` for `owner` (or find them already stored) and reference
    /// them; returns the entry's id and the reference to put in an element.
    pub(crate) fn put(
        &self,
        owner: &str,
        bytes: Vec<u8>,
        content_type: &'static str,
    ) -> Result<(PayloadId, PayloadRef), PayloadError> {
        let id = self.id_of(&bytes, content_type);
        let size = bytes.len();
        let mut inner = self.lock();
        let page = inner.owners.get(owner).filter(|refs| !refs.contains(&id));
        if let Some(refs) = page {
            let held: usize = refs
                .iter()
                .filter_map(|id| inner.entries.get(id))
                .map(|e| e.bytes.len())
                .sum();
            if held.saturating_add(size) > self.max_per_owner {
                return Err(PayloadError::PageFull {
                    held: held + size,
                    cap: self.max_per_owner,
                });
            }
        }
        if !inner.entries.contains_key(&id) {
            if size > self.max_bytes {
                return Err(PayloadError::Full {
                    needed: size,
                    cap: self.max_bytes,
                });
            }
            // Evict unreferenced entries, oldest first, until it fits.
            while inner.total + size > self.max_bytes {
                let Some((_, old)) = inner.unreferenced.pop_first() else {
                    return Err(PayloadError::Full {
                        needed: size,
                        cap: self.max_bytes,
                    });
                };
                if let Some(gone) = inner.entries.remove(&old) {
                    inner.total -= gone.bytes.len();
                }
            }
            inner.total += size;
            inner.entries.insert(
                id.clone(),
                Entry {
                    bytes: Arc::from(bytes),
                    content_type,
                    owners: 0,
                    queued: None,
                },
            );
        }
        match inner
            .owners
            .get_mut(owner)
            .map(|refs| refs.insert(id.clone()))
        {
            Some(true) => inner.reference(&id),
            // Already this page's (an unchanged picture on a rerun).
            Some(false) => {}
            // An owner that has ended (its session closed while a run was
            // still drawing) references nothing: the entry may go.
            None => inner.queue_if_unreferenced(&id),
        }
        let reference = PayloadRef {
            url: format!("/_brooklet/media/{owner}/{id}"),
            bytes: size as u64,
        };
        Ok((id, reference))
    }

    /// `owner` no longer shows the entries outside `keep`.
    pub(crate) fn retain(&self, owner: &str, keep: &HashSet<PayloadId>) {
        let mut inner = self.lock();
        let Some(refs) = inner.owners.get_mut(owner) else {
            return;
        };
        let dropped: Vec<PayloadId> = refs
            .iter()
            .filter(|id| !keep.contains(*id))
            .cloned()
            .collect();
        for id in &dropped {
            refs.remove(id);
        }
        for id in dropped {
            inner.unreference(id);
        }
    }

    /// The owner is gone (its session ended): drop all its references.
    pub(crate) fn release_owner(&self, owner: &str) {
        let mut inner = self.lock();
        let Some(refs) = inner.owners.remove(owner) else {
            return;
        };
        for id in refs {
            inner.unreference(id);
        }
    }

    /// The entry `id`, if `owner` references it.
    pub(crate) fn get(&self, owner: &str, id: &str) -> Result<Payload, PayloadError> {
        let inner = self.lock();
        let referenced = inner
            .owners
            .get(owner)
            .is_some_and(|refs| refs.contains(id));
        match inner.entries.get(id) {
            Some(entry) if referenced => Ok(Payload {
                bytes: entry.bytes.clone(),
                content_type: entry.content_type,
            }),
            _ => Err(PayloadError::NotFound),
        }
    }

    /// Bytes held and entries, for tests and metrics.
    #[cfg(test)]
    pub(crate) fn usage(&self) -> (usize, usize) {
        let inner = self.lock();
        (inner.total, inner.entries.len())
    }

    /// How many entries wait in the eviction queue.
    #[cfg(test)]
    fn queued(&self) -> usize {
        self.lock().unreferenced.len()
    }
}

impl Inner {
    /// One more owner references `id`: it may not be evicted.
    fn reference(&mut self, id: &str) {
        if let Some(entry) = self.entries.get_mut(id) {
            entry.owners += 1;
            if let Some(place) = entry.queued.take() {
                self.unreferenced.remove(&place);
            }
        }
    }

    /// One owner fewer references `id`: with none left it may be evicted.
    fn unreference(&mut self, id: PayloadId) {
        if let Some(entry) = self.entries.get_mut(&id) {
            entry.owners = entry.owners.saturating_sub(1);
        }
        self.queue_if_unreferenced(&id);
    }

    /// Puts `id` at the end of the eviction queue if no owner references
    /// it and it is not queued yet.
    fn queue_if_unreferenced(&mut self, id: &str) {
        let place = self.next_place;
        if let Some(entry) = self.entries.get_mut(id) {
            if entry.owners == 0 && entry.queued.is_none() {
                entry.queued = Some(place);
                self.next_place += 1;
                self.unreferenced.insert(place, id.to_owned());
            }
        }
    }
}

/// 128 random bits from the OS as hex. Session ids and tokens are secrets:
/// without real randomness there is no safe fallback, so this fails loudly.
pub(crate) fn random_hex() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(items: &[&str]) -> HashSet<PayloadId> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn equal_bytes_share_one_entry_and_owners_are_isolated() {
        let store = PayloadStore::new(1 << 20);
        let a = store.new_owner().expect("owner");
        let b = store.new_owner().expect("owner");
        let (id, ra) = store
            .put(&a, b"[[1,2]]".to_vec(), "application/json")
            .expect("put");
        let (id_b, rb) = store
            .put(&b, b"[[1,2]]".to_vec(), "application/json")
            .expect("put");
        let id = id.as_str();
        assert_eq!(id.len(), 32);
        assert_eq!(id, id_b);
        assert!(ra.url.ends_with(id) && rb.url.ends_with(id));
        assert_eq!(store.usage(), (7, 1), "stored once");
        assert!(!ra.url.contains(&b) && rb.url.contains(&b));
        assert!(store.get(&a, id).is_ok());
        store.release_owner(&a);
        assert_eq!(store.get(&a, id).err(), Some(PayloadError::NotFound));
        assert!(store.get(&b, id).is_ok(), "b still references it");
        assert_eq!(store.get(&b, "0000").err(), Some(PayloadError::NotFound));
    }

    #[test]
    fn one_page_may_reference_only_its_share() {
        let store = PayloadStore::with_page_cap(1000, 100).expect("OS randomness");
        let (a, b) = (
            store.new_owner().expect("owner"),
            store.new_owner().expect("owner"),
        );
        store.put(&a, vec![1; 60], "image/png").expect("fits");
        let err = store.put(&a, vec![2; 60], "image/png").expect_err("over");
        assert!(
            matches!(
                err,
                PayloadError::PageFull {
                    held: 120,
                    cap: 100
                }
            ),
            "{err}"
        );
        // The same bytes again cost nothing more; another page has its own share.
        store
            .put(&a, vec![1; 60], "image/png")
            .expect("already held");
        store.put(&b, vec![2; 60], "image/png").expect("b's share");
    }

    #[test]
    fn ids_are_keyed_per_store() {
        let one = PayloadStore::new(1 << 20);
        let two = PayloadStore::new(1 << 20);
        assert_ne!(one.id_of(b"x", "text/plain"), two.id_of(b"x", "text/plain"));
        assert_ne!(one.id_of(b"x", "text/plain"), one.id_of(b"x", "text/csv"));
    }

    #[test]
    fn only_unreferenced_entries_are_evicted_and_a_full_store_refuses() {
        let store = PayloadStore::new(100);
        let owner = store.new_owner().expect("owner");
        let (first_id, _) = store
            .put(&owner, vec![1; 60], "application/octet-stream")
            .expect("fits");
        // Referenced: the second does not fit and nothing may be evicted.
        let err = store
            .put(&owner, vec![2; 60], "application/octet-stream")
            .expect_err("full");
        assert!(
            matches!(
                err,
                PayloadError::Full {
                    needed: 60,
                    cap: 100
                }
            ),
            "{err}"
        );
        // The page stops showing the first: now it can be evicted.
        store.retain(&owner, &ids(&[]));
        let (second_id, _) = store
            .put(&owner, vec![2; 60], "application/octet-stream")
            .expect("evicts");
        assert_eq!(store.usage(), (60, 1));
        assert!(store.get(&owner, &first_id).is_err());
        assert!(store.get(&owner, &second_id).is_ok());
        // Larger than the whole store: refused at once.
        assert!(store
            .put(&owner, vec![0; 101], "application/octet-stream")
            .is_err());
    }

    #[test]
    fn the_eviction_queue_holds_each_unreferenced_entry_once() {
        let store = PayloadStore::new(1 << 20);
        let owner = store.new_owner().expect("owner");
        // A page that shows and hides the same picture many times (a
        // toggle), while the store never fills: the queue must not grow.
        for _ in 0..1000 {
            let (id, _) = store.put(&owner, vec![7; 10], "image/png").expect("put");
            assert_eq!(store.queued(), 0, "a referenced entry is not queued");
            store.retain(&owner, &ids(&[]));
            assert_eq!(store.queued(), 1);
            assert!(store.get(&owner, &id).is_err(), "no longer this page's");
        }
        let other = store.new_owner().expect("owner");
        store.put(&other, vec![8; 10], "image/png").expect("put");
        store.release_owner(&other);
        store.release_owner(&owner);
        assert_eq!(store.queued(), 2, "one place per unreferenced entry");
        assert_eq!(
            store.usage(),
            (20, 2),
            "kept for reuse until space is needed"
        );
    }

    #[test]
    fn an_entry_put_for_an_ended_owner_can_be_evicted() {
        let store = PayloadStore::new(100);
        let owner = store.new_owner().expect("owner");
        store.release_owner(&owner);
        // A run still drawing after its session ended.
        store.put(&owner, vec![1; 60], "image/png").expect("stored");
        let live = store.new_owner().expect("owner");
        store
            .put(&live, vec![2; 60], "image/png")
            .expect("the orphan is evicted to make room");
        assert_eq!(store.usage(), (60, 1));
    }
}
