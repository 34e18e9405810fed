#!/usr/bin/env bash
# 构建 Debian/Ubuntu 软件包：dist/kongchuo-docs_<版本>_<架构>.deb
# Builds the .deb a county's IT installs: the app in its own venv under /opt/kongchuo-docs (made with the
# system's /usr/bin/python3, so the package is for the Debian/Ubuntu release it was built on), the command
# on PATH, a systemd unit running `serve` on 127.0.0.1:8765 as the user kongchuo-docs, config in
# /etc/kongchuo-docs/, data in /var/lib/kongchuo-docs/.
#   scripts/build-deb.sh            # → dist/kongchuo-docs_0.1.0_amd64.deb
set -euo pipefail
cd "$(dirname "$0")/.."

python=/usr/bin/python3
if ! "$python" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3 python3-venv >/dev/null
  else
    echo "需要系统的 Python ≥ 3.10 及 venv：sudo apt-get install python3 python3-venv" >&2
    exit 1
  fi
fi
version=$("$python" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
arch=$(dpkg --print-architecture)
pyver=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
prefix=/opt/kongchuo-docs
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

# the wheel (templates, forms, samples as package data) and its dependencies into the venv
"$python" -m venv "$stage$prefix/venv"
"$stage$prefix/venv/bin/pip" install -q --disable-pip-version-check --no-compile .
# a venv names its own path in its scripts: make them name the installed path
grep -rlI --null "$stage" "$stage$prefix/venv" | xargs -0 -r sed -i "s|$stage||g"
find "$stage$prefix" -name __pycache__ -type d -prune -exec rm -rf {} +

install -D -m 0644 packaging/deb/kongchuo-docs.env "$stage$prefix/share/kongchuo-docs.env"
install -D -m 0644 packaging/deb/kongchuo-docs.service "$stage/lib/systemd/system/kongchuo-docs.service"
install -d "$stage/usr/bin"
ln -s "$prefix/venv/bin/kongchuo-docs" "$stage/usr/bin/kongchuo-docs"
install -d "$stage/DEBIAN"
for script in postinst prerm postrm; do install -m 0755 "packaging/deb/$script" "$stage/DEBIAN/$script"; done
size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
next=$("$python" -c "import sys; print(f'{sys.version_info[0]}.{sys.version_info[1] + 1}')")
cat > "$stage/DEBIAN/control" <<CONTROL
Package: kongchuo-docs
Version: $version
Architecture: $arch
Maintainer: kongchuo-docs <kongchuo-docs@localhost>
Installed-Size: $size
Depends: python3 (>= $pyver), python3 (<< $next), adduser, fontconfig, fonts-noto-cjk, fonts-lxgw-wenkai, libharfbuzz-subset0, libpango-1.0-0, libpangoft2-1.0-0
Recommends: libreoffice-writer-nogui, libreoffice-calc-nogui
Section: text
Priority: optional
Description: 控辍保学文书工具箱 (GB/T 9704 公文, 通知书, 登记表)
 Turns YAML and Excel inputs and Word drafts into the documents a county
 needs for 控辍保学: red-header 通知 in GB/T 9704-2012 format, letters for
 every child of a roster, 目标责任书, 自查报告, 整改通知, summaries and
 registers. Includes the web page (kongchuo-docs serve) as a systemd service.
CONTROL
mkdir -p dist
out="dist/kongchuo-docs_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zgzip --build "$stage" "$out" >/dev/null
echo "$out"
