//! The download button: hands the person a file.
//!
//! Bytes and text the run already has go to the app-wide payload store (one
//! copy however many tabs show the button, not sent again when unchanged).
//! A file path or a closure is *lazy*: nothing is read or made until the
//! person clicks, and then it streams from a blocking thread through a small
//! channel, so a gigabyte export costs a few chunks of memory
//! (`server/downloads.rs`).

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

use super::{into_callback, Common};
use crate::protocol::{Element, WidgetKind};
use crate::run::AppError;
use crate::ui::elements::mime;
use crate::ui::{Clicked, Ui, Widget};

/// What a lazy download produces when clicked: a reader of its bytes and,
/// when known, how many there are.
pub(crate) type LazyBody = (Box<dyn Read + Send>, Option<u64>);

/// A download made when clicked (a path opened, or a closure called).
#[derive(Clone)]
pub(crate) struct LazyDownload {
    pub(crate) make: Arc<dyn Fn() -> std::io::Result<LazyBody> + Send + Sync>,
    pub(crate) file_name: String,
    pub(crate) mime: String,
}

impl std::fmt::Debug for LazyDownload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LazyDownload")
            .field("file_name", &self.file_name)
            .field("mime", &self.mime)
            .finish_non_exhaustive()
    }
}

/// What a [`DownloadButton`] hands out.
///
/// Bytes (`Vec<u8>`, `&[u8]`) and text (`String`, `&str`: the text itself,
/// not a path) are stored when the button is drawn. A file
/// ([`DownloadData::file`]) is opened, and a closure ([`DownloadData::lazy`],
/// [`DownloadData::stream`]) is called, only when the person clicks, on a
/// thread of its own (not the run's), once per click.
#[derive(Clone)]
#[non_exhaustive]
pub enum DownloadData {
    /// The bytes themselves.
    Bytes(Vec<u8>),
    /// A file on the server, streamed when clicked.
    File(PathBuf),
    /// Made when clicked.
    Lazy(Arc<dyn Fn() -> std::io::Result<LazyBody> + Send + Sync>),
}

impl std::fmt::Debug for DownloadData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DownloadData::Bytes(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
            DownloadData::File(path) => write!(f, "File({})", path.display()),
            DownloadData::Lazy(_) => f.write_str("Lazy(..)"),
        }
    }
}

impl DownloadData {
    /// A file on the server, opened and streamed when clicked.
    pub fn file(path: impl Into<PathBuf>) -> DownloadData {
        DownloadData::File(path.into())
    }

    /// Bytes made by `make` when clicked (an export that costs nothing
    /// until asked for). An `Err` reaches the person as a failed download
    /// and the server's log.
    pub fn lazy(
        make: impl Fn() -> std::io::Result<Vec<u8>> + Send + Sync + 'static,
    ) -> DownloadData {
        DownloadData::Lazy(Arc::new(move || {
            let bytes = make()?;
            let len = bytes.len() as u64;
            Ok((
                Box::new(std::io::Cursor::new(bytes)) as Box<dyn Read + Send>,
                Some(len),
            ))
        }))
    }

    /// A reader made by `make` when clicked, streamed as it is read: a
    /// large export never sits in memory whole.
    ///
    /// ```
    /// use brooklet::ui::widgets::DownloadData;
    /// use std::io::Read;
    /// // A gigabyte of zeros, made as it is read.
    /// let data = DownloadData::stream(|| Ok(std::io::repeat(0).take(1 << 30)));
    /// # let _ = data;
    /// ```
    pub fn stream<R: Read + Send + 'static>(
        make: impl Fn() -> std::io::Result<R> + Send + Sync + 'static,
    ) -> DownloadData {
        DownloadData::Lazy(Arc::new(move || {
            Ok((Box::new(make()?) as Box<dyn Read + Send>, None))
        }))
    }
}

