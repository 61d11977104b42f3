//! Fault tests: the real `patrolboard serve` on a real socket, pushed the way an attacker, a slow
//! network or a crowd of users would push it. Each module pins one way the server once failed.

mod database_down;
mod headers;
mod input;
mod login;
mod races;
mod server;
mod shapes;
mod stalls;
