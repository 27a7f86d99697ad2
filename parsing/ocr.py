"""Read a page that has no text layer (a scan) with OCR, offline on the CPU.

    words, rules = recognise_page(page, OCR_SETTINGS)   # pdfplumber page -> OcrPage
    content = page_content(ocr_page, cfg)               # parsing/ocr_grid.py -> PageContent

The model is the Chinese PP-OCRv4 detector and recogniser that the `rapidocr-onnxruntime`
wheel carries inside itself (rapidocr_onnxruntime/models/*.onnx), run by onnxruntime: nothing
is downloaded. The page is rendered by pdfplumber (pypdfium2) at `resolution` dpi, straightened
(a scan is often a little skewed), its ruling lines are found with morphology (tables in these
documents are ruled), and the text boxes come back with a confidence per character.
Coordinates are PDF points in the straightened frame, like pdfplumber's.

Every tunable number lives in OCR_SETTINGS, in the style of parsing/read_pdf.py's SETTINGS.
"""
from __future__ import annotations

import functools
import logging
import time
from dataclasses import dataclass, field

import numpy as np

from core import errors

log = logging.getLogger(__name__)

OCR_SETTINGS: dict = {
    # "auto": a scan is rendered at its own resolution (upsampling a scan made the detector
    # lose thin strokes such as a leading 一 on the bench), kept within min/max; pages
    # that are not one full-page image (text turned into outlines) at default_resolution.
    # A number forces that resolution. The engine shrinks anything above max_side pixels.
    "resolution": "auto",
    "min_resolution": 150,
    "max_resolution": 300,
    "default_resolution": 200,
    "max_side": 3600,
    "use_cls": False,  # pages are upright: the 180° classifier only costs time
    "text_score": 0.3,  # keep weak boxes; their doubt is reported, not hidden
    "threads": 0,  # onnxruntime intra-op threads; 0 = one per core
    # straightening: search ±max_skew degrees, coarse then fine
    "max_skew": 3.0,
    "skew_step": 0.2,
    "skew_fine_step": 0.02,
    # ruling lines, in points: longer than any glyph stroke, shorter than a table row
    "h_rule_min": 20.0,
    "v_rule_min": 14.0,
    "rule_gap": 2.5,  # gaps this short in a rule (noise, JPEG) are closed
    "rule_max_thickness": 4.0,  # a thicker dark run is a filled area, not a rule
}


@dataclass
class OcrChar:
    text: str
    x0: float
    x1: float
    score: float