impl From<Vec<u8>> for DownloadData {
    fn from(bytes: Vec<u8>) -> DownloadData {
        DownloadData::Bytes(bytes)
    }
}
impl From<&[u8]> for DownloadData {
    fn from(bytes: &[u8]) -> DownloadData {
        DownloadData::Bytes(bytes.to_vec())
    }
}
impl From<String> for DownloadData {
    fn from(text: String) -> DownloadData {
        DownloadData::Bytes(text.into_bytes())
    }
}
/// An uploaded file handed back (in memory: its bytes; on disk: streamed
/// from its temporary file when clicked).
impl From<&crate::uploads::UploadedFile> for DownloadData {
    fn from(file: &crate::uploads::UploadedFile) -> DownloadData {
        if file.is_on_disk() {
            let file = file.clone();
            let len = file.size();
            DownloadData::Lazy(Arc::new(move || Ok((file.reader()?, Some(len)))))
        } else {
            DownloadData::Bytes(file.bytes().map(|b| b.to_vec()).unwrap_or_default())
        }
    }
}
impl From<&str> for DownloadData {
    fn from(text: &str) -> DownloadData {
        DownloadData::Bytes(text.as_bytes().to_vec())
    }
}

impl Ui {
    /// A button that downloads `data` as `file_name` (its type guessed from
    /// the name); `.clicked()` is true in the run the click starts.
    /// [`DownloadButton`] has the options.
    #[track_caller]
    pub fn download_button(
        &self,
        label: impl Into<String>,
        data: impl Into<DownloadData>,
        file_name: impl Into<String>,
    ) -> Clicked {
        self.add(DownloadButton::new(label, data).file_name(file_name))
    }
}

/// A button that hands the person a file.
///
/// Options: [`file_name`](DownloadButton::file_name),
/// [`mime`](DownloadButton::mime) (default: from the file name),
/// [`rerun_on_click`](DownloadButton::rerun_on_click) (default true: a
/// click reruns the app like a button press; `false` downloads and nothing
/// else), [`on_click`](DownloadButton::on_click),
/// [`primary`](DownloadButton::primary),
/// [`use_container_width`](DownloadButton::use_container_width), and `key`,
/// `help`, `disabled`. Not allowed inside a form (as in Streamlit).
///
/// ```
/// use brooklet::prelude::*;
/// use brooklet::ui::widgets::DownloadData;
///
/// fn app(ui: &Ui) {
///     let _ = ui.download_button("Download CSV", "a,b\n1,2\n", "rows.csv");
///     let export = DownloadData::lazy(|| Ok(b"made when clicked".to_vec()));
///     let clicked = ui.add(
///         DownloadButton::new("Export", export)
///             .file_name("export.txt")
///             .rerun_on_click(false),
///     );
///     # let _ = clicked;
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # assert_eq!(at.download("Download CSV"), b"a,b\n1,2\n");
/// # assert_eq!(at.download("Export"), b"made when clicked");
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct DownloadButton {
    common: Common,
    data: DownloadData,
    file_name: Option<String>,
    mime: Option<String>,
    rerun: bool,
    primary: bool,
    use_container_width: bool,
    location: &'static std::panic::Location<'static>,
}

impl DownloadButton {
    /// A button labelled `label` that downloads `data`.
    #[track_caller]
    pub fn new(label: impl Into<String>, data: impl Into<DownloadData>) -> DownloadButton {
        DownloadButton {
            location: std::panic::Location::caller(),
            common: Common::new(label),
            data: data.into(),
            file_name: None,
            mime: None,
            rerun: true,
            primary: false,
            use_container_width: false,
        }
    }
    /// The file's name (default: the file's own name for a path, else
    /// `download`). Only its last path part is kept, without control
    /// characters.
    pub fn file_name(mut self, name: impl Into<String>) -> DownloadButton {
        self.file_name = Some(name.into());
        self
    }
    /// Its MIME type (default: from the file name).
    pub fn mime(mut self, mime: impl Into<String>) -> DownloadButton {
        self.mime = Some(mime.into());
        self
    }
    /// Whether a click reruns the app (default true).
    pub fn rerun_on_click(mut self, rerun: bool) -> DownloadButton {
        self.rerun = rerun;
        self
    }
    /// Run `callback` when clicked, before the rerun (implies a rerun).
    pub fn on_click<R>(
        mut self,
        callback: impl Fn(&Ui) -> R + Send + Sync + 'static,
    ) -> DownloadButton {
        self.common.callback = Some(into_callback(callback));
        self.rerun = true;
        self
    }
    /// Draw it as the primary action.
    pub fn primary(mut self, primary: bool) -> DownloadButton {
        self.primary = primary;
        self
    }
    /// As wide as its container.
    pub fn use_container_width(mut self, fill: bool) -> DownloadButton {
        self.use_container_width = fill;
        self
    }
}

