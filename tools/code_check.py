#!/usr/bin/env python3
"""Lines of the exported library no longer than `MAX_LINE` characters, functions no longer than `MAX_FUNCTION`
lines and classes no longer than `MAX_CLASS` lines (a class's methods in `@patch` cells count on their own).

    python tools/code_check.py          # exit 1 and one line per long line, function or class

Lines nbdev writes itself (the `__all__` list, the `# %%` cell markers, `_modidx.py`) are not counted: they are
generated, not read. Statements joined with `;` and other layout are `ruff format`'s concern.
"""
import ast, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINE = 120
MAX_FUNCTION, MAX_CLASS = 40, 60

def long_lines(path:Path) -> list[tuple[int, int]]:
    "(line number, length) of the lines over `MAX_LINE` characters that a person wrote."
    out, in_all = [], False
    for n, line in enumerate(path.read_text(encoding='utf-8').split('\n'), 1):
        in_all = line.startswith('__all__') or (in_all and line.startswith(' '))
        if in_all or line.startswith('# %%'): continue
        if len(line) > MAX_LINE: out.append((n, len(line)))
    return out

def long_blocks(path:Path) -> list[str]:
    "The functions over `MAX_FUNCTION` lines and classes over `MAX_CLASS` lines in `path`, as 'line: what'."
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding='utf-8'))):
        n = getattr(node, 'end_lineno', 0) - getattr(node, 'lineno', 0) + 1
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and n > MAX_FUNCTION:
            out.append(f'{node.lineno}: function {node.name} has {n} lines (at most {MAX_FUNCTION})')
        elif isinstance(node, ast.ClassDef) and n > MAX_CLASS:
            out.append(f'{node.lineno}: class {node.name} has {n} lines (at most {MAX_CLASS})')
    return out

def main() -> int:
    files = [f for f in sorted((ROOT/'slip').rglob('*.py')) if f.name != '_modidx.py']
    problems = [f'{f.relative_to(ROOT)}:{n}: {k} characters (at most {MAX_LINE})' for f in files for n, k in long_lines(f)]
    problems += [f'{f.relative_to(ROOT)}:{b}' for f in files for b in long_blocks(f)]
    for p in problems: print(p)
    print(f'code check: {len(problems)} problem(s)' if problems else
          f'code check: every line fits, no function over {MAX_FUNCTION} lines, no class over {MAX_CLASS}')
    return 1 if problems else 0

if __name__ == '__main__': sys.exit(main())
