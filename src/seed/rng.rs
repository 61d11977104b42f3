//! A tiny deterministic pseudo-random generator, so the demo data is the same on every machine
//! and in every version of every dependency.

/// SplitMix64 (Steele, Lea and Flood 2014): one `u64` of state, good enough for demo data and
/// fully specified, unlike the generators of `rand`, whose streams may change between versions.
#[derive(Debug, Clone)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator that always yields the same stream for the same seed.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        // The top 53 bits fill an f64 mantissa exactly.
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A uniform integer in `lo..=hi` (`lo` when the range is empty).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = (hi - lo) as u64 + 1;
        // Modulo bias is below 2^-50 for the small spans used here.
        lo + (self.next_u64() % span) as i64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// An index into `weights`, chosen with probability proportional to its weight; `None` when
    /// every weight is zero or the slice is empty.
    pub fn weighted(&mut self, weights: &[u32]) -> Option<usize> {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        if total == 0 {
            return None;
        }
        let mut ticket = self.next_u64() % total;
        for (i, &w) in weights.iter().enumerate() {
            let w = u64::from(w);
            if ticket < w {
                return Some(i);
            }
            ticket -= w;
        }
        None
    }

    /// Up to `k` distinct indices into `weights`, drawn without replacement by weight.
    pub fn weighted_sample(&mut self, weights: &[u32], k: usize) -> Vec<usize> {
        let mut left = weights.to_vec();
        let mut picked = Vec::with_capacity(k);
        while picked.len() < k {
            match self.weighted(&left) {
                Some(i) => {
                    picked.push(i);
                    left[i] = 0;
                }
                None => break,
            }
        }
        picked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_stream() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
    }

    #[test]
    fn splitmix64_matches_the_reference_output() {
        // First outputs of the reference implementation for seed 1234567.
        let mut rng = Rng::new(1_234_567);
        assert_eq!(rng.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(rng.next_u64(), 3_203_168_211_198_807_973);
    }

    #[test]
    fn ranges_stay_inside_their_bounds_and_reach_both_ends() {
        let mut rng = Rng::new(7);
        let draws: Vec<i64> = (0..1000).map(|_| rng.range(3, 6)).collect();
        assert!(draws.iter().all(|d| (3..=6).contains(d)));
        assert!(draws.contains(&3) && draws.contains(&6));
        assert_eq!(rng.range(5, 5), 5);
    }

    #[test]
    fn weighted_sampling_never_picks_zero_weights_or_repeats() {
        let mut rng = Rng::new(9);
        for _ in 0..200 {
            let picked = rng.weighted_sample(&[3, 0, 2, 1], 3);
            assert_eq!(picked.len(), 3);
            assert!(!picked.contains(&1));
            let mut sorted = picked.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), 3);
        }
        assert_eq!(rng.weighted(&[0, 0]), None);
    }
}
