//! The claims cards' text in Korean and English, side by side: the post's sentence (the
//! Korean quoted exactly from the post, with the heading it sits under), the verdict rule,
//! and each contrast as a sentence. Numbers on a card (batch sizes, updates, the budget)
//! are filled in from its [`Plan`](super::Plan) with [`fill`], never written here, so the
//! text cannot disagree with what the card runs.

use super::{ALPHA, Arm, Claim, Contrast, EXACT_MARGIN, Measure, Verdict};
use crate::i18n::{Lang, fill};
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

/// The rule every card applies ([`super`]'s module comment), with α filled in.
pub fn rule(lang: Lang) -> String {
    const RULE: Both = both(
        "아래 비교마다 같은 시드끼리 짝지은 t-검정을 합니다. 모든 비교에서 주장한 방향의 차이가 p < {}이면 '성립', 하나도 그렇지 않으면 '성립하지 않음', 일부만 그렇다면 '조건에 따라 다름'입니다. 계산으로 정해지는 값은 {} 넘게 차이 나야 주장한 방향으로 칩니다.",
        "Each comparison below is a paired t-test over the same seeds. The claim holds when every comparison shows the claimed direction with p < {}, does not hold when none does, and depends when some do. A computed value counts only when it differs by more than {}.",
    );
    fill(
        RULE.get(lang),
        &[&ALPHA.to_string(), &lang.percent(EXACT_MARGIN, 0)],
    )
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
        Measure::WorstFirstEpochLoss => both(
            "첫 에폭의 가장 큰 배치 손실",
            "first epoch's worst batch loss",
        ),
    }
}
