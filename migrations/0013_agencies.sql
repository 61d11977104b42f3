-- Agencies as data: the forces officers belong to are rows, added with `patrolboard agency add`
-- or on /admin/agencies (service::agencies::add), instead of a list in two check constraints.
-- A code is what officers.agency and teams.agency hold; the name is the agency's full name
-- ("Calgary Police Service") and the label its short form on crowded pages ("CPS").

create table agencies (
    code text not null,
    name text not null,
    label text not null,
    created_at timestamptz not null default now(),
    constraint agencies_pkey primary key (code),
    constraint agencies_code_format check (code ~ '^[a-z][a-z0-9_]{0,39}$'),
    -- teams.agency says `joint` for a team of several agencies, so no agency may be called that.
    constraint agencies_code_not_joint check (code <> 'joint'),
    constraint agencies_name_not_blank check (btrim(name) <> ''),
    constraint agencies_label_not_blank check (btrim(label) <> '')
);

-- The agencies officers and teams already name. The two the check constraints allowed get their
-- names; any other code (none could be stored) would be named by itself.
insert into agencies (code, name, label)
select code,
       case code when 'alberta_sheriffs' then 'Alberta Sheriffs'
                 when 'cps' then 'Calgary Police Service'
                 else code end,
       case code when 'alberta_sheriffs' then 'Sheriffs'
                 when 'cps' then 'CPS'
                 else code end
  from (select agency as code from officers
        union
        select agency from teams where agency <> 'joint') used;

alter table officers
    drop constraint officers_agency_known,
    add constraint officers_agency_fkey foreign key (agency) references agencies (code);

-- A team's agency is an agency's code or `joint`; the generated column holds the code (null for
-- a joint team) so that a foreign key can hold it to the agencies on file.
alter table teams
    drop constraint teams_agency_known,
    add column agency_code text generated always as (nullif(agency, 'joint')) stored,
    add constraint teams_agency_fkey foreign key (agency_code) references agencies (code);
