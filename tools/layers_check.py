"""slip's layers: the import graph of `slip/` has no circle, no module (nor script in bench/ or tools/) imports
another's private name, and every numbered notebook imports only modules whose notebooks come before it.

    python tools/layers_check.py            # exit 1 and one line per problem, else a summary of the layers
    python tools/layers_check.py --graph    # also print each module's imports of slip modules
"""
import ast, json, re, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / 'slip'


def module_name(path: Path) -> str:
    "`slip/models/sam.py` -> `slip.models.sam`; a package's `__init__.py` -> the package."
    parts = list(path.relative_to(ROOT).with_suffix('').parts)
    return '.'.join(parts[:-1] if parts[-1] == '__init__' else parts)


def imports(tree: ast.AST, module: str, is_package: bool) -> list[tuple[str, list[str]]]:
    "Every (slip module, [names]) that `tree` imports, at any depth (imports inside functions too)."
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, []) for a in node.names if a.name.split('.')[0] == 'slip']
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split('.') if is_package else module.split('.')[:-1]
                base = base[: len(base) - node.level + 1]
                target = '.'.join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ''
            if target.split('.')[0] == 'slip':
                out.append((target, [a.name for a in node.names]))
    return out


def resolve(target: str, names: list[str], modules: set[str]) -> list[tuple[str, str | None]]:
    "(module, name) pairs: `from slip.models import sam` is the module slip.models.sam, not a name in it."
    if not names:
        return [(target, None)]
    return [(f'{target}.{n}', None) if f'{target}.{n}' in modules else (target, n) for n in names]


def graph() -> tuple[dict[str, set[str]], list[str]]:
    "The import graph of slip's modules, and the private names imported across modules."
    files = {module_name(p): p for p in PKG.rglob('*.py') if p.name != '_modidx.py'}
    modules, edges, private = set(files), {}, []
    for m, p in files.items():
        edges[m] = set()
        for target, names in imports(ast.parse(p.read_text()), m, p.name == '__init__.py'):
            for dep, name in resolve(target, names, modules):
                if dep == m or dep == 'slip':
                    continue
                edges[m].add(dep)
                if name and name.startswith('_') and not name.startswith('__'):
                    private.append(f'{m} imports the private name {name} from {dep}')
    return edges, private


def scripts_private(modules: set[str]) -> list[str]:
    "The private names that the scripts in bench/ and tools/ import from slip (a script uses what a user can)."
    out = []
    for f in sorted([*(ROOT / 'bench').glob('*.py'), *(ROOT / 'tools').glob('*.py')]):
        for target, names in imports(ast.parse(f.read_text()), 'scripts', False):
            for dep, name in resolve(target, names, modules):
                if name and name.startswith('_') and not name.startswith('__'):
                    out.append(f'{f.relative_to(ROOT)} imports the private name {name} from {dep}')
    return out


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    "The strongly connected components with more than one module (Tarjan's algorithm)."
    index, low, stack, on, out, n = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def notebook_order() -> tuple[dict[str, tuple[str, float]], list[str]]:
    "module -> (notebook, its number), and the imports of notebooks that reach forward."
    nbs, numbered = {}, {}
    for nb in sorted((ROOT / 'nbs').rglob('*.ipynb')):
        m = re.match(r'(\d+)([a-z]?)_', nb.name)
        if not m:
            continue
        cells = json.loads(nb.read_text())['cells']
        src = [''.join(c['source']) for c in cells if c['cell_type'] == 'code']
        exp = next((re.search(r'#\|\s*default_exp\s+(\S+)', s) for s in src if 'default_exp' in s), None)
        number = int(m[1]) + (ord(m[2]) - 96) / 100 if m[2] else int(m[1])
        numbered[nb] = (number, src)
        if exp:
            nbs['slip.' + exp[1]] = (nb.name, number)
    forward = []
    modules = set(nbs)
    for nb, (number, src) in numbered.items():
        for s in src:
            try:
                tree = ast.parse('\n'.join(l for l in s.splitlines() if not l.lstrip().startswith(('%', '!'))))
            except SyntaxError:
                continue
            for target, names in imports(tree, 'slip.__nb__', False):
                for dep, _ in resolve(target, names, modules):
                    if dep in nbs and nbs[dep][1] > number:
                        forward.append(f'{nb.name} imports {dep} from the later {nbs[dep][0]}')
    return nbs, sorted(set(forward))


def main() -> int:
    edges, private = graph()
    problems = [f"import circle: {' -> '.join(c)}" for c in cycles(edges)] + private + scripts_private(set(edges))
    _, forward = notebook_order()
    problems += forward
    if '--graph' in sys.argv:
        for m in sorted(edges):
            print(f"{m}: {', '.join(sorted(edges[m])) or '-'}")
    for p in problems:
        print(p)
    if problems:
        print(f'{len(problems)} layering problem(s)')
        return 1
    print(f'{len(edges)} modules, no import circle, no private name across modules, notebooks import only earlier ones')
    return 0


if __name__ == '__main__':
    sys.exit(main())
