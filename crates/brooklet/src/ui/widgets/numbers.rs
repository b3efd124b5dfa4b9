//! Number input, slider and range slider: widgets whose value is a number
//! (any integer or float primitive, see [`Number`]).

use std::fmt::Display;
use std::ops::RangeInclusive;

use serde_json::Value;

use super::Common;
use crate::protocol::{Element, SliderValue, WidgetKind};
use crate::ui::{Ui, Widget};

impl Ui {
    /// A number field starting at `value`; integer types give integer
    /// fields (`ui.number_input("Age", 30)` is an `i32`).
    pub fn number_input<N: Number>(&self, label: impl Into<String>, value: N) -> N {
        self.add(NumberInput::new(label, value))
    }

    /// A slider over `range`, starting at its low end.
    pub fn slider<N: Number>(&self, label: impl Into<String>, range: RangeInclusive<N>) -> N {
        self.add(Slider::new(label, range))
    }

    /// A two-handled slider over `range`, starting at the whole range.
    pub fn range_slider<N: Number>(
        &self,
        label: impl Into<String>,
        range: RangeInclusive<N>,
    ) -> (N, N) {
        self.add(RangeSlider::new(label, range))
    }
}

/// A number type a numeric widget can return: the integer and float
/// primitives.
pub trait Number: Copy + PartialOrd + Display + Send + Sync + 'static {
    /// Whether the widget takes whole numbers only.
    const INTEGER: bool;
    /// As `f64` (the wire type).
    fn to_f64(self) -> f64;
    /// From `f64`, rounding and saturating for integer types.
    fn from_f64(value: f64) -> Self;
}

macro_rules! number {
    ($integer:expr => $($ty:ty),*) => {$(
        impl Number for $ty {
            const INTEGER: bool = $integer;
            fn to_f64(self) -> f64 {
                self as f64
            }
            fn from_f64(value: f64) -> Self {
                if $integer { value.round() as $ty } else { value as $ty }
            }
        }
    )*};
}
number!(true => i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);
number!(false => f32, f64);

/// Decode a wire number: finite, rounded for integers, within `min..=max`.
fn decode_number<N: Number>(raw: &Value, min: Option<N>, max: Option<N>) -> Option<N> {
    let value = raw.as_f64().filter(|v| v.is_finite())?;
    let mut value = if N::INTEGER { value.round() } else { value };
    if let Some(min) = min {
        value = value.max(min.to_f64());
    }
    if let Some(max) = max {
        value = value.min(max.to_f64());
    }
    Some(N::from_f64(value))
}

/// A number field with −/+ steppers; the type of its start value decides
/// whether it takes whole numbers (`i64`, `u8`, …) or decimals (`f64`).
///
/// Options: [`min`](NumberInput::min), [`max`](NumberInput::max),
/// [`step`](NumberInput::step), and `key`, `help`, `disabled`, `on_change`.
///
/// ```
/// use brooklet::prelude::*;
/// fn app(ui: &Ui) {
///     let guests = ui.add(NumberInput::new("Guests", 2_u32).min(1).max(12));
///     let price = ui.add(NumberInput::new("Price", 9.5).step(0.5));
///     ui.text(format!("{guests} × {price}"));
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # assert_eq!(at.text(), vec!["2 × 9.5"]);
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct NumberInput<N> {
    common: Common,
    value: N,
    min: Option<N>,
    max: Option<N>,
    step: Option<N>,
}

impl<N: Number> NumberInput<N> {
    /// A number field labelled `label` starting at `value`.
    pub fn new(label: impl Into<String>, value: N) -> NumberInput<N> {
        NumberInput {
            common: Common::new(label),
            value,
            min: None,
            max: None,
            step: None,
        }
    }
    /// Smallest allowed value.
    pub fn min(mut self, min: N) -> Self {
        self.min = Some(min);
        self
    }
    /// Largest allowed value.
    pub fn max(mut self, max: N) -> Self {
        self.max = Some(max);
        self
    }
    /// Step of the −/+ buttons (default 1 for integers, 0.01 for floats).
    pub fn step(mut self, step: N) -> Self {
        self.step = Some(step);
        self
    }
}

