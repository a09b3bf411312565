//! Heading slugs: how a section's anchor is derived from its heading text.

/// Lowercase; letters, digits, spaces and hyphens kept; spaces become hyphens; everything else
/// dropped. `## Retries and back-off (async)` → `retries-and-back-off-async`.
pub fn slugify(heading: &str) -> String {
    heading
        .trim()
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() {
                Some(c.to_lowercase().next().unwrap_or(c))
            } else if c == ' ' || c == '-' {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// Makes slugs unique within one note, as GitHub does (github-slugger): a repeated slug gets
/// `-1`, `-2`, … appended, skipping any that an earlier heading already has, so headings `X`,
/// `X-1`, `X` give `x`, `x-1`, `x-2`.
#[derive(Default)]
pub struct SlugSet {
    /// Each slug given out, with how many times its text was asked for again.
    seen: std::collections::HashMap<String, usize>,
}

impl SlugSet {
    pub fn unique(&mut self, slug: String) -> String {
        let mut candidate = slug.clone();
        // Each turn advances the counter of `slug` for good, and each candidate skipped is a
        // slug given out before: the turns over a whole note are at most its headings.
        while self.seen.contains_key(&candidate) {
            let n = self.seen.entry(slug.clone()).or_insert(0);
            *n += 1;
            candidate = format!("{slug}-{n}");
        }
        self.seen.insert(candidate.clone(), 0);
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_the_documented_rule() {
        assert_eq!(
            slugify("Retries and back-off (async)"),
            "retries-and-back-off-async"
        );
        assert_eq!(slugify("`/tmp` storage: 10 GB?"), "tmp-storage-10-gb");
        assert_eq!(
            slugify("Lambda@Edge vs CloudFront"),
            "lambdaedge-vs-cloudfront"
        );
        let mut set = SlugSet::default();
        assert_eq!(set.unique("x".into()), "x");
        assert_eq!(set.unique("x".into()), "x-1");
        assert_eq!(set.unique("x".into()), "x-2");
        // GitHub skips a suffix an explicit heading took: `X`, `X-1`, `X` → x, x-1, x-2.
        let mut set = SlugSet::default();
        assert_eq!(set.unique("x".into()), "x");
        assert_eq!(set.unique("x-1".into()), "x-1");
        assert_eq!(set.unique("x".into()), "x-2");
        assert_eq!(set.unique("x-2".into()), "x-2-1");
    }
}
