#!/usr/bin/env bash
# 安装 kongchuo-docs 的运行环境（系统软件包 + Python 虚拟环境 .venv）。
# Sets up kongchuo-docs on a fresh Debian/Ubuntu machine: system packages (CJK fonts, HarfBuzz
# subsetter, Pango; with --dev also LibreOffice and poppler for the render tests and PostgreSQL for the
# store's tests, which start a throwaway server of their own), then .venv with
# the package installed from a built wheel (or editable with the test tools for --dev).
#   scripts/setup.sh          # to run the tool (demo)
#   scripts/setup.sh --dev    # to run the tests
set -euo pipefail
cd "$(dirname "$0")/.."

dev=0
[[ "${1:-}" == "--dev" ]] && dev=1

runtime_pkgs=(fontconfig fonts-noto-cjk fonts-lxgw-wenkai libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0)
dev_pkgs=(libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils chromium chromium-driver postgresql)
wanted=("${runtime_pkgs[@]}")
(( dev )) && wanted+=("${dev_pkgs[@]}")

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if (( ${#missing[@]} )); then
    if [[ $(id -u) -eq 0 ]]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo"; else sudo="none"; fi
    if [[ $sudo == none ]]; then
      echo "缺少系统软件包：${missing[*]}" >&2
      echo "请先运行：sudo apt-get install ${missing[*]}" >&2
      exit 1
    fi
    echo "安装系统软件包：${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
else
  echo "非 Debian/Ubuntu 系统：请自行安装 Noto CJK 字体、霞鹜文楷 (LXGW WenKai)、HarfBuzz 子集化库"
  echo "(libharfbuzz-subset)、Pango ≥ 1.44；运行测试还需 LibreOffice。安装后用 kongchuo-docs doctor 检查。" >&2
fi

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
  echo "需要 Python 3.10 或更高版本（当前：$("$python" --version 2>&1)）" >&2
  exit 1
fi
[[ -x .venv/bin/python ]] || "$python" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
if (( dev )); then
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[dev]"
else
  # a real wheel (templates, forms and samples as package data), not the checkout
  .venv/bin/python -m pip install -q --disable-pip-version-check --force-reinstall --no-deps .
  .venv/bin/python -m pip install -q --disable-pip-version-check .
fi
# fontconfig aliases so LibreOffice/WPS show a DOCX in 楷体/仿宋-like free fonts where the official ones are missing
.venv/bin/kongchuo-docs doctor --install-fontconfig || echo "未能写入字体替代规则（可稍后运行 kongchuo-docs doctor --install-fontconfig）" >&2
.venv/bin/kongchuo-docs doctor >/dev/null || .venv/bin/kongchuo-docs doctor
