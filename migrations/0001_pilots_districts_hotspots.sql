-- Pilots, their coverage areas and the hotspots inside them.
-- Instants are timestamptz; local calendar dates and watch windows are date and time in the pilot's zone.

create table pilots (
    id bigint generated always as identity primary key,
    slug text not null,
    name text not null,
    city text not null,
    time_zone text not null,
    starts_on date not null,
    ends_on date not null,
    block_minutes integer not null default 60,
    created_at timestamptz not null default now(),
    constraint pilots_slug_key unique (slug),
    constraint pilots_slug_format check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    constraint pilots_dates_in_order check (ends_on >= starts_on),
    constraint pilots_block_minutes_range check (block_minutes between 5 and 240)
);

create table districts (
    id bigint generated always as identity primary key,
    pilot_id bigint not null references pilots (id) on delete cascade,
    code text not null,
    name text not null,
    -- GeoJSON MultiPolygon geometry in WGS84 longitude/latitude.
    boundary jsonb not null,
    constraint districts_pilot_code_key unique (pilot_id, code),
    constraint districts_pilot_name_key unique (pilot_id, name),
    -- Lets hotspots reference a district of their own pilot only.
    constraint districts_id_pilot_key unique (id, pilot_id),
    constraint districts_boundary_is_multipolygon check (boundary ->> 'type' = 'MultiPolygon')
);

create table hotspots (
    id bigint generated always as identity primary key,
    pilot_id bigint not null references pilots (id) on delete cascade,
    district_id bigint not null,
    name text not null,
    priority smallint not null,
    active_from date not null,
    active_to date,
    window_start time not null,
    window_end time not null,
    target_minutes_per_day integer not null,
    max_gap_minutes integer not null default 120,
    reason text not null default '',
    -- GeoJSON Polygon geometry in WGS84 longitude/latitude.
    boundary jsonb not null,
    constraint hotspots_pilot_name_key unique (pilot_id, name),
    -- Lets shifts' directions, visits and activities refer to hotspots of their own pilot only.
    constraint hotspots_id_pilot_key unique (id, pilot_id),
    constraint hotspots_district_same_pilot foreign key (district_id, pilot_id)
        references districts (id, pilot_id) on delete cascade,
    constraint hotspots_priority_range check (priority between 1 and 3),
    constraint hotspots_active_dates_in_order check (active_to is null or active_to >= active_from),
    constraint hotspots_target_positive check (target_minutes_per_day > 0),
    constraint hotspots_max_gap_positive check (max_gap_minutes > 0),
    constraint hotspots_boundary_is_polygon check (boundary ->> 'type' = 'Polygon')
);

create index hotspots_district_idx on hotspots (district_id);
