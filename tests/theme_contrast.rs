//! Text must stay readable in both themes: every colour a screen writes text in, against the
//! backgrounds it is drawn on, has at least WCAG AA contrast (4.5:1 for body text).

use coldstart::ui::theme;
use egui::Color32;

/// WCAG 2.x relative luminance of an sRGB colour.
fn luminance(c: Color32) -> f64 {
    let channel = |v: u8| {
        let v = f64::from(v) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
}

fn contrast(a: Color32, b: Color32) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    (hi + 0.05) / (lo + 0.05)
}

/// A translucent colour painted over an opaque background, as the screen shows it.
fn over(fg: Color32, bg: Color32) -> Color32 {
    let a = f32::from(fg.a()) / 255.0;
    let mix = |f: u8, b: u8| {
        // `Color32` stores premultiplied alpha: the channel already carries `a`.
        (f32::from(f) + f32::from(b) * (1.0 - a))
            .round()
            .clamp(0.0, 255.0) as u8
    };
    Color32::from_rgb(
        mix(fg.r(), bg.r()),
        mix(fg.g(), bg.g()),
        mix(fg.b(), bg.b()),
    )
}

fn check(
    failures: &mut Vec<String>,
    theme: &str,
    fg_name: &str,
    fg: Color32,
    bg_name: &str,
    bg: Color32,
) {
    let ratio = contrast(over(fg, bg), bg);
    if ratio < 4.5 {
        failures.push(format!("{theme}: {fg_name} on {bg_name}: {ratio:.2}:1"));
    }
}

#[test]
fn text_colours_reach_wcag_aa_in_light_and_dark() {
    let mut failures = Vec::new();
    for (name, v) in [
        ("dark", theme::visuals(egui::Theme::Dark)),
        ("light", theme::visuals(egui::Theme::Light)),
    ] {
        let text = [
            ("text", v.text_color()),
            ("strong", v.strong_text_color()),
            ("muted", theme::muted(&v)),
            ("correct", theme::correct(&v)),
            ("wrong", theme::wrong(&v)),
            ("accent", theme::accent(&v)),
            ("due", theme::due(&v)),
            ("warning", theme::warning(&v)),
            ("secondary", theme::secondary(&v)),
        ];
        let backgrounds = [("panel", v.panel_fill), ("window", v.window_fill)];
        for (bg_name, bg) in backgrounds {
            for (fg_name, fg) in &text {
                check(&mut failures, name, fg_name, *fg, bg_name, bg);
            }
        }
        // A banner shows body text, weak text, its own tone (its title) and warning buttons.
        for (tone_name, tone) in [
            ("wrong", theme::wrong(&v)),
            ("warning", theme::warning(&v)),
            ("accent", theme::accent(&v)),
        ] {
            let bg = over(theme::banner_fill(&v, tone), v.panel_fill);
            let on_banner = [
                ("text", v.text_color()),
                ("muted", theme::muted(&v)),
                (tone_name, tone),
                ("warning", theme::warning(&v)),
            ];
            for (fg_name, fg) in on_banner {
                let bg_name = format!("{tone_name} banner");
                check(&mut failures, name, fg_name, fg, &bg_name, bg);
            }
        }
    }
    assert!(failures.is_empty(), "below 4.5:1:\n{}", failures.join("\n"));
}
