//! Uploaded tables (CSV, or the first sheet of an XLSX workbook) read into rows of strings,
//! within fixed bounds on memory and time, off the async runtime.
//!
//! Every import (positions, marks, stage-1 results, bank statements) comes through here. An
//! XLSX file is a zip: a 1.5 KB file can declare a sheet from `A1` to `XFD1048576` or inflate
//! to gigabytes, so the archive is checked before calamine opens it, and the cells are read
//! one by one (never as calamine's dense grid). A file over any bound is refused, not cut.

use crate::error::AppError;
use crate::i18n::Msg;
use std::io::{Cursor, Read};

/// Rows a table may have, the header included.
pub const MAX_ROWS: usize = 200_000;
/// Columns a table may have.
pub const MAX_COLUMNS: usize = 64;
/// Cells of the rows built, counting the empty ones before the last used cell of each row.
pub const MAX_CELLS: usize = 2_000_000;
/// Bytes of text in all cells together.
pub const MAX_TEXT_BYTES: usize = 64 * 1024 * 1024;
/// Entries of an XLSX archive (a sheet needs a dozen).
pub const MAX_ZIP_ENTRIES: usize = 1000;
/// Bytes an XLSX archive may inflate to, declared and actual.
pub const MAX_INFLATED_BYTES: u64 = 64 * 1024 * 1024;
/// Uploads parsed at once; more wait their turn, so imports cannot take every core.
const PARSED_AT_ONCE: usize = 2;

static PARSING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(PARSED_AT_ONCE);

fn refused(msg: Msg) -> AppError {
    AppError::field("file", msg)
}

fn unreadable() -> AppError {
    refused(Msg::ErrImportFile)
}

/// [`read_table`] on a blocking thread, at most [`PARSED_AT_ONCE`] at a time, so that a large
/// file neither stalls the request threads nor runs beside many others.
pub async fn read_table_off_runtime(
    file_name: String,
    bytes: Vec<u8>,
) -> Result<Vec<Vec<String>>, AppError> {
    let permit = PARSING.acquire().await.map_err(AppError::internal)?;
    // The permit goes with the work: a request given up on does not free it early.
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        read_table(&file_name, &bytes)
    })
    .await
    .map_err(AppError::internal)?
}

