//! Ten million rows in a dataframe: formatted, sortable, searchable,
//! selectable and downloadable, with the rows kept on the server.
//!
//! ```text
//! cargo run --release --example dataframe
//! BROOKLET_ROWS=1000000 cargo run --example dataframe
//! ```
//!
//! The frame is built once (in a cache) straight from Arrow arrays, and
//! every rerun and every session shares it: a rerun sends nothing but what
//! changed on the page, and the page asks only for the rows it shows.

use std::sync::Arc;

use brooklet::data::arrow::array::types::Int8Type;
use brooklet::data::arrow::array::{
    ArrayRef, BooleanArray, Date32Array, DictionaryArray, Float64Array, RecordBatch, UInt32Array,
    UInt64Array,
};
use brooklet::data::{Column, Frame};
use brooklet::prelude::*;
use brooklet::ui::widgets::SelectionMode;

const REGIONS: [&str; 5] = ["North", "South", "East", "West", "Central"];
const PRODUCTS: [&str; 8] = [
    "Kettle", "Toaster", "Blender", "Mixer", "Grinder", "Juicer", "Steamer", "Fryer",
];

/// How many rows: `BROOKLET_ROWS`, or ten million.
fn row_count() -> usize {
    std::env::var("BROOKLET_ROWS")
        .ok()
        .and_then(|rows| rows.trim().parse().ok())
        .unwrap_or(10_000_000)
}

/// A small fast generator, so that the data is the same on every start.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The sales table, column by column.
pub fn sales(rows: usize) -> Frame {
    let mut random = Random(0x9E37_79B9_7F4A_7C15);
    let mut region = Vec::with_capacity(rows);
    let mut product = Vec::with_capacity(rows);
    let mut units = Vec::with_capacity(rows);
    let mut price = Vec::with_capacity(rows);
    let mut score = Vec::with_capacity(rows);
    let mut flag = Vec::with_capacity(rows);
    let mut date = Vec::with_capacity(rows);
    // 2020-01-01 as days since 1970-01-01.
    let first_day = 18_262;
    for _ in 0..rows {
        region.push(REGIONS[random.below(5) as usize]);
        product.push(PRODUCTS[random.below(8) as usize]);
        units.push(1 + random.below(100) as u32);
        price.push((100 + random.below(49_900)) as f64 / 100.0);
        score.push(random.below(1_000_000) as f64 / 10_000.0);
        flag.push(random.below(4) == 0);
        date.push(first_day + random.below(1_826) as i32);
    }
    let region: DictionaryArray<Int8Type> = region.into_iter().collect();
    let product: DictionaryArray<Int8Type> = product.into_iter().collect();
    let columns: Vec<(&str, ArrayRef)> = vec![
        (
            "id",
            Arc::new(UInt64Array::from_iter_values(0..rows as u64)),
        ),
        ("region", Arc::new(region)),
        ("product", Arc::new(product)),
        ("units", Arc::new(UInt32Array::from(units))),
        ("price", Arc::new(Float64Array::from(price))),
        ("score", Arc::new(Float64Array::from(score))),
        ("flag", Arc::new(BooleanArray::from(flag))),
        ("date", Arc::new(Date32Array::from(date))),
    ];
    let batch = RecordBatch::try_from_iter(columns).expect("columns of one length");
    Frame::from_batch(batch)
}

/// The app, with `BROOKLET_ROWS` rows (ten million unless set).
pub fn app(ui: &Ui) {
    show(ui, row_count());
}

/// The page for a frame of `rows` rows.
pub fn show(ui: &Ui, rows: usize) {
    ui.title("Sales");
    let frame = ui.cache_data("sales", &rows, || sales(rows));
    ui.caption(format!("Rows: {}", frame.num_rows()));
    ui.caption(format!(
        "Held once on the server, in Arrow columns: {:.1} MB",
        frame.memory_size() as f64 / 1e6
    ));
    let selected = ui.add(
        Dataframe::new(&frame)
            .column("price", Column::number().format("dollar").label("Price"))
            .column("score", Column::number().format("%.2f").label("Score"))
            .column("flag", Column::checkbox().label("Flag"))
            .column("date", Column::date().format("%b %-d, %Y").label("Date"))
            .column("units", "Units")
            .height(420)
            .on_select(SelectionMode::MultiRow),
    );
    let prices = frame
        .column("price")
        .and_then(|prices| prices.as_any().downcast_ref::<Float64Array>());
    let sum: f64 = match prices {
        Some(prices) => selected
            .rows
            .iter()
            .fold(0.0, |sum, &row| sum + prices.value(row)),
        None => 0.0,
    };
    ui.text(format!("Selected rows: {}", selected.rows.len()));
    ui.text(format!("Sum of selected prices: {sum:.2}"));
}

#[allow(dead_code)]
fn main() -> brooklet::Result<()> {
    brooklet::App::new(app).run()
}
