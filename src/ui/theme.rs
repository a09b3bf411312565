//! Design tokens: spacing and semantic colours. Screens ask for a meaning (`correct`, `due`),
//! never a literal colour, so light and dark themes both read well.

use egui::{Color32, Visuals};

/// Space between blocks of a screen.
pub const GAP: f32 = 12.0;
/// Width of the side list on screens that have one.
pub const SIDE_WIDTH: f32 = 240.0;
/// Widest a column of reading text gets, for comfortable line lengths.
pub const READING_WIDTH: f32 = 760.0;

fn pick(v: &Visuals, dark: Color32, light: Color32) -> Color32 {
    if v.dark_mode { dark } else { light }
}

pub fn correct(v: &Visuals) -> Color32 {
    pick(
        v,
        Color32::from_rgb(96, 200, 120),
        Color32::from_rgb(20, 130, 50),
    )
}

pub fn wrong(v: &Visuals) -> Color32 {
    pick(
        v,
        Color32::from_rgb(240, 110, 100),
        Color32::from_rgb(190, 40, 30),
    )
}

pub fn accent(v: &Visuals) -> Color32 {
    pick(
        v,
        Color32::from_rgb(110, 170, 255),
        Color32::from_rgb(30, 90, 200),
    )
}

pub fn due(v: &Visuals) -> Color32 {
    pick(
        v,
        Color32::from_rgb(255, 190, 80),
        Color32::from_rgb(170, 100, 0),
    )
}

pub fn warning(v: &Visuals) -> Color32 {
    due(v)
}

/// A further series colour for something that must read apart from the semantic ones beside
/// it: a system error next to function errors and throttles, a limit line next to throttles.
pub fn secondary(v: &Visuals) -> Color32 {
    pick(
        v,
        Color32::from_rgb(200, 140, 255),
        Color32::from_rgb(120, 50, 190),
    )
}

pub fn muted(v: &Visuals) -> Color32 {
    v.weak_text_color()
}

/// Background of a banner of the given tone.
pub fn banner_fill(v: &Visuals, tone: Color32) -> Color32 {
    tone.gamma_multiply(if v.dark_mode { 0.18 } else { 0.12 })
}

/// A slightly larger text style for screen titles and key numbers.
pub fn heading(text: impl Into<String>) -> egui::RichText {
    egui::RichText::new(text).size(22.0).strong()
}

/// A big number for the dashboard.
pub fn big_number(text: impl Into<String>) -> egui::RichText {
    egui::RichText::new(text).size(30.0).strong()
}

/// Adds DejaVu Sans as a fallback after egui's own font, so arrows, check marks and the other
/// symbols that notes use render everywhere, offline, with no system fonts. Cheap to call every
/// frame: egui ignores a font it already has.
pub fn install_fonts(ctx: &egui::Context) {
    use egui::epaint::text::{FontData, FontInsert, FontPriority, InsertFontFamily};
    ctx.add_font(FontInsert {
        name: "DejaVuSans".to_owned(),
        data: FontData::from_static(include_bytes!("../../assets/fonts/DejaVuSans.ttf")),
        families: vec![
            InsertFontFamily {
                family: egui::FontFamily::Proportional,
                priority: FontPriority::Lowest,
            },
            InsertFontFamily {
                family: egui::FontFamily::Monospace,
                priority: FontPriority::Lowest,
            },
        ],
    });
}