/// A file name safe to offer: no path, no control characters.
pub(crate) fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let clean: String = base.chars().filter(|c| !c.is_control()).collect();
    let clean = clean.trim();
    if clean.is_empty() || clean == "." || clean == ".." {
        "download".to_owned()
    } else {
        clean.chars().take(200).collect()
    }
}

impl Widget for DownloadButton {
    type Output = Clicked;
    fn add_to(self, ui: &Ui) -> Clicked {
        let Some(session) = ui.session() else {
            return Clicked(false);
        };
        let DownloadButton {
            common,
            data,
            file_name,
            mime,
            rerun,
            primary,
            use_container_width,
            location,
        } = self;
        if let Some(form) = ui.form_context() {
            ui.report(format!(
                "`download_button` cannot be used inside form `{}`: move `{}` out of the form.",
                form.key, common.label
            ));
            return Clicked(false);
        }
        let file_name = clean_file_name(&file_name.unwrap_or_else(|| {
            match &data {
                DownloadData::File(path) => path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                _ => String::new(),
            }
        }));
        let mime = mime.unwrap_or_else(|| mime::of_file_name(&file_name).to_owned());
        // Bytes are stored under a type from a fixed list (the store serves
        // only those); the element says the type that is served.
        let stored_mime = mime::known(&mime);
        let mime = if matches!(data, DownloadData::Bytes(_)) {
            stored_mime.to_owned()
        } else {
            mime
        };
        let id = common.id(WidgetKind::DownloadButton).finish();
        if !ui.claim_widget_id(&id, WidgetKind::DownloadButton.name(), &common.label) {
            return Clicked(false);
        }
        let encoded_name: String = form_urlencoded::byte_serialize(file_name.as_bytes()).collect();
        let url = match data {
            // A disabled button offers nothing: its bytes are not stored
            // and its closure is not registered, so no request can make or
            // fetch them (as a disabled uploader takes no files).
            _ if common.disabled => String::new(),
            DownloadData::Bytes(bytes) => match ui.put_payload(bytes, stored_mime) {
                Ok(Some(reference)) => format!("{}?name={encoded_name}", reference.url),
                Ok(None) => return Clicked(false),
                Err(error) => {
                    ui.show_error(&AppError::located(
                        format!("download_button `{}`: {error}", common.label),
                        location,
                    ));
                    return Clicked(false);
                }
            },
            DownloadData::File(path) => {
                if !path.is_file() {
                    ui.show_error(&AppError::located(
                        format!(
                            "download_button `{}`: `{}` is not a file",
                            common.label,
                            path.display()
                        ),
                        location,
                    ));
                    return Clicked(false);
                }
                let make = Arc::new(move || {
                    let file = std::fs::File::open(&path)?;
                    let len = file.metadata()?.len();
                    Ok((Box::new(file) as Box<dyn Read + Send>, Some(len)))
                });
                let lazy = LazyDownload {
                    make,
                    file_name: file_name.clone(),
                    mime: mime.clone(),
                };
                format!("{}?name={encoded_name}", session.show_download(&id, lazy))
            }
            DownloadData::Lazy(make) => {
                let lazy = LazyDownload {
                    make,
                    file_name: file_name.clone(),
                    mime: mime.clone(),
                };
                format!("{}?name={encoded_name}", session.show_download(&id, lazy))
            }
        };
        if common.disabled {
            // Withdrawn now, also when a fragment's run draws it disabled
            // (registrations are otherwise pruned only by full runs).
            session.hide_download(&id);
        } else {
            ui.run()
                .with_drawn(|drawn| drawn.downloads.insert(id.clone()));
        }
        session.with_widgets(|widgets| widgets.set_callback(&id, common.callback.clone()));
        let disabled = common.disabled;
        let element = Element::DownloadButton {
            base: common.into_base(id.clone()),
            url,
            file_name,
            mime,
            rerun,
            primary,
            use_container_width,
        };
        Clicked(super::buttons::draw_trigger(
            ui, &session, &id, element, disabled,
        ))
    }
}

common_options!(DownloadButton);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_lose_paths_and_control_characters() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\x\\rows.csv"), "rows.csv");
        assert_eq!(clean_file_name("a\r\nb.txt"), "ab.txt");
        assert_eq!(clean_file_name(".."), "download");
        assert_eq!(clean_file_name(""), "download");
    }
}
