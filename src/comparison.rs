//! Two groups of seeded runs side by side: what a comparison needs to know of each group.
//!
//! This module is the meeting point of the run history (which forms the groups, see
//! [`crate::history`]) and the comparison panel (which tests them with
//! [`crate::stats::compare`]): the history hands over [`GroupFinals`], nothing else, so the
//! panel and its tests never depend on how runs are stored.

use crate::worker::protocol::RunId;

/// One seed's run of a group, as it ended.
#[derive(Clone, Debug, PartialEq)]
pub struct SeedFinal {
    pub seed: u64,
    /// Final validation accuracy, in percentage points (95.3, not 0.953).
    pub val_accuracy: f64,
    /// Final validation loss.
    pub val_loss: f64,
}

/// A group of runs that differ only in their seed, as a comparison sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupFinals {
    /// The group's id (its first run's id): stable for the group's life.
    pub group: RunId,
    /// The group's name in the run list.
    pub label: String,
    /// The seeds that finished, in seed order (seeds still training are not here).
    pub seeds: Vec<SeedFinal>,
}
