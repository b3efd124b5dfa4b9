//! Media: a picture drawn pixel by pixel, a tone made as WAV bytes, a short
//! video with subtitles, a PDF, and a photo from the camera.
//!
//! `cargo run --example media`, then open http://127.0.0.1:8501. Browsers
//! allow the camera only on secure pages: `http://127.0.0.1` and
//! `http://localhost` count as secure; any other address needs HTTPS.

use brooklet::prelude::*;
use brooklet::ui::elements::Channels;

/// The assets shipped with the examples, found from the crate's folder so
/// that the example runs from any directory.
fn asset(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/assets")
        .join(name)
}

/// A 256×128 gradient, one pixel at a time.
fn gradient() -> Vec<u8> {
    let (width, height) = (256u32, 128u32);
    let mut pixels = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            let red = x as u8;
            let green = (y * 2) as u8;
            let blue = 255 - (x / 2) as u8;
            pixels.extend_from_slice(&[red, green, blue]);
        }
    }
    pixels
}

/// One second of a 440 Hz tone, fading out, as samples.
fn tone() -> Vec<f32> {
    let rate = 22_050;
    (0..rate)
        .map(|i| {
            let t = i as f32 / rate as f32;
            (t * 440.0 * std::f32::consts::TAU).sin() * 0.4 * (1.0 - t)
        })
        .collect()
}

pub fn app(ui: &Ui) {
    ui.title("Media");

    ui.header("An image");
    ui.add(
        Image::from_pixels(256, 128, &gradient(), Channels::Rgb)
            .caption("A gradient drawn pixel by pixel"),
    );

    ui.header("Audio");
    ui.add(Audio::from_samples(&tone(), 22_050, 1));
    ui.caption("A 440 Hz tone, made as WAV bytes");

    ui.header("Video");
    ui.add(Video::new(asset("clip.webm")).subtitles("English", asset("clip.vtt")));
    ui.caption("A short WebM clip");

    ui.header("A PDF");
    ui.add(Pdf::new(asset("sample.pdf")).height(420));

    ui.header("The camera");
    if let Some(photo) = ui.camera_input("Take a photo") {
        match photo.bytes() {
            Ok(bytes) => {
                let caption = match imagesize::blob_size(&bytes) {
                    Ok(size) => format!("Your photo ({}×{})", size.width, size.height),
                    Err(_) => "Your photo".to_owned(),
                };
                ui.add(Image::new(bytes.to_vec()).caption(caption).width(320));
            }
            Err(error) => {
                ui.error(format!("the photo could not be read: {error}"));
            }
        }
    }
}

// Unused when `tests/examples.rs` includes this file for its `app`.
#[allow(dead_code)]
fn main() -> brooklet::Result<()> {
    App::new(app).run()
}
