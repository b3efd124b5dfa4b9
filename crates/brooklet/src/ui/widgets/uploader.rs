//! Widgets that take files from the person: the file uploader, the camera
//! input and the audio input.
//!
//! The bytes never travel over the WebSocket. The browser `PUT`s each file
//! to the widget's upload URL (`server/uploads.rs`), gets back a reference
//! (`{file_id, name, size, mime}`), and sends the list of references as the
//! widget's value like any other widget value; so an upload obeys forms
//! (held until submit) and `on_change` callbacks like any widget. The run
//! reads the files the value names from the session's uploads
//! (`crate::uploads`).

use serde_json::Value;

use super::Common;
use crate::protocol::{Element, UploadedFileRef, WidgetBase, WidgetKind};
use crate::ui::{Ui, Widget};
use crate::uploads::{normalise_accept, Rules, UploadedFile};

impl Ui {
    /// A file uploader that takes one file of the given types (extensions
    /// such as `"csv"` or `".csv"`, MIME types such as `"text/csv"` or
    /// `"image/*"`; empty: any file); the file, once the person has
    /// uploaded one. [`FileUploader`] has the options, and takes several
    /// files with [`FileUploader::multiple`].
    ///
    /// ```
    /// use brooklet::prelude::*;
    ///
    /// fn app(ui: &Ui) {
    ///     match ui.file_uploader("Upload a CSV", &["csv"]) {
    ///         Some(file) => ui.text(format!("{}: {} bytes", file.name(), file.size())),
    ///         None => ui.text("no file yet"),
    ///     };
    /// }
    /// # let mut at = brooklet::testing::AppTest::new(app);
    /// # at.run().unwrap();
    /// # assert_eq!(at.text(), vec!["no file yet"]);
    /// # at.file_uploader("Upload a CSV").upload("a.csv", "text/csv", b"1,2").run().unwrap();
    /// # assert_eq!(at.text(), vec!["a.csv: 3 bytes"]);
    /// ```
    pub fn file_uploader(&self, label: impl Into<String>, accept: &[&str]) -> Option<UploadedFile> {
        self.add(FileUploader::new(label).accept(accept.iter().copied()))
    }

    /// A camera input: the person takes a photo (JPEG) with their camera;
    /// the photo, once taken. Browsers allow the camera only on secure
    /// pages (HTTPS, or `localhost`/`127.0.0.1`).
    pub fn camera_input(&self, label: impl Into<String>) -> Option<UploadedFile> {
        self.add(CameraInput::new(label))
    }

    /// An audio input: the person records a clip (WebM/Opus) with their
    /// microphone; the recording, once made. Secure pages only, as for the
    /// camera.
    pub fn audio_input(&self, label: impl Into<String>) -> Option<UploadedFile> {
        self.add(AudioInput::new(label))
    }
}

/// A file uploader: drag and drop or browse, a progress bar per file, a
/// remove button. Its value is the file (or, with
/// [`multiple`](FileUploader::multiple), the files) the person uploaded;
/// it survives reruns until they remove it.
///
/// Options: [`accept`](FileUploader::accept) (types),
/// [`max_upload_size_mb`](FileUploader::max_upload_size_mb) (at most the
/// server's `server.max_upload_mb`, default 200), and `key`, `help`,
/// `disabled`, `on_change`.
///
/// ```
/// use brooklet::prelude::*;
///
/// fn app(ui: &Ui) {
///     let photos = ui.add(
///         FileUploader::new("Photos")
///             .accept(["image/*"])
///             .max_upload_size_mb(20)
///             .multiple(),
///     );
///     ui.text(format!("{} photos", photos.len()));
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # at.file_uploader("Photos").upload("a.png", "image/png", b"x").run().unwrap();
/// # at.file_uploader("Photos").upload("b.png", "image/png", b"y").run().unwrap();
/// # assert_eq!(at.text(), vec!["2 photos"]);
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct FileUploader {
    common: Common,
    accept: Vec<String>,
    max_mb: Option<u64>,
}

