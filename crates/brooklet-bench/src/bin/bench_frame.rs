//! The dataframe benchmark app: the frame of `examples/dataframe.rs`
//! (`BROOKLET_ROWS` rows, cached), shown when the "Show" toggle is on, so
//! that a browser can time click → visible grid with the data ready.
//! `bench/streamlit/dataframe.py` is the same app in Streamlit.

use brooklet::data::Column;
use brooklet::prelude::*;

#[path = "../../../../examples/dataframe.rs"]
#[allow(dead_code, unreachable_pub)]
mod dataframe;

fn app(ui: &Ui) {
    let rows = std::env::var("BROOKLET_ROWS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(1_000_000);
    let frame = ui.cache_data("sales", &rows, || dataframe::sales(rows));
    ui.caption(format!("Ready: {}", frame.num_rows()));
    if ui.toggle("Show") {
        ui.add(
            Dataframe::new(&frame)
                .column("price", Column::number().format("dollar"))
                .column("score", Column::number().format("%.2f"))
                .column("date", Column::date().format("%b %-d, %Y"))
                .height(420),
        );
    }
}

fn main() -> brooklet::Result<()> {
    brooklet::App::new(app).run()
}
