-- Settings as text key/value pairs, and which notes the learner has opened.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE note_reads (
    pack_id    TEXT NOT NULL,
    topic_id   TEXT NOT NULL,
    first_read INTEGER NOT NULL, -- UTC milliseconds
    last_read  INTEGER NOT NULL, -- UTC milliseconds
    PRIMARY KEY (pack_id, topic_id)
) STRICT;
