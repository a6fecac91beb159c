"""Fails when the workspace's rust-version is lower than a locked dependency's.

Reads `cargo metadata` on stdin. Only dependencies a user builds count: the normal and build
dependencies of the published crates, followed through the resolved graph.
"""
import json
import sys


def version(text):
    parts = [int(part) for part in text.split(".")]
    return tuple(parts + [0] * (3 - len(parts)))


meta = json.load(sys.stdin)
packages = {p["id"]: p for p in meta["packages"]}
nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
members = [packages[m] for m in meta["workspace_members"]]
published = [p for p in members if p.get("publish") != []]
# Our own crates pass their needs on; their declared value is what is being checked.
member_ids = set(meta["workspace_members"])



def needs(root):
    """The highest rust-version among what `root` builds, with who asks for it."""
    seen, stack = set(), [root]
    while stack:
        node = nodes[stack.pop()]
        if node["id"] in seen:
            continue
        seen.add(node["id"])
        for dep in node["deps"]:
            if {k["kind"] for k in dep["dep_kinds"]} & {None, "build"}:
                stack.append(dep["pkg"])
    return max(
        ((version(packages[i]["rust_version"]), packages[i]["name"], packages[i]["version"])
         for i in seen if i not in member_ids and packages[i].get("rust_version")),
        default=((0, 0, 0), "nothing", ""),
    )


problems, report = [], []
for crate in published:
    need, who, at = needs(crate["id"])
    shown = ".".join(map(str, need))
    have = crate.get("rust_version")
    if have is None or version(have) < need:
        problems.append(f"{crate['name']} declares rust-version {have}, but {who} {at} needs {shown}")
    report.append(f"{crate['name']} {have} (needs {shown}: {who} {at})")
if problems:
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
print("   rust-version holds: " + "; ".join(report))
