#!/usr/bin/env python3
"""The GitHub Action (action.yml) and its image (Dockerfile), as far as they can be checked
without a Docker daemon (docs/packaging.md):

- action.yml: a Docker container action built from the Dockerfile, with the inputs
  files (required), format (default github) and strict (default false), whose args are
  exactly those inputs in the order the entry point reads them;
- the entry point (packaging/action-entrypoint.sh, run with the built racine first on
  PATH, as the image has it in /usr/bin) with the arguments the runner would build from
  the inputs gives the output and exit status of `racine lint` run directly with the
  same options: every format the format input names, strict, globs, and the errors of
  bad inputs (exit 2);
- the Dockerfile's RUN steps name only project scripts and make targets that exist,
  COPY only files of the project, and the final stage's ENTRYPOINT is a program the
  Debian package installs in /usr/bin (tests/packaging/deb-contents.expected).

Usage: action.py RACINE_BINARY SOURCE_DIR
"""
import os
import re
import shlex
import subprocess
import sys
import tempfile

racine, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
failures = []


def check(what, expected, actual):
    if expected != actual:
        failures.append(what)
        print(f"FAIL: {what}\n  expected: {expected!r}\n  actual:   {actual!r}")
    else:
        print(f"ok: {what}")


try:
    import yaml
except ImportError:
    message = "python3-yaml is absent: run make deps-test"
    if os.environ.get("CI") == "true":
        print(f"error: CI=true and {message}", file=sys.stderr)
        sys.exit(1)
    print(f"skipped: {message}")
    sys.exit(77)

# 1. action.yml
with open(os.path.join(src, "action.yml"), encoding="utf-8") as f:
    action = yaml.safe_load(f)
runs = action["runs"]
check("runs.using", "docker", runs.get("using"))
check("runs.image", "Dockerfile", runs.get("image"))
inputs = action["inputs"]
check("inputs", ["files", "format", "strict"], sorted(inputs))
check("files is required", True, inputs["files"].get("required"))
check("format defaults to github", "github", inputs["format"].get("default"))
check("strict defaults to false", "false", str(inputs["strict"].get("default")))
# The runner substitutes ${{ inputs.NAME }} in args; the entry point reads them in order.
check("args", ["${{ inputs.format }}", "${{ inputs.strict }}", "${{ inputs.files }}"], runs.get("args"))
entry = os.path.join(src, "packaging", "action-entrypoint.sh")


def runner_args(**given):
    """The entry point's arguments as the runner builds them: defaults, then inputs."""
    values = {name: str(spec.get("default", "")) for name, spec in inputs.items()}
    values.update(given)
    return [re.sub(r"\$\{\{ inputs\.(\w+) \}\}", lambda m: values[m.group(1)], a) for a in runs["args"]]


# 2. The entry point against racine itself, in a repository-like folder.
work = tempfile.mkdtemp()
bindir = os.path.join(work, "bin")
repo = os.path.join(work, "repo")
os.makedirs(bindir)
os.makedirs(os.path.join(repo, "docs", "team"))
os.symlink(os.path.abspath(racine), os.path.join(bindir, "racine"))
env = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"])
env.pop("NO_COLOR", None)
matrices = {
    # A warning only (an empty row): exit 0, or 1 with strict.
    "docs/team/warn.md": "# Team\n\n| Task | PM | Dev |\n|---|---|---|\n| Ship | A | R |\n| Empty | | |\n",
    # Clean.
    "docs/ok.md": "# Team\n\n| Task | PM | Dev |\n|---|---|---|\n| Ship | A | R |\n",
    # An error (two Accountable parties).
    "docs/team/two-a.md": "# Team\n\n| Task | PM | Dev |\n|---|---|---|\n| Ship | A | A |\n",
}
for name, text in matrices.items():
    with open(os.path.join(repo, name), "w", encoding="utf-8") as f:
        f.write(text)


def run(argv):
    p = subprocess.run(argv, cwd=repo, env=env, capture_output=True, text=True, timeout=60)
    return p.stdout, p.stderr, p.returncode


def same_as_racine(what, given, racine_args, status):
    """The entry point with the runner's args = racine with racine_args, exit `status`."""
    out, err, code = run([entry] + runner_args(**given))
    r_out, r_err, r_code = run([racine] + racine_args)
    check(f"{what}: exit status", status, code)
    check(f"{what}: racine's own exit status", status, r_code)
    check(f"{what}: output as racine lint {' '.join(racine_args[1:])}", (r_out, r_err), (out, err))
    return out


out = same_as_racine("defaults, one file", {"files": "docs/team/warn.md"},
                     ["lint", "--format", "github", "docs/team/warn.md"], 0)
check("github annotation of the warning", True,
      out.startswith("::warning file=docs/team/warn.md,line=6,col=1,"))
