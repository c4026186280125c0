-- Keyward schema, version 1. Placeholders in double braces are filled per SQL dialect
-- (see Migrations.cpp). Times are milliseconds since the Unix epoch, UTC. Flags are 0/1.

CREATE TABLE keyward_meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE products (
    id {{ID}},
    name TEXT NOT NULL,
    key_pattern TEXT NOT NULL,
    key_prefix TEXT NOT NULL DEFAULT '',
    alphabet TEXT NOT NULL,
    check_symbol INTEGER NOT NULL DEFAULT 0,
    weak_format_allowed INTEGER NOT NULL DEFAULT 0,
    default_expiry_days INTEGER,
    default_max_domains INTEGER,
    default_max_uuids INTEGER,
    token_keys INTEGER NOT NULL DEFAULT 0,
    default_tokens BIGINT NOT NULL DEFAULT 0,
    plan TEXT NOT NULL DEFAULT 'free',
    daily_limit BIGINT,
    max_keys BIGINT,
    archived INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX products_name_uq ON products (lower(name));

-- Bearer tokens of a product's apps; only a SHA-256 of the token is kept.
CREATE TABLE api_keys (
    id {{ID}},
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    name TEXT NOT NULL DEFAULT '',
    token_prefix TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE UNIQUE INDEX api_keys_hash_uq ON api_keys (token_hash);
CREATE INDEX api_keys_product_idx ON api_keys (product_id);

CREATE TABLE admin_tokens (
    id {{ID}},
    name TEXT NOT NULL DEFAULT '',
    role TEXT NOT NULL,
    token_prefix TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);
CREATE UNIQUE INDEX admin_tokens_hash_uq ON admin_tokens (token_hash);

CREATE TABLE license_keys (
    id {{ID}},
    product_id BIGINT NOT NULL REFERENCES products (id),
    license_key {{KEYTEXT}} NOT NULL,
    status TEXT NOT NULL DEFAULT 'active',
    customer_name TEXT NOT NULL DEFAULT '',
    customer_email TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    expires_at BIGINT,
    max_domains INTEGER,
    max_uuids INTEGER,
    token_balance BIGINT,
    revoke_reason TEXT,
    revoked_at BIGINT,
    deleted_at BIGINT
);
CREATE UNIQUE INDEX license_keys_key_uq ON license_keys (license_key);
CREATE INDEX license_keys_product_idx ON license_keys (product_id, id);
CREATE INDEX license_keys_status_idx ON license_keys (status, id);
CREATE INDEX license_keys_expires_idx ON license_keys (expires_at, id);
CREATE INDEX license_keys_created_idx ON license_keys (created_at, id);
CREATE INDEX license_keys_email_idx ON license_keys (customer_email, id);
CREATE INDEX license_keys_trash_idx ON license_keys (deleted_at) WHERE deleted_at IS NOT NULL;

-- Domains and device UUIDs bound to a key.
CREATE TABLE activations (
    id {{ID}},
    key_id BIGINT NOT NULL REFERENCES license_keys (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    first_seen_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    last_ip TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX activations_key_value_uq ON activations (key_id, kind, value);
CREATE INDEX activations_value_idx ON activations (value);

-- One row per validation request. key_hint holds the last characters of a key, never all of it.
CREATE TABLE request_log (
    id {{ID}},
    at BIGINT NOT NULL,
    product_id BIGINT,
    key_id BIGINT,
    key_hint TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT '',
    endpoint TEXT NOT NULL,
    outcome TEXT NOT NULL,
    http_status INTEGER NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX request_log_at_idx ON request_log (at);
CREATE INDEX request_log_key_idx ON request_log (key_id, at);
CREATE INDEX request_log_ip_idx ON request_log (ip, at);
CREATE INDEX request_log_product_idx ON request_log (product_id, at);

-- Validation requests per product per UTC day ('YYYY-MM-DD'), for plan limits.
CREATE TABLE usage_counters (
    product_id BIGINT NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    count BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (product_id, day)
);

CREATE TABLE ip_states (
    ip TEXT PRIMARY KEY,
    strikes INTEGER NOT NULL DEFAULT 0,
    timeouts INTEGER NOT NULL DEFAULT 0,
    timeout_until BIGINT,
    blacklisted INTEGER NOT NULL DEFAULT 0,
    blacklisted_at BIGINT,
    reason TEXT NOT NULL DEFAULT '',
    last_key_hint TEXT NOT NULL DEFAULT '',
    restores INTEGER NOT NULL DEFAULT 0,
    first_seen_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX ip_states_blacklisted_idx ON ip_states (blacklisted, last_seen_at);

CREATE TABLE ip_whitelist (
    id {{ID}},
    cidr TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ip_whitelist_cidr_uq ON ip_whitelist (cidr);

-- Evidence for the support desk: strikes, timeouts, bans and lifts per IP.
CREATE TABLE ip_events (
    id {{ID}},
    ip TEXT NOT NULL,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ip_events_ip_idx ON ip_events (ip, at);

CREATE TABLE tickets (
    id {{ID}},
    license_key TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '',
    requester TEXT NOT NULL DEFAULT 'end_user',
    status TEXT NOT NULL DEFAULT 'open',
    identity_proof INTEGER NOT NULL DEFAULT 0,
    malicious_findings INTEGER NOT NULL DEFAULT 0,
    resolution TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE INDEX tickets_status_idx ON tickets (status, created_at);
CREATE INDEX tickets_ip_idx ON tickets (ip);

CREATE TABLE ticket_notes (
    id {{ID}},
    ticket_id BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    author TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX ticket_notes_ticket_idx ON ticket_notes (ticket_id, at);

CREATE TABLE audit_log (
    id {{ID}},
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_object_idx ON audit_log (object_type, object_id, at);
