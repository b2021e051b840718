#!/usr/bin/env python3
"""Writes the extract of the Broadband Forum's TR-181 Device.MAP. model that the status tests
check `mapt status` against (tests/Status/tr181-map-extract.txt): every parameter of
Device.MAP. with its type, facets, default, access and status, resolved through the
components and data types it is built from. Only what a value can be checked against is
kept; descriptions are not copied.

    python3 toolchain/tr181-extract.py DEVICE_DATA_MODEL_GIT [COMMIT] CWMP_DATA_MODELS_GIT [COMMIT] \
        > tests/Status/tr181-map-extract.txt

DEVICE_DATA_MODEL_GIT is a clone of github.com/BroadbandForum/device-data-model (device2/
tr-181-2-map.xml, device2/tr-181-2-interface.xml), CWMP_DATA_MODELS_GIT one of
github.com/BroadbandForum/cwmp-data-models (tr-106-types.xml, the TR-106 data types); a
bare mirror is enough, files are read with git show. COMMIT defaults to HEAD.
"""
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

TYPES = ("boolean", "string", "int", "unsignedInt", "long", "unsignedLong", "dateTime", "base64", "hexBinary", "decimal")


def git(repo, *args):
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True, text=True).stdout


def local(tag):
    return tag.split("}", 1)[-1]


class Param:
    def __init__(self, name):
        self.name = name
        self.type = None
        self.datatype = None
        self.list = False
        self.facets = {}
        self.enums = []
        self.patterns = []
        self.ref = None
        self.default = None
        self.access = "readOnly"
        self.status = "current"
        self.command = False
        self.units = None

    def merge_syntax(self, syntax, types, context):
        for child in syntax:
            tag = local(child.tag)
            if tag == "list":
                self.list = True
                for f in child:
                    if local(f.tag) == "size" and f.get("maxLength"):
                        self.facets["listMaxLength"] = f.get("maxLength")
            elif tag == "default":
                self.default = child.get("value")
            elif tag == "dataType":
                self.datatype = child.get("ref")
                types.apply(self, self.datatype)
                self.facet_children(child, context)
            elif tag in TYPES:
                self.type = tag
                self.facet_children(child, context)
        if syntax.get("command") == "true":
            self.command = True

    def facet_children(self, element, context):
        for f in element:
            tag = local(f.tag)
            if tag == "size" and f.get("maxLength"):
                self.facets["maxLength"] = f.get("maxLength")
            elif tag == "range":
                self.facets["range"] = (f.get("minInclusive") or "") + ".." + (f.get("maxInclusive") or "")
            elif tag == "enumeration":
                self.enums.append(f.get("value") + ("?" if f.get("optional") == "true" else ""))
            elif tag == "pattern":
                self.patterns.append(f.get("value"))
            elif tag == "units":
                self.units = f.get("value")
            elif tag == "pathRef":
                parent = f.get("targetParent") or ""
                self.ref = "%s:%s:%s" % (f.get("refType"), f.get("targetType") or "any", resolve(parent, context))


def resolve(relative, context):
    """A relative path ("##.IP.Interface.") from the object it is written in: each # is one level up."""
    if not relative.startswith("#"):
        return relative
    hashes = len(relative) - len(relative.lstrip("#"))
    levels = re.findall(r"[^.{}]+(?:\.\{i\})?", context)  # Device, MAP, Domain.{i}
    return "".join(level + "." for level in levels[: len(levels) - hashes]) + relative[hashes + 1:]


class DataTypes:
    def __init__(self, documents):
        self.types = {}
        for doc in documents:
            for dt in doc:  # top level: an import's <dataType name=...> only names one
                if local(dt.tag) == "dataType" and dt.get("name"):
                    self.types[dt.get("name")] = dt

    def apply(self, param, name):
        dt = self.types.get(name)
        if dt is None:
            raise SystemExit("unknown data type " + name)
        if dt.get("base"):
            self.apply(param, dt.get("base"))
        for child in dt:
            tag = local(child.tag)
            if tag in TYPES:
                param.type = tag
                param.facet_children(child, "")
            elif tag in ("size", "pattern", "range", "enumeration"):
                # facets a derived type adds to its base's (IPv4Prefix: maxLength 18 and patterns)
                param.facet_children([child], "")


