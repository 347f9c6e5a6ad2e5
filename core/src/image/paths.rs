//! Every path seen in any layer, interned once as a tree of names, so that a
//! layer's summary is a list of small fixed-size records (node id, size,
//! flags) rather than strings: about 30 bytes and the name a distinct path
//! (a 20-byte node, an open-addressing slot of 4 bytes at most half full),
//! plus 16 bytes an entry, however many layers repeat it.

/// A path's id in the [`PathTable`]; 0 is the root `/`.
pub type NodeId = u32;

pub const ROOT: NodeId = 0;
const NONE: u32 = u32::MAX;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Node {
    parent: NodeId,
    name_start: u32,
    name_len: u32,
    first_child: u32,
    next_sibling: u32,
}

/// Interned paths: `/a/b` is the child `b` of the child `a` of the root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathTable {
    nodes: Vec<Node>,
    names: Vec<u8>,
    /// Open addressing, linear probing: node ids by hash of (parent, name),
    /// `NONE` for empty; never more than half full.
    slots: Vec<u32>,
}

impl Default for PathTable {
    fn default() -> Self {
        PathTable {
            nodes: vec![Node {
                parent: ROOT,
                name_start: 0,
                name_len: 0,
                first_child: NONE,
                next_sibling: NONE,
            }],
            names: Vec::new(),
            slots: vec![NONE; 1024],
        }
    }
}

/// FNV-1a over the parent id and the name: deterministic; a hit is
/// confirmed by comparing parent and name.
fn key(parent: NodeId, name: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in parent.to_le_bytes().iter().chain(name) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl PathTable {
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    pub fn name(&self, id: NodeId) -> &[u8] {
        self.nodes.get(id as usize).map_or(&[][..], |n| {
            let start = n.name_start as usize;
            self.names
                .get(start..start + n.name_len as usize)
                .unwrap_or_default()
        })
    }

    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        (id != ROOT).then(|| self.nodes.get(id as usize).map_or(ROOT, |n| n.parent))
    }

    /// The slot of `(parent, name)`: where it is, or the empty slot where
    /// it would go.
    fn slot(&self, parent: NodeId, name: &[u8]) -> usize {
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = key(parent, name) as usize & mask;
        loop {
            match self.slots.get(i) {
                Some(&id) if id != NONE => {
                    let same = self
                        .nodes
                        .get(id as usize)
                        .is_some_and(|n| n.parent == parent)
                        && self.name(id) == name;
                    if same {
                        return i;
                    }
                }
                _ => return i,
            }
            i = (i + 1) & mask;
        }
    }

    /// The child `name` of `parent`, if it was ever seen.
    pub fn child(&self, parent: NodeId, name: &[u8]) -> Option<NodeId> {
        let id = *self.slots.get(self.slot(parent, name))?;
        (id != NONE).then_some(id)
    }

    /// Doubles the slot table and re-inserts every node but the root.
    fn grow(&mut self) {
        let len = self.slots.len().saturating_mul(2);
        self.slots = vec![NONE; len];
        for id in 1..self.nodes.len() {
            let Some(node) = self.nodes.get(id) else {
                break;
            };
            let at = self.slot(node.parent, self.name(id as u32));
            if let Some(slot) = self.slots.get_mut(at) {
                *slot = id as u32;
            }
        }
    }

    /// The children of `id`, newest first.
    pub fn children(&self, id: NodeId) -> Children<'_> {
        Children {
            table: self,
            at: self.nodes.get(id as usize).map_or(NONE, |n| n.first_child),
        }
    }

    /// The id of `parent/name`, added when new. `None` only when the table
    /// is full (4 G paths or 4 GB of names).
    pub fn intern_child(&mut self, parent: NodeId, name: &[u8]) -> Option<NodeId> {
        let at = self.slot(parent, name);
        if let Some(&id) = self.slots.get(at)
            && id != NONE
        {
            return Some(id);
        }
        let id = u32::try_from(self.nodes.len())
            .ok()
            .filter(|&i| i != NONE)?;
        let name_start = u32::try_from(self.names.len()).ok()?;
        let name_len = u32::try_from(name.len()).ok()?;
        name_start.checked_add(name_len)?;
        self.names.extend_from_slice(name);
        let first_child = self
            .nodes
            .get(parent as usize)
            .map_or(NONE, |p| p.first_child);
        self.nodes.push(Node {
            parent,
            name_start,
            name_len,
            first_child: NONE,
            next_sibling: first_child,
        });
        if let Some(p) = self.nodes.get_mut(parent as usize) {
            p.first_child = id;
        }
        if self.nodes.len().saturating_mul(2) > self.slots.len() {
            self.grow();
        } else if let Some(slot) = self.slots.get_mut(at) {
            *slot = id;
        }
        Some(id)
    }

    /// The id of a `/`-separated path (already cleaned: no `.` or `..`).
    pub fn intern(&mut self, path: &[u8]) -> Option<NodeId> {
        let mut at = ROOT;
        for part in path.split(|&b| b == b'/').filter(|p| !p.is_empty()) {
            at = self.intern_child(at, part)?;
        }
        Some(at)
    }

    /// The id of a path, if it was seen.
    pub fn find(&self, path: &str) -> Option<NodeId> {
        let mut at = ROOT;
        for part in path.split('/').filter(|p| !p.is_empty()) {
            at = self.child(at, part.as_bytes())?;
        }
        Some(at)
    }

    /// `/a/b` for a node (lossy UTF-8).
    pub fn path(&self, id: NodeId) -> String {
        let mut parts = Vec::new();
        let mut at = id;
        while let Some(parent) = self.parent(at) {
            parts.push(self.name(at));
            at = parent;
            if parts.len() > self.nodes.len() {
                break;
            }
        }
        let mut out = String::new();
        for part in parts.iter().rev() {
            out.push('/');
            out.push_str(&String::from_utf8_lossy(part));
        }
        if out.is_empty() {
            out.push('/');
        }
        out
    }
}

/// Iterator over a node's children.
#[derive(Debug)]
pub struct Children<'a> {
    table: &'a PathTable,
    at: u32,
}

impl Iterator for Children<'_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.at == NONE {
            return None;
        }
        let id = self.at;
        self.at = self
            .table
            .nodes
            .get(id as usize)
            .map_or(NONE, |n| n.next_sibling);
        Some(id)
    }
}

/// Cleans a tar path like Go's `path.Clean` relative to `/`: drops `.`,
/// empty parts and leading `/`, resolves `..` (never above the root).
pub fn clean(path: &[u8]) -> Vec<&[u8]> {
    let mut parts: Vec<&[u8]> = Vec::new();
    for part in path.split(|&b| b == b'/') {
        match part {
            b"" | b"." => {}
            b".." => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interns_and_finds_paths() {
        let mut t = PathTable::default();
        let a = t.intern(b"etc/passwd").unwrap();
        let b = t.intern(b"/etc//passwd").unwrap();
        assert_eq!(a, b);
        assert_eq!(t.path(a), "/etc/passwd");
        assert_eq!(t.find("/etc/passwd"), Some(a));
        assert_eq!(t.find("/etc/group"), None);
        let etc = t.find("etc").unwrap();
        t.intern(b"etc/group").unwrap();
        assert_eq!(t.children(etc).count(), 2);
        assert_eq!(t.path(ROOT), "/");
        assert_eq!(clean(b"./a/../b/./c/"), vec![&b"b"[..], b"c"]);
    }
}
