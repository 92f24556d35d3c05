//! Every string the user sees, in Korean and English, side by side per key.
//!
//! The [`strings!`] table generates one `Strings` struct and one constant per language from
//! the same list, so a key cannot exist in one language only (it would not compile), and the
//! tests check that no text is empty and that both languages use the same `{}` placeholders.
//! Korean wording follows the blog post: 배치 사이즈, 에폭, 가중치 업데이트, 학습/검증 손실.

pub mod labels;
pub mod particles;

use particles::Particle;
use serde::{Deserialize, Serialize};

/// The interface language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// Korean, the language of the post the app lives in.
    #[default]
    Ko,
    En,
}

/// Picks one string of whatever language is current: how a component is told which text
/// it shows, before the language is known.
pub type Text = fn(&'static Strings) -> &'static str;

impl Lang {
    /// Both languages, in toggle order.
    pub const ALL: [Lang; 2] = [Lang::Ko, Lang::En];

    /// The strings of this language.
    pub fn strings(self) -> &'static Strings {
        match self {
            Lang::Ko => &KO,
            Lang::En => &EN,
        }
    }

    /// The BCP 47 tag (`lang` attribute, URL value).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }

    /// The language of a tag such as `ko`, `ko-KR`, `en-US`; `None` for others.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next()?.trim().to_ascii_lowercase();
        match primary.as_str() {
            "ko" => Some(Lang::Ko),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The first supported language among the browser's preferences, else Korean.
    pub fn negotiate<'a>(preferred: impl IntoIterator<Item = &'a str>) -> Lang {
        preferred
            .into_iter()
            .find_map(Lang::from_tag)
            .unwrap_or_default()
    }

    /// `n` with thousands separators (both languages group by three with commas).
    pub fn int(self, n: usize) -> String {
        let digits = n.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    }

    /// A fraction as a percentage with `decimals` places, e.g. `93.8%`.
    pub fn percent(self, fraction: f64, decimals: usize) -> String {
        format!("{:.*}%", decimals, fraction * 100.0)
    }
}

/// Replaces each `{}` in `template` with the next of `args`, in order. A Korean particle
/// pair right after a `{}` (`{}은(는)`, `{}(으)로`, …) becomes the one form that fits the
/// value put there (`8은`, `32는`, `256으로`): see [`particles`].
pub fn fill(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut args = args.iter();
    let mut rest = template;
    while let Some(i) = rest.find("{}") {
        out.push_str(&rest[..i]);
        let arg = args.next().copied().unwrap_or("");
        rest = &rest[i + 2..];
        match Particle::find(rest) {
            Some(p) => {
                out.push_str(&particles::attach(arg, p));
                rest = &rest[p.pair().len()..];
            }
            None => out.push_str(arg),
        }
    }
    out.push_str(rest);
    out
}

