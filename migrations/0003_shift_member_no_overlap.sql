-- An officer is never on two overlapping non-cancelled shifts.
-- An exclusion constraint can only look at one table, so each membership carries a copy of its
-- shift's period and whether the shift counts; triggers keep the copy true. Because the database
-- checks it, the rule holds for concurrent writers too: the second of two racing inserts waits for
-- the first and then fails with shift_members_no_overlap.

create table shift_members (
    shift_id bigint not null references shifts (id) on delete cascade,
    officer_id bigint not null references officers (id),
    shift_period tstzrange not null,
    counts boolean not null,
    constraint shift_members_pkey primary key (shift_id, officer_id),
    constraint shift_members_no_overlap exclude using gist (
        officer_id with =,
        shift_period with &&
    ) where (counts)
);

create index shift_members_officer_idx on shift_members (officer_id);

create function shift_members_copy_shift() returns trigger
language plpgsql as $$
begin
    select tstzrange(s.starts_at, s.ends_at, '[)'), s.status <> 'cancelled'
      into new.shift_period, new.counts
      from shifts s
     where s.id = new.shift_id;
    return new;
end;
$$;

create trigger shift_members_copy_shift
    before insert or update on shift_members
    for each row execute function shift_members_copy_shift();

create function shifts_propagate_to_members() returns trigger
language plpgsql as $$
begin
    update shift_members
       set shift_period = tstzrange(new.starts_at, new.ends_at, '[)'),
           counts = new.status <> 'cancelled'
     where shift_id = new.id;
    return new;
end;
$$;

create trigger shifts_propagate_to_members
    after update of starts_at, ends_at, status on shifts
    for each row execute function shifts_propagate_to_members();
