//! Micro-benchmarks: the server-side cost of one rerun of the *counter* and
//! *big* apps (through `AppTest`: run on a script thread, diff, queue, and
//! apply the deltas), and of encoding their delta frames as JSON.
//!
//! `cargo bench -p brooklet-bench`

use brooklet::protocol::{DeltaOp, Element, RunStatus, ServerMessage, SliderValue, WidgetBase};
use brooklet::testing::AppTest;
use brooklet_bench::apps;

fn main() {
    divan::main();
}

fn rerun(app: fn(&brooklet::Ui), bencher: divan::Bencher<'_, '_>) {
    let mut at = AppTest::new(app);
    at.run().expect("first run");
    bencher.bench_local(|| {
        at.button("Increment").click().run().expect("rerun");
    });
}

#[divan::bench]
fn counter_rerun(bencher: divan::Bencher<'_, '_>) {
    rerun(apps::counter, bencher);
}

#[divan::bench]
fn big_rerun(bencher: divan::Bencher<'_, '_>) {
    rerun(apps::big, bencher);
}

/// The frame a counter rerun sends: started, one changed text, finished.
fn counter_frame() -> Vec<ServerMessage> {
    vec![
        ServerMessage::RunStarted {
            run: 7,
            scope: None,
        },
        ServerMessage::Delta {
            run: 7,
            ops: vec![DeltaOp::Set {
                path: vec![0, 11],
                el: Element::Text {
                    text: "Count: 6".into(),
                },
            }],
        },
        ServerMessage::RunFinished {
            run: 7,
            status: RunStatus::Complete,
        },
    ]
}

/// The first frame of the big app: a thousand texts, a button, the count.
fn big_first_frame() -> Vec<ServerMessage> {
    let mut ops: Vec<DeltaOp> = (0..1000)
        .map(|i| DeltaOp::Set {
            path: vec![0, i],
            el: Element::Text {
                text: format!("row {i}"),
            },
        })
        .collect();
    ops.push(DeltaOp::Set {
        path: vec![0, 1000],
        el: Element::Button {
            base: base(0, "Increment"),
            primary: false,
        },
    });
    vec![
        ServerMessage::RunStarted {
            run: 1,
            scope: None,
        },
        ServerMessage::Delta { run: 1, ops },
        ServerMessage::RunFinished {
            run: 1,
            status: RunStatus::Complete,
        },
    ]
}

/// The fields every widget has.
fn base(i: u32, label: &str) -> WidgetBase {
    WidgetBase {
        id: format!("w{i:016x}"),
        label: label.into(),
        help: i.is_multiple_of(3).then(|| "a tooltip".into()),
        disabled: false,
    }
}

/// A page of 100 widgets of five kinds: what the widget fields cost serde.
fn widgets_frame() -> Vec<ServerMessage> {
    let ops = (0..100_u32)
        .map(|i| DeltaOp::Set {
            path: vec![0, i],
            el: match i % 5 {
                0 => Element::Checkbox {
                    base: base(i, "Enabled"),
                    value: true,
                },
                1 => Element::TextInput {
                    base: base(i, "Name"),
                    value: "Ada".into(),
                    placeholder: None,
                    max_chars: None,
                    password: false,
                },
                2 => Element::Slider {
                    base: base(i, "Threshold"),
                    value: SliderValue::Single(3.0),
                    min: 0.0,
                    max: 10.0,
                    step: 1.0,
                    integer: true,
                },
                3 => Element::Selectbox {
                    base: base(i, "City"),
                    options: vec!["Oslo".into(), "Lima".into(), "Pune".into()],
                    index: Some(1),
                    placeholder: None,
                },
                _ => Element::Button {
                    base: base(i, "Go"),
                    primary: false,
                },
            },
        })
        .collect();
    vec![ServerMessage::Delta { run: 1, ops }]
}

#[divan::bench]
fn encode_widgets_frame(bencher: divan::Bencher<'_, '_>) {
    let frame = widgets_frame();
    bencher.bench_local(|| serde_json::to_string(divan::black_box(&frame)).expect("encodes"));
}

#[divan::bench]
fn encode_counter_rerun_frame(bencher: divan::Bencher<'_, '_>) {
    let frame = counter_frame();
    bencher.bench_local(|| serde_json::to_string(divan::black_box(&frame)).expect("encodes"));
}

#[divan::bench]
fn encode_big_first_frame(bencher: divan::Bencher<'_, '_>) {
    let frame = big_first_frame();
    bencher.bench_local(|| serde_json::to_string(divan::black_box(&frame)).expect("encodes"));
}
