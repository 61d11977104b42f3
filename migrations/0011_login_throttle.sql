-- Failed sign-ins are counted per account and per client address, before the password is checked,
-- and each account remembers the addresses it signed in from, which its lock-out does not reach.

drop table login_failures;

-- One counter per row. username '' is a client address's count over every username it is not
-- usual for; address '' is a username's count from addresses it does not usually sign in from
-- (or from an unknown address); both set is a username's count at one of its usual addresses.
create table login_failures (
    username text not null,
    address text not null,
    failures integer not null,
    last_failed_at timestamptz not null,
    -- Attempts before this time are refused without checking the password.
    locked_until timestamptz not null,
    constraint login_failures_pkey primary key (username, address),
    constraint login_failures_has_a_key check (username <> '' or address <> '')
);

-- Counters quiet for an hour are swept on every attempt.
create index login_failures_last_failed_idx on login_failures (last_failed_at);

-- Where each account signed in from lately (an IPv4 address or an IPv6 /64 network).
create table login_addresses (
    user_id bigint not null references users (id) on delete cascade,
    address text not null,
    last_signed_in_at timestamptz not null,
    constraint login_addresses_pkey primary key (user_id, address)
);
