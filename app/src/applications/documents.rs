//! Supporting documents: which files are accepted (judged by their content, never by their
//! name) and how large they may be.

/// Largest document accepted: a scanned page at a readable resolution fits well within it.
pub const MAX_DOCUMENT_BYTES: usize = 5 * 1024 * 1024;
/// Current documents one application may hold.
pub const MAX_DOCUMENTS: usize = 12;
/// Bytes one applicant may hold in a round, current documents and those kept after being
/// replaced or removed once the application was submitted (what HR may have seen is kept):
/// twice the current maximum. Files removed before submitting are deleted, and count nothing.
pub const MAX_STORED_BYTES: i64 = 2 * MAX_DOCUMENTS as i64 * MAX_DOCUMENT_BYTES as i64;

/// The content type the bytes actually are: PDF, JPEG or PNG; `None` for anything else.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else {
        None
    }
}

/// A file name safe to store and to send back in a header: the last path part, without
/// control characters or quotes, at most 120 characters.
pub fn clean_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | ';'))
        .take(120)
        .collect();
    let cleaned = cleaned.trim().to_string();
    if cleaned.is_empty() {
        "document".to_string()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn content_decides_the_type() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some("image/jpeg"));
        assert_eq!(
            sniff(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]),
            Some("image/png")
        );
        assert_eq!(sniff(b"<html><script>"), None);
        assert_eq!(sniff(b"MZ\x90\x00"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn file_names_lose_paths_and_header_breaking_characters() {
        assert_eq!(
            clean_file_name("C:\\scans\\bằng đại học.pdf"),
            "bằng đại học.pdf"
        );
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("a\"b;\r\nc.png"), "abc.png");
        assert_eq!(clean_file_name(""), "document");
    }

    proptest! {
        #[test]
        fn any_name_cleans_to_something_short_and_plain(name in ".{0,300}") {
            let cleaned = clean_file_name(&name);
            prop_assert!(!cleaned.is_empty() && cleaned.chars().count() <= 120);
            prop_assert!(!cleaned.chars().any(|c| c.is_control() || c == '"' || c == '/'));
        }
    }
}
