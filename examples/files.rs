//! Files in and out: upload a CSV and see its rows, download the rows
//! whose first column is filled in, and see an uploaded picture.
//!
//! `cargo run --example files`, then open http://127.0.0.1:8501.

use brooklet::data::arrow::array::Array;
use brooklet::data::Frame;
use brooklet::prelude::*;

pub fn app(ui: &Ui) {
    ui.title("Files in and out");

    if let Some(file) = ui.file_uploader("Upload a CSV", &["csv"]) {
        show_csv(ui, &file);
    }

    ui.divider();
    let picture = ui.add(
        FileUploader::new("Upload an image")
            .accept(["png", "jpg", "jpeg", "gif", "webp"])
            .max_upload_size_mb(20),
    );
    if let Some(file) = picture {
        show_picture(ui, &file);
    }
}

/// The CSV's size, its rows, and a download of the rows whose first column
/// is not empty.
fn show_csv(ui: &Ui, file: &UploadedFile) {
    let frame = match file.reader().map(Frame::from_csv) {
        Ok(Ok(frame)) => frame,
        Ok(Err(error)) => {
            ui.error(format!("{} is not a CSV I can read: {error}", file.name()));
            return;
        }
        Err(error) => {
            ui.error(format!("{} could not be read: {error}", file.name()));
            return;
        }
    };
    ui.caption(format!(
        "Rows: {}, columns: {}",
        frame.num_rows(),
        frame.num_columns()
    ));
    ui.dataframe(frame.clone());

    // Computed only when the person clicks: the closure owns a handle to
    // the frame (a reference count, not a copy).
    let export = DownloadData::lazy(move || {
        let filled = filled_in(&frame).map_err(std::io::Error::other)?;
        filled.to_csv().map_err(std::io::Error::other)
    });
    let _ = ui.add(
        DownloadButton::new("Download filtered CSV", export)
            .file_name("filtered.csv")
            .help("The rows whose first column is not empty")
            .rerun_on_click(false),
    );
}

/// The rows of `frame` whose first column holds a value (an empty CSV
/// field reads as an empty cell).
fn filled_in(frame: &Frame) -> Result<Frame, brooklet::data::FrameError> {
    let Some(first) = frame.batch().columns().first() else {
        return Ok(frame.clone());
    };
    let keep: Vec<bool> = (0..frame.num_rows())
        .map(|row| first.is_valid(row))
        .collect();
    frame.filter(&keep)
}

/// The uploaded picture, with its size in pixels.
fn show_picture(ui: &Ui, file: &UploadedFile) {
    let bytes = match file.bytes() {
        Ok(bytes) => bytes,
        Err(error) => {
            ui.error(format!("{} could not be read: {error}", file.name()));
            return;
        }
    };
    match imagesize::blob_size(&bytes) {
        Ok(size) => {
            let caption = format!("Your image ({}×{})", size.width, size.height);
            // Its own size, at most the column's width.
            ui.add(Image::new(bytes.to_vec()).caption(caption));
        }
        Err(_) => {
            ui.error(format!("{} is not a picture I can read", file.name()));
        }
    }
}

// Unused when `tests/examples.rs` includes this file for its `app`.
#[allow(dead_code)]
fn main() -> brooklet::Result<()> {
    App::new(app).run()
}
