-- Coverage figures per hotspot per local day (DESIGN section 3), kept up to date by the
-- application in the same transaction as every change to shifts, visits or hotspots, so the
-- dashboard sums small rows instead of recomputing from every shift and visit. Tests prove these
-- rows always equal a recomputation from the raw tables.

create table hotspot_days (
    hotspot_id bigint not null references hotspots (id) on delete cascade,
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
    -- Hour-of-week slots of this day's blocks (ISO weekday Mon=0 × 24 + local hour), sparse:
    -- slot_hours[i] has slot_blocks[i] blocks of which slot_planned[i] are planned.
    slot_hours smallint[] not null,
    slot_blocks smallint[] not null,
    slot_planned smallint[] not null,
    constraint hotspot_days_pkey primary key (hotspot_id, day),
    constraint hotspot_days_planned_within_blocks check (planned_blocks between 0 and blocks),
    constraint hotspot_days_delivered_within_blocks check (delivered_blocks between 0 and blocks)
);

create index hotspot_days_day_idx on hotspot_days (day);
