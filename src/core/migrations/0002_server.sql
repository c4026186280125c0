-- Keyward schema, version 2: what the license server needs beyond version 1.

-- The daily limit is enforced by one conditional statement that also records how many requests
-- it granted, so a caller learns the grant from RETURNING without a second, racy read.
ALTER TABLE usage_counters ADD COLUMN last_grant BIGINT NOT NULL DEFAULT 0;

-- When a person last lifted a ban or timeout: lets every server instance drop its own copy.
ALTER TABLE ip_states ADD COLUMN lifted_at BIGINT;

-- Which product's app an unban request came through (NULL when a vendor opened it by hand).
ALTER TABLE tickets ADD COLUMN product_id BIGINT;
CREATE INDEX tickets_key_idx ON tickets (license_key);
CREATE INDEX ip_states_timeout_idx ON ip_states (timeout_until);
