"""Fill empty msgstr entries of a .po file from `msgid|msgstr` lines.

Usage: python scripts/po_fill.py locale/zh_Hans/LC_MESSAGES/django.po FRAGMENT...
Existing translations are kept; fuzzy flags on filled entries are removed.
"""

import re
import sys
from pathlib import Path


def load(paths: list[str]) -> dict[str, str]:
    table: dict[str, str] = {}
    for path in paths:
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if "|" in line and not line.startswith("#"):
                msgid, msgstr = line.split("|", 1)
                table[msgid] = msgstr
    return table


def unquote(block: str) -> str:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', block)
    return "".join(parts).encode().decode("unicode_escape").encode("latin-1").decode()


def quote(text: str) -> str:
    return (
        '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    )


def main() -> None:
    po_path, *fragments = sys.argv[1:]
    table = load(fragments)
    entries = Path(po_path).read_text(encoding="utf-8").split("\n\n")
    filled = 0
    out = []
    for entry in entries:
        match = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)$', entry, re.M)
        if match and "msgid_plural" not in entry:
            msgid = unquote(match.group(1))
            msgstr = unquote(match.group(2))
            if msgid and not msgstr and msgid in table:
                entry = entry[: match.start(2)] + quote(table[msgid]) + "\n"
                entry = entry.rstrip("\n")
                entry = re.sub(r"^#, fuzzy\n", "", entry, flags=re.M)
                filled += 1
        plural = re.search(r'^msgid ((?:".*"\n?)+)msgid_plural', entry, re.M)
        if plural and 'msgstr[0] ""' in entry:
            msgid = unquote(plural.group(1))
            if msgid in table:
                translated = quote(table[msgid])
                entry = re.sub(
                    r'^msgstr\[(\d)\] ""$',
                    lambda m, t=translated: f"msgstr[{m.group(1)}] {t}",
                    entry,
                    flags=re.M,
                )
                filled += 1
        out.append(entry)
    Path(po_path).write_text("\n\n".join(out), encoding="utf-8")
    print(f"filled {filled} entries")


if __name__ == "__main__":
    main()
