-- Row counts for the exports page, kept like the other roll-ups of migration 0010 (in the same
-- transaction as every change, by db::rollups::refresh), so the page reads a few hundred rows
-- rather than counting every shift, member and activity of a city-sized pilot. Tests prove they
-- equal the rows each download gives.

-- How many activities (rows, not their summed counts) each activity_days row stands for.
alter table activity_days add column rows bigint not null default 0;

delete from activity_days;
insert into activity_days (pilot_id, day, kind, district_id, count, rows)
select s.pilot_id, (a.occurred_at at time zone p.time_zone)::date, a.kind, h.district_id,
       sum(a.count), count(*)
  from activities a
  join shifts s on s.id = a.shift_id
  join pilots p on p.id = s.pilot_id
  left join hotspots h on h.id = a.hotspot_id
 group by 1, 2, 3, 4;

-- Shifts and their members by the local date the shift starts: one row of every shift of the
-- pilot (district_id empty), and one per district of the shifts directed to at least one of its
-- hotspots (a shift directed to two districts counts in each). Cancelled shifts count: the
-- exports list them.
create table shift_days (
    pilot_id bigint not null references pilots (id) on delete cascade,
    day date not null,
    district_id bigint references districts (id) on delete cascade,
    shifts bigint not null,
    members bigint not null
);

create index shift_days_pilot_day_idx on shift_days (pilot_id, day);

insert into shift_days (pilot_id, day, district_id, shifts, members)
with pilot_shifts as (
    select s.id, s.pilot_id, (s.starts_at at time zone p.time_zone)::date as day,
           (select count(*) from shift_members sm where sm.shift_id = s.id) as members
      from shifts s join pilots p on p.id = s.pilot_id)
select ps.pilot_id, ps.day, null::bigint, count(*), sum(ps.members)
  from pilot_shifts ps
 group by ps.pilot_id, ps.day
union all
select ps.pilot_id, ps.day, d.district_id, count(*), sum(ps.members)
  from pilot_shifts ps
  join lateral (select distinct h.district_id
                  from shift_hotspots sh join hotspots h on h.id = sh.hotspot_id
                 where sh.shift_id = ps.id) d on true
 group by ps.pilot_id, ps.day, d.district_id;
