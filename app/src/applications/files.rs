//! Files out of the applications area: a supporting document for its owner or HR, and HR's
//! applicant and eligible lists per round (or position) as CSV or XLSX with Vietnamese headers.

use crate::accounts::{
    service::{session_user, session_with_role},
    types::Role,
};
use crate::applications::{profile::ProfileForm, repo, screening};
use crate::error::AppError;
use crate::rounds::files::{csv_bytes, xlsx_bytes_with_numbers};
use crate::rounds::rules::RuleParams;
use crate::rounds::types::{format_date_vn, format_datetime_vn, vietnam_date};
use axum::{
    body::Body,
    extract::{Path, Query, State},
    http::header,
    response::{IntoResponse, Response},
};
use sqlx::PgPool;
use std::collections::HashMap;
use tower_sessions::Session;
use uuid::Uuid;

fn refusal(err: AppError) -> Response {
    (err.status(), axum::Json(err)).into_response()
}

/// `GET /documents/{id}`: the file, to the applicant who uploaded it or to HR. Served with
/// the type its content was checked to be and `nosniff`, so the browser never runs it.
pub async fn download_document(
    State(pool): State<PgPool>,
    session: Session,
    Path(id): Path<Uuid>,
) -> Response {
    let result = async {
        let user = session_user(&session, &pool)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let document = repo::document(&pool, id).await?.ok_or(AppError::NotFound)?;
        if document.applicant_id != user.id && !user.has_role(Role::HrOfficer) {
            return Err(AppError::NotFound);
        }
        Ok(document)
    }
    .await;
    match result {
        Ok(document) => {
            let name: String =
                form_urlencoded::byte_serialize(document.file_name.as_bytes()).collect();
            (
                [
                    (header::CONTENT_TYPE, document.content_type),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("inline; filename*=UTF-8''{name}"),
                    ),
                    (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
                    (header::CACHE_CONTROL, "private, no-store".to_string()),
                    (header::ETAG, format!("\"{}\"", document.sha256)),
                    (
                        header::CONTENT_SECURITY_POLICY,
                        "default-src 'none'; sandbox".to_string(),
                    ),
                ],
                Body::from(document.content),
            )
                .into_response()
        }
        Err(err) => refusal(err),
    }
}

const HEADERS: [&str; 19] = [
    "STT",
    "Mã hồ sơ",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD",
    "Điện thoại",
    "Email",
    "Mã vị trí",
    "Vị trí việc làm",
    "Đơn vị (theo thứ tự nguyện vọng)",
    "Trình độ cao nhất",
    "Chuyên ngành",
    "Đối tượng ưu tiên",
    "Trạng thái",
    "Lý do",
    "Lệ phí (đồng)",
    "Ngày nộp lệ phí",
    "Thời điểm nộp hồ sơ",
];

/// The rows of an applicant list, header first.
pub fn list_rows(rows: &[screening::ExportRow], params: &RuleParams) -> Vec<Vec<String>> {
    use crate::i18n::Lang;
    let mut table = vec![HEADERS.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
    for (n, row) in rows.iter().enumerate() {
        let profile: ProfileForm = row
            .form
            .get("profile")
            .cloned()
            .and_then(|p| serde_json::from_value(p).ok())
            .unwrap_or_default();
        let checked = profile.check(vietnam_date(row.submitted_at));
        let (degree, majors) = match &checked {
            Ok(p) => (
                Lang::Vi.t(p.highest_degree.msg()).to_string(),
                p.majors.join("; "),
            ),
            Err(_) => (String::new(), String::new()),
        };
        let sex = match profile.sex.as_str() {
            "male" => "Nam",
            "female" => "Nữ",
            _ => "",
        };
        let priority = params
            .priority_categories
            .iter()
            .find(|c| c.code == row.priority_code)
            .map(|c| c.name.clone())
            .unwrap_or_default();
        let status = super::types::ApplicationStatus::parse(&row.status)
            .map(|s| Lang::Vi.t(s.msg()).to_string())
            .unwrap_or_default();
        table.push(vec![
            (n + 1).to_string(),
            row.receipt_code.clone(),
            row.full_name.clone(),
            format_date_vn(row.date_of_birth),
            sex.to_string(),
            row.national_id.clone(),
            profile.phone.clone(),
            profile.contact_email.clone(),
            row.position_code.clone(),
            row.position_title.clone(),
            row.units.join("; "),
            degree,
            majors,
            priority,
            status,
            row.status_reason.clone().unwrap_or_default(),
            row.fee_amount.map(|a| a.to_string()).unwrap_or_default(),
            row.fee_paid_at.map(format_datetime_vn).unwrap_or_default(),
            format_datetime_vn(row.submitted_at),
        ]);
    }
    table
}

/// `GET /hr/rounds/{id}/applications/{all|eligible}.{csv|xlsx}?position={id}`: HR only.
pub async fn export_applications(
    State(pool): State<PgPool>,
    session: Session,
    Path((round_id, file)): Path<(Uuid, String)>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let result = async {
        session_with_role(&session, &pool, &[Role::HrOfficer]).await?;
        let (list, format) = file.split_once('.').ok_or(AppError::NotFound)?;
        let only_eligible = match list {
            "all" => false,
            "eligible" => true,
            _ => return Err(AppError::NotFound),
        };
        let params = screening::round_params(&pool, round_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let position = query.get("position").and_then(|p| Uuid::parse_str(p).ok());
        let mut rows = screening::export_rows(&pool, round_id, position, only_eligible).await?;
        // The council's lists follow Vietnamese name order (given name first) within a position.
        rows.sort_by_cached_key(|r| {
            (
                r.position_code.clone(),
                crate::scheduling::names::name_key(&r.full_name),
            )
        });
        let table = list_rows(&rows, &params);
        let bytes = match format {
            "csv" => ("text/csv; charset=utf-8", csv_bytes(&table)?),
            "xlsx" => (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                xlsx_bytes_with_numbers(&table, &[0, 16])?,
            ),
            _ => return Err(AppError::NotFound),
        };
        Ok((bytes, list.to_string(), format.to_string()))
    }
    .await;
    match result {
        Ok(((content_type, bytes), list, format)) => {
            let name = if list == "eligible" {
                "du-dieu-kien"
            } else {
                "danh-sach-thi-sinh"
            };
            (
                [
                    (header::CONTENT_TYPE, content_type.to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{name}-{round_id}.{format}\""),
                    ),
                ],
                Body::from(bytes),
            )
                .into_response()
        }
        Err(err) => refusal(err),
    }
}
