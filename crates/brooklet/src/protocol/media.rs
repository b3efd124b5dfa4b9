//! Files in and out on the wire: images, audio, video, PDFs and the logo
//! (shown), and what the upload widgets hold.
//!
//! Bytes never ride inside these elements. Each names a URL: a same-origin
//! `/_brooklet/media/…` path into the app-wide payload store (or a
//! `/_brooklet/download/…` path for downloads made when clicked), or an
//! `http(s)://` URL the app gave. Uploads travel the other way over HTTP
//! (`PUT` to the widget's `upload_url`); the widget's value is the list of
//! [`UploadedFileRef`]s the server answered with.

use serde::{Deserialize, Serialize};

/// One picture of an [`ImageElement`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ImageItem {
    /// Where the browser loads it.
    pub url: String,
    /// Plain text under it.
    #[serde(default)]
    pub caption: Option<String>,
    /// Text for screen readers.
    #[serde(default)]
    pub alt: String,
}

/// One or more pictures in a row (`ui.image`, `Image::row`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ImageElement {
    /// The pictures, left to right (wrapping on narrow screens).
    pub images: Vec<ImageItem>,
    /// Each picture's width in CSS pixels; `None` is its own size, never
    /// wider than its container.
    #[serde(default)]
    pub width: Option<u32>,
    /// Each picture as wide as its slot of the row.
    #[serde(default)]
    pub use_container_width: bool,
}

/// A subtitle track of a video (WebVTT).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Subtitle {
    /// Its name in the player's menu ("English").
    pub label: String,
    /// Its language tag ("en"), if known.
    #[serde(default)]
    pub lang: Option<String>,
    /// Where the browser loads the WebVTT text.
    pub url: String,
    /// Shown when the video starts.
    #[serde(default)]
    pub default: bool,
}

/// An audio or video player ([`Element::Audio`](super::Element::Audio),
/// [`Element::Video`](super::Element::Video)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MediaPlayer {
    /// Where the browser loads the media (with range requests, to seek).
    pub url: String,
    /// Its MIME type (`audio/wav`, `video/webm`, …).
    pub mime: String,
    /// Where playback starts, in seconds.
    #[serde(default)]
    pub start_time: f64,
    /// Where playback stops (or loops back), in seconds.
    #[serde(default)]
    pub end_time: Option<f64>,
    /// Start again at `start_time` when it ends.
    #[serde(default, rename = "loop")]
    pub looping: bool,
    /// Start playing when shown (videos are then muted: browsers refuse
    /// to autoplay sound).
    #[serde(default)]
    pub autoplay: bool,
    /// Start without sound.
    #[serde(default)]
    pub muted: bool,
    /// Video only: width in CSS pixels (`None`: the container's).
    #[serde(default)]
    pub width: Option<u32>,
    /// Video only: subtitle tracks.
    #[serde(default)]
    pub subtitles: Vec<Subtitle>,
}

/// A PDF shown inline by the browser's viewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PdfElement {
    /// Where the browser loads it.
    pub url: String,
    /// Height of the viewer in pixels.
    pub height: u32,
    /// Its title (the file name, when known).
    pub title: String,
}

/// How tall the logo is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LogoSize {
    /// 20 pixels.
    Small,
    /// 24 pixels.
    #[default]
    Medium,
    /// 32 pixels.
    Large,
}

/// The app's logo, at the top of the sidebar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LogoElement {
    /// Where the browser loads it.
    pub url: String,
    /// Where a click on it leads (opened in a new tab).
    #[serde(default)]
    pub link: Option<String>,
    /// Text for screen readers.
    pub alt: String,
    /// Its height.
    #[serde(default)]
    pub size: LogoSize,
}

/// A file the server holds for an upload widget: what the browser gets
/// back from an upload and sends as (part of) the widget's value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct UploadedFileRef {
    /// The server's id of the file (32 hex digits, random).
    pub file_id: String,
    /// Its name, as the person's browser gave it.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its MIME type, as the browser gave it.
    pub mime: String,
}

impl UploadedFileRef {
    /// A reference (for tests and `AppTest`).
    pub fn new(
        file_id: impl Into<String>,
        name: impl Into<String>,
        size: u64,
        mime: impl Into<String>,
    ) -> UploadedFileRef {
        UploadedFileRef {
            file_id: file_id.into(),
            name: name.into(),
            size,
            mime: mime.into(),
        }
    }
}
