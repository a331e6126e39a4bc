//! Reading read-model tables back through a sink: the same checks on SQLite and PostgreSQL.

use chrono::{TimeZone, Utc};
use event_store::Position;
use projections::{
    Column, ColumnType, Direction, Query, ReadModelSink, Row, RowChanges, SinkError, Table, Value,
};
use read_postgres::PostgresSink;
use read_sqlite::SqliteSink;

use crate::fixtures::date;

const fn col(name: &'static str, ty: ColumnType) -> Column {
    Column { name, ty, doc: "" }
}

static PEOPLE: Table = Table {
    name: "select_people",
    doc: "a table of every column type",
    columns: &[
        col("id", ColumnType::Text),
        col("n", ColumnType::Integer),
        col("name", ColumnType::Text),
        col("amount", ColumnType::Decimal),
        col("born", ColumnType::Date),
        col("seen_at", ColumnType::Timestamp),
        col("active", ColumnType::Boolean),
    ],
    primary_key: &["id"],
    indexes: &[&["name"]],
};

static NEVER_OPENED: Table = Table {
    name: "select_never_opened",
    doc: "no projection creates it",
    columns: &[col("id", ColumnType::Text)],
    primary_key: &["id"],
    indexes: &[],
};

fn person(id: &str, n: i64, name: &str, amount: &str, active: bool) -> Vec<Value> {
    vec![
        id.into(),
        n.into(),
        name.into(),
        Value::Decimal(amount.parse().unwrap()),
        date(1980 + i32::try_from(n).unwrap(), 2, 28).into(),
        Utc.with_ymd_and_hms(2026, 1, 15, 10, 30, 0)
            .unwrap()
            .checked_add_signed(chrono::Duration::microseconds(123_456))
            .unwrap()
            .into(),
        active.into(),
    ]
}

fn ids(rows: &[Vec<Value>]) -> Vec<String> {
    rows.iter()
        .map(|r| match &r[0] {
            Value::Text(s) => s.clone(),
            other => panic!("id {other:?}"),
        })
        .collect()
}

