-- Files an analyst dry-ran on the upload page, kept for a short time so that "Apply this file"
-- does not ask for the file again. Kept in the database, not on one server's disk, so the apply
-- may reach another instance than the dry run did. Only the SHA-256 of the token in the form is
-- stored, as for sessions. An upload may be applied only by the user who sent it, within 30
-- minutes (the application's rule); older rows are deleted whenever a new upload is kept.

create table import_uploads (
    token_hash bytea primary key,
    user_id bigint not null references users (id) on delete cascade,
    kind text not null,
    pilot_id bigint references pilots (id) on delete cascade,
    city text,
    file_name text not null,
    body bytea not null,
    created_at timestamptz not null default now(),
    constraint import_uploads_hash_length check (octet_length(token_hash) = 32)
);

create index import_uploads_created_at_idx on import_uploads (created_at);
