#!/usr/bin/env python3
"""Tidy the notebooks' stored outputs: images small (JPEG, at most `MAX_WIDTH` pixels wide, no fixed display
width), and environment warnings that say nothing about slip dropped.

    python tools/tidy_outputs.py nbs/*.ipynb      # rewrites the notebooks it tidies

The docs show stored outputs as stored, so a figure saved as a retina PNG weighs hundreds of KB. The picture is
the same one, re-encoded and scaled down; nothing else in the notebook changes.
"""
import base64, io, json, re, sys
from pathlib import Path
from PIL import Image

MAX_WIDTH = 900      # pixels, the docs page's width
QUALITY = 85         # JPEG quality
SMALL = 60_000       # bytes: images below this, and no wider than MAX_WIDTH, stay as they are
NOISE = ('TqdmWarning: IProgress not found',)   # stderr of the notebook environment, not of slip
BAR = re.compile(r'\d+%\|')                     # a progress bar left in stderr by a long cell

def shrink(data:str) -> str|None:
    "A base64 PNG as a smaller base64 JPEG, or None when it is small already."
    raw = base64.b64decode(data)
    img = Image.open(io.BytesIO(raw))
    if len(raw) <= SMALL and img.width <= MAX_WIDTH: return None
    img = img.convert('RGB')
    if img.width > MAX_WIDTH: img = img.resize((MAX_WIDTH, round(img.height * MAX_WIDTH / img.width)), Image.LANCZOS)
    out = io.BytesIO(); img.save(out, 'JPEG', quality=QUALITY, optimize=True)
    return base64.b64encode(out.getvalue()).decode() if out.tell() < len(raw) else None

def _noise(text:str) -> bool: return not text.strip() or any(w in text for w in NOISE) or bool(BAR.search(text))

def shrink_notebook(path:Path) -> int:
    "Shrink the image outputs of one notebook and drop its environment noise, in place; returns the changes."
    nb, n = json.loads(path.read_text(encoding='utf-8')), 0
    for c in nb['cells']:
        outs = c.get('outputs', [])
        keep = [o for o in outs if not (o.get('name') == 'stderr' and _noise(''.join(o.get('text', ''))))]
        if len(keep) < len(outs): c['outputs'], n = keep, n + len(outs) - len(keep)
        for o in c.get('outputs', []):
            d = o.get('data', {})
            if 'image/png' not in d: continue
            small = shrink(''.join(d['image/png']) if isinstance(d['image/png'], list) else d['image/png'])
            if small is None: continue
            del d['image/png']; d['image/jpeg'] = small
            o.get('metadata', {}).pop('image/png', None); n += 1
    if n: path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n', encoding='utf-8')
    return n

if __name__ == '__main__':
    for p in sys.argv[1:]:
        k = shrink_notebook(Path(p))
        if k: print(f'{p}: {k} output(s) tidied')
