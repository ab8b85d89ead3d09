//! The room roster as an Excel file, for HR.

use crate::accounts::{service::session_with_role, types::Role};
use crate::error::AppError;
use crate::rounds::files::xlsx_bytes_with_numbers;
use crate::rounds::types::{format_date_vn, format_datetime_vn};
use axum::{
    body::Body,
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
};
use sqlx::PgPool;
use tower_sessions::Session;
use uuid::Uuid;

/// `GET /hr/sessions/{session}/rooms/{room}/roster.xlsx`
pub async fn export_roster(
    State(pool): State<PgPool>,
    session: Session,
    Path((session_id, room_id)): Path<(Uuid, Uuid)>,
) -> Response {
    let result = async {
        session_with_role(&session, &pool, &[Role::HrOfficer]).await?;
        let roster = super::repo::roster(&pool, session_id, room_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut rows = vec![
            vec![format!(
                "{} – {} – {} – {}",
                roster.round_name,
                roster.session_name,
                format_datetime_vn(roster.starts_at),
                roster.room_name
            )],
            [
                "Chỗ ngồi",
                "Số báo danh",
                "Họ và tên",
                "Ngày sinh",
                "Số CCCD",
                "Mã vị trí",
                "Ảnh",
                "Chữ ký",
            ]
            .iter()
            .map(|h| h.to_string())
            .collect(),
        ];
        rows.extend(roster.rows.into_iter().map(|r| {
            vec![
                r.seat.to_string(),
                r.candidate_number,
                r.full_name,
                format_date_vn(r.date_of_birth),
                r.national_id,
                r.position_code,
                String::new(),
                String::new(),
            ]
        }));
        xlsx_bytes_with_numbers(&rows, &[])
    }
    .await;
    match result {
        Ok(bytes) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"danh-sach-phong-thi-{room_id}.xlsx\""),
                ),
            ],
            Body::from(bytes),
        )
            .into_response(),
        Err(err) => (err.status(), axum::Json(err)).into_response(),
    }
}
