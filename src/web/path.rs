//! The address's parameters (`/shifts/{id}`), where one that cannot be read is a page that does
//! not exist: a 404 page for the user, never the parser's words ("Cannot parse `abc` to a `i64`").

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// axum's `Path`, answering 404 when a parameter does not read as its type.
#[derive(Debug)]
pub struct Path<T>(pub T);

impl<S, T> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(rejection) => {
                tracing::debug!(%rejection, "an address that names nothing");
                Err(AppError::NotFound)
            }
        }
    }
}
