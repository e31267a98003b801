"""Fill empty msgstr entries of a .po file from `msgid|msgstr` lines.

Usage: python scripts/po_fill.py locale/zh_Hans/LC_MESSAGES/django.po FRAGMENT...
Existing translations are kept, except fuzzy ones and, with --overwrite, every one
the fragments name; fuzzy flags on filled entries are removed.
"""

import re
import sys
from pathlib import Path


def load(paths: list[str]) -> dict[str, str]:
    table: dict[str, str] = {}
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.startswith("#"):
                continue
            # A tab separates, for texts that contain "|" themselves.
            separator = "\t" if "\t" in line else "|"
            if separator in line:
                msgid, msgstr = line.split(separator, 1)
                table[msgid] = msgstr
    return table


def unquote(block: str) -> str:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', block)
    return "".join(parts).encode().decode("unicode_escape").encode("latin-1").decode()


def quote(text: str) -> str:
    return (
        '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    )


def unfuzzy(entry: str) -> str:
    """Drop the fuzzy flag and the previous-msgid comments of a filled entry."""
    lines = []
    for line in entry.split("\n"):
        if line.startswith("#|"):
            continue
        if line.startswith("#,"):
            flags = [f.strip() for f in line[2:].split(",") if f.strip() != "fuzzy"]
            if not flags:
                continue
            line = "#, " + ", ".join(flags)
        lines.append(line)
    return "\n".join(lines)


def main() -> None:
    args = sys.argv[1:]
    overwrite = "--overwrite" in args
    po_path, *fragments = [a for a in args if a != "--overwrite"]
    table = load(fragments)
    entries = Path(po_path).read_text(encoding="utf-8").split("\n\n")
    filled = 0
    out = []
    for entry in entries:
        match = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)$', entry, re.M)
        if match and "msgid_plural" not in entry:
            msgid = unquote(match.group(1))
            msgstr = unquote(match.group(2))
            fuzzy = "#, fuzzy" in entry or ", fuzzy" in entry
            replace = not msgstr or fuzzy or (overwrite and table.get(msgid) != msgstr)
            if msgid and replace and msgid in table:
                entry = entry[: match.start(2)] + quote(table[msgid]) + "\n"
                entry = entry.rstrip("\n")
                entry = unfuzzy(entry)
                filled += 1
        plural = re.search(r'^msgid ((?:".*"\n?)+)msgid_plural', entry, re.M)
        if plural and ('msgstr[0] ""' in entry or ", fuzzy" in entry):
            msgid = unquote(plural.group(1))
            if msgid in table:
                translated = quote(table[msgid])
                entry = re.sub(
                    r'^msgstr\[(\d)\] ".*"$',
                    lambda m, t=translated: f"msgstr[{m.group(1)}] {t}",
                    entry,
                    flags=re.M,
                )
                entry = unfuzzy(entry)
                filled += 1
        out.append(entry)
    Path(po_path).write_text("\n\n".join(out), encoding="utf-8")
    print(f"filled {filled} entries")


if __name__ == "__main__":
    main()