impl<N: Number> Widget for NumberInput<N> {
    type Output = N;
    fn add_to(self, ui: &Ui) -> N {
        let NumberInput {
            common,
            value,
            min,
            max,
            step,
        } = self;
        let step = step
            .map(N::to_f64)
            .unwrap_or(if N::INTEGER { 1.0 } else { 0.01 });
        let id = common
            .id(WidgetKind::NumberInput)
            .with(if N::INTEGER { "int" } else { "float" })
            .with_f64(min.map(N::to_f64).unwrap_or(f64::NEG_INFINITY))
            .with_f64(max.map(N::to_f64).unwrap_or(f64::INFINITY))
            .with_f64(step)
            .finish();
        let default = decode_number(&Value::from(value.to_f64()), min, max).unwrap_or(value);
        ui.widget(
            common.identity(WidgetKind::NumberInput, id),
            default,
            move |raw| decode_number(raw, min, max),
            |v| Value::from(v.to_f64()),
            |base, value| Element::NumberInput {
                base,
                value: value.to_f64(),
                min: min.map(N::to_f64),
                max: max.map(N::to_f64),
                step,
                integer: N::INTEGER,
            },
        )
    }
}

/// Bounds and step of a slider, as wire numbers.
fn slider_bounds<N: Number>(range: &RangeInclusive<N>, step: Option<N>) -> (N, N, f64) {
    let (mut min, mut max) = (*range.start(), *range.end());
    if max < min {
        std::mem::swap(&mut min, &mut max);
    }
    let span = max.to_f64() - min.to_f64();
    let step = step
        .map(N::to_f64)
        .filter(|s| *s > 0.0)
        .unwrap_or(if N::INTEGER {
            1.0
        } else if span > 0.0 {
            span / 100.0
        } else {
            0.01
        });
    (min, max, step)
}

/// A slider over a range of numbers.
///
/// Options: [`value`](Slider::value) (its start, default the low end),
/// [`step`](Slider::step), and `key`, `help`, `disabled`, `on_change`.
///
/// ```
/// use brooklet::prelude::*;
/// fn app(ui: &Ui) {
///     let level = ui.add(Slider::new("Level", 0..=100).value(30).step(5));
///     ui.text(format!("level {level}"));
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # assert_eq!(at.text(), vec!["level 30"]);
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct Slider<N> {
    common: Common,
    range: RangeInclusive<N>,
    value: Option<N>,
    step: Option<N>,
}

impl<N: Number> Slider<N> {
    /// A slider labelled `label` over `range`, starting at its low end.
    pub fn new(label: impl Into<String>, range: RangeInclusive<N>) -> Slider<N> {
        Slider {
            common: Common::new(label),
            range,
            value: None,
            step: None,
        }
    }
    /// Its value before the user changes it.
    pub fn value(mut self, value: N) -> Self {
        self.value = Some(value);
        self
    }
    /// The step (default 1 for integers, 1/100 of the range for floats).
    pub fn step(mut self, step: N) -> Self {
        self.step = Some(step);
        self
    }
}

impl<N: Number> Widget for Slider<N> {
    type Output = N;
    fn add_to(self, ui: &Ui) -> N {
        let Slider {
            common,
            range,
            value,
            step,
        } = self;
        let (min, max, step) = slider_bounds(&range, step);
        let id = common
            .id(WidgetKind::Slider)
            .with_f64(min.to_f64())
            .with_f64(max.to_f64())
            .with_f64(step)
            .finish();
        let default = value
            .and_then(|v| decode_number(&Value::from(v.to_f64()), Some(min), Some(max)))
            .unwrap_or(min);
        ui.widget(
            common.identity(WidgetKind::Slider, id),
            default,
            move |raw| decode_number(raw, Some(min), Some(max)),
            |v| Value::from(v.to_f64()),
            |base, value| Element::Slider {
                base,
                value: SliderValue::Single(value.to_f64()),
                min: min.to_f64(),
                max: max.to_f64(),
                step,
                integer: N::INTEGER,
            },
        )
    }
}

/// A two-handled slider selecting a sub-range.
///
/// Options: [`value`](RangeSlider::value) (its start, `low, high`; default
/// the whole range), [`step`](RangeSlider::step), and `key`, `help`,
/// `disabled`, `on_change`.
///
/// ```
/// use brooklet::prelude::*;
/// fn app(ui: &Ui) {
///     let (low, high) = ui.add(RangeSlider::new("Price", 0.0..=100.0).value(20.0, 80.0));
///     ui.text(format!("{low}–{high}"));
/// }
/// # let mut at = brooklet::testing::AppTest::new(app);
/// # at.run().unwrap();
/// # assert_eq!(at.text(), vec!["20–80"]);
/// ```
#[derive(Debug, Clone)]
#[must_use = "add it with `ui.add(..)`"]
pub struct RangeSlider<N> {
    common: Common,
    range: RangeInclusive<N>,
    value: Option<(N, N)>,
    step: Option<N>,
}

