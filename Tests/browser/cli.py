"""The `loa` CLI over the daemon's API socket, for checks that compare a page with what the CLI says.

`Site.loa` passes on the whole environment, including LOA_URL (the console's address, which the CLI takes for
its API and then calls without a token: exit 77). These run the CLI with LOA_URL removed, so it uses
LOA_SOCKET as an operator on the gateway would.
"""

import json
import os
import subprocess


def loa(site, *arguments: str, user: str = "thanh-tra") -> str:
    environment = {key: value for key, value in os.environ.items() if key != "LOA_URL"}
    environment["LOA_USER"] = user
    run = subprocess.run([site.cli, *arguments], env=environment, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, f"loa {' '.join(arguments)} exited {run.returncode}: {run.stderr}"
    return run.stdout


def loa_json(site, *arguments: str, user: str = "thanh-tra"):
    return json.loads(loa(site, *arguments, "--json", user=user))
