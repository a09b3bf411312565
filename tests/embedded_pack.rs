//! The pack built into the binary must be clean: it is what every learner sees first.

#[test]
fn the_embedded_pack_validates_with_no_errors_and_no_warnings() {
    let report = coldstart::content::load_files(coldstart::content::embedded_files());
    let problems: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(report.pack.meta.id, "aws-lambda");
}
