#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# open-iscsi over TCP, ram backstore: filesystem written, re-login, verified.
# ktgt-lanes: debian debug
BACKSTORE=ram
. "$(dirname "$0")/../fs-roundtrip.sh"
fs_roundtrip
