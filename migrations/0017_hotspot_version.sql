-- A version for optimistic locking of hotspots, as shifts have: the edit page's form carries the
-- version it was filled from, and a save from an older one is refused. Every write of a hotspot
-- (the edit form, retiring, a new outline, an import that changes it) adds one.
alter table hotspots
    add column version integer not null default 1,
    add constraint hotspots_version_positive check (version > 0);
