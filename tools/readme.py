#!/usr/bin/env python3
"""Render README.md from nbs/index.ipynb (Quarto, which `nbdev_readme` uses, is not available everywhere).

    python tools/readme.py           # write README.md
    python tools/readme.py --check   # exit 1 if README.md differs from what index.ipynb renders to

Hidden cells (`#| hide`) are dropped, `#|` directive lines are removed, relative image links are made
relative to the repository root, and text outputs are kept as fenced blocks.
"""
import re, sys
from pathlib import Path
import nbformat

ROOT = Path(__file__).resolve().parents[1]
NB, README = ROOT/'nbs'/'index.ipynb', ROOT/'README.md'
HEADER = '<!-- Rendered from nbs/index.ipynb by tools/readme.py: edit the notebook, not this file. -->\n\n'

def _directives(src):
    return [l[3:].strip() for l in src.splitlines() if l.startswith('#|')]

def _hidden(cell):
    d = _directives(cell.source)
    return any(x in ('hide', 'exporti') or x.startswith('include: false') or x.startswith('echo: false') and cell.cell_type == 'code' and not cell.get('outputs')
               for x in d)

def _outputs(cell):
    out = []
    for o in cell.get('outputs', []):
        if o.output_type == 'stream': out.append(o.text)
        elif 'data' in o and 'text/markdown' in o.data: out.append(('md', o.data['text/markdown']))
        elif 'data' in o and 'text/plain' in o.data and 'image/png' not in o.data: out.append(o.data['text/plain'])
    return out

def render(nb_path=NB):
    nb = nbformat.read(nb_path, as_version=4)
    parts = []
    for cell in nb.cells:
        if _hidden(cell): continue
        src = '\n'.join(l for l in cell.source.splitlines() if not l.startswith('#|')).strip('\n')
        if cell.cell_type == 'markdown':
            parts.append(re.sub(r'\]\((?!https?://|/|#)([^)]+)\)', r'](nbs/\1)', src))
        elif cell.cell_type == 'code':
            echo = 'echo: false' not in _directives(cell.source)
            if src and echo: parts.append(f'```python\n{src}\n```')
            for o in _outputs(cell):
                parts.append(o[1].strip() if isinstance(o, tuple) else f'```\n{o.rstrip()}\n```')
    return HEADER + '\n\n'.join(p for p in parts if p) + '\n'

def main(argv):
    text = render()
    if '--check' in argv:
        if not README.exists() or README.read_text(encoding='utf-8') != text:
            print('README.md does not match nbs/index.ipynb: run `python tools/readme.py` and commit the result')
            return 1
        print('README.md matches nbs/index.ipynb'); return 0
    README.write_text(text, encoding='utf-8'); print(f'wrote {README}'); return 0

if __name__ == '__main__': sys.exit(main(sys.argv[1:]))
