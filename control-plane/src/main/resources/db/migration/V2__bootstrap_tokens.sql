-- Bootstrap tokens minted by the REST API: their claims, never the token itself, and revocations.
CREATE TABLE bootstrap_tokens (
    id              TEXT PRIMARY KEY,
    namespace       TEXT NOT NULL,
    service_account TEXT NOT NULL,
    node_id         TEXT NOT NULL,
    role            TEXT NOT NULL,
    issued_at       TEXT NOT NULL, -- ISO-8601 instant
    expires_at      TEXT NOT NULL,
    revoked_at      TEXT           -- null while the token holds
);
