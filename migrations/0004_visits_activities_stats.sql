-- What came of the shifts, and the City's open data to compare it with.

create table visits (
    id bigint generated always as identity primary key,
    shift_id bigint not null references shifts (id) on delete cascade,
    hotspot_id bigint not null references hotspots (id) on delete cascade,
    arrived_at timestamptz not null,
    departed_at timestamptz not null,
    source text not null default 'report',
    constraint visits_departed_after_arrival check (departed_at > arrived_at),
    constraint visits_source_known check (source in ('report', 'avl', 'import'))
);

create index visits_shift_idx on visits (shift_id);
create index visits_hotspot_arrival_idx on visits (hotspot_id, arrived_at);

create table activities (
    id bigint generated always as identity primary key,
    shift_id bigint not null references shifts (id) on delete cascade,
    hotspot_id bigint references hotspots (id) on delete set null,
    occurred_at timestamptz not null,
    kind text not null,
    count integer not null default 1,
    note text not null default '',
    constraint activities_kind_known check (kind in (
        'proactive_engagement', 'community_referral', 'mental_health_referral',
        'addiction_referral', 'call_for_service', 'warrant_executed', 'charge_laid',
        'ticket', 'naloxone_administered', 'other')),
    constraint activities_count_positive check (count > 0)
);

create index activities_shift_idx on activities (shift_id);

-- Monthly counts as the City publishes them; community is the City's name (e.g. BELTLINE).
create table community_stats (
    community text not null,
    category text not null,
    year integer not null,
    month integer not null,
    count integer not null,
    -- 'crime' or 'disorder': the dataset the row came from.
    dataset text not null,
    constraint community_stats_pkey primary key (dataset, community, category, year, month),
    constraint community_stats_month_range check (month between 1 and 12),
    constraint community_stats_count_not_negative check (count >= 0),
    constraint community_stats_dataset_known check (dataset in ('crime', 'disorder'))
);
