-- Officers sign in too (issue 15): an account of role `officer` is linked to the officer record
-- it belongs to, sees only that officer's shifts and the now board, and logs visits from a phone.
alter table users drop constraint users_role_known;
alter table users add constraint users_role_known
    check (role in ('officer', 'viewer', 'supervisor', 'analyst', 'admin'));
alter table users add column officer_id bigint references officers (id);
alter table users add constraint users_officer_once unique (officer_id);
alter table users add constraint users_officer_linked check (role <> 'officer' or officer_id is not null);

-- A button pressed on a phone carries a token made when its page was drawn: pressed twice (a
-- double tap, a retry on a slow network), the second finds its token taken and changes nothing.
create table action_tokens (
    token text primary key,
    user_id bigint not null references users (id) on delete cascade,
    used_at timestamptz not null default now()
);

-- An officer's "Arrived" at a hotspot, waiting for their "Left": then it becomes a visit (through
-- the shift log's one write path) and this row goes. One at a time per hotspot and shift.
create table arrivals (
    id bigint generated always as identity primary key,
    user_id bigint not null references users (id) on delete cascade,
    shift_id bigint not null references shifts (id) on delete cascade,
    hotspot_id bigint not null references hotspots (id) on delete cascade,
    arrived_at timestamptz not null,
    constraint arrivals_once unique (shift_id, hotspot_id)
);
