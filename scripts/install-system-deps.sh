#!/usr/bin/env bash
# Install the Debian packages reportgen needs: Pango and HarfBuzz for WeasyPrint (PDF), the fonts the
# paper is set in, poppler-utils (pdftotext/pdftoppm, used by tests), LibreOffice Writer and Calc (headless:
# the tests convert paper.docx with Writer to check it renders as in Word, and the benchmark times it as a
# reference; they print the return workbooks and register.xlsx with Calc), Chromium (the web edition's browser tests, driven by Playwright, which never downloads a
# browser of its own; and the Prefect UI that `reportgen serve` starts, headless),
# dovecot-imapd (the real IMAP server the mail tests start on 127.0.0.1; its system service is not
# needed), openssl (their test certificate), and python3-venv when the Python we build the venv with
# cannot make one (Debian ships venv/ensurepip separately).
# The fonts include the free ones drawn to the same widths as Word's (Liberation for Arial, Times New
# Roman and Courier New; Carlito for Calibri; Caladea for Cambria), which the PDF uses for those fonts
# of the Word template; fontconfig's fc-match says which installed font stands in for a missing one.
#
# --bench is still accepted (`make bench` passes it); LibreOffice is now in the normal list.
#
# Idempotent and quick: when every package is already installed it only asks dpkg and exits.
# Runs apt-get as root, or through sudo when not root. Without apt-get (not Debian) it says so and
# exits 0: install the equivalents by hand.
set -euo pipefail

PACKAGES=(
    libpango-1.0-0
    libpangoft2-1.0-0
    libharfbuzz-subset0
    fontconfig
    fonts-liberation2
    fonts-crosextra-carlito
    fonts-crosextra-caladea
    fonts-dejavu-core
    poppler-utils
    chromium
    libreoffice-writer-nogui
    libreoffice-calc-nogui
    dovecot-imapd
    openssl
)

for argument in "$@"; do
    case "$argument" in
        --bench) ;;
        *) echo "install-system-deps: unknown argument $argument (known: --bench)" >&2; exit 2 ;;
    esac
done

PYTHON="${PYTHON:-$(command -v python3.11 || command -v python3 || true)}"
if [ -z "$PYTHON" ]; then
    PACKAGES+=(python3 python3-venv)
elif ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    PACKAGES+=(python3-venv)
fi

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg >/dev/null 2>&1; then
    echo "install-system-deps: apt-get not found; skipping. Install these (or your system's equivalents):"
    echo "    ${PACKAGES[*]}"
    exit 0
fi

installed() {
    dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'
}

missing=()
for package in "${PACKAGES[@]}"; do
    installed "$package" || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-system-deps: all system packages present."
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "install-system-deps: not root and no sudo; as root, run:" >&2
    echo "    apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
fi

echo "install-system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# Wait for another apt/dpkg run (a second `make` at the same time) instead of failing on its lock.
lock=(-o DPkg::Lock::Timeout=900)
"${as_root[@]}" apt-get "${lock[@]}" update -q
"${as_root[@]}" apt-get "${lock[@]}" install -y -q --no-install-recommends "${missing[@]}"
