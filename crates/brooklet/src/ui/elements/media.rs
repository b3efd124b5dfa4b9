//! Images, audio, video, PDFs and the logo.
//!
//! Bytes go to the app-wide payload store (`crate::payload`), never into the
//! element: the element carries a URL, the browser fetches the bytes over
//! HTTP (with range requests, so audio and video seek), and equal bytes
//! have one id, so a rerun that shows the same picture sends nothing new.

use std::panic::Location;
use std::path::{Path, PathBuf};

use super::mime::{self, Family};
use crate::protocol::{
    Element, ImageElement, ImageItem, LogoElement, LogoSize, MediaPlayer, PdfElement, Subtitle,
};
use crate::run::AppError;
use crate::ui::{Drawn, Ui, Widget};

/// Where the bytes of an image, a sound, a video or a PDF come from.
///
/// Made from bytes (`Vec<u8>`, `&[u8]`, `&[u8; N]`), an uploaded file, a
/// path (`&Path`, `PathBuf`), or a string: an `https://` string is a URL
/// the browser loads itself (an `http://` one is refused with a reason:
/// the page loads other sites' media only over HTTPS), SVG markup (`<svg …`) is the picture, any other
/// string a path on the server (as in Streamlit).
/// [`MediaSource::url`] and [`MediaSource::path`] say which explicitly.
///
/// ```
/// use brooklet::ui::elements::MediaSource;
/// let bytes: MediaSource = vec![0x89, b'P', b'N', b'G'].into();
/// let file: MediaSource = "examples/assets/clip.webm".into();
/// let web: MediaSource = "https://example.com/cat.png".into();
/// assert!(matches!(web, MediaSource::Url(_)));
/// # let _ = (bytes, file);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum MediaSource {
    /// The bytes themselves (any of the family's formats; the type is read
    /// from their first bytes).
    Bytes(Vec<u8>),
    /// A file on the server, read when the element is drawn.
    Path(PathBuf),
    /// An `https://` URL the browser loads (`http://` URLs are refused
    /// when the element is drawn).
    Url(String),
}

impl MediaSource {
    /// An `https://` URL the browser loads.
    pub fn url(url: impl Into<String>) -> MediaSource {
        MediaSource::Url(url.into())
    }
    /// A file on the server.
    pub fn path(path: impl Into<PathBuf>) -> MediaSource {
        MediaSource::Path(path.into())
    }
}

impl From<Vec<u8>> for MediaSource {
    fn from(bytes: Vec<u8>) -> MediaSource {
        MediaSource::Bytes(bytes)
    }
}
impl From<&[u8]> for MediaSource {
    fn from(bytes: &[u8]) -> MediaSource {
        MediaSource::Bytes(bytes.to_vec())
    }
}
impl From<&Vec<u8>> for MediaSource {
    fn from(bytes: &Vec<u8>) -> MediaSource {
        MediaSource::Bytes(bytes.clone())
    }
}
impl<const N: usize> From<&[u8; N]> for MediaSource {
    fn from(bytes: &[u8; N]) -> MediaSource {
        MediaSource::Bytes(bytes.to_vec())
    }
}
impl From<&Path> for MediaSource {
    fn from(path: &Path) -> MediaSource {
        MediaSource::Path(path.to_owned())
    }
}
impl From<PathBuf> for MediaSource {
    fn from(path: PathBuf) -> MediaSource {
        MediaSource::Path(path)
    }
}
impl From<&str> for MediaSource {
    fn from(text: &str) -> MediaSource {
        MediaSource::from(text.to_owned())
    }
}
impl From<String> for MediaSource {
    fn from(text: String) -> MediaSource {
        if is_web_url(&text) {
            MediaSource::Url(text)
        } else if is_svg_markup(&text) {
            MediaSource::Bytes(text.into_bytes())
        } else {
            MediaSource::Path(PathBuf::from(text))
        }
    }
}
/// An uploaded file's bytes (read from its temporary file when it has
/// one; a file that cannot be read shows as an empty-source error).
impl From<&crate::uploads::UploadedFile> for MediaSource {
    fn from(file: &crate::uploads::UploadedFile) -> MediaSource {
        MediaSource::Bytes(file.bytes().map(|b| b.to_vec()).unwrap_or_default())
    }
}

