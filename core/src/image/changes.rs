//! What each layer changes, dive-style: the paths a layer adds, modifies
//! (a path an earlier layer already had) or removes (a whiteout), with
//! sizes — the data of a file-tree explorer. Bounded: at most `limit`
//! changes are listed per layer; the counts are always complete.

use serde::Serialize;

use super::layout::ImageEntry;
use super::reader::{Archive, flag};

/// What a layer does to a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Modified,
    Removed,
}

/// One path a layer changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PathChange {
    /// From the image's root, with a leading `/`.
    pub path: String,
    pub kind: ChangeKind,
    /// The tar header's size (0 for directories and removals).
    pub size: u64,
    pub dir: bool,
}

/// One layer's changes, sorted by path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LayerChanges {
    pub changes: Vec<PathChange>,
    pub added: u64,
    pub modified: u64,
    pub removed: u64,
    /// More changes than `limit`: the list holds the first ones in tar order.
    pub truncated: bool,
}

/// Per layer of `image` (in image order; a missing layer gives an empty
/// entry), what it adds, modifies and removes. A directory entry counts
/// only the first time it appears; opaque markers are skipped.
pub fn layer_changes(archive: &Archive, image: &ImageEntry, limit: usize) -> Vec<LayerChanges> {
    let mut seen = vec![false; archive.paths.len()];
    let mut out = Vec::with_capacity(image.layer_paths.len());
    for path in &image.layer_paths {
        let resolved = archive.resolve(path);
        let Some(layer) = archive
            .layer_at
            .get(&resolved)
            .and_then(|&k| archive.layers.get(k))
        else {
            out.push(LayerChanges::default());
            continue;
        };
        let mut changes = LayerChanges::default();
        let mut touched = Vec::new();
        for r in &layer.records {
            if r.flags & flag::OPAQUE != 0 {
                continue;
            }
            let at = r.node as usize;
            let before = seen.get(at).copied().unwrap_or(false);
            let dir = r.flags & flag::DIR != 0;
            let kind = if r.flags & flag::WHITEOUT != 0 {
                changes.removed += 1;
                ChangeKind::Removed
            } else if dir && before {
                continue;
            } else if before {
                changes.modified += 1;
                ChangeKind::Modified
            } else {
                changes.added += 1;
                ChangeKind::Added
            };
            touched.push((at, kind != ChangeKind::Removed));
            if changes.changes.len() >= limit {
                changes.truncated = true;
                continue;
            }
            changes.changes.push(PathChange {
                path: archive.paths.path(r.node),
                kind,
                size: if kind == ChangeKind::Removed || dir {
                    0
                } else {
                    r.size
                },
                dir,
            });
        }
        for (at, present) in touched {
            if let Some(s) = seen.get_mut(at) {
                *s = present;
            }
        }
        changes.changes.sort_by(|a, b| a.path.cmp(&b.path));
        out.push(changes);
    }
    out
}
