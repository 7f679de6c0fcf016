#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# open-iscsi over TCP, file backstore: filesystem written, re-login, verified.
# ktgt-lanes: debian
BACKSTORE=file
. "$(dirname "$0")/../fs-roundtrip.sh"
fs_roundtrip
