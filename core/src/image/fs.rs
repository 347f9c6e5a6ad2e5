//! The layers stacked: dive's efficiency figures, drydock's reclaimable
//! bytes, and the final filesystem the file checks judge.
//!
//! dive's definitions (dive/filetree/efficiency.go, reproduced, not copied):
//! each layer is a tree; only its *leaf* paths count; per path keep the sum
//! of its sizes over all layers and the smallest; a file whiteout counts 0,
//! a directory whiteout the size of what lay below it in the layers before;
//! `.wh..wh..opq` is ignored. Efficiency = Σ smallest / Σ sums (1 when the
//! sum is 0); wasted bytes = Σ sums of paths seen in two layers or more.
//!
//! dive never counts a deleted directory whose lower copy had children (the
//! directory is no leaf below, and seen once above), so drydock adds
//! **reclaimable bytes**: every byte stored in some layer that the final
//! filesystem does not show — overwritten, deleted by a whiteout or hidden
//! by an opaque directory — attributed to the path where it was hidden.

use std::collections::HashMap;

use serde::Serialize;

use super::paths::{NodeId, PathTable, ROOT};
use super::reader::{LayerSummary, Record, flag};

/// A path whose hidden bytes could be reclaimed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WastedPath {
    pub path: String,
    /// Bytes stored in layers that the final image does not show.
    pub bytes: u64,
}

/// The stacked figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Efficiency {
    pub efficiency: f64,
    pub size_bytes: u64,
    pub user_size_bytes: u64,
    pub wasted_bytes: u64,
    /// dive's `wastedUserPercent`: wasted ÷ user size, a fraction (0.48 is
    /// 48 %); `None` when the user layers are empty.
    pub user_wasted_percent: Option<f64>,
    pub reclaimable_bytes: u64,
    pub top_wasted: Vec<WastedPath>,
}

/// What the final filesystem holds at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visible {
    /// The image layer (0-based) that wrote it.
    pub layer: usize,
    pub flags: u16,
    pub size: u64,
}

/// A path is in the stacked tree (a bit no record flag uses).
const PRESENT: u16 = 1 << 15;

/// Per-path state of a stacked tree: 10 bytes a path, 12 with layers.
#[derive(Debug, Clone, Default)]
struct Stack {
    /// Record flags, and [`PRESENT`].
    flags: Vec<u16>,
    size: Vec<u64>,
    /// The layer that wrote each path; empty when not tracked.
    layer: Vec<u16>,
}

impl Stack {
    fn new(n: usize, layers: bool) -> Self {
        Stack {
            flags: vec![0; n],
            size: vec![0; n],
            layer: if layers { vec![0; n] } else { Vec::new() },
        }
    }

    fn is_present(&self, id: NodeId) -> bool {
        self.flags
            .get(id as usize)
            .is_some_and(|f| f & PRESENT != 0)
    }

    fn has(&self, id: NodeId, flag: u16) -> bool {
        self.flags.get(id as usize).is_some_and(|f| f & flag != 0)
    }

    fn set(&mut self, id: NodeId, size: u64, flags: u16, layer: u32) {
        let i = id as usize;
        if let (Some(f), Some(s)) = (self.flags.get_mut(i), self.size.get_mut(i)) {
            *f = flags | PRESENT;
            *s = size;
        }
        if let Some(l) = self.layer.get_mut(i) {
            *l = u16::try_from(layer).unwrap_or(u16::MAX);
        }
    }

    /// Marks the ancestors of `id` present: implicit directories of size 0
    /// with `flags` (dive's `AddPath` gives them an empty payload, not even
    /// `IsDir`).
    fn add_parents(&mut self, paths: &PathTable, id: NodeId, flags: u16, layer: u32) {
        let mut at = paths.parent(id);
        while let Some(p) = at {
            if self.is_present(p) {
                break;
            }
            self.set(p, 0, flags, layer);
            at = paths.parent(p);
        }
    }

