#!/usr/bin/env python3
"""Checks two layout rules of the workspace's Rust sources.

1. No import circle inside a crate. Files are nodes; a file points at another when its code names
   an item the other defines (`use crate::…`, `super::…`, `self::…`, a child module's path, or an
   inline `crate::a::b` path), with re-exports (`pub use`, `use` bindings and globs) followed to
   the file that defines the item. A circle is allowed only for a family of at most 3 files
   that define one concept together, each saying so in its module header with a line
   `//! One concept with <other files>: <why>`.
2. No source file over 600 lines unless its module header says `//! One concept: <what>`.

Usage: python3 .ci/import_circles.py [ROOT]   (exit 1 and a list of problems when a rule breaks)

This is a reader of the common shapes of Rust paths, not a compiler: it over-approximates (a
name it cannot place is charged to the module that would hold it), which errs on the side of
reporting a circle.
"""

import os
import re
import sys

MAX_LINES = 600
FAMILY_MARK = "//! One concept with"
LONG_MARK = "//! One concept:"
FAMILY_MAX = 3
IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
SKIP_DIRS = {"target", ".git", "node_modules", "snapshots", "ui"}


def strip_code(text):
    """Blanks comments, strings and char literals, keeping line structure."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "r" and re.match(r'r#*"', text[i:i + 260]) and not re.match(
            r"[A-Za-z0-9_]", text[i - 1] if i else " "
        ):
            hashes = re.match(r'r(#*)"', text[i:]).group(1)
            end = text.find('"' + hashes, i + 2 + len(hashes))
            j = n if end < 0 else end + 1 + len(hashes)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "'":
            m = re.match(r"'(\\(x..|u\{[0-9a-fA-F]+\}|.)|[^\\'])'", text[i:])
            if m:
                out.append(" " * len(m.group(0)))
                i += len(m.group(0))
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


class Module:
    def __init__(self, path, file, inline):
        self.path = path  # tuple of names from the crate root
        self.file = file
        self.inline = inline
        self.children = {}  # name -> Module
        self.bindings = {}  # name -> (absolute path tuple) from `use`
        self.globs = []  # absolute module paths glob-imported
        self.defines = set()  # item names defined here


def expand_use_tree(tree):
    """`a::{b, c::d as e, f::*}` -> [(path list, bound name or '*')]."""
    tree = re.sub(r"\s+", "", tree)
    results = []

    def walk(prefix, s):
        # split s at top-level commas
        parts, depth, cur = [], 0, ""
        for ch in s:
            if ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
            if ch == "," and depth == 0:
                parts.append(cur)
                cur = ""
            else:
                cur += ch
        if cur:
            parts.append(cur)
        for part in parts:
            if not part:
                continue
            brace = part.find("{")
            if brace >= 0:
                head = part[:brace].rstrip(":")
                inner = part[brace + 1:part.rfind("}")]
                walk(prefix + [p for p in head.split("::") if p], inner)
                continue
            alias = None
            if "as" in part and re.search(r"[A-Za-z0-9_]as[A-Za-z_]", part):
                m = re.match(r"(.*[A-Za-z0-9_*])as(" + IDENT + r")$", part)
                if m:
                    part, alias = m.group(1), m.group(2)
            segs = prefix + [p for p in part.split("::") if p]
            if not segs:
                continue
            if segs[-1] == "*":
                results.append((segs[:-1], "*"))
            elif segs[-1] == "self":
                results.append((segs[:-1], alias or (segs[-2] if len(segs) > 1 else None)))
            else:
                results.append((segs, alias or segs[-1]))

    walk([], tree)
    return results


def find_block_end(code, open_idx):
    depth = 0
    for j in range(open_idx, len(code)):
        if code[j] == "{":
            depth += 1
        elif code[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    return len(code)


class Crate:
    def __init__(self, root_file):
        self.root_file = root_file
        self.modules = {}  # path tuple -> Module
        self.files = {}  # file -> list of (Module, code span start, end)
        self.code = {}
        self.raw = {}
        self.root = self.load(root_file, (), is_dir_owner=True)

    def load(self, file, path, is_dir_owner):
        with open(file, encoding="utf-8") as fh:
            raw = fh.read()
        code = strip_code(raw)
        self.raw[file] = raw
        self.code[file] = code
        module = Module(path, file, inline=False)
        self.modules[path] = module
        base = os.path.dirname(file)
        if not is_dir_owner:
            base = os.path.join(base, os.path.splitext(os.path.basename(file))[0])
        self.scan(module, code, 0, len(code), base)
        return module

    def scan(self, module, code, start, end, base):
        self.files.setdefault(module.file, []).append((module, start, end))
        i = start
        decl = re.compile(
            r"(?:pub(?:\([^)]*\))?\s+)?mod\s+(" + IDENT + r")\s*([;{])"
        )
        # a #[path] value sits in a string, blanked in `code`: read it from the raw text
        raw = self.raw[module.file]
        while True:
            m = decl.search(code, i, end)
            if not m:
                break
            name = m.group(1)
            if m.group(2) == ";":
                lookback = raw[max(0, m.start() - 200):m.start()]
                attr = re.search(r"#\[path\s*=\s*\"([^\"]+)\"\]\s*(?:#\[[^\]]*\]\s*)*$", lookback)
                candidates = (
                    [os.path.join(base, attr.group(1))]
                    if attr
                    else [os.path.join(base, name + ".rs"), os.path.join(base, name, "mod.rs")]
                )
                for cand in candidates:
                    if os.path.exists(cand):
                        child = self.load(cand, module.path + (name,), cand.endswith("mod.rs") or bool(attr))
                        module.children[name] = child
                        break
                i = m.end()
            else:
                close = find_block_end(code, m.end() - 1)
                child = Module(module.path + (name,), module.file, inline=True)
                self.modules[child.path] = child
                module.children[name] = child
                self.scan(child, code, m.end(), close, os.path.join(base, name))
                i = close + 1
        # remove nested spans: keep only this module's own text for use/def scanning
        self.collect(module, code, start, end)

    def own_text(self, module, code, start, end):
        text = code[start:end]
        for child in module.children.values():
            if child.inline:
                for m, s, e in self.files[child.file]:
                    if m is child and start <= s and e <= end:
                        text = text[: s - start] + " " * (e - s) + text[e - start:]
        return text

    def collect(self, module, code, start, end):
        text = self.own_text(module, code, start, end)
        module.text = text
        for m in re.finditer(
            r"\b(?:fn|struct|enum|trait|type|const|static|union|macro_rules!)\s+(" + IDENT + ")",
            text,
        ):
            module.defines.add(m.group(1))
        for m in re.finditer(r"\buse\s+([^;]+);", text):
            for segs, bound in expand_use_tree(m.group(1)):
                target = self.absolute(module, segs)
                if target is None:
                    continue
                if bound == "*":
                    module.globs.append(target)
                elif bound:
                    module.bindings[bound] = target

    def absolute(self, module, segs):
        """A path as written in `module` -> absolute path tuple, or None for other crates."""
        if not segs:
            return None
        head = segs[0]
        if head == "crate":
            return tuple(segs[1:])
        if head in ("self", "super"):
            path = list(module.path)
            rest = list(segs)
            while rest and rest[0] in ("self", "super"):
                if rest.pop(0) == "super" and path:
                    path.pop()
            return tuple(path) + tuple(rest)
        if head in module.children:
            return module.path + tuple(segs)
        return None

    def resolve(self, path, seen=None):
        """Absolute path -> the file defining its item (or the deepest module's file)."""
        seen = seen or set()
        if path in seen:
            return None
        seen.add(path)
        module = self.root
        rest = list(path)
        while rest and rest[0] in module.children:
            module = module.children[rest.pop(0)]
        if not rest:
            return module.file
        name = rest[0]
        if name in module.defines:
            return module.file
        if name in module.bindings:
            target = module.bindings[name] + tuple(rest[1:])
            return self.resolve(target, seen) or module.file
        for glob in module.globs:
            gm = self.modules.get(glob)
            if gm is not None and (name in gm.defines or name in gm.bindings or name in gm.children):
                return self.resolve(glob + tuple(rest), seen) or module.file
        return module.file

    def edges(self):
        out = {}
        ref = re.compile(r"(?<![A-Za-z0-9_:])(" + IDENT + r"(?:\s*::\s*" + IDENT + r")+)")
        for module in self.modules.values():
            targets = out.setdefault(module.file, set())
            text = module.text
            # `use` trees: each leaf is a reference
            for m in re.finditer(r"\buse\s+([^;]+);", text):
                for segs, bound in expand_use_tree(m.group(1)):
                    target = self.absolute(module, segs)
                    if target is not None:
                        f = self.resolve(target)
                        if f:
                            targets.add(f)
            text_wo_use = re.sub(r"\buse\s+[^;]+;", " ", text)
            for m in ref.finditer(text_wo_use):
                segs = [s.strip() for s in m.group(1).split("::")]
                if segs[0] in module.bindings:
                    target = module.bindings[segs[0]] + tuple(segs[1:])
                else:
                    target = self.absolute(module, segs)
                if target is not None:
                    f = self.resolve(target)
                    if f:
                        targets.add(f)
            targets.discard(module.file)
        return out


def sccs(graph):
    index, low, stack, on, result = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
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
            result.append(comp)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return result


def a_cycle(graph, comp):
    """One concrete circle through the component, for the message."""
    comp_set = set(comp)
    start = sorted(comp)[0]
    prev, queue = {start: None}, [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph.get(v, ())):
            if w == start:
                chain = [v]
                while prev[chain[-1]] is not None:
                    chain.append(prev[chain[-1]])
                return list(reversed(chain)) + [start]
            if w in comp_set and w not in prev:
                prev[w] = v
                queue.append(w)
    return comp


def crate_roots(root):
    roots = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS and not d.startswith(".")]
        if "Cargo.toml" not in filenames:
            continue
        for rel in ("src/lib.rs", "src/main.rs"):
            p = os.path.join(dirpath, rel)
            if os.path.exists(p):
                roots.append(p)
        for sub in ("src/bin", "tests", "benches", "examples"):
            d = os.path.join(dirpath, sub)
            if not os.path.isdir(d):
                continue
            for entry in sorted(os.listdir(d)):
                p = os.path.join(d, entry)
                if entry.endswith(".rs"):
                    roots.append(p)
                elif os.path.isdir(p) and os.path.exists(os.path.join(p, "main.rs")):
                    roots.append(os.path.join(p, "main.rs"))
    return roots


