-- Officers, teams and assignments are edited in the browser and imported from a CSV
-- (service::people): an assignment now says which of the pilot's teams the officer is in, and an
-- officer is assigned to a pilot once at a time.

-- The officer's team in the pilot, if any: a team of the same pilot, as for shifts. Should a team
-- ever be removed, its members' assignments stay, without a team.
alter table assignments
    add column team_id bigint,
    add constraint assignments_team_same_pilot foreign key (team_id, pilot_id)
        references teams (id, pilot_id) on delete set null (team_id);

create index assignments_team_idx on assignments (team_id);

-- Two assignments of one officer to one pilot never share a day: the form and the import check
-- this first, and the database holds it for writers racing each other. The officers import
-- checks the state its whole file leads to and defers the constraint to its commit, since
-- moving one assignment's days into another's, row by row, may pass through an overlap.
alter table assignments
    add constraint assignments_no_overlap exclude using gist (
        officer_id with =,
        pilot_id with =,
        daterange(starts_on, ends_on, '[]') with &&
    ) deferrable initially immediate;
