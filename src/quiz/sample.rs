//! Sampling without repeats, as a mock exam needs. With an exam profile, questions are drawn to
//! the exam's domain weights first — largest-remainder quotas, the same every time (65 over
//! 32/26/24/18 is 21/17/15/12) — and then spread over each domain's topics by topic weight.
//! Without one, each topic gets its share of the questions (in expectation exactly its weight's
//! share). Either way a group gives what it cannot fill to the others, and no question appears
//! twice.

use rand::seq::SliceRandom;
use rand::{Rng, RngExt};

/// How many of `n` questions each topic gets, given topic weights and how many questions each
/// topic has. Topics that cannot fill their share give it up to the others. Fractional shares
/// are rounded by systematic sampling, so over many seeds each topic's mean count equals its
/// weighted share.
pub fn quotas(weights: &[f64], capacity: &[usize], n: usize, rng: &mut impl Rng) -> Vec<usize> {
    let k = weights.len().min(capacity.len());
    let mut quota = vec![0usize; k];
    let mut fixed = vec![false; k];
    let n = n.min(capacity.iter().take(k).sum());
    // Topics with no weight only fill places that weighted topics cannot.
    let mut use_zero_weights = false;
    loop {
        let taken: usize = (0..k).filter(|&t| fixed[t]).map(|t| quota[t]).sum();
        let remaining = n - taken;
        let weight = |t: usize| {
            if use_zero_weights {
                weights[t].max(0.0) + 1.0
            } else {
                weights[t].max(0.0)
            }
        };
        let active: Vec<usize> = (0..k)
            .filter(|&t| !fixed[t] && capacity[t] > 0 && weight(t) > 0.0)
            .collect();
        if remaining == 0 {
            break;
        }
        if active.is_empty() {
            if use_zero_weights {
                break;
            }
            use_zero_weights = true;
            continue;
        }
        let wsum: f64 = active.iter().map(|&t| weight(t)).sum();
        let mut saturated = false;
        for &t in &active {
            if remaining as f64 * weight(t) / wsum >= capacity[t] as f64 {
                quota[t] = capacity[t];
                fixed[t] = true;
                saturated = true;
            }
        }
        if saturated {
            continue;
        }
        let shares: Vec<f64> = active
            .iter()
            .map(|&t| remaining as f64 * weight(t) / wsum)
            .collect();
        let mut given = 0;
        for (&t, &s) in active.iter().zip(&shares) {
            quota[t] = s.floor() as usize;
            given += quota[t];
        }
        // Systematic sampling of the fractional parts: one random offset, points one apart.
        let u: f64 = rng.random();
        let mut cum = 0.0;
        for (&t, &s) in active.iter().zip(&shares) {
            let before = cum;
            cum += s - s.floor();
            let picks = ((cum - u).floor() - (before - u).floor()).max(0.0) as usize;
            let picks = picks.min(capacity[t] - quota[t]).min(remaining - given);
            quota[t] += picks;
            given += picks;
        }
        // Rounding error can leave a place empty: give it to whoever has room.
        for &t in &active {
            while given < remaining && quota[t] < capacity[t] {
                quota[t] += 1;
                given += 1;
            }
        }
        for &t in &active {
            fixed[t] = true;
        }
    }
    quota
}

/// Samples `n` of `items` (fewer if there are fewer) by topic weight, without repeats, in a
/// random order.
pub fn by_topic_weight<T>(
    items: Vec<T>,
    topic_of: impl Fn(&T) -> &str,
    weight_of: impl Fn(&str) -> f64,
    n: usize,
    rng: &mut impl Rng,
) -> Vec<T> {
    // Group by topic in first-seen order, which keeps the result a function of the seed.
    let mut topics: Vec<String> = Vec::new();
    let mut groups: Vec<Vec<T>> = Vec::new();
    for item in items {
        let topic = topic_of(&item);
        match topics.iter().position(|t| t == topic) {
            Some(i) => groups[i].push(item),
            None => {
                topics.push(topic.to_owned());
                groups.push(vec![item]);
            }
        }
    }
    let weights: Vec<f64> = topics.iter().map(|t| weight_of(t)).collect();
    let capacity: Vec<usize> = groups.iter().map(Vec::len).collect();
    let quota = quotas(&weights, &capacity, n, rng);
    let mut out = Vec::with_capacity(n);
    for (mut group, q) in groups.into_iter().zip(quota) {
        group.shuffle(rng);
        group.truncate(q);
        out.extend(group);
    }
    out.shuffle(rng);
    out
}

pub use crate::content::largest_remainder;

