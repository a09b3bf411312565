-- FSRS parameters fitted to the learner, per pack, with their history: every fit (adopted or
-- kept out, with both figures on the held-out reviews and why) and every return to the defaults.
-- The newest row with adopted = 1 holds the parameters in use; none means the defaults.
CREATE TABLE fsrs_params (
    id               INTEGER PRIMARY KEY,
    pack_id          TEXT    NOT NULL,
    made_ms          INTEGER NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('fit', 'defaults')),
    reviews          INTEGER NOT NULL, -- usable reviews (cards past their first day) at the time
    params           TEXT    NOT NULL, -- JSON array of 21 numbers
    current_log_loss REAL,
    current_rmse     REAL,
    fitted_log_loss  REAL,
    fitted_rmse      REAL,
    adopted          INTEGER NOT NULL CHECK (adopted IN (0, 1)),
    reason           TEXT    NOT NULL
) STRICT;

CREATE INDEX fsrs_params_by_pack ON fsrs_params (pack_id, made_ms);
