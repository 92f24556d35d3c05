//! The claims cards' text in Korean and English, side by side: the post's sentence (the
//! Korean quoted exactly from the post, with the heading it sits under), the verdict rule,
//! and each contrast as a sentence. Numbers on a card (batch sizes, updates, the budget)
//! are filled in from its [`Plan`](super::Plan) with [`fill`], never written here, so the
//! text cannot disagree with what the card runs.

use super::markdown::number;
use super::{ALPHA, Arm, Claim, Contrast, EXACT_MARGIN, Measure, Verdict};
use crate::history::groups::Spread;
use crate::i18n::{Lang, fill};
use crate::stats::compare::Comparison;
use crate::trainer::schedule::ScalingRule;

/// A text in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Both {
    pub ko: &'static str,
    pub en: &'static str,
}

impl Both {
    /// The text in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ko => self.ko,
            Lang::En => self.en,
        }
    }
}

const fn both(ko: &'static str, en: &'static str) -> Both {
    Both { ko, en }
}

/// The post's sentence: the heading it sits under and the words themselves.
pub fn quote(claim: Claim) -> (Both, Both) {
    const SMALL_PRO: Both = both("작은 배치 사이즈 · 장점", "Small batch size · pros");
    const SMALL_CON: Both = both("작은 배치 사이즈 · 단점", "Small batch size · cons");
    const LARGE_PRO: Both = both("큰 배치 사이즈 · 장점", "Large batch size · pros");
    const LARGE_CON: Both = both("큰 배치 사이즈 · 단점", "Large batch size · cons");
    match claim {
        Claim::Memory => (SMALL_PRO, both("메모리 사용량 적음", "Uses less memory")),
        Claim::Generalise => (
            SMALL_PRO,
            both("일반화 성능 향상 가능", "May generalise better"),
        ),
        Claim::Time => (SMALL_CON, both("학습 시간 길어짐", "Training takes longer")),
        Claim::Noise => (SMALL_CON, both("노이즈 많음", "Noisy")),
        Claim::StableGradient => (LARGE_PRO, both("안정적인 그래디언트", "Stable gradients")),
        Claim::SharpMinima => (
            LARGE_CON,
            both(
                "Local minima에 빠질 위험",
                "Risk of getting stuck in local minima",
            ),
        ),
        Claim::FullBatch => (
            both("전체 데이터셋 vs 배치", "Whole data set vs batches"),
            both(
                "전체 데이터를 한 번에 (비효율적)",
                "All the data at once (inefficient)",
            ),
        ),
        Claim::LinearScaling => (
            both(
                "최적화 팁 · Learning Rate와 배치 사이즈",
                "Optimisation tips · learning rate and batch size",
            ),
            both(
                "큰 배치 사이즈 사용 시 learning rate도 증가",
                "With a large batch size, increase the learning rate too",
            ),
        ),
        Claim::Warmup => (
            both("최적화 팁 · Warm-up 전략", "Optimisation tips · warm-up"),
            both(
                "처음에는 작은 learning rate로 시작",
                "Start with a small learning rate",
            ),
        ),
    }
}

/// The rule every card applies ([`super`]'s module comment), with α filled in: said once,
/// above the cards; each card says only what differs ([`card_rule`]).
pub fn rule(lang: Lang) -> String {
    const RULE: Both = both(
        "모든 카드의 판정 규칙: 비교마다 같은 시드끼리 짝지은 t-검정을 합니다(시드 k는 비교하는 모든 설정에서 같은 초기 가중치와 데이터 순서를 씁니다). 주장한 방향의 차이가 p < {}이면 ✓, 반대 방향이 그렇다면 ✗, 아니면 노이즈 범위 안(≈)입니다. 모든 비교가 ✓이면 '성립', 하나도 ✓이 아니면 '성립하지 않음', 일부만 ✓이면 '조건에 따라 다름'입니다. 계산으로 정해지는 값은 검정 대신 {} 넘게 차이 나야 ✓입니다.",
        "How every card decides: each comparison is a paired t-test over the same seeds (seed k of every arm shares its initial weights and data order). A difference in the claimed direction with p < {} is ✓, in the opposite direction ✗, otherwise within noise (≈). The claim holds when every comparison is ✓, does not hold when none is, and depends when some are. A computed value needs a difference of more than {} instead of a test.",
    );
    fill(
        RULE.get(lang),
        &[&ALPHA.to_string(), &lang.percent(EXACT_MARGIN, 0)],
    )
}