/// A string that is an SVG document itself (`<svg …`, or an XML
/// declaration first), as Streamlit's `st.image` takes.
fn is_svg_markup(text: &str) -> bool {
    let start = text.trim_start();
    start.starts_with("<svg") || (start.starts_with("<?xml") && text.contains("<svg"))
}

fn is_web_url(text: &str) -> bool {
    let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// What a media element needs of a source: a URL and its MIME type.
struct Resolved {
    url: String,
    mime: String,
}

/// Store the source's bytes (or check its URL) for `ui`'s page.
fn resolve(
    ui: &Ui,
    source: MediaSource,
    family: Family,
    what: &str,
) -> Result<Option<Resolved>, String> {
    resolve_as(ui, source, family, what, None)
}

/// As [`resolve`], with the type the app declared (`Audio::format`) for
/// bytes whose first bytes do not say.
fn resolve_as(
    ui: &Ui,
    source: MediaSource,
    family: Family,
    what: &str,
    declared: Option<&str>,
) -> Result<Option<Resolved>, String> {
    let (bytes, name) = match source {
        MediaSource::Url(url) => {
            if !is_web_url(&url) || url.chars().any(char::is_control) {
                return Err(format!("`{url}` is not an http(s) URL"));
            }
            if !url
                .get(..8)
                .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
            {
                return Err(format!(
                    "`{url}` is not loaded over HTTPS; the page loads pictures and media \
                     from other sites only over HTTPS (or pass the bytes)"
                ));
            }
            let mime = mime::from_extension(
                Path::new(url.split(['?', '#']).next().unwrap_or("")),
                family,
            )
            .unwrap_or("");
            return Ok(Some(Resolved {
                url,
                mime: mime.to_owned(),
            }));
        }
        MediaSource::Bytes(bytes) => (bytes, None),
        MediaSource::Path(path) => match std::fs::read(&path) {
            Ok(bytes) => (bytes, Some(path)),
            Err(error) => return Err(format!("cannot read `{}`: {error}", path.display())),
        },
    };
    if bytes.is_empty() {
        return Err(format!("the {what} is empty (0 bytes)"));
    }
    let content_type = mime::sniff(&bytes, family)
        .or_else(|| {
            name.as_deref()
                .and_then(|n| mime::from_extension(n, family))
        })
        .or_else(|| declared.and_then(|d| mime::in_family(d, family)))
        .ok_or_else(|| format!("these bytes are not {}", formats(family)))?;
    store(ui, bytes, content_type).map(|url| {
        url.map(|url| Resolved {
            url,
            mime: content_type.to_owned(),
        })
    })
}

/// Put `bytes` in the payload store; the URL, or `None` when the run has
/// ended.
fn store(ui: &Ui, bytes: Vec<u8>, content_type: &'static str) -> Result<Option<String>, String> {
    ui.put_payload(bytes, content_type)
        .map(|reference| reference.map(|r| r.url))
        .map_err(|error| error.to_string())
}

fn formats(family: Family) -> &'static str {
    match family {
        Family::Image => "an image (PNG, JPEG, GIF, WebP, AVIF, BMP, ICO or SVG)",
        Family::Audio => "audio (WAV, MP3, OGG, FLAC, WebM or MP4)",
        Family::Video => "a video (WebM, MP4 or OGG)",
        Family::Pdf => "a PDF (it must start with %PDF-)",
    }
}

impl Ui {
    /// An image from bytes (PNG, JPEG, GIF, WebP, SVG…), a path on the
    /// server or an `https` URL. [`Image`] adds a caption, a width, and
    /// several images in a row.
    ///
    /// ```
    /// use brooklet::prelude::*;
    ///
    /// const PNG: &[u8] = include_bytes!("../../../tests/data/dot.png");
    /// fn app(ui: &Ui) {
    ///     ui.image(PNG);
    ///     ui.add(Image::new(PNG).caption("A dot").width(64));
    /// }
    /// # let mut at = brooklet::testing::AppTest::new(app);
    /// # at.run().unwrap();
    /// # assert_eq!(at.image(1).images[0].caption.as_deref(), Some("A dot"));
    /// ```
    #[track_caller]
    pub fn image(&self, source: impl Into<MediaSource>) -> Drawn {
        self.add(Image::new(source).located(Location::caller()))
    }

