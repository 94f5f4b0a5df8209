"""Signs in to a running `loa serve` in a real browser and screenshots the console's Today page (issue 16).

    scripts/setup-browser
    .venv-browser/bin/python Tests/browser/screenshots.py --url http://127.0.0.1:8080 --user chu-tich

The password comes from $LOA_PASSWORD (never a flag, which `ps` would show). Screenshots of /hom-nay at a
phone's 360x640 and a desktop's 1280x800 go to Tests/browser/screenshots/ (git-ignored); then it signs out and
checks that the page sends it back to sign in.
"""

import argparse
import os
import pathlib
import sys

from playwright.sync_api import sync_playwright

VIEWPORTS = {"phone": {"width": 360, "height": 640}, "desktop": {"width": 1280, "height": 800}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8080", help="the console's address")
    parser.add_argument("--user", required=True, help="an account made with `loa users add`")
    parser.add_argument("--lang", choices=["vi", "en"], default="vi")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--out", default=str(pathlib.Path(__file__).parent / "screenshots"))
    args = parser.parse_args()
    password = os.environ.get("LOA_PASSWORD")
    if not password:
        print("error: set LOA_PASSWORD to the account's password", file=sys.stderr)
        return 64  # EX_USAGE
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium, args=["--no-sandbox"])
        for name, viewport in VIEWPORTS.items():
            context = browser.new_context(viewport=viewport, ignore_https_errors=True)
            page = context.new_page()
            page.goto(f"{args.url}/dang-nhap?lang={args.lang}")
            page.get_by_label("Tên đăng nhập" if args.lang == "vi" else "User name").fill(args.user)
            page.get_by_label("Mật khẩu" if args.lang == "vi" else "Password").fill(password)
            page.locator("#sign-in button[type=submit]").click()
            page.wait_for_url(f"{args.url}/hom-nay")
            path = out / f"hom-nay-{name}-{viewport['width']}x{viewport['height']}.png"
            page.screenshot(path=str(path), full_page=True)
            print(path)
            # Signing out ends the session: the console sends the browser back to sign in.
            page.locator("#sign-out").click()
            page.wait_for_url(f"{args.url}/dang-nhap")
            page.goto(f"{args.url}/hom-nay")
            page.wait_for_url(f"{args.url}/dang-nhap")
            context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