impl FileUploader {
    /// An uploader labelled `label`, for one file of any type.
    pub fn new(label: impl Into<String>) -> FileUploader {
        FileUploader {
            common: Common::new(label),
            accept: Vec::new(),
            max_mb: None,
        }
    }
    /// The types it takes: extensions (`"csv"`, `".csv"`) and MIME types
    /// (`"text/csv"`, `"image/*"`). The browser offers only these, and the
    /// server refuses others.
    pub fn accept<S: AsRef<str>>(mut self, types: impl IntoIterator<Item = S>) -> FileUploader {
        self.accept = normalise_accept(types);
        self
    }
    /// The largest file it takes, in MiB (at most `server.max_upload_mb`).
    pub fn max_upload_size_mb(mut self, mb: u64) -> FileUploader {
        self.max_mb = Some(mb.max(1));
        self
    }
    /// Take several files: the value is a `Vec<UploadedFile>`.
    pub fn multiple(self) -> MultiFileUploader {
        MultiFileUploader { inner: self }
    }
}

/// A [`FileUploader`] that takes several files (see
/// [`FileUploader::multiple`]); it has the same options.
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct MultiFileUploader {
    inner: FileUploader,
}

impl MultiFileUploader {
    /// See [`FileUploader::accept`].
    pub fn accept<S: AsRef<str>>(mut self, types: impl IntoIterator<Item = S>) -> Self {
        self.inner = self.inner.accept(types);
        self
    }
    /// See [`FileUploader::max_upload_size_mb`].
    pub fn max_upload_size_mb(mut self, mb: u64) -> Self {
        self.inner = self.inner.max_upload_size_mb(mb);
        self
    }
    /// Identify the widget by this key instead of its label and options.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.inner = self.inner.key(key);
        self
    }
    /// A tooltip shown next to the label.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.inner = self.inner.help(help);
        self
    }
    /// Grey the widget out so it cannot be changed.
    pub fn disabled(mut self, disabled: bool) -> Self {
        self.inner = self.inner.disabled(disabled);
        self
    }
    /// Run `callback` when the person adds or removes a file, before the
    /// rest of the rerun it triggers.
    pub fn on_change<R>(mut self, callback: impl Fn(&Ui) -> R + Send + Sync + 'static) -> Self {
        self.inner = self.inner.on_change(callback);
        self
    }
}

/// The upload-widget kinds, with what differs between them.
#[derive(Debug, Clone, Copy)]
enum Taker {
    Files { multiple: bool },
    Camera,
    Microphone,
}

impl Taker {
    fn kind(self) -> WidgetKind {
        match self {
            Taker::Files { .. } => WidgetKind::FileUploader,
            Taker::Camera => WidgetKind::CameraInput,
            Taker::Microphone => WidgetKind::AudioInput,
        }
    }
}

/// The machinery the three share: the upload URL, the value (file ids)
/// read as files, the element.
fn upload_widget(
    ui: &Ui,
    taker: Taker,
    common: Common,
    accept: Vec<String>,
    max_mb: Option<u64>,
) -> Vec<UploadedFile> {
    let Some(session) = ui.session() else {
        return Vec::new();
    };
    let kind = taker.kind();
    let mut id = common.id(kind);
    if let Taker::Files { multiple } = taker {
        id = id
            .with(accept.join(","))
            .with(if multiple { "many" } else { "one" });
    }
    let id = id.finish();
    let server_max = session.shared().uploads.limits().max_file;
    let max_bytes = max_mb
        .map(|mb| mb.saturating_mul(1 << 20))
        .unwrap_or(server_max)
        .min(server_max);
    // What the server takes: a camera takes pictures, a microphone sound
    // (whatever a scripted client claims).
    let accepted = match taker {
        Taker::Files { .. } => accept.clone(),
        Taker::Camera => vec!["image/*".to_owned()],
        Taker::Microphone => vec!["audio/*".to_owned()],
    };
    let rules = Rules {
        max_bytes,
        accept: accepted,
        multiple: matches!(taker, Taker::Files { multiple: true }),
    };
    // A disabled widget takes nothing: its rules are withdrawn (a run may
    // have drawn it enabled before), so an upload to it is refused like one
    // to a widget the page does not have. Its files stay.
    let upload_url = if common.disabled {
        session.disallow_uploads(&id)
    } else {
        session.allow_uploads(&id, rules)
    };
    ui.run()
        .with_drawn(|drawn| drawn.uploaders.insert(id.clone()));
    let read = session.upload_reader(&id);
    let keep_one = !matches!(taker, Taker::Files { multiple: true });
    let decode = move |raw: &Value| -> Option<Vec<UploadedFile>> {
        let ids: Vec<String> = raw
            .as_array()?
            .iter()
            .filter_map(|item| item.get("file_id")?.as_str().map(str::to_owned))
            .collect();
        let mut files = read(&ids);
        if keep_one && files.len() > 1 {
            files.drain(..files.len() - 1);
        }
        Some(files)
    };
    let encode = |files: &Vec<UploadedFile>| {
        serde_json::to_value(
            files
                .iter()
                .map(UploadedFile::reference)
                .collect::<Vec<_>>(),
        )
        .unwrap_or(Value::Array(Vec::new()))
    };
    let element = move |base: WidgetBase, files: &Vec<UploadedFile>| {
        let value: Vec<UploadedFileRef> = files.iter().map(UploadedFile::reference).collect();
        match taker {
            Taker::Files { multiple } => Element::FileUploader {
                base,
                accept,
                multiple,
                max_bytes,
                upload_url,
                value,
            },
            Taker::Camera => Element::CameraInput {
                base,
                max_bytes,
                upload_url,
                value,
            },
            Taker::Microphone => Element::AudioInput {
                base,
                max_bytes,
                upload_url,
                value,
            },
        }
    };
    // The app cannot set an upload widget's value through session state
    // (only the person can upload a file), as in Streamlit.
    let identity = common
        .identity(kind, id)
        .with_state(|files: &Vec<UploadedFile>| files.clone(), |_| None);
    ui.widget(identity, Vec::new(), decode, encode, element)
}

