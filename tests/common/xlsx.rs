//! Roster workbooks for tests, written as Excel writes them (shared by `store.rs` and `hostile.rs`).

use std::io::Write;

/// A minimal XLSX: a merged title row over the header row, inline strings.
pub fn workbook(rows: &[&[&str]]) -> Vec<u8> {
    package(&sheet_xml(rows))
}

/// The workbook package around one sheet's XML.
pub fn package(sheet: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let mut put = |name: &str, body: String| {
        zip.start_file(name, opts).expect("entry");
        zip.write_all(body.as_bytes()).expect("write");
    };
    put("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.into());
    put("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.into());
    put("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>"#.into());
    put("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.into());
    put("xl/worksheets/sheet1.xml", sheet.to_owned());
    zip.finish().expect("zip").into_inner()
}

/// The sheet XML of `rows`: numbers as numbers, text as inline strings, the first row merged.
pub fn sheet_xml(rows: &[&[&str]]) -> String {
    let mut sheet = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, row) in rows.iter().enumerate() {
        sheet.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, v) in row.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            let col = (b'A' + c as u8) as char;
            if let Ok(n) = v.parse::<f64>()
                && v.len() < 15
            {
                sheet.push_str(&format!("<c r=\"{col}{}\"><v>{n}</v></c>", r + 1));
                continue;
            }
            sheet.push_str(&format!("<c r=\"{col}{}\" t=\"inlineStr\"><is><t>{v}</t></is></c>", r + 1));
        }
        sheet.push_str("</row>");
    }
    sheet.push_str(r#"</sheetData><mergeCells count="1"><mergeCell ref="A1:E1"/></mergeCells></worksheet>"#);
    sheet
}
