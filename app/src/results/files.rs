//! Published results as files: the canonical JSON of a version (the bytes the digest covers).

use crate::error::AppError;
use axum::{
    body::Body,
    extract::{Path, State},
    http::header,
    response::{IntoResponse, Response},
};
use sqlx::PgPool;
use uuid::Uuid;

/// `GET /results/{round}/versions/{version}`: anyone; a published version never changes, so
/// it may be cached for good.
pub async fn download_canonical(
    State(pool): State<PgPool>,
    Path((round_id, version)): Path<(Uuid, i32)>,
) -> Response {
    match crate::results::repo::published_canonical(&pool, round_id, version).await {
        Ok(Some(text)) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/json; charset=utf-8".to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"ket-qua-v{version}.json\""),
                ),
                (
                    header::CACHE_CONTROL,
                    "public, max-age=31536000, immutable".to_string(),
                ),
            ],
            Body::from(text),
        )
            .into_response(),
        Ok(None) => {
            let err = AppError::NotFound;
            (err.status(), axum::Json(err)).into_response()
        }
        Err(e) => {
            let err = AppError::from(e);
            (err.status(), axum::Json(err)).into_response()
        }
    }
}

/// The public list: candidate numbers with their scores, and the winners' names (no date of
/// birth: see `snapshot.rs`).
const HEADERS: [&str; 12] = [
    "STT",
    "Mã vị trí",
    "Vị trí việc làm",
    "Số báo danh",
    "Họ và tên (người trúng tuyển)",
    "Điểm vòng 2",
    "Điểm ưu tiên",
    "Tổng điểm",
    "Thứ hạng",
    "Kết quả",
    "Đơn vị / thứ tự dự phòng",
    "Ghi chú",
];

/// The result list as rows: marks with `decimal` as the decimal separator.
fn result_rows(snapshot: &crate::results::snapshot::Snapshot, decimal: char) -> Vec<Vec<String>> {
    use crate::i18n::Lang;
    use crate::scoring::marks::Mark;
    let mark = |h: Option<u32>| {
        h.map(|h| Mark::from_hundredths(h).display(decimal))
            .unwrap_or_default()
    };
    let mut rows = vec![HEADERS.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
    let mut n = 0;
    for position in &snapshot.positions {
        for c in &position.candidates {
            n += 1;
            rows.push(vec![
                n.to_string(),
                position.code.clone(),
                position.title.clone(),
                c.number.clone(),
                c.full_name.clone().unwrap_or_default(),
                mark(c.stage2),
                mark(Some(c.priority)),
                mark(c.total),
                c.rank.map(|r| r.to_string()).unwrap_or_default(),
                Lang::Vi
                    .t(crate::results::types::outcome_msg(&c.outcome))
                    .to_string(),
                c.unit
                    .clone()
                    .or_else(|| c.reserve_place.map(|p| p.to_string()))
                    .unwrap_or_default(),
                crate::results::pages::why(Lang::Vi, c),
            ]);
        }
    }
    rows
}

/// `GET /results/{round}/export/{ket-qua.csv|ket-qua.xlsx}`: the published result list, for
/// anyone (it is public), every position, in rank order.
pub async fn export_results(
    State(pool): State<PgPool>,
    Path((round_id, file)): Path<(Uuid, String)>,
) -> Response {
    let result = async {
        let (version_id, version, _, _) = crate::results::repo::published(&pool, round_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let text = crate::results::repo::canonical(&pool, version_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let snapshot = serde_json::from_str::<crate::results::snapshot::Snapshot>(&text)
            .map_err(AppError::internal)?
            .public();
        let bytes = match file.as_str() {
            "ket-qua.csv" => (
                "text/csv; charset=utf-8",
                crate::rounds::files::csv_bytes(&result_rows(&snapshot, ','))?,
            ),
            "ket-qua.xlsx" => (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                crate::rounds::files::xlsx_bytes_with_numbers(
                    &result_rows(&snapshot, '.'),
                    &[0, 5, 6, 7, 8],
                )?,
            ),
            _ => return Err(AppError::NotFound),
        };
        Ok((bytes, version))
    }
    .await;
    match result {
        Ok(((content_type, bytes), version)) => {
            let extension = file.rsplit('.').next().unwrap_or("csv");
            (
                [
                    (header::CONTENT_TYPE, content_type.to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"ket-qua-v{version}.{extension}\""),
                    ),
                ],
                Body::from(bytes),
            )
                .into_response()
        }
        Err(err) => (err.status(), axum::Json(err)).into_response(),
    }
}
