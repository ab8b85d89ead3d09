//! Hostile spreadsheets, built in memory: what a careless or malicious upload may hold.

use std::io::Write;

/// An XLSX of two cells, `A1` ("code") and `XFD1048576`, the last cell of Excel's grid: a few
/// kilobytes that a reader allocating the declared grid would turn into 17 billion cells.
pub fn xlsx_with_the_last_cell() -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "code").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    workbook.save_to_buffer().unwrap()
}

/// An XLSX-shaped archive whose one sheet inflates to `megabytes` MB of one repeated cell.
pub fn xlsx_inflating_to(megabytes: usize) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    writer
        .start_file("xl/worksheets/sheet1.xml", options)
        .unwrap();
    let cell = b"<c t=\"inlineStr\"><is><t>x</t></is></c>";
    for _ in 0..(megabytes * 1024 * 1024 / cell.len() + 1) {
        writer.write_all(cell).unwrap();
    }
    writer.finish().unwrap().into_inner()
}
