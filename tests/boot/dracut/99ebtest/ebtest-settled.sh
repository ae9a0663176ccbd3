#!/bin/sh
# shellcheck shell=sh
# TEST ONLY: dracut initqueue/settled hook (sourced by the classic init).
# report.sh powers the machine off, so it runs as a child, never sourced.
/bin/sh /usr/lib/ebtest/report.sh dracut-classic
