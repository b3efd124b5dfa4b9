//! Forms: changes stay in the browser until "Save" sends them all at once.
//!
//! `cargo run --example form`

use brooklet::prelude::*;

/// The app.
pub fn app(ui: &Ui) {
    ui.title("Form");
    ui.form("review", |form| {
        let title = form.text_input("Title");
        let rating = form.add(Slider::new("Rating", 1..=5).value(3));
        if form.form_submit_button("Save") {
            form.state().set("saved", (title, rating));
        }
    });
    if let Some((title, rating)) = ui.state().get::<(String, i32)>("saved") {
        ui.text(format!("Saved: {title} ({rating})"));
    }
}

#[allow(dead_code)]
fn main() -> brooklet::Result<()> {
    App::new(app).run()
}
