-- Why a shift was cancelled, as the supervisor who cancelled it wrote it (issue 13): the roster
-- and the audit log show it. Empty for shifts cancelled before it was asked for, and by imports.
alter table shifts add column cancel_reason text not null default '';
