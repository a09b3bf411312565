//! Times and durations as the learner reads them: the one place that turns seconds into text.
//!
//! Core, no egui: the screens, the simulators' event logs (`sim`, and so `coldstart sim`) and
//! the review buttons' interval previews (`srs`) all use these.
//!
//! - [`clock`]: a countdown or elapsed time, "4:07", "1:05:09" (mock exams).
//! - [`sim_clock`]: simulated time in an event log, fixed width, "00:01:00", "00:00:01.5".
//! - [`duration`]: a length of time in words, "45 s", "2 min 30 s", "1 h 5 min".
//! - [`interval`]: Anki's short interval labels, "<1m", "10m", "3d", "1.1y".

use jiff::SignedDuration;

/// "1:05:09" or "4:07": hours only when there are any, minutes and seconds always.
pub fn clock(ms: u64) -> String {
    let s = ms / 1000;
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// Simulated seconds as `HH:MM:SS`, with tenths when not whole: the time column of an event log.
pub fn sim_clock(at_s: f64) -> String {
    let at = at_s.max(0.0);
    let whole = at.floor();
    let total = whole as u64;
    let (h, m, s) = (total / 3600, (total / 60) % 60, total % 60);
    let tenths = ((at - whole) * 10.0).round() as u64;
    if tenths == 0 || tenths == 10 {
        format!("{h:02}:{m:02}:{s:02}")
    } else {
        format!("{h:02}:{m:02}:{s:02}.{tenths}")
    }
}

/// Seconds (rounded to whole ones) in words: "45 s", "1 min", "2 min 30 s", "1 h", "1 h 5 min".
pub fn duration(secs: f64) -> String {
    let s = secs.max(0.0).round() as u64;
    match (s / 3600, (s / 60) % 60, s % 60) {
        (0, 0, sec) => format!("{sec} s"),
        (0, m, 0) => format!("{m} min"),
        (0, m, sec) => format!("{m} min {sec} s"),
        (h, 0, _) => format!("{h} h"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

/// [`duration`] of milliseconds.
pub fn duration_ms(ms: u64) -> String {
    duration(ms as f64 / 1000.0)
}

/// An interval as Anki labels its answer buttons: "<1m", "10m", "2.5h", "3d", "3.2mo", "1.1y".
pub fn interval(interval: SignedDuration) -> String {
    let secs = interval.as_secs_f64().max(0.0);
    let minutes = secs / 60.0;
    let hours = minutes / 60.0;
    let days = hours / 24.0;
    if minutes < 1.0 {
        "<1m".to_owned()
    } else if hours < 1.0 {
        format!("{}m", minutes.round())
    } else if days < 1.0 {
        format!("{}h", one_decimal(hours))
    } else if days < 30.0 {
        format!("{}d", days.round())
    } else if days < 365.0 {
        format!("{}mo", one_decimal(days / 30.0))
    } else {
        format!("{}y", one_decimal(days / 365.0))
    }
}

/// One decimal, without a trailing ".0".
fn one_decimal(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_shows_hours_only_when_there_are_some() {
        assert_eq!(clock(0), "0:00");
        assert_eq!(clock(247_999), "4:07");
        assert_eq!(clock(3_909_000), "1:05:09");
    }

    #[test]
    fn sim_clock_is_fixed_width_with_tenths_when_not_whole() {
        assert_eq!(sim_clock(0.0), "00:00:00");
        assert_eq!(sim_clock(60.0), "00:01:00");
        assert_eq!(sim_clock(3723.0), "01:02:03");
        assert_eq!(sim_clock(1.5), "00:00:01.5");
        assert_eq!(
            sim_clock(1.96),
            "00:00:01",
            "tenths round; a whole second stays whole"
        );
        assert_eq!(sim_clock(-3.0), "00:00:00");
    }

    #[test]
    fn durations_read_in_words() {
        assert_eq!(duration(4.0), "4 s");
        assert_eq!(duration(44.6), "45 s");
        assert_eq!(duration(60.0), "1 min");
        assert_eq!(duration(150.0), "2 min 30 s");
        assert_eq!(duration(3600.0), "1 h");
        assert_eq!(duration(3900.0), "1 h 5 min");
        assert_eq!(duration(21_600.0), "6 h");
        assert_eq!(duration_ms(125_400), "2 min 5 s");
        assert_eq!(duration_ms(120_000), "2 min", "no \"0 s\" on whole minutes");
        assert_eq!(duration_ms(499), "0 s");
    }

    #[test]
    fn intervals_format_like_anki() {
        let f = |s: i64| interval(SignedDuration::from_secs(s));
        assert_eq!(f(-5), "<1m");
        assert_eq!(f(30), "<1m");
        assert_eq!(f(600), "10m");
        assert_eq!(f(9000), "2.5h");
        assert_eq!(f(86_400), "1d");
        assert_eq!(f(96 * 86_400), "3.2mo");
        assert_eq!(f(400 * 86_400), "1.1y");
    }
}
