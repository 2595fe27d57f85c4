#!/usr/bin/env python3
"""Lines of the exported library no longer than `MAX_LINE` characters.

    python tools/code_check.py          # exit 1 and one line per long line

Lines nbdev writes itself (the `__all__` list, the `# %%` cell markers, `_modidx.py`) are not counted: they are
generated, not read. Statements joined with `;` and other layout are `ruff format`'s concern.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINE = 120

def long_lines(path:Path) -> list[tuple[int, int]]:
    "(line number, length) of the lines over `MAX_LINE` characters that a person wrote."
    out, in_all = [], False
    for n, line in enumerate(path.read_text(encoding='utf-8').split('\n'), 1):
        in_all = line.startswith('__all__') or (in_all and line.startswith(' '))
        if in_all or line.startswith('# %%'): continue
        if len(line) > MAX_LINE: out.append((n, len(line)))
    return out

def main() -> int:
    problems = [f'{f.relative_to(ROOT)}:{n}: {k} characters (at most {MAX_LINE})'
                for f in sorted((ROOT/'slip').rglob('*.py')) if f.name != '_modidx.py' for n, k in long_lines(f)]
    for p in problems: print(p)
    print(f'code check: {len(problems)} long line(s)' if problems else 'code check: every line fits')
    return 1 if problems else 0

if __name__ == '__main__': sys.exit(main())
