//! Anki collections (`collection.anki2` inside an `.apkg`): writing one for `coldstart pack
//! export --format apkg` and reading the notes of one for `coldstart pack import-anki`. This is
//! SQL, so it lives in `store`; the rest of the exchange (zip, fields, HTML) is in
//! `authoring::exchange`.
//!
//! The written file uses Anki's legacy schema 11, which every Anki since 2.1 imports (current
//! Anki upgrades it on import).

use std::path::Path;

use rusqlite::{Connection, OpenFlags, params};
use serde_json::json;

use super::StoreError;

/// A note to write: fields in the note type's order.
#[derive(Clone, Debug)]
pub struct AnkiNote {
    pub id: i64,
    pub guid: String,
    pub fields: Vec<String>,
    pub tags: Vec<String>,
}

/// A card's scheduling in Anki's terms (`type`, `queue`, `due`, `ivl`, …).
#[derive(Clone, Debug)]
pub struct AnkiCard {
    pub id: i64,
    pub note_id: i64,
    /// 0 new, 1 learning, 2 review, 3 relearning.
    pub kind: i64,
    /// 0 new, 1 learning, 2 review.
    pub queue: i64,
    /// New: position; learning: epoch seconds; review: days since the collection's creation.
    pub due: i64,
    /// Days.
    pub ivl: i64,
    pub factor: i64,
    pub reps: i64,
    pub lapses: i64,
}

/// One review answer.
#[derive(Clone, Debug)]
pub struct AnkiReview {
    /// Epoch milliseconds, unique in the collection.
    pub id: i64,
    pub card_id: i64,
    /// 1 again, 2 hard, 3 good, 4 easy.
    pub ease: i64,
    /// Days when positive, seconds when negative (learning), as Anki writes it.
    pub ivl: i64,
    pub last_ivl: i64,
    pub factor: i64,
    pub time_ms: i64,
    /// 0 learning, 1 review, 2 relearning.
    pub kind: i64,
}

/// Everything written into a collection.
#[derive(Clone, Debug)]
pub struct AnkiCollection {
    pub deck_id: i64,
    pub deck_name: String,
    pub model_id: i64,
    pub model_name: String,
    pub field_names: Vec<String>,
    /// Card template (question and answer side) and styling.
    pub qfmt: String,
    pub afmt: String,
    pub css: String,
    /// Collection creation, epoch seconds (review cards' `due` counts days from it).
    pub created_s: i64,
    pub now_ms: i64,
    pub notes: Vec<AnkiNote>,
    pub cards: Vec<AnkiCard>,
    pub revlog: Vec<AnkiReview>,
}

const SCHEMA: &str = "
CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null,
  scm integer not null, ver integer not null, dty integer not null, usn integer not null,
  ls integer not null, conf text not null, models text not null, decks text not null,
  dconf text not null, tags text not null);
CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null,
  mod integer not null, usn integer not null, tags text not null, flds text not null,
  sfld integer not null, csum integer not null, flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null,
  ord integer not null, mod integer not null, usn integer not null, type integer not null,
  queue integer not null, due integer not null, ivl integer not null, factor integer not null,
  reps integer not null, lapses integer not null, left integer not null, odue integer not null,
  odid integer not null, flags integer not null, data text not null);
CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null,
  ease integer not null, ivl integer not null, lastIvl integer not null, factor integer not null,
  time integer not null, type integer not null);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
CREATE INDEX ix_notes_usn on notes (usn);
CREATE INDEX ix_cards_usn on cards (usn);
CREATE INDEX ix_revlog_usn on revlog (usn);
CREATE INDEX ix_cards_nid on cards (nid);
CREATE INDEX ix_cards_sched on cards (did, queue, due);
CREATE INDEX ix_revlog_cid on revlog (cid);
CREATE INDEX ix_notes_csum on notes (csum);
";

