"""Reading label files back as a scanner would: PNG images and rasterised SVG bars decoded with zxing-cpp."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import zxingcpp
from PIL import Image, ImageDraw

from store.label_drawing import LABEL, cell_origin

SVG = "{http://www.w3.org/2000/svg}"


def svg_image(path: Path) -> Image.Image:
    """The SVG's black rectangles drawn on a white image of its viewBox size (its text left out)."""
    root = ET.parse(path).getroot()
    _, _, width, height = (int(float(n)) for n in root.attrib["viewBox"].split())
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    for rect in root.iter(f"{SVG}rect"):
        x, y, w, h = (int(float(rect.attrib[k])) for k in ("x", "y", "width", "height"))
        fill = 0 if rect.attrib["fill"] == "#000000" else 255
        draw.rectangle((x, y, x + w - 1, y + h - 1), fill=fill)
    return image


def image_of(path: Path) -> Image.Image:
    """The label file as an image: a PNG read directly, an SVG rasterised."""
    return svg_image(path) if path.suffix == ".svg" else Image.open(path)


def decoded(image: Image.Image) -> list[tuple[str, str]]:
    """``(format name, text)`` of every barcode zxing-cpp finds in the image."""
    return [(result.format.name, result.text) for result in zxingcpp.read_barcodes(image)]


def read_label(path: Path) -> tuple[str, str]:
    """The one barcode of a label file; fails if there is not exactly one."""
    found = decoded(image_of(path))
    assert len(found) == 1, (path.name, found)
    return found[0]


def read_sheet(path: Path) -> list[tuple[str, str] | None]:
    """Each cell of a sheet page, row by row: its barcode, or None for a blank cell."""
    page = image_of(path)
    cells: list[tuple[str, str] | None] = []
    for index in range(24):
        x, y = cell_origin(index)
        found = decoded(page.crop((x, y, x + LABEL[0], y + LABEL[1])))
        assert len(found) <= 1, found
        cells.append(found[0] if found else None)
    return cells


def svg_texts(path: Path) -> list[str]:
    """The text lines of an SVG label, as a viewer shows them (entities resolved)."""
    return [element.text or "" for element in ET.parse(path).getroot().iter(f"{SVG}text")]
