"""Check an email's HTML against what Gmail and Outlook support, from the Can I email data
(caniemail.com) through the `doiuse-email` npm package pinned in widget/package-lock.json."""

import json
import shutil
import subprocess
from pathlib import Path

from conftest import skip_or_fail

WIDGET = Path(__file__).resolve().parent.parent / "widget"
CLIENTS = ["gmail.*", "outlook.*"]
#: What the data reports for every email and does not change how ours read: Outlook's
#: phone apps replace `<body>` (its style is only the white a reader has anyway), and Windows
#: Mail drops `role` (there for screen readers: `presentation` on layout tables).
HARMLESS = {
    "`<body> element` is not supported by `outlook.ios`",
    "`<body> element` is not supported by `outlook.android`",
    "`role attribute` is not supported by `outlook.windows-mail`",
}
CHECK = """
import { doIUseEmail } from 'doiuse-email';
import { readFileSync } from 'node:fs';
const html = readFileSync(0, 'utf8');
console.log(JSON.stringify(doIUseEmail(html, { emailClients: JSON.parse(process.argv[1]) })));
"""


def unsupported_in_mail_clients(html: str) -> list[str]:
    """Return what in `html` Gmail or Outlook does not support, beyond `HARMLESS`."""
    if shutil.which("node") is None or not (WIDGET / "node_modules" / "doiuse-email").exists():
        skip_or_fail("email client checks need doiuse-email: run `npm ci` in widget/")
    found = subprocess.run(
        ["node", "--input-type=module", "-e", CHECK, json.dumps(CLIENTS)],
        input=html,
        capture_output=True,
        text=True,
        cwd=WIDGET,
        check=True,
        timeout=60,
    )
    return sorted(set(json.loads(found.stdout).get("errors", [])) - HARMLESS)
