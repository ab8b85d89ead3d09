//! Uploads and exports of tables: the import form (its file read by `tables`), and the CSV and
//! XLSX files written. Positions are parsed by `positions::parse_position_table`, the same for
//! both formats.

use crate::accounts::{service::session_with_role, types::Role};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::rounds::positions::{position_table, NewPosition};
use crate::rounds::repo;
use axum::{
    body::Body,
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
};
use leptos::server_fn::codec::MultipartData;
use sqlx::PgPool;
use tower_sessions::Session;
use uuid::Uuid;

/// Largest upload accepted: a province's positions fit in far less.
const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;

pub struct Upload {
    pub round_id: Option<Uuid>,
    pub reason: String,
    pub file_name: String,
    pub rows: Vec<Vec<String>>,
    /// The form's other fields, by name.
    pub fields: std::collections::HashMap<String, String>,
}

fn unreadable() -> AppError {
    AppError::field("file", Msg::ErrImportFile)
}

/// Reads the import form: `round_id`, `reason` and the `file` itself.
pub async fn read_upload(data: MultipartData) -> Result<Upload, AppError> {
    let mut multipart = data.into_inner().ok_or_else(unreadable)?;
    let mut upload = Upload {
        round_id: None,
        reason: String::new(),
        file_name: String::new(),
        rows: Vec::new(),
        fields: Default::default(),
    };
    let mut file: Option<Vec<u8>> = None;
    while let Some(mut field) = multipart.next_field().await.map_err(|_| unreadable())? {
        let name = field.name().unwrap_or_default().to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(|_| unreadable())? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > MAX_UPLOAD_BYTES {
                return Err(AppError::field("file", Msg::ErrImportTooLarge));
            }
        }
        match name.as_str() {
            "round_id" => {
                upload.round_id = Uuid::parse_str(String::from_utf8_lossy(&bytes).trim()).ok()
            }
            "reason" => upload.reason = String::from_utf8_lossy(&bytes).to_string(),
            "file" => {
                upload.file_name = field.file_name().unwrap_or_default().to_string();
                file = Some(bytes);
            }
            _ => {
                upload
                    .fields
                    .insert(name, String::from_utf8_lossy(&bytes).trim().to_string());
            }
        }
    }
    let bytes = file.filter(|b| !b.is_empty()).ok_or_else(unreadable)?;
    upload.rows =
        crate::rounds::tables::read_table_off_runtime(upload.file_name.clone(), bytes).await?;
    Ok(upload)
}

/// The spreadsheet row (header = 1) where a position, or one of its units, first appears.
pub fn first_row_of(rows: &[Vec<String>], code: &str, unit_code: Option<&str>) -> usize {
    let column = |name: &str| {
        rows.first()
            .and_then(|h| h.iter().position(|c| c.trim().eq_ignore_ascii_case(name)))
    };
    let (code_col, unit_col) = (column("code"), column("unit_code"));
    rows.iter()
        .enumerate()
        .skip(1)
        .find(|(_, row)| {
            let cell = |col: Option<usize>| {
                col.and_then(|c| row.get(c))
                    .map(|v| v.trim().to_uppercase())
                    .unwrap_or_default()
            };
            cell(code_col) == code && unit_code.is_none_or(|u| cell(unit_col) == u)
        })
        .map_or(1, |(i, _)| i + 1)
}

fn to_new_positions(views: Vec<crate::rounds::types::PositionView>) -> Vec<NewPosition> {
    views
        .into_iter()
        .map(|p| NewPosition {
            code: p.code,
            title: p.title,
            units: p
                .units
                .into_iter()
                .map(|u| crate::rounds::positions::UnitQuota {
                    unit_code: u.unit_code,
                    unit_name: u.unit_name,
                    quota: u.quota as u32,
                })
                .collect(),
            min_degree: p.min_degree,
            majors: p.majors,
            other_conditions: p.other_conditions,
            stage2: p.stage2,
            max_score: p.max_score as u16,
            plan: p.plan,
            ethnic_minority_only: p.ethnic_minority_only,
        })
        .collect()
}

/// A CSV of `rows`, every cell guarded against formulas (`spreadsheet::csv_cell`).
pub fn csv_bytes(rows: &[Vec<String>]) -> Result<Vec<u8>, AppError> {
    // A byte-order mark so that Excel opens the Vietnamese text as UTF-8.
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    for row in rows {
        writer
            .write_record(
                row.iter()
                    .map(|cell| crate::spreadsheet::csv_cell(cell).into_owned()),
            )
            .map_err(AppError::internal)?;
    }
    writer.into_inner().map_err(AppError::internal)
}

