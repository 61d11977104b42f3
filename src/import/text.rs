//! Text as files bring it: byte-order marks, encodings, and names written in many ways.

use super::{Origin, RowError};
use crate::domain::plain_text;
pub use crate::domain::plain_text::{excerpt, normalise, quoted};

/// The file's text without a UTF-8 byte-order mark; a file that is not UTF-8 is refused, naming
/// the line of the first bad byte, and so is a file holding a NUL byte or another control
/// character (tab and line ends are fine), naming its line: such a character could not be stored
/// (NUL) or would be stored unseen.
pub fn decode(bytes: &[u8]) -> Result<&str, RowError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|error| {
        let good = &bytes[..error.valid_up_to()];
        RowError {
            line: 1 + good.iter().filter(|&&b| b == b'\n').count(),
            feature: None,
            feature_name: None,
            reason: "the file is not UTF-8 text; save it as UTF-8 (CSV UTF-8) and try again".into(),
        }
    })?;
    match text.char_indices().find(|&(_, c)| !plain_text::allowed(c)) {
        Some((at, c)) => Err(Origin::line(line_at(text, at)).error(refused_character(c))),
        None => Ok(text),
    }
}

/// Why text holding `c` is refused.
pub fn refused_character(c: char) -> String {
    format!(
        "it holds the control character {}, which cannot be imported; remove it and try again",
        plain_text::describe(c)
    )
}

/// The text without a leading byte-order mark.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The 1-based line of the byte at `offset`.
pub fn line_at(text: &str, offset: usize) -> usize {
    1 + text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// Physical lines of CSV records. The csv crate's own line numbers lag by one in files with CRLF
/// line ends (a record's position is taken before the previous line's `\n`), so the line is
/// counted here from the record's byte offset. Offsets must come in increasing order.
pub struct LineCounter<'a> {
    bytes: &'a [u8],
    at: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    pub fn new(text: &'a str) -> LineCounter<'a> {
        LineCounter {
            bytes: text.as_bytes(),
            at: 0,
            line: 1,
        }
    }

    /// The 1-based line of the first character of the record starting at byte `offset` (line
    /// ends before it are skipped).
    pub fn line_of(&mut self, offset: u64) -> usize {
        let mut start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        while matches!(self.bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start > self.at {
            self.line += self.bytes[self.at..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            self.at = start;
        }
        self.line
    }
}

/// A reader of a CSV and its header row. Rows may have any number of fields: [`rows`] reports
/// those that do not match the header.
pub fn csv_with_header(text: &str) -> Result<(csv::Reader<&[u8]>, csv::StringRecord), RowError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| Origin::line(1).error(format!("the header row cannot be read: {e}")))?
        .clone();
    Ok((reader, headers))
}

/// The data rows of a CSV whose header row `reader` has read, each with its physical line.
/// Blank rows are skipped; a row that is not valid CSV, or whose number of fields is not the
/// header's `width`, is an error naming its line.
pub fn rows<'a>(
    reader: csv::Reader<&'a [u8]>,
    text: &'a str,
    width: usize,
) -> impl Iterator<Item = Result<(Origin, csv::StringRecord), RowError>> + 'a {
    let mut lines = LineCounter::new(text);
    reader.into_records().filter_map(move |record| {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.line_of(p.byte()));
                let error = format!("the row is not valid CSV: {e}");
                return Some(Err(Origin::line(line).error(error)));
            }
        };
        let origin = Origin::line(record.position().map_or(0, |p| lines.line_of(p.byte())));
        if record.iter().all(|f| f.trim().is_empty()) {
            return None;
        }
        if record.len() != width {
            return Some(Err(origin.error(format!(
                "the row has {} fields; the header row has {width}",
                record.len()
            ))));
        }
        Some(Ok((origin, record)))
    })
}

/// The good rows of [`rows`], and the errors of the bad ones.
pub fn records(
    reader: csv::Reader<&[u8]>,
    text: &str,
    width: usize,
) -> (Vec<(Origin, csv::StringRecord)>, Vec<RowError>) {
    let mut errors = Vec::new();
    let records = rows(reader, text, width)
        .filter_map(|row| row.map_err(|error| errors.push(error)).ok())
        .collect();
    (records, errors)
}

/// The City's upper-case community names as people write them:
/// `DOWNTOWN COMMERCIAL CORE` becomes `Downtown Commercial Core`, `BRIDGELAND/RIVERSIDE`
/// becomes `Bridgeland/Riverside`.
pub fn title_case(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut start_of_word = true;
    for c in normalise(raw).chars() {
        if c.is_alphanumeric() {
            if start_of_word {
                out.extend(c.to_uppercase());
            } else {
                out.extend(c.to_lowercase());
            }
            start_of_word = false;
        } else {
            out.push(c);
            // "O'BRIEN" stays one word; "A/B", "A-B" and "A (B)" are two.
            start_of_word = c != '\'' && c != '’';
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_dropped_and_bad_bytes_name_their_line() {
        assert_eq!(decode(b"\xEF\xBB\xBFa,b\n").unwrap(), "a,b\n");
        let error = decode(b"a\nb\n\xFFc").unwrap_err();
        assert_eq!(error.line, 3);
        let error = decode(b"a,b\r\n\tc,d\r\ne,f\0\r\n").unwrap_err();
        assert_eq!(error.line, 3);
        assert!(error.reason.contains("U+0000 (NUL)"), "{error}");
        assert_eq!(decode(b"a\tb\r\n").unwrap(), "a\tb\r\n");
        assert_eq!(strip_bom("\u{feff}x"), "x");
    }

    #[test]
    fn the_citys_names_come_out_in_title_case() {
        assert_eq!(
            title_case("DOWNTOWN COMMERCIAL CORE"),
            "Downtown Commercial Core"
        );
        assert_eq!(title_case("BRIDGELAND/RIVERSIDE"), "Bridgeland/Riverside");
        assert_eq!(title_case(" eau  claire "), "Eau Claire");
        assert_eq!(title_case("O'BRIEN PARK"), "O'brien Park");
    }

    #[test]
    fn record_lines_are_found_with_either_line_end() {
        let text = "h,h\r\na,1\r\n\r\nb,\"2\r\n3\"\r\nc,4\r\n";
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let mut lines = LineCounter::new(text);
        let found: Vec<usize> = reader
            .records()
            .map(|r| lines.line_of(r.unwrap().position().unwrap().byte()))
            .collect();
        assert_eq!(found, [2, 4, 6]);
    }

    #[test]
    fn lines_are_counted_from_one() {
        let text = "a\nbb\nccc";
        assert_eq!(line_at(text, 0), 1);
        assert_eq!(line_at(text, 2), 2);
        assert_eq!(line_at(text, 7), 3);
    }
}
