//! A read of one read-model table: equality filters, a case-insensitive "contains", an order
//! and a page. Column names are checked against the table's declaration and each sink writes
//! the declared name into its SQL, never the caller's text; values are always parameters.

use crate::rows::{Column, ColumnType, Table, Value};
use crate::sink::SinkError;

/// Which way a column sorts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ascending,
    Descending,
}

/// A read of the rows of one table. Rows always come in a stable order: the `order` asked,
/// then the primary key.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    /// `column = value` (for several values: equal to any of them). A `Value::Null` matches
    /// nothing, as in SQL. (SQLite keeps decimals as text, so filter on keys, codes, dates
    /// and numbers, not on amounts.)
    pub filters: Vec<(String, Vec<Value>)>,
    /// Text columns that contain these texts, ignoring case (all of them).
    pub contains: Vec<(String, String)>,
    /// `column <= value` (a date up to a day, say).
    pub at_most: Vec<(String, Value)>,
    pub order: Vec<(String, Direction)>,
    pub limit: Option<u64>,
    pub offset: u64,
}

impl Query {
    /// Every row of a table, in primary-key order.
    pub fn all() -> Self {
        Self::default()
    }

    /// Adds `column = value`.
    #[must_use]
    pub fn eq(mut self, column: &str, value: impl Into<Value>) -> Self {
        self.filters.push((column.to_owned(), vec![value.into()]));
        self
    }

    /// Adds `column IN (values)`.
    #[must_use]
    pub fn any_of(mut self, column: &str, values: Vec<Value>) -> Self {
        self.filters.push((column.to_owned(), values));
        self
    }

    /// Keeps rows whose text column contains `text`, ignoring case (and every other text
    /// asked for so far).
    #[must_use]
    pub fn contains(mut self, column: &str, text: &str) -> Self {
        self.contains.push((column.to_owned(), text.to_owned()));
        self
    }

    /// Keeps rows whose `column` is at most `value` (never a null cell).
    #[must_use]
    pub fn at_most(mut self, column: &str, value: impl Into<Value>) -> Self {
        self.at_most.push((column.to_owned(), value.into()));
        self
    }

    /// Sorts by `column`, after any column given before it.
    #[must_use]
    pub fn order_by(mut self, column: &str, direction: Direction) -> Self {
        self.order.push((column.to_owned(), direction));
        self
    }

    /// At most `limit` rows, after skipping `offset`.
    #[must_use]
    pub fn page(mut self, limit: u64, offset: u64) -> Self {
        self.limit = Some(limit);
        self.offset = offset;
        self
    }

    /// The query with every column name replaced by the table's own declared column.
    ///
    /// # Errors
    /// [`SinkError::UnknownColumn`] for a name the table does not declare, or a "contains" on a
    /// column that is not text.
    pub fn resolve(&self, table: &'static Table) -> Result<Resolved, SinkError> {
        let column = |name: &str| {
            table
                .columns
                .iter()
                .find(|c| c.name == name)
                .ok_or_else(|| SinkError::UnknownColumn {
                    table: table.name,
                    column: name.to_owned(),
                })
        };
        let filters = self
            .filters
            .iter()
            .map(|(name, values)| Ok((column(name)?, values.clone())))
            .collect::<Result<Vec<_>, SinkError>>()?;
        let contains = self
            .contains
            .iter()
            .map(|(name, text)| {
                let c = column(name)?;
                if c.ty != ColumnType::Text {
                    return Err(SinkError::UnknownColumn {
                        table: table.name,
                        column: format!("{name} (not a text column)"),
                    });
                }
                Ok((c, text.clone()))
            })
            .collect::<Result<Vec<_>, SinkError>>()?;
        let at_most = self
            .at_most
            .iter()
            .map(|(name, value)| Ok((column(name)?, value.clone())))
            .collect::<Result<Vec<_>, SinkError>>()?;
        let mut order = self
            .order
            .iter()
            .map(|(name, direction)| Ok((column(name)?, *direction)))
            .collect::<Result<Vec<_>, SinkError>>()?;
        for key in table.primary_key {
            let c = column(key)?;
            if !order.iter().any(|(o, _)| o.name == c.name) {
                order.push((c, Direction::Ascending));
            }
        }
        Ok(Resolved {
            table,
            filters,
            contains,
            at_most,
            order,
            limit: self.limit,
            offset: self.offset,
        })
    }
}