/// What `claim`'s card adds to the shared [`rule`]: what its threshold is (the margin of a
/// computed value, or p over how many seeds) and, with several comparisons, how many must be
/// ✓ to hold.
pub fn card_rule(claim: Claim, lang: Lang) -> String {
    let plan = claim.plan();
    let exact = (plan.contrasts.iter()).any(|c| c.measure().is_exact());
    let threshold = if exact {
        fill(
            both(
                "계산값: {} 넘게 크면 ✓ (시드 {}개)",
                "computed: ✓ when more than {} larger (seeds: {})",
            )
            .get(lang),
            &[
                &lang.percent(EXACT_MARGIN, 0),
                &plan.seeds.len().to_string(),
            ],
        )
    } else {
        fill(
            both(
                "p < {}, 시드 {}개로 짝지은 검정",
                "p < {}, paired over {} seeds",
            )
            .get(lang),
            &[&ALPHA.to_string(), &plan.seeds.len().to_string()],
        )
    };
    let n = plan.contrasts.len();
    if n < 2 {
        return threshold;
    }
    let count = fill(
        both(
            "비교 {}개가 모두 ✓이면 성립, 일부만이면 조건에 따라 다름",
            "holds when all {} comparisons are ✓, depends when some are",
        )
        .get(lang),
        &[&n.to_string()],
    );
    format!("{threshold}; {count}")
}

/// An arm's training seconds to the target `target` (a fraction) over its seeds
/// (`None`: that seed never reached it): the mean over the seeds that reached, saying how
/// many did not, or that none did.
pub fn to_target(seconds: &[Option<f64>], target: f64, lang: Lang) -> String {
    let reached: Vec<f64> = seconds.iter().flatten().copied().collect();
    let pct = lang.percent(target, 0);
    let Some(mean) = crate::stats::describe::mean(&reached) else {
        return fill(
            both(
                "검증 정확도 {}에 도달하지 못함",
                "did not reach {} validation accuracy",
            )
            .get(lang),
            &[&pct],
        );
    };
    let line = fill(
        both("검증 정확도 {}까지 {}초", "{} s to {} validation accuracy").get(lang),
        &match lang {
            Lang::Ko => [pct.clone(), number(mean)],
            Lang::En => [number(mean), pct.clone()],
        }
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>(),
    );
    let missed = seconds.len() - reached.len();
    if missed == 0 {
        return line;
    }
    fill(
        both(
            "{} (시드 {}개 중 {}개는 도달하지 못함)",
            "{} ({} of {} seeds did not reach it)",
        )
        .get(lang),
        &match lang {
            Lang::Ko => [line.clone(), seconds.len().to_string(), missed.to_string()],
            Lang::En => [line.clone(), missed.to_string(), seconds.len().to_string()],
        }
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>(),
    )
}

/// An arm's generalisation gap (training minus validation accuracy, points) as mean ± SD.
pub fn gap(spread: Spread, lang: Lang) -> String {
    let sd = spread
        .sd
        .map(|s| format!(" ± {}", number(s)))
        .unwrap_or_default();
    fill(
        both("일반화 격차 {}{}%p", "generalisation gap {}{} points").get(lang),
        &[&number(spread.mean), &sd],
    )
}

/// The gap comparison of arm `a` against arm `b` (`a − b`, points) with its 95 % interval
/// and p.
pub fn gap_comparison(c: &Comparison, a: &str, b: &str, lang: Lang) -> String {
    let sign = if c.difference >= 0.0 { "+" } else { "−" };
    let d = format!("{sign}{}", number(c.difference.abs()));
    let mut out = fill(
        both(
            "일반화 격차 차이 ({} − {}): {}%p",
            "generalisation gap difference ({} − {}): {} points",
        )
        .get(lang),
        &[a, b, &d],
    );
    if let Some(i) = c.inference {
        let ci = both("95% 구간", "95% CI").get(lang);
        out += &format!(
            " ({ci} {} … {}), p = {}",
            number(i.low),
            number(i.high),
            number(i.p)
        );
    }
    out
}

