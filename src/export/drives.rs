//! Removable drives the system has mounted (USB sticks under `/media/USER/LABEL` or
//! `/run/media/USER/LABEL`), offered as export targets by name.

use std::path::PathBuf;

use serde::Serialize;

/// A mounted removable drive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Drive {
    /// Its label (the mount folder's name).
    pub label: String,
    /// Where it is mounted.
    pub path: PathBuf,
}

/// The drives mounted under the desktop's media folders, from `/proc/mounts`.
pub fn removable_drives() -> Vec<Drive> {
    std::fs::read_to_string("/proc/mounts").map(|m| parse_mounts(&m)).unwrap_or_default()
}

fn parse_mounts(mounts: &str) -> Vec<Drive> {
    mounts
        .lines()
        .filter_map(|line| {
            let mount = line.split_whitespace().nth(1)?;
            // /proc/mounts escapes spaces and other bytes as octal (\040).
            let mount = unescape(mount);
            let under_media = ["/media/", "/run/media/"].iter().any(|p| mount.starts_with(p));
            let path = PathBuf::from(&mount);
            let label = path.file_name()?.to_string_lossy().into_owned();
            under_media.then_some(Drive { label, path })
        })
        .collect()
}

fn unescape(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && i + 3 < bytes.len() && bytes[i + 1..i + 4].iter().all(|b| (b'0'..=b'7').contains(b)) {
            let octal = std::str::from_utf8(&bytes[i + 1..i + 4]).ok().and_then(|o| u8::from_str_radix(o, 8).ok());
            if let Some(b) = octal {
                out.push(b);
                i += 4;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_mounts_are_drives() {
        let mounts = "/dev/sda1 / ext4 rw 0 0\n\
                      /dev/sdb1 /media/booth/KINGSTON vfat rw 0 0\n\
                      /dev/sdc1 /run/media/office/照片\\040盘 exfat rw 0 0\n\
                      tmpfs /run/user/1000 tmpfs rw 0 0\n";
        let drives = parse_mounts(mounts);
        let labels: Vec<&str> = drives.iter().map(|d| d.label.as_str()).collect();
        assert_eq!(labels, ["KINGSTON", "照片 盘"]);
    }
}
