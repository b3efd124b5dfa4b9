//! A small inventory in a data editor: change units, pick sizes, add and
//! delete rows; the total follows every edit.
//!
//! ```text
//! cargo run --example editor
//! ```

use brooklet::data::Column;
use brooklet::prelude::*;
use brooklet::ui::widgets::{DataEditor, NumRows};

#[derive(Clone, serde::Serialize, serde::Deserialize)]
struct Item {
    product: String,
    size: String,
    units: u32,
    price: f64,
    in_stock: bool,
    restocked: Option<String>,
}

fn item(product: &str, size: &str, units: u32, price: f64, restocked: Option<&str>) -> Item {
    Item {
        product: product.into(),
        size: size.into(),
        units,
        price,
        in_stock: units > 0,
        restocked: restocked.map(str::to_owned),
    }
}

/// The app.
pub fn app(ui: &Ui) {
    ui.title("Inventory");
    let stock = vec![
        item("Kettle", "M", 12, 39.5, Some("2024-05-01")),
        item("Toaster", "S", 4, 24.0, Some("2024-04-12")),
        item("Blender", "L", 0, 89.9, None),
        item("Mixer", "M", 7, 129.0, Some("2024-03-30")),
    ];
    let edited = ui.add(
        DataEditor::new(&stock)
            .num_rows(NumRows::Dynamic)
            .column("product", Column::text().label("Product").max_chars(40))
            .column("size", Column::selectbox(["S", "M", "L"]).label("Size"))
            .column(
                "units",
                Column::number()
                    .label("Units")
                    .min(0.0)
                    .max(10_000.0)
                    .default_value(0),
            )
            .column(
                "price",
                Column::number()
                    .label("Price")
                    .format("dollar")
                    .min(0.0)
                    .step(0.01)
                    .default_value(0.0),
            )
            .column("in_stock", Column::checkbox().label("In stock"))
            .column(
                "restocked",
                Column::date().label("Restocked").format("%b %-d, %Y"),
            )
            .hide_index(true),
    );
    let units: u32 = edited.iter().map(|item| item.units).sum();
    let value: f64 = edited
        .iter()
        .fold(0.0, |sum, item| sum + f64::from(item.units) * item.price);
    ui.text(format!("Total units: {units}"));
    ui.text(format!("Stock value: ${value:.2}"));
}

#[allow(dead_code)]
fn main() -> brooklet::Result<()> {
    brooklet::App::new(app).run()
}
