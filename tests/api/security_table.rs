//! The security table in `docs/operators/security.md` names only tests that exist: every
//! `path::name` it cites is a test function (or `db_test!`) of that name in that file.

use std::path::PathBuf;

#[test]
fn every_test_the_security_table_cites_exists() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let table = std::fs::read_to_string(root.join("docs/operators/security.md")).expect("table");
    let mut cited = 0;
    for span in table.split('`').skip(1).step_by(2) {
        let Some((path, name)) = span.split_once("::") else {
            continue;
        };
        if !(path.ends_with(".rs") || path.ends_with(".mjs")) || path.contains('<') {
            continue;
        }
        let source = std::fs::read_to_string(root.join(path))
            .unwrap_or_else(|_| panic!("{path} (cited for {name}) does not exist"));
        let defined = source.contains(&format!("fn {name}("))
            || source.contains(&format!("fn {name}<"))
            || source.contains(&format!("db_test!(\n    {name},"))
            || (source.contains("db_test!(\n    #[ignore")
                && source.contains(&format!("\n    {name},\n")))
            || source.contains(&format!("db_test!({name},"))
            || (path.ends_with(".mjs") && source.contains(name));
        assert!(defined, "{path} has no test {name}");
        cited += 1;
    }
    assert!(cited > 100, "the table cites {cited} tests");
}
