"""Demo photos drawn with Pillow, so the demo downloads and commits no picture."""

import io
import random

from PIL import Image, ImageDraw

SIZE = (800, 600)

PALETTES = {
    "fish": ((86, 140, 170), (150, 196, 214), (110, 120, 90)),
    "eggs": ((214, 180, 120), (244, 226, 190), (240, 232, 214)),
    "hen": ((120, 150, 80), (190, 210, 140), (160, 70, 40)),
    "meat": ((120, 60, 40), (200, 140, 110), (150, 40, 30)),
    "greens": ((70, 130, 60), (160, 200, 120), (60, 150, 60)),
    "tuber": ((140, 100, 60), (210, 180, 140), (170, 70, 90)),
    "citrus": ((90, 130, 60), (200, 220, 150), (230, 110, 40)),
    "oil": ((170, 150, 60), (240, 220, 140), (220, 170, 30)),
    "grain": ((170, 150, 100), (240, 230, 200), (250, 245, 230)),
    "dried": ((130, 110, 80), (220, 200, 170), (120, 130, 60)),
    "household": ((90, 120, 80), (200, 210, 180), (160, 120, 90)),
}


def _background(draw: ImageDraw.ImageDraw, top, bottom) -> None:
    width, height = SIZE
    for y in range(height):
        t = y / height
        colour = tuple(int(top[i] * (1 - t) + bottom[i] * t) for i in range(3))
        draw.line([(0, y), (width, y)], fill=colour)


def _subject(draw: ImageDraw.ImageDraw, kind: str, colour, rng: random.Random) -> None:
    if kind == "fish":
        for _ in range(3):
            x, y = rng.randint(120, 520), rng.randint(150, 420)
            draw.ellipse([x, y, x + 220, y + 90], fill=colour)
            draw.polygon(
                [(x + 210, y + 45), (x + 280, y), (x + 280, y + 90)], fill=colour
            )
            draw.ellipse([x + 30, y + 30, x + 45, y + 45], fill=(20, 20, 20))
    elif kind in ("eggs", "citrus", "tuber", "grain"):
        for _ in range(14):
            x, y = rng.randint(80, 640), rng.randint(200, 480)
            w = rng.randint(70, 110)
            draw.ellipse(
                [x, y, x + w, y + int(w * 1.25)], fill=colour, outline=(90, 70, 50)
            )
    elif kind == "hen":
        draw.ellipse([250, 220, 550, 460], fill=colour)
        draw.ellipse([480, 150, 600, 270], fill=colour)
        draw.polygon([(600, 200), (650, 215), (600, 230)], fill=(230, 170, 40))
        draw.polygon([(510, 150), (530, 110), (550, 150)], fill=(200, 30, 30))
    elif kind == "greens":
        for _ in range(10):
            x, y = rng.randint(60, 660), rng.randint(200, 420)
            draw.pieslice([x, y, x + 140, y + 200], 180, 360, fill=colour)
    else:
        draw.rounded_rectangle([230, 170, 570, 470], radius=40, fill=colour)
        draw.rounded_rectangle([330, 110, 470, 180], radius=16, fill=colour)


def draw_photo(kind: str, seed: int) -> bytes:
    """A JPEG of a simple scene for one kind of produce (or a household's yard)."""
    rng = random.Random(seed)
    top, bottom, subject = PALETTES.get(kind, PALETTES["household"])
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    _background(draw, top, bottom)
    if kind == "household":
        draw.polygon([(220, 300), (400, 160), (580, 300)], fill=(150, 60, 40))
        draw.rectangle([250, 300, 550, 480], fill=(230, 220, 200))
        draw.rectangle([370, 380, 430, 480], fill=(110, 80, 50))
        draw.ellipse([600, 60, 700, 160], fill=(250, 230, 160))
    else:
        _subject(draw, kind, subject, rng)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()
