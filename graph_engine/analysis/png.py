"""PNG pictures: a :class:`~graph_engine.analysis.picture.Scene` drawn with Pillow, which
is the ``draw`` extra (``pip install 'graph_engine[draw]'``); without it, the message
says so."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph_engine.analysis.picture import EDGE_COLOUR, RELATIONSHIP_ENTRY

if TYPE_CHECKING:
    from pathlib import Path

    from PIL import ImageFont

    from graph_engine.analysis.picture import Edge, Node, Scene, Text


class DrawExtraMissingError(ImportError):
    """PNG pictures need Pillow, which comes with the ``draw`` extra."""

    def __init__(self) -> None:
        super().__init__(
            "PNG pictures need Pillow, which is not installed: "
            "pip install 'graph_engine[draw]' (or draw an .svg, which needs nothing more)"
        )


def require_png() -> None:
    """Raise :class:`DrawExtraMissingError` unless Pillow can be imported."""
    try:
        import PIL.Image  # noqa: PLC0415, F401 - the draw extra, checked on demand
    except ImportError as exc:
        raise DrawExtraMissingError from exc


PNG_MAX_PIXELS = 6000  # the longer side of a PNG; a bigger scene is drawn smaller
SMOOTH_PIXELS = 2500  # up to this size a PNG is drawn twice as big and scaled down (smooth)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


class _Png:
    """A Pillow canvas that draws scene shapes at ``scale`` pixels per scene pixel."""

    def __init__(self, picture: Scene, scale: float) -> None:
        from PIL import Image, ImageDraw  # noqa: PLC0415 - the draw extra

        size = (round(picture.width * scale), round(picture.height * scale))
        self.image = Image.new("RGB", size, "white")
        self.pen = ImageDraw.Draw(self.image)
        self.scale = scale
        self.fonts: dict[float, ImageFont.FreeTypeFont | ImageFont.ImageFont] = {}

    def font(self, px: float) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        from PIL import ImageFont  # noqa: PLC0415 - the draw extra

        if px not in self.fonts:
            self.fonts[px] = ImageFont.load_default(size=max(1.0, px * self.scale))
        return self.fonts[px]

    def at(self, p: tuple[float, float]) -> tuple[float, float]:
        return (p[0] * self.scale, p[1] * self.scale)

    def text(self, t: Text) -> None:
        from PIL import Image, ImageDraw  # noqa: PLC0415 - the draw extra

        face, colour = self.font(t.size), _rgb(t.colour)
        if not t.angle:
            anchor = "ms" if t.anchor == "middle" else "ls"
            self.pen.text(self.at((t.x, t.y)), t.text, fill=colour, font=face, anchor=anchor)
            return
        # Rotated: drawn on its own mask, turned, and pasted centred on its point.
        left, top, right, bottom = self.pen.textbbox((0, 0), t.text, font=face, anchor="mm")
        patch = Image.new("L", (int(right - left) + 4, int(bottom - top) + 4), 0)
        ImageDraw.Draw(patch).text(
            (patch.width / 2, patch.height / 2), t.text, fill=255, font=face, anchor="mm"
        )
        patch = patch.rotate(t.angle, resample=Image.Resampling.BICUBIC, expand=True)
        x, y = self.at((t.x, t.y))
        box = (round(x - patch.width / 2), round(y - patch.height / 2))
        self.image.paste(colour, (*box, box[0] + patch.width, box[1] + patch.height), patch)

    def edge(self, e: Edge) -> None:
        colour = _rgb(EDGE_COLOUR)
        width = max(1, round(1.2 * self.scale))
        self.pen.line([self.at(e.line[0]), self.at(e.line[1])], fill=colour, width=width)
        for head in e.heads:
            self.pen.polygon([self.at(p) for p in head], fill=colour)

    def node(self, n: Node) -> None:
        (x, y), r = self.at(n.xy), n.radius * self.scale
        self.pen.ellipse(
            (x - r, y - r, x + r, y + r),
            fill=_rgb(n.colour),
            outline=(0, 0, 0) if n.center else (255, 255, 255),
            width=max(1, round((3 if n.center else 1) * self.scale)),
        )

    def legend_entry(self, label: str, colour: str, t: Text) -> None:
        x, y = t.x, t.y - 4
        if label == RELATIONSHIP_ENTRY:
            ends = [self.at((x - 16, y)), self.at((x - 4, y))]
            self.pen.line(ends, fill=_rgb(colour), width=max(1, round(2 * self.scale)))
        else:
            self.pen.ellipse(
                (*self.at((x - 15, y - 6)), *self.at((x - 3, y + 6))), fill=_rgb(colour)
            )
        self.text(t)


def write_png(picture: Scene, out: Path) -> None:
    """Draw the scene with Pillow (the ``draw`` extra) into the PNG file ``out``."""
    require_png()
    from PIL import Image  # noqa: PLC0415 - the draw extra

    longest = max(picture.width, picture.height)
    final = min(1.0, PNG_MAX_PIXELS / longest)
    smooth = 2 if longest * final <= SMOOTH_PIXELS else 1
    canvas = _Png(picture, final * smooth)
    for e in picture.edges:
        canvas.edge(e)
    for e in picture.edges:
        canvas.text(e.label)
    for n in picture.nodes:
        canvas.node(n)
    for n in picture.nodes:
        canvas.text(n.name)
    for label, colour, t in picture.legend:
        canvas.legend_entry(label, colour, t)
    canvas.text(picture.caption)
    image = canvas.image
    if smooth > 1:
        size = (round(picture.width * final), round(picture.height * final))
        image = image.resize(size, Image.Resampling.LANCZOS)
    image.save(out, format="PNG")
