//! The files benchmark app: an uploader that takes large files, a download
//! made when clicked (`BROOKLET_EXPORT_BYTES` bytes, default 1 GiB, made as
//! it is read), and a 5 MB image shown on every run with a "Rerun" button.
//! `brooklet-bench files` drives it (see `src/files.rs`).

use std::io::Read;
use std::sync::OnceLock;

use brooklet::prelude::*;

/// A 5 MB "PNG": the PNG signature, then bytes that do not compress.
fn image() -> &'static [u8] {
    static IMAGE: OnceLock<Vec<u8>> = OnceLock::new();
    IMAGE.get_or_init(|| {
        let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        while bytes.len() < 5_000_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            bytes.extend_from_slice(&x.to_le_bytes());
        }
        bytes
    })
}

fn app(ui: &Ui) {
    let file = ui.add(FileUploader::new("Upload").max_upload_size_mb(2048));
    if let Some(file) = file {
        ui.text(format!("Held: {} bytes", file.size()));
    }
    let size: u64 = std::env::var("BROOKLET_EXPORT_BYTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1 << 30);
    let export = DownloadData::stream(move || Ok(std::io::repeat(b'x').take(size)));
    let _ = ui.add(
        DownloadButton::new("Export", export)
            .file_name("export.bin")
            .rerun_on_click(false),
    );
    ui.image(image());
    let _ = ui.button("Rerun");
}

fn main() -> brooklet::Result<()> {
    brooklet::App::new(app).run()
}
