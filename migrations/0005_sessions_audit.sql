-- Sign-in sessions live here so several servers can share them; the audit log records every change.

create table sessions (
    -- SHA-256 of the random token in the cookie: a leaked table does not give working cookies.
    token_hash bytea primary key,
    user_id bigint not null references users (id) on delete cascade,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null
);

create index sessions_user_idx on sessions (user_id);
create index sessions_expiry_idx on sessions (expires_at);

-- Failed sign-ins by username (known or not), for the slow-down after repeated failures.
create table login_failures (
    username text primary key,
    failures integer not null,
    last_failed_at timestamptz not null
);

create table audit_log (
    id bigint generated always as identity primary key,
    at timestamptz not null default now(),
    user_id bigint references users (id),
    action text not null,
    entity text not null,
    entity_id bigint,
    before jsonb,
    after jsonb
);

create index audit_log_entity_idx on audit_log (entity, entity_id);
create index audit_log_at_idx on audit_log (at);
