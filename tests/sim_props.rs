//! Properties every simulator keeps whatever the settings: alias weights sum to 100 %, events come
//! in time order, the same seed gives the same timeline (for traffic shifting, where the weights
//! do not depend on the seed, the same request dots), and async retries respect their limits.

use coldstart::sim::traffic::{self, Deployment, TrafficConfig, TrafficEvent};
use coldstart::sim::{Configurable, concurrency, kinesis, retry, sqs};
use proptest::prelude::*;

fn in_order<E>(events: &[coldstart::sim::Timed<E>]) -> bool {
    events.windows(2).all(|w| w[0].at_s <= w[1].at_s)
}

fn deployment() -> impl Strategy<Value = Deployment> {
    prop_oneof![
        (0usize..9).prop_map(|i| traffic::PREDEFINED[i]),
        (1u32..100, 1u32..60).prop_map(|(percent, interval_min)| Deployment::Canary {
            percent,
            interval_min
        }),
        (1u32..=100, 1u32..60).prop_map(|(percent, interval_min)| Deployment::Linear {
            percent,
            interval_min
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn traffic_weights_sum_to_100_and_events_are_ordered(
        d in deployment(),
        alarm in proptest::option::of(0.0f64..7200.0),
        before_fails in any::<bool>(),
        after_fails in any::<bool>(),
        hook_s in 0.0f64..120.0,
        t in 0.0f64..7200.0,
        seed in any::<u64>(),
        request_rate in 0.1f64..5.0,
    ) {
        let mut cfg = TrafficConfig {
            config: d,
            alarm_at_s: alarm,
            hook_s,
            request_rate,
            ..Default::default()
        };
        if before_fails { cfg.set("before_hook", "fail").expect("valid"); }
        if after_fails { cfg.set("after_hook", "fail").expect("valid"); }
        let tl = traffic::simulate(&cfg, 1);
        prop_assert!(in_order(&tl.events));
        for e in &tl.events {
            if let TrafficEvent::Shift { new_version_percent, old_version_percent } = e.event {
                prop_assert!((new_version_percent + old_version_percent - 100.0).abs() < 1e-9);
                prop_assert!((0.0..=100.0).contains(&new_version_percent));
            }
        }
        let p = traffic::new_version_percent(&d, t);
        prop_assert!((0.0..=100.0).contains(&p));
        // the share never goes down during an undisturbed deployment
        prop_assert!(traffic::new_version_percent(&d, t + 30.0) >= p);
        prop_assert_eq!(traffic::new_version_percent(&d, d.shifting_duration_s()), 100.0);

        // The seed decides the request dots: the same seed gives the same dots, each routed by
        // the weights at its moment, all within the run.
        let reqs = traffic::requests(&cfg, &tl, seed);
        prop_assert_eq!(&reqs, &traffic::requests(&cfg, &tl, seed));
        prop_assert!(reqs.len() <= traffic::MAX_DOTS);
        for r in &reqs {
            prop_assert!((0.0..=tl.end_s).contains(&r.at_s));
            prop_assert_eq!(r.to_new, r.roll < traffic::percent_at(&tl, r.at_s));
        }
        if reqs.len() >= 10 {
            prop_assert_ne!(&reqs, &traffic::requests(&cfg, &tl, seed.wrapping_add(1)));
        }
    }

    #[test]
    fn retry_is_deterministic_ordered_and_within_limits(
        retries in 0u8..=2,
        age in 60u32..=21_600,
        p in 0.0f64..=1.0,
        burst in 1u32..=20,
        seed in any::<u64>(),
        kind in 0u8..3,
    ) {
        // throttles and system errors share the back-off path, function errors do not
        let backoff = kind > 0;
        let cfg = retry::RetryConfig {
            max_retry_attempts: retries,
            max_event_age_s: age,
            failure: match kind {
                0 => retry::Failure::Probability(p),
                1 => retry::Failure::Throttle,
                _ => retry::Failure::SystemError,
            },
            burst,
            ..Default::default()
        };
        let a = retry::simulate(&cfg, seed);
        prop_assert_eq!(&a, &retry::simulate(&cfg, seed));
        prop_assert!(in_order(&a.events));
        let lanes = retry::lanes(&a);
        prop_assert_eq!(lanes.len(), burst as usize);
        for lane in lanes {
            // no attempt after the maximum event age
            prop_assert!(lane.attempts.iter().all(|(t, _)| *t <= f64::from(age)));
            if !backoff {
                prop_assert!(lane.attempts.len() <= usize::from(retries) + 1);
            }
            prop_assert!(lane.end.is_some());
        }
    }

    #[test]
    fn esm_and_concurrency_are_deterministic_and_ordered(
        seed in any::<u64>(),
        batch in 1u32..=20,
        partial in any::<bool>(),
        bisect in any::<bool>(),
        reserved in proptest::option::of(0u32..1200),
        rate in 0.0f64..3000.0,
        asynchronous in any::<bool>(),
    ) {
        let mut s = sqs::SqsConfig { batch_size: batch, partial_batch: partial, ..Default::default() };
        s.sim_s = Some(200.0);
        let a = sqs::simulate(&s, seed);
        prop_assert!(in_order(&a.events));
        prop_assert_eq!(&a, &sqs::simulate(&s, seed));

        let k = kinesis::KinesisConfig { batch_size: batch, bisect, ..Default::default() };
        let a = kinesis::simulate(&k, seed);
        prop_assert!(in_order(&a.events));
        prop_assert_eq!(&a, &kinesis::simulate(&k, seed));

        let c = concurrency::ConcurrencyConfig {
            reserved,
            peak_rate_per_s: rate,
            sim_s: 40.0,
            invocation: if asynchronous {
                concurrency::Invocation::Async
            } else {
                concurrency::Invocation::Sync
            },
            ..Default::default()
        };
        let a = concurrency::simulate(&c, seed);
        prop_assert!(in_order(&a.events));
        prop_assert_eq!(&a, &concurrency::simulate(&c, seed));
        let limit = concurrency::function_limit(&a);
        for (_, s) in concurrency::seconds(&a) {
            prop_assert!(s.in_use <= limit);
            // new requests and re-throttled retries are counted apart
            prop_assert!(s.throttled <= s.arrivals);
            prop_assert!(s.retries_throttled <= s.retried);
        }
    }
}
