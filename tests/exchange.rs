//! `coldstart pack export` / `import-cards` / `import-anki`: CSV → pack → CSV round trip, the
//! Anki package's collection (one note per card, the right fields, review history), Moodle XML
//! well-formed, GIFT parseable, the zip holding the pack folder.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use coldstart::authoring::exchange::{self, anki, quiz_formats};
use coldstart::authoring::scaffold;
use coldstart::content::{self, Pack};

fn starter() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    scaffold::write_new(
        &dir.path().join("p"),
        "demo",
        "Demo",
        jiff::civil::date(2026, 12, 3),
    )
    .expect("scaffold");
    dir
}

fn load(dir: &Path) -> Pack {
    let r = content::load_dir(dir).expect("load");
    assert_eq!(r.errors(), 0, "{:#?}", r.diagnostics);
    r.pack
}

#[test]
fn csv_to_pack_to_csv_round_trip_and_bad_rows_by_line() {
    let root = starter();
    let dir = root.path().join("p");
    let input = "front,back,source,tags\n\
What is the timeout unit?,\"Seconds, from 1 to 900.\nSet it per function.\",function-timeout#default-and-maximum,timeout units\n\
\"Quote \"\"me\"\"\",**bold** back,,\n\
No back here,,,\n\
Bad source,Back,function-timeout#nowhere,\n\
Where is the default?,3 seconds,when-the-timeout-is-reached,x\n";
    let report =
        exchange::import_cards(input.as_bytes(), &dir, "function-timeout").expect("import");
    assert_eq!(report.added.len(), 3, "{report:#?}");
    let lines: Vec<u64> = report.skipped.iter().map(|s| s.line).collect();
    assert_eq!(lines, [5, 6], "{report:#?}");
    assert!(report.skipped[1].reason.contains("nowhere"));

    let pack = load(&dir);
    assert_eq!(pack.cards.len(), 5);
    let mut out = Vec::new();
    exchange::write_cards_csv(&pack, &mut out).expect("csv");
    let mut r = csv::Reader::from_reader(out.as_slice());
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.expect("row")).collect();
    let imported: Vec<Vec<String>> = rows
        .iter()
        .filter(|r| report.added.iter().any(|id| id == &r[5]))
        .map(|r| (0..4).map(|i| r[i].to_owned()).collect())
        .collect();
    assert_eq!(
        imported,
        [
            vec![
                "What is the timeout unit?".to_owned(),
                "Seconds, from 1 to 900.\nSet it per function.".to_owned(),
                "function-timeout#default-and-maximum".to_owned(),
                "timeout units".to_owned()
            ],
            vec![
                "Quote \"me\"".to_owned(),
                "**bold** back".to_owned(),
                "function-timeout#default-and-maximum".to_owned(),
                String::new()
            ],
            vec![
                "Where is the default?".to_owned(),
                "3 seconds".to_owned(),
                "function-timeout#when-the-timeout-is-reached".to_owned(),
                "x".to_owned()
            ],
        ]
    );

    // Importing the exported file again into a fresh pack gives the same cards.
    let root2 = starter();
    let dir2 = root2.path().join("p");
    let again = exchange::import_cards(out.as_slice(), &dir2, "function-timeout").expect("import");
    // The starter's own two cards keep their ids: they are skipped as already there.
    assert_eq!(again.added.len(), 3, "{again:#?}");
    assert_eq!(again.skipped.len(), 2);
    let pack2 = load(&dir2);
    let mut out2 = Vec::new();
    exchange::write_cards_csv(&pack2, &mut out2).expect("csv");
    assert_eq!(
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(&out2)
    );
}

#[test]
fn import_cards_refuses_a_file_without_a_header_and_an_unknown_topic() {
    let root = starter();
    let dir = root.path().join("p");
    let before = std::fs::read_to_string(dir.join("cards/function-timeout.toml")).expect("read");
    let e = exchange::import_cards("a,b\nc,d\n".as_bytes(), &dir, "function-timeout")
        .expect_err("header");
    assert!(e.to_string().contains("header"), "{e}");
    let e =
        exchange::import_cards("front,back\nc,d\n".as_bytes(), &dir, "nope").expect_err("topic");
    assert!(e.to_string().contains("nope"), "{e}");
    let after = std::fs::read_to_string(dir.join("cards/function-timeout.toml")).expect("read");
    assert_eq!(before, after);
}

