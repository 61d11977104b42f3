-- An administrator can set a new password for an account; its owner must then choose their own
-- at the next sign-in, before any other page opens. Set by service::accounts::set_password,
-- cleared when the owner changes it (service::accounts::change_own_password).

alter table users add column must_change_password boolean not null default false;
