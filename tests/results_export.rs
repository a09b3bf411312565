//! "Export my results" from inside the app: the learner's name on every row, the pack id and
//! version, and the text of each chosen choice beside its index; refused without a name.

mod support;

use coldstart::app::AppState;
use coldstart::quiz::PracticeConfig;

#[test]
fn results_carry_name_pack_and_choice_text() {
    let data = tempfile::tempdir().expect("tempdir");
    let pack = support::mini_pack();
    let mut state =
        AppState::open_in_dir(pack.clone(), data.path(), support::clock()).expect("state");
    assert!(state.start_practice(PracticeConfig {
        count: 2,
        ..Default::default()
    }));
    support::answer_practice(&mut state, true);
    let dir = state.results_dir().expect("saving progress");
    assert!(dir.starts_with(data.path()));
    assert!(state.export_results(&dir).is_err(), "a name first");
    assert!(!state.set_learner_name("   "));
    assert!(state.set_learner_name("Ada Lovelace"));
    assert_eq!(state.learner_name().as_deref(), Some("Ada Lovelace"));

    let path = state.export_results(&dir).expect("exported");
    let mut csv = csv::Reader::from_path(&path).expect("read back");
    let header = csv.headers().expect("header").clone();
    let col = |name: &str| header.iter().position(|h| h == name).expect(name);
    let rows: Vec<csv::StringRecord> = csv.records().map(|r| r.expect("row")).collect();
    let answered: Vec<_> = rows
        .iter()
        .filter(|r| !r[col("chosen")].is_empty())
        .collect();
    assert_eq!(answered.len(), 1, "{rows:?}");
    let r = answered[0];
    assert_eq!(&r[col("learner")], "Ada Lovelace");
    assert_eq!(&r[col("pack")], pack.meta.id.as_str());
    assert_eq!(&r[col("pack_version")], pack.meta.version.as_str());
    let q = pack
        .question(&r[col("question_id")])
        .expect("a pack question");
    let chosen: usize = r[col("chosen")].parse().expect("one index");
    assert_eq!(&r[col("chosen_text")], q.choices[chosen].text.as_str());
    assert_eq!(&r[col("correct")], "true");
}