/// A verdict's name on the card.
pub fn verdict(v: Verdict, lang: Lang) -> &'static str {
    match v {
        Verdict::Holds => both("성립", "Holds"),
        Verdict::DoesNotHold => both("성립하지 않음", "Does not hold"),
        Verdict::Depends => both("조건에 따라 다름", "Depends"),
    }
    .get(lang)
}

/// An arm's name on `claim`'s card: its batch size, and on the learning-rate cards (where
/// arms differ by more than B) its scaling rule and warm-up.
pub fn arm_label(claim: Claim, arm: &Arm, lang: Lang) -> String {
    let c = &arm.experiment.config;
    let label = format!("B = {}", lang.int(arm.experiment.batch_in_effect()));
    if !matches!(claim, Claim::LinearScaling | Claim::Warmup) {
        return label;
    }
    let rule = match c.schedule.rule {
        ScalingRule::None => both("그대로", "as is"),
        ScalingRule::Linear => both("선형 스케일링", "linear scaling"),
        ScalingRule::Sqrt => both("제곱근 스케일링", "square-root scaling"),
    };
    let label = format!("{label} ({})", rule.get(lang));
    if c.schedule.warmup_epochs == 0 {
        return label;
    }
    fill(
        both("{} + 워밍업 {}에폭", "{} + {}-epoch warm-up").get(lang),
        &[&label, &c.schedule.warmup_epochs.to_string()],
    )
}

/// One contrast of `claim` as a sentence, with its arms' names and numbers.
pub fn contrast(claim: Claim, c: &Contrast, lang: Lang) -> String {
    let plan = claim.plan();
    let name = |i: usize| arm_label(claim, &plan.arms[i], lang);
    let (measure, higher, lower) = match *c {
        Contrast::Arms {
            measure,
            higher,
            lower,
        } => (measure, name(higher), name(lower)),
        Contrast::FallsWithBatch { measure } => {
            let t = both(
                "{}: 배치 사이즈가 커질수록 줄어듦 (시드마다 로그–로그 기울기가 0보다 작음; 표본 평균만의 효과라면 −1/2)",
                "{} falls as B grows (each seed's log–log slope is below 0; −1/2 if it were only the sampling of a mean)",
            );
            return fill(t.get(lang), &[measure_name(measure).get(lang)]);
        }
    };
    let extra = match measure {
        Measure::ValAccuracyAtUpdate(u) => lang.int(u),
        Measure::SecondsToValAccuracy(f) => lang.percent(f, 0),
        Measure::ValAccuracyAtSeconds(s) => s.to_string(),
        Measure::CurveDistanceTo(i) => name(i),
        _ => String::new(),
    };
    let t = both("{}: {} > {}", "{}: {} > {}");
    let what = fill(measure_name(measure).get(lang), &[&extra]);
    fill(t.get(lang), &[&what, &higher, &lower])
}

/// A measure's name, with a `{}` for its parameter where it has one.
pub fn measure_name(m: Measure) -> Both {
    match m {
        Measure::StepMemory => both(
            "학습 한 단계의 메모리 (가중치, 그래디언트, 배치)",
            "memory of a training step (weights, gradients, batch)",
        ),
        Measure::FinalValAccuracy => both("마지막 검증 정확도", "final validation accuracy"),
        Measure::ValAccuracyAtUpdate(_) => both(
            "가중치 업데이트 {}번 뒤의 검증 정확도",
            "validation accuracy after {} updates",
        ),
        Measure::SecondsPerEpoch => both("에폭당 학습 시간 (초)", "training seconds per epoch"),
        Measure::SecondsToValAccuracy(_) => both(
            "검증 정확도 {}까지 걸린 학습 시간 (초)",
            "training seconds to {} validation accuracy",
        ),
        Measure::LossSpread => both(
            "마지막 에폭 배치 손실의 표준편차",
            "spread (SD) of the last epoch's batch losses",
        ),
        Measure::GradientCosine => both(
            "미니배치 그래디언트와 전체 그래디언트의 코사인 (체크포인트 평균)",
            "cosine between mini-batch and full-batch gradients (mean over checkpoints)",
        ),
        Measure::Sharpness => both(
            "마지막 가중치에서 학습 손실 헤세 행렬의 최대 고윳값 (날카로움)",
            "largest Hessian eigenvalue of the training loss at the final weights (sharpness)",
        ),
        Measure::ValAccuracyAtSeconds(_) => both(
            "학습 {}초 뒤의 검증 정확도",
            "validation accuracy after {} s of training",
        ),
        Measure::CurveDistanceTo(_) => both(
            "{}의 검증 정확도 곡선과의 평균 차이",
            "mean distance from {}'s validation-accuracy curve",
        ),
        Measure::FirstEpochLossRise => both(
            "첫 에폭에서 배치 손실이 그때까지의 최저값보다 가장 크게 다시 오른 폭",
            "first epoch's largest rise of the batch loss above its lowest so far",
        ),
    }
}