    /// The bytes at and below `id`; with `remove`, they leave the tree.
    fn walk(&mut self, paths: &PathTable, id: NodeId, remove: bool) -> u64 {
        let mut total = 0u64;
        let mut todo = vec![id];
        while let Some(at) = todo.pop() {
            let i = at as usize;
            if !self.is_present(at) {
                continue;
            }
            if remove && let Some(f) = self.flags.get_mut(i) {
                *f &= !PRESENT;
            }
            total = total.saturating_add(self.size.get(i).copied().unwrap_or(0));
            todo.extend(paths.children(at));
        }
        total
    }
}

/// dive's per-path tallies: the sum of a path's sizes, the smallest, and
/// in how many layers it was seen (2 means "more than once").
#[derive(Debug, Clone, Default)]
struct Tally {
    sum: Vec<u64>,
    min: Vec<u64>,
    seen: Vec<u8>,
}

/// The stacked layers: figures and the final filesystem.
#[derive(Debug, Clone)]
pub struct Stacked {
    pub efficiency: Efficiency,
    final_state: Stack,
}

impl Stacked {
    /// What the final filesystem has at `id`.
    pub fn visible(&self, id: NodeId) -> Option<Visible> {
        let i = id as usize;
        if !self.final_state.is_present(id) || id == ROOT {
            return None;
        }
        Some(Visible {
            layer: usize::from(self.final_state.layer.get(i).copied().unwrap_or(0)),
            flags: self.final_state.flags.get(i).copied().unwrap_or(0) & !PRESENT,
            size: self.final_state.size.get(i).copied().unwrap_or(0),
        })
    }

    /// Every path of the final filesystem.
    pub fn all_visible(&self) -> impl Iterator<Item = (NodeId, Visible)> + '_ {
        (1..self.final_state.flags.len()).filter_map(|i| {
            let id = NodeId::try_from(i).ok()?;
            Some((id, self.visible(id)?))
        })
    }
}

/// How many wasted paths are listed.
pub const TOP_WASTED: usize = 20;