@dataclass
class OcrWord:
    """One text box as the detector found it (a run of text on one line)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    score: float
    chars: list[OcrChar] = field(default_factory=list)

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class Rule:
    """A ruling line: horizontal (y0 == y1) or vertical (x0 == x1), in points."""

    x0: float
    top: float
    x1: float
    bottom: float
    orientation: str  # "h" | "v"


@dataclass
class OcrPage:
    number: int
    width: float
    height: float
    words: list[OcrWord] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    skew: float = 0.0  # degrees the scan was turned back by
    seconds: float = 0.0


# --- the engine ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _engine(text_score: float, max_side: int, threads: int):
    try:
        # lazy: optional OCR package (onnxruntime models); missing, a scan is refused, not a crash
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as err:  # an install without the OCR packages: refuse as before
        raise errors.ScannedPdfError(f"未安装OCR组件（{err.name}）") from None
    params = {"text_score": text_score, "max_side_len": max_side}
    if threads:
        params["intra_op_num_threads"] = threads
    return RapidOCR(**params)


def available() -> bool:
    """Whether the OCR packages are installed (the model ships inside them)."""
    try:
        # lazy: the point of this check is whether the optional OCR package imports at all
        import rapidocr_onnxruntime  # noqa: F401
    except ImportError:
        return False
    return True


def engine(cfg: dict | None = None):
    cfg = {**OCR_SETTINGS, **(cfg or {})}
    return _engine(float(cfg["text_score"]), int(cfg["max_side"]), int(cfg["threads"]))


# --- image ---------------------------------------------------------------------------------


def render(page, resolution: int) -> np.ndarray:
    """The page as a grayscale image (uint8, white paper) at `resolution` dpi."""
    image = page.to_image(resolution=resolution).original
    return np.asarray(image.convert("L"))


def _ink(gray: np.ndarray) -> np.ndarray:
    """Binary image, ink = 255 (Otsu after a light blur: scans carry noise)."""
    # lazy: OpenCV (loads libGL) only for scanned pages; text PDFs read without the OCR packages
    import cv2

    blurred = cv2.GaussianBlur(gray, (3, 3), 0)
    _, ink = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def _rotate(image: np.ndarray, degrees: float, fill: int) -> np.ndarray:
    # lazy: OpenCV (loads libGL) only for scanned pages; text PDFs read without the OCR packages
    import cv2

    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=fill)


def skew_angle(gray: np.ndarray, cfg: dict) -> float:
    """The rotation (degrees, counter-clockwise) that makes text lines level: the angle whose
    row profile of ink is sharpest, searched on a small copy, coarse then fine."""
    # lazy: OpenCV (loads libGL) only for scanned pages; text PDFs read without the OCR packages
    import cv2

    scale = min(1.0, 900 / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = (_ink(small) > 0).astype(np.float32)
    if ink.sum() < 50:  # a blank page
        return 0.0

    def sharpness(angle: float) -> float:
        profile = _rotate(ink, angle, 0).sum(axis=1)
        return float(np.square(np.diff(profile)).sum())

    limit, step, fine = cfg["max_skew"], cfg["skew_step"], cfg["skew_fine_step"]
    coarse = np.arange(-limit, limit + step / 2, step)
    best = max(coarse, key=sharpness)
    around = np.arange(best - step, best + step + fine / 2, fine)
    best = max(around, key=sharpness)
    return float(round(best, 3))


def find_rules(gray: np.ndarray, px_per_pt: float, cfg: dict) -> list[Rule]:
    """Horizontal and vertical ruling lines: long thin runs of ink that survive an opening
    with a kernel longer than any glyph stroke."""
    # lazy: OpenCV (loads libGL) only for scanned pages; text PDFs read without the OCR packages
    import cv2

    ink = _ink(gray)
    out: list[Rule] = []
    gap = max(1, round(cfg["rule_gap"] * px_per_pt))
    thick = cfg["rule_max_thickness"] * px_per_pt
    for orientation, length in (("h", cfg["h_rule_min"]), ("v", cfg["v_rule_min"])):
        n = max(3, round(length * px_per_pt))
        # open first (glyph strokes go, rules stay), then close the small gaps noise left in
        # a rule: closing first would bridge the strokes of neighbouring glyphs into a "rule"
        shape_open, shape_close = ((n, 1), (gap, 1)) if orientation == "h" else ((1, n), (1, gap))
        mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, shape_open))
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, shape_close))
        count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        for x, y, w, h, _area in stats[1:count]:
            if orientation == "h" and h <= thick and w >= n:
                mid = (y + h / 2) / px_per_pt
                out.append(Rule(x / px_per_pt, mid, (x + w) / px_per_pt, mid, "h"))
            elif orientation == "v" and w <= thick and h >= n:
                mid = (x + w / 2) / px_per_pt
                out.append(Rule(mid, y / px_per_pt, mid, (y + h) / px_per_pt, "v"))
    return out


# --- recognition ---------------------------------------------------------------------------


def recognise(image: np.ndarray, px_per_pt: float, cfg: dict) -> list[OcrWord]:
    """Text boxes with their text, confidence and per-character positions, in points."""
    rgb = np.ascontiguousarray(np.stack([image] * 3, axis=-1))
    # keyword arguments reset the engine's thresholds: pass them all
    result, _ = engine(cfg)(rgb, use_cls=cfg["use_cls"], return_word_box=True, text_score=cfg["text_score"],
                            box_thresh=0.5, unclip_ratio=1.6)
    words: list[OcrWord] = []
    for item in result or []:
        box, text, score = item[0], item[1], float(item[2])
        text = text.strip()
        if not text:
            continue
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        word = OcrWord(text, min(xs) / px_per_pt, min(ys) / px_per_pt, max(xs) / px_per_pt,
                       max(ys) / px_per_pt, score)
        if len(item) >= 6 and item[3] and item[4]:
            word.chars = _chars(item[3], item[4], item[5], px_per_pt)
        words.append(word)
    return words


def _chars(boxes, texts, scores, px_per_pt: float) -> list[OcrChar]:
    """Per-character (CJK) or per-word (Latin, digits) boxes as the recogniser placed them."""
    out = []
    for box, text, score in zip(boxes, texts, scores):
        xs = [p[0] for p in box]
        out.append(OcrChar(str(text), min(xs) / px_per_pt, max(xs) / px_per_pt, float(score)))
    return out


def page_resolution(page, cfg: dict) -> int:
    """The dpi to render at: cfg["resolution"], or with "auto" the resolution of the image
    that covers the page (a scan), within min_resolution..max_resolution."""
    if cfg["resolution"] != "auto":
        return int(cfg["resolution"])
    area = float(page.width) * float(page.height)
    best = None
    for image in page.images:
        width_pt = float(image["x1"]) - float(image["x0"])
        height_pt = float(image["bottom"]) - float(image["top"])
        size = image.get("srcsize") or (0, 0)
        if width_pt * height_pt >= 0.5 * area and size[0] and width_pt > 0:
            dpi = size[0] / (width_pt / 72)
            best = dpi if best is None else max(best, dpi)
    if best is None:
        return int(cfg["default_resolution"])
    return int(round(min(max(best, cfg["min_resolution"]), cfg["max_resolution"])))


def recognise_page(page, cfg: dict | None = None) -> OcrPage:
    """OCR one pdfplumber page: render, straighten, find the rules, read the text."""
    cfg = {**OCR_SETTINGS, **(cfg or {})}
    started = time.process_time()
    resolution = page_resolution(page, cfg)
    px_per_pt = resolution / 72
    gray = render(page, resolution)
    angle = skew_angle(gray, cfg)
    if abs(angle) >= cfg["skew_fine_step"]:
        gray = _rotate(gray, angle, 255)
    result = OcrPage(page.page_number, float(page.width), float(page.height), skew=angle)
    result.rules = find_rules(gray, px_per_pt, cfg)
    result.words = recognise(gray, px_per_pt, cfg)
    result.seconds = time.process_time() - started
    log.debug("OCR page %s: %d boxes, %d rules, skew %.2f°, %.1fs CPU", page.page_number,
              len(result.words), len(result.rules), angle, result.seconds)
    return result
