-- When each community was last written, so a server can tell in one small query whether the
-- city's outlines it parsed for the dashboard map are still current (web::city_outlines).
alter table communities add column updated_at timestamptz not null default now();