    /// An audio player for bytes (WAV, MP3, OGG, FLAC, WebM, MP4), a path
    /// or a URL. [`Audio`] adds a start and end time, looping, autoplay,
    /// and sound made from samples ([`Audio::from_samples`]).
    #[track_caller]
    pub fn audio(&self, source: impl Into<MediaSource>) -> Drawn {
        self.add(Audio::new(source).located(Location::caller()))
    }

    /// A video player for bytes (WebM, MP4, OGG), a path or a URL.
    /// [`Video`] adds subtitles, a start and end time, looping, autoplay.
    #[track_caller]
    pub fn video(&self, source: impl Into<MediaSource>) -> Drawn {
        self.add(Video::new(source).located(Location::caller()))
    }

    /// A PDF (bytes or a path) shown inline by the browser's viewer, with
    /// a link to open it in a tab. [`Pdf`] sets the height and the name.
    #[track_caller]
    pub fn pdf(&self, source: impl Into<MediaSource>) -> Drawn {
        self.add(Pdf::new(source).located(Location::caller()))
    }

    /// The app's logo at the top of the sidebar, wherever the run calls
    /// it. [`Logo`] adds a link and a size.
    #[track_caller]
    pub fn logo(&self, source: impl Into<MediaSource>) -> Drawn {
        self.add(Logo::new(source).located(Location::caller()))
    }
}

/// One or more images in a row, each with an optional caption.
///
/// ```
/// use brooklet::prelude::*;
///
/// const PNG: &[u8] = include_bytes!("../../../tests/data/dot.png");
/// fn app(ui: &Ui) {
///     ui.add(
///         Image::row([PNG, PNG, PNG])
///             .captions(["one", "two", "three"])
///             .width(80),
///     );
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # assert_eq!(at.image(0).images.len(), 3);
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Image {
    sources: Vec<(MediaSource, Option<String>)>,
    width: Option<u32>,
    use_container_width: bool,
    alt: Option<String>,
    /// A mistake found while building it (a pixel buffer of the wrong size).
    error: Option<String>,
    location: Option<&'static Location<'static>>,
}

impl Image {
    /// One image.
    #[track_caller]
    pub fn new(source: impl Into<MediaSource>) -> Image {
        Image::row([source])
    }
    /// Several images, left to right (wrapping on narrow screens).
    #[track_caller]
    pub fn row<S: Into<MediaSource>>(sources: impl IntoIterator<Item = S>) -> Image {
        Image {
            sources: sources.into_iter().map(|s| (s.into(), None)).collect(),
            width: None,
            use_container_width: false,
            alt: None,
            error: None,
            location: Some(Location::caller()),
        }
    }
    /// Plain text under the (first) image.
    pub fn caption(mut self, caption: impl Into<String>) -> Image {
        if let Some(first) = self.sources.first_mut() {
            first.1 = Some(caption.into());
        }
        self
    }
    /// Plain text under each image, in order.
    pub fn captions<C: Into<String>>(mut self, captions: impl IntoIterator<Item = C>) -> Image {
        for (slot, caption) in self.sources.iter_mut().zip(captions) {
            slot.1 = Some(caption.into());
        }
        self
    }
    /// Each image's width in pixels (default: its own, never wider than
    /// the container).
    pub fn width(mut self, width: u32) -> Image {
        self.width = Some(width);
        self
    }
    /// Each image as wide as its container (its slot of the row).
    pub fn use_container_width(mut self, fill: bool) -> Image {
        self.use_container_width = fill;
        self
    }
    /// Text for screen readers (default: the caption, or "Image").
    pub fn alt(mut self, alt: impl Into<String>) -> Image {
        self.alt = Some(alt.into());
        self
    }
    fn located(mut self, location: &'static Location<'static>) -> Image {
        self.location = Some(location);
        self
    }
}

