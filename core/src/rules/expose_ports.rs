//! What an `EXPOSE` item says: `80`, `80/tcp`, `8000-8010/udp`,
//! `127.0.0.1:80:80`.

/// One `EXPOSE` item split into its parts.
#[derive(Debug)]
pub struct ExposeItem<'a> {
    /// The text before the protocol.
    pub ports: &'a str,
    pub protocol: Option<&'a str>,
}

pub fn split(item: &str) -> ExposeItem<'_> {
    match item.rsplit_once('/') {
        Some((ports, protocol)) => ExposeItem {
            ports,
            protocol: Some(protocol),
        },
        None => ExposeItem {
            ports: item,
            protocol: None,
        },
    }
}

/// The numbers of a `port` or `low-high` range that exceed 65535, if the
/// text is plain numbers.
pub fn out_of_range(ports: &str) -> Option<u64> {
    let container = ports.rsplit(':').next().unwrap_or(ports);
    container
        .split('-')
        .filter(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
        .map(|p| p.parse::<u64>().unwrap_or(u64::MAX))
        .find(|&n| n > 65535)
}
