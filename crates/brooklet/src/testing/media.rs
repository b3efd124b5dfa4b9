//! [`AppTest`] accessors for media: the elements, and the bytes behind
//! their URLs, fetched as the browser would (only this session's).

use super::AppTest;
use crate::protocol::{Element, ImageElement, LogoElement, MediaPlayer, PdfElement};

impl AppTest {
    /// The `index`-th image element on the page (one `ui.image` or a row
    /// of images; counting from 0, main area first).
    ///
    /// # Panics
    /// When the page has fewer.
    pub fn image(&self, index: usize) -> ImageElement {
        match self.nth_element(index, "image", |el| matches!(el, Element::Image(_))) {
            Element::Image(image) => *image,
            _ => unreachable!("matched above"),
        }
    }

    /// The `index`-th audio player on the page.
    ///
    /// # Panics
    /// When the page has fewer.
    pub fn audio(&self, index: usize) -> MediaPlayer {
        match self.nth_element(index, "audio player", |el| matches!(el, Element::Audio(_))) {
            Element::Audio(player) => *player,
            _ => unreachable!("matched above"),
        }
    }

    /// The `index`-th video player on the page.
    ///
    /// # Panics
    /// When the page has fewer.
    pub fn video(&self, index: usize) -> MediaPlayer {
        match self.nth_element(index, "video player", |el| matches!(el, Element::Video(_))) {
            Element::Video(player) => *player,
            _ => unreachable!("matched above"),
        }
    }

    /// The `index`-th PDF on the page.
    ///
    /// # Panics
    /// When the page has fewer.
    pub fn pdf(&self, index: usize) -> PdfElement {
        match self.nth_element(index, "PDF", |el| matches!(el, Element::Pdf(_))) {
            Element::Pdf(pdf) => *pdf,
            _ => unreachable!("matched above"),
        }
    }

    /// The logo (the last one drawn, as the page shows it).
    ///
    /// # Panics
    /// When the page has none.
    pub fn logo(&self) -> LogoElement {
        let count = self.find_all(|el| matches!(el, Element::Logo(_))).len();
        match self.nth_element(count.saturating_sub(1), "logo", |el| {
            matches!(el, Element::Logo(_))
        }) {
            Element::Logo(logo) => *logo,
            _ => unreachable!("matched above"),
        }
    }

    /// The bytes behind a media URL of this page (`/_brooklet/media/…`),
    /// as the browser would get them; `None` when this session may not
    /// fetch it (another session's, or no longer shown and evicted).
    pub fn media_bytes(&self, url: &str) -> Option<Vec<u8>> {
        let path = url.split('?').next()?;
        let rest = path.strip_prefix("/_brooklet/media/")?;
        let (owner, id) = rest.split_once('/')?;
        let payload = self
            .session
            .context()
            .shared()
            .payloads
            .get(owner, id)
            .ok()?;
        Some(payload.bytes.to_vec())
    }
}

impl AppTest {
    /// What the download button labelled `label` hands out, made as a
    /// click in the browser would (a lazy download's closure runs here).
    ///
    /// # Panics
    /// When there is no such button, it is disabled (a disabled button
    /// offers nothing), or its download fails.
    pub fn download(&mut self, label: &str) -> Vec<u8> {
        let el = self
            .widget(crate::protocol::WidgetKind::DownloadButton, label)
            .element()
            .clone();
        let Element::DownloadButton { url, .. } = el else {
            unreachable!("found as a download button")
        };
        if url.is_empty() {
            panic!("the download button `{label}` is disabled: it offers nothing");
        }
        if let Some(bytes) = self.media_bytes(&url) {
            return bytes;
        }
        let path = url.split('?').next().unwrap_or_default();
        let lazy = path
            .strip_prefix("/_brooklet/download/")
            .and_then(|rest| rest.split_once('/'))
            .and_then(|(owner, id)| self.session.context().shared().downloads.get(owner, id))
            .unwrap_or_else(|| panic!("the download of `{label}` is not on this page"));
        let (mut reader, _) = (lazy.make)()
            .unwrap_or_else(|error| panic!("the download of `{label}` failed: {error}"));
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut reader, &mut bytes)
            .unwrap_or_else(|error| panic!("reading the download of `{label}` failed: {error}"));
        bytes
    }
}

/// An upload widget on an [`AppTest`] page (file uploader, camera input,
/// audio input): upload files into it as the browser does.
#[derive(Debug)]
pub struct UploaderRef<'a> {
    widget: super::WidgetRef<'a>,
}

impl AppTest {
    /// The file uploader labelled `label`.
    pub fn file_uploader(&mut self, label: &str) -> UploaderRef<'_> {
        UploaderRef {
            widget: self.widget(crate::protocol::WidgetKind::FileUploader, label),
        }
    }
    /// The camera input labelled `label`.
    pub fn camera_input(&mut self, label: &str) -> UploaderRef<'_> {
        UploaderRef {
            widget: self.widget(crate::protocol::WidgetKind::CameraInput, label),
        }
    }
    /// The audio input labelled `label`.
    pub fn audio_input(&mut self, label: &str) -> UploaderRef<'_> {
        UploaderRef {
            widget: self.widget(crate::protocol::WidgetKind::AudioInput, label),
        }
    }
}

impl<'a> UploaderRef<'a> {
    /// The files the widget holds, as the page shows them.
    pub fn files(&self) -> Vec<crate::protocol::UploadedFileRef> {
        match self.widget.element() {
            Element::FileUploader { value, .. }
            | Element::CameraInput { value, .. }
            | Element::AudioInput { value, .. } => value.clone(),
            _ => Vec::new(),
        }
    }

    fn multiple(&self) -> bool {
        matches!(
            self.widget.element(),
            Element::FileUploader { multiple: true, .. }
        )
    }

    /// Upload a file as the browser would (checked against the widget's
    /// types and limits), then set the widget's value to hold it (added to
    /// the others when the widget takes several, else replacing).
    ///
    /// # Panics
    /// When the server refuses it; [`try_upload`](UploaderRef::try_upload)
    /// returns the refusal instead.
    pub fn upload(self, name: &str, mime: &str, bytes: &[u8]) -> &'a mut AppTest {
        match self.try_upload(name, mime, bytes) {
            Ok(at) => at,
            Err(error) => panic!("the upload of {name} was refused: {error}"),
        }
    }

    /// As [`upload`](UploaderRef::upload), returning the server's refusal.
    pub fn try_upload(
        self,
        name: &str,
        mime: &str,
        bytes: &[u8],
    ) -> Result<&'a mut AppTest, crate::uploads::UploadError> {
        let id = self.widget.id();
        let stored = self
            .widget
            .at
            .session
            .context()
            .put_upload(&id, name, mime, bytes)?;
        let mut files = if self.multiple() {
            self.files()
        } else {
            Vec::new()
        };
        files.push(stored);
        Ok(self.set(files))
    }

    /// Remove the file named `name` (its × button).
    pub fn remove(self, name: &str) -> &'a mut AppTest {
        let files = self
            .files()
            .into_iter()
            .filter(|f| f.name != name)
            .collect();
        self.set(files)
    }

    fn set(self, files: Vec<crate::protocol::UploadedFileRef>) -> &'a mut AppTest {
        let value = serde_json::to_value(files).unwrap_or_default();
        self.widget.set_value(value)
    }
}