impl Widget for Image {
    type Output = Drawn;
    fn add_to(self, ui: &Ui) -> Drawn {
        let location = self.location.unwrap_or(Location::caller());
        if let Some(error) = self.error {
            ui.show_error(&AppError::located(format!("image: {error}"), location));
            return Drawn::from(None);
        }
        if self.sources.is_empty() {
            ui.show_error(&AppError::located(
                "image: no images given".to_owned(),
                location,
            ));
            return Drawn::from(None);
        }
        let mut images = Vec::with_capacity(self.sources.len());
        for (index, (source, caption)) in self.sources.into_iter().enumerate() {
            match resolve(ui, source, Family::Image, "image") {
                Ok(Some(resolved)) => images.push(ImageItem {
                    url: resolved.url,
                    alt: self
                        .alt
                        .clone()
                        .or_else(|| caption.clone())
                        .unwrap_or_else(|| "Image".to_owned()),
                    caption,
                }),
                Ok(None) => return Drawn::from(None),
                Err(message) => {
                    let which = if images.capacity() > 1 {
                        format!("image {}: ", index + 1)
                    } else {
                        "image: ".to_owned()
                    };
                    ui.show_error(&AppError::located(which + &message, location));
                    return Drawn::from(None);
                }
            }
        }
        ui.draw(Element::Image(Box::new(ImageElement {
            images,
            width: self.width,
            use_container_width: self.use_container_width,
        })))
        .into()
    }
}

/// Options an audio and a video player share.
#[derive(Debug, Clone)]
struct Playback {
    source: MediaSource,
    format: Option<String>,
    start_time: f64,
    end_time: Option<f64>,
    looping: bool,
    autoplay: bool,
    location: Option<&'static Location<'static>>,
}

impl Playback {
    fn new(source: MediaSource, location: &'static Location<'static>) -> Playback {
        Playback {
            source,
            format: None,
            start_time: 0.0,
            end_time: None,
            looping: false,
            autoplay: false,
            location: Some(location),
        }
    }

    /// Check the times and store the source; the player element's start.
    fn player(self, ui: &Ui, family: Family, what: &str) -> Result<Option<MediaPlayer>, String> {
        if !self.start_time.is_finite() || self.start_time < 0.0 {
            return Err(format!(
                "start_time must be a number of seconds ≥ 0, not {}",
                self.start_time
            ));
        }
        if let Some(end) = self.end_time {
            if !end.is_finite() || end <= self.start_time {
                return Err(format!(
                    "end_time ({end}) must be after start_time ({})",
                    self.start_time
                ));
            }
        }
        let declared = self.format.as_deref();
        let Some(resolved) = resolve_as(ui, self.source, family, what, declared)? else {
            return Ok(None);
        };
        Ok(Some(MediaPlayer {
            url: resolved.url,
            mime: self.format.unwrap_or(resolved.mime),
            start_time: self.start_time,
            end_time: self.end_time,
            looping: self.looping,
            autoplay: self.autoplay,
            muted: false,
            width: None,
            subtitles: Vec::new(),
        }))
    }
}

/// The builder methods audio and video share.
macro_rules! playback_options {
    ($($ty:ident),*) => {$(
        impl $ty {
            /// The MIME type, when the bytes or the URL do not say
            /// (`"audio/ogg"`, `"video/mp4"`).
            pub fn format(mut self, mime: impl Into<String>) -> $ty {
                self.playback.format = Some(mime.into());
                self
            }
            /// Start playing at this many seconds.
            pub fn start_time(mut self, seconds: f64) -> $ty {
                self.playback.start_time = seconds;
                self
            }
            /// Stop (or loop back) at this many seconds.
            pub fn end_time(mut self, seconds: f64) -> $ty {
                self.playback.end_time = Some(seconds);
                self
            }
            /// Play again from the start time when it ends.
            pub fn looping(mut self, looping: bool) -> $ty {
                self.playback.looping = looping;
                self
            }
            /// Start playing when shown. Browsers play only muted media
            /// by themselves: an autoplaying video is muted, and audio may
            /// wait for the person's first click on the page.
            pub fn autoplay(mut self, autoplay: bool) -> $ty {
                self.playback.autoplay = autoplay;
                self
            }
            fn located(mut self, location: &'static Location<'static>) -> $ty {
                self.playback.location = Some(location);
                self
            }
        }
    )*};
}

/// An audio player.
///
/// ```
/// use brooklet::prelude::*;
///
/// fn app(ui: &Ui) {
///     // One second of a 440 Hz tone, made here.
///     let rate = 8_000;
///     let tone: Vec<f32> = (0..rate)
///         .map(|i| (i as f32 * 440.0 * std::f32::consts::TAU / rate as f32).sin() * 0.3)
///         .collect();
///     ui.add(Audio::from_samples(&tone, rate, 1).looping(true));
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # assert_eq!(at.audio(0).mime, "audio/wav");
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Audio {
    playback: Playback,
}