/// A [`Query`] whose columns are the table's own declarations.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub table: &'static Table,
    pub filters: Vec<(&'static Column, Vec<Value>)>,
    pub contains: Vec<(&'static Column, String)>,
    pub at_most: Vec<(&'static Column, Value)>,
    pub order: Vec<(&'static Column, Direction)>,
    pub limit: Option<u64>,
    pub offset: u64,
}

/// Reads a cell the database returned as text (or an integer) back into the column's type.
///
/// # Errors
/// [`SinkError::Unavailable`] when the text does not parse: the table holds what no sink wrote.
pub fn cell_from_text(column: &Column, text: &str) -> Result<Value, SinkError> {
    let bad = |e: &dyn std::fmt::Display| {
        SinkError::Unavailable(format!("column {} holds {text:?}: {e}", column.name))
    };
    Ok(match column.ty {
        ColumnType::Text => Value::Text(text.to_owned()),
        ColumnType::Integer => Value::Integer(text.parse().map_err(|e| bad(&e))?),
        ColumnType::Decimal => Value::Decimal(text.parse().map_err(|e| bad(&e))?),
        ColumnType::Date => {
            Value::Date(chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| bad(&e))?)
        }
        ColumnType::Timestamp => Value::Timestamp(
            chrono::DateTime::parse_from_rfc3339(text)
                .map_err(|e| bad(&e))?
                .with_timezone(&chrono::Utc),
        ),
        ColumnType::Boolean => Value::Boolean(matches!(text, "1" | "true" | "t")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::claim_lines::CLAIM_LINES;

    #[test]
    fn names_are_checked_against_the_table_and_values_become_parameters() {
        let query = Query::all()
            .eq("dossier", "d'; DROP TABLE claim_lines; --")
            .any_of("status", vec!["held".into(), "undecided".into()])
            .contains("provider", "50%_")
            .order_by("amount", Direction::Descending)
            .page(10, 20);
        let resolved = query.resolve(&CLAIM_LINES).unwrap();
        let (sql, values) = crate::sql::Dialect::Sqlite.select(&resolved);
        assert_eq!(
            sql.split_once(" FROM claim_lines").unwrap().1,
            " WHERE dossier IN (?1) AND status IN (?2, ?3) AND lower(provider) LIKE '%' || ?4 || '%' ESCAPE '\\' \
             ORDER BY amount DESC, dossier ASC, claim ASC, line ASC LIMIT 10 OFFSET 20"
        );
        assert_eq!(values.len(), 4);
        assert_eq!(values[3], Value::Text("50\\%\\_".into()));
        let unknown = Query::all().eq("name; --", 1).resolve(&CLAIM_LINES);
        assert!(matches!(unknown, Err(SinkError::UnknownColumn { .. })));
        let both = Query::all()
            .contains("provider", "a")
            .contains("dossier", "b")
            .resolve(&CLAIM_LINES)
            .unwrap();
        let (sql, values) = crate::sql::Dialect::Sqlite.select(&both);
        assert!(
            sql.contains(
                "WHERE lower(provider) LIKE '%' || ?1 || '%' ESCAPE '\\' \
                 AND lower(dossier) LIKE '%' || ?2 || '%' ESCAPE '\\'"
            ),
            "every text asked for must be contained: {sql}"
        );
        assert_eq!(values, [Value::Text("a".into()), Value::Text("b".into())]);
        let not_text = Query::all().contains("amount", "1").resolve(&CLAIM_LINES);
        assert!(matches!(not_text, Err(SinkError::UnknownColumn { .. })));
    }
}
