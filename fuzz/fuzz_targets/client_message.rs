//! Any bytes a client can send as a text frame go through the server's
//! decoder: it must answer with a message or an error, never panic, and a
//! rerun over the limit must keep only values that fit.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        // A small limit exercises the over-limit path too.
        let _ = brooklet::server::decode_client_message(text, 64);
        let _ = brooklet::server::decode_client_message(text, 1 << 20);
    }
});
