//! The folder large uploads spill to, and the sweep of the folders that
//! servers which did not stop cleanly left behind.
//!
//! A temporary file is deleted when its upload is dropped; a server that is
//! killed (`SIGKILL`, out of memory, power loss) drops nothing, and its
//! files would fill the temporary folder a little more with every crash. So
//! a server keeps its spilled files in a folder of its own,
//! `brooklet-uploads-<random>`, holding an exclusive lock on the folder's
//! `lock` file for as long as the folder lives. The operating system lets
//! go of a lock when its process dies, so a folder whose lock can be taken
//! belongs to no running server: [`sweep_orphans`], run when an app starts,
//! removes those. This holds across processes, users and containers that
//! share the folder, which a process-id check would not (ids are reused and
//! differ between PID namespaces).

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};

/// How a spill folder's name starts.
const PREFIX: &str = "brooklet-uploads-";
/// The file whose lock says the folder's server is running.
const LOCK: &str = "lock";

/// One server's folder for spilled uploads: locked while it exists, and
/// removed (with anything left in it) when the last file in it is dropped.
#[derive(Debug)]
pub(crate) struct SpillDir {
    path: PathBuf,
    /// Holds the lock: closing the file (or dying) releases it.
    _lock: File,
}

impl SpillDir {
    /// A new folder under `parent`, readable by this user only, locked.
    fn create(parent: &Path) -> io::Result<SpillDir> {
        let name = crate::payload::random_hex().map_err(io::Error::other)?;
        // Made under a name the sweep does not look at, and renamed once
        // locked: a sweep never sees it unlocked.
        let staging = parent.join(format!(".{PREFIX}{name}"));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(&staging)?;
        let locked = File::create(staging.join(LOCK)).and_then(|lock| {
            lock.try_lock().map_err(io::Error::from)?;
            Ok(lock)
        });
        let lock = match locked {
            Ok(lock) => lock,
            Err(error) => {
                let _ = std::fs::remove_dir_all(&staging);
                return Err(error);
            }
        };
        let path = parent.join(format!("{PREFIX}{name}"));
        if let Err(error) = std::fs::rename(&staging, &path) {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(error);
        }
        Ok(SpillDir { path, _lock: lock })
    }

    /// Where the folder is.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for SpillDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// The upload store's spill folder, made when a file first spills and
/// gone again once no spilled file is left (each file holds it).
#[derive(Debug)]
pub(crate) struct Spill {
    parent: PathBuf,
    current: Mutex<Weak<SpillDir>>,
}

impl Spill {
    /// Spill folders go under `parent` (the system's temporary folder).
    pub(crate) fn new(parent: PathBuf) -> Spill {
        Spill {
            parent,
            current: Mutex::new(Weak::new()),
        }
    }

    /// The folder, made if there is none now.
    pub(crate) fn dir(&self) -> io::Result<Arc<SpillDir>> {
        let mut current = crate::sync::lock(&self.current);
        if let Some(dir) = current.upgrade() {
            return Ok(dir);
        }
        let dir = Arc::new(SpillDir::create(&self.parent)?);
        *current = Arc::downgrade(&dir);
        Ok(dir)
    }
}

/// Remove the spill folders under `parent` that belong to no running
/// server (their lock can be taken); how many were removed. Folders of
/// other users that cannot be opened, and anything not named like a spill
/// folder, are left alone.
pub(crate) fn sweep_orphans(parent: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let named = entry
            .file_name()
            .to_str()
            .is_some_and(|name| name.starts_with(PREFIX));
        // A real folder, not a link to one.
        let folder = entry.file_type().is_ok_and(|kind| kind.is_dir());
        if !named || !folder {
            continue;
        }
        let path = entry.path();
        let Ok(lock) = File::open(path.join(LOCK)) else {
            continue;
        };
        // Held until the folder is gone.
        if lock.try_lock().is_ok() && std::fs::remove_dir_all(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sweep_removes_only_folders_no_server_holds() {
        let parent = std::env::temp_dir().join(format!(
            "brooklet-spill-test-{}",
            crate::payload::random_hex().expect("random")
        ));
        std::fs::create_dir_all(&parent).expect("parent");
        let spill = Spill::new(parent.clone());
        let live = spill.dir().expect("made");
        std::fs::write(live.path().join("upload"), b"held").expect("write");
        assert!(Arc::ptr_eq(&live, &spill.dir().expect("again")), "shared");
        // What a killed server leaves: a folder whose lock nobody holds.
        let dead = parent.join(format!("{PREFIX}dead"));
        std::fs::create_dir(&dead).expect("dead");
        std::fs::write(dead.join(LOCK), b"").expect("lock");
        std::fs::write(dead.join("upload"), b"left").expect("left");
        // Not ours: no lock file, or another name.
        let foreign = parent.join(format!("{PREFIX}nolock"));
        std::fs::create_dir(&foreign).expect("foreign");
        let other = parent.join("something-else");
        std::fs::create_dir(&other).expect("other");

        assert_eq!(sweep_orphans(&parent), 1);
        assert!(!dead.exists(), "the dead server's folder is gone");
        assert!(live.path().join("upload").exists(), "a live one stays");
        assert!(foreign.exists() && other.exists());

        let path = live.path().to_owned();
        drop(live);
        assert!(!path.exists(), "removed with its last file");
        let _ = std::fs::remove_dir_all(&parent);
    }
}