/// Two sentences on why the card measures what it does and what can make the answer go
/// either way on this model.
pub fn why(claim: Claim) -> Both {
    match claim {
        Claim::Memory => both(
            "가중치와 그래디언트는 배치 사이즈와 상관없이 같고, 배치마다 커지는 것은 각 층의 활성값과 오차 신호뿐입니다. 784-128-10 모델에서는 가중치가 작아서 배치 버퍼가 곧 메모리 차이가 됩니다.",
            "Weights and gradients are the same at every batch size; only each layer's activations and error signals grow with the batch. On the 784-128-10 model the weights are small, so the batch buffers are the difference.",
        ),
        Claim::Generalise => both(
            "같은 에폭이면 작은 배치는 업데이트를 훨씬 많이 하므로, 정확도 차이가 배치의 노이즈 덕인지 업데이트 수 덕인지 섞여 있습니다. 업데이트 수를 맞춘 두 번째 비교가 그 둘을 갈라 봅니다.",
            "At equal epochs a small batch makes many more updates, so an accuracy difference mixes the batch's noise with the number of updates. The second comparison, at an equal number of updates, separates the two.",
        ),
        Claim::Time => both(
            "한 에폭의 계산량은 배치 사이즈와 상관없이 같지만, 작은 배치는 업데이트마다 드는 고정 비용을 더 자주 치르고 행렬 곱을 덜 효율적으로 씁니다. 목표 정확도까지의 시간은 업데이트가 많다는 장점까지 함께 잽니다.",
            "An epoch costs the same arithmetic at any batch size, but a small batch pays each update's fixed cost more often and uses the matrix products less efficiently. Time to a target accuracy also counts the benefit of making more updates.",
        ),
        Claim::Noise => both(
            "배치 손실은 배치에 뽑힌 표본의 평균이므로, 표본만의 효과라면 그 흩어짐이 1/√B처럼 줄어듭니다. 기울기가 −1/2에서 벗어난 만큼은 학습 자체가 만드는 흔들림입니다.",
            "A batch loss is a mean over the samples drawn, so by sampling alone its spread falls as 1/√B. How far the slope is from −1/2 is the wobble the training itself adds.",
        ),
        Claim::StableGradient => both(
            "미니배치 그래디언트는 전체 그래디언트의 추정값이라, 배치가 클수록 방향이 전체와 더 잘 맞습니다. 체크포인트에서만 전체 그래디언트를 계산하므로 학습 시간에는 들어가지 않습니다.",
            "A mini-batch gradient estimates the full gradient, so a larger batch points closer to it. The full gradient is computed only at the checkpoints, off the training's clock.",
        ),
        Claim::SharpMinima => both(
            "Keskar 등(2017)은 큰 배치가 날카로운 최소점(헤세 행렬의 큰 고윳값)에 머문다고 보고했습니다. 작은 모델과 데이터에서는 그 차이가 작거나 뒤집힐 수 있어, 검증 정확도를 옆에 함께 봅니다.",
            "Keskar et al. (2017) reported that large batches settle in sharp minima (a large top Hessian eigenvalue). On a small model and data set the difference may be small or reversed, so validation accuracy sits beside it.",
        ),
        Claim::FullBatch => both(
            "전체 배치는 에폭마다 업데이트를 한 번만 하므로, 같은 시간 동안 B = 32보다 훨씬 적게 움직입니다. 같은 학습 시간 예산에서 검증 정확도를 비교합니다.",
            "Full-batch training makes one update per epoch, so in the same time it moves far less than B = 32. The card compares validation accuracy at the same training-time budget.",
        ),
        Claim::LinearScaling => both(
            "선형 스케일링은 SGD에서 나온 규칙이고, Adam에는 제곱근 스케일링이 흔히 권장됩니다. B = 32의 곡선에 가장 가까운 규칙이 이 모델에서 맞는 규칙입니다.",
            "Linear scaling comes from SGD; for Adam, square-root scaling is the usual advice. The rule whose curve comes closest to B = 32's is the right one on this model.",
        ),
        Claim::Warmup => both(
            "큰 학습률로 곧바로 시작하면 초기 가중치에서 첫 업데이트들이 손실을 크게 튀게 할 수 있습니다. 워밍업이 그 튐을 줄이는지, 마지막 정확도에는 손해가 없는지를 봅니다.",
            "Starting straight at a large learning rate can make the first updates from the initial weights throw the loss up. The card checks whether warm-up tames that jump and costs nothing at the end.",
        ),
    }
}