same_as_racine("strict", {"files": "docs/team/warn.md", "strict": "true"},
               ["lint", "--format", "github", "--strict", "docs/team/warn.md"], 1)
same_as_racine("glob ** across folders and new lines", {"files": "docs/**/*.md\n  docs/ok.md "},
               ["lint", "--format", "github", "docs/ok.md", "docs/team/two-a.md", "docs/team/warn.md",
                "docs/ok.md"], 1)
# Every format the input's description names is one racine lint takes.
named = re.findall(r"\b(github|text|json|sarif)\b", inputs["format"]["description"])
check("formats named by the format input", ["github", "text", "json", "sarif"], named)
for fmt in named:
    same_as_racine(f"format {fmt}", {"files": "docs/ok.md", "format": fmt},
                   ["lint", "--format", fmt, "docs/ok.md"], 0)
# Bad inputs: exit 2 with a message (a missing file is racine's own error).
same_as_racine("a missing file", {"files": "docs/none.md"}, ["lint", "--format", "github", "docs/none.md"], 2)
for what, given, message in [
    ("a glob matching nothing", {"files": "nowhere/*.md"}, "racine-action: no file matches 'nowhere/*.md'\n"),
    ("no file", {"files": " \n "}, "racine-action: no file to check: set the action's files input\n"),
    ("strict neither true nor false", {"files": "docs/ok.md", "strict": "yes"},
     "racine-action: strict must be true or false, not 'yes'\n"),
]:
    out, err, code = run([entry] + runner_args(**given))
    check(f"{what}: exit 2 and message", ("", message, 2), (out, err, code))
out, err, code = run([entry] + runner_args(files="docs/ok.md", format="xml"))
check("format xml: racine's usage error (exit 2)", 2, code)

# 3. The Dockerfile.
with open(os.path.join(src, "Dockerfile"), encoding="utf-8") as f:
    lines = f.read().replace("\\\n", " ").splitlines()
instructions = [l.strip().split(None, 1) for l in lines if l.strip() and not l.strip().startswith("#")]
with open(os.path.join(src, "Makefile"), encoding="utf-8") as f:
    make_targets = set()
    for l in f:
        m = re.match(r"^([\w .-]+):(?!=)", l)
        if m:
            make_targets.update(m.group(1).split())
froms = [rest for op, rest in instructions if op == "FROM"]
check("stages: Debian 12 builds, Debian 12 runs", ["debian:12 AS build", "debian:12"], froms)
# Commands a RUN step may use besides the project's: apt and the shell's basics.
allowed = {"apt-get", "rm", "racine", "DEBIAN_FRONTEND=noninteractive"}
for op, rest in instructions:
    if op == "RUN":
        for step in re.split(r"&&|;", rest):
            words = shlex.split(step)
            if not words:
                continue
            if words[0] == "make":
                targets = [w for w in words[1:] if "=" not in w and not w.startswith("-")]
                for t in targets:
                    check(f"Dockerfile: make {t} is a Makefile target", True, t in make_targets)
            elif words[0] == "bash":
                check(f"Dockerfile: {words[1]} is a project script", True,
                      words[1].startswith("scripts/") and os.path.isfile(os.path.join(src, words[1])))
            else:
                check(f"Dockerfile: RUN {words[0]} is apt, rm or racine", True, words[0] in allowed)
    elif op == "COPY":
        args = shlex.split(rest)
        if args[0].startswith("--from="):
            check("Dockerfile: the package comes from the build stage's build/ (make deb)",
                  "/src/build/racine_*.deb", args[1])
        elif args[0] != ".":
            for source in args[:-1]:
                check(f"Dockerfile: COPY {source} exists", True, os.path.isfile(os.path.join(src, source)))
            if args[0] == "packaging/action-entrypoint.sh":
                check("action.yml's entrypoint is where the Dockerfile puts the entry point",
                      runs.get("entrypoint"), args[-1])
entrypoints = [rest for op, rest in instructions if op == "ENTRYPOINT"]
check("ENTRYPOINT", ['["racine"]'], entrypoints)
with open(os.path.join(src, "tests", "packaging", "deb-contents.expected"), encoding="utf-8") as f:
    check("the package installs /usr/bin/racine", True, "-rwxr-xr-x ./usr/bin/racine\n" in f.read())
with open(os.path.join(src, ".dockerignore"), encoding="utf-8") as f:
    ignored = {l.strip() for l in f if l.strip() and not l.startswith("#")}
for needed in ["scripts", "src", "packaging", "Makefile", "CMakeLists.txt", "cmake", "data", "docs", "web"]:
    check(f".dockerignore keeps {needed}", False, needed in ignored)

subprocess.run(["rm", "-rf", work], check=False)
if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
