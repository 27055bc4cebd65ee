//! Page images from the same layout as the PDF: PNG through typst-render, SVG through
//! typst-svg (for quick looks, chat messages and review bots).
//!
//! Images are named after their PDF: `131003001-政务服务中心工作.pdf` →
//! `131003001-政务服务中心工作-1.png`, one per page;
//! [`crate::validate::outputs::image_owner`] goes the other way.

use std::path::{Path, PathBuf};

use typst::utils::Scalar;
use typst_layout::PagedDocument;

use crate::config::OutputFormat;

/// Points per inch: a page image at `ppi` has `ppi / 72` pixels per point.
const POINTS_PER_INCH: f64 = 72.0;

/// Each page of `document` as an image in `format` (PNG or SVG), in page order.
pub fn pages(document: &PagedDocument, format: OutputFormat, ppi: f32) -> Vec<Vec<u8>> {
    let options = typst_render::RenderOptions {
        pixel_per_pt: Scalar::new(f64::from(ppi) / POINTS_PER_INCH),
        ..typst_render::RenderOptions::default()
    };
    document
        .pages()
        .iter()
        .map(|page| match format {
            OutputFormat::Svg => typst_svg::svg(page, &typst_svg::SvgOptions::default()).into_bytes(),
            // An empty page still has one pixel; encoding a valid pixmap cannot fail.
            _ => typst_render::render(page, &options).encode_png().unwrap_or_default(),
        })
        .collect()
}

/// The file of page `page` (from 1) of the PDF `pdf` in `format`.
pub fn page_path(pdf: &Path, page: usize, format: OutputFormat) -> PathBuf {
    let stem = pdf.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    pdf.with_file_name(format!("{stem}-{page}.{}", format.extension()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::outputs::image_owner;

    #[test]
    fn images_are_named_after_their_pdf() {
        let pdf = Path::new("out/2024/131003001-政务服务中心工作.pdf");
        let png = page_path(pdf, 2, OutputFormat::Png);
        assert_eq!(png, Path::new("out/2024/131003001-政务服务中心工作-2.png"));
        assert_eq!(image_owner("131003001-政务服务中心工作-2.png").as_deref(), Some("131003001-政务服务中心工作.pdf"));
        assert_eq!(image_owner("report-12.svg").as_deref(), Some("report.pdf"));
        assert_eq!(image_owner("report.pdf"), None);
        assert_eq!(image_owner("a-b.png"), None);
    }
}