impl Audio {
    /// A player for bytes, a path or a URL.
    #[track_caller]
    pub fn new(source: impl Into<MediaSource>) -> Audio {
        Audio {
            playback: Playback::new(source.into(), Location::caller()),
        }
    }

    /// A player for sound given as samples in `-1.0..=1.0`, interleaved
    /// when there are several `channels`, at `sample_rate` per second
    /// (encoded as 16-bit WAV; samples outside the range are clipped).
    #[track_caller]
    pub fn from_samples(samples: &[f32], sample_rate: u32, channels: u16) -> Audio {
        Audio::new(wav_bytes(samples, sample_rate, channels.max(1)))
    }
}

/// 16-bit PCM WAV: a 44-byte header, then the samples.
fn wav_bytes(samples: &[f32], sample_rate: u32, channels: u16) -> Vec<u8> {
    let data_len = u32::try_from(samples.len() * 2).unwrap_or(u32::MAX - 36);
    let block_align = channels * 2;
    let mut out = Vec::with_capacity(44 + samples.len() * 2);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes()); // fmt chunk size
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&channels.to_le_bytes());
    out.extend_from_slice(&sample_rate.to_le_bytes());
    out.extend_from_slice(&(sample_rate * u32::from(block_align)).to_le_bytes());
    out.extend_from_slice(&block_align.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes()); // bits per sample
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for sample in samples.iter().take(data_len as usize / 2) {
        let clipped = if sample.is_nan() {
            0.0
        } else {
            sample.clamp(-1.0, 1.0)
        };
        out.extend_from_slice(&((clipped * 32767.0).round() as i16).to_le_bytes());
    }
    out
}

impl Widget for Audio {
    type Output = Drawn;
    fn add_to(self, ui: &Ui) -> Drawn {
        let location = self.playback.location.unwrap_or(Location::caller());
        match self.playback.player(ui, Family::Audio, "audio") {
            Ok(Some(player)) => ui.draw(Element::Audio(Box::new(player))).into(),
            Ok(None) => Drawn::from(None),
            Err(message) => {
                ui.show_error(&AppError::located(format!("audio: {message}"), location));
                Drawn::from(None)
            }
        }
    }
}

/// A video player, with subtitles.
///
/// ```no_run
/// use brooklet::prelude::*;
///
/// fn app(ui: &Ui) {
///     ui.add(
///         Video::new("examples/assets/clip.webm")
///             .subtitles("English", "WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n")
///             .start_time(0.5)
///             .looping(true),
///     );
/// }
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Video {
    playback: Playback,
    width: Option<u32>,
    muted: bool,
    subtitles: Vec<(String, SubtitleText)>,
}

/// The text of a subtitle track: WebVTT text (a string starting with
/// `WEBVTT`) or a `.vtt` file (any other string, or a path).
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum SubtitleText {
    /// The WebVTT text (it starts with `WEBVTT`).
    Text(String),
    /// A `.vtt` file on the server.
    Path(PathBuf),
}

/// A string that starts with `WEBVTT` is the text itself; any other
/// string is the path of a `.vtt` file (as a string is a path for media).
fn is_webvtt(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with("WEBVTT")
}
impl From<&str> for SubtitleText {
    fn from(text: &str) -> SubtitleText {
        if is_webvtt(text) {
            SubtitleText::Text(text.to_owned())
        } else {
            SubtitleText::Path(PathBuf::from(text))
        }
    }
}
impl From<String> for SubtitleText {
    fn from(text: String) -> SubtitleText {
        if is_webvtt(&text) {
            SubtitleText::Text(text)
        } else {
            SubtitleText::Path(PathBuf::from(text))
        }
    }
}
impl From<&Path> for SubtitleText {
    fn from(path: &Path) -> SubtitleText {
        SubtitleText::Path(path.to_owned())
    }
}
impl From<PathBuf> for SubtitleText {
    fn from(path: PathBuf) -> SubtitleText {
        SubtitleText::Path(path)
    }
}

