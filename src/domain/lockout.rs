//! The slow-down after repeated failed sign-ins: which counters an attempt is counted on, and how
//! long a counter stays locked.
//!
//! Every attempt is counted before its password is checked, so that concurrent attempts cannot
//! all pass a check made before any of them was recorded. A username is counted apart at each
//! address it usually signs in from, so that guesses from elsewhere cannot lock its owner out.

use std::fmt;
use std::net::{IpAddr, Ipv6Addr};

/// Failures allowed for a username before it is locked out for a while.
pub const FREE_ATTEMPTS: i32 = 5;
/// Failures allowed from one client address, over every username, before it is locked out.
pub const FREE_ATTEMPTS_PER_ADDRESS: i32 = 20;
/// The first lock-out, in seconds; each further failure doubles it.
const FIRST_LOCKOUT_SECS: i32 = 30;
/// The longest lock-out, in seconds, however many failures.
const MAX_LOCKOUT_SECS: i32 = 15 * 60;
/// A counter with no failure for this many seconds starts again from nothing.
pub const FORGET_AFTER_SECS: i32 = 60 * 60;
/// An address an account signed in from within this many days is one of its usual addresses.
pub const USUAL_FOR_DAYS: i32 = 60;

/// Where a sign-in comes from, as the throttle sees it: an IPv4 address, or the /64 network of an
/// IPv6 one (a single subscriber is given a whole /64, so its addresses cost an attacker nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(IpAddr);

impl ClientAddress {
    /// The throttled address of a peer; an IPv4 address mapped into IPv6 counts as the IPv4 one.
    pub fn new(ip: IpAddr) -> ClientAddress {
        match ip.to_canonical() {
            IpAddr::V4(v4) => ClientAddress(IpAddr::V4(v4)),
            IpAddr::V6(v6) => {
                let network = u128::from(v6) & !((1u128 << 64) - 1);
                ClientAddress(IpAddr::V6(Ipv6Addr::from(network)))
            }
        }
    }
}

impl fmt::Display for ClientAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            IpAddr::V4(v4) => write!(f, "{v4}"),
            IpAddr::V6(v6) => write!(f, "{v6}/64"),
        }
    }
}

/// One count of failed sign-ins that an attempt is recorded on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counter {
    /// A username, from addresses it does not usually sign in from (or from an unknown address).
    Account(String),
    /// A username at one of its usual addresses: failures from elsewhere do not reach it.
    AccountAtUsual(String, ClientAddress),
    /// A client address over the usernames it is not usual for, so it cannot spray guesses.
    Address(ClientAddress),
}

impl Counter {
    /// The counters an attempt for `username` from `address` is recorded on: the username's own
    /// at a usual address, otherwise the address's and then the username's shared one (the
    /// address first, so that a sprayer it stops counts no more against the usernames it tries).
    pub fn for_attempt(
        username: &str,
        address: Option<ClientAddress>,
        usual: bool,
    ) -> Vec<Counter> {
        match address {
            Some(address) if usual => vec![Counter::AccountAtUsual(username.into(), address)],
            Some(address) => vec![Counter::Address(address), Counter::Account(username.into())],
            None => vec![Counter::Account(username.into())],
        }
    }

    /// The stored key: the username (or `""`) and the address (or `""`).
    pub fn key(&self) -> (String, String) {
        match self {
            Counter::Account(username) => (username.clone(), String::new()),
            Counter::AccountAtUsual(username, address) => (username.clone(), address.to_string()),
            Counter::Address(address) => (String::new(), address.to_string()),
        }
    }

    /// What a successful sign-in does to this counter, on which it was counted beforehand.
    pub fn on_success(&self) -> OnSuccess {
        match self {
            Counter::Account(_) | Counter::AccountAtUsual(..) => OnSuccess::Clear,
            Counter::Address(_) => OnSuccess::TakeBack,
        }
    }

    fn free_attempts(&self) -> i32 {
        match self {
            Counter::Account(_) | Counter::AccountAtUsual(..) => FREE_ATTEMPTS,
            Counter::Address(_) => FREE_ATTEMPTS_PER_ADDRESS,
        }
    }

