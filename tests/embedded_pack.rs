//! The pack built into the binary must be clean: it is what every learner sees first. The app
//! parses it without re-checking it (`content::embedded`), which is sound only because this test
//! runs every check on the same files and finds the same pack.

#[test]
fn the_embedded_pack_validates_with_no_errors_and_no_warnings() {
    let report = coldstart::content::load_files(&coldstart::content::embedded_files());
    let problems: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(report.pack.meta.id, "aws-lambda");
}

#[test]
fn parsing_the_embedded_pack_without_its_checks_gives_the_same_pack() {
    let checked = coldstart::content::embedded_checked().pack;
    let parsed = coldstart::content::embedded().expect("the built-in pack parses");
    assert!(!parsed.cards.is_empty() && !parsed.questions.is_empty());
    // Every field of every topic, note, section, card, question and exam profile (the lookup
    // maps are left out: they are rebuilt from these, and a map's order differs between runs).
    let parts = |p: &coldstart::content::Pack| {
        let notes: Vec<String> = p
            .notes
            .iter()
            .map(|n| {
                format!(
                    "{} {} {} {:?} {:?} {}",
                    n.topic, n.path, n.title, n.sections, n.simulator, n.body
                )
            })
            .collect();
        format!(
            "{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n{:#?}\n{notes:#?}",
            p.meta, p.topics, p.cards, p.questions, p.exams, p.simulators, p.generators, p.settings
        )
    };
    assert_eq!(parts(&parsed), parts(&checked));
}