fn collection_of(apkg: &Path) -> (tempfile::TempDir, rusqlite::Connection) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(apkg).expect("open")).expect("zip");
    let mut names: Vec<String> = zip
        .file_names()
        .map(|n| n.expect("name").into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["collection.anki2", "media"]);
    let mut bytes = Vec::new();
    zip.by_name("collection.anki2")
        .expect("collection")
        .read_to_end(&mut bytes)
        .expect("read");
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("c.anki2");
    std::fs::write(&path, bytes).expect("write");
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    (tmp, conn)
}

#[test]
fn apkg_holds_one_note_per_card_with_the_right_fields() {
    let root = starter();
    let pack = load(&root.path().join("p"));
    let out = root.path().join("demo.apkg");
    anki::write_apkg(&pack, None, 1_764_000_000_000, &out).expect("apkg");
    let (_tmp, conn) = collection_of(&out);
    let count = |sql: &str| {
        conn.query_row(sql, [], |r| r.get::<_, i64>(0))
            .expect("count")
    };
    assert_eq!(
        count("SELECT count(*) FROM notes") as usize,
        pack.cards.len()
    );
    assert_eq!(
        count("SELECT count(*) FROM cards") as usize,
        pack.cards.len()
    );
    assert_eq!(count("SELECT ver FROM col"), 11);
    assert_eq!(count("SELECT count(*) FROM revlog"), 0);

    let models: String = conn
        .query_row("SELECT models FROM col", [], |r| r.get(0))
        .expect("models");
    let models: serde_json::Value = serde_json::from_str(&models).expect("json");
    let model = models
        .as_object()
        .expect("map")
        .values()
        .next()
        .expect("one model");
    let names: Vec<&str> = model["flds"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["Front", "Back", "Source", "Refs"]);

    let mut stmt = conn
        .prepare("SELECT flds, tags FROM notes ORDER BY id")
        .expect("stmt");
    let notes: HashMap<String, (Vec<String>, String)> = stmt
        .query_map([], |r| {
            let flds: String = r.get(0)?;
            let fields: Vec<String> = flds.split('\u{1f}').map(str::to_owned).collect();
            Ok((fields[0].clone(), (fields, r.get::<_, String>(1)?)))
        })
        .expect("query")
        .map(|r| r.expect("row"))
        .collect();
    let (fields, tags) = &notes["<p>What is the default timeout of a new Lambda function?</p>"];
    assert_eq!(
        fields[1],
        "<p><strong>3 seconds.</strong> You can set it up to 900 seconds (15 minutes).</p>"
    );
    assert_eq!(fields[2], "Function timeout › Default and maximum");
    assert!(fields[3].contains(
        "href=\"https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html\""
    ));
    assert!(
        tags.contains(" function-timeout ") && tags.contains(" timeout "),
        "{tags}"
    );
}

