-- What the learner did to a card besides answering it: buried until a moment (the next study
-- day's start), suspended until unsuspended, flagged. A card without a row has none of these.
CREATE TABLE card_marks (
    pack_id      TEXT    NOT NULL,
    card_id      TEXT    NOT NULL,
    suspended    INTEGER NOT NULL DEFAULT 0,
    buried_until INTEGER,           -- UTC milliseconds; out of the queue until then
    flagged      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (pack_id, card_id)
) STRICT;
