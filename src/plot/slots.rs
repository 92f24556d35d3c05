//! Which colour and marker each kept run is drawn with, as plain numbers (the palette and
//! the marker shapes themselves are the charts': `ui::charts::theme::RUN_COLOURS` and
//! `ui::charts::draw::Marker`, sized by [`PALETTE`] and [`MARKERS`]).
//!
//! A run keeps its slot for its life, so a curve never changes colour when another run comes
//! or goes. The student's runs take slots `0..MAX_RUNS` and a sweep's runs
//! `MAX_RUNS..MAX_VISIBLE` ([`crate::history::MAX_RUNS`], [`crate::history::MAX_SWEEP_SIZES`]), so both can be on
//! the charts at once; every slot in that range has its own colour-and-marker pair
//! ([`colour_index`], [`marker_index`]), and a new run takes the free slot whose colour the
//! kept runs use least ([`pick`]), so a sweep next to two student runs first uses the six
//! colours they do not.

/// Colours in the run palette.
pub const PALETTE: usize = 8;
/// Marker shapes.
pub const MARKERS: usize = 8;

/// The palette colour of slot `slot`.
pub fn colour_index(slot: usize) -> usize {
    slot % PALETTE
}

/// The marker of slot `slot`: the colour's index shifted by one for each round of the
/// palette, so slots `0..PALETTE × MARKERS` all differ in colour or marker (a Latin square).
pub fn marker_index(slot: usize) -> usize {
    (slot % PALETTE + slot / PALETTE) % MARKERS
}

/// The slot for a new run among `range`, where `used` are the kept runs' slots: a free one
/// whose colour the fewest kept runs have (the lowest such slot); `None` when none is free.
pub fn pick(range: std::ops::Range<usize>, used: &[usize]) -> Option<usize> {
    range.filter(|s| !used.contains(s)).min_by_key(|&s| {
        let sharing = used
            .iter()
            .filter(|&&u| colour_index(u) == colour_index(s))
            .count();
        (sharing, s)
    })
}

// Every slot that can be visible at once has its own pair.
const _: () = assert!(crate::history::MAX_VISIBLE <= PALETTE * MARKERS);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_slot_that_can_be_visible_has_its_own_pair() {
        let mut pairs: Vec<(usize, usize)> = (0..PALETTE * MARKERS)
            .map(|s| (colour_index(s), marker_index(s)))
            .collect();
        assert!(pairs.iter().all(|&(c, m)| c < PALETTE && m < MARKERS));
        pairs.sort();
        pairs.dedup();
        assert_eq!(pairs.len(), PALETTE * MARKERS, "a Latin square");
        // The student's first slots keep their old look: colour i with marker i.
        for s in 0..PALETTE {
            assert_eq!((colour_index(s), marker_index(s)), (s, s));
        }
    }

    #[test]
    fn a_new_run_takes_a_colour_nobody_uses_when_there_is_one() {
        assert_eq!(pick(0..8, &[]), Some(0));
        assert_eq!(pick(0..8, &[0, 1]), Some(2));
        // A sweep beside student runs in slots 0 and 1 takes colours 2..8 first.
        let mut used = vec![0, 1];
        let mut colours = Vec::new();
        for _ in 0..8 {
            let s = pick(8..16, &used).expect("room in the group");
            colours.push(colour_index(s));
            used.push(s);
        }
        assert_eq!(colours, [2, 3, 4, 5, 6, 7, 0, 1]);
        assert_eq!(pick(8..16, &used), None, "the group is full");
    }
}
