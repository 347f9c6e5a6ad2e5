//! The build model: stages and their base images, read from the syntax tree.

use serde::Serialize;

use crate::syntax::{Dockerfile, Instruction};

/// A base image reference split into its parts:
/// `[registry/]repository[:tag][@digest]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageRef {
    pub registry: Option<String>,
    pub repository: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

impl ImageRef {
    /// Splits a reference. `scratch` and stage names are references too; the
    /// caller decides what they mean.
    pub fn parse(reference: &str) -> ImageRef {
        let (rest, digest) = match reference.split_once('@') {
            Some((rest, digest)) => (rest, Some(digest.to_string())),
            None => (reference, None),
        };
        // A tag is after the last ':' that follows the last '/'.
        let name_start = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest.get(name_start..).and_then(|n| n.rfind(':')) {
            Some(i) => {
                let at = name_start + i;
                (&rest[..at], Some(rest[at + 1..].to_string()))
            }
            None => (rest, None),
        };
        // The first component is a registry if it looks like a host.
        let (registry, repository) = match name.split_once('/') {
            Some((first, path))
                if first.contains('.') || first.contains(':') || first == "localhost" =>
            {
                (Some(first.to_string()), path.to_string())
            }
            _ => (None, name.to_string()),
        };
        ImageRef {
            registry,
            repository,
            tag,
            digest,
        }
    }
}

/// One build stage: a `FROM` and the instructions up to the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stage {
    /// Index of the stage, counting from 0.
    pub index: usize,
    /// The `AS name`, lower-cased as BuildKit compares it.
    pub name: Option<String>,
    /// The base as written (`golang:1.21-alpine`, `builder`, `${BASE}`).
    pub base: String,
    pub base_image: ImageRef,
    /// Index of the stage this one builds on, if `FROM` names an earlier stage.
    pub base_stage: Option<usize>,
    /// Index into [`Dockerfile::instructions`] of the `FROM`.
    pub from: usize,
    /// Indexes of this stage's instructions after the `FROM`.
    pub instructions: Vec<usize>,
}

/// The stages of a Dockerfile, in order. The last one is the build target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildModel {
    pub stages: Vec<Stage>,
    /// Indexes of instructions before the first `FROM` (global `ARG`s, errors).
    pub preamble: Vec<usize>,
}

impl BuildModel {
    pub fn new(file: &Dockerfile) -> BuildModel {
        let mut stages: Vec<Stage> = Vec::new();
        let mut preamble = Vec::new();
        for (i, inst) in file.instructions.iter().enumerate() {
            if inst.is("FROM") {
                let stage = new_stage(stages.len(), i, inst, &stages);
                stages.push(stage);
            } else if let Some(stage) = stages.last_mut() {
                stage.instructions.push(i);
            } else {
                preamble.push(i);
            }
        }
        BuildModel { stages, preamble }
    }

    /// The stage `docker build` produces by default: the last one.
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }
}

fn new_stage(index: usize, from: usize, inst: &Instruction, earlier: &[Stage]) -> Stage {
    let base = inst.value.first().cloned().unwrap_or_default();
    let name = match inst.value.as_slice() {
        [_, as_kw, name, ..] if as_kw.eq_ignore_ascii_case("as") => Some(name.to_ascii_lowercase()),
        _ => None,
    };
    let lowered = base.to_ascii_lowercase();
    let base_stage = earlier
        .iter()
        .rev()
        .find(|s| s.name.as_deref() == Some(lowered.as_str()))
        .map(|s| s.index);
    Stage {
        index,
        name,
        base_image: ImageRef::parse(&base),
        base,
        base_stage,
        from,
        instructions: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn image(r: &str) -> (Option<&str>, String, Option<String>, Option<String>) {
        let i = ImageRef::parse(r);
        (
            match i.registry {
                Some(ref s) if s == "gcr.io" => Some("gcr.io"),
                Some(ref s) if s == "localhost:5000" => Some("localhost:5000"),
                Some(_) => Some("other"),
                None => None,
            },
            i.repository,
            i.tag,
            i.digest,
        )
    }

    #[test]
    fn image_references_split() {
        assert_eq!(image("alpine"), (None, "alpine".into(), None, None));
        assert_eq!(
            image("golang:1.21-alpine"),
            (None, "golang".into(), Some("1.21-alpine".into()), None)
        );
        assert_eq!(
            image("gcr.io/distroless/static:nonroot"),
            (
                Some("gcr.io"),
                "distroless/static".into(),
                Some("nonroot".into()),
                None
            )
        );
        assert_eq!(
            image("localhost:5000/app@sha256:abc"),
            (
                Some("localhost:5000"),
                "app".into(),
                None,
                Some("sha256:abc".into())
            )
        );
        assert_eq!(
            image("library/node:20"),
            (None, "library/node".into(), Some("20".into()), None)
        );
    }

    #[test]
    fn stages_link_to_earlier_stages() {
        let file = parse("ARG V=1\nFROM golang AS Build\nRUN go build\nFROM build\nUSER app\n");
        let model = BuildModel::new(&file);
        assert_eq!(model.preamble, [0]);
        assert_eq!(model.stages.len(), 2);
        assert_eq!(model.stages[0].name.as_deref(), Some("build"));
        assert_eq!(model.stages[0].instructions, [2]);
        assert_eq!(model.stages[1].base_stage, Some(0));
        assert_eq!(model.final_stage().map(|s| s.index), Some(1));
    }
}