/// Writes four people and reads them back every way the API does.
async fn select_checks(sink: &dyn ReadModelSink) {
    assert_eq!(sink.checkpoint("select_test").await.unwrap(), None);
    assert_eq!(
        sink.select(&NEVER_OPENED, &Query::all()).await.unwrap(),
        Vec::<Vec<Value>>::new(),
        "a table not yet created has no rows"
    );
    // Only the process that runs a projection writes its tables (PostgreSQL: an advisory lock).
    assert!(sink.claim("select_test").await.unwrap());
    sink.open("select_test", 1, &[&PEOPLE]).await.unwrap();
    let mut changes = RowChanges::default();
    let written = vec![
        person("a", 3, "Jan Peeters", "12.50", true),
        person("b", 1, "An PEETERS-Claes", "0.10", false),
        person("c", 2, "Mia 100%_ Janssens", "1000000.00", true),
        {
            let mut d = person("d", 4, "Lotte", "7", true);
            d[4] = Value::Null;
            d
        },
    ];
    for row in &written {
        let cells = PEOPLE.columns.iter().zip(row.clone());
        changes.upsert(cells.fold(Row::of(&PEOPLE), |r, (c, v)| r.set(c.name, v)));
    }
    sink.commit("select_test", &changes, Position(41))
        .await
        .unwrap();
    assert_eq!(
        sink.checkpoint("select_test")
            .await
            .unwrap()
            .and_then(|c| c.position),
        Some(Position(41))
    );

    let all = sink.select(&PEOPLE, &Query::all()).await.unwrap();
    assert_eq!(
        all, written,
        "every type reads back as written, in key order"
    );

    let by_name = |text: &str| Query::all().contains("name", text);
    let peeters = sink.select(&PEOPLE, &by_name("peeters")).await.unwrap();
    assert_eq!(ids(&peeters), ["a", "b"], "contains ignores case");
    let literal = sink.select(&PEOPLE, &by_name("0%_")).await.unwrap();
    assert_eq!(ids(&literal), ["c"], "% and _ are matched literally");
    assert!(
        sink.select(&PEOPLE, &by_name("%")).await.unwrap().len() == 1,
        "a lone % is no wildcard"
    );

    let active_by_n = Query::all()
        .eq("active", true)
        .order_by("n", Direction::Descending);
    assert_eq!(
        ids(&sink.select(&PEOPLE, &active_by_n).await.unwrap()),
        ["d", "a", "c"]
    );
    let page = Query::all().order_by("n", Direction::Ascending).page(2, 1);
    assert_eq!(ids(&sink.select(&PEOPLE, &page).await.unwrap()), ["c", "a"]);
    let skip_only = Query {
        offset: 3,
        ..Query::all()
    };
    assert_eq!(ids(&sink.select(&PEOPLE, &skip_only).await.unwrap()), ["d"]);
    let any = Query::all().any_of("n", vec![1.into(), 4.into(), 9.into()]);
    assert_eq!(ids(&sink.select(&PEOPLE, &any).await.unwrap()), ["b", "d"]);
    let none = Query::all().any_of("n", vec![]);
    assert!(sink.select(&PEOPLE, &none).await.unwrap().is_empty());
    let born = Query::all().eq("born", date(1982, 2, 28));
    assert_eq!(ids(&sink.select(&PEOPLE, &born).await.unwrap()), ["c"]);
    // An upper bound keeps the rows up to it (a null cell is never within it); a count is of
    // every row the filters keep, whatever the page.
    let born_by = Query::all().at_most("born", date(1982, 2, 28));
    assert_eq!(
        ids(&sink.select(&PEOPLE, &born_by).await.unwrap()),
        ["b", "c"]
    );
    assert_eq!(
        sink.count(&PEOPLE, &born_by.clone().page(1, 0))
            .await
            .unwrap(),
        2
    );
    assert_eq!(sink.count(&PEOPLE, &Query::all()).await.unwrap(), 4);
    assert_eq!(
        sink.count(&PEOPLE, &Query::all().eq("active", true).at_most("n", 3))
            .await
            .unwrap(),
        2
    );
    assert_eq!(sink.count(&NEVER_OPENED, &Query::all()).await.unwrap(), 0);

    // Hostile text is a value, never SQL; an undeclared column is refused before any SQL.
    let hostile = Query::all().eq("id", "a' OR '1'='1");
    assert!(sink.select(&PEOPLE, &hostile).await.unwrap().is_empty());
    let unknown = sink
        .select(
            &PEOPLE,
            &Query::all().eq("id; DROP TABLE select_people", "a"),
        )
        .await;
    assert!(
        matches!(unknown, Err(SinkError::UnknownColumn { .. })),
        "{unknown:?}"
    );
    assert_eq!(
        sink.select(&PEOPLE, &Query::all()).await.unwrap().len(),
        4,
        "nothing was dropped"
    );
}

#[tokio::test]
async fn sqlite_sink_selects_with_filters_order_and_pages() {
    let dir = tempfile::tempdir().unwrap();
    let sink = SqliteSink::open(dir.path().join("read.db")).unwrap();
    select_checks(&sink).await;
    let db = rusqlite::Connection::open(dir.path().join("read.db")).unwrap();
    let indexes: i64 = db
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' \
             AND tbl_name = 'select_people' AND name = 'select_people_by_name'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(indexes, 1, "the declared secondary index exists");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_sink_selects_with_filters_order_and_pages() {
    let url = store_postgres::fresh_test_url("");
    let sink = PostgresSink::connect(&store_postgres::PostgresUrl::parse(&url).unwrap())
        .await
        .unwrap_or_else(|e| panic!("the test PostgreSQL must be reachable: {e}"));
    select_checks(&sink).await;
    let (client, connection) =
        tokio_postgres::connect(&store_postgres::test_server_url(), tokio_postgres::NoTls)
            .await
            .unwrap();
    tokio::spawn(connection);
    let indexes: i64 = client
        .query_one(
            "SELECT count(*) FROM pg_indexes WHERE schemaname = $1 \
             AND tablename = 'select_people' AND indexname = 'select_people_by_name'",
            &[&sink.schema()],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(indexes, 1, "the declared secondary index exists");
}
