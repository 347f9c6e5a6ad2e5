//! Which images an archive holds and where their pieces are: docker-archive
//! `manifest.json` (legacy, kaniko, Docker 25+ with an OCI layout beside it)
//! or an OCI `index.json`, with nested indexes followed.

use serde::Serialize;
use serde_json::Value;

use super::config::strings;
use super::reader::Archive;

/// The archive's layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// `docker save` before Docker 25: `manifest.json`, `<id>/layer.tar`.
    DockerArchive,
    /// Docker 25+: an OCI layout (`index.json`, `blobs/`) plus `manifest.json`.
    DockerArchiveOci,
    /// An OCI image layout: `index.json` and `blobs/sha256/…`.
    OciArchive,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::DockerArchive => "docker-archive",
            Format::DockerArchiveOci => "docker-archive-oci",
            Format::OciArchive => "oci-archive",
        }
    }
}

/// One image of the archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageEntry {
    pub tags: Vec<String>,
    /// `os/arch[/variant]` when an index says.
    pub platform: Option<String>,
    #[serde(skip)]
    pub config_path: Option<String>,
    #[serde(skip)]
    pub layer_paths: Vec<String>,
    /// Layer digests a manifest names (OCI), in order.
    #[serde(skip)]
    pub layer_digests: Vec<Option<String>>,
}

/// The layout and the images, or why there are none.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub format: Option<Format>,
    pub images: Vec<ImageEntry>,
    pub errors: Vec<String>,
}

fn parse(archive: &Archive, path: &str, errors: &mut Vec<String>) -> Option<Value> {
    let bytes = archive.json.get(path)?;
    match serde_json::from_slice(bytes) {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(format!("{path}: bad JSON: {e}"));
            None
        }
    }
}

/// `blobs/<alg>/<hex>` for a digest.
pub fn blob_path(digest: &str) -> Option<String> {
    let (alg, hex) = digest.split_once(':')?;
    let safe = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric());
    (safe(alg) && safe(hex)).then(|| format!("blobs/{alg}/{hex}"))
}

pub fn read(archive: &Archive) -> Layout {
    let mut layout = Layout::default();
    let has_index = archive.json.contains_key("index.json");
    if let Some(manifest) = parse(archive, "manifest.json", &mut layout.errors) {
        layout.format = Some(if has_index {
            Format::DockerArchiveOci
        } else {
            Format::DockerArchive
        });
        for item in manifest.as_array().into_iter().flatten() {
            let layer_paths = strings(item.get("Layers"));
            layout.images.push(ImageEntry {
                tags: strings(item.get("RepoTags")),
                platform: None,
                config_path: item
                    .get("Config")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                layer_digests: vec![None; layer_paths.len()],
                layer_paths,
            });
        }
        if layout.images.is_empty() {
            layout
                .errors
                .push("manifest.json names no image".to_string());
        }
        return layout;
    }
    if let Some(index) = parse(archive, "index.json", &mut layout.errors) {
        layout.format = Some(Format::OciArchive);
        walk_index(archive, &index, &[], 0, &mut layout);
        if layout.images.is_empty() {
            layout
                .errors
                .push("index.json names no image manifest".to_string());
        }
        return layout;
    }
    if layout.errors.is_empty() {
        layout.errors.push(
            "neither manifest.json nor index.json was found: not a docker-archive or OCI archive"
                .to_string(),
        );
    }
    layout
}

fn platform_of(descriptor: &Value) -> Option<String> {
    let p = descriptor.get("platform")?;
    let mut out = format!(
        "{}/{}",
        p.get("os")?.as_str()?,
        p.get("architecture")?.as_str()?
    );
    if let Some(v) = p.get("variant").and_then(Value::as_str) {
        out.push('/');
        out.push_str(v);
    }
    Some(out)
}

fn walk_index(
    archive: &Archive,
    index: &Value,
    tags: &[String],
    depth: usize,
    layout: &mut Layout,
) {
    if depth > 8 {
        layout
            .errors
            .push("index.json: indexes nested too deep".to_string());
        return;
    }
    // Docker 25 writes `"manifests": null` in some cases: no images here.
    for descriptor in index
        .get("manifests")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let mut own_tags: Vec<String> = tags.to_vec();
        if let Some(annotations) = descriptor.get("annotations") {
            for key in [
                "io.containerd.image.name",
                "org.opencontainers.image.ref.name",
            ] {
                if let Some(tag) = annotations.get(key).and_then(Value::as_str)
                    && !own_tags.iter().any(|t| t == tag)
                {
                    own_tags.push(tag.to_string());
                }
            }
        }
        let Some(digest) = descriptor.get("digest").and_then(Value::as_str) else {
            continue;
        };
        let Some(path) = blob_path(digest) else {
            layout
                .errors
                .push(format!("index: unusable digest `{digest}`"));
            continue;
        };
        let Some(blob) = parse(archive, &path, &mut layout.errors) else {
            if !archive.json.contains_key(&path) {
                layout.errors.push(format!("missing manifest {digest}"));
            }
            continue;
        };
        if blob.get("manifests").is_some() {
            walk_index(archive, &blob, &own_tags, depth + 1, layout);
            continue;
        }
        let layers: Vec<&Value> = blob
            .get("layers")
            .and_then(Value::as_array)
            .map(|a| a.iter().collect())
            .unwrap_or_default();
        let layer_digests: Vec<Option<String>> = layers
            .iter()
            .map(|l| l.get("digest").and_then(Value::as_str).map(str::to_string))
            .collect();
        layout.images.push(ImageEntry {
            tags: own_tags,
            platform: platform_of(descriptor),
            config_path: blob
                .pointer("/config/digest")
                .and_then(Value::as_str)
                .and_then(blob_path),
            layer_paths: layer_digests
                .iter()
                .map(|d| d.as_deref().and_then(blob_path).unwrap_or_default())
                .collect(),
            layer_digests,
        });
    }
}
