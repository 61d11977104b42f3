-- A city's communities (the City's community boundaries) as reference data of the city, from
-- which a pilot's districts are chosen; and the City's community statistics as a city's data, so
-- two cities' communities of the same name never mix.

create table communities (
    id bigint generated always as identity primary key,
    -- As the pilots name it, e.g. Calgary.
    city text not null,
    -- The City's COMM_CODE, e.g. BLN.
    code text not null,
    -- As people write it, e.g. Beltline.
    name text not null,
    -- The City's SECTOR, e.g. CENTRE; empty when the file has none.
    sector text,
    -- GeoJSON MultiPolygon geometry in WGS84 longitude/latitude.
    boundary jsonb not null,
    constraint communities_city_code_key unique (city, code),
    constraint communities_city_name_key unique (city, name),
    constraint communities_city_not_blank check (btrim(city) <> ''),
    constraint communities_boundary_is_multipolygon check (boundary ->> 'type' = 'MultiPolygon')
);

-- Statistics rows stored so far get the city of the pilots when they all share one; otherwise
-- (no pilot, or pilots in several cities) Calgary, since the only statistics the import has read
-- are the Calgary Police Service's files.
alter table community_stats add column city text;

update community_stats
   set city = coalesce(
         (select min(city) from pilots having count(distinct city) = 1),
         'Calgary');

alter table community_stats
    alter column city set not null,
    add constraint community_stats_city_not_blank check (btrim(city) <> ''),
    drop constraint community_stats_pkey,
    add constraint community_stats_pkey primary key (city, dataset, community, category, year, month);

-- The district and hotspot pages read one community of a city by its name in capitals.
create index community_stats_city_community_idx on community_stats (city, upper(community));
