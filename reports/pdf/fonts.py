"""The PDF's fonts: DejaVu Sans where Debian's fonts are installed (Latin, Greek, Cyrillic
and more: a Welsh or Polish school name prints as written), else the Bitstream Vera that
ReportLab ships, else Helvetica; a character the font lacks prints as a blank box, never
an error."""

from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

_FONT_CANDIDATES = [
    (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
    (
        Path(reportlab.__file__).parent / "fonts" / "Vera.ttf",
        Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf",
    ),
]
_fonts: tuple[str, str] | None = None


def fonts() -> tuple[str, str]:
    """The (regular, bold) font names, registered once: the first TTF pair found, else
    ReportLab's built-in Helvetica."""
    global _fonts
    if _fonts is None:
        _fonts = ("Helvetica", "Helvetica-Bold")
        for regular, bold in _FONT_CANDIDATES:
            if regular.is_file() and bold.is_file():
                # Named by the file, so that two fonts never share a registered name.
                names = (f"Report-{regular.stem}", f"Report-{bold.stem}")
                try:
                    pdfmetrics.registerFont(TTFont(names[0], str(regular)))
                    pdfmetrics.registerFont(TTFont(names[1], str(bold)))
                except Exception:  # noqa: BLE001 - a broken font file: try the next one
                    continue
                pdfmetrics.registerFontFamily(names[0], normal=names[0], bold=names[1])
                _fonts = names
                break
    return _fonts
