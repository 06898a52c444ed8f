#!/usr/bin/env bash
# Gradescope: builds the autograder image, once per upload of autograder.zip.
# Choose the Ubuntu 24.04 base image (Python 3.12): the kata needs Python 3.11+.
set -euo pipefail
apt-get update
apt-get install -y python3 python3-venv
python3 -c 'import sys; assert sys.version_info >= (3, 11), "the kata needs Python 3.11 or later"'
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install numpy pytest pytest-check pytest-timeout