impl Widget for FileUploader {
    type Output = Option<UploadedFile>;
    fn add_to(self, ui: &Ui) -> Option<UploadedFile> {
        let files = upload_widget(
            ui,
            Taker::Files { multiple: false },
            self.common,
            self.accept,
            self.max_mb,
        );
        files.into_iter().last()
    }
}

impl Widget for MultiFileUploader {
    type Output = Vec<UploadedFile>;
    fn add_to(self, ui: &Ui) -> Vec<UploadedFile> {
        let FileUploader {
            common,
            accept,
            max_mb,
        } = self.inner;
        upload_widget(ui, Taker::Files { multiple: true }, common, accept, max_mb)
    }
}

/// A camera input: a live preview, a "Take photo" button, the photo.
///
/// Options: [`max_upload_size_mb`](CameraInput::max_upload_size_mb), and
/// `key`, `help`, `disabled`, `on_change`.
///
/// ```
/// use brooklet::prelude::*;
///
/// fn app(ui: &Ui) {
///     if let Some(photo) = ui.add(CameraInput::new("Take a photo").help("Look at the camera")) {
///         ui.image(photo.bytes().unwrap().to_vec());
///     }
/// }
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct CameraInput {
    common: Common,
    max_mb: Option<u64>,
}

/// An audio input: a "Record" button, a "Stop" button, the recording.
///
/// Options: [`max_upload_size_mb`](AudioInput::max_upload_size_mb), and
/// `key`, `help`, `disabled`, `on_change`.
///
/// ```
/// use brooklet::prelude::*;
///
/// fn app(ui: &Ui) {
///     if let Some(clip) = ui.add(AudioInput::new("Say something")) {
///         ui.audio(clip.bytes().unwrap().to_vec());
///     }
/// }
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct AudioInput {
    common: Common,
    max_mb: Option<u64>,
}

macro_rules! capture_widget {
    ($($ty:ident => $taker:expr),*) => {$(
        impl $ty {
            /// A widget labelled `label`.
            pub fn new(label: impl Into<String>) -> $ty {
                $ty {
                    common: Common::new(label),
                    max_mb: None,
                }
            }
            /// The largest capture it takes, in MiB (at most
            /// `server.max_upload_mb`).
            pub fn max_upload_size_mb(mut self, mb: u64) -> $ty {
                self.max_mb = Some(mb.max(1));
                self
            }
        }

        impl Widget for $ty {
            type Output = Option<UploadedFile>;
            fn add_to(self, ui: &Ui) -> Option<UploadedFile> {
                upload_widget(ui, $taker, self.common, Vec::new(), self.max_mb)
                    .into_iter()
                    .last()
            }
        }
    )*};
}

capture_widget!(CameraInput => Taker::Camera, AudioInput => Taker::Microphone);

common_options!(FileUploader, CameraInput, AudioInput);
on_change_option!(FileUploader, CameraInput, AudioInput);