macro_rules! strings {
    ($($key:ident: $ko:expr, $en:expr;)*) => {
        /// One language's strings; fields are keys.
        #[derive(Debug)]
        pub struct Strings {
            $(pub $key: &'static str,)*
        }

        /// 한국어.
        pub const KO: Strings = Strings { $($key: $ko,)* };
        /// English.
        pub const EN: Strings = Strings { $($key: $en,)* };

        /// Every key with its Korean and English text (for tests and tooling).
        pub fn table() -> Vec<(&'static str, &'static str, &'static str)> {
            vec![$((stringify!($key), KO.$key, EN.$key),)*]
        }
    };
}

strings! {
    app_title: "배치 실험실", "Batch Lab";
    app_subtitle: "배치 사이즈와 에폭이 학습에 어떤 영향을 주는지, 가중치 업데이트 하나하나를 직접 지켜보세요.",
        "Watch what batch size and epochs do to training, one weight update at a time.";
    language: "언어", "Language";
    lang_name: "한국어", "English";
    panel_controls: "설정", "Settings";
    panel_charts: "차트", "Charts";
    panel_lr: "학습률 그래프", "Learning-rate strip";
    why_number: "숫자를 입력해 주세요.", "Enter a number.";
    why_seed: "시드는 0 이상의 정수입니다 (최대 2⁶⁴ − 1).", "A seed is a whole number from 0 to 2⁶⁴ − 1.";
    why_layers: "층마다 1–{} 유닛, 최대 {}개 층을 쉼표로 구분해 적어 주세요 (예: 64, 32).",
        "Write 1–{} units per layer, at most {} layers, separated by commas (e.g. 64, 32).";
    why_name: "고를 수 있는 값이 아닙니다.", "Not one of the choices.";
    why_too_long: "값이 너무 깁니다.", "The value is too long.";

    // Controls
    section_data: "데이터", "Data";
    section_training: "학습 설정", "Training";
    dataset: "데이터셋", "Dataset";
    dataset_mnist: "MNIST 손글씨 숫자 ({}개)", "MNIST digits ({})";
    dataset_random: "무작위 데이터 (PyTorch 예제)", "Random noise (PyTorch example)";
    dataset_spirals: "두 나선", "Two spirals";
    dataset_circles: "원", "Circles";
    dataset_xor: "XOR", "XOR";
    dataset_blobs: "가우시안 군집", "Gaussian blobs";
    dataset_moons: "반달", "Moons";
    noise: "노이즈", "Noise";
    train_size: "학습 데이터 수 N", "Training samples N";
    train_size_help: "검증 데이터는 따로 떼어 두며 N에 포함되지 않습니다.", "Validation samples are held out separately and never count in N.";
    validation_split: "검증 비율 (validation_split)", "Validation split";
    seed: "시드", "Seed";
    batch_size: "배치 사이즈", "Batch size";
    epochs: "에폭", "Epochs";
    learning_rate: "학습률", "Learning rate";
    lr_rule: "배치에 따른 학습률", "Learning rate vs batch";
    lr_rule_none: "그대로", "as is";
    lr_rule_linear: "선형: × B / B₀", "linear: × B / B₀";
    lr_rule_sqrt: "제곱근: × √(B / B₀)", "square root: × √(B / B₀)";
    lr_base_batch: "기준 배치 B₀", "Base batch B₀";
    warmup_epochs: "워밍업 (에폭, 0 = 끔)", "Warm-up (epochs, 0 = off)";
    warmup_start: "워밍업 시작 학습률", "Warm-up start rate";
    lr_decay: "워밍업 이후", "After warm-up";
    lr_decay_constant: "일정하게", "constant";
    lr_decay_cosine: "코사인 감소", "cosine decay";
    lr_floor: "코사인 감소의 최솟값 (최고 학습률 대비)", "Cosine floor (× peak)";
    effective_lr: "이 배치 사이즈의 학습률: {}", "Learning rate at this B: {}";
    lr_now: "마지막 업데이트에 쓴 학습률: {}", "Latest update: {}";
    lr_schedule_help: "글의 팁: 배치 사이즈를 키우면 학습률도 키웁니다 (0.001 × B / 32). Adam에는 보통 제곱근 규칙을 씁니다. 워밍업은 학습률을 업데이트마다 조금씩 올립니다.",
        "The post's tips: a larger batch takes a larger rate (0.001 × B / 32); for Adam the square-root rule is the usual advice. Warm-up raises the rate a little at every update.";
    lr_chart_planned: "예정 (점선)", "planned (dashed)";
    optimizer: "옵티마이저", "Optimizer";
    optimizer_adam: "Adam", "Adam";
    optimizer_sgd: "SGD", "SGD";
    optimizer_momentum: "SGD + 모멘텀 ({})", "SGD + momentum ({})";
    hidden_layers: "은닉층 (쉼표로 구분)", "Hidden layers (comma-separated)";
    activation: "활성화 함수", "Activation";
    speed: "속도", "Speed";
    speed_max: "최대", "Max";
    speed_per_second: "초당 {}회 업데이트", "{} updates/s";
    train: "학습", "Train";
    pause: "일시정지", "Pause";
    resume: "계속", "Resume";
    step: "한 스텝", "Step";
    reset: "초기화", "Reset";
    step_in_epoch: "이번 에폭 {} / {}번째 업데이트", "Update {} of {} in this epoch";
    step_in_epoch_none: "[한 스텝]을 누르면 배치 하나로 가중치를 한 번 업데이트합니다 (1 에폭 = 업데이트 {}번).",
        "Step makes one weight update with one batch (1 epoch = {} updates).";
    batch_change_rule: "학습 중에 배치 사이즈를 바꾸면 같은 시드로 처음부터 다시 시작합니다.",
        "Changing the batch size during a run restarts it from scratch with the same seed.";
    batch_sgd: "배치 사이즈 1: 확률적 경사 하강법 (SGD)", "Batch size 1: stochastic gradient descent (SGD)";
    batch_full: "배치 사이즈 = N: 배치 경사 하강법 (전체 데이터)", "Batch size = N: batch gradient descent (all data)";
    batch_mini: "미니배치 경사 하강법", "Mini-batch gradient descent";

    activation_relu: "ReLU", "ReLU";
    activation_tanh: "tanh", "tanh";
    activation_sigmoid: "시그모이드 (sigmoid)", "sigmoid";
    separator: " · ", " · ";

    // Epoch anatomy
    section_anatomy: "에폭의 구조", "Anatomy of an epoch";
    anatomy_samples: "학습 데이터 N", "Training samples N";
    anatomy_batch: "배치 사이즈 B", "Batch size B";
    anatomy_updates_per_epoch: "에폭당 가중치 업데이트", "Weight updates per epoch";
    anatomy_partial: "마지막 배치는 나머지 {}개", "the last batch holds {} (the remainder)";
    anatomy_total: "총 가중치 업데이트", "Total weight updates";
    anatomy_epoch_progress: "이번 에폭", "This epoch";
    anatomy_run_progress: "전체 학습", "Whole run";
    epoch_strip_caption: "한 에폭 = 배치 {}개 (마지막 배치 {}개) · 이번 에폭에 쓴 배치 {}개", "One epoch = {} batches (the last holds {}) · used this epoch: {}";
    epoch_strip: "이번 에폭의 배치 (칸 하나가 샘플 하나, 채운 칸은 이미 본 배치, 밝은 칸은 방금 본 배치)", "This epoch's batches (one cell per sample; filled: batches already used; lit: the batch just used)";

    // Charts
    chart_loss: "손실 (Loss)", "Loss";
    chart_accuracy: "정확도 (Accuracy)", "Accuracy";
    chart_key_label: "차트에 그린 실행", "Runs on this chart";
    smoothing_title: "이동 평균을 업데이트 횟수로 셉니다. 가로축을 바꿔도 실행마다 자기 업데이트를 같은 횟수만큼 평균하므로, 작은 배치의 노이즈가 그대로 보입니다.",
        "A moving average counted in updates: on any x axis each run averages the same number of its own updates, so a small batch's noise stays visible.";
    axis_epoch: "에폭", "Epoch";
    series_train_step: "학습 (배치마다)", "Training (per batch)";
    series_train_epoch: "학습 (에폭 평균)", "Training (epoch mean)";
    x_axis: "가로축", "x axis";
    x_log: "로그 눈금", "log scale";
    smoothing: "스무딩", "Smoothing";
    section_sweep: "배치 사이즈 한 번에 비교하기", "Sweep batch sizes";
    sweep_intro: "지금 설정(데이터, 모델, 옵티마이저)으로 배치 사이즈마다 시드 몇 개씩 학습해 차트에 겹쳐 보여 주고, 목표 검증 정확도에 이르기까지 필요한 가중치 업데이트 수와 샘플 수를 비교합니다.",
        "Trains the current setup (data, model, optimiser) with a few seeds per batch size, overlays the runs on the charts, and compares the updates and samples each needed to reach a target validation accuracy.";
    sweep_sizes: "배치 사이즈 목록 (쉼표로 구분)", "Batch sizes (comma-separated)";
    sweep_sizes_error: "1 이상의 정수를 쉼표로 구분해 최대 {}개까지 적어 주세요.", "Write up to {} whole numbers of at least 1, separated by commas.";
    sweep_target: "목표 검증 정확도 (%)", "Target validation accuracy (%)";
    sweep_start: "배치 사이즈별 비교 실험 시작", "Sweep batch sizes";
    sweep_cancel: "취소", "Cancel";
    sweep_running: "실행 {} / {} 학습 중 (동시에 {}개씩)", "Run {} of {} (workers: {})";
    sweep_done: "실행 {}개 완료: {}초 걸림 (동시에 {}개씩)", "runs done: {} in {} s (workers: {})";
    sweep_cancelled: "비교 실험을 취소했습니다. 이미 학습한 부분은 차트에 남아 있습니다.", "Sweep cancelled. What was trained stays on the charts.";
    sweep_table_caption: "목표 검증 정확도 {}에 처음 도달한 시점", "When each run first reached {} validation accuracy";
    sweep_col_batch: "B", "B";
    sweep_col_upe: "에폭당 업데이트", "Updates per epoch";
    sweep_col_updates: "목표까지 업데이트", "Updates to target";
    sweep_col_samples: "목표까지 샘플", "Samples to target";
    sweep_col_seconds: "목표까지 시간 (초)", "Seconds to target";
    sweep_col_final_acc: "최종 검증 정확도", "Final validation accuracy";
    sweep_col_final_loss: "최종 검증 손실", "Final validation loss";
    sweep_worker_stopped: "학습 도중 멈춘 실행: B = {}. 이 행에는 멈추기 전까지 기록한 것만 있습니다.", "The worker stopped during the run of B = {}: its row shows only what it recorded before.";
    sweep_row_stopped: "(멈춤)", "(stopped)";
    sweep_never: "목표에 도달하지 못한 실행: {}개 (표에 —로 표시).", "Runs that never reached the target: {} (— in the table).";
    sweep_no_trend: "배치 사이즈를 키워도 필요한 업데이트 수가 줄지 않아 곡선을 맞출 수 없습니다: 시험한 범위 전체에서 배치를 키워도 얻는 것이 없습니다.",
        "The updates needed did not fall as the batch grew, so no curve fits: over the sizes tried, a larger batch saves no updates.";
    sweep_b_crit: "임계 배치 사이즈 B_crit ≈ {}: 이보다 작은 배치에서는 배치를 두 배로 늘리면 필요한 업데이트 수가 거의 절반이 되지만, 이보다 큰 배치에서는 업데이트가 거의 줄지 않고 샘플(계산)만 더 듭니다.",
        "Critical batch size B_crit ≈ {}: below it, doubling the batch nearly halves the updates needed; above it, updates barely fall and the extra samples (compute) are mostly wasted.";
    sweep_b_crit_below: "곡선으로 구한 임계 배치 사이즈 B_crit ≈ {}은(는) 시험한 가장 작은 배치({})보다 작습니다: 여기서 시험한 배치는 모두 배치를 키워도 필요한 업데이트 수가 거의 줄지 않는 구간에 있습니다.",
        "The fitted critical batch size B_crit ≈ {} lies below the smallest batch tried ({}): every batch size here is past the point where a larger batch saves updates.";
    sweep_b_crit_above: "곡선으로 구한 임계 배치 사이즈 B_crit ≈ {}은(는) 시험한 가장 큰 배치({})보다 큽니다: 여기서는 배치를 두 배로 늘릴 때마다 필요한 업데이트가 거의 절반이 됩니다.",
        "The fitted critical batch size B_crit ≈ {} lies above the largest batch tried ({}): here, doubling the batch nearly halves the updates needed.";
    sweep_no_fit: "시드 중앙값이 목표에 이른 배치 사이즈가 {}개라 곡선을 맞출 수 없습니다 ({}개 이상 필요).", "{} batch sizes reached the target (by their seeds' median): too few to fit the curve (at least {} are needed).";
    sweep_tuning_note: "이 비교 실험은 모든 배치 사이즈에 같은 학습률을 씁니다. 배치 사이즈마다 학습률을 다시 맞추지 않았으므로, 결과의 차이에는 학습률 튜닝의 차이도 섞여 있습니다 (Shallue 외 2019).",
        "This sweep uses the same learning rate for every batch size. Without retuning it per batch size, the comparison partly measures tuning (Shallue et al. 2019).";
    sweep_scaled_note: "이 비교 실험은 학습률을 배치 사이즈에 맞춰 바꿨습니다 ({}). 배치 사이즈마다 학습률을 따로 튜닝하면 결과가 또 달라질 수 있습니다 (Shallue 외 2019).",
        "This sweep scaled the learning rate with the batch size ({}). Retuning it for each batch size could still change the result (Shallue et al. 2019).";
    sweep_axis_batch: "배치 사이즈 B (로그)", "Batch size B (log)";
    sweep_series_updates: "목표까지 업데이트 S", "Updates to target S";
    sweep_series_samples: "목표까지 샘플 E", "Samples to target E";
    sweep_chart_label: "배치 사이즈별 목표까지 필요한 업데이트와 샘플 (로그-로그)", "Updates and samples to the target by batch size (log–log)";
    sweep_noise_scale: "그래디언트 노이즈 스케일 ≈ {} 샘플: 각 실행이 목표에 도달한 시점에 잰 값의 중앙값입니다 (배치 사이즈 아래의 노이즈 미터는 한 실행의 최근 업데이트에서 잰 값이라 다를 수 있습니다). McCandlish 외(2018)에 따르면 B_crit은 노이즈 스케일과 비슷합니다.",
        "Measured gradient noise scale ≈ {} samples (median over the runs, where each reached the target): McCandlish et al. (2018) predict B_crit ≈ the noise scale.";

    // Gradient-noise meter (src/noise_reading.rs decides which of these to say)
    noise_title: "그래디언트 노이즈", "Gradient noise";
    noise_compare: "B = {}의 그래디언트 노이즈는 B = {}보다 {}배 작습니다.",
        "Your B = {}: compared with B = {}, the gradient's noise is {} times smaller.";
    noise_sqrt_rule: "노이즈(표준편차)는 1/√B로 줄어듭니다: √({} / {}) ≈ {}. 배치가 클수록 그래디언트가 안정적이라는 글의 설명 그대로입니다.",
        "The noise (standard deviation) falls as 1/√B: √({} / {}) ≈ {}, the post's \"larger batch, steadier gradient\".";
    noise_waiting: "첫 업데이트가 끝나면 이 실행에서 잰 노이즈 스케일과, 배치를 더 키우면 도움이 될지가 나타납니다.",
        "The noise scale measured on this run appears after the first updates, with whether a larger batch would still help.";
    noise_needs_batch: "B = 1 (SGD): 샘플 하나로 업데이트하므로 그래디언트 노이즈가 가장 큽니다. 노이즈 스케일을 재려면 B ≥ 2가 필요합니다 (샘플 하나짜리 배치에는 비교할 두 번째 배치 크기가 없습니다).",
        "B = 1 (SGD): one sample per update, the noisiest gradient there is. Measuring the noise scale needs B ≥ 2 (a batch of one holds no second batch size to compare with).";
    noise_measured: "이 실행의 업데이트 {}회 시점에 잰 노이즈 스케일은 ≈ {} 샘플입니다.",
        "Measured on this run at update {}: noise scale ≈ {} samples.";
    noise_below: "B = {}은(는) 이보다 작으므로, 배치를 더 키우면 업데이트 한 번의 진전이 아직 커집니다 (필요한 업데이트 수가 거의 비례해서 줄어듭니다).",
        "Your B = {} is below it, so a larger batch still makes each update go further (the updates needed fall almost in proportion).";
    noise_near: "B = {}은(는) 이 근처입니다: 배치를 더 키우면 업데이트 수는 조금 줄지만 계산(샘플 수)이 더 듭니다. 업데이트 수와 계산량의 균형이 좋은 크기입니다.",
        "Your B = {} is close to it: a larger batch would save a few updates but cost more compute (samples); a good balance of the two.";
    noise_above: "B = {}은(는) 이보다 훨씬 큽니다: 그래디언트가 이미 충분히 안정적이어서, 배치를 더 키워도 필요한 업데이트 수는 거의 줄지 않고 계산만 늘어납니다.",
        "Your B = {} is well past it: the gradient is already steady, so a larger batch saves hardly any updates and costs more compute.";
    noise_lost: "이 실행의 업데이트 {}회 시점: 노이즈 스케일을 추정할 수 없습니다 (평균한 |G|² 추정값이 0 이하). 그래디언트가 노이즈에 묻혀 있어(무작위 데이터처럼 배울 신호가 거의 없음) 배치를 키워도 나아지지 않습니다.",
        "Measured on this run at update {}: no estimate of the noise scale (the averaged |G|² estimate is not positive). The gradient is lost in the noise (as on random data, there is hardly a signal to learn); a larger batch will not help.";
    noise_more: "더 알아보기", "Learn more";
    noise_help: "노이즈 스케일 B_simple = tr(Σ)/|G|² (McCandlish 외 2018, “An Empirical Model of Large-Batch Training”): 업데이트 한 번의 그래디언트에 신호와 노이즈가 비슷하게 섞이는 배치 크기입니다. 이보다 작은 배치에서는 배치를 두 배로 늘리면 필요한 업데이트가 거의 절반이 되고, 이보다 큰 배치에서는 거의 줄지 않습니다. 업데이트마다 샘플별 그래디언트 노름으로 추정해 약 {}회 업데이트에 걸쳐 평균합니다.",
        "Noise scale B_simple = tr(Σ)/|G|² (McCandlish et al. 2018, “An Empirical Model of Large-Batch Training”): the batch size at which one update's gradient holds about as much signal as noise. Below it, doubling the batch nearly halves the updates needed; above it, they barely fall. Estimated at every update from per-sample gradient norms, averaged over about {} updates.";
    noise_varies: "이 값은 실행마다, 같은 실행에서도 학습 시점마다 달라집니다: 손실이 줄어 그래디언트의 신호 |G|가 작아지면 보통 커집니다. 그래서 스윕의 값(실행들이 목표에 도달한 시점의 중앙값)과도 다릅니다. 배치끼리의 노이즈 비교(1/√B)는 측정값이 아니라 평균의 성질이라 바뀌지 않습니다.",
        "This number differs from run to run and, within a run, from one point of training to the next: as the loss falls and the gradient's signal |G| shrinks, it usually grows. So it also differs from the sweep's (the median over its runs, where each reached the target). The comparison between batch sizes (1/√B) is not measured but a property of averages, and does not change.";
    noise_trace_label: "학습 중 노이즈 스케일 (로그 눈금; 점선: 지금 B)", "Noise scale over training (log scale; dashed: your B)";

    // Cost panel
    section_cost: "비용 (시간·메모리)", "Cost";
    cost_samples_per_second: "샘플/초", "Samples/s";
    cost_updates_per_second: "업데이트/초", "Updates/s";
    cost_ms_per_update: "업데이트당 시간 (ms)", "ms per update";
    cost_seconds_per_epoch: "에폭당 시간 (초)", "Seconds per epoch";
    cost_batch_memory: "배치 하나가 쓰는 메모리 (B = {})", "Memory the batch takes (B = {})";
    cost_batch_memory_detail: "활성값 {} + 역전파 오차 {}. 가중치와 그 그래디언트 {}은(는) B와 관계없습니다.",
        "activations {} + backprop errors {}. The weights and their gradients, {}, do not depend on B.";
    cost_wasm_memory: "실제 사용 메모리", "Worker's actual wasm memory";
    cost_seconds_to_target: "검증 정확도 {}까지 걸린 시간", "Time to {} validation accuracy";
    cost_reached: "{}초 (업데이트 {}회, 샘플 {}개)", "{} s ({} updates, {} samples)";
    cost_not_reached: "아직 도달하지 않음", "not reached yet";
    cost_note: "학습한 시간만 셉니다 (일시정지와 한 스텝 실행은 뺌). 배치 사이즈별로 목표까지 걸린 시간은 비교 실험 표에 있습니다.",
        "Over training time (pauses and single steps left out). The sweep's table has the time to the target for each batch size.";
    section_runs: "비교할 실행", "Runs to compare";
    runs_clear: "모두 지우기", "Clear all";
    runs_current: "현재", "current";
    runs_hide: "숨기기", "Hide";
    runs_show: "보이기", "Show";
    runs_pin: "고정", "Pin";
    runs_unpin: "고정 해제", "Unpin";
    runs_remove: "삭제", "Remove";
    runs_progress: "업데이트 {}회 · 샘플 {}개", "updates: {} · samples: {}";
    runs_final_loss: "마지막 에폭 손실 {}", "last epoch loss {}";
    runs_final_val_accuracy: "검증 정확도 {}", "validation accuracy {}";
    runs_hint: "설정을 바꾸거나 다시 학습해도 이전 실행이 차트에 남아 비교할 수 있습니다 (최대 {}개, 고정한 실행은 지워지지 않습니다).",
        "Change a setting or train again: earlier runs stay on the charts to compare (up to {}; pinned runs stay).";
    runs_same_start: "모든 실행이 같은 시드({})를 씁니다: 같은 초기 가중치에서 시작해 같은 순서로 섞인 데이터로 학습하므로, 곡선의 차이는 바꾼 설정 때문입니다.",
        "Every run uses the same seed ({}): they start from the same initial weights and see the data in the same shuffled order, so the curves differ only by what you changed.";
    readout_value: "{} (업데이트 {})", "{} (update {})";
    readout_smoothed: " · 스무딩 {}", " · smoothed {}";
    readout_validation: " · 검증 {}", " · validation {}";
    readout_no_data: "이 위치에는 값이 없습니다 (실행이 더 일찍 끝났습니다)", "no value here (the run ended earlier)";
    series_train_smoothed: "학습 (배치마다, 스무딩)", "Training (per batch, smoothed)";
    series_validation: "검증", "Validation";
    run_label_epochs: "{} 에폭", "{} epochs";
    run_label_noise: "노이즈 {}", "noise {}";
    run_label_seed: "시드 {}", "seed {}";
    run_label_no_hidden: "은닉층 없음", "no hidden layer";
    run_label_fixed_lr: "학습률 그대로", "lr as is";
    run_label_warmup: "워밍업 {} 에폭", "warm-up {} ep";
    run_label_cosine: "코사인", "cosine";
    axis_update: "가중치 업데이트 횟수", "Weight updates";
    axis_samples: "학습한 샘플 수", "Samples seen";
    axis_seconds: "학습 시간 (초)", "Training time (s)";

    // Batch view
    section_batch: "방금 사용한 배치", "The batch just used";
    batch_caption: "문제 {}개를 한 번에 풀고 채점한 뒤 가중치를 한 번 업데이트합니다.",
        "{} problems solved at once, then graded: one weight update.";
    batch_empty: "아직 업데이트가 없습니다. [학습]이나 [한 스텝]을 눌러 보세요.", "No update yet. Press Train or Step.";
    boundary_legend: "배경: 그 자리에서 모델이 예측하는 클래스 (진할수록 확신이 큼). 속이 빈 표시: 검증 데이터.",
        "Background: the class the net predicts there (stronger = more confident). Hollow marks: validation data.";
    label_short: "정답", "label";
    prediction_short: "예측", "pred";
    batch_shown_of: "{}개만 보여 줍니다 (배치 전체 {}개).", "Showing {} of the batch's {}.";
    batch_correct_count: "맞힌 문제: {} / {}", "Correct: {} / {}";
    batch_correct: "맞음", "correct";
    batch_wrong: "틀림", "wrong";
    batch_label_arrow_pred: "정답 → 예측", "label → prediction";

    // Status
    status_epoch: "에폭 {}/{}", "Epoch {}/{}";
    status_update: "업데이트 {}/{}", "Update {}/{}";
    status_samples: "학습한 샘플 {}개", "{} samples seen";
    status_rate: "초당 샘플 {}개", "{} samples/s";
    status_loading: "MNIST 내려받는 중… {}", "Downloading MNIST… {}";
    status_ready: "준비됨", "Ready";
    status_running: "학습 중", "Training";
    status_paused: "일시정지됨", "Paused";
    status_finished: "학습 완료", "Finished";
    status_diverged_at: "(업데이트 {}번째에서 멈춤)", "(stopped at update {})";
    warning_loss_blowup: "⚠ 손실이 {}까지 치솟았습니다. 시작할 때({})보다 훨씬 큽니다: 학습률({})이 너무 높을 가능성이 큽니다.",
        "⚠ The loss has blown up to {}, far above where it started ({}): the learning rate ({}) is likely too high.";
    status_diverged: "발산했습니다: 손실이 무한대/NaN이 되었습니다. 학습률을 낮춰 보세요.", "Diverged: the loss became infinite/NaN. Try a lower learning rate.";
    status_starting: "학습 준비 중…", "Starting the worker…";
    error_prefix: "오류: {}", "Error: {}";
    error_mnist: "MNIST를 불러오지 못했습니다 ({}).", "Could not load MNIST ({}).";
    error_bad_lr: "학습률은 0보다 큰 유한한 수여야 합니다.", "The learning rate must be a positive finite number.";
    error_zero_width: "은닉층마다 유닛이 1개 이상 있어야 합니다.", "Every hidden layer needs at least one unit.";
    error_generic: "설정을 확인해 주세요.", "Please check the settings.";
    // Links, embedding, notices
    copy_link: "링크 복사", "Copy link";
    copy_embed: "임베드 코드 복사", "Copy embed code";
    copied: "복사했습니다", "Copied";
    copy_failed: "복사하지 못했습니다. 아래 내용을 직접 복사하세요.", "Could not copy: copy the text below by hand.";
    notice_title: "링크의 일부 설정을 바로잡았습니다:", "Some settings in the link were adjusted:";
    notice_clamped: "{} → {} (허용 범위로 조정)", "{} → {} (clamped to the allowed range)";
    notice_invalid: "{}: 읽을 수 없어 기본값을 사용합니다", "{}: unreadable, the default is used";
    notice_unknown: "{}: 알 수 없는 설정이라 무시합니다", "{}: unknown setting, ignored";
    dismiss: "닫기", "Dismiss";
    open_full: "전체 화면으로 열기", "Open the full lab";
    mnist_credit: "MNIST: Yann LeCun, Corinna Cortes (CC BY-SA 3.0)", "MNIST: Yann LeCun, Corinna Cortes (CC BY-SA 3.0)";
    // Phones first and deferred embeds (issue 23; src/ui/start.rs, src/ui/anatomy_panel.rs)
    anatomy_summary: "에폭당 가중치 업데이트: {}", "{} updates per epoch";
    start_embed: "학습기 시작", "Start the trainer";
    start_embed_hint: "학습기와 데이터는 버튼을 누르거나 설정을 바꾸면 불러옵니다.", "The trainer and its data load when you press a button or change a setting.";
    status_not_started: "대기 중: [학습]을 누르면 학습기를 불러와 시작합니다.", "Waiting: Train loads the trainer and starts.";
    sweep_waiting: "학습기를 준비하는 중입니다. 지금 눌러도 준비되는 대로 시작합니다.", "Preparing the trainer: pressed now, the sweep starts as soon as it is ready.";

    // The post's claims, tested live (src/ui/claims)
    section_claims: "글의 주장, 직접 확인하기", "The post's claims, tested here";
    claims_intro: "글의 주장 하나하나를 이 브라우저에서 여러 시드로 돌려 보는 실험으로 바꿨습니다. 결과는 이 모델과 이 데이터에서 측정한 값이고, 주장에 따라 성립하기도, 조건에 따라 다르기도, 성립하지 않기도 합니다.",
        "Each of the post's claims becomes an experiment run here, in this browser, over several seeds. The results are what this model on this data shows: some claims hold, some depend, some do not.";
    claim_run: "실행", "Run";
    claim_cancel: "취소", "Cancel";
    claim_open: "실험실에서 열기", "Open in the lab";
    claims_run_all: "모두 실행", "Run all";
    claims_copy_markdown: "결과를 Markdown으로 복사", "Copy results as Markdown";
    claims_markdown: "복사되는 Markdown", "The Markdown that gets copied";
    claim_running: "실행 {} / {} 끝남", "{} of {} runs done";
    claim_queued: "앞 카드가 끝나면 시작합니다.", "Starts when the card before it ends.";
    claim_done: "{}초 걸림", "took {} s";
    claim_cancelled: "취소됨", "Cancelled";
    claim_no_verdict: "판정할 수 없음: 끝나지 않은 실행이 있거나 비교할 시드가 부족합니다.", "No verdict: a run did not finish, or too few seeds to compare.";
    claim_rule: "이 카드의 기준", "This card's threshold";
    claim_slope_label: "로그–로그 그래프: 배치 사이즈에 따른 마지막 에폭 배치 손실의 흩어짐, 맞춘 직선과 기울기 −1/2 기준선", "Log–log chart: the spread of the last epoch's batch losses against the batch size, the fitted line and the reference slope −1/2";
    claim_slope_measured: "측정한 기울기 {} (실선, 시드 평균)", "measured slope {} (solid line, mean over seeds)";
    claim_slope_reference: "표본 평균만의 효과라면 −1/2 (점선)", "sampling alone: −1/2 (dashed)";
    claim_slope_points: "점: 시드들의 기하 평균", "dots: the seeds' geometric mean";
    claim_why: "왜", "Why";
    claim_arm_accuracy: "마지막 검증 정확도 평균 {}", "mean final validation accuracy {}";
    claim_wasm_memory: "작업자의 wasm 메모리(측정): {}", "the workers' wasm memory (measured): {}";

    // Export
    section_export: "내보내기", "Export";
    export_csv: "CSV 내려받기", "Download CSV";
    export_json: "JSON 내려받기 (Keras history)", "Download JSON (Keras history)";
    export_png: "차트 PNG 내려받기", "Download charts (PNG)";
    export_help: "CSV와 JSON은 에폭이 하나 끝나면, 차트 그림은 첫 업데이트 뒤에 내려받을 수 있습니다.",
        "CSV and JSON become available after the first epoch, the chart images after the first update.";
    export_failed: "내려받지 못했습니다 ({}).", "Could not download ({}).";

    // Presets (the post's examples), first visit, explanations
    preset: "글의 예제", "Examples from the post";
    preset_custom: "직접 정한 설정", "Your own settings";
    preset_keras: "Keras 예제 (MNIST, 배치 32)", "Keras example (MNIST, batch 32)";
    preset_calc200: "200 / 20 = 10", "200 / 20 = 10";
    preset_calc1000: "1000 / 50 = 20 (업데이트 400번)", "1000 / 50 = 20 (400 updates)";
    preset_group_batch: "작은 배치 vs 큰 배치", "Small vs large batch";
    preset_small_batch: "작은 배치 (8)", "Small batch (8)";
    preset_large_batch: "큰 배치 (256)", "Large batch (256)";
    preset_pytorch: "PyTorch 예제 (randn, DataLoader)", "PyTorch example (randn, DataLoader)";
    preset_group_lr: "배치와 학습률", "Learning rate with the batch";
    preset_linear_scaling: "선형 스케일링 (배치 256 → 0.008)", "Linear scaling (batch 256 → 0.008)";
    preset_warmup: "워밍업 (0.0001 → 0.001, 3 에폭)", "Warm-up (0.0001 → 0.001, 3 epochs)";
    first_visit: "처음이신가요? [학습]을 눌러 글의 Keras 예제(배치 {}, {} 에폭)를 돌려 보고, 배치 사이즈를 8로 바꿔 한 번 더 학습한 뒤 두 손실 곡선을 비교해 보세요.",
        "New here? Press Train to run the post's Keras example (batch {}, {} epochs), then set the batch size to 8, train again and compare the two loss curves.";
    first_visit_link: "처음이신가요? [학습]을 눌러 이 링크의 설정으로 학습해 보고, 배치 사이즈를 바꿔 한 번 더 학습한 뒤 두 손실 곡선을 비교해 보세요. [한 스텝]은 가중치를 한 번만 업데이트합니다.",
        "New here? Press Train to run this link's settings, then change the batch size, train again and compare the two loss curves. Step makes a single weight update.";
    explain_toggle: "무엇을 보고 있나요?", "What am I looking at?";
    explain_controls: "학습 전에 정하는 설정입니다: 데이터, 학습 데이터 수 N, 배치 사이즈 B, 에폭, 모델. 하나를 바꾸면 같은 시드로 처음부터 다시 학습하므로 그 설정 하나의 효과만 비교할 수 있습니다.",
        "The settings fixed before training: the data, N, the batch size B, epochs and the model. Changing one starts over with the same seed, so you see the effect of that one setting.";
    explain_anatomy: "N개의 데이터를 B개씩 나누면 1 에폭에 가중치를 몇 번 업데이트하는지(N / B), 전체 학습에서 모두 몇 번인지(에폭 × 업데이트)를 보여 줍니다. 막대는 이번 에폭과 전체 학습이 얼마나 진행됐는지입니다.",
        "How many weight updates one epoch makes when N samples are cut into batches of B (N / B), and how many the whole run makes (epochs × updates). The bars show how far this epoch and the run have got.";
    explain_charts: "왼쪽은 손실, 오른쪽은 정확도입니다. 들쭉날쭉한 선(뒤의 옅은 띠는 그 범위)은 배치마다의 값으로, 작은 배치일수록 더 들쭉날쭉합니다. 표시(●▲…)가 달린 선은 에폭 평균, 점선과 네모는 학습에 쓰지 않은 검증 데이터의 값입니다. 실행은 색과 표시로 구별합니다.",
        "Loss on the left, accuracy on the right. The jagged line (its range as a light band behind it) is each batch's value, jumpier for small batches; the line with markers (●▲…) is the epoch mean, the dashed line with squares the validation data the net never trains on. Runs are told apart by colour and marker.";
    explain_runs: "설정을 바꿔 다시 학습한 실행들이 차트에 겹쳐 남습니다. 실행마다 무엇이 달랐는지 이름에 적혀 있습니다.",
        "Runs trained with other settings stay on the charts for comparison; each is named by what differed.";
    explain_batch: "방금 가중치를 한 번 업데이트할 때 쓴 배치입니다. 숫자 그림(또는 점)마다 정답과 모델의 예측이 있습니다.",
        "The batch the last weight update used: each digit (or point) with its label and the net's prediction.";
    explain_sweep: "같은 설정에서 배치 사이즈만 바꿔 여러 번 학습하고, 목표 정확도까지 가중치 업데이트와 샘플이 각각 몇 번, 몇 개 필요했는지 비교합니다.",
        "Trains the same setup at several batch sizes and compares how many updates and samples each needed to reach the target accuracy.";
    explain_export: "지금 실행의 기록을 내려받습니다: 에폭마다의 손실과 정확도(CSV, Keras의 history와 같은 JSON)와 차트 그림입니다.",
        "Downloads the current run's record: loss and accuracy per epoch (CSV, and JSON shaped like Keras' history) and the charts as images.";
    explain_code: "지금 설정을 그대로 재현하는 Keras와 PyTorch 코드입니다. 설정을 바꾸면 코드의 batch_size, epochs 등도 함께 바뀝니다.",
        "Keras and PyTorch code that reproduces the current settings; change a setting and batch_size, epochs and the rest change with it.";
    explain_guide: "글의 배치 사이즈 선택 가이드와 에폭 어림값입니다. 지금 N이 속한 줄이 표시되어 있고, 숫자를 누르면 그 값으로 바뀝니다.",
        "The post's batch-size guide and a rule of thumb for epochs. The row for the current N is marked; press a number to use it.";

    // The code mirror panel
    section_code: "이 설정을 코드로", "This setup as code";
    code_tabs: "프레임워크", "Framework";
    code_tab_keras: "Keras (TensorFlow)", "Keras (TensorFlow)";
    code_tab_pytorch: "PyTorch", "PyTorch";
    copy_code: "코드 복사", "Copy code";

    // The batch-size and epoch guide
    section_guide: "배치 사이즈·에폭 가이드", "Batch size and epoch guide";
    guide_batch_caption: "글의 배치 사이즈 선택 가이드", "The post's batch-size guide";
    guide_epoch_caption: "에폭 어림값 (글에는 없는 표: 이 앱의 제안)", "Epochs, a rule of thumb (not in the post: this app's suggestion)";
    guide_col_size: "데이터셋 크기", "Data set size";
    guide_col_batch: "권장 배치 사이즈", "Recommended batch size";
    guide_col_epochs: "에폭", "Epochs";
    guide_small: "작음 (< 1,000)", "Small (< 1,000)";
    guide_medium: "중간 (1,000–10,000)", "Medium (1,000–10,000)";
    guide_large: "큼 (> 10,000)", "Large (> 10,000)";
    guide_reason_small_batch: "데이터가 적어도 배치가 작으면 에폭마다 가중치를 여러 번 업데이트합니다.", "Small batches still give several updates per epoch on little data.";
    guide_reason_medium_batch: "업데이트 횟수와 안정적인 그래디언트 사이의 균형입니다.", "A balance between frequent updates and a steady gradient.";
    guide_reason_large_batch: "데이터가 많으면 배치가 커도 업데이트 횟수가 충분하고, GPU를 효율적으로 씁니다.", "With plenty of data, large batches still update often and use a GPU well.";
    guide_reason_small_epochs: "에폭당 업데이트가 적어(200 / 20 = 10) 에폭을 많이 돌립니다.", "Few updates per epoch (200 / 20 = 10), so many epochs.";
    guide_reason_medium_epochs: "글의 예: MNIST 8,000개는 10 에폭, 1,000개는 20 에폭.", "The post's examples: 8,000 MNIST digits for 10 epochs, 1,000 samples for 20.";
    guide_reason_large_epochs: "에폭마다 업데이트가 많아 몇 에폭만으로 충분한 경우가 많습니다.", "Each epoch already makes many updates; a few epochs often suffice.";
    guide_current_n: "지금 N = {}", "Current N = {}";
    guide_clamped: "{} → {} (N)", "{} → {} (N)";
    guide_set_batch: "배치 사이즈를 {}(으)로", "Set the batch size to {}";
    guide_set_epochs: "에폭을 {}(으)로", "Set the epochs to {}";

    // The code mirror's comments (inside the generated Python; the post's own wording in Korean)
    code_data: "데이터 준비", "Prepare the data";
    code_model: "모델 생성", "Build the model";
    code_train: "학습", "Train";
    code_batch_size: "배치 사이즈", "batch size";
    code_epochs: "에폭 수", "number of epochs";
    code_dataloader: "데이터셋 및 데이터로더 생성", "Dataset and DataLoader";
    code_loop: "학습 루프", "Training loop";
    code_forward: "Forward pass", "Forward pass";
    code_backward: "Backward pass", "Backward pass";
    code_validation: "검증: 에폭이 끝난 가중치로", "Validation, with the weights at the end of the epoch";
    code_validation_data: "검증 데이터 (학습에 쓰지 않음)", "Validation data (never trained on)";
    code_sizes: "학습 {}개 + 검증 {}개", "{} training + {} validation samples";
    code_sizes_no_validation: "학습 {}개 (검증 없음)", "{} training samples (no validation)";
    code_toy_note: "{}: 이 앱이 만드는 2차원 점과 같은 모양 (같은 점은 아님), 클래스는 번갈아 가며", "{}: the same shape as the app's 2-D points (not the same points), classes interleaved";
    code_lr_linear_scaling: "큰 배치 사이즈 사용 시 learning rate도 증가", "With a larger batch size, a larger learning rate too";
    code_lr_sqrt_scaling: "큰 배치 사이즈 사용 시 learning rate도 증가 (제곱근 규칙)", "With a larger batch size, a larger learning rate too (square-root rule)";
    code_lr_warmup: "처음에는 작은 learning rate로 시작", "Start with a small learning rate";
    code_lr_per_update: "업데이트마다의 learning rate (이 앱과 같은 식)", "The learning rate of every update (the app's formula)";
    code_lr_floor: "마지막 업데이트의 learning rate = alpha × 최고값", "the last update's rate = alpha × the peak";
    code_lr_function: "업데이트 step(1, 2, 3, ...)의 learning rate", "The learning rate of update step (1, 2, 3, ...)";
    code_lr_keras_callback: "업데이트마다 learning rate를 정하는 콜백", "A callback that sets the learning rate before every update";
    code_lr_pytorch_scheduler: "LambdaLR: {}에 곱하는 비율, 업데이트마다 step()", "LambdaLR: the factor applied to {}, stepped after every update";

    // Faults: a failed MNIST download, a worker that stopped
    retry: "다시 시도", "Retry";
    mnist_retry_hint: "[다시 시도]를 누르거나 다른 데이터셋을 고르세요.", "Press Retry, or choose another data set.";
    mnist_not_found: "서버에 MNIST 파일이 없습니다: HTTP {}", "the server does not have the MNIST file: HTTP {}";
    mnist_http: "서버가 오류로 답했습니다: HTTP {}", "the server answered with an error: HTTP {}";
    mnist_network: "내려받는 도중 연결이 끊겼습니다. 인터넷 연결을 확인하세요", "the download was interrupted; check the internet connection";
    mnist_damaged: "내려받은 파일이 잘렸거나 손상되었습니다", "the downloaded file is incomplete or damaged";
    worker_fault_crashed: "오류로 멈춤", "it crashed";
    worker_fault_silent: "응답 없음", "it stopped answering";
    status_worker_restarting: "학습이 멈췄습니다({}). 다시 시작하는 중… 지금까지의 실행 기록은 그대로 남습니다.", "The trainer stopped ({}). Starting a fresh one… Your runs so far are kept.";
    status_worker_gave_up: "학습이 거듭 멈췄습니다({}). 설정을 바꾸거나 [학습]을 눌러 다시 시도하세요.", "The trainer keeps stopping ({}). Change a setting or press Train to try again.";
    status_worker_download: "학습기 파일을 내려받지 못해 학습을 시작할 수 없습니다({}). 연결을 확인하고 [다시 시도]를 누르세요.", "The trainer could not be downloaded ({}). Check the connection and press Retry.";
    worker_download_missing: "서버에 학습기 파일이 없습니다: HTTP {}", "the server does not have the trainer's files: HTTP {}";
    worker_download_network: "서버에 연결할 수 없습니다", "the server could not be reached";
    status_worker_restarted: "준비됨 · 학습이 멈춰서({}) 다시 시작했습니다. 실행 기록은 그대로 있습니다.", "Ready · the trainer had stopped ({}) and was restarted; your runs are kept.";

    // A pace a class can watch; the sweep's runs as one group
    speed_epoch: "초당 1 에폭", "1 epoch/s";
    run_label_sweep: "스윕 {}", "sweep {}";
    runs_group_sweep: "스윕 실행 {}개 · B = {}–{}", "Sweep: {} runs · B = {}–{}";
    sweep_noise_marker: "B_noise ≈ {} (B = {} 실행의 {}번째 업데이트에서 측정)", "B_noise ≈ {} (measured by the B = {} run at update {})";
    sweep_noise_marker_last: "B_noise ≈ {} (B = {} 실행의 마지막 업데이트에서 측정)", "B_noise ≈ {} (measured by the B = {} run at its last update)";

    // The sweep over seeds, to the target (issue 22)
    sweep_mode: "측정 방식", "Measure";
    // Short enough for a 375 px wide menu (the budget's hint under it says what each does).
    sweep_mode_target: "B마다 목표까지 학습", "Each B to the target";
    sweep_mode_epochs: "같은 에폭 수만큼 학습", "Same epochs for every B";
    sweep_seeds: "B마다 시드 수", "Seeds per B";
    sweep_budget: "예산 (에폭)", "Budget (epochs)";
    sweep_budget_target: "실행마다 목표에 이르면 멈추고, 못 이르면 이 에폭 수에서 멈춥니다.", "Each run stops at the target, or after this many epochs.";
    sweep_budget_epochs: "모든 B가 이 에폭 수만큼 학습합니다.", "Every B trains this many epochs.";
    sweep_col_reached: "목표에 이른 시드", "Seeds at target";
    sweep_cell_at_least: "{} 이상 (못 이름)", "≥ {} (not reached)";
    sweep_table_note: "B마다 시드 {}개: 중앙값 (목표에 이른 시드의 최솟값–최댓값). 목표까지의 값은 목표를 넘긴 검증 지점과 그 앞 지점 사이를 로그 스케일로 보간했습니다.",
        "{} seeds per B: the median (lowest–highest over the seeds that reached the target). Values to the target are interpolated (log-linear) between the validation points around the crossing.";
    sweep_no_fit_starved: "배치 사이즈 {}개의 시드 중앙값이 {} 에폭 안에 목표 정확도 {}에 이르지 못했습니다. 차트에는 하한(▲)으로 표시했고, 나머지만으로 곡선을 맞추면 목표에 이른 배치 쪽으로 치우치므로 맞추지 않았습니다. '목표까지 학습'으로 재 보세요.",
        "{} batch sizes did not reach the target within {} epochs (median over seeds, target {}). The chart marks them as lower bounds (▲); a curve fitted to the others alone would be biased towards the sizes that got there, so none is drawn. Measure 'to the target' instead.";
    sweep_b_crit_interval: "(95 % 구간 {}–{}: 시드를 다시 뽑는 부트스트랩 {}회)", "(95 % interval {}–{}: bootstrap over seeds, {} resamples)";
    sweep_series_lower: "목표에 못 이름: 하한", "Not reached: lower bound";

    // The sweep view (issue 23): its settings and notes folded once a sweep has started
    sweep_settings_line: "설정: B = {} · 목표 {} · B마다 시드 {}개 · 예산 {} 에폭", "Settings: B = {} · target {} · {} seeds per B · budget {} epochs";
    sweep_notes: "이 숫자를 읽는 법", "How to read these numbers";

    // The race view (issue 23): small against large batch, two runs at once
    race_lead: "같은 시드로 작은 배치와 큰 배치를 동시에 학습합니다. 가로축이 업데이트면 업데이트 한 번에 누가 더 내려가는지, 에폭이면 같은 데이터를 보고 누가 앞서는지 보세요.", "The same seed trained with a small and a large batch at once. On the updates axis, see which gains more per update; on the epochs axis, which is ahead for the same data seen.";
    race_entry: "에폭당 업데이트 {}번 · 지금까지 {}번", "{} updates per epoch · {} so far";
    race_batch_size: "B =", "B =";

    // Seed repeats (issue 22): one setting trained with several seeds as one group
    seeds: "시드 반복 횟수", "Seeds (repeats)";
    seeds_hint: "학습을 누르면 시드 s, s+1, …를 동시에 학습해 결과가 시드에 따라 얼마나 달라지는지 보여 줍니다.",
        "Train runs seeds s, s+1, … at once, to show how much the result depends on the seed.";
    runs_group_seeds: "시드 {}개: {}", "{} seeds: {}";
    runs_group_accuracy: "검증 정확도 {} ± {}", "validation accuracy {} ± {}";
    runs_group_loss: "검증 손실 {} ± {}", "validation loss {} ± {}";
    runs_group_gap: "일반화 격차 {} ± {}%p", "generalisation gap {} ± {} points";
    runs_group_each: "시드별 보기", "Each seed";
    runs_group_waiting: "시드 {}개 학습 중", "{} seeds training";
    chart_band_min_max: "띠: 시드별 최솟값–최댓값 · 선: 평균", "band: lowest to highest seed · line: mean";

    // Compare two groups of seeded runs (issue 22; src/comparison.rs, src/ui/compare_panel.rs)
    section_compare: "두 그룹 비교", "Compare two groups";
    explain_compare: "두 그룹을 골라 마지막 검증 정확도의 차이가 시드만 바꿔도 생기는 흔들림보다 큰지 봅니다. 같은 시드로 학습한 그룹끼리는 시드별로 짝지어 비교합니다.",
        "Pick two groups: is the difference in final validation accuracy more than changing the seed alone would make? Groups trained on the same seeds are compared seed by seed.";
    cmp_group_a: "그룹 A", "Group A";
    cmp_group_b: "그룹 B", "Group B";
    cmp_need_two: "비교하려면 설정을 하나 바꿔 두 번 학습해 보세요 (예: 배치 사이즈 8과 512). 끝난 실행이 여기에 그룹으로 나옵니다.",
        "To compare, train two settings (for example batch size 8, then 512). Finished runs appear here as groups.";
    cmp_same_group: "서로 다른 두 그룹을 고르세요.", "Pick two different groups.";
    cmp_higher: "{}이(가) {}보다 {}%p 높게 끝납니다", "{} ends above {} by {} points";
    cmp_lower: "{}이(가) {}보다 {}%p 낮게 끝납니다", "{} ends below {} by {} points";
    cmp_level: "{}과(와) {}의 마지막 검증 정확도가 같습니다", "{} ends level with {}";
    cmp_interval: "(95% 신뢰구간 {} ~ {}, {})", "(95 % CI {} to {}, {})";
    cmp_seeds_each: "시드 각 {}개", "{} seeds each";
    cmp_seeds_both: "시드 {}개와 {}개", "{} and {} seeds";
    cmp_real: "{} {}: 시드에 따른 흔들림보다 큽니다.", "{} {}: more than seed-to-seed noise.";
    cmp_noise: "{} {}: 시드에 따른 흔들림 안에 있습니다.", "{} {}: within seed-to-seed noise.";
    cmp_one_seed: "{}. 하지만 시드 하나로는 설정 때문인지 시드 때문인지 알 수 없습니다. 설정마다 시드를 여러 개로 학습해 보세요.",
        "{}, but one seed cannot tell whether that is the setting or the seed: train each setting with several seeds.";
    cmp_test_paired: "검정: 시드별 대응 t검정 (같은 시드끼리 짝지음).", "Test: paired on seeds (paired t-test).";
    cmp_test_welch: "검정: 웰치 t검정 (시드가 달라 짝짓지 않음).", "Test: Welch's t-test (the seeds differ, so no pairs).";
    cmp_accuracy: "검증 정확도 A − B", "Validation accuracy A − B";
    cmp_loss: "검증 손실 A − B", "Validation loss A − B";
    cmp_points: "{}%p", "{} points";
    cmp_ci: "95% 신뢰구간 {} ~ {}", "95 % CI {} to {}";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_text_in_both_languages_with_matching_placeholders() {
        for (key, ko, en) in table() {
            assert!(!ko.trim().is_empty(), "{key}: Korean text is empty");
            assert!(!en.trim().is_empty(), "{key}: English text is empty");
            assert_eq!(
                ko.matches("{}").count(),
                en.matches("{}").count(),
                "{key}: placeholders differ"
            );
        }
    }

    /// Every string is shown somewhere: each key is read as `.key` in some file of `src/`
    /// besides this one (the interface reads them as `t().key`; it compiles for wasm32 only,
    /// so a key it alone uses would not warn natively, and one nobody uses never warns).
    #[test]
    fn every_key_is_used_outside_this_file() {
        fn sources(dir: &std::path::Path, out: &mut String) {
            for entry in std::fs::read_dir(dir).expect("src/ is readable") {
                let path = entry.expect("a directory entry").path();
                if path.is_dir() {
                    sources(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && path.file_name().is_some_and(|n| n != "i18n.rs")
                {
                    out.push_str(&std::fs::read_to_string(&path).expect("a source file"));
                }
            }
        }
        let mut code = String::new();
        sources(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut code,
        );
        let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
        let unused: Vec<&str> = table()
            .into_iter()
            .map(|(key, _, _)| key)
            .filter(|key| {
                let needle = format!(".{key}");
                !code
                    .match_indices(&needle)
                    .any(|(i, _)| !code[i + needle.len()..].starts_with(is_ident))
            })
            .collect();
        assert!(unused.is_empty(), "strings no code reads: {unused:?}");
    }

    /// A particle after a value the page fills in is written as its pair (`{}은(는)`,
    /// `{}(으)로`, …) so that [`fill`] picks the form; one form alone (`{}는`) is right for
    /// some numbers only.
    #[test]
    fn korean_particles_after_a_placeholder_are_pairs() {
        const FORMS: [&str; 10] = ["은", "는", "이", "가", "을", "를", "와", "과", "로", "으로"];
        for (key, ko, _) in table() {
            for (i, _) in ko.match_indices("{}") {
                // (After `({})` the particle goes with the word before the bracket, which
                // the template holds: `학습률({})이`.)
                let rest = &ko[i + 2..];
                if Particle::find(rest).is_some() {
                    continue;
                }
                // A particle is a whole word: the form followed by a space or punctuation.
                let fixed = FORMS.iter().find(|f| {
                    rest.strip_prefix(**f).is_some_and(|after| {
                        after.is_empty() || after.starts_with([' ', ',', '.', ':', ')'])
                    })
                });
                assert!(fixed.is_none(), "{key}: `{{}}{}` in {ko:?}", fixed.unwrap());
            }
        }
    }

    #[test]
    fn fill_picks_the_particle_for_the_number() {
        assert_eq!(fill(KO.guide_set_batch, &["8"]), "배치 사이즈를 8로");
        assert_eq!(fill(KO.guide_set_batch, &["32"]), "배치 사이즈를 32로");
        assert_eq!(fill(KO.guide_set_batch, &["256"]), "배치 사이즈를 256으로");
        assert_eq!(fill(KO.guide_set_epochs, &["20"]), "에폭을 20으로");
        assert!(fill(KO.noise_near, &["256"]).starts_with("B = 256은 "));
        assert!(fill(KO.noise_near, &["32"]).starts_with("B = 32는 "));
        assert!(fill(KO.noise_near, &["20"]).starts_with("B = 20은 "));
        assert!(fill(KO.noise_near, &["8"]).starts_with("B = 8은 "));
        // English has no pairs: filled as is.
        assert_eq!(
            fill(EN.guide_set_batch, &["256"]),
            "Set the batch size to 256"
        );
        // Missing arguments leave the pair readable.
        assert_eq!(fill("{}(으)로", &[]), "(으)로");
    }

    #[test]
    fn negotiation_and_tags() {
        assert_eq!(Lang::negotiate(["fr-FR", "en-US", "ko"]), Lang::En);
        assert_eq!(Lang::negotiate(["ko-KR"]), Lang::Ko);
        assert_eq!(Lang::negotiate(["de"]), Lang::Ko);
        assert_eq!(Lang::from_tag("EN_gb"), Some(Lang::En));
        assert_eq!(Lang::from_tag(""), None);
    }

    #[test]
    fn numbers_and_templates() {
        assert_eq!(Lang::Ko.int(8000), "8,000");
        assert_eq!(Lang::En.int(1_000_000), "1,000,000");
        assert_eq!(Lang::En.int(999), "999");
        assert_eq!(fill("{} / {} = {}", &["200", "20", "10"]), "200 / 20 = 10");
        assert_eq!(fill(KO.status_epoch, &["3", "10"]), "에폭 3/10");
    }
}
