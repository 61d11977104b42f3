//! Which characters text from people and files may hold. PostgreSQL refuses NUL in text, and the
//! other control characters are invisible on every page and in every spreadsheet, so text
//! holding one is refused where it arrives, with a sentence, instead of failing at the database
//! (NUL) or being stored unseen. Tab and line breaks are ordinary text in notes and stay allowed.
//! Also how such text is tidied (names) and quoted in messages.

/// Whether `c` may be stored: anything but a control character (C0, DEL or C1), except tab,
/// line feed and carriage return.
pub fn allowed(c: char) -> bool {
    !c.is_control() || matches!(c, '\t' | '\n' | '\r')
}

/// The first character of `text` that may not be stored, if any.
pub fn first_refused(text: &str) -> Option<char> {
    text.chars().find(|&c| !allowed(c))
}

/// How a refused character is named in messages: `U+0000 (NUL)`, `U+001B`.
pub fn describe(c: char) -> String {
    let code = format!("U+{:04X}", u32::from(c));
    if c == '\0' {
        format!("{code} (NUL)")
    } else {
        code
    }
}

/// Whether percent-encoded bytes (a URL's path or query, or a form body) decode to UTF-8 text
/// whose every character may be stored. `+` needs no decoding: it is a space or itself.
pub fn percent_decoded_is_storable(encoded: &[u8]) -> bool {
    let mut decoded = Vec::with_capacity(encoded.len());
    let mut i = 0;
    while i < encoded.len() {
        let hex = |b: Option<&u8>| b.and_then(|&b| (b as char).to_digit(16));
        match (encoded[i], hex(encoded.get(i + 1)), hex(encoded.get(i + 2))) {
            (b'%', Some(high), Some(low)) => {
                decoded.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                decoded.push(byte);
                i += 1;
            }
        }
    }
    std::str::from_utf8(&decoded).is_ok_and(|text| first_refused(text).is_none())
}

/// How many characters of a value an error quotes: enough to recognise it, never a whole
/// megabyte-long line.
pub const QUOTED_CHARS: usize = 200;

/// `value`, cut after [`QUOTED_CHARS`] characters with an ellipsis and its length.
pub fn excerpt(value: &str) -> String {
    match value.char_indices().nth(QUOTED_CHARS) {
        None => value.to_string(),
        Some((cut, _)) => format!(
            "{}… ({} characters in all)",
            &value[..cut],
            value.chars().count()
        ),
    }
}

/// `value` in quotes, as `{:?}` writes it, cut like [`excerpt`].
pub fn quoted(value: &str) -> String {
    match value.char_indices().nth(QUOTED_CHARS) {
        None => format!("{value:?}"),
        Some((cut, _)) => format!(
            "{:?}… ({} characters in all)",
            &value[..cut],
            value.chars().count()
        ),
    }
}

/// Trimmed, with every run of whitespace (the City's non-breaking spaces included) made one
/// space: `Violence\u{a0} 'Other'` becomes `Violence 'Other'`.
pub fn normalise(raw: &str) -> String {
    raw.split(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{feff}')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_and_line_breaks_are_text_and_other_controls_are_not() {
        assert_eq!(
            first_refused("line one\r\nline two\ttabbed, ünïcode ✓"),
            None
        );
        assert_eq!(first_refused("a\0b"), Some('\0'));
        assert_eq!(first_refused("bell\u{7}"), Some('\u{7}'));
        assert_eq!(first_refused("esc\u{1b}[31m"), Some('\u{1b}'));
        assert_eq!(first_refused("del\u{7f}"), Some('\u{7f}'));
        assert_eq!(first_refused("c1\u{85}"), Some('\u{85}'));
        assert_eq!(describe('\0'), "U+0000 (NUL)");
        assert_eq!(describe('\u{1b}'), "U+001B");
    }

    #[test]
    fn percent_encoded_text_is_checked_after_decoding() {
        for good in [
            &b"notes=line+one%0D%0Atwo%09x&team_id=1"[..],
            b"/pilots/calgary-2023",
            b"name=%C3%BCber",
            b"100%25+sure",
            b"a%zz%4",
        ] {
            assert!(percent_decoded_is_storable(good), "{good:?}");
        }
        for bad in [
            &b"notes=a%00b"[..],
            b"/pilots/%00",
            b"notes=%FF%FE+bad",
            b"note=%C3%28",
            b"x=%1b",
            b"raw\0nul",
            b"raw\xffbyte",
        ] {
            assert!(!percent_decoded_is_storable(bad), "{bad:?}");
        }
    }

    #[test]
    fn long_values_are_quoted_cut_at_200_characters() {
        assert_eq!(quoted("many"), "\"many\"");
        let long = "é".repeat(5000);
        let q = quoted(&long);
        assert!(q.starts_with(&format!("\"{}\"…", "é".repeat(200))), "{q}");
        assert!(q.ends_with("(5000 characters in all)"), "{q}");
        assert_eq!(excerpt("a, b"), "a, b");
        assert!(excerpt(&"x".repeat(201)).starts_with(&format!("{}…", "x".repeat(200))));
    }

    #[test]
    fn names_are_trimmed_and_their_spaces_collapsed() {
        assert_eq!(
            normalise(" Violence\u{a0} 'Other'  (Non-domestic)\t"),
            "Violence 'Other' (Non-domestic)"
        );
        assert_eq!(normalise("   "), "");
    }
}
