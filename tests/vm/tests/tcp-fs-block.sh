#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# open-iscsi over TCP, block backstore: filesystem written, re-login, verified.
# ktgt-lanes: debian
BACKSTORE=block
. "$(dirname "$0")/../fs-roundtrip.sh"
fs_roundtrip
