-- People, teams and the shift roster.

create extension if not exists btree_gist;

create table officers (
    id bigint generated always as identity primary key,
    agency text not null,
    badge_number text not null,
    name text not null,
    rank text not null default '',
    home_unit text not null default '',
    constraint officers_agency_badge_key unique (agency, badge_number),
    constraint officers_agency_known check (agency in ('alberta_sheriffs', 'cps')),
    constraint officers_badge_not_blank check (btrim(badge_number) <> '')
);

create table assignments (
    id bigint generated always as identity primary key,
    officer_id bigint not null references officers (id) on delete cascade,
    pilot_id bigint not null references pilots (id) on delete cascade,
    starts_on date not null,
    ends_on date not null,
    role text not null,
    constraint assignments_dates_in_order check (ends_on >= starts_on)
);

create index assignments_pilot_idx on assignments (pilot_id, officer_id);

create table teams (
    id bigint generated always as identity primary key,
    pilot_id bigint not null references pilots (id) on delete cascade,
    name text not null,
    agency text not null,
    mode text not null,
    constraint teams_pilot_name_key unique (pilot_id, name),
    constraint teams_id_pilot_key unique (id, pilot_id),
    constraint teams_agency_known check (agency in ('alberta_sheriffs', 'cps', 'joint')),
    constraint teams_mode_known check (mode in ('foot', 'bike', 'vehicle'))
);

create table users (
    id bigint generated always as identity primary key,
    username text not null,
    display_name text not null,
    role text not null,
    password_hash text not null,
    active boolean not null default true,
    created_at timestamptz not null default now(),
    constraint users_username_key unique (username),
    constraint users_username_format check (username ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
    constraint users_role_known check (role in ('viewer', 'supervisor', 'analyst', 'admin'))
);

create table shifts (
    id bigint generated always as identity primary key,
    pilot_id bigint not null references pilots (id) on delete cascade,
    team_id bigint not null,
    starts_at timestamptz not null,
    ends_at timestamptz not null,
    mode text not null,
    status text not null default 'planned',
    notes text not null default '',
    version integer not null default 1,
    created_by bigint references users (id),
    updated_by bigint references users (id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint shifts_team_same_pilot foreign key (team_id, pilot_id)
        references teams (id, pilot_id) on delete cascade,
    constraint shifts_ends_after_start check (ends_at > starts_at),
    constraint shifts_mode_known check (mode in ('foot', 'bike', 'vehicle')),
    constraint shifts_status_known check (status in ('planned', 'completed', 'cancelled')),
    constraint shifts_version_positive check (version > 0)
);

create index shifts_pilot_time_idx on shifts (pilot_id, starts_at);
create index shifts_team_idx on shifts (team_id);

create table shift_hotspots (
    shift_id bigint not null references shifts (id) on delete cascade,
    hotspot_id bigint not null references hotspots (id) on delete cascade,
    constraint shift_hotspots_pkey primary key (shift_id, hotspot_id)
);

create index shift_hotspots_hotspot_idx on shift_hotspots (hotspot_id);