impl Video {
    /// A player for bytes, a path or a URL.
    #[track_caller]
    pub fn new(source: impl Into<MediaSource>) -> Video {
        Video {
            playback: Playback::new(source.into(), Location::caller()),
            width: None,
            muted: false,
            subtitles: Vec::new(),
        }
    }
    /// A subtitle track named `label` ("English"), from WebVTT text or a
    /// `.vtt` file. The first track shows by default.
    pub fn subtitles(mut self, label: impl Into<String>, text: impl Into<SubtitleText>) -> Video {
        self.subtitles.push((label.into(), text.into()));
        self
    }
    /// Width in pixels (default: the container's).
    pub fn width(mut self, width: u32) -> Video {
        self.width = Some(width);
        self
    }
    /// Start without sound.
    pub fn muted(mut self, muted: bool) -> Video {
        self.muted = muted;
        self
    }
}

playback_options!(Audio, Video);

impl Widget for Video {
    type Output = Drawn;
    fn add_to(self, ui: &Ui) -> Drawn {
        let location = self.playback.location.unwrap_or(Location::caller());
        let fail = |message: String| {
            ui.show_error(&AppError::located(format!("video: {message}"), location));
            Drawn::from(None)
        };
        let mut tracks = Vec::with_capacity(self.subtitles.len());
        for (index, (label, text)) in self.subtitles.into_iter().enumerate() {
            let text = match text {
                SubtitleText::Text(text) => text,
                SubtitleText::Path(path) => match std::fs::read_to_string(&path) {
                    Ok(text) => text,
                    Err(error) => {
                        return fail(format!(
                            "cannot read subtitles `{}`: {error}",
                            path.display()
                        ))
                    }
                },
            };
            if !is_webvtt(&text) {
                return fail(format!(
                    "subtitles `{label}` are not WebVTT (the text must start with `WEBVTT`)"
                ));
            }
            match store(ui, text.into_bytes(), "text/vtt") {
                Ok(Some(url)) => tracks.push(Subtitle {
                    lang: None,
                    url,
                    default: index == 0,
                    label,
                }),
                Ok(None) => return Drawn::from(None),
                Err(message) => return fail(message),
            }
        }
        let autoplay = self.playback.autoplay;
        match self.playback.player(ui, Family::Video, "video") {
            Ok(Some(mut player)) => {
                player.width = self.width;
                // Browsers refuse to start a video with sound by itself.
                player.muted = self.muted || autoplay;
                player.subtitles = tracks;
                ui.draw(Element::Video(Box::new(player))).into()
            }
            Ok(None) => Drawn::from(None),
            Err(message) => fail(message),
        }
    }
}

/// A PDF shown inline.
///
/// ```no_run
/// use brooklet::prelude::*;
///
/// fn app(ui: &Ui) {
///     ui.add(Pdf::new("report.pdf").height(800));
/// }
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Pdf {
    source: MediaSource,
    height: u32,
    title: Option<String>,
    location: Option<&'static Location<'static>>,
}

impl Pdf {
    /// A PDF from bytes or a path (the page frames only its own origin, so
    /// not a URL: fetch it and pass the bytes).
    #[track_caller]
    pub fn new(source: impl Into<MediaSource>) -> Pdf {
        Pdf {
            source: source.into(),
            height: 600,
            title: None,
            location: Some(Location::caller()),
        }
    }
    /// Height of the viewer in pixels (default 600).
    pub fn height(mut self, height: u32) -> Pdf {
        self.height = height;
        self
    }
    /// Its title (default: the file name, or "PDF").
    pub fn title(mut self, title: impl Into<String>) -> Pdf {
        self.title = Some(title.into());
        self
    }
    fn located(mut self, location: &'static Location<'static>) -> Pdf {
        self.location = Some(location);
        self
    }
}

impl Widget for Pdf {
    type Output = Drawn;
    fn add_to(self, ui: &Ui) -> Drawn {
        let location = self.location.unwrap_or(Location::caller());
        let title = self.title.clone().unwrap_or_else(|| match &self.source {
            MediaSource::Path(path) => path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "PDF".to_owned()),
            _ => "PDF".to_owned(),
        });
        if let MediaSource::Url(url) = &self.source {
            let message = format!(
                "pdf: `{url}` is a URL; the page frames only its own origin, so fetch the PDF \
                 and pass its bytes"
            );
            ui.show_error(&AppError::located(message, location));
            return Drawn::from(None);
        }
        match resolve(ui, self.source, Family::Pdf, "PDF") {
            Ok(Some(resolved)) => ui
                .draw(Element::Pdf(Box::new(PdfElement {
                    url: resolved.url,
                    height: self.height.clamp(100, 10_000),
                    title,
                })))
                .into(),
            Ok(None) => Drawn::from(None),
            Err(message) => {
                ui.show_error(&AppError::located(format!("pdf: {message}"), location));
                Drawn::from(None)
            }
        }
    }
}

