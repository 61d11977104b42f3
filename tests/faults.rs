//! Fault tests: the real `patrolboard serve` on a real socket, pushed the way an attacker, a slow
//! network or a crowd of users would push it. Each module pins one way the server once failed.

mod common;
#[path = "faults/database_down.rs"]
mod database_down;
#[path = "faults/headers.rs"]
mod headers;
#[path = "faults/input.rs"]
mod input;
#[path = "faults/login.rs"]
mod login;
#[path = "faults/races.rs"]
mod races;
#[path = "faults/server.rs"]
mod server;
#[path = "faults/shapes.rs"]
mod shapes;
#[path = "faults/stalls.rs"]
mod stalls;
