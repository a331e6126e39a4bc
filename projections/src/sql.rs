//! The SQL of the read models, written once for every database a sink writes to.
//!
//! A sink adapter picks its [`Dialect`] and runs the statements built here; it writes no SQL of
//! its own. The two databases differ only in how a table is named (PostgreSQL keeps the read
//! models in a schema of their own), how a value is bound (SQLite binds `?n` natively;
//! PostgreSQL binds every value as text and casts it, `$n::text::numeric`, so decimals stay
//! exact), the column types, how a column is read back, and table comments.
//!
//! Only declared table and column names, and placeholders, ever enter the text: values are
//! always bound.

use crate::rows::{Column, ColumnType, Table, Value};
use crate::select::{Direction, Resolved};

/// The database a sink writes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite: tables unqualified, `?n` placeholders, decimals, dates and times stored as text.
    Sqlite,
    /// PostgreSQL: tables in `schema`, `$n` placeholders cast from text, a comment per table.
    Postgres { schema: String },
}

/// The table holding every projection's checkpoint.
const CHECKPOINTS: &str = "projection_checkpoints";

impl Dialect {
    /// The database's type for a column of type `ty`.
    pub fn column_type(&self, ty: ColumnType) -> &'static str {
        match self {
            Self::Sqlite => match ty {
                ColumnType::Integer | ColumnType::Boolean => "INTEGER",
                // Decimals stay TEXT: SQLite's NUMERIC affinity would turn 12.50 into a float.
                ColumnType::Text
                | ColumnType::Decimal
                | ColumnType::Date
                | ColumnType::Timestamp => "TEXT",
            },
            Self::Postgres { .. } => match ty {
                ColumnType::Text => "text",
                ColumnType::Integer => "bigint",
                ColumnType::Decimal => "numeric",
                ColumnType::Date => "date",
                ColumnType::Timestamp => "timestamptz",
                ColumnType::Boolean => "boolean",
            },
        }
    }

    /// The name of table `name` in SQL, with its schema where there is one.
    pub fn table_name(&self, name: &str) -> String {
        match self {
            Self::Sqlite => name.to_owned(),
            Self::Postgres { schema } => format!("{schema}.{name}"),
        }
    }

    /// Placeholder `n` (from 1) for a value the caller binds in its own type.
    fn param(&self, n: usize) -> String {
        match self {
            Self::Sqlite => format!("?{n}"),
            Self::Postgres { .. } => format!("${n}"),
        }
    }

    /// Placeholder `n` for a cell of type `ty`, bound as [`Dialect::bind`] says.
    fn cell_param(&self, n: usize, ty: ColumnType) -> String {
        match self {
            Self::Sqlite => self.param(n),
            Self::Postgres { .. } => format!("${n}::text::{}", self.column_type(ty)),
        }
    }

    /// A cell as the sink binds it: natively in SQLite (integers and booleans as integers,
    /// the rest as text), always as text in PostgreSQL (see [`Dialect::cell_param`]).
    pub fn bind(&self, value: &Value) -> Bound {
        match (self, value) {
            (_, Value::Null) => Bound::Null,
            (Self::Sqlite, Value::Integer(i)) => Bound::Integer(*i),
            (Self::Sqlite, Value::Boolean(b)) => Bound::Integer(i64::from(*b)),
            (_, other) => Bound::Text(other.to_text()),
        }
    }

    /// How `column` is selected: as text [`crate::select::cell_from_text`] parses, whatever
    /// the session's date style or time zone.
    fn select_column(&self, column: &Column) -> String {
        let name = column.name;
        match (self, column.ty) {
            (Self::Sqlite, _) | (Self::Postgres { .. }, ColumnType::Text) => name.to_owned(),
            (
                Self::Postgres { .. },
                ColumnType::Integer | ColumnType::Decimal | ColumnType::Boolean,
            ) => {
                format!("{name}::text")
            }
            (Self::Postgres { .. }, ColumnType::Date) => format!("to_char({name}, 'YYYY-MM-DD')"),
            (Self::Postgres { .. }, ColumnType::Timestamp) => {
                format!("to_char({name} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")
            }
        }
    }

    /// Creates `table` when missing, with its comment, and with `with_indexes` its secondary
    /// indexes: a reset leaves them out so a rebuild fills the table first, and `open` adds
    /// them afterwards in one pass.
    pub fn create_table(&self, table: &Table, with_indexes: bool) -> String {
        let name = self.table_name(table.name);
        let columns: Vec<String> = table
            .columns
            .iter()
            .map(|c| format!("{} {}", c.name, self.column_type(c.ty)))
            .collect();
        let mut sql = format!(
            "CREATE TABLE IF NOT EXISTS {name} ({}, PRIMARY KEY ({}));",
            columns.join(", "),
            table.primary_key.join(", ")
        );
        if let Self::Postgres { .. } = self {
            sql.push_str(&format!(
                "COMMENT ON TABLE {name} IS '{}';",
                table.doc.replace('\'', "''")
            ));
        }
        if with_indexes {
            for columns in table.indexes {
                sql.push_str(&format!(
                    "CREATE INDEX IF NOT EXISTS {}_by_{} ON {name} ({});",
                    table.name,
                    columns.join("_"),
                    columns.join(", ")
                ));
            }
        }
        sql
    }

    pub fn drop_table(&self, table: &Table) -> String {
        format!("DROP TABLE IF EXISTS {}", self.table_name(table.name))
    }

    /// Whether a table exists: the query, and the one text value to bind to it.
    pub fn table_exists(&self, table: &Table) -> (&'static str, String) {
        match self {
            Self::Sqlite => (
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1)",
                table.name.to_owned(),
            ),
            Self::Postgres { .. } => (
                "SELECT to_regclass($1) IS NOT NULL",
                self.table_name(table.name),
            ),
        }
    }

    /// Writes a whole row (bind every column's cell, in column order), replacing the row
    /// with the same key.
    pub fn upsert(&self, table: &Table) -> String {
        let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        let params: Vec<String> = table
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| self.cell_param(i + 1, c.ty))
            .collect();
        let updates: Vec<String> = names
            .iter()
            .filter(|n| !table.primary_key.contains(n))
            .map(|n| format!("{n} = excluded.{n}"))
            .collect();
        let on_conflict = if updates.is_empty() {
            "DO NOTHING".to_owned()
        } else {
            format!("DO UPDATE SET {}", updates.join(", "))
        };
        format!(
            "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT ({}) {on_conflict}",
            self.table_name(table.name),
            names.join(", "),
            params.join(", "),
            table.primary_key.join(", ")
        )
    }

    /// Deletes a row by its key (bind the key's cells, in primary-key order).
    pub fn delete(&self, table: &Table) -> String {
        let conditions: Vec<String> = table
            .primary_key
            .iter()
            .enumerate()
            .map(|(i, key)| {
                let ty = table
                    .columns
                    .iter()
                    .find(|c| c.name == *key)
                    .map_or(ColumnType::Text, |c| c.ty);
                format!("{key} = {}", self.cell_param(i + 1, ty))
            })
            .collect();
        format!(
            "DELETE FROM {} WHERE {}",
            self.table_name(table.name),
            conditions.join(" AND ")
        )
    }

    /// The query for `resolved`, and the cells to bind to it in order. Each row comes back
    /// with the table's columns in order, each as [`crate::select::cell_from_text`] reads it.
    pub fn select(&self, resolved: &Resolved) -> (String, Vec<Value>) {
        let table = resolved.table;
        let (conditions, values) = self.conditions(resolved);
        let columns: Vec<String> = table
            .columns
            .iter()
            .map(|c| self.select_column(c))
            .collect();
        let mut sql = format!(
            "SELECT {} FROM {}",
            columns.join(", "),
            self.table_name(table.name)
        );
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        self.order_and_page(resolved, sql, values)
    }

    /// The number of rows `resolved` matches, without its order and page: one integer.
    pub fn count(&self, resolved: &Resolved) -> (String, Vec<Value>) {
        let (conditions, values) = self.conditions(resolved);
        let mut sql = format!(
            "SELECT COUNT(*) FROM {}",
            self.table_name(resolved.table.name)
        );
        if !conditions.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&conditions.join(" AND "));
        }
        (sql, values)
    }

    /// The conditions of `resolved`'s filters, and the cells they bind in order.
    fn conditions(&self, resolved: &Resolved) -> (Vec<String>, Vec<Value>) {
        let mut conditions = Vec::new();
        let mut values = Vec::new();
        for (column, wanted) in &resolved.filters {
            if wanted.is_empty() {
                conditions.push("FALSE".to_owned());
                continue;
            }
            let alternatives: Vec<String> = wanted
                .iter()
                .map(|v| {
                    values.push(v.clone());
                    self.cell_param(values.len(), column.ty)
                })
                .collect();
            conditions.push(format!("{} IN ({})", column.name, alternatives.join(", ")));
        }
        for (column, text) in &resolved.contains {
            // The text is matched literally: LIKE's wildcards in it are escaped.
            let literal = text
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            values.push(Value::Text(literal));
            let p = self.cell_param(values.len(), ColumnType::Text);
            conditions.push(format!(
                "lower({}) LIKE '%' || {p} || '%' ESCAPE '\\'",
                column.name
            ));
        }
        for (column, bound) in &resolved.at_most {
            values.push(bound.clone());
            let p = self.cell_param(values.len(), column.ty);
            conditions.push(format!("{} <= {p}", column.name));
        }
        (conditions, values)
    }

    fn order_and_page(
        &self,
        resolved: &Resolved,
        mut sql: String,
        values: Vec<Value>,
    ) -> (String, Vec<Value>) {
        let order: Vec<String> = resolved
            .order
            .iter()
            .map(|(c, d)| {
                let direction = match d {
                    Direction::Ascending => "ASC",
                    Direction::Descending => "DESC",
                };
                format!("{} {direction}", c.name)
            })
            .collect();
        sql.push_str(" ORDER BY ");
        sql.push_str(&order.join(", "));
        if let Some(limit) = resolved.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        if resolved.offset > 0 {
            if resolved.limit.is_none() {
                // Both databases need a LIMIT before an OFFSET.
                sql.push_str(&format!(" LIMIT {}", i64::MAX));
            }
            sql.push_str(&format!(" OFFSET {}", resolved.offset));
        }
        (sql, values)
    }

    /// Creates the checkpoints table when missing.
    pub fn create_checkpoints(&self) -> String {
        format!(
            "CREATE TABLE IF NOT EXISTS {} (
                 projection {} PRIMARY KEY,
                 version    {} NOT NULL,
                 position   {}
             );",
            self.table_name(CHECKPOINTS),
            self.column_type(ColumnType::Text),
            self.column_type(ColumnType::Integer),
            self.column_type(ColumnType::Integer),
        )
    }

    /// Reads a checkpoint: bind the projection (text); returns version and position (integers,
    /// the position null before the first commit).
    pub fn read_checkpoint(&self) -> String {
        format!(
            "SELECT version, position FROM {} WHERE projection = {}",
            self.table_name(CHECKPOINTS),
            self.param(1)
        )
    }

    /// Records a projection opened for the first time: bind the projection and its version.
    pub fn insert_checkpoint(&self) -> String {
        format!(
            "INSERT INTO {} (projection, version, position) VALUES ({}, {}, NULL)",
            self.table_name(CHECKPOINTS),
            self.param(1),
            self.param(2)
        )
    }

    /// Starts a projection again from the beginning at a version: bind the projection and the
    /// version.
    pub fn reset_checkpoint(&self) -> String {
        format!(
            "{} ON CONFLICT (projection) DO UPDATE SET version = excluded.version, position = NULL",
            self.insert_checkpoint()
        )
    }

    /// Moves a checkpoint: bind the projection and the position (integer).
    pub fn move_checkpoint(&self) -> String {
        format!(
            "UPDATE {} SET position = {} WHERE projection = {}",
            self.table_name(CHECKPOINTS),
            self.param(2),
            self.param(1)
        )
    }
}

