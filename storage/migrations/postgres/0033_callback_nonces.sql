-- The same as storage/migrations/sqlite/0033_callback_nonces.sql.
CREATE TABLE callback_nonces (
    channel    TEXT NOT NULL,
    nonce      TEXT NOT NULL,
    stamp      BIGINT NOT NULL,
    signature  TEXT NOT NULL,
    digest     TEXT NOT NULL,
    PRIMARY KEY (channel, nonce, stamp, signature)
);
CREATE INDEX callback_nonces_stamp ON callback_nonces (stamp);
