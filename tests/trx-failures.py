#!/usr/bin/env python3
"""Prints each failed test of a .trx file with its message, stack and output, shortened, so the
tail of a CI log names what failed and why."""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def clip(text, lines):
    rows = (text or "").strip().splitlines()
    more = len(rows) - lines
    return rows[:lines] + ([f"... ({more} more lines)"] if more > 0 else [])


def main(path):
    root = ET.parse(path).getroot()
    failed = [r for r in root.iterfind(".//t:UnitTestResult", NS) if r.get("outcome") == "Failed"]
    for r in failed:
        print(f"FAILED {r.get('testName')} ({r.get('duration')})")
        out = r.find("t:Output", NS)
        if out is None:
            continue
        for tag, lines in (("t:ErrorInfo/t:Message", 20), ("t:ErrorInfo/t:StackTrace", 8), ("t:StdOut", 40)):
            node = out.find(tag, NS)
            if node is not None and node.text:
                print(f"  -- {tag.split(':')[-1]}")
                for row in clip(node.text, lines):
                    print(f"  {row}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
