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

/// Makes slugs unique within one note, as GitHub does: `x`, `x-1`, `x-2`, …
#[derive(Default)]
pub struct SlugSet {
    seen: std::collections::HashMap<String, usize>,
}

impl SlugSet {
    pub fn unique(&mut self, slug: String) -> String {
        match self.seen.get_mut(&slug) {
            None => {
                self.seen.insert(slug.clone(), 0);
                slug
            }
            Some(n) => {
                *n += 1;
                let candidate = format!("{slug}-{n}");
                self.seen.insert(candidate.clone(), 0);
                candidate
            }
        }
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
    }
}
