//! One thread pool shared by every session (Streamlit's `get_thread_executor`
//! pattern), running SQL queries against an embedded SQLite database that the
//! example creates. Each query's result table appears the moment that query
//! finishes, while the others still run.
//!
//! The pool lives in a `static`: all sessions share its four threads, so a
//! hundred open tabs never run more than four queries at once. Jobs are bound
//! to the run that submitted them, so a rerun cancels the old run's pending
//! results.
//!
//! `cargo run --example executor`

use std::path::PathBuf;
use std::sync::LazyLock;

use brooklet::prelude::*;
use rusqlite::types::ValueRef;
use serde_json::{Map, Value};

/// The pool every session shares.
static EXECUTOR: LazyLock<Executor> = LazyLock::new(|| Executor::new(4));

/// The database file, created and filled on first use.
static DATABASE: LazyLock<Result<PathBuf, String>> = LazyLock::new(create_database);

fn create_database() -> Result<PathBuf, String> {
    let path =
        std::env::temp_dir().join(format!("brooklet-executor-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let mut db = rusqlite::Connection::open(&path).map_err(|e| e.to_string())?;
    let tx = db.transaction().map_err(|e| e.to_string())?;
    tx.execute_batch(
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, region TEXT NOT NULL,
                              product TEXT NOT NULL, quantity INTEGER NOT NULL, price REAL NOT NULL);",
    )
    .map_err(|e| e.to_string())?;
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO orders (region, product, quantity, price) VALUES (?1, ?2, ?3, ?4)",
            )
            .map_err(|e| e.to_string())?;
        let regions = ["North", "South", "East", "West"];
        let products = ["Widget", "Gadget", "Gizmo", "Doohickey", "Thingamajig"];
        for i in 0..100_000u64 {
            let region = regions[(i * 7 % 4) as usize];
            let product = products[(i * 13 % 5) as usize];
            let quantity = (i * 31 % 20 + 1) as i64;
            let price = ((i * 97 % 5000) as f64) / 100.0 + 1.0;
            insert
                .execute(rusqlite::params![region, product, quantity, price])
                .map_err(|e| e.to_string())?;
        }
    }
    tx.commit().map_err(|e| e.to_string())?;
    Ok(path)
}

/// Run `sql` and return its rows as objects (column name → value), in
/// column order.
pub fn run_query(sql: &str) -> Result<Vec<Map<String, Value>>, String> {
    let path = DATABASE.as_ref().map_err(Clone::clone)?;
    let db =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| e.to_string())?;
    let mut statement = db.prepare(sql).map_err(|e| e.to_string())?;
    let columns: Vec<String> = statement.column_names().map(|c| c.to_string()).collect();
    let mut rows = statement.query([]).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(|e| e.to_string())? {
        let mut record = Map::new();
        for (i, column) in columns.iter().enumerate() {
            let value = match row.get_ref(i).map_err(|e| e.to_string())? {
                ValueRef::Null => Value::Null,
                ValueRef::Integer(n) => Value::from(n),
                ValueRef::Real(x) => Value::from((x * 100.0).round() / 100.0),
                ValueRef::Text(t) => Value::from(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(b) => Value::from(format!("<{} bytes>", b.len())),
            };
            record.insert(column.clone(), value);
        }
        out.push(record);
    }
    Ok(out)
}

/// The queries the page runs, slowest first (so results arrive out of order).
pub const QUERIES: [&str; 4] = [
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000000) \
     SELECT COUNT(*) AS numbers, SUM(i % 7 = 0) AS multiples_of_seven FROM n",
    "SELECT product, SUM(quantity) AS units, ROUND(SUM(quantity * price), 2) AS revenue \
     FROM orders GROUP BY product ORDER BY revenue DESC",
    "SELECT region, ROUND(AVG(price), 2) AS average_price, MAX(quantity) AS largest_order \
     FROM orders GROUP BY region ORDER BY region",
    "SELECT COUNT(*) AS orders FROM orders",
];

/// The app.
pub fn app(ui: &Ui) {
    ui.title("Shared executor");
    ui.caption("Four queries on a pool of four threads shared by every session; each table appears when its query is done.");
    let workers: Vec<Worker<()>> = QUERIES
        .iter()
        .map(|sql| {
            ui.add(brooklet::prelude::Code::new(*sql).language("sql"));
            let slot = ui.container();
            EXECUTOR.spawn(&slot, move |ui| match run_query(sql) {
                Ok(rows) => {
                    ui.table(&rows);
                }
                Err(error) => {
                    ui.error(format!("query failed: {error}"));
                }
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.join();
    }
    let _ = ui.button("Run again").clicked();
}

#[allow(dead_code)]
fn main() -> brooklet::Result<()> {
    App::new(app).run()
}
