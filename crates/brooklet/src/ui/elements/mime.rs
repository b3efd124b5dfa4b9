//! What kind of file some bytes are: from their first bytes (the magic
//! numbers every format starts with), else from a file name's extension.
//!
//! The answer is a `&'static str` from a fixed list, so what the payload
//! store serves as `Content-Type` is always one of these: an app can never
//! make the server send a type it did not mean (`text/html` from a file
//! named `x.png`, say).

use std::path::Path;

/// The family a media element takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    Image,
    Audio,
    Video,
    Pdf,
}

/// The MIME type of `bytes` as a member of `family`, from their magic
/// numbers; `None` when they are not one of its formats.
pub(crate) fn sniff(bytes: &[u8], family: Family) -> Option<&'static str> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    let riff = |kind: &[u8]| starts(b"RIFF") && bytes.get(8..12) == Some(kind);
    // ISO base media (MP4, M4A, AVIF): a box `ftyp` at offset 4.
    let ftyp = bytes.get(4..8) == Some(b"ftyp");
    let brand = bytes.get(8..12).unwrap_or_default();
    let ebml = starts(&[0x1a, 0x45, 0xdf, 0xa3]); // WebM / Matroska
    match family {
        Family::Image => {
            if starts(b"\x89PNG\r\n\x1a\n") {
                Some("image/png")
            } else if starts(&[0xff, 0xd8, 0xff]) {
                Some("image/jpeg")
            } else if starts(b"GIF87a") || starts(b"GIF89a") {
                Some("image/gif")
            } else if riff(b"WEBP") {
                Some("image/webp")
            } else if ftyp && (brand == b"avif" || brand == b"avis") {
                Some("image/avif")
            } else if starts(b"BM") && bytes.len() > 14 {
                Some("image/bmp")
            } else if starts(&[0, 0, 1, 0]) {
                Some("image/x-icon")
            } else if looks_like_svg(bytes) {
                Some("image/svg+xml")
            } else {
                None
            }
        }
        Family::Audio => {
            if riff(b"WAVE") {
                Some("audio/wav")
            } else if starts(b"ID3")
                || (bytes.len() > 1 && bytes[0] == 0xff && bytes[1] & 0xe0 == 0xe0)
            {
                Some("audio/mpeg")
            } else if starts(b"OggS") {
                Some("audio/ogg")
            } else if starts(b"fLaC") {
                Some("audio/flac")
            } else if ebml {
                Some("audio/webm")
            } else if ftyp {
                Some("audio/mp4")
            } else {
                None
            }
        }
        Family::Video => {
            if ebml {
                Some("video/webm")
            } else if ftyp {
                Some("video/mp4")
            } else if starts(b"OggS") {
                Some("video/ogg")
            } else {
                None
            }
        }
        Family::Pdf => starts(b"%PDF-").then_some("application/pdf"),
    }
}

/// Whether `bytes` read as an SVG document: text whose first tag (after an
/// XML declaration, comments or a doctype) is `<svg`.
fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    let Ok(text) = std::str::from_utf8(head).or_else(|e| {
        // A cut in the middle of a character at the 4 KiB mark is fine.
        std::str::from_utf8(&head[..e.valid_up_to()])
    }) else {
        return false;
    };
    let mut rest = text.trim_start_matches('\u{feff}').trim_start();
    loop {
        if let Some(after) = rest.strip_prefix("<?") {
            match after.find("?>") {
                Some(end) => rest = after[end + 2..].trim_start(),
                None => return false,
            }
        } else if let Some(after) = rest.strip_prefix("<!--") {
            match after.find("-->") {
                Some(end) => rest = after[end + 3..].trim_start(),
                None => return false,
            }
        } else if let Some(after) = rest.strip_prefix("<!") {
            match after.find('>') {
                Some(end) => rest = after[end + 1..].trim_start(),
                None => return false,
            }
        } else {
            return rest.starts_with("<svg");
        }
    }
}

/// The MIME type a file name's extension names, within `family`.
pub(crate) fn from_extension(path: &Path, family: Family) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    let mime = match (family, ext.as_str()) {
        (Family::Image, "png") => "image/png",
        (Family::Image, "jpg" | "jpeg") => "image/jpeg",
        (Family::Image, "gif") => "image/gif",
        (Family::Image, "webp") => "image/webp",
        (Family::Image, "svg") => "image/svg+xml",
        (Family::Image, "avif") => "image/avif",
        (Family::Audio, "wav") => "audio/wav",
        (Family::Audio, "mp3") => "audio/mpeg",
        (Family::Audio, "ogg" | "oga") => "audio/ogg",
        (Family::Audio, "flac") => "audio/flac",
        (Family::Audio, "webm") => "audio/webm",
        (Family::Audio, "m4a" | "mp4") => "audio/mp4",
        (Family::Video, "webm") => "video/webm",
        (Family::Video, "mp4" | "m4v") => "video/mp4",
        (Family::Video, "ogv" | "ogg") => "video/ogg",
        (Family::Pdf, "pdf") => "application/pdf",
        _ => return None,
    };
    Some(mime)
}

