-- The WeChat callbacks accepted lately (bot.adapters.wechat_callback): each one's signed
-- nonce, timestamp and signature, and a digest of the message it carried.  A second use of
-- the same three with another message is a forgery (an Official Account in plain mode signs
-- the query alone, not the body) and is refused; with the same message it is WeChat's own
-- retry.  Shared by every process on the database; entries older than the replay window are
-- deleted as new ones come in (`stamp`: the callback's timestamp, seconds since the epoch).
CREATE TABLE callback_nonces (
    channel    TEXT NOT NULL,
    nonce      TEXT NOT NULL,
    stamp      INTEGER NOT NULL,
    signature  TEXT NOT NULL,
    digest     TEXT NOT NULL,
    PRIMARY KEY (channel, nonce, stamp, signature)
);
CREATE INDEX callback_nonces_stamp ON callback_nonces (stamp);
