//! Questions for learning platforms: Moodle XML and GIFT, both as multiple choice with a
//! feedback per choice (the `why`) and the explanation as general feedback. Texts stay
//! Markdown (Moodle's `format="markdown"`, GIFT's `[markdown]`).

use std::fmt::Write as _;

use quick_xml::escape::escape;

use crate::content::{Pack, Question, QuestionKind};

/// Moodle's grade fractions for one of `n` correct choices (Moodle accepts only its list).
fn fraction_for(n: usize) -> &'static str {
    match n {
        0 | 1 => "100",
        2 => "50",
        3 => "33.33333",
        4 => "25",
        5 => "20",
        6 => "16.66667",
        7 => "14.28571",
        8 => "12.5",
        _ => "11.11111",
    }
}

/// Moodle XML: a category per topic, then its questions as `multichoice`. A multi question gives
/// each key an equal share and each wrong choice −100 %, so only the exact set scores fully.
pub fn moodle_xml(pack: &Pack) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<quiz>\n");
    for topic in &pack.topics {
        let questions: Vec<&Question> = pack
            .questions
            .iter()
            .filter(|q| q.topic == topic.id)
            .collect();
        if questions.is_empty() {
            continue;
        }
        let _ = write!(
            s,
            "  <question type=\"category\">\n    <category><text>$course$/top/{}/{}</text></category>\n  </question>\n",
            escape(&pack.meta.title),
            escape(&topic.title)
        );
        for q in questions {
            moodle_question(&mut s, q);
        }
    }
    s.push_str("</quiz>\n");
    s
}

fn moodle_question(s: &mut String, q: &Question) {
    let single = q.kind == QuestionKind::Single;
    let keys = q.correct_count();
    let _ = write!(
        s,
        "  <question type=\"multichoice\">\n    <name><text>{id}</text></name>\n    <questiontext format=\"markdown\"><text>{stem}</text></questiontext>\n    <generalfeedback format=\"markdown\"><text>{expl}</text></generalfeedback>\n    <defaultgrade>1</defaultgrade>\n    <penalty>0.3333333</penalty>\n    <hidden>0</hidden>\n    <idnumber>{id}</idnumber>\n    <single>{single}</single>\n    <shuffleanswers>true</shuffleanswers>\n    <answernumbering>abc</answernumbering>\n",
        id = escape(&q.id),
        stem = escape(q.stem.trim()),
        expl = escape(q.explanation.trim()),
    );
    for c in &q.choices {
        let fraction = match (c.correct, single) {
            (true, true) => "100",
            (true, false) => fraction_for(keys),
            (false, true) => "0",
            (false, false) => "-100",
        };
        let _ = write!(
            s,
            "    <answer fraction=\"{fraction}\" format=\"markdown\">\n      <text>{}</text>\n      <feedback format=\"markdown\"><text>{}</text></feedback>\n    </answer>\n",
            escape(c.text.trim()),
            escape(c.why.trim())
        );
    }
    let _ = write!(s, "    <tags><tag><text>{}</text></tag>", escape(&q.topic));
    for t in &q.tags {
        let _ = write!(s, "<tag><text>{}</text></tag>", escape(t));
    }
    s.push_str("</tags>\n  </question>\n");
}

/// Escapes GIFT's special characters (`~ = # { } :` and `\`) and writes line breaks as `\n`,
/// so a blank line inside a text cannot end the question.
pub fn gift_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.trim().chars() {
        match ch {
            '~' | '=' | '#' | '{' | '}' | ':' | '\\' => {
                out.push('\\');
                out.push(ch);
            }
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// GIFT: `$CATEGORY:` per topic, then each question as
/// `::id::[markdown]stem{ =key#why ~wrong#why ####explanation }`. A multi question uses
/// percentages: each key an equal share, each wrong choice −100 %.
pub fn gift(pack: &Pack) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "// {} {} — exported by coldstart",
        pack.meta.id, pack.meta.version
    );
    for topic in &pack.topics {
        let questions: Vec<&Question> = pack
            .questions
            .iter()
            .filter(|q| q.topic == topic.id)
            .collect();
        if questions.is_empty() {
            continue;
        }
        let _ = write!(
            s,
            "\n$CATEGORY: $course$/top/{}/{}\n",
            gift_escape(&pack.meta.title).replace('/', "-"),
            gift_escape(&topic.title).replace('/', "-")
        );
        for q in questions {
            let keys = q.correct_count();
            let _ = write!(
                s,
                "\n::{}::[markdown]{}{{\n",
                gift_escape(&q.id),
                gift_escape(&q.stem)
            );
            for c in &q.choices {
                let mark = match (q.kind, c.correct) {
                    (QuestionKind::Single, true) => "=".to_owned(),
                    (QuestionKind::Single, false) => "~".to_owned(),
                    (QuestionKind::Multi, true) => format!("~%{}%", fraction_for(keys)),
                    (QuestionKind::Multi, false) => "~%-100%".to_owned(),
                };
                let _ = writeln!(
                    s,
                    "\t{mark}{}#{}",
                    gift_escape(&c.text),
                    gift_escape(&c.why)
                );
            }
            let _ = write!(s, "\t####{}\n}}\n", gift_escape(&q.explanation));
        }
    }
    s
}