/// [`largest_remainder`] with a capacity per group: a group that cannot fill its quota gives
/// every place it cannot fill to the others, apportioned again by their weights. Groups with no
/// positive weight fill only what the weighted ones cannot. The result never exceeds a
/// capacity and adds up to `min(n, total capacity)`.
pub fn capped_largest_remainder(weights: &[f64], capacity: &[usize], n: usize) -> Vec<usize> {
    let k = weights.len().min(capacity.len());
    let mut quota = vec![0usize; k];
    let mut fixed = vec![false; k];
    let n = n.min(capacity.iter().take(k).sum());
    let mut zero_weights = false;
    // Each round fixes at least one group, so k + 1 rounds always suffice.
    for _ in 0..=(2 * k + 1) {
        let taken: usize = (0..k).filter(|&i| fixed[i]).map(|i| quota[i]).sum();
        let remaining = n - taken;
        if remaining == 0 {
            break;
        }
        let weight = |i: usize| {
            let w = if weights[i].is_finite() {
                weights[i].max(0.0)
            } else {
                0.0
            };
            if zero_weights { w + 1.0 } else { w }
        };
        let open: Vec<usize> = (0..k)
            .filter(|&i| !fixed[i] && capacity[i] > 0 && weight(i) > 0.0)
            .collect();
        if open.is_empty() {
            if zero_weights {
                break;
            }
            zero_weights = true;
            continue;
        }
        let w: Vec<f64> = open.iter().map(|&i| weight(i)).collect();
        let q = largest_remainder(&w, remaining);
        let over: Vec<usize> = open
            .iter()
            .zip(&q)
            .filter(|&(&i, &q)| q >= capacity[i])
            .map(|(&i, _)| i)
            .collect();
        if over.is_empty() {
            for (&i, &q) in open.iter().zip(&q) {
                quota[i] = q;
                fixed[i] = true;
            }
            break;
        }
        // Full groups take everything they have; the rest is apportioned again.
        for i in over {
            quota[i] = capacity[i];
            fixed[i] = true;
        }
    }
    quota
}

/// Samples `n` of `items` (fewer if there are fewer) to domain weights first, then by topic
/// weight within each domain, without repeats, in a random order. `domains` are (id, weight)
/// in the profile's order; items whose domain is `None` or not listed only fill places the
/// domains cannot.
pub fn by_domain_then_topic<T>(
    items: Vec<T>,
    domains: &[(String, f64)],
    domain_of: impl Fn(&T) -> Option<String>,
    topic_of: impl Fn(&T) -> &str,
    weight_of: impl Fn(&str) -> f64,
    n: usize,
    rng: &mut impl Rng,
) -> Vec<T> {
    // One group per domain, plus a last one for items that count toward none.
    let mut groups: Vec<Vec<T>> = (0..=domains.len()).map(|_| Vec::new()).collect();
    for item in items {
        let g = domain_of(&item)
            .and_then(|d| domains.iter().position(|(id, _)| *id == d))
            .unwrap_or(domains.len());
        groups[g].push(item);
    }
    let mut weights: Vec<f64> = domains.iter().map(|(_, w)| *w).collect();
    weights.push(0.0);
    let capacity: Vec<usize> = groups.iter().map(Vec::len).collect();
    let quota = capped_largest_remainder(&weights, &capacity, n);
    let mut out = Vec::with_capacity(n);
    for (group, q) in groups.into_iter().zip(quota) {
        out.extend(by_topic_weight(group, &topic_of, &weight_of, q, rng));
    }
    out.shuffle(rng);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::Xoshiro256PlusPlus;

    #[test]
    fn quotas_fill_exactly_n_and_respect_capacity() {
        for seed in 0..200 {
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
            let q = quotas(&[6.0, 4.0, 1.0, 0.0], &[3, 50, 50, 5], 20, &mut rng);
            assert_eq!(q.iter().sum::<usize>(), 20);
            assert!(q[0] <= 3);
            assert_eq!(
                q[3], 0,
                "a zero-weight topic is used only when nothing else can fill"
            );
        }
    }

    #[test]
    fn zero_weight_topics_fill_what_others_cannot() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        let q = quotas(&[1.0, 0.0], &[2, 5], 5, &mut rng);
        assert_eq!(q, vec![2, 3]);
    }

    #[test]
    fn largest_remainder_is_exact_for_dva_weights() {
        assert_eq!(
            largest_remainder(&[32.0, 26.0, 24.0, 18.0], 65),
            vec![21, 17, 15, 12]
        );
        assert_eq!(
            largest_remainder(&[32.0, 26.0, 24.0, 18.0], 100),
            vec![32, 26, 24, 18]
        );
        assert_eq!(largest_remainder(&[1.0, 1.0, 1.0], 2), vec![1, 1, 0]);
        assert_eq!(largest_remainder(&[0.0, 0.0], 5), vec![0, 0]);
    }

    #[test]
    fn capped_quotas_hand_places_on_by_weight() {
        // Security can give only 5 of its 17: the other 12 go to the rest by weight.
        let q = capped_largest_remainder(&[32.0, 26.0, 24.0, 18.0], &[100, 5, 100, 100], 65);
        assert_eq!(q.iter().sum::<usize>(), 65);
        assert_eq!(q[1], 5);
        assert_eq!(q, vec![26, 5, 19, 15]);
        // Not enough questions anywhere: everything.
        assert_eq!(
            capped_largest_remainder(&[1.0, 1.0], &[2, 3], 65),
            vec![2, 3]
        );
        // A zero-weight group only fills what the others cannot.
        assert_eq!(
            capped_largest_remainder(&[1.0, 0.0], &[2, 9], 5),
            vec![2, 3]
        );
        assert_eq!(
            capped_largest_remainder(&[1.0, 0.0], &[9, 9], 5),
            vec![5, 0]
        );
    }

    #[test]
    fn asking_for_more_than_exists_gives_everything() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let q = quotas(&[1.0, 2.0], &[2, 3], 65, &mut rng);
        assert_eq!(q, vec![2, 3]);
    }
}
