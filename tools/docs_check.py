#!/usr/bin/env python3
"""Checks of the docs pages that need no Quarto, run on the processed notebooks (`nbdev_proc_nbs` writes `_proc/`).

    nbdev_proc_nbs && python tools/docs_check.py            # exit 1 and one line per problem

- every notebook opens with one markdown cell holding `# Title` and `> description`;
- stored text outputs are no wider than `MAX_WIDTH` characters, and a notebook's stored outputs weigh at most
  `MAX_OUTPUT_KB`; no temporary paths, progress-bar debris or empty DataFrames in them;
- no image is given a fixed width wider than the page;
- every public function, class and method that `slip` exports has a docstring;
- markdown speaks about the product: no dates outside tables, no words about how the project is worked on.
"""
import importlib, inspect, json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_WIDTH = 120              # characters of a stored text output line
MAX_OUTPUT_KB = 300          # stored outputs of one notebook
MAX_IMAGE_WIDTH = 900        # pixels: a fixed width above this overflows the page
DEBRIS = [(re.compile(r'/tmp/|/var/folders/|\\AppData\\Local\\Temp'), 'a temporary path'),
          (re.compile(r'\d+%\|[█▏▎▍▌▋▊▉ ]*\|'), 'a progress bar'),
          (re.compile(r'^Empty DataFrame', re.M), 'an empty DataFrame')]
DATE = re.compile(r'\b20\d\d-\d\d-\d\d\b')
PROCESS_WORDS = re.compile(r'\b(this session|sessions?\b|lent\b|borrowed|time ran out|ran out of time|was run on|'
                           r'were run on|at first|used to be|until 20\d\d|no longer|previously|earlier run|this round)',
                           re.I)

def _text(o) -> str:
    if o.get('output_type') == 'stream': return ''.join(o.get('text', ''))
    d = o.get('data', {})
    return ''.join(d.get('text/plain', '')) if not ({'text/html', 'text/markdown'} & set(d)) else ''

def check_notebook(path:Path) -> list[str]:
    nb, out = json.loads(path.read_text(encoding='utf-8')), []
    cells = nb['cells']
    if cells and cells[0]['cell_type'] == 'raw':          # processed: nbdev moved title and description here
        fm = ''.join(cells[0]['source'])
        if not re.search(r'^title:', fm, re.M) or not re.search(r'^description:', fm, re.M):
            out.append('the page header lacks a title or a description: open with "# Title" and "> description" '
                       'in one markdown cell')
    else:
        md = [c for c in cells if c['cell_type'] == 'markdown']
        first = ''.join(md[0]['source']).strip().split('\n') if md else []
        if not first or not first[0].startswith('# ') or not any(l.startswith('> ') for l in first):
            out.append('the first markdown cell must hold "# Title" and "> description"')
    size = sum(len(json.dumps(o)) for c in cells for o in c.get('outputs', []))
    if size > MAX_OUTPUT_KB * 1024: out.append(f'stored outputs are {size // 1024} KB (at most {MAX_OUTPUT_KB} KB)')
    for k, c in enumerate(cells):
        for o in c.get('outputs', []):
            t = _text(o)
            wide = [l for l in t.split('\n') if len(l) > MAX_WIDTH]
            if wide: out.append(f'cell {k}: an output line of {len(wide[0])} characters (at most {MAX_WIDTH})')
            for rx, what in DEBRIS:
                if rx.search(t) or any(rx.search(''.join(v)) for v in o.get('data', {}).values() if isinstance(v, (str, list))
                                       and not str(v).startswith('iVBOR')):
                    out.append(f'cell {k}: {what} in a stored output')
            w = (o.get('metadata', {}).get('image/png', {}) or {}).get('width', 0)
            if w > MAX_IMAGE_WIDTH: out.append(f'cell {k}: an image fixed at {w} px wide')
        if c['cell_type'] != 'markdown': continue
        s = ''.join(c['source'])
        for m in re.finditer(r'width\s*=\s*"?(\d+)', s):
            if int(m.group(1)) > MAX_IMAGE_WIDTH: out.append(f'cell {k}: an image fixed at {m.group(1)} px wide')
        prose = '\n'.join(l for l in s.split('\n') if not l.lstrip().startswith('|'))
        for m in DATE.finditer(prose): out.append(f'cell {k}: a date in the text ({m.group()}); dates belong in results tables')
        for m in PROCESS_WORDS.finditer(prose): out.append(f'cell {k}: {m.group()!r} speaks of how the project is worked on')
    return out

def _own(obj, mod) -> bool: return getattr(obj, '__module__', None) == mod.__name__

def undocumented() -> list[str]:
    "Public functions, classes and methods defined in slip's modules without a docstring."
    sys.path.insert(0, str(ROOT))
    out = []
    for f in sorted((ROOT/'slip').rglob('*.py')):
        if f.name.startswith('_'): continue
        mod = importlib.import_module('.'.join(f.relative_to(ROOT).with_suffix('').parts))
        for name in getattr(mod, '__all__', []):
            obj = getattr(mod, name)
            if not (inspect.isfunction(obj) or inspect.isclass(obj)) or not _own(obj, mod): continue
            if not inspect.getdoc(obj): out.append(f'{mod.__name__}.{name}')
            if not inspect.isclass(obj): continue
            for m, v in vars(obj).items():
                fn = v.__func__ if isinstance(v, (classmethod, staticmethod)) else v.fget if isinstance(v, property) else v
                if m.startswith('_') or not inspect.isfunction(fn): continue
                if fn.__qualname__.split('.')[0] != obj.__name__: continue    # made by a decorator (dataclass)
                doc = v.__doc__ if isinstance(v, property) else fn.__doc__
                if not doc: out.append(f'{mod.__name__}.{name}.{m}')
    return out

def main(argv) -> int:
    folder = Path(argv[0]) if argv else ROOT/'_proc'
    if not folder.is_dir(): print(f'{folder} not found: run nbdev_proc_nbs first'); return 1
    problems = [f'{p.name}: {msg}' for p in sorted(folder.glob('*.ipynb')) for msg in dict.fromkeys(check_notebook(p))]
    problems += [f'{name}: exported without a docstring' for name in undocumented()]
    for p in problems: print(p)
    print(f'docs check: {len(problems)} problem(s)' if problems else 'docs check: all pages pass')
    return 1 if problems else 0

if __name__ == '__main__': sys.exit(main(sys.argv[1:]))
