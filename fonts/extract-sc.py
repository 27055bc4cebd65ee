"""Extract the Simplified Chinese (SC) face from a Noto CJK .ttc collection.

Usage: python3 extract-sc.py <collection.ttc> <output.otf>

The face is chosen by its family name (name ID 1 ending in " SC"), written
unchanged (no subsetting, no hinting changes) with fontTools.
"""
import sys
from fontTools.ttLib import TTCollection

src, dst = sys.argv[1], sys.argv[2]
collection = TTCollection(src, lazy=False, recalcTimestamp=False, recalcBBoxes=False)
for font in collection.fonts:
    family = font["name"].getDebugName(1)
    if family.endswith(" SC"):
        font.save(dst)
        print(f"{family} -> {dst}")
        break
else:
    sys.exit(f"no SC face in {src}")