/// The app's logo, at the top of the sidebar.
///
/// ```
/// use brooklet::prelude::*;
/// use brooklet::protocol::LogoSize;
///
/// const PNG: &[u8] = include_bytes!("../../../tests/data/dot.png");
/// fn app(ui: &Ui) {
///     ui.add(Logo::new(PNG).link("https://example.com").size(LogoSize::Large));
///     ui.title("Home");
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # assert_eq!(at.logo().link.as_deref(), Some("https://example.com"));
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Logo {
    source: MediaSource,
    link: Option<String>,
    size: LogoSize,
    alt: String,
    location: Option<&'static Location<'static>>,
}

impl Logo {
    /// A logo from bytes, a path or a URL.
    #[track_caller]
    pub fn new(source: impl Into<MediaSource>) -> Logo {
        Logo {
            source: source.into(),
            link: None,
            size: LogoSize::Medium,
            alt: "Logo".to_owned(),
            location: Some(Location::caller()),
        }
    }
    /// Where a click on it leads (an `http(s)` URL, opened in a new tab).
    pub fn link(mut self, url: impl Into<String>) -> Logo {
        self.link = Some(url.into());
        self
    }
    /// How tall it is.
    pub fn size(mut self, size: LogoSize) -> Logo {
        self.size = size;
        self
    }
    /// Text for screen readers (default "Logo").
    pub fn alt(mut self, alt: impl Into<String>) -> Logo {
        self.alt = alt.into();
        self
    }
    fn located(mut self, location: &'static Location<'static>) -> Logo {
        self.location = Some(location);
        self
    }
}

