//! Widget identity.
//!
//! A widget's id must be the same in every run in which the app means "the
//! same widget", so that its value survives reruns, and differ between two
//! widgets drawn in one run. It is a hash of the widget kind, its label and
//! its identity-bearing options (those that change what values are valid,
//! such as a slider's range) — or of the kind and the user's key alone when a
//! key is given. The position in the page is deliberately *not* part of it,
//! so a widget keeps its value when others appear or disappear above it.
//!
//! The hash is FNV-1a (64-bit) over a length-prefixed encoding: stable across
//! Rust versions and platforms, unlike `DefaultHasher`.

use crate::protocol::WidgetId;

/// Builds a widget id from its parts.
#[derive(Debug, Clone)]
pub(crate) struct IdBuilder {
    hash: u64,
    keyed: bool,
}

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

impl IdBuilder {
    /// Start an id for a widget of `kind`, with the user's `key` if given.
    pub(crate) fn new(kind: &str, key: Option<&str>) -> IdBuilder {
        let mut builder = IdBuilder {
            hash: OFFSET,
            keyed: false,
        };
        builder.write(kind.as_bytes());
        if let Some(key) = key {
            builder.write(b"key");
            builder.write(key.as_bytes());
            builder.keyed = true;
        }
        builder
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in (bytes.len() as u64).to_le_bytes().iter().chain(bytes) {
            self.hash ^= u64::from(*byte);
            self.hash = self.hash.wrapping_mul(PRIME);
        }
    }

    /// Add an identity-bearing part (ignored when a key was given).
    pub(crate) fn with(mut self, part: impl AsRef<str>) -> IdBuilder {
        if !self.keyed {
            self.write(part.as_ref().as_bytes());
        }
        self
    }

    /// Add a number part (ignored when a key was given).
    pub(crate) fn with_f64(mut self, part: f64) -> IdBuilder {
        if !self.keyed {
            self.write(&part.to_bits().to_le_bytes());
        }
        self
    }

    /// The id: `w` and 16 hex digits.
    pub(crate) fn finish(self) -> WidgetId {
        format!("w{:016x}", self.hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_depend_on_kind_label_and_options_or_key_alone() {
        let a = IdBuilder::new("button", None).with("Go").finish();
        assert_eq!(a, IdBuilder::new("button", None).with("Go").finish());
        assert_ne!(a, IdBuilder::new("checkbox", None).with("Go").finish());
        assert_ne!(a, IdBuilder::new("button", None).with("Stop").finish());
        let keyed = IdBuilder::new("button", Some("k")).with("Go").finish();
        assert_eq!(
            keyed,
            IdBuilder::new("button", Some("k"))
                .with("Other label")
                .finish()
        );
        assert_ne!(keyed, a);
        // Length prefixes keep ("ab","c") and ("a","bc") apart.
        assert_ne!(
            IdBuilder::new("x", None).with("ab").with("c").finish(),
            IdBuilder::new("x", None).with("a").with("bc").finish()
        );
        assert_eq!(a.len(), 17);
    }
}