def header(raw):
    return "\n".join(raw.splitlines()[:40])


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
    problems = []
    rel = lambda p: os.path.relpath(p, root)
    seen_files = set()
    for root_file in crate_roots(root):
        crate = Crate(root_file)
        seen_files.update(crate.raw)
        graph = crate.edges()
        for comp in sccs(graph):
            if len(comp) < 2:
                continue
            marked = all(FAMILY_MARK in header(crate.raw[f]) for f in comp)
            if len(comp) <= FAMILY_MAX and marked:
                continue
            cycle = " -> ".join(rel(f) for f in a_cycle(graph, comp))
            problems.append(
                f"import circle of {len(comp)} files in the crate at {rel(root_file)}:\n"
                f"    {cycle}\n    all: {', '.join(sorted(rel(f) for f in comp))}"
            )
    for f in sorted(seen_files):
        with open(f, encoding="utf-8") as fh:
            raw = fh.read()
        lines = raw.count("\n") + (0 if raw.endswith("\n") else 1)
        if lines > MAX_LINES and LONG_MARK not in header(raw):
            problems.append(
                f"{rel(f)}: {lines} lines (over {MAX_LINES}); split it, or say in its module "
                f"header `{LONG_MARK} <what>` if it is one concept"
            )
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} layout problem(s)")
        return 1
    print(f"layout: no import circles, no file over {MAX_LINES} lines ({len(seen_files)} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
