#!/usr/bin/env python3
"""The docs pages document every exported name once, in the order the notebook defines it.

    python tools/show_docs.py           # insert the show_doc cells that keep the order (notebooks rewritten)
    python tools/show_docs.py --check   # exit 1 and one line per cell that nbdev would document out of order

nbdev adds a `show_doc` cell after each exported cell for every public name it defines, unless the notebook
shows that name itself. It inserts them one by one at the same place, so a cell that defines several names
is documented in reverse; and it compares a `@patch`ed method by its bare name, so a method the notebook shows
itself (`show_doc(SLIP.replace)`) is documented twice. This tool mends both in the notebooks: a cell defining
several plain names is followed by one cell showing them in order, and a `@patch` cell keeps one public method,
which nbdev documents (so the notebook does not show it again).
"""
import ast, json, re, sys, uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WANT = re.compile(r'^#\|\s*(export|exports|exec_doc)\b', re.M)
SKIP = re.compile(r'^#\|\s*(hide\b|include:\s*false)', re.M)
SHOW = re.compile(r'^show_doc\(([\w.]+)\)\s*$', re.M)
IMPORT = 'from nbdev.showdoc import show_doc'


def _code(c) -> str:
    return '\n'.join(l for l in ''.join(c['source']).splitlines() if not l.startswith('#|'))


def _patched(d) -> str | None:
    "`Cls.name` for a function decorated with fastcore's `@patch` (its first argument annotated `Cls`), else None."
    if not any(getattr(x, 'id', None) == 'patch' for x in d.decorator_list):
        return None
    a = d.args.args[0].annotation if d.args.args else None
    return f'{a.id}.{d.name}' if isinstance(a, ast.Name) else None


def documented(c) -> list[tuple[str, bool]]:
    "The names nbdev documents after cell `c`, in source order: (name, patched)."
    if c['cell_type'] != 'code' or not WANT.search(''.join(c['source'])) or SKIP.search(''.join(c['source'])):
        return []
    try:
        body = ast.parse(_code(c)).body
    except SyntaxError:
        return []
    out = []
    for d in body:
        if isinstance(d, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if d.name[0] != '_' or d.name[:2] == '__':
                p = _patched(d) if not isinstance(d, ast.ClassDef) else None
                out.append((p or d.name, p is not None))
    return out


def shown(cells) -> set[str]:
    return {m for c in cells if c['cell_type'] == 'code' for m in SHOW.findall(''.join(c['source']))}


def problems(path: Path) -> list[str]:
    cells, out = json.loads(path.read_text())['cells'], []
    seen = shown(cells)
    for k, c in enumerate(cells):
        names = documented(c)
        plain = [n for n, p in names if not p and n not in seen]
        patched = [n for n, p in names if p]
        if len(plain) + len(patched) > 1:
            out.append(f'{path.name} cell {k}: {", ".join(plain + patched)} would be documented in reverse order')
        twice = [n for n in patched if n in seen]
        if twice:
            out.append(f'{path.name} cell {k}: {", ".join(twice)} documented twice (nbdev shows @patch methods)')
    return out


def _cell(src: str) -> dict:
    return {'cell_type': 'code', 'execution_count': None, 'id': uuid.uuid4().hex[:8], 'metadata': {}, 'outputs': [],
            'source': src.splitlines(keepends=True)}


def _split_patches(c) -> list[dict]:
    "Cell `c` split before each `@patch` method after its first: one documented method a cell."
    lines = ''.join(c['source']).split('\n')
    head = sum(1 for l in lines if l.startswith('#|'))
    body = ast.parse(_code(c)).body
    starts = [min([d.lineno] + [x.lineno for x in d.decorator_list]) - 1 + head for d in body
              if isinstance(d, (ast.FunctionDef, ast.AsyncFunctionDef)) and _patched(d) and d.name[0] != '_']
    directives = [l for l in lines[:head]]
    parts, cuts = [], [head] + starts[1:] + [len(lines)]
    for a, b in zip(cuts, cuts[1:]):
        chunk = '\n'.join(lines[a:b]).strip('\n')
        parts.append('\n'.join(directives + [chunk]))
    first = dict(c, source=parts[0].splitlines(keepends=True))
    return [first] + [_cell(p) for p in parts[1:]]


def fix(path: Path) -> bool:
    nb = json.loads(path.read_text())
    cells, changed = nb['cells'], False
    patched = {n for c in cells for n, p in documented(c) if p}
    for c in cells:  # nbdev shows @patch methods itself: the notebook's own show_doc of them goes
        src = ''.join(c['source'])
        if c['cell_type'] == 'code' and any(m in patched for m in SHOW.findall(src)):
            kept = [l for l in src.splitlines() if not (SHOW.match(l) and SHOW.match(l).group(1) in patched)]
            c['source'], changed = '\n'.join(kept).splitlines(keepends=True), True
    cells = [c for c in cells if c['cell_type'] != 'code' or ''.join(c['source']).strip()]
    out, seen = [], shown(cells)
    for c in cells:
        names = documented(c)
        if sum(p for _, p in names) > 1:
            out.extend(_split_patches(c))
            changed = True
        else:
            out.append(c)
        plain = [n for n, p in names if not p and n not in seen]
        if len(plain) > 1:
            out.append(_cell('\n'.join(f'show_doc({n})' for n in plain)))
            seen |= set(plain)
            changed = True
    if any('show_doc(' in ''.join(c['source']) for c in out) and not any(IMPORT in ''.join(c['source']) for c in out):
        hide = next(c for c in out if c['cell_type'] == 'code' and ''.join(c['source']).startswith('#| hide'))
        hide['source'] = (''.join(hide['source']).rstrip('\n') + '\n' + IMPORT).splitlines(keepends=True)
        changed = True
    if changed:
        nb['cells'] = out
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
    return changed


if __name__ == '__main__':
    nbs = sorted((ROOT / 'nbs').glob('[0-9]*.ipynb'))
    if '--check' in sys.argv:
        found = [p for f in nbs for p in problems(f)]
        print('\n'.join(found) or f'show_doc: {len(nbs)} notebooks document each name once, in order')
        sys.exit(1 if found else 0)
    print('\n'.join(f'rewrote {f.name}' for f in nbs if fix(f)) or 'nothing to change')
