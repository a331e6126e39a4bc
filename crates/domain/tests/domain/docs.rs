//! `docs/events.md` is generated from the code; `docs/rules.md` names tests that exist.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn repository_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(name)
}

#[test]
fn docs_events_md_is_generated_from_the_code() {
    let path = repository_file("docs/events.md");
    let generated = crate::events_doc::events_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        fs::write(&path, &generated).unwrap();
    }
    let committed = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/events.md differs from what the event types in crates/domain generate.\n\
         Regenerate it with:\n\n    UPDATE_DOCS=1 cargo test -p domain\n\n\
         and commit the result."
    );
}

#[test]
fn the_generated_events_doc_lists_every_event_type_with_its_version() {
    let markdown = crate::events_doc::events_markdown();
    for (event_type, version) in domain::dossier::DossierEvent::TYPES
        .iter()
        .chain(domain::registry::RegistryEvent::TYPES)
        .chain(domain::event::RuleBookEvent::TYPES)
    {
        assert!(
            markdown.contains(&format!("### `{event_type}` (version {version})")),
            "{event_type} missing from docs/events.md"
        );
    }
    assert!(markdown.contains("| `insz` | [Insz](#insz) or null | no |"));
    assert!(markdown.contains("### `Insz`"));
    let undocumented: Vec<&str> = markdown
        .lines()
        .filter(|line| line.starts_with("| `") && line.ends_with("|  |"))
        .collect();
    assert!(
        undocumented.is_empty(),
        "payload fields without a doc comment: {undocumented:#?}"
    );
}

/// Every `fn name` in the crate's sources (src and tests).
fn function_names() -> BTreeSet<String> {
    fn walk(dir: &Path, names: &mut BTreeSet<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, names);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = fs::read_to_string(&path).unwrap();
                for piece in text.split("fn ").skip(1) {
                    let name: String = piece
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                        .collect();
                    names.insert(name);
                }
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut names = BTreeSet::new();
    walk(&root.join("src"), &mut names);
    walk(&root.join("tests"), &mut names);
    names
}

struct RuleRow {
    rule: String,
    tests: Vec<String>,
    note: String,
}

/// Rows of the tables in rules.md: `| rule | what | where in code | tests | note |`.
fn rule_rows(markdown: &str) -> Vec<RuleRow> {
    markdown
        .lines()
        .filter(|line| line.starts_with('|'))
        .filter_map(|line| {
            let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
            let rule = cells.first()?.trim_matches('*').to_owned();
            let is_rule_id = rule.len() >= 3
                && rule.contains('-')
                && rule.chars().next().is_some_and(|c| c.is_ascii_uppercase());
            if !is_rule_id || cells.len() < 5 {
                return None;
            }
            let tests = cells[3]
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_owned)
                .collect();
            Some(RuleRow {
                rule,
                tests,
                note: cells[4].to_owned(),
            })
        })
        .collect()
}

#[test]
fn docs_rules_md_covers_every_seed_rule_and_names_only_existing_tests() {
    let markdown = fs::read_to_string(repository_file("docs/rules.md")).unwrap();
    let rows = rule_rows(&markdown);
    let functions = function_names();
    let seed_rules = (1..=14)
        .map(|n| format!("S000-{n:02}"))
        .chain((1..=29).map(|n| format!("S003-{n:02}")))
        .chain((1..=24).map(|n| format!("S004-{n:02}")));
    for rule in seed_rules {
        assert!(
            rows.iter().any(|row| row.rule == rule),
            "docs/rules.md has no row for {rule}"
        );
    }
    for row in &rows {
        for test in &row.tests {
            assert!(
                functions.contains(test),
                "docs/rules.md names test `{test}` for {} but crates/domain has no such function",
                row.rule
            );
        }
        assert!(
            !row.tests.is_empty() || !row.note.is_empty(),
            "docs/rules.md: {} has neither a test nor a reason why no code enforces it",
            row.rule
        );
    }
}

/// An event of every kind of stream survives being stored and read back through `upcast`:
/// a family missing from the upcaster's dispatch would be read as a dossier event and fail.
#[test]
fn an_event_of_every_stream_family_reads_back_through_upcast() {
    use crate::fixtures::*;
    use domain::Event;
    use domain::access::{Role, UserAdded};
    use domain::person_index::PersonClaimed;
    let samples: Vec<Event> = vec![
        domain::testing::seed_rule_book().remove(0),
        domain::event::Event::from(domain::access::AccessEvent::from(UserAdded {
            user: STAFF_USER,
            name: "ann".into(),
            role: Role::Inspector,
            bootstrap: true,
        })),
        domain::event::Event::from(domain::person_index::PersonIndexEvent::from(
            PersonClaimed {
                dossier: DOSSIER,
                person: CHILD,
            },
        )),
    ];
    let (registry, _) = domain::testing::given(domain::testing::seed_rule_book())
        .by(admin())
        .today(d(2026, 1, 1))
        .when(license(
            BO,
            domain::registry::OrganisationKind::AssistanceOrganisation,
            d(2016, 1, 1),
        ))
        .then_accepted();
    let all: Vec<Event> = samples.into_iter().chain(registry).collect();
    let families: std::collections::HashSet<_> = all.iter().map(std::mem::discriminant).collect();
    assert!(
        families.len() >= 4,
        "rule book, registry, access and person index are all sampled"
    );
    for event in all {
        let stored = event.to_stored().unwrap();
        let read =
            domain::upcast(&stored.event_type, stored.schema_version, stored.payload).unwrap();
        assert_eq!(read, event, "{} did not read back", stored.event_type);
    }
}

