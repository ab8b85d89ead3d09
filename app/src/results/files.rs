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
