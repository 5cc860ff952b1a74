//! Every string the station window shows, in Chinese and English. One table, no literals in
//! the panels.

use crate::i18n::Lang;

/// The station window's strings.
pub struct Strings {
    pub title: &'static str,
    pub camera: &'static str,
    pub profile: &'static str,
    pub shoot: &'static str,
    pub next_student: &'static str,
    pub loading_models: &'static str,
    pub models_failed: &'static str,
    pub processing: &'static str,
    pub result: &'static str,
    pub no_result: &'static str,
    pub failed: &'static str,
    pub rotation: &'static str,
    pub file: &'static str,
    pub took: &'static str,
    pub keys: &'static str,
    pub verdict_pass: &'static str,
    pub live_ready: &'static str,
    pub verdict_warn: &'static str,
    pub verdict_fail: &'static str,
    pub no_cjk_font: &'static str,
    pub language: &'static str,
}

const ZH: Strings = Strings {
    title: "图采 · 毕业生图像采集站",
    camera: "摄像头",
    profile: "照片规格",
    shoot: "拍照（空格）",
    next_student: "下一位（N）",
    loading_models: "正在加载人脸模型……",
    models_failed: "人脸模型加载失败，无法标准化：",
    processing: "正在标准化……",
    result: "标准化结果",
    no_result: "按空格拍照，结果显示在这里。",
    failed: "无法生成标准照：",
    rotation: "旋转校正",
    file: "文件",
    took: "用时",
    keys: "空格 拍照 · N 下一位",
    verdict_pass: "✓ 合格，可以上传",
    live_ready: "✓ 位置、光线合适，可以拍照",
    verdict_warn: "! 合格，但有提醒",
    verdict_fail: "× 不合格：请按提示重拍",
    no_cjk_font: "未找到中文字体：请运行 packaging/deps-debian.sh（安装 fonts-noto-cjk）。",
    language: "English",
};

const EN: Strings = Strings {
    title: "Tucai · graduate photo station",
    camera: "Camera",
    profile: "Profile",
    shoot: "Shoot (Space)",
    next_student: "Next (N)",
    loading_models: "Loading face models…",
    models_failed: "Face models failed to load; cannot standardize: ",
    processing: "Standardizing…",
    result: "Standardized photo",
    no_result: "Press Space to shoot; the result appears here.",
    failed: "Could not make the photo: ",
    rotation: "Levelled by",
    file: "File",
    took: "Took",
    keys: "Space shoot · N next",
    verdict_pass: "✓ Pass: ready to upload",
    live_ready: "✓ Position and light are good: shoot",
    verdict_warn: "! Pass, with warnings",
    verdict_fail: "× Reject: retake as advised",
    no_cjk_font: "No Chinese font found: run packaging/deps-debian.sh (installs fonts-noto-cjk).",
    language: "中文",
};

/// The table for `lang`.
pub fn strings(lang: Lang) -> &'static Strings {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}
