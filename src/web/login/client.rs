//! The address a request comes from.

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::domain::lockout::ClientAddress;

/// The peer address of the connection, when the server was started with connect info (the real
/// server is; a router driven in-process is not). A proxy in front would be this address for
/// everyone: forwarded headers are not trusted, since any client can send them.
pub struct Peer(pub Option<ClientAddress>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Peer(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(peer)| ClientAddress::new(peer.ip())),
        ))
    }
}
