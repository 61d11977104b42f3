-- The dashboard counts a pilot's activities by the instant they happened; without this index every
-- request scans every activity of every pilot.
create index activities_occurred_idx on activities (occurred_at);
