-- Private iCalendar feeds: a random token in the feed's URL stands in for a sign-in, since
-- calendar apps cannot sign in. Only its SHA-256 is stored (as for sessions), so a leaked table
-- gives no working feed URLs. A token belongs to one officer or one team, and is revoked by
-- setting revoked_at (kept for the audit trail, never reused).

create table calendar_tokens (
    token_hash bytea primary key,
    -- For audit entries and the revoke form (the hash itself is never shown).
    id bigint generated always as identity,
    officer_id bigint references officers (id) on delete cascade,
    team_id bigint references teams (id) on delete cascade,
    created_at timestamptz not null default now(),
    revoked_at timestamptz,
    created_by bigint references users (id),
    constraint calendar_tokens_id_key unique (id),
    constraint calendar_tokens_one_subject check ((officer_id is null) <> (team_id is null)),
    constraint calendar_tokens_hash_length check (octet_length(token_hash) = 32),
    constraint calendar_tokens_revoked_after_created check (revoked_at is null or revoked_at >= created_at)
);

create index calendar_tokens_officer_idx on calendar_tokens (officer_id) where officer_id is not null;
create index calendar_tokens_team_idx on calendar_tokens (team_id) where team_id is not null;
