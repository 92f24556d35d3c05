//! Korean particles after a value that is only known at run time: `8은`, `32는`, `256으로`.
//!
//! A Korean particle has two forms, chosen by how the word before it *ends when read aloud*:
//! after a final consonant (batchim) `은 이 을 과 으로`, after a vowel `는 가 를 와 로`, and
//! `(으)로` is the odd one: a final ㄹ takes `로` (`8로`: 팔로, `1로`: 일로). A template
//! writes the pair the way Korean writing does when it does not know the word yet —
//! `{}은(는)`, `{}이(가)`, `{}을(를)`, `{}과(와)`, `{}(으)로` — and [`crate::i18n::fill`]
//! replaces the pair with the one form that fits the value it puts before it, so no
//! string hard-codes one form (`{}는` is right for 32 and wrong for 256).
//!
//! Numbers are read in Sino-Korean (일 이 삼 … 십 백 천 만): the reading ends in the last
//! spoken unit — the last non-zero digit's name when the ones are not zero (`256`: …육,
//! ㄱ), else the power of ten it stands on (`20`: 이십, ㅂ; `8,000`: 팔천, ㄴ;
//! `100,000`: 십만, ㄴ). A decimal reads its digits one by one (`0.008`: 영점영영팔).

/// How the word before a particle ends when read aloud.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// A vowel: `는 가 를 와 로`.
    Vowel,
    /// The final consonant ㄹ: `은 이 을 과`, but `로`.
    Rieul,
    /// Any other final consonant: `은 이 을 과 으로`.
    Consonant,
}

/// The particles that change with the word before them, each written as a template does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Particle {
    /// Topic, `은(는)`.
    Topic,
    /// Subject, `이(가)`.
    Subject,
    /// Object, `을(를)`.
    Object,
    /// "And / with", `과(와)`.
    With,
    /// Direction or means, `(으)로`.
    Towards,
}

impl Particle {
    /// Every pair, in the order [`Particle::find`] tries them.
    pub const ALL: [Particle; 5] = [
        Particle::Topic,
        Particle::Subject,
        Particle::Object,
        Particle::With,
        Particle::Towards,
    ];

    /// The pair as a template writes it.
    pub fn pair(self) -> &'static str {
        match self {
            Particle::Topic => "은(는)",
            Particle::Subject => "이(가)",
            Particle::Object => "을(를)",
            Particle::With => "과(와)",
            Particle::Towards => "(으)로",
        }
    }

    /// The form after a word with this ending.
    pub fn form(self, ending: Ending) -> &'static str {
        use Ending::*;
        match (self, ending) {
            (Particle::Topic, Vowel) => "는",
            (Particle::Topic, _) => "은",
            (Particle::Subject, Vowel) => "가",
            (Particle::Subject, _) => "이",
            (Particle::Object, Vowel) => "를",
            (Particle::Object, _) => "을",
            (Particle::With, Vowel) => "와",
            (Particle::With, _) => "과",
            (Particle::Towards, Vowel | Rieul) => "로",
            (Particle::Towards, Consonant) => "으로",
        }
    }

    /// The pair `text` starts with, if any.
    pub fn find(text: &str) -> Option<Particle> {
        Particle::ALL
            .into_iter()
            .find(|p| text.starts_with(p.pair()))
    }
}

/// How the Sino-Korean reading of `n` ends (`0`: 영).
pub fn number_ending(n: u64) -> Ending {
    if n == 0 {
        return Ending::Consonant; // 영
    }
    let ones = n % 10;
    if ones != 0 {
        return digit_ending(ones as u8);
    }
    // The ones are zero: the reading ends on the unit of the lowest non-zero digit.
    let mut place = 0;
    let mut rest = n;
    while rest.is_multiple_of(10) {
        rest /= 10;
        place += 1;
    }
    match place {
        // 십 백 천, 만 (…십만, 백만, 천만), 억 (…천억): all end in a consonant, none in ㄹ.
        1..=11 => Ending::Consonant,
        // 조.
        12..=15 => Ending::Vowel,
        // 경.
        _ => Ending::Consonant,
    }
}

/// How a digit's name ends: 영 일 이 삼 사 오 육 칠 팔 구.
fn digit_ending(d: u8) -> Ending {
    match d {
        1 | 7 | 8 => Ending::Rieul,     // 일 칠 팔
        2 | 4 | 5 | 9 => Ending::Vowel, // 이 사 오 구
        _ => Ending::Consonant,         // 영 삼 육
    }
}

/// How `word` ends when read aloud, when that can be told: a number as the page writes it
/// (`8,000`, `0.008`, `93.8%`), a Hangul syllable, or a Latin letter read by its name
/// (`B`: 비, `N`: 엔). Closing brackets and quotes are skipped (`(B = 32)` ends like 32).
pub fn ending_of(word: &str) -> Option<Ending> {
    let word = word.trim_end_matches([')', ']', '"', '\'', '’', '”', ' ', '\u{a0}']);
    let last = word.chars().next_back()?;
    if last == '%' {
        return Some(Ending::Vowel); // 퍼센트
    }
    if last.is_ascii_digit() {
        let digits: String = word
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
            .filter(|c| *c != ',')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        return Some(match digits.rsplit_once('.') {
            // A decimal: the digits after the point are read one by one.
            Some((_, fraction)) if !fraction.is_empty() => {
                digit_ending(fraction.as_bytes()[fraction.len() - 1] - b'0')
            }
            _ => match digits.trim_end_matches('.').parse::<u64>() {
                Ok(n) => number_ending(n),
                // Longer than u64: its last digits decide all the same.
                Err(_) => {
                    let tail = &digits[digits.len().saturating_sub(18)..];
                    number_ending(tail.parse().unwrap_or(0))
                }
            },
        });
    }
    if ('\u{AC00}'..='\u{D7A3}').contains(&last) {
        return Some(match (last as u32 - 0xAC00) % 28 {
            0 => Ending::Vowel,
            8 => Ending::Rieul,
            _ => Ending::Consonant,
        });
    }
    if last.is_ascii_alphabetic() {
        // Letter names: 엘 (ㄹ), 엠 엔 (consonants), 알 (ㄹ); the rest end in a vowel.
        return Some(match last.to_ascii_uppercase() {
            'L' | 'R' => Ending::Rieul,
            'M' | 'N' => Ending::Consonant,
            _ => Ending::Vowel,
        });
    }
    None
}

