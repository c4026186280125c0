-- Keyward schema, version 4: a change to many keys at once is one audit entry.
--
-- Trashing, restoring or deleting keys (one or a million) records one row in audit_log, whose
-- detail holds the count, and lists the keys it touched here: each key's history still shows the
-- change, without a JSON row and two index entries per key (seconds for a million keys). The
-- primary key answers "the history of key N" directly. key_text keeps the key of a key deleted
-- forever, whose row is gone (NULL otherwise: the key row has it).
CREATE TABLE audit_keys (
    key_id BIGINT NOT NULL,
    audit_id BIGINT NOT NULL,
    key_text TEXT,
    PRIMARY KEY (key_id, audit_id)
){{WITHOUT_ROWID}};