/// The checksum Anki keeps of a note's first field: the first 8 hex digits of the SHA-1 of the
/// field with HTML tags removed.
pub fn field_checksum(first_field: &str) -> i64 {
    let mut plain = String::new();
    let mut in_tag = false;
    for c in first_field.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => plain.push(c),
            _ => {}
        }
    }
    let digest = sha1_smol::Sha1::from(plain.as_bytes()).digest().bytes();
    i64::from(u32::from_be_bytes([
        digest[0], digest[1], digest[2], digest[3],
    ]))
}

/// Writes `c` as a new SQLite file at `path` (which must not exist), in one transaction.
pub fn write_anki_collection(path: &Path, c: &AnkiCollection) -> Result<(), StoreError> {
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
    )?;
    let tx = conn.transaction()?;
    tx.execute_batch(SCHEMA)?;
    let modified_s = c.now_ms / 1000;
    let fields: Vec<_> = c
        .field_names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            json!({"name": name, "ord": i, "sticky": false, "rtl": false, "font": "Arial",
                   "size": 20, "media": [], "description": "", "plainText": false,
                   "collapsed": false, "excludeFromSearch": false})
        })
        .collect();
    let model = json!({
        "id": c.model_id, "name": c.model_name, "type": 0, "mod": modified_s, "usn": -1,
        "sortf": 0, "did": c.deck_id, "tmpls": [{
            "name": "Card 1", "ord": 0, "qfmt": c.qfmt, "afmt": c.afmt, "did": null,
            "bqfmt": "", "bafmt": "", "bfont": "", "bsize": 0
        }],
        "flds": fields, "css": c.css,
        "latexPre": "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
        "latexPost": "\\end{document}", "latexsvg": false,
        "req": [[0, "any", [0]]], "tags": [], "vers": []
    });
    let deck = |id: i64, name: &str| {
        json!({
            "id": id, "name": name, "mod": modified_s, "usn": -1, "lrnToday": [0, 0],
            "revToday": [0, 0], "newToday": [0, 0], "timeToday": [0, 0], "collapsed": false,
            "browserCollapsed": false, "desc": "", "dyn": 0, "conf": 1, "extendNew": 0,
            "extendRev": 0
        })
    };
    let dconf = json!({"1": {
        "id": 1, "name": "Default", "mod": 0, "usn": 0, "maxTaken": 60, "autoplay": true,
        "timer": 0, "replayq": true, "dyn": false,
        "new": {"delays": [1.0, 10.0], "ints": [1, 4, 0], "initialFactor": 2500,
                "order": 1, "perDay": 20, "bury": false},
        "rev": {"perDay": 200, "ease4": 1.3, "maxIvl": 36500, "hardFactor": 1.2,
                "bury": false, "ivlFct": 1.0},
        "lapse": {"delays": [10.0], "mult": 0.0, "minInt": 1, "leechFails": 8,
                  "leechAction": 1}
    }});
    let conf = json!({
        "activeDecks": [1], "curDeck": c.deck_id, "newSpread": 0, "collapseTime": 1200,
        "timeLim": 0, "estTimes": true, "dueCounts": true, "curModel": c.model_id,
        "nextPos": c.notes.len() + 1, "sortType": "noteFld", "sortBackwards": false,
        "addToCur": true
    });
    let mut models = serde_json::Map::new();
    models.insert(c.model_id.to_string(), model);
    let mut decks = serde_json::Map::new();
    decks.insert("1".to_owned(), deck(1, "Default"));
    decks.insert(c.deck_id.to_string(), deck(c.deck_id, &c.deck_name));
    tx.execute(
        "INSERT INTO col VALUES (1, ?1, ?2, ?2, 11, 0, 0, 0, ?3, ?4, ?5, ?6, '{}')",
        params![
            c.created_s,
            c.now_ms,
            conf.to_string(),
            serde_json::Value::Object(models).to_string(),
            serde_json::Value::Object(decks).to_string(),
            dconf.to_string()
        ],
    )?;
    {
        let mut insert =
            tx.prepare("INSERT INTO notes VALUES (?1, ?2, ?3, ?4, -1, ?5, ?6, ?7, ?8, 0, '')")?;
        for n in &c.notes {
            let first = n.fields.first().map(String::as_str).unwrap_or("");
            let tags = if n.tags.is_empty() {
                String::new()
            } else {
                format!(" {} ", n.tags.join(" "))
            };
            insert.execute(params![
                n.id,
                n.guid,
                c.model_id,
                modified_s,
                tags,
                n.fields.join("\u{1f}"),
                first,
                field_checksum(first)
            ])?;
        }
        let mut insert = tx.prepare(
            "INSERT INTO cards VALUES (?1, ?2, ?3, 0, ?4, -1, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 0, 0, 0, 0, '')",
        )?;
        for k in &c.cards {
            insert.execute(params![
                k.id, k.note_id, c.deck_id, modified_s, k.kind, k.queue, k.due, k.ivl, k.factor,
                k.reps, k.lapses
            ])?;
        }
        let mut insert =
            tx.prepare("INSERT INTO revlog VALUES (?1, ?2, -1, ?3, ?4, ?5, ?6, ?7, ?8)")?;
        for r in &c.revlog {
            insert.execute(params![
                r.id, r.card_id, r.ease, r.ivl, r.last_ivl, r.factor, r.time_ms, r.kind
            ])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// A note read from a collection, with its note type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnkiReadNote {
    pub note_type: String,
    pub field_names: Vec<String>,
    pub fields: Vec<String>,
    pub tags: Vec<String>,
}

/// Reads every note of the collection at `path`, read-only.
pub fn read_anki_notes(path: &Path) -> Result<Vec<AnkiReadNote>, StoreError> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    // Schema 11 keeps note types as JSON in `col.models`; schema 18 (Anki 2.1.50+ with "support
    // older versions" off) has a `notetypes` and a `fields` table.
    let mut types: std::collections::HashMap<i64, (String, Vec<String>)> = Default::default();
    let has_notetypes: bool = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'notetypes'",
        [],
        |r| r.get::<_, i64>(0).map(|n| n > 0),
    )?;
    if has_notetypes {
        let mut stmt = conn.prepare("SELECT id, name FROM notetypes")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (id, name) = row?;
            types.insert(id, (name, Vec::new()));
        }
        let mut stmt = conn.prepare("SELECT ntid, name FROM fields ORDER BY ntid, ord")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (id, name) = row?;
            if let Some(t) = types.get_mut(&id) {
                t.1.push(name);
            }
        }
    } else {
        let models: String = conn.query_row("SELECT models FROM col", [], |r| r.get(0))?;
        let models: serde_json::Value = serde_json::from_str(&models).map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
        })?;
        if let Some(map) = models.as_object() {
            for (id, m) in map {
                let Ok(id) = id.parse::<i64>() else { continue };
                let name = m["name"].as_str().unwrap_or("").to_owned();
                let mut flds: Vec<(i64, String)> = m["flds"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|f| {
                                (
                                    f["ord"].as_i64().unwrap_or(0),
                                    f["name"].as_str().unwrap_or("").to_owned(),
                                )
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                flds.sort();
                types.insert(id, (name, flds.into_iter().map(|f| f.1).collect()));
            }
        }
    }
    let mut stmt = conn.prepare("SELECT mid, flds, tags FROM notes ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (mid, flds, tags) = row?;
        let (note_type, field_names) = types.get(&mid).cloned().unwrap_or_default();
        out.push(AnkiReadNote {
            note_type,
            field_names,
            fields: flds.split('\u{1f}').map(str::to_owned).collect(),
            tags: tags.split_whitespace().map(str::to_owned).collect(),
        });
    }
    Ok(out)
}