/// The table of `docs/rules.md` that lists every command with its reason, from
/// `domain::command_reasons`.
fn command_reasons_markdown() -> String {
    use domain::command_reasons::{COMMAND_REASONS, ReasonRule};
    let mut out = String::from(
        "<!-- GENERATED from domain::command_reasons by crates/domain/tests/domain/docs.rs: \
         run `UPDATE_DOCS=1 cargo test -p domain` to regenerate. -->\n\n\
         | Stream | Command | Reason | Stated in |\n|---|---|---|---|\n",
    );
    for row in COMMAND_REASONS {
        let rule = match row.rule {
            ReasonRule::Required => "**required**",
            ReasonRule::Optional => "optional",
        };
        let field = row.field.map_or_else(
            || "— (the request's own, if any)".to_owned(),
            |f| format!("`{f}`"),
        );
        out.push_str(&format!(
            "| {} | `{}` | {rule} | {field} |\n",
            row.kind, row.command
        ));
    }
    out
}

/// Checks that the generated section `name` of `docs/rules.md` equals `generated` (with
/// `UPDATE_DOCS` set, writes it).
fn check_rules_section(name: &str, generated: &str, source: &str) {
    let begin_mark = format!("<!-- {name}:begin -->\n");
    let end_mark = format!("<!-- {name}:end -->");
    let path = repository_file("docs/rules.md");
    let markdown = fs::read_to_string(&path).unwrap();
    let (Some(begin), Some(end)) = (markdown.find(&begin_mark), markdown.find(&end_mark)) else {
        panic!("docs/rules.md has no {begin_mark:?} … {end_mark:?} section");
    };
    let committed = &markdown[begin + begin_mark.len()..end];
    if committed != generated && std::env::var_os("UPDATE_DOCS").is_some() {
        let updated = format!(
            "{}{generated}{}",
            &markdown[..begin + begin_mark.len()],
            &markdown[end..]
        );
        fs::write(&path, updated).unwrap();
        return;
    }
    assert!(
        committed == generated,
        "the {name} section of docs/rules.md differs from {source}.\n\
         Regenerate it with:\n\n    UPDATE_DOCS=1 cargo test -p domain\n"
    );
}

#[test]
fn docs_rules_md_lists_every_command_with_its_reason() {
    check_rules_section(
        "command-reasons",
        &command_reasons_markdown(),
        "domain::command_reasons",
    );
}

/// The table of `docs/rules.md` that lists every weighty decision, from `domain::four_eyes`.
fn four_eyes_markdown() -> String {
    use domain::four_eyes::WEIGHTY_DECISIONS;
    let mut out = String::from(
        "<!-- GENERATED from domain::four_eyes by crates/domain/tests/domain/docs.rs: \
         run `UPDATE_DOCS=1 cargo test -p domain` to regenerate. -->\n\n\
         | Decision | Stream | Command | Proposed by | Confirmed or refused by |\n\
         |---|---|---|---|---|\n",
    );
    for row in WEIGHTY_DECISIONS {
        out.push_str(&format!(
            "| {} ({}) | {} | `{}` | {} | another {} |\n",
            row.en,
            row.nl,
            row.kind,
            row.command,
            row.proposed_by.as_str(),
            row.confirmed_by.as_str()
        ));
    }
    out
}

fn work_queues_markdown() -> String {
    use domain::work::QUEUES;
    let roles = |roles: &[domain::access::Role]| {
        roles
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = String::from(
        "<!-- GENERATED from domain::work by crates/domain/tests/domain/docs.rs: \
         run `UPDATE_DOCS=1 cargo test -p domain` to regenerate. -->\n\n\
         | Queue | Code | Worked by (take, release) | Also seen by |\n\
         |---|---|---|---|\n",
    );
    for row in QUEUES {
        out.push_str(&format!(
            "| {} ({}) | `{}` | {} | {} |\n",
            row.en,
            row.nl,
            row.queue.code(),
            roles(row.worked_by),
            roles(row.seen_by)
        ));
    }
    out
}

#[test]
fn docs_rules_md_lists_every_work_queue_with_its_roles() {
    check_rules_section("work-queues", &work_queues_markdown(), "domain::work");
}

#[test]
fn docs_rules_md_lists_every_weighty_decision() {
    check_rules_section("four-eyes", &four_eyes_markdown(), "domain::four_eyes");
}