impl Widget for Logo {
    type Output = Drawn;
    fn add_to(self, ui: &Ui) -> Drawn {
        let location = self.location.unwrap_or(Location::caller());
        if let Some(link) = &self.link {
            if !is_web_url(link) {
                ui.show_error(&AppError::located(
                    format!("logo: the link `{link}` is not an http(s) URL"),
                    location,
                ));
                return Drawn::from(None);
            }
        }
        match resolve(ui, self.source, Family::Image, "logo") {
            Ok(Some(resolved)) => ui
                .sidebar()
                .draw(Element::Logo(Box::new(LogoElement {
                    url: resolved.url,
                    link: self.link,
                    alt: self.alt,
                    size: self.size,
                })))
                .into(),
            Ok(None) => Drawn::from(None),
            Err(message) => {
                ui.show_error(&AppError::located(format!("logo: {message}"), location));
                Drawn::from(None)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_urls_or_paths() {
        assert!(matches!(
            MediaSource::from("HTTPS://x/y.png"),
            MediaSource::Url(_)
        ));
        assert!(matches!(
            MediaSource::from("img/y.png"),
            MediaSource::Path(_)
        ));
        assert!(matches!(
            MediaSource::from("javascript:alert(1)"),
            MediaSource::Path(_)
        ));
    }

    #[test]
    fn wav_header_and_clipping() {
        let wav = wav_bytes(&[0.0, 2.0, -2.0, f32::NAN], 8000, 1);
        assert_eq!(&wav[..4], b"RIFF");
        assert_eq!(&wav[8..16], b"WAVEfmt ");
        assert_eq!(wav.len(), 44 + 8);
        assert_eq!(u32::from_le_bytes([wav[40], wav[41], wav[42], wav[43]]), 8);
        let samples: Vec<i16> = wav[44..]
            .chunks(2)
            .map(|c| i16::from_le_bytes([c[0], c[1]]))
            .collect();
        assert_eq!(samples, vec![0, 32767, -32767, 0]);
        assert_eq!(mime::sniff(&wav, Family::Audio), Some("audio/wav"));
    }
}

/// How the values of a raw pixel buffer are laid out (feature `image`).
#[cfg(feature = "image")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Channels {
    /// One value per pixel: grey.
    Gray,
    /// Red, green, blue.
    Rgb,
    /// Red, green, blue, alpha.
    Rgba,
    /// Blue, green, red (OpenCV's order).
    Bgr,
    /// Blue, green, red, alpha.
    Bgra,
}

#[cfg(feature = "image")]
impl Channels {
    fn count(self) -> usize {
        match self {
            Channels::Gray => 1,
            Channels::Rgb | Channels::Bgr => 3,
            Channels::Rgba | Channels::Bgra => 4,
        }
    }
}

#[cfg(feature = "image")]
impl Image {
    /// An image of raw 8-bit pixels, row by row (`width × height ×
    /// channels` values), encoded as PNG on the server.
    ///
    /// ```
    /// use brooklet::prelude::*;
    /// use brooklet::ui::elements::Channels;
    ///
    /// fn app(ui: &Ui) {
    ///     let (w, h) = (64u32, 32u32);
    ///     let pixels: Vec<u8> = (0..h)
    ///         .flat_map(|y| (0..w).flat_map(move |x| [(x * 4) as u8, (y * 8) as u8, 128]))
    ///         .collect();
    ///     ui.add(Image::from_pixels(w, h, &pixels, Channels::Rgb).caption("A gradient"));
    /// }
    /// # let mut at = brooklet::testing::AppTest::new(app);
    /// # at.run().unwrap();
    /// # assert_eq!(at.image(0).images[0].caption.as_deref(), Some("A gradient"));
    /// ```
    #[track_caller]
    pub fn from_pixels(width: u32, height: u32, pixels: &[u8], channels: Channels) -> Image {
        Image::of_pixels(pixels_source(width, height, pixels.to_vec(), channels))
    }

    #[track_caller]
    fn of_pixels(source: Result<MediaSource, String>) -> Image {
        match source {
            Ok(source) => Image::new(source),
            Err(error) => {
                let mut image = Image::row(Vec::<MediaSource>::new());
                image.error = Some(error);
                image
            }
        }
    }

    /// An image of raw float pixels in `0.0..=1.0` (as Streamlit takes
    /// float arrays). With `clamp`, values outside are clipped; without, they
    /// are an error shown in the image's place.
    #[track_caller]
    pub fn from_pixels_f32(
        width: u32,
        height: u32,
        pixels: &[f32],
        channels: Channels,
        clamp: bool,
    ) -> Image {
        let out_of_range = pixels.iter().position(|v| !(0.0..=1.0).contains(v));
        match out_of_range {
            Some(i) if !clamp => Image::of_pixels(Err(format!(
                "pixel value {} at index {i} is outside 0.0..=1.0 (set clamp to clip it)",
                pixels[i]
            ))),
            _ => {
                let bytes = pixels
                    .iter()
                    .map(|v| {
                        (if v.is_nan() { 0.0 } else { v.clamp(0.0, 1.0) } * 255.0).round() as u8
                    })
                    .collect();
                Image::of_pixels(pixels_source(width, height, bytes, channels))
            }
        }
    }

    /// An image of the `image` crate, encoded as PNG on the server.
    #[track_caller]
    pub fn from_dynamic(image: &image::DynamicImage) -> Image {
        let rgba = image.to_rgba8();
        let (w, h) = rgba.dimensions();
        Image::of_pixels(pixels_source(w, h, rgba.into_raw(), Channels::Rgba))
    }
}

/// PNG bytes of a pixel buffer, or what is wrong with it.
#[cfg(feature = "image")]
fn pixels_source(
    width: u32,
    height: u32,
    mut pixels: Vec<u8>,
    channels: Channels,
) -> Result<MediaSource, String> {
    use image::ImageEncoder;
    let expected = width as usize * height as usize * channels.count();
    if pixels.len() != expected || width == 0 || height == 0 {
        return Err(format!(
            "{} values for a {width}×{height} image of {channels:?} pixels, which takes {expected}",
            pixels.len()
        ));
    }
    if matches!(channels, Channels::Bgr | Channels::Bgra) {
        for px in pixels.chunks_exact_mut(channels.count()) {
            px.swap(0, 2);
        }
    }
    let color = match channels {
        Channels::Gray => image::ExtendedColorType::L8,
        Channels::Rgb | Channels::Bgr => image::ExtendedColorType::Rgb8,
        Channels::Rgba | Channels::Bgra => image::ExtendedColorType::Rgba8,
    };
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(&pixels, width, height, color)
        .map_err(|e| format!("the pixels could not be encoded: {e}"))?;
    Ok(MediaSource::Bytes(png))
}
