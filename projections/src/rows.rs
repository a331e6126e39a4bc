//! Read-model tables and the rows a projection changes.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

/// The SQL type of a column, mapped to each database's own type by the sink.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    Text,
    Integer,
    /// An exact decimal amount (money: never a float).
    Decimal,
    Date,
    Timestamp,
    Boolean,
}

/// A column of a read-model table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub ty: ColumnType,
    /// What the column means, for inspectors (becomes an SQL comment where supported).
    pub doc: &'static str,
}

/// A read-model table owned by one projection.
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    pub doc: &'static str,
    pub columns: &'static [Column],
    /// Names of the primary-key columns, a prefix-free subset of `columns`.
    pub primary_key: &'static [&'static str],
    /// Secondary indexes (each a list of columns) for the filters the API and the work queues
    /// use that the primary key does not serve.
    pub indexes: &'static [&'static [&'static str]],
}

/// One cell.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Value {
    Null,
    Text(String),
    Integer(i64),
    Decimal(Decimal),
    Date(NaiveDate),
    Timestamp(DateTime<Utc>),
    Boolean(bool),
}

impl Value {
    /// The cell as text, in the one form every sink writes and [`crate::select::cell_from_text`]
    /// reads back (`NULL` is the empty string; sinks bind it as a null instead).
    pub fn to_text(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Text(s) => s.clone(),
            Value::Integer(i) => i.to_string(),
            Value::Decimal(d) => d.to_string(),
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
            Value::Timestamp(t) => t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
            Value::Boolean(b) => b.to_string(),
        }
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Integer(v)
    }
}
impl From<Decimal> for Value {
    fn from(v: Decimal) -> Self {
        Value::Decimal(v)
    }
}
impl From<NaiveDate> for Value {
    fn from(v: NaiveDate) -> Self {
        Value::Date(v)
    }
}
impl From<DateTime<Utc>> for Value {
    fn from(v: DateTime<Utc>) -> Self {
        Value::Timestamp(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Boolean(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// A whole row of a table, each cell set by its column's name in the table's column order, so a
/// row reads as "column: value" and a cell in the wrong place fails the first test that writes
/// the row, instead of landing silently in its neighbour's column.
#[derive(Debug, Clone)]
pub struct Row {
    table: &'static Table,
    values: Vec<Value>,
}

impl Row {
    /// An empty row of `table`; set every column with [`Row::set`].
    pub fn of(table: &'static Table) -> Self {
        Self {
            table,
            values: Vec::with_capacity(table.columns.len()),
        }
    }

    /// Sets the next column, which must be `column`.
    ///
    /// # Panics
    /// When `column` is not the table's next column (a bug in the projection).
    #[must_use]
    pub fn set(mut self, column: &'static str, value: impl Into<Value>) -> Self {
        let next = self.table.columns.get(self.values.len()).map(|c| c.name);
        assert!(
            next == Some(column),
            "table {}: cell {column} set where column {next:?} comes",
            self.table.name
        );
        self.values.push(value.into());
        self
    }

    pub fn table(&self) -> &'static Table {
        self.table
    }

    /// The cells, in column order.
    pub fn values(&self) -> &[Value] {
        &self.values
    }
}

/// The rows changed since the last commit: for each (table, key) the latest full row, or
/// `None` when the row was deleted. A later change of the same row replaces an earlier one, so
/// a batch writes each row once. (A hash map: a rebuild records millions of changes, and only
/// [`RowChanges::iter`] needs them in order.)
#[derive(Debug, Default, Clone, PartialEq)]
pub struct RowChanges {
    changes: HashMap<(&'static str, Vec<Value>), Option<Vec<Value>>, foldhash::fast::RandomState>,
}

impl RowChanges {
    /// Sets a whole row.
    ///
    /// # Panics
    /// When a column of the row was not set (a bug in the projection).
    pub fn upsert(&mut self, row: Row) {
        let Row { table, values } = row;
        assert_eq!(
            values.len(),
            table.columns.len(),
            "table {}: {} cells set of {} columns",
            table.name,
            values.len(),
            table.columns.len()
        );
        // Called for every row of a rebuild: find the key columns without allocating.
        let key = table
            .primary_key
            .iter()
            .filter_map(|k| table.columns.iter().position(|c| c.name == *k))
            .map(|i| values[i].clone())
            .collect();
        self.changes.insert((table.name, key), Some(values));
    }

    /// Removes a row by its key values (in the order of the table's primary key).
    pub fn delete(&mut self, table: &'static Table, key: Vec<Value>) {
        self.changes.insert((table.name, key), None);
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn len(&self) -> usize {
        self.changes.len()
    }

    /// Every change, ordered by table and key: (table, key, new row or `None` for a delete).
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &[Value], Option<&[Value]>)> {
        let mut all: Vec<_> = self
            .changes
            .iter()
            .map(|((t, k), v)| (*t, k.as_slice(), v.as_deref()))
            .collect();
        all.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        all.into_iter()
    }

    /// Forgets every change (after a commit, or while replaying below the checkpoint).
    pub fn clear(&mut self) {
        self.changes.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static T: Table = Table {
        name: "t",
        doc: "test",
        columns: &[
            Column {
                name: "id",
                ty: ColumnType::Text,
                doc: "",
            },
            Column {
                name: "n",
                ty: ColumnType::Integer,
                doc: "",
            },
        ],
        primary_key: &["id"],
        indexes: &[],
    };

    #[test]
    fn a_later_change_of_a_row_replaces_the_earlier_one() {
        let mut c = RowChanges::default();
        c.upsert(Row::of(&T).set("id", "a").set("n", 1));
        c.upsert(Row::of(&T).set("id", "b").set("n", 1));
        c.upsert(Row::of(&T).set("id", "a").set("n", 2));
        c.delete(&T, vec!["b".into()]);
        let all: Vec<_> = c.iter().collect();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].2, Some(&[Value::from("a"), Value::from(2)][..]));
        assert_eq!(all[1].2, None);
    }

    #[test]
    #[should_panic(expected = "table t: cell n set where column Some(\"id\") comes")]
    fn a_cell_set_out_of_column_order_is_refused() {
        let _ = Row::of(&T).set("n", 1);
    }

    #[test]
    #[should_panic(expected = "table t: 1 cells set of 2 columns")]
    fn a_row_missing_a_column_is_refused() {
        RowChanges::default().upsert(Row::of(&T).set("id", "a"));
    }
}
