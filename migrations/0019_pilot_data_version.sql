-- A per-pilot data version for the caches of computed pages (docs/architecture.md, "Caches").
-- Every change writes an audit entry in its own transaction, so the audit log is where the
-- version is bumped: an entry names the pilot it concerns, or none for a change that is not one
-- pilot's (an agency, an account, a city's communities or statistics), which bumps every pilot.
alter table pilots
    add column data_version bigint not null default 1;

alter table audit_log
    add column pilot_id bigint,
    add constraint audit_log_pilot_fkey foreign key (pilot_id) references pilots (id)
        on delete set null;

-- Bumps at commit (the trigger is deferred), after every other lock the transaction takes, so
-- the pilot's row lock cannot deadlock with the coverage refresh's locks; and once per pilot per
-- transaction (a transaction-local setting), so an import of thousands of rows bumps once.
-- Every pilot is locked in id order, so two changes bumping all pilots wait for each other.
create function bump_pilot_data_version() returns trigger
language plpgsql as $$
begin
    if current_setting('patrolboard.bumped_all', true) = 'on' then
        return null;
    end if;
    if new.pilot_id is null then
        perform 1 from pilots order by id for no key update;
        update pilots set data_version = data_version + 1;
        perform set_config('patrolboard.bumped_all', 'on', true);
    elsif coalesce(current_setting('patrolboard.bumped_' || new.pilot_id, true), '') <> 'on' then
        update pilots set data_version = data_version + 1 where id = new.pilot_id;
        perform set_config('patrolboard.bumped_' || new.pilot_id, 'on', true);
    end if;
    return null;
end;
$$;

create constraint trigger audit_log_bumps_pilot_data_version
    after insert on audit_log
    deferrable initially deferred
    for each row execute function bump_pilot_data_version();