/// `word` followed by the form of `particle` that fits it, or by the written pair when its
/// reading cannot be told (`은(는)` is still correct Korean, only less natural).
pub fn attach(word: &str, particle: Particle) -> String {
    let form = ending_of(word).map_or(particle.pair(), |e| particle.form(e));
    format!("{word}{form}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use Particle::*;

    fn with(n: &str, p: Particle) -> String {
        attach(n, p)
    }

    #[test]
    fn every_last_digit() {
        // digit, 은/는, 이/가, 을/를, 과/와, (으)로
        let table = [
            ("0", "은", "이", "을", "과", "으로"), // 영
            ("1", "은", "이", "을", "과", "로"),   // 일
            ("2", "는", "가", "를", "와", "로"),   // 이
            ("3", "은", "이", "을", "과", "으로"), // 삼
            ("4", "는", "가", "를", "와", "로"),   // 사
            ("5", "는", "가", "를", "와", "로"),   // 오
            ("6", "은", "이", "을", "과", "으로"), // 육
            ("7", "은", "이", "을", "과", "로"),   // 칠
            ("8", "은", "이", "을", "과", "로"),   // 팔
            ("9", "는", "가", "를", "와", "로"),   // 구
        ];
        for (digit, topic, subject, object, and, towards) in table {
            for n in [digit.to_owned(), format!("1{digit}"), format!("25{digit}")] {
                assert_eq!(with(&n, Topic), format!("{n}{topic}"));
                assert_eq!(with(&n, Subject), format!("{n}{subject}"));
                assert_eq!(with(&n, Object), format!("{n}{object}"));
                assert_eq!(with(&n, With), format!("{n}{and}"));
                assert_eq!(with(&n, Towards), format!("{n}{towards}"));
            }
        }
    }

    #[test]
    fn round_numbers_end_on_their_unit() {
        // 십 (ㅂ), 백 (ㄱ), 천 (ㄴ), 만 (ㄴ), 십만, 억 (ㄱ): all a batchim, none ㄹ.
        for n in [
            "10",
            "20",
            "100",
            "1,000",
            "8,000",
            "10,000",
            "100,000",
            "2,000,000",
        ] {
            assert_eq!(with(n, Topic), format!("{n}은"), "{n}");
            assert_eq!(with(n, Subject), format!("{n}이"), "{n}");
            assert_eq!(with(n, Object), format!("{n}을"), "{n}");
            assert_eq!(with(n, With), format!("{n}과"), "{n}");
            assert_eq!(with(n, Towards), format!("{n}으로"), "{n}");
        }
        assert_eq!(number_ending(100_000_000), Ending::Consonant); // 일억
        assert_eq!(number_ending(1_000_000_000_000), Ending::Vowel); // 일조
    }

    #[test]
    fn the_issue_examples() {
        assert_eq!(with("8", Topic), "8은");
        assert_eq!(with("256", Topic), "256은");
        assert_eq!(with("20", Topic), "20은");
        assert_eq!(with("32", Topic), "32는");
        assert_eq!(with("8", Towards), "8로");
        assert_eq!(with("32", Towards), "32로");
        assert_eq!(with("256", Towards), "256으로");
        assert_eq!(with("2,002", Topic), "2,002는");
        assert_eq!(with("10,001", Towards), "10,001로");
    }

    #[test]
    fn decimals_percentages_words_and_letters() {
        assert_eq!(with("0.008", Towards), "0.008로"); // …팔
        assert_eq!(with("0.0003", Towards), "0.0003으로"); // …삼
        assert_eq!(with("0.5", Topic), "0.5는"); // …오
        assert_eq!(with("93.8%", Topic), "93.8%는"); // 퍼센트
        assert_eq!(with("(B = 32)", Topic), "(B = 32)는");
        assert_eq!(with("코사인", Towards), "코사인으로");
        assert_eq!(with("배치", Topic), "배치는");
        assert_eq!(with("일정하게 유지", Topic), "일정하게 유지는");
        assert_eq!(with("모델", Towards), "모델로");
        assert_eq!(with("B", Topic), "B는");
        assert_eq!(with("N", Subject), "N이");
        assert_eq!(with("—", Topic), "—은(는)", "unknown: the written pair");
        assert_eq!(with("", Towards), "(으)로");
        // Longer than u64 and odd punctuation never panic.
        assert_eq!(
            with("123456789012345678901234567890", Topic),
            "123456789012345678901234567890은"
        );
        assert_eq!(with(".", Topic), ".은(는)");
    }

    #[test]
    fn pairs_are_found_at_the_start_only() {
        assert_eq!(Particle::find("은(는) 시험한"), Some(Topic));
        assert_eq!(Particle::find("(으)로"), Some(Towards));
        assert_eq!(Particle::find("과(와)"), Some(With));
        assert_eq!(Particle::find("는"), None);
        assert_eq!(Particle::find(" 은(는)"), None);
    }
}