/// Stacks `layers` (in image order) over the paths they name.
pub fn stack(paths: &PathTable, layers: &[&LayerSummary]) -> Stacked {
    let n = paths.len();
    let mut dive = Stack::new(n, false);
    let mut real = Stack::new(n, true);
    let mut tally = Tally {
        sum: vec![0; n],
        min: vec![u64::MAX; n],
        seen: vec![0; n],
    };
    let mut wasted_nodes: Vec<NodeId> = Vec::new();
    let mut hidden: HashMap<NodeId, u64> = HashMap::new();
    // Per node: the layer (1-based) in which it has a child entry, and the
    // layer and index of its last non-whiteout record.
    let mut has_child = vec![0u32; n];
    let mut last_layer = vec![0u32; n];
    let mut last_index = vec![0u32; n];
    let mut size_bytes = 0u64;
    let mut user_size_bytes = 0u64;

    for (li, layer) in layers.iter().enumerate() {
        let tag = u32::try_from(li + 1).unwrap_or(u32::MAX);
        let layer_no = u32::try_from(li).unwrap_or(u32::MAX);
        size_bytes = size_bytes.saturating_add(layer.size_bytes);
        if li > 0 {
            user_size_bytes = user_size_bytes.saturating_add(layer.size_bytes);
        }
        let records: &[Record] = &layer.records;
        for (i, r) in records.iter().enumerate() {
            if r.flags & flag::OPAQUE != 0 {
                continue;
            }
            let at = r.node as usize;
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            if r.flags & flag::WHITEOUT == 0
                && let (Some(l), Some(x)) = (last_layer.get_mut(at), last_index.get_mut(at))
            {
                *l = tag;
                *x = i;
            }
            let mut up = paths.parent(r.node);
            while let Some(p) = up {
                match has_child.get_mut(p as usize) {
                    Some(h) if *h != tag => *h = tag,
                    _ => break,
                }
                up = paths.parent(p);
            }
        }
        // dive: visit the leaves of this layer's tree.
        for (i, r) in records.iter().enumerate() {
            if r.flags & flag::OPAQUE != 0 {
                continue;
            }
            let at = r.node as usize;
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            let whiteout = r.flags & flag::WHITEOUT != 0;
            if !whiteout && (last_index.get(at) != Some(&i) || has_child.get(at) == Some(&tag)) {
                continue;
            }
            let size = if whiteout {
                if dive.is_present(r.node) && dive.has(r.node, flag::DIR) {
                    dive.walk(paths, r.node, false)
                } else {
                    0
                }
            } else {
                r.size
            };
            if let (Some(sum), Some(min), Some(seen)) = (
                tally.sum.get_mut(at),
                tally.min.get_mut(at),
                tally.seen.get_mut(at),
            ) {
                *sum = sum.saturating_add(size);
                *min = (*min).min(size);
                if *seen == 1 {
                    wasted_nodes.push(r.node);
                }
                *seen = seen.saturating_add(1).min(2);
            }
        }
        // Stack this layer: deletions first, then additions.
        for r in records.iter().filter(|r| r.flags & flag::WHITEOUT != 0) {
            dive.walk(paths, r.node, true);
        }
        for (i, r) in records.iter().enumerate() {
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            if r.flags & (flag::WHITEOUT | flag::OPAQUE) != 0
                || last_index.get(r.node as usize) != Some(&i)
            {
                continue;
            }
            dive.set(r.node, r.size, r.flags, layer_no);
            dive.add_parents(paths, r.node, 0, layer_no);
        }
        // The real filesystem, for reclaimable bytes.
        for r in records.iter().filter(|r| r.flags & flag::OPAQUE != 0) {
            let children: Vec<NodeId> = paths.children(r.node).collect();
            for c in children {
                let gone = real.walk(paths, c, true);
                add(&mut hidden, r.node, gone);
            }
        }
        for r in records.iter().filter(|r| r.flags & flag::WHITEOUT != 0) {
            let gone = real.walk(paths, r.node, true);
            add(&mut hidden, r.node, gone);
        }
        for r in records
            .iter()
            .filter(|r| r.flags & (flag::WHITEOUT | flag::OPAQUE) == 0)
        {
            let at = r.node as usize;
            if real.is_present(r.node) {
                let old_dir = real.flags.get(at).is_some_and(|f| f & flag::DIR != 0);
                let gone = if old_dir && r.flags & flag::DIR == 0 {
                    real.walk(paths, r.node, true)
                } else {
                    real.size.get(at).copied().unwrap_or(0)
                };
                add(&mut hidden, r.node, gone);
            }
            real.set(r.node, r.size, r.flags, layer_no);
            real.add_parents(paths, r.node, flag::DIR, layer_no);
        }
    }

    let (mut smallest, mut discovered) = (0u64, 0u64);
    for (sum, min) in tally.sum.iter().zip(&tally.min) {
        discovered = discovered.saturating_add(*sum);
        if *min != u64::MAX {
            smallest = smallest.saturating_add(*min);
        }
    }
    let efficiency = if discovered == 0 {
        1.0
    } else {
        smallest as f64 / discovered as f64
    };
    let wasted_bytes = wasted_nodes
        .iter()
        .map(|&id| tally.sum.get(id as usize).copied().unwrap_or(0))
        .fold(0u64, u64::saturating_add);
    let mut top: Vec<(NodeId, u64)> = hidden.into_iter().filter(|&(_, b)| b > 0).collect();
    let reclaimable_bytes = top.iter().map(|t| t.1).fold(0u64, u64::saturating_add);
    let mut top: Vec<WastedPath> = {
        top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        top.truncate(TOP_WASTED.saturating_mul(4));
        top.into_iter()
            .map(|(id, bytes)| WastedPath {
                path: paths.path(id),
                bytes,
            })
            .collect()
    };
    top.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.path.cmp(&b.path)));
    top.truncate(TOP_WASTED);
    Stacked {
        efficiency: Efficiency {
            efficiency,
            size_bytes,
            user_size_bytes,
            wasted_bytes,
            user_wasted_percent: (user_size_bytes > 0)
                .then(|| wasted_bytes as f64 / user_size_bytes as f64),
            reclaimable_bytes,
            top_wasted: top,
        },
        final_state: real,
    }
}

fn add(hidden: &mut HashMap<NodeId, u64>, id: NodeId, bytes: u64) {
    if bytes > 0 {
        let e = hidden.entry(id).or_insert(0);
        *e = e.saturating_add(bytes);
    }
}