class Model:
    def __init__(self, documents, types):
        self.components = {}
        for doc in documents:
            for c in doc:
                if local(c.tag) == "component":
                    name = c.get("name")
                    # a virtual component is the default; a real one of the same name wins
                    if name not in self.components or c.get("virtual") != "true":
                        self.components[name] = c
        self.types = types
        self.objects = {}   # path -> ordered param names
        self.params = {}    # full path -> Param

    def walk(self, element, context):
        for child in element:
            tag = local(child.tag)
            if tag == "component" and child.get("ref"):
                self.walk(self.components[child.get("ref")], context)
            elif tag == "object":
                path = child.get("name") or child.get("base")
                full = path if path.startswith("Device.") else context + path
                self.objects.setdefault(full, [])
                self.walk(child, full)
            elif tag == "parameter":
                self.parameter(child, context)

    def parameter(self, element, context):
        name = element.get("name") or element.get("base")
        full = context + name
        param = self.params.get(full)
        if param is None:
            param = Param(name)
            self.params[full] = param
            self.objects[context].append(name)
        if element.get("access"):
            param.access = element.get("access")
        if element.get("status"):
            param.status = element.get("status")
        for child in element:
            tag = local(child.tag)
            if tag == "syntax":
                param.merge_syntax(child, self.types, context)
            elif tag == "description" and param.status != "current":
                text = "".join(child.itertext())
                found = re.search(r"\{\{" + param.status + r"\|([0-9.]+)", text)
                if found:
                    param.status += "@" + found.group(1)


def parse(text):
    return ET.fromstring(text)


def main(argv):
    args = list(argv)
    ddm = args.pop(0)
    ddm_commit = args.pop(0) if args and re.fullmatch(r"[0-9a-fA-F]{7,40}|HEAD", args[0]) else "HEAD"
    cdm = args.pop(0)
    cdm_commit = args.pop(0) if args and re.fullmatch(r"[0-9a-fA-F]{7,40}|HEAD", args[0]) else "HEAD"
    ddm_commit = git(ddm, "rev-parse", ddm_commit).strip()
    cdm_commit = git(cdm, "rev-parse", cdm_commit).strip()
    map_xml = parse(git(ddm, "show", ddm_commit + ":device2/tr-181-2-map.xml"))
    interface_xml = parse(git(ddm, "show", ddm_commit + ":device2/tr-181-2-interface.xml"))
    types_xml = parse(git(cdm, "show", cdm_commit + ":tr-106-types.xml"))

    types = DataTypes([types_xml, interface_xml, map_xml])
    model = Model([types_xml, interface_xml, map_xml], types)
    model.walk(model.components["MAP"], "")

    print("# The Broadband Forum's TR-181 Device.MAP. model as `mapt status` is checked against it")
    print("# (tests/Status/Tr181Model.cs). Written by toolchain/tr181-extract.py; do not edit by hand.")
    print("# model: %s (%s), device2/tr-181-2-map.xml spec %s, device2/tr-181-2-interface.xml spec %s"
          % (map_xml.find("{*}model").get("name"), git(ddm, "log", "-1", "--format=%s", ddm_commit).strip(),
             map_xml.get("spec"), interface_xml.get("spec")))
    print("# from: github.com/BroadbandForum/device-data-model commit %s" % ddm_commit)
    print("# types: tr-106-types.xml spec %s (%s), github.com/BroadbandForum/cwmp-data-models commit %s"
          % (types_xml.get("spec"), git(cdm, "log", "-1", "--format=%s", cdm_commit, "--", "tr-106-types.xml").strip(), cdm_commit))
    print("# One parameter a line: PATH TYPE then facets (datatype, list, maxLength, range, enum with"
          " ? for optional values, pattern, ref=refType:targetType:targetParent, default, access,"
          " status[@version], command), separated by tabs.")
    print("# vendor: TR-106 section 3.3: X_<VENDOR>_Name; <VENDOR> is an OUI (six upper-case hexadecimal"
          " digits) or a domain name, upper case, dots replaced by hyphens; below a vendor object no"
          " prefix again. Names start with an upper-case letter, no hyphen or underscore after the"
          " first character (TR-106 C.3.1; the checks of github.com/BroadbandForum/bbfreport,"
          " bbfreport/plugins/lint-transform.py name_check_helper).")
    print("vendor-prefix\t^X_([0-9A-F]{6}|[A-Z0-9]+(-[A-Z0-9]+)+)_$")
    print("vendor-name\t^[A-Z][A-Za-z0-9]*$")
    for obj, names in model.objects.items():
        print("object\t" + obj)
        for name in names:
            p = model.params[obj + name]
            fields = [obj + name, p.type]
            if p.datatype:
                fields.append("datatype=" + p.datatype)
            if p.list:
                fields.append("list" + ("=" + p.facets["listMaxLength"] if "listMaxLength" in p.facets else ""))
            if "maxLength" in p.facets:
                fields.append("maxLength=" + p.facets["maxLength"])
            if "range" in p.facets:
                fields.append("range=" + p.facets["range"])
            if p.enums:
                fields.append("enum=" + ",".join(p.enums))
            for pattern in p.patterns:
                fields.append("pattern=" + pattern)
            if p.ref:
                fields.append("ref=" + p.ref)
            if p.units:
                fields.append("units=" + p.units)
            if p.default is not None:
                fields.append("default=" + p.default)
            fields.append("access=" + p.access)
            fields.append("status=" + p.status)
            if p.command:
                fields.append("command")
            print("\t".join(fields))


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(sys.argv[1:])