/// Rows of strings from a CSV (UTF-8, comma or semicolon separated, BOM allowed) or from the
/// first sheet of an XLSX workbook, recognised by its content rather than its name. Rows end
/// at their last non-empty cell; a sheet's table starts at its first used row and column.
pub fn read_table(file_name: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>, AppError> {
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    if is_zip || file_name.to_lowercase().ends_with(".xlsx") {
        check_zip(bytes)?;
        read_xlsx(bytes)
    } else {
        read_csv(bytes)
    }
}

/// Refuses a table reaching row `index` (from 0) or beyond.
fn check_row(index: usize) -> Result<(), AppError> {
    if index >= MAX_ROWS {
        return Err(refused(Msg::ErrImportTooManyRows));
    }
    Ok(())
}

/// Refuses a table reaching column `index` (from 0) or beyond.
fn check_column(index: usize) -> Result<(), AppError> {
    if index >= MAX_COLUMNS {
        return Err(refused(Msg::ErrImportTooManyColumns));
    }
    Ok(())
}

/// Counts the cells and text a table costs as it is read, and refuses it past the bounds.
#[derive(Default)]
struct Budget {
    cells: usize,
    text: usize,
}

impl Budget {
    fn spend(&mut self, cells: usize, text: usize) -> Result<(), AppError> {
        self.cells += cells;
        self.text += text;
        if self.cells > MAX_CELLS || self.text > MAX_TEXT_BYTES {
            return Err(refused(Msg::ErrImportTooLarge));
        }
        Ok(())
    }
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, AppError> {
    use crate::spreadsheet::csv_cell_read;
    let text = std::str::from_utf8(bytes).map_err(|_| unreadable())?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().next().unwrap_or_default();
    // Spreadsheets set to Vietnamese write ';' between fields.
    let delimiter = if first_line.contains(';') && !first_line.contains(',') {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut budget = Budget::default();
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(|_| unreadable())? {
        check_row(rows.len())?;
        let width = (0..record.len())
            .rev()
            .find(|&i| !record[i].is_empty())
            .map_or(0, |last| last + 1);
        if width > 0 {
            check_column(width - 1)?;
        }
        budget.spend(width, record.as_slice().len())?;
        // The portal's own exports guard formula-like cells with an apostrophe.
        rows.push(
            record
                .iter()
                .take(width)
                .map(|c| csv_cell_read(c).to_string())
                .collect(),
        );
    }
    Ok(rows)
}

/// Refuses an archive with too many entries, or one that inflates (by its headers or in fact)
/// past [`MAX_INFLATED_BYTES`]. Inflating into a sink costs time, bounded, and no memory.
fn check_zip(bytes: &[u8]) -> Result<(), AppError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
    if archive.len() > MAX_ZIP_ENTRIES {
        return Err(refused(Msg::ErrImportTooLarge));
    }
    let mut declared: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|_| unreadable())?;
        declared = declared.saturating_add(entry.size());
    }
    if declared > MAX_INFLATED_BYTES {
        return Err(refused(Msg::ErrImportTooLarge));
    }
    let mut left = MAX_INFLATED_BYTES;
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|_| unreadable())?;
        let read = std::io::copy(&mut entry.take(left + 1), &mut std::io::sink())
            .map_err(|_| unreadable())?;
        if read > left {
            return Err(refused(Msg::ErrImportTooLarge));
        }
        left -= read;
    }
    Ok(())
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, AppError> {
    use calamine::{Data, Reader, Xlsx};
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| unreadable())?;
    let first = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(unreadable)?;
    let mut cells = workbook
        .worksheet_cells_reader(&first)
        .map_err(|_| unreadable())?;
    let mut budget = Budget::default();
    // Only the cells with a value, as (row, column, text); the rows are built at the end.
    let mut found: Vec<(u32, u32, String)> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(|_| unreadable())? {
        let value = Data::from(cell.get_value().clone());
        let text = match value {
            // Whole numbers come back as floats; "2" must not become "2.0".
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
            Data::Empty => continue,
            other => other.to_string(),
        };
        if text.is_empty() {
            continue;
        }
        budget.spend(1, text.len())?;
        let (row, column) = cell.get_position();
        found.push((row, column, text));
    }
    // Cells usually come in order, but nothing in the format promises it.
    found.sort_unstable_by_key(|&(row, column, _)| (row, column));
    // The table starts at the first used row and column, as calamine's ranges do.
    let top = found.first().map_or(0, |&(row, _, _)| row);
    let left = found
        .iter()
        .map(|&(_, column, _)| column)
        .min()
        .unwrap_or(0);
    let height = found
        .last()
        .map_or(0, |&(row, _, _)| (row - top) as usize + 1);
    if height > 0 {
        check_row(height - 1)?;
    }
    let mut widths = vec![0usize; height];
    for &(row, column, _) in &found {
        let column = (column - left) as usize;
        check_column(column)?;
        let width = &mut widths[(row - top) as usize];
        *width = (*width).max(column + 1);
    }
    // The empty cells before each row's last one are built too: count them.
    Budget::default().spend(widths.iter().sum(), 0)?;
    let mut rows: Vec<Vec<String>> = widths.iter().map(|&w| vec![String::new(); w]).collect();
    for (row, column, text) in found {
        rows[(row - top) as usize][(column - left) as usize] = text;
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn field_msg(err: AppError) -> Option<Msg> {
        err.for_field("file")
    }

    /// An XLSX of the cells given, as rust_xlsxwriter writes it.
    fn xlsx(cells: &[(u32, u16, &str)]) -> Vec<u8> {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        for &(row, column, text) in cells {
            sheet.write_string(row, column, text).unwrap();
        }
        workbook.save_to_buffer().unwrap()
    }

    #[test]
    fn a_sheet_reaching_the_last_cell_is_refused_without_building_it() {
        let bomb = xlsx(&[(0, 0, "a"), (1_048_575, 16_383, "b")]);
        assert!(bomb.len() < 10_000);
        assert_eq!(
            field_msg(read_table("x.xlsx", &bomb).unwrap_err()),
            Some(Msg::ErrImportTooManyRows)
        );
        let wide = xlsx(&[(0, 0, "a"), (0, 64, "b")]);
        assert_eq!(
            field_msg(read_table("x.xlsx", &wide).unwrap_err()),
            Some(Msg::ErrImportTooManyColumns)
        );
    }

    #[test]
    fn sparse_cells_make_rows_up_to_their_last_value() {
        // From the first used row and column (B2 here), as calamine's ranges start.
        let rows = read_table("x.xlsx", &xlsx(&[(1, 1, "a"), (1, 3, "c"), (3, 2, "z")])).unwrap();
        assert_eq!(
            rows,
            vec![
                vec!["a".to_string(), String::new(), "c".to_string()],
                vec![],
                vec![String::new(), "z".to_string()],
            ]
        );
    }

    #[test]
    fn many_far_cells_are_refused_by_their_padded_size() {
        // 40,000 rows with one cell in column 63: 2.56 million cells once built.
        let mut cells: Vec<(u32, u16, &str)> = (0..40_000).map(|r| (r, 63, "x")).collect();
        cells.push((0, 0, "code"));
        assert_eq!(
            field_msg(read_table("x.xlsx", &xlsx(&cells)).unwrap_err()),
            Some(Msg::ErrImportTooLarge)
        );
    }

    /// One entry of zeros, a byte past the bound once inflated; built once, it is slow to make.
    fn inflating_past_the_bound() -> &'static [u8] {
        static BOMB: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        BOMB.get_or_init(|| {
            let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            writer.start_file("xl/a.xml", options).unwrap();
            let chunk = vec![0u8; 1024 * 1024];
            for _ in 0..MAX_INFLATED_BYTES / chunk.len() as u64 {
                writer.write_all(&chunk).unwrap();
            }
            writer.write_all(&[0]).unwrap();
            writer.finish().unwrap().into_inner()
        })
    }

    #[test]
    fn an_archive_that_inflates_too_far_is_refused() {
        let bomb = inflating_past_the_bound();
        assert!(bomb.len() < 200_000);
        assert_eq!(
            field_msg(read_table("x.xlsx", bomb).unwrap_err()),
            Some(Msg::ErrImportTooLarge)
        );
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..=MAX_ZIP_ENTRIES {
            writer
                .start_file(format!("f{i}"), zip::write::SimpleFileOptions::default())
                .unwrap();
        }
        let crowded = writer.finish().unwrap().into_inner();
        assert_eq!(
            field_msg(read_table("x.xlsx", &crowded).unwrap_err()),
            Some(Msg::ErrImportTooLarge)
        );
    }

    /// The zip crate itself stops at the declared size; the bound holds either way.
    #[test]
    fn an_archive_lying_about_its_size_is_refused() {
        let mut bomb = inflating_past_the_bound().to_vec();
        // Declare 1 byte in both the local header (offset 22) and the central directory.
        let central = bomb
            .windows(4)
            .rposition(|w| w == b"PK\x01\x02")
            .expect("a central directory");
        bomb[22..26].copy_from_slice(&1u32.to_le_bytes());
        bomb[central + 24..central + 28].copy_from_slice(&1u32.to_le_bytes());
        let refusal = field_msg(read_table("x.xlsx", &bomb).unwrap_err());
        assert!(
            matches!(refusal, Some(Msg::ErrImportTooLarge | Msg::ErrImportFile)),
            "{refusal:?}"
        );
    }

    #[test]
    fn csv_past_the_bounds_is_refused() {
        let tall = "a\n".repeat(MAX_ROWS + 1);
        assert_eq!(
            field_msg(read_table("x.csv", tall.as_bytes()).unwrap_err()),
            Some(Msg::ErrImportTooManyRows)
        );
        assert_eq!(
            read_table("x.csv", "a\n".repeat(MAX_ROWS).as_bytes())
                .unwrap()
                .len(),
            MAX_ROWS
        );
        let wide = format!("{}x\n", ",".repeat(MAX_COLUMNS));
        assert_eq!(
            field_msg(read_table("x.csv", wide.as_bytes()).unwrap_err()),
            Some(Msg::ErrImportTooManyColumns)
        );
        // Trailing empty cells do not count.
        let padded = format!("x{}\n", ",".repeat(MAX_COLUMNS * 2));
        assert_eq!(
            read_table("x.csv", padded.as_bytes()).unwrap(),
            vec![vec!["x".to_string()]]
        );
    }

    #[test]
    fn csv_cells_guarded_on_export_read_back_unguarded() {
        let rows = read_table("x.csv", "'=1+1,'-x,-1.5,'abc\n".as_bytes()).unwrap();
        assert_eq!(rows, vec![vec!["=1+1", "-x", "-1.5", "'abc"]]);
    }
}
