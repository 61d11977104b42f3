-- Coarser roll-ups, so a page over a year reads a few thousand rows whatever the pilot's size.
-- Like hotspot_days, the application keeps them up to date in the same transaction as every
-- change (db::rollups::refresh, called by db::coverage::refresh), and tests prove they always
-- equal a recomputation from the raw tables. A database that already holds pilots is filled in
-- by db::rollups::backfill, which `migrate` and `serve` run after the migrations.

-- The roster form has always refused shifts over 16 hours; saying so here lets a query for the
-- shifts overlapping an instant bound their starts from below.
alter table shifts
    add constraint shifts_at_most_16_hours check (ends_at - starts_at <= interval '16 hours');

-- hotspot_days summed (figures and hour-of-week slots) per hotspot and per district, over each
-- calendar month, each ISO week (Monday to Sunday) and, for districts, each day; a row covers the
-- days of its period that have hotspot_days rows. A range of dates is read as its whole months,
-- then whole weeks, then single days (db::figures::Pieces).
create table hotspot_months (
    hotspot_id bigint not null references hotspots (id) on delete cascade,
    month date not null,
    blocks integer not null,
    planned_blocks integer not null,
    delivered_blocks integer not null,
    patrol_seconds bigint not null,
    officer_seconds bigint not null,
    visits integer not null,
    koper_visits integer not null,
    pass_throughs integer not null,
    longest_gap_seconds bigint not null,
    window_seconds bigint not null,
    target_seconds bigint not null,
    capped_patrol_seconds bigint not null,
    slot_hours smallint[] not null,
    slot_blocks smallint[] not null,
    slot_planned smallint[] not null,
    constraint hotspot_months_pkey primary key (hotspot_id, month),
    constraint hotspot_months_first_day check (extract(day from month) = 1)
);

create table hotspot_weeks (
    hotspot_id bigint not null references hotspots (id) on delete cascade,
    week date not null,
    blocks integer not null,
    planned_blocks integer not null,
    delivered_blocks integer not null,
    patrol_seconds bigint not null,
    officer_seconds bigint not null,
    visits integer not null,
    koper_visits integer not null,
    pass_throughs integer not null,
    longest_gap_seconds bigint not null,
    window_seconds bigint not null,
    target_seconds bigint not null,
    capped_patrol_seconds bigint not null,
    slot_hours smallint[] not null,
    slot_blocks smallint[] not null,
    slot_planned smallint[] not null,
    constraint hotspot_weeks_pkey primary key (hotspot_id, week),
    constraint hotspot_weeks_monday check (extract(isodow from week) = 1)
);

create table district_months (
    district_id bigint not null references districts (id) on delete cascade,
    month date not null,
    blocks integer not null,
    planned_blocks integer not null,
    delivered_blocks integer not null,
    patrol_seconds bigint not null,
    officer_seconds bigint not null,
    visits integer not null,
    koper_visits integer not null,
    pass_throughs integer not null,
    longest_gap_seconds bigint not null,
    window_seconds bigint not null,
    target_seconds bigint not null,
    capped_patrol_seconds bigint not null,
    slot_hours smallint[] not null,
    slot_blocks smallint[] not null,
    slot_planned smallint[] not null,
    constraint district_months_pkey primary key (district_id, month),
    constraint district_months_first_day check (extract(day from month) = 1)
);

create table district_weeks (
    district_id bigint not null references districts (id) on delete cascade,
    week date not null,
    blocks integer not null,
    planned_blocks integer not null,
    delivered_blocks integer not null,
    patrol_seconds bigint not null,
    officer_seconds bigint not null,
    visits integer not null,
    koper_visits integer not null,
    pass_throughs integer not null,
    longest_gap_seconds bigint not null,
    window_seconds bigint not null,
    target_seconds bigint not null,
    capped_patrol_seconds bigint not null,
    slot_hours smallint[] not null,
    slot_blocks smallint[] not null,
    slot_planned smallint[] not null,
    constraint district_weeks_pkey primary key (district_id, week),
    constraint district_weeks_monday check (extract(isodow from week) = 1)
);

create table district_days (
    district_id bigint not null references districts (id) on delete cascade,
    day date not null,
    blocks integer not null,
    planned_blocks integer not null,
    delivered_blocks integer not null,
    patrol_seconds bigint not null,
    officer_seconds bigint not null,
    visits integer not null,
    koper_visits integer not null,
    pass_throughs integer not null,
    longest_gap_seconds bigint not null,
    window_seconds bigint not null,
    target_seconds bigint not null,
    capped_patrol_seconds bigint not null,
    slot_hours smallint[] not null,
    slot_blocks smallint[] not null,
    slot_planned smallint[] not null,
    constraint district_days_pkey primary key (district_id, day)
);

-- Officer-hours (DESIGN section 3) of the non-cancelled shifts starting on each local day, by
-- the members' agency and by district: a shift's time is split evenly among the districts of
-- its hotspots; a shift directed to no hotspot counts with no district.
create table officer_days (
    pilot_id bigint not null references pilots (id) on delete cascade,
    day date not null,
    agency text not null,
    district_id bigint references districts (id) on delete cascade,
    seconds double precision not null
);

create index officer_days_pilot_day_idx on officer_days (pilot_id, day);

-- Activities counted per local day of occurrence, kind, and district of their hotspot (none for
-- an activity away from a hotspot).
create table activity_days (
    pilot_id bigint not null references pilots (id) on delete cascade,
    day date not null,
    kind text not null,
    district_id bigint references districts (id) on delete cascade,
    count bigint not null
);

create index activity_days_pilot_day_idx on activity_days (pilot_id, day);
