//! Texts to feed a parser by the thousand, to compare it with a reference parser such as
//! std's. They are made in this crate, which is built optimised, rather than in the checks,
//! which are compiled into the unoptimised `grade` test: the 50,000 near misses of
//! `ipv4_parse`'s random sample took 0.09 s of CPU to make and check there, 0.035 s here.

/// Every string over `alphabet` of 0 to `longest` characters, shortest first.
pub fn every_string(
    alphabet: &[char],
    longest: u32,
) -> impl Iterator<Item = String> + Send + 'static {
    let alphabet = alphabet.to_vec();
    (0..=longest).flat_map(move |len| {
        let alphabet = alphabet.clone();
        (0..alphabet.len().pow(len)).map(move |mut n| {
            (0..len)
                .map(|_| {
                    let c = alphabet[n % alphabet.len()];
                    n /= alphabet.len();
                    c
                })
                .collect::<String>()
        })
    })
}

/// Dotted quads built from edge values, then bent by a few random edits (a character
/// inserted, removed, doubled or replaced): mostly near misses of a valid address. The
/// same `seed` gives the same texts, so that a failure can be reproduced.
pub fn near_misses_of_an_address(seed: u64) -> impl Iterator<Item = String> + Send + 'static {
    let mut random = Random(seed);
    std::iter::from_fn(move || Some(near_miss(&mut random)))
}

/// A small, fixed pseudo-random generator (xorshift64*), so that every run tries the same
/// texts and a failure can be reproduced.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

/// One address, its parts mostly valid and sometimes an edge case, bent by up to three
/// random edits.
fn near_miss(random: &mut Random) -> String {
    const ODD_PARTS: &[&str] = &[
        "0",
        "255",
        "256",
        "260",
        "300",
        "999",
        "1000",
        "00",
        "01",
        "001",
        "010",
        "0255",
        "65535",
        "4294967296",
        "",
    ];
    const EXTRA: &[&str] = &[
        ".", ".", "0", "1", "5", "9", "+", "-", " ", "\t", "a", "x", "/", ":", "\u{ff11}",
        "\u{663}",
    ];
    let count = [3, 4, 4, 4, 4, 4, 4, 5][random.below(8)];
    let parts: Vec<String> = (0..count)
        .map(|_| match random.below(8) {
            0 => random.pick(ODD_PARTS).to_string(),
            _ => random.below(256).to_string(),
        })
        .collect();
    let mut chars: Vec<char> = parts.join(".").chars().collect();
    for _ in 0..random.below(4) {
        let at = random.below(chars.len() + 1);
        match random.below(4) {
            0 => chars.splice(at..at, random.pick(EXTRA).chars()).for_each(drop),
            1 if at < chars.len() => drop(chars.remove(at)),
            2 if at < chars.len() => chars.insert(at, chars[at]),
            _ if at < chars.len() => {
                chars.splice(at..=at, random.pick(EXTRA).chars()).for_each(drop);
            }
            _ => {}
        }
    }
    chars.into_iter().collect()
}