#[test]
fn apkg_with_progress_carries_the_review_history() {
    use coldstart::srs::{CardState, LogEntry, Rating, State};
    let root = starter();
    let pack = load(&root.path().join("p"));
    let t = |ms: i64| jiff::Timestamp::from_millisecond(ms).expect("ts");
    let now = 1_764_000_000_000;
    let log = vec![
        LogEntry {
            card_id: "timeout-default".into(),
            reviewed_at: t(now - 3 * 86_400_000),
            rating: Rating::Good,
            elapsed_days: None,
            state_before: State::New,
            state_after: State::Review,
            stability: 3.0,
            difficulty: 5.0,
            due_after: t(now),
            duration_ms: 4000,
        },
        LogEntry {
            card_id: "timeout-default".into(),
            reviewed_at: t(now),
            rating: Rating::Again,
            elapsed_days: Some(3),
            state_before: State::Review,
            state_after: State::Relearning,
            stability: 1.0,
            difficulty: 6.0,
            due_after: t(now + 600_000),
            duration_ms: 90_000,
        },
    ];
    let mut states = HashMap::new();
    states.insert(
        "timeout-default".to_owned(),
        CardState {
            state: State::Relearning,
            step: Some(0),
            memory: None,
            due: t(now + 600_000),
            last_review: Some(t(now)),
        },
    );
    let out = root.path().join("demo.apkg");
    let progress = anki::Progress {
        states: &states,
        log: &log,
    };
    anki::write_apkg(&pack, Some(&progress), now, &out).expect("apkg");
    let (_tmp, conn) = collection_of(&out);
    let mut stmt = conn
        .prepare("SELECT ease, ivl, lastIvl, time, type FROM revlog ORDER BY id")
        .expect("stmt");
    let rows: Vec<(i64, i64, i64, i64, i64)> = stmt
        .query_map([], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .expect("q")
        .map(|r| r.expect("row"))
        .collect();
    assert_eq!(rows, [(3, 3, 0, 4000, 0), (1, -600, 3, 60_000, 1)]);
    let (kind, queue, reps, lapses): (i64, i64, i64, i64) = conn
        .query_row(
            "SELECT type, queue, reps, lapses FROM cards WHERE reps > 0",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .expect("card");
    assert_eq!((kind, queue, reps, lapses), (3, 1, 2, 1));
}

#[test]
fn apkg_imports_back_as_cards() {
    let root = starter();
    let dir = root.path().join("p");
    let pack = load(&dir);
    let out = root.path().join("demo.apkg");
    anki::write_apkg(&pack, None, 1_764_000_000_000, &out).expect("apkg");
    let report = anki::import_anki(&out, &dir, "function-timeout").expect("import");
    assert_eq!(report.added.len(), 2, "{report:#?}");
    // Source and Refs are fields 3 and 4: taken only as the first two, and said so.
    assert_eq!(report.warnings.len(), 2, "{report:#?}");
    let pack = load(&dir);
    let imported = report
        .added
        .iter()
        .filter_map(|id| pack.card(id))
        .find(|c| c.front == "What is the default timeout of a new Lambda function?")
        .expect("the first card came back");
    assert_eq!(
        imported.back,
        "**3 seconds.** You can set it up to 900 seconds (15 minutes)."
    );
    assert!(imported.tags.contains(&"timeout".to_owned()));
}

#[test]
fn html_from_anki_becomes_markdown_or_is_reported() {
    let (md, lost) = anki::html_to_markdown(
        "<div>A <b>bold</b> &amp; <i>it</i></div><div><a href=\"https://x.y/z\">link</a><br>line</div><img src=\"a.png\">[sound:x.mp3]",
    );
    assert_eq!(md, "A **bold** & *it*\n[link](https://x.y/z)\nline");
    assert_eq!(lost, ["<img>", "[sound:…]"]);
    // Lists stay lists (nested, numbered from their start); a number that would read as a
    // list marker stays a number.
    let (md, lost) = anki::html_to_markdown(
        "<p>Steps:</p><ol start=\"3\"><li>one</li><li>two<ul><li>sub</li></ul></li></ol><p>2773.</p>",
    );
    assert_eq!(md, "Steps:\n\n3. one\n4. two\n   - sub\n\n2773\\.");
    let (md, _) =
        anki::html_to_markdown("<ol start=\"10\"><li>ten<ul><li>under ten</li></ul></li></ol>");
    assert_eq!(
        md, "10. ten\n    - under ten",
        "nested under the wider marker"
    );
    assert!(lost.is_empty(), "{lost:?}");
}

#[test]
fn moodle_xml_is_well_formed_with_feedback_per_choice() {
    let root = starter();
    let mut pack = load(&root.path().join("p"));
    pack.questions[0].stem = "Use <b> & \"quotes\" ]]> here?".into();
    let xml = quiz_formats::moodle_xml(&pack);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut questions = 0;
    let mut answers = 0;
    let mut feedback = 0;
    let mut texts = Vec::new();
    let mut in_qtext = false;
    for _ in 0..100_000 {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) => match e.name().as_ref() {
                b"question" => {
                    let ty = e.try_get_attribute("type").expect("attr").expect("type");
                    if ty.value.as_ref() == b"multichoice" {
                        questions += 1;
                    }
                }
                b"answer" => answers += 1,
                b"feedback" => feedback += 1,
                b"questiontext" => in_qtext = true,
                _ => {}
            },
            quick_xml::events::Event::End(e) if e.name().as_ref() == b"questiontext" => {
                in_qtext = false
            }
            quick_xml::events::Event::Text(t) if in_qtext => {
                texts.push(reader.decoder().decode(&t).expect("utf8").into_owned())
            }
            _ => {}
        }
    }
    assert_eq!(questions, pack.questions.len());
    let choices: usize = pack.questions.iter().map(|q| q.choices.len()).sum();
    assert_eq!((answers, feedback), (choices, choices));
    assert!(xml.contains("Use &lt;b&gt; &amp; &quot;quotes&quot; ]]&gt; here?"));
    assert!(
        xml.contains("<answer fraction=\"50\""),
        "multi keys get half each"
    );
    let _ = texts;
}

/// (title, stem, choices as (mark, text, feedback), general feedback)
type GiftQuestion = (String, String, Vec<(char, String, String)>, String);

