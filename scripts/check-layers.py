#!/usr/bin/env python3
"""The include-direction check (ARCHITECTURE.md, "Modules and their arrows").

Each folder of src/ is a module; a module may include only the modules listed for it
below, so that the arrows point one way (down to core). The library's modules (all but
cli) never print to standard output or error and never exit: they return results and
the front ends decide. Prints each violation as FILE:LINE: message and exits 1.

Usage: scripts/check-layers.py [SRC_DIR]   (default: the project's src/)
"""
import os
import re
import sys

# module -> the modules it may include (besides itself)
ALLOWED = {
    "core": set(),
    "formats": {"core", "resolve"},
    "lint": {"core", "formats"},
    "config": {"core", "formats", "lint"},
    "resolve": {"core"},
    "query": {"core"},
    "compare": {"core", "query", "resolve"},
    "reports": {"core", "formats", "lint", "resolve", "config"},
    "k8s": {"core", "formats", "query"},
    "route": {"core", "formats", "k8s"},
    "store": set(),
    "notify": set(),
    "identity": set(),
    "service": {"core", "config", "formats", "lint", "query", "resolve", "compare", "reports",
                "k8s", "route", "store", "notify", "identity"},
    "server": {"core", "service", "store"},
    "cli": {"core", "config", "formats", "lint", "resolve", "query", "compare", "reports", "k8s", "route", "notify", "identity",
            "store", "service", "server"},
}
FRONT_ENDS = {"cli"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([a-z0-9_]+)/')
# What only a front end may do: print to the terminal, or end the process.
FORBIDDEN_CALLS = re.compile(
    r"std::cout|std::cerr|std::clog|\bfmt::print\s*\(|(?<![a-z_])printf\s*\(|\bputs\s*\("
    r"|\bstd::exit\s*\(|(?<![a-z_:.>])exit\s*\(|\bstd::abort\s*\(|(?<![a-z_:.>])abort\s*\(")


def strip_comment(line):
    at = line.find("//")
    return line if at < 0 else line[:at]


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "src")
    src = os.path.normpath(src)
    problems = []
    for module in sorted(os.listdir(src)):
        folder = os.path.join(src, module)
        if not os.path.isdir(folder):
            continue
        if module not in ALLOWED:
            problems.append(f"{folder}: module '{module}' is not in scripts/check-layers.py: "
                            "say which modules it may include")
            continue
        for name in sorted(os.listdir(folder)):
            if not name.endswith((".h", ".cpp")):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as f:
                for number, line in enumerate(f, 1):
                    m = INCLUDE.match(line)
                    if m and m.group(1) != module and m.group(1) not in ALLOWED[module]:
                        may = ", ".join(sorted(ALLOWED[module])) or "nothing else"
                        problems.append(f"{path}:{number}: {module} must not include "
                                        f"{m.group(1)}/ ({module} may include: {may})")
                    if module not in FRONT_ENDS and FORBIDDEN_CALLS.search(strip_comment(line)):
                        problems.append(f"{path}:{number}: the library must not print or exit "
                                        f"(only cli/ does): {line.strip()}")
    for p in problems:
        print(p)
    if problems:
        print(f"check-layers: {len(problems)} violation(s)")
        return 1
    print("check-layers: every include points down, and the library neither prints nor exits")
    return 0


if __name__ == "__main__":
    sys.exit(main())