    /// Seconds the counter is locked after its n-th failure, for n = 1, 2, …; past the end, the
    /// last entry holds.
    pub fn schedule(&self) -> Vec<i32> {
        let free = self.free_attempts();
        let mut schedule: Vec<i32> = (1..=free).map(|n| lockout_secs(n, free)).collect();
        while schedule.last() != Some(&MAX_LOCKOUT_SECS) {
            schedule.push(lockout_secs(schedule.len() as i32 + 1, free));
        }
        schedule
    }

    /// The sentence shown when this counter refuses an attempt.
    pub fn refusal(&self, wait_secs: i64) -> String {
        let whom = match self {
            Counter::Account(_) | Counter::AccountAtUsual(..) => "for this username",
            Counter::Address(_) => "from your network",
        };
        format!("Too many failed sign-ins {whom}. Try again in {wait_secs} seconds.")
    }
}

/// What a successful sign-in does to a counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnSuccess {
    /// Forget every failure counted: the username was signed in to by its owner.
    Clear,
    /// Take back only the count of this attempt. An address's failures stay, or an attacker with
    /// an account of their own could wipe them between guesses; but the first sign-ins of many
    /// people behind one office address are not failures of that address.
    TakeBack,
}

/// Seconds of lock-out after `failures` failures when `free` are allowed: none before the
/// `free`-th, then 30 s, doubling with each further failure up to 15 minutes.
fn lockout_secs(failures: i32, free: i32) -> i32 {
    if failures < free {
        return 0;
    }
    let doublings = (failures - free).min(10) as u32;
    (FIRST_LOCKOUT_SECS * 2i32.pow(doublings)).min(MAX_LOCKOUT_SECS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> ClientAddress {
        ClientAddress::new(s.parse().unwrap())
    }

    #[test]
    fn four_failures_do_not_lock_a_username_and_the_fifth_locks_it_for_30_seconds() {
        let schedule = Counter::Account("dispatcher".into()).schedule();
        assert_eq!(&schedule[..4], [0, 0, 0, 0]);
        assert_eq!(schedule[4], 30);
        assert_eq!(schedule[5], 60);
        assert_eq!(schedule.last(), Some(&900));
        assert_eq!(schedule.len(), 10);
    }

    #[test]
    fn an_address_gets_twenty_failures_before_its_lock_out() {
        let schedule = Counter::Address(ip("192.0.2.7")).schedule();
        assert_eq!(schedule.iter().position(|s| *s > 0), Some(19));
        assert_eq!(schedule[19], 30);
    }

    #[test]
    fn an_attempt_from_a_usual_address_counts_only_for_that_address() {
        let address = Some(ip("192.0.2.7"));
        assert_eq!(
            Counter::for_attempt("admin", address, true),
            [Counter::AccountAtUsual("admin".into(), ip("192.0.2.7"))]
        );
        assert_eq!(
            Counter::for_attempt("admin", address, false),
            [
                Counter::Address(ip("192.0.2.7")),
                Counter::Account("admin".into())
            ]
        );
        assert_eq!(
            Counter::for_attempt("admin", None, false),
            [Counter::Account("admin".into())]
        );
    }

    #[test]
    fn keys_of_the_three_counters_cannot_collide() {
        let address = ip("192.0.2.7");
        assert_eq!(
            Counter::Account("admin".into()).key(),
            ("admin".into(), "".into())
        );
        assert_eq!(
            Counter::AccountAtUsual("admin".into(), address).key(),
            ("admin".into(), "192.0.2.7".into())
        );
        assert_eq!(
            Counter::Address(address).key(),
            ("".into(), "192.0.2.7".into())
        );
    }

    #[test]
    fn ipv6_addresses_count_by_their_64_bit_network_and_mapped_ipv4_as_ipv4() {
        assert_eq!(ip("2001:db8:1:2:aaaa::1").to_string(), "2001:db8:1:2::/64");
        assert_eq!(ip("2001:db8:1:2:aaaa::1"), ip("2001:db8:1:2:ffff::9"));
        assert_eq!(ip("::ffff:192.0.2.7").to_string(), "192.0.2.7");
    }

    #[test]
    fn a_success_clears_a_username_count_and_takes_back_only_its_own_from_an_address() {
        let address = ip("192.0.2.7");
        assert_eq!(Counter::Account("a".into()).on_success(), OnSuccess::Clear);
        assert_eq!(
            Counter::AccountAtUsual("a".into(), address).on_success(),
            OnSuccess::Clear
        );
        assert_eq!(Counter::Address(address).on_success(), OnSuccess::TakeBack);
    }
}
