//! Design tokens: spacing and semantic colours. Screens ask for a meaning (`correct`, `due`),
//! never a literal colour, so light and dark themes both read well.

use egui::{Color32, Visuals};

/// Space between blocks of a screen.
pub const GAP: f32 = 12.0;
/// Width of the side list on screens that have one.
pub const SIDE_WIDTH: f32 = 240.0;
/// Widest a column of reading text gets, for comfortable line lengths.
pub const READING_WIDTH: f32 = 760.0;

/// The app's look in a theme: egui's visuals with body and weak text made strong enough to
/// read (WCAG AA, 4.5:1, on panels, windows and banners; `tests/theme_contrast.rs` checks it).
pub fn visuals(theme: egui::Theme) -> Visuals {
    let (mut v, text, weak) = match theme {
        egui::Theme::Dark => (
            Visuals::dark(),
            Color32::from_gray(215),
            Color32::from_gray(170),
        ),
        egui::Theme::Light => (
            Visuals::light(),
            Color32::from_gray(20),
            Color32::from_gray(80),
        ),
    };
    v.widgets.noninteractive.fg_stroke.color = text;
    v.weak_text_color = Some(weak);
    v
}

/// Installs the light and dark looks; which one shows follows the learner's choice (system,
/// light or dark), which egui keeps with the window's other settings.
pub fn install(ctx: &egui::Context) {
    for theme in [egui::Theme::Dark, egui::Theme::Light] {
        ctx.set_visuals_of(theme, visuals(theme));
    }
}

/// Interface scales a learner can choose; Ctrl + / Ctrl − / Ctrl 0 step through the same range.
pub const SCALES: std::ops::RangeInclusive<f32> = 0.8..=1.5;

/// The look settings: theme (follow the system, light or dark) and interface scale. egui keeps
/// both with the window's state, so they are remembered across runs.
pub fn look_settings(ui: &mut egui::Ui) {
    ui.horizontal(|ui| {
        ui.label("Theme");
        let mut pref = ui.ctx().options(|o| o.theme_preference);
        let before = pref;
        ui.selectable_value(&mut pref, egui::ThemePreference::System, "Follow system");
        ui.selectable_value(&mut pref, egui::ThemePreference::Light, "Light");
        ui.selectable_value(&mut pref, egui::ThemePreference::Dark, "Dark");
        if pref != before {
            ui.ctx().set_theme(pref);
        }
    });
    ui.horizontal(|ui| {
        ui.label("Interface scale");
        // While the pointer is down on the slider the value lives in temporary memory, and it is
        // applied when the pointer is released (after a drag or a click on the rail), so the
        // slider does not move away under the pointer. Keys apply at once.
        let id = egui::Id::unique("interface-scale-pending");
        let pending = ui.data(|d| d.get_temp::<f32>(id));
        let mut zoom = pending.unwrap_or_else(|| ui.ctx().zoom_factor());
        let slider = egui::Slider::new(&mut zoom, SCALES)
            .step_by(0.1)
            .custom_formatter(|v, _| format!("{:.0} %", v * 100.0));
        let response = ui.add(slider);
        if response.is_pointer_button_down_on() {
            ui.data_mut(|d| d.insert_temp(id, zoom));
        } else {
            ui.data_mut(|d| d.remove::<f32>(id));
            if pending.is_some() || response.changed() {
                ui.ctx().set_zoom_factor(zoom);
            }
        }
        ui.label(egui::RichText::new("Ctrl + / Ctrl − / Ctrl 0").color(muted(ui.visuals())));
    });
}

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
        Color32::from_rgb(250, 125, 115),
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
        Color32::from_rgb(140, 80, 0),
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