/// A small GIFT parser: enough of the format to read back what the exporter writes.
fn parse_gift(text: &str) -> Vec<GiftQuestion> {
    fn unescape(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some(c) => out.push(c),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        out
    }
    /// Splits at the first unescaped `sep`.
    fn split_unescaped<'a>(s: &'a str, sep: &str) -> (&'a str, Option<&'a str>) {
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'\\' {
                i += 2;
                continue;
            }
            if s[i..].starts_with(sep) {
                return (&s[..i], Some(&s[i + sep.len()..]));
            }
            i += 1;
        }
        (s, None)
    }
    let mut out = Vec::new();
    for block in text.split("\n\n") {
        let block: String = block
            .lines()
            .filter(|l| !l.starts_with("//") && !l.starts_with("$CATEGORY:"))
            .collect::<Vec<_>>()
            .join("\n");
        let block = block.trim();
        if block.is_empty() {
            continue;
        }
        let rest = block.strip_prefix("::").expect("title");
        let (title, rest) = split_unescaped(rest, "::");
        let rest = rest
            .expect("title end")
            .strip_prefix("[markdown]")
            .expect("format");
        let (stem, rest) = split_unescaped(rest, "{");
        let body = rest
            .expect("answers")
            .trim_end()
            .strip_suffix('}')
            .expect("close");
        let mut choices = Vec::new();
        let mut general = String::new();
        for line in body.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if let Some(g) = line.strip_prefix("####") {
                general = unescape(g);
                continue;
            }
            let mark = line.chars().next().expect("mark");
            assert!(mark == '=' || mark == '~', "{line}");
            let (text, why) = split_unescaped(&line[1..], "#");
            choices.push((mark, unescape(text), unescape(why.expect("feedback"))));
        }
        out.push((unescape(title), unescape(stem), choices, general));
    }
    out
}

#[test]
fn gift_reads_back_with_a_small_parser() {
    let root = starter();
    let mut pack = load(&root.path().join("p"));
    pack.questions[0].stem = "Tricky {braces} = ~ # : \\ chars\n\nand a blank line?".into();
    let gift = quiz_formats::gift(&pack);
    let parsed = parse_gift(&gift);
    assert_eq!(parsed.len(), pack.questions.len());
    for (q, (title, stem, choices, general)) in pack.questions.iter().zip(&parsed) {
        assert_eq!(title, &q.id);
        assert_eq!(stem, q.stem.trim());
        assert_eq!(general, q.explanation.trim());
        assert_eq!(choices.len(), q.choices.len());
        for (c, (mark, text, why)) in q.choices.iter().zip(choices) {
            let text = text.trim_start_matches(|ch: char| {
                ch == '%' || ch == '-' || ch == '.' || ch.is_ascii_digit()
            });
            assert_eq!(text, c.text.trim());
            assert_eq!(why, c.why.trim());
            if q.kind == content::QuestionKind::Single {
                assert_eq!(*mark == '=', c.correct);
            }
        }
    }
}

#[test]
fn pack_export_zip_holds_the_pack_folder_and_checks_the_id() {
    let root = starter();
    let dir = root.path().join("p");
    let src = coldstart::cli::pack::source(Some(&dir)).expect("source");
    let out = root.path().join("demo.zip");
    let args = coldstart::cli::pack::ExportArgs {
        id: "demo".into(),
        format: coldstart::cli::pack::Format::Zip,
        out: out.clone(),
        with_progress: false,
    };
    let (mut o, mut e) = (Vec::new(), Vec::new());
    assert_eq!(
        coldstart::cli::pack::export(&args, &src, None, 0, &mut o, &mut e),
        0,
        "{}",
        String::from_utf8_lossy(&e)
    );
    let zip = zip::ZipArchive::new(std::fs::File::open(&out).expect("open")).expect("zip");
    let mut names: Vec<String> = zip
        .file_names()
        .map(|n| n.expect("name").into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "demo/cards/function-timeout.toml",
            "demo/notes/function-timeout.md",
            "demo/pack.toml",
            "demo/questions/function-timeout.toml"
        ]
    );
    let wrong = coldstart::cli::pack::ExportArgs {
        id: "aws-lambda".into(),
        ..args
    };
    assert_eq!(
        coldstart::cli::pack::export(&wrong, &src, None, 0, &mut o, &mut e),
        2
    );
    assert!(String::from_utf8_lossy(&e).contains("\"demo\""));
}