/// The experiment in one line: data, model, the arms compared, epochs and seeds.
pub fn experiment_line(claim: Claim, lang: Lang) -> String {
    let plan = claim.plan();
    let Some(first) = plan.arms.first() else {
        return String::new();
    };
    let e = &first.experiment;
    let model = std::iter::once(784)
        .chain(e.config.hidden.iter().copied())
        .chain(std::iter::once(10))
        .map(|w| w.to_string())
        .collect::<Vec<_>>()
        .join("-");
    let arms = (plan.arms.iter())
        .map(|a| arm_label(claim, a, lang))
        .collect::<Vec<_>>()
        .join(both(" 대 ", " vs ").get(lang));
    let t = both(
        "MNIST {}개, {} 모델, Adam: {} — {}에폭, 시드 {}개",
        "MNIST, {} samples, {} model, Adam: {} — epochs: {}, seeds: {}",
    );
    fill(
        t.get(lang),
        &[
            &lang.int(e.train_size),
            &model,
            &arms,
            &e.config.epochs.to_string(),
            &plan.seeds.len().to_string(),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_is_said_once_and_each_card_says_its_threshold() {
        assert!(rule(Lang::En).contains("p < 0.05") && rule(Lang::En).contains("10%"));
        assert_eq!(
            card_rule(Claim::Memory, Lang::En),
            "computed: ✓ when more than 10% larger (seeds: 1)"
        );
        assert_eq!(
            card_rule(Claim::Noise, Lang::En),
            "p < 0.05, paired over 3 seeds"
        );
        assert_eq!(
            card_rule(Claim::Generalise, Lang::En),
            "p < 0.05, paired over 5 seeds; holds when all 2 comparisons are ✓, depends when some are"
        );
        assert!(card_rule(Claim::Time, Lang::Ko).contains("시드 3개"));
    }

    #[test]
    fn seconds_to_the_target_over_the_seeds_that_reached_it() {
        let en = |s: &[Option<f64>]| to_target(s, 0.9, Lang::En);
        assert_eq!(
            en(&[Some(2.0), Some(4.0)]),
            "3.00 s to 90% validation accuracy"
        );
        assert_eq!(
            en(&[Some(2.0), None, Some(3.0)]),
            "2.50 s to 90% validation accuracy (1 of 3 seeds did not reach it)"
        );
        assert_eq!(en(&[None, None]), "did not reach 90% validation accuracy");
        assert_eq!(
            to_target(&[Some(2.0), None], 0.9, Lang::Ko),
            "검증 정확도 90%까지 2.00초 (시드 2개 중 1개는 도달하지 못함)"
        );
    }

    #[test]
    fn the_gap_with_its_spread_and_comparison() {
        let s = Spread {
            mean: 1.25,
            sd: Some(0.5),
        };
        assert_eq!(gap(s, Lang::En), "generalisation gap 1.25 ± 0.500 points");
        let one = Spread {
            mean: 2.0,
            sd: None,
        };
        assert_eq!(gap(one, Lang::Ko), "일반화 격차 2.00%p");
        let c = crate::stats::compare::paired(&[(3.0, 1.0), (2.0, 1.0), (2.5, 1.0)]).unwrap();
        let t = gap_comparison(&c, "B = 8", "B = 256", Lang::En);
        assert!(
            t.starts_with("generalisation gap difference (B = 8 − B = 256): +1.50 points (95% CI "),
            "{t}"
        );
    }
}
