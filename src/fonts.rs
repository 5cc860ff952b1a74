//! The Chinese font the window and the printed sheets use: the first CJK font installed.
//! Debian's `fonts-noto-cjk` (installed by packaging/deps-debian.sh) provides the first one.

use std::path::{Path, PathBuf};

/// CJK fonts looked for, in order, with the face index inside the collection. Noto Sans CJK's
/// index 2 is Simplified Chinese.
const CJK_FONTS: [(&str, u32); 4] = [
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
];

/// The first CJK font installed: its file and the face index inside it.
pub fn cjk_font() -> Option<(PathBuf, u32)> {
    CJK_FONTS.iter().find(|(p, _)| Path::new(p).exists()).map(|(p, i)| (PathBuf::from(p), *i))
}

/// What to say when there is none.
pub const NO_CJK_FONT: &str = "no Chinese font installed: run packaging/deps-debian.sh (installs fonts-noto-cjk)";
