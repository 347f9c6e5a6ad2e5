//! What the captured small files say: the OS (`/etc/os-release`), the OS
//! packages (dpkg `status` and `status.d/`, apk `installed`), the accounts
//! (`/etc/passwd`, `/etc/group`, `/etc/shadow`).

use serde::Serialize;

/// The OS, from `os-release`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Os {
    pub id: String,
    pub version_id: Option<String>,
    pub pretty_name: Option<String>,
}

/// One installed OS package, as syft lists it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Package {
    pub name: String,
    pub version: String,
    pub arch: Option<String>,
    /// The source package (dpkg `Source`, apk origin), when it differs.
    pub source: Option<String>,
    /// `dpkg` or `apk`.
    #[serde(rename = "type")]
    pub kind: &'static str,
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    v.strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
        .unwrap_or(v)
        .to_string()
}

pub fn os_release(text: &str) -> Option<Os> {
    let mut os = Os {
        id: String::new(),
        version_id: None,
        pretty_name: None,
    };
    for line in text.lines() {
        match line.split_once('=') {
            Some(("ID", v)) => os.id = unquote(v),
            Some(("VERSION_ID", v)) => os.version_id = Some(unquote(v)),
            Some(("PRETTY_NAME", v)) => os.pretty_name = Some(unquote(v)),
            _ => {}
        }
    }
    (!os.id.is_empty()).then_some(os)
}

/// dpkg's `status` (or a `status.d/` file): stanzas whose `Status` says
/// installed (`status.d` stanzas have no `Status` and all count).
pub fn dpkg(text: &str, out: &mut Vec<Package>) {
    for stanza in text.split("\n\n") {
        let (mut name, mut version, mut arch, mut source, mut status) =
            (None, None, None, None, None);
        for line in stanza.lines() {
            if line.starts_with([' ', '\t']) {
                continue;
            }
            match line.split_once(':') {
                Some(("Package", v)) => name = Some(v.trim()),
                Some(("Version", v)) => version = Some(v.trim()),
                Some(("Architecture", v)) => arch = Some(v.trim()),
                // `Source: name (version)` when the versions differ.
                Some(("Source", v)) => source = v.split_whitespace().next(),
                Some(("Status", v)) => status = Some(v.trim()),
                _ => {}
            }
        }
        let installed = status.is_none_or(|s| s.ends_with(" installed"));
        if let (Some(name), Some(version), true) = (name, version, installed) {
            out.push(Package {
                name: name.to_string(),
                version: version.to_string(),
                arch: arch.map(str::to_string),
                source: source.map(str::to_string),
                kind: "dpkg",
            });
        }
    }
}

/// apk's `installed` database: `P:` name, `V:` version, `A:` arch, `o:` origin.
pub fn apk(text: &str, out: &mut Vec<Package>) {
    for stanza in text.split("\n\n") {
        let (mut name, mut version, mut arch, mut origin) = (None, None, None, None);
        for line in stanza.lines() {
            match line.split_once(':') {
                Some(("P", v)) => name = Some(v),
                Some(("V", v)) => version = Some(v),
                Some(("A", v)) => arch = Some(v),
                Some(("o", v)) => origin = Some(v),
                _ => {}
            }
        }
        if let (Some(name), Some(version)) = (name, version) {
            out.push(Package {
                name: name.to_string(),
                version: version.to_string(),
                arch: arch.map(str::to_string),
                source: origin.map(str::to_string),
                kind: "apk",
            });
        }
    }
}

/// One `/etc/passwd` or `/etc/group` line: name, password field, id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub password_empty: bool,
    pub id: Option<u64>,
}

/// `name:password:id:…` lines (passwd, group, shadow: shadow has no id).
pub fn accounts(text: &str) -> Vec<Account> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut f = l.split(':');
            let name = f.next()?.trim();
            let password = f.next()?;
            let id = f.next().and_then(|i| i.trim().parse().ok());
            Some(Account {
                name: name.to_string(),
                password_empty: password.is_empty(),
                id,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_os_and_packages() {
        let os = os_release("NAME=\"Alpine\"\nID=alpine\nVERSION_ID=3.20.1\n").unwrap();
        assert_eq!(
            (os.id.as_str(), os.version_id.as_deref()),
            ("alpine", Some("3.20.1"))
        );
        let mut p = Vec::new();
        dpkg(
            "Package: libc6\nStatus: install ok installed\nArchitecture: amd64\nSource: glibc (2.36-9)\nVersion: 2.36-9+deb12u4\nDescription: x\n y\n\nPackage: gone\nStatus: deinstall ok config-files\nVersion: 1\n",
            &mut p,
        );
        apk(
            "C:Q1=\nP:musl\nV:1.2.5-r0\nA:x86_64\no:musl\n\nP:busybox\nV:1.36\n",
            &mut p,
        );
        let got: Vec<_> = p
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.source.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("libc6", "2.36-9+deb12u4", Some("glibc")),
                ("musl", "1.2.5-r0", Some("musl")),
                ("busybox", "1.36", None)
            ]
        );
        let a = accounts("root:x:0:0::/root:/bin/sh\ntoor::0:0::/:/bin/sh\n");
        assert_eq!(a[1].id, Some(0));
        assert!(a[1].password_empty);
    }
}