/// A fixed spelling of `mime` if it names a format of `family` this
/// module knows (the type an app declares for bytes that do not say).
pub(crate) fn in_family(mime: &str, family: Family) -> Option<&'static str> {
    const AUDIO: &[&str] = &[
        "audio/wav",
        "audio/mpeg",
        "audio/ogg",
        "audio/flac",
        "audio/webm",
        "audio/mp4",
        "audio/aac",
    ];
    const VIDEO: &[&str] = &["video/webm", "video/mp4", "video/ogg"];
    const IMAGE: &[&str] = &[
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/avif",
        "image/bmp",
        "image/svg+xml",
    ];
    let list = match family {
        Family::Audio => AUDIO,
        Family::Video => VIDEO,
        Family::Image => IMAGE,
        Family::Pdf => &["application/pdf"],
    };
    let wanted = mime.split(';').next().unwrap_or("").trim();
    list.iter()
        .find(|m| m.eq_ignore_ascii_case(wanted))
        .copied()
}

/// The MIME type of a download, from its file name (the common types a
/// data app hands out); anything else is `application/octet-stream`.
pub(crate) fn of_file_name(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "csv" => "text/csv",
        "tsv" => "text/tab-separated-values",
        "txt" | "log" => "text/plain",
        "md" => "text/markdown",
        "json" => "application/json",
        "jsonl" | "ndjson" => "application/x-ndjson",
        "xml" => "application/xml",
        "html" | "htm" => "text/html",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        "gz" => "application/gzip",
        "parquet" => "application/vnd.apache.parquet",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "wav" => "audio/wav",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

/// A fixed `&'static` spelling of a MIME type the app gave as a string
/// (for the payload store), when it is one this module knows; else
/// `application/octet-stream`.
pub(crate) fn known(mime: &str) -> &'static str {
    const KNOWN: &[&str] = &[
        "text/csv",
        "text/tab-separated-values",
        "text/plain",
        "text/markdown",
        "text/html",
        "text/vtt",
        "application/json",
        "application/x-ndjson",
        "application/xml",
        "application/pdf",
        "application/zip",
        "application/gzip",
        "application/vnd.apache.parquet",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/octet-stream",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/svg+xml",
        "audio/wav",
        "audio/mpeg",
        "video/mp4",
        "video/webm",
    ];
    let wanted = mime.split(';').next().unwrap_or("").trim();
    KNOWN
        .iter()
        .find(|k| k.eq_ignore_ascii_case(wanted))
        .copied()
        .unwrap_or("application/octet-stream")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_numbers_name_the_format() {
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n....", Family::Image),
            Some("image/png")
        );
        assert_eq!(
            sniff(&[0xff, 0xd8, 0xff, 0xe0], Family::Image),
            Some("image/jpeg")
        );
        assert_eq!(
            sniff(b"RIFF\0\0\0\0WEBPVP8 ", Family::Image),
            Some("image/webp")
        );
        assert_eq!(
            sniff(
                b"<?xml version=\"1.0\"?>\n<!-- x -->\n<svg xmlns=''/>",
                Family::Image
            ),
            Some("image/svg+xml")
        );
        assert_eq!(sniff(b"<html><svg/></html>", Family::Image), None);
        assert_eq!(
            sniff(b"RIFF\0\0\0\0WAVEfmt ", Family::Audio),
            Some("audio/wav")
        );
        assert_eq!(
            sniff(&[0x1a, 0x45, 0xdf, 0xa3, 1], Family::Video),
            Some("video/webm")
        );
        assert_eq!(
            sniff(b"\0\0\0\x18ftypmp42", Family::Video),
            Some("video/mp4")
        );
        assert_eq!(sniff(b"%PDF-1.4", Family::Pdf), Some("application/pdf"));
        assert_eq!(sniff(b"hello", Family::Image), None);
        assert_eq!(sniff(b"", Family::Audio), None);
    }

    #[test]
    fn extensions_and_names() {
        assert_eq!(
            from_extension(Path::new("a/B.JPG"), Family::Image),
            Some("image/jpeg")
        );
        assert_eq!(
            from_extension(Path::new("a.webm"), Family::Audio),
            Some("audio/webm")
        );
        assert_eq!(from_extension(Path::new("a.txt"), Family::Image), None);
        assert_eq!(of_file_name("rows.CSV"), "text/csv");
        assert_eq!(of_file_name("noext"), "application/octet-stream");
        assert_eq!(known("text/csv; charset=utf-8"), "text/csv");
        assert_eq!(known("application/x-evil"), "application/octet-stream");
    }
}
