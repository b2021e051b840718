#!/usr/bin/env python3
"""Prints the README's event-id table from the [LoggerMessage] attributes in src/.

tests/Logging/EventIdCatalogTests.cs checks that README.md lists every id; run
`python3 toolchain/event-ids.py` and paste its output under "Event ids" after adding one.
"""
import glob
import os
import re

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
files = sorted(glob.glob(os.path.join(root, "src", "**", "*.cs"), recursive=True))
constants = {}
for f in files:
    for name, value in re.findall(r"const int (\w+) = (\d+)\s*[;,]", open(f).read()):
        constants[name] = int(value)
rows = []
pattern = re.compile(r'\[LoggerMessage\(\s*EventId\s*=\s*([\w.]+)\s*,\s*Level\s*=\s*LogLevel\.(\w+)\s*,\s*Message\s*=\s*"((?:[^"\\]|\\.)*)"')
for f in files:
    for token, level, message in pattern.findall(open(f).read()):
        ident = int(token) if token.isdigit() else constants[token.split(".")[-1]]
        area = os.path.relpath(f, root).split(os.sep)[1]
        rows.append((ident, level, area, message.replace("|", "\\|")))
rows.append((9000, "Critical", "native-shim", "fatal signal N (SIGNAME) at ADDR code C; process ends, re-raising with the default action"))
print("| id | level | area | message |")
print("|---|---|---|---|")
for ident, level, area, message in sorted(rows):
    print(f"| {ident} | {level} | {area} | {message} |")
