//! The smallest useful app: a title, a text input, a button.
//!
//! `cargo run --example hello`, then open http://127.0.0.1:8501.

use brooklet::prelude::*;

/// The app: greets whoever is named in the text input when "Greet" is pressed.
pub fn app(ui: &Ui) {
    ui.title("Hello, Brooklet");
    let name = ui.add(TextInput::new("Your name").value("world"));
    if ui.button("Greet").clicked() {
        ui.markdown(format!("Hello, {name}!"));
    }
}

#[allow(dead_code)]
fn main() -> brooklet::Result<()> {
    App::new(app).run()
}