impl<N: Number> RangeSlider<N> {
    /// A range slider labelled `label` over `range`, starting at all of it.
    pub fn new(label: impl Into<String>, range: RangeInclusive<N>) -> RangeSlider<N> {
        RangeSlider {
            common: Common::new(label),
            range,
            value: None,
            step: None,
        }
    }
    /// Its value before the user changes it.
    pub fn value(mut self, low: N, high: N) -> Self {
        self.value = Some((low, high));
        self
    }
    /// The step (default 1 for integers, 1/100 of the range for floats).
    pub fn step(mut self, step: N) -> Self {
        self.step = Some(step);
        self
    }
}

fn decode_pair<N: Number>(raw: &Value, min: N, max: N) -> Option<(N, N)> {
    let items = raw.as_array()?;
    let [low, high] = items.as_slice() else {
        return None;
    };
    let low = decode_number(low, Some(min), Some(max))?;
    let high = decode_number(high, Some(min), Some(max))?;
    Some(if high < low { (high, low) } else { (low, high) })
}

impl<N: Number> Widget for RangeSlider<N> {
    type Output = (N, N);
    fn add_to(self, ui: &Ui) -> (N, N) {
        let RangeSlider {
            common,
            range,
            value,
            step,
        } = self;
        let (min, max, step) = slider_bounds(&range, step);
        let id = common
            .id(WidgetKind::RangeSlider)
            .with_f64(min.to_f64())
            .with_f64(max.to_f64())
            .with_f64(step)
            .finish();
        let encode = |v: &(N, N)| Value::from(vec![v.0.to_f64(), v.1.to_f64()]);
        let default = value
            .and_then(|v| decode_pair(&encode(&v), min, max))
            .unwrap_or((min, max));
        ui.widget(
            common.identity(WidgetKind::RangeSlider, id),
            default,
            move |raw| decode_pair(raw, min, max),
            encode,
            |base, value| Element::Slider {
                base,
                value: SliderValue::Range([value.0.to_f64(), value.1.to_f64()]),
                min: min.to_f64(),
                max: max.to_f64(),
                step,
                integer: N::INTEGER,
            },
        )
    }
}

common_options!(NumberInput<N>, Slider<N>, RangeSlider<N>);
on_change_option!(NumberInput<N>, Slider<N>, RangeSlider<N>);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_from_the_browser_are_finite_rounded_and_clamped() {
        assert_eq!(decode_number::<i32>(&json!(2.6), None, None), Some(3));
        assert_eq!(decode_number::<f64>(&json!(2.6), None, None), Some(2.6));
        assert_eq!(decode_number(&json!(50), Some(0), Some(10)), Some(10));
        assert_eq!(decode_number(&json!(-5), Some(0), Some(10)), Some(0));
        assert_eq!(decode_number::<u8>(&json!(1e9), None, None), Some(u8::MAX));
        assert_eq!(decode_number::<f64>(&json!("7"), None, None), None);
        assert_eq!(decode_number::<f64>(&json!(null), None, None), None);
    }

    #[test]
    fn range_pairs_are_two_numbers_in_range_and_in_order() {
        assert_eq!(decode_pair(&json!([8, 2]), 0, 10), Some((2, 8)));
        assert_eq!(decode_pair(&json!([-4, 40]), 0, 10), Some((0, 10)));
        assert_eq!(decode_pair(&json!([1]), 0, 10), None);
        assert_eq!(decode_pair(&json!([1, 2, 3]), 0, 10), None);
        assert_eq!(decode_pair(&json!([1, "x"]), 0, 10), None);
    }

    #[test]
    fn slider_bounds_put_the_ends_in_order_and_pick_a_step() {
        let reversed = RangeInclusive::new(10, 0);
        assert_eq!(slider_bounds(&reversed, None), (0, 10, 1.0));
        assert_eq!(slider_bounds(&(0.0..=2.0), None), (0.0, 2.0, 0.02));
        assert_eq!(slider_bounds(&(1.0..=1.0), None), (1.0, 1.0, 0.01));
        assert_eq!(slider_bounds(&(0..=100), Some(5)), (0, 100, 5.0));
        assert_eq!(
            slider_bounds(&(0..=100), Some(0)),
            (0, 100, 1.0),
            "a zero step is ignored"
        );
    }
}
