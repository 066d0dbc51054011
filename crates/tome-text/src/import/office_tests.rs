//! `.docx` and `.odt` import tests on documents laid out the way Word and LibreOffice
//! write them (content types, relationships, styles, core properties, comments).

use super::*;
use std::io::Write;
use zip::write::SimpleFileOptions;

fn import(name: &str, bytes: &[u8]) -> Result<Imported, ImportError> {
    import_bytes(name, bytes, &Vocabulary::empty(), &ImportOptions::default())
}

fn zip_of(files: &[(&str, &str)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in files {
        let opts = if *name == "mimetype" {
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored)
        } else {
            SimpleFileOptions::default()
        };
        w.start_file(*name, opts).unwrap();
        w.write_all(body.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn w_p(style: Option<&str>, extra_ppr: &str, runs: &str) -> String {
    let style = style.map_or(String::new(), |s| format!(r#"<w:pStyle w:val="{s}"/>"#));
    format!(r#"<w:p><w:pPr>{style}{extra_ppr}</w:pPr>{runs}</w:p>"#)
}

fn w_r(props: &str, text: &str) -> String {
    format!(r#"<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>"#)
}

fn docx() -> Vec<u8> {
    let body = [
        w_p(Some("Title"), "", &w_r("", "The Lighthouse")),
        w_p(None, "", &w_r("", "Author&apos;s note: for my sister.")),
        w_p(Some("Heading1"), "", &w_r("", "Chapter One: Fog")),
        w_p(
            None,
            "",
            &[
                w_r("", "The fog was "),
                w_r("<w:i/>", "thick"),
                w_r("", ", the lamp "),
                w_r("<w:b/>", "bright"),
                w_r("", ", the rail "),
                w_r(r#"<w:u w:val="single"/>"#, "wet"),
                w_r("", " and "),
                w_r("<w:strike/>", "rusted"),
                w_r("", " at 10"),
                w_r(r#"<w:vertAlign w:val="superscript"/>"#, "2"),
                w_r("", " feet."),
            ]
            .concat(),
        ),
        w_p(
            None,
            "",
            &format!(
                r#"<w:commentRangeStart w:id="0"/>{}<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r><w:del w:id="1" w:author="Ed"><w:r><w:delText>REMOVED </w:delText></w:r></w:del><w:ins w:id="2" w:author="Ed">{}</w:ins>{}"#,
                w_r("", "She climbed "),
                w_r("", "the added "),
                r#"<w:r><w:rPr><w:rPrChange w:id="3" w:author="Ed"><w:rPr><w:i/></w:rPr></w:rPrChange></w:rPr><w:t>stairs.</w:t></w:r>"#
            ),
        ),
        w_p(None, r#"<w:jc w:val="center"/>"#, &w_r("", "* * *")),
        w_p(
            Some("ListParagraph"),
            r#"<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>"#,
            &w_r("", "oil"),
        ),
        w_p(
            Some("ListParagraph"),
            r#"<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>"#,
            &w_r("", "wicks"),
        ),
        w_p(Some("Quote"), "", &w_r("", "Keep the light, keep the light.")),
        w_p(Some("Heading2"), "", &w_r("", "Later")),
        w_p(None, "", &w_r("", "Night fell.")),
        w_p(Some("Heading1"), "", &w_r("", "Chapter Two: Light")),
        w_p(None, "", &w_r("", "The ship saw it.")),
        w_p(None, "", &w_r("", "TBC")),
        w_p(None, "", &w_r("", "Please review!")),
        r#"<w:p/><w:sectPr><w:pgSz w:w="12240" w:h="15840"/></w:sectPr>"#.to_string(),
    ]
    .concat();
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>{body}</w:body></w:document>"#
    );
    let styles = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>
<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/></w:style>
<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/></w:style>
</w:styles>"#;
    let core = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title></dc:title><dc:creator>Mara Keel</dc:creator></cp:coreProperties>"#;
    let comments = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:comment w:id="0" w:author="Ed"><w:p><w:r><w:t>Fix this sentence</w:t></w:r></w:p></w:comment></w:comments>"#;
    zip_of(&[
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
        ),
        ("word/document.xml", &document),
        ("word/styles.xml", styles),
        ("word/comments.xml", comments),
        ("docProps/core.xml", core),
    ])
}

fn check_lighthouse(imp: &Imported) {
    assert_eq!(imp.title.as_deref(), Some("The Lighthouse"));
    assert_eq!(imp.draft.authors, ["Mara Keel"]);
    assert_eq!(imp.notes_begin.as_deref(), Some("for my sister."));
    let titles: Vec<_> = imp.chapters.iter().map(|c| c.title.as_deref()).collect();
    assert_eq!(titles, [Some("Fog"), Some("Light")]);
    let c = &imp.chapters[0];
    assert!(
        c.text.starts_with("The fog was thick, the lamp bright"),
        "{}",
        c.text
    );
    assert!(
        c.text.contains("She climbed the added stairs."),
        "{}",
        c.text
    );
    assert!(c.text.ends_with("Night fell."), "{}", c.text);
    for good in [
        "<em>thick</em>",
        "<strong>bright</strong>",
        "<u>wet</u>",
        "<s>rusted</s>",
        "10<sup>2</sup>",
        "<li>oil</li>",
        "<li>wicks</li>",
        "<blockquote>",
        "<strong>Later</strong>",
        "<hr>",
    ] {
        assert!(c.html.contains(good), "{good} missing in {}", c.html);
    }
    assert!(!c.html.contains("<em>stairs"), "{}", c.html);
    assert_eq!(c.scene_breaks, 1);
    assert_eq!(imp.chapters[1].text, "The ship saw it.");
    assert_eq!(imp.complete, Some(false));
    assert_eq!(imp.notes_end.as_deref(), Some("Please review!"));
    let all = format!("{:?}", imp.draft);
    for bad in ["REMOVED", "Fix this", "Title:", "Chapter One", "<script"] {
        assert!(!all.contains(bad), "{bad} reached the work: {all}");
    }
}

#[test]
fn docx_as_word_writes_it() {
    let imp = import("lighthouse.docx", &docx()).unwrap();
    assert_eq!(imp.format, Format::Docx);
    check_lighthouse(&imp);
}

fn odt() -> Vec<u8> {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3">
<office:automatic-styles>
<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:text-align="center"/></style:style>
<style:style style:name="P2" style:family="paragraph" style:parent-style-name="Quotations"/>
<style:style style:name="T1" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
<style:style style:name="T2" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="T3" style:family="text"><style:text-properties style:text-underline-style="solid"/></style:style>
<style:style style:name="T4" style:family="text"><style:text-properties style:text-line-through-style="solid"/></style:style>
<style:style style:name="T5" style:family="text"><style:text-properties style:text-position="super 58%"/></style:style>
</office:automatic-styles>
<office:body><office:text>
<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><office:change-info><dc:creator>Ed</dc:creator></office:change-info><text:p>REMOVED</text:p></text:deletion></text:changed-region></text:tracked-changes>
<text:p text:style-name="Title">The Lighthouse</text:p>
<text:p text:style-name="Standard">Author's note: for my sister.</text:p>
<text:h text:style-name="Heading_20_1" text:outline-level="1">Chapter One: Fog</text:h>
<text:p text:style-name="Standard">The fog was <text:span text:style-name="T1">thick</text:span>, the lamp <text:span text:style-name="T2">bright</text:span>, the rail <text:span text:style-name="T3">wet</text:span> and <text:span text:style-name="T4">rusted</text:span> at 10<text:span text:style-name="T5">2</text:span> feet.</text:p>
<text:p text:style-name="Standard">She climbed <office:annotation><dc:creator>Ed</dc:creator><text:p>Fix this sentence</text:p></office:annotation><text:change text:change-id="c1"/>the added stairs.</text:p>
<text:p text:style-name="P1">* * *</text:p>
<text:list text:style-name="L1"><text:list-item><text:p text:style-name="List_20_Paragraph">oil</text:p></text:list-item><text:list-item><text:p text:style-name="List_20_Paragraph">wicks</text:p></text:list-item></text:list>
<text:p text:style-name="P2">Keep the light, keep the light.</text:p>
<text:h text:style-name="Heading_20_2" text:outline-level="2">Later</text:h>
<text:p text:style-name="Standard">Night fell.</text:p>
<text:h text:style-name="Heading_20_1" text:outline-level="1">Chapter Two: Light</text:h>
<text:p text:style-name="Standard">The ship saw it.</text:p>
<text:p text:style-name="Standard">TBC</text:p>
<text:p text:style-name="Standard">Please review!</text:p>
</office:text></office:body></office:document-content>"#;
    let styles = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"><office:styles>
<style:style style:name="Standard" style:family="paragraph"/>
<style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard"/>
<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Heading"/>
<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Heading"/>
<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Heading"/>
<style:style style:name="Quotations" style:family="paragraph"/>
<style:style style:name="List_20_Paragraph" style:display-name="List Paragraph" style:family="paragraph"/>
</office:styles></office:document-styles>"#;
    let meta = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta><meta:initial-creator>Mara Keel</meta:initial-creator><meta:generator>LibreOffice/7.4</meta:generator></office:meta></office:document-meta>"#;
    zip_of(&[
        ("mimetype", "application/vnd.oasis.opendocument.text"),
        (
            "META-INF/manifest.xml",
            r#"<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>"#,
        ),
        ("content.xml", content),
        ("styles.xml", styles),
        ("meta.xml", meta),
    ])
}

#[test]
fn odt_as_libreoffice_writes_it() {
    let imp = import("lighthouse.odt", &odt()).unwrap();
    assert_eq!(imp.format, Format::Odt);
    check_lighthouse(&imp);
}

#[test]
fn office_hard_cases() {
    // No headings: one chapter, the text rules find a typed header and chapter lines.
    let body = [
        w_p(None, "", &w_r("", "Title: Typed")),
        w_p(None, "", &w_r("", "Chapter 1")),
        w_p(None, "", &w_r("", "One.")),
        w_p(None, "", &w_r("", "Chapter 2")),
        w_p(
            None,
            "",
            &w_r("", "Two &lt;script&gt;alert(1)&lt;/script&gt;."),
        ),
    ]
    .concat();
    let doc = format!(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let imp = import("typed.docx", &zip_of(&[("word/document.xml", &doc)])).unwrap();
    assert_eq!(imp.title.as_deref(), Some("Typed"));
    assert_eq!(imp.chapters.len(), 2);
    assert!(
        !imp.chapters[1].html.contains("<script"),
        "{}",
        imp.chapters[1].html
    );
    // Broken XML is a clear refusal.
    let e = import(
        "bad.docx",
        &zip_of(&[("word/document.xml", "<w:document><w:body><w:p></w:body>")]),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.starts_with("bad.docx: the document's word/document.xml could not be read"),
        "{e}"
    );
}
