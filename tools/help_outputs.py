#!/usr/bin/env python3
"""Store what `slip COMMAND --help` prints as the output of each `show_help(...)` cell of nbs/90_cli.ipynb, so that
the docs site (which shows stored outputs) shows the help the command gives now.

    python tools/help_outputs.py            # rewrite the outputs; exit 1 if they were stale
    python tools/help_outputs.py --check    # only say whether they are stale

Each help runs in a fresh process, in a terminal 100 columns wide, as `show_help` in the notebook runs it.
"""
import ast, json, os, re, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / 'nbs' / '90_cli.ipynb'
CALL = re.compile(r'^show_help\((.*)\)$')


def help_text(args: tuple) -> str:
    "What `slip ARGS --help` prints, 100 columns wide."
    code = 'import sys; from slip.cli import main; sys.exit(main())'
    env = os.environ | {'COLUMNS': '100'}
    p = subprocess.run([sys.executable, '-c', code, *args, '--help'], capture_output=True, text=True, env=env)
    if p.returncode != 0:
        raise SystemExit(f'slip {" ".join(args)} --help failed:\n{p.stderr}')
    return p.stdout + '\n'  # show_help prints it, adding a newline


def main() -> int:
    nb = json.loads(NOTEBOOK.read_text())
    stale = 0
    for cell in nb['cells']:
        m = CALL.match(''.join(cell['source']).strip()) if cell['cell_type'] == 'code' else None
        if not m:
            continue
        args = ast.literal_eval(f'({m[1]},)') if m[1] else ()
        out = [{'name': 'stdout', 'output_type': 'stream', 'text': help_text(args).splitlines(keepends=True)}]
        if cell.get('outputs') != out:
            stale += 1
            cell['outputs'] = out
    if '--check' not in sys.argv and stale:
        NOTEBOOK.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
    print(f'{stale} stored help output(s) {"stale" if "--check" in sys.argv else "refreshed"}')
    return 1 if stale else 0


if __name__ == '__main__':
    sys.exit(main())