pub fn xlsx_bytes(rows: &[Vec<String>]) -> Result<Vec<u8>, AppError> {
    xlsx_bytes_with_numbers(rows, &[4, 9, 10])
}

/// An XLSX sheet of `rows` (the first one bold, as headers); cells in `numeric` columns that
/// hold numbers are written as numbers so that the spreadsheet can add them up.
pub fn xlsx_bytes_with_numbers(rows: &[Vec<String>], numeric: &[u16]) -> Result<Vec<u8>, AppError> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            let written = match (r, value.parse::<f64>()) {
                (0, _) => sheet
                    .write_string_with_format(r, c, value, &bold)
                    .map(|_| ()),
                (_, Ok(number)) if numeric.contains(&c) => {
                    sheet.write_number(r, c, number).map(|_| ())
                }
                _ => sheet.write_string(r, c, value).map(|_| ()),
            };
            written.map_err(AppError::internal)?;
        }
    }
    workbook.save_to_buffer().map_err(AppError::internal)
}

/// `GET /hr/rounds/{id}/export/{csv|xlsx}`: the round's positions as a file, for HR only.
pub async fn export_positions(
    State(pool): State<PgPool>,
    session: Session,
    Path((round_id, format)): Path<(Uuid, String)>,
) -> Response {
    let result = async {
        session_with_role(&session, &pool, &[Role::HrOfficer]).await?;
        let views = repo::positions(&pool, round_id).await?;
        let rows = position_table(&to_new_positions(views));
        match format.as_str() {
            "csv" => Ok(("text/csv; charset=utf-8", csv_bytes(&rows)?)),
            "xlsx" => Ok((
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                xlsx_bytes(&rows)?,
            )),
            _ => Err(AppError::NotFound),
        }
    }
    .await;
    match result {
        Ok((content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, content_type.to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"vi-tri-{round_id}.{format}\""),
                ),
            ],
            Body::from(bytes),
        )
            .into_response(),
        Err(err) => (err.status(), axum::Json(err)).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rounds::positions::parse_position_table;
    use crate::rounds::tables::read_table;

    const CSV: &str = "code,title,unit_code,unit_name,quota,min_degree,majors,other_conditions,stage2_format,written_weight,max_score\n\
        KTV-01,Kế toán viên,STC,Sở Tài chính,2,Đại học,\"Kế toán; Tài chính\",,written,,100\n";

    #[test]
    fn csv_with_bom_or_semicolons_reads_the_same() {
        let plain = read_table("a.csv", CSV.as_bytes()).unwrap();
        let with_bom = read_table("a.csv", format!("\u{feff}{CSV}").as_bytes()).unwrap();
        let semicolons = CSV
            .replace(',', ";")
            .replace("\"Kế toán; Tài chính\"", "\"Kế toán, Tài chính\"");
        let semi = read_table("a.csv", semicolons.as_bytes()).unwrap();
        assert_eq!(plain, with_bom);
        assert_eq!(plain.len(), 2);
        assert_eq!(semi[1][6], "Kế toán, Tài chính");
        assert_eq!(semi[1][0], "KTV-01");
    }

    #[test]
    fn text_that_is_not_utf8_is_refused() {
        let latin1 = b"code,title\nA,Caf\xe9\n";
        assert_eq!(
            read_table("a.csv", latin1).unwrap_err().for_field("file"),
            Some(Msg::ErrImportFile)
        );
    }

    #[test]
    fn an_xlsx_export_reads_back_to_the_same_positions() {
        let rows = read_table("a.csv", CSV.as_bytes()).unwrap();
        let positions = parse_position_table(&rows, false).unwrap();
        let xlsx = xlsx_bytes(&position_table(&positions)).unwrap();
        let back = read_table("export.xlsx", &xlsx).unwrap();
        assert_eq!(parse_position_table(&back, false).unwrap(), positions);
        let csv = csv_bytes(&position_table(&positions)).unwrap();
        assert_eq!(
            parse_position_table(&read_table("x", &csv).unwrap(), false).unwrap(),
            positions
        );
    }

    #[test]
    fn conflicts_point_at_the_row_in_the_file() {
        let rows: Vec<Vec<String>> = vec![
            vec!["code".into(), "unit_code".into()],
            vec!["a1".into(), "u1".into()],
            vec!["A1".into(), "U2".into()],
        ];
        assert_eq!(first_row_of(&rows, "A1", None), 2);
        assert_eq!(first_row_of(&rows, "A1", Some("U2")), 3);
    }
}
