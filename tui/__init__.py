"""The ``stockroom`` command and its Textual app: wires ``store`` and ``devices`` together."""

import os

# A scan should show on the screen within a frame or two: paint up to 120 times a
# second instead of Textual's 60 (it still paints only what changed). Set before
# Textual is imported; TEXTUAL_FPS in the environment wins.
os.environ.setdefault("TEXTUAL_FPS", "120")