/// A cell ready to bind (see [`Dialect::bind`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bound {
    Null,
    Integer(i64),
    Text(String),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rows::Column;
    use crate::select::Query;

    static ROWS: Table = Table {
        name: "rows",
        doc: "It's a test",
        columns: &[
            Column {
                name: "id",
                ty: ColumnType::Text,
                doc: "",
            },
            Column {
                name: "amount",
                ty: ColumnType::Decimal,
                doc: "",
            },
            Column {
                name: "on_day",
                ty: ColumnType::Date,
                doc: "",
            },
        ],
        primary_key: &["id"],
        indexes: &[&["on_day"]],
    };

    fn postgres() -> Dialect {
        Dialect::Postgres {
            schema: "s_read".into(),
        }
    }

    #[test]
    fn the_two_dialects_differ_only_in_names_placeholders_and_types() {
        assert_eq!(
            Dialect::Sqlite.upsert(&ROWS),
            "INSERT INTO rows (id, amount, on_day) VALUES (?1, ?2, ?3) ON CONFLICT (id) \
             DO UPDATE SET amount = excluded.amount, on_day = excluded.on_day"
        );
        assert_eq!(
            postgres().upsert(&ROWS),
            "INSERT INTO s_read.rows (id, amount, on_day) VALUES ($1::text::text, \
             $2::text::numeric, $3::text::date) ON CONFLICT (id) \
             DO UPDATE SET amount = excluded.amount, on_day = excluded.on_day"
        );
        assert_eq!(
            Dialect::Sqlite.delete(&ROWS),
            "DELETE FROM rows WHERE id = ?1"
        );
        assert_eq!(
            postgres().delete(&ROWS),
            "DELETE FROM s_read.rows WHERE id = $1::text::text"
        );
    }

    #[test]
    fn tables_get_their_indexes_only_when_asked_and_comments_only_in_postgres() {
        let sqlite = Dialect::Sqlite.create_table(&ROWS, true);
        assert!(sqlite.starts_with(
            "CREATE TABLE IF NOT EXISTS rows (id TEXT, amount TEXT, on_day TEXT, PRIMARY KEY (id));"
        ));
        assert!(sqlite.contains("CREATE INDEX IF NOT EXISTS rows_by_on_day ON rows (on_day);"));
        assert!(!sqlite.contains("COMMENT"));
        let pg = postgres().create_table(&ROWS, false);
        assert!(pg.contains("amount numeric"), "{pg}");
        assert!(
            pg.contains("COMMENT ON TABLE s_read.rows IS 'It''s a test';"),
            "{pg}"
        );
        assert!(!pg.contains("CREATE INDEX"), "{pg}");
    }

    #[test]
    fn a_query_binds_every_value_and_escapes_like_wildcards() {
        let resolved = Query::all()
            .any_of("id", vec!["a".into(), "b".into()])
            .contains("id", "50%_")
            .page(10, 20)
            .resolve(&ROWS)
            .unwrap();
        let (sql, values) = postgres().select(&resolved);
        assert!(sql.starts_with(
            "SELECT id, amount::text, to_char(on_day, 'YYYY-MM-DD') FROM s_read.rows WHERE id IN ($1::text::text, $2::text::text) AND lower(id) LIKE '%' || $3::text::text || '%'"
        ), "{sql}");
        assert!(sql.ends_with(" LIMIT 10 OFFSET 20"), "{sql}");
        assert_eq!(values[2], Value::Text("50\\%\\_".into()));
        let (sql, _) = Dialect::Sqlite.select(&resolved);
        assert!(
            sql.contains("WHERE id IN (?1, ?2) AND lower(id) LIKE '%' || ?3 || '%'"),
            "{sql}"
        );
    }

    #[test]
    fn sqlite_binds_numbers_natively_and_postgres_binds_text() {
        assert_eq!(
            Dialect::Sqlite.bind(&Value::Boolean(true)),
            Bound::Integer(1)
        );
        assert_eq!(
            postgres().bind(&Value::Boolean(true)),
            Bound::Text("true".into())
        );
        assert_eq!(postgres().bind(&Value::Null), Bound::Null);
    }
}
